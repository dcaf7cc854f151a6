//! The four documented handlers every record family has (create, read,
//! update, list), written once. Each family's module invokes
//! [`record_handlers!`] with its types, paths and list filter; the OpenAPI
//! document then describes each family under its own paths and schemas.

/// Declares `create`, `read`, `update` and `list` for one record family.
/// `filter` builds the family's `ListFilter` from its list parameters `p`,
/// the sort direction `ascending` and the cursor `after`.
macro_rules! record_handlers {
    (
        family: $family:ty,
        input: $input:ty,
        output: $output:ty,
        tag: $tag:literal,
        collection: $collection:literal,
        item: $item:literal,
        params: $params:ty,
        sort: $sort:literal,
        filter: |$p:ident, $ascending:ident, $after:ident| $filter:expr $(,)?
    ) => {
        #[utoipa::path(
            post, path = $collection, tag = $tag,
            request_body = $input,
            params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string per create; a retry with the same key and body returns the first result instead of a duplicate")),
            security(("bearer" = ["record.create"])),
            responses(
                (status = 201, description = "Recorded (or, on a retry with the same Idempotency-Key, the record made the first time)", body = $output, headers(("Location" = String), ("ETag" = String), ("Idempotent-Replayed" = String))),
                (status = 403, description = "Requires record.create", body = shared::error::Problem, content_type = "application/problem+json"),
                (status = 409, description = "Idempotency-Key reused for a different body, or link already exists", body = shared::error::Problem, content_type = "application/problem+json"),
                (status = 422, description = "A rule failed: one entry per bad field", body = shared::error::Problem, content_type = "application/problem+json"),
            )
        )]
        pub async fn create(
            req: actix_web::HttpRequest,
            auth: crate::auth::Authorised<crate::auth::perm::RecordCreate>,
            state: actix_web::web::Data<crate::state::AppState>,
            body: crate::body::ValidJson<$input>,
        ) -> Result<actix_web::HttpResponse, crate::error::ApiError> {
            crate::records::handlers::create::<$family>(&req, &auth.ctx, &state, body.0).await
        }

        #[utoipa::path(
            get, path = $item, tag = $tag,
            params(
                ("id" = uuid::Uuid, Path, description = "The record's id"),
                ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
            ),
            security(("bearer" = ["record.read"])),
            responses(
                (status = 200, description = "The record with its links", body = $output, headers(("ETag" = String))),
                (status = 403, description = "Requires record.read", body = shared::error::Problem, content_type = "application/problem+json"),
                (status = 404, description = "No such record, or not one you may see", body = shared::error::Problem, content_type = "application/problem+json"),
                (status = 428, description = "No justification stated", body = shared::error::Problem, content_type = "application/problem+json"),
            )
        )]
        pub async fn read(
            auth: crate::auth::Authorised<crate::auth::perm::RecordRead>,
            state: actix_web::web::Data<crate::state::AppState>,
            id: actix_web::web::Path<uuid::Uuid>,
        ) -> Result<actix_web::HttpResponse, crate::error::ApiError> {
            crate::records::handlers::read::<$family>(&auth.ctx, &state, id.into_inner()).await
        }

        #[utoipa::path(
            put, path = $item, tag = $tag,
            params(
                ("id" = uuid::Uuid, Path, description = "The record's id"),
                ("If-Match" = Option<String>, Header, description = "The ETag last read; a stale write gets 412"),
            ),
            request_body = $input,
            security(("bearer" = ["record.update"])),
            responses(
                (status = 200, description = "Updated", body = $output, headers(("ETag" = String))),
                (status = 403, description = "Requires record.update", body = shared::error::Problem, content_type = "application/problem+json"),
                (status = 404, description = "No such record", body = shared::error::Problem, content_type = "application/problem+json"),
                (status = 409, description = "Read-only legacy record", body = shared::error::Problem, content_type = "application/problem+json"),
                (status = 412, description = "Changed since read", body = shared::error::Problem, content_type = "application/problem+json"),
                (status = 422, description = "A rule failed: one entry per bad field", body = shared::error::Problem, content_type = "application/problem+json"),
            )
        )]
        pub async fn update(
            req: actix_web::HttpRequest,
            auth: crate::auth::Authorised<crate::auth::perm::RecordUpdate>,
            state: actix_web::web::Data<crate::state::AppState>,
            id: actix_web::web::Path<uuid::Uuid>,
            body: crate::body::ValidJson<$input>,
        ) -> Result<actix_web::HttpResponse, crate::error::ApiError> {
            crate::records::handlers::update::<$family>(&req, &auth.ctx, &state, id.into_inner(), body.0)
                .await
        }

        #[utoipa::path(
            get, path = $collection, tag = $tag,
            params(
                $params,
                ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
            ),
            security(("bearer" = ["record.list"])),
            responses(
                (status = 200, description = "One page", body = Page<$output>),
                (status = 403, description = "Requires record.list", body = shared::error::Problem, content_type = "application/problem+json"),
                (status = 422, description = "Bad filter, sort, limit or cursor", body = shared::error::Problem, content_type = "application/problem+json"),
                (status = 428, description = "No justification stated", body = shared::error::Problem, content_type = "application/problem+json"),
            )
        )]
        pub async fn list(
            auth: crate::auth::Authorised<crate::auth::perm::RecordList>,
            state: actix_web::web::Data<crate::state::AppState>,
            params: crate::body::Query<$params>,
        ) -> Result<actix_web::HttpResponse, crate::error::ApiError> {
            let $p = params.into_inner();
            let (limit, $after) = crate::records::handlers::paging($p.limit, $p.cursor.as_deref())?;
            let $ascending = crate::records::handlers::ascending($p.sort.as_deref(), $sort)?;
            let filter: crate::records::store::ListFilter = $filter;
            crate::records::handlers::list::<$family>(&auth.ctx, &state, filter, limit).await
        }
    };
}

pub(crate) use record_handlers;
