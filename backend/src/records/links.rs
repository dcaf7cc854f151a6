//! Links between any two records. Making a link is a combination (s.62):
//! it joins what is known about one record to another.

use super::{store, visibility};
use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::{links, people, records};
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{ErrorCode, FieldError};
use shared::links::{Link, LinkRole, NewLink, RecordKey, RecordType, SubjectCategory};
use shared::permissions::Permission;
use std::collections::HashSet;
use uuid::Uuid;

#[derive(Queryable, Selectable)]
#[diesel(table_name = links)]
struct LinkRow {
    id: Uuid,
    from_type: String,
    from_id: Uuid,
    to_type: String,
    to_id: Uuid,
    role: String,
    subject_category: Option<String>,
    created_at: DateTime<Utc>,
}

impl LinkRow {
    fn link(self) -> Option<Link> {
        Some(Link {
            id: self.id,
            from: RecordKey {
                record_type: RecordType::parse(&self.from_type)?,
                id: self.from_id,
            },
            to: RecordKey {
                record_type: RecordType::parse(&self.to_type)?,
                id: self.to_id,
            },
            role: LinkRole::parse(&self.role)?,
            subject_category: self
                .subject_category
                .as_deref()
                .and_then(SubjectCategory::parse),
            created_at: self.created_at,
        })
    }
}

/// The other end of a link, seen from `me`.
pub fn far_end(link: &Link, me: Uuid) -> RecordKey {
    if link.from.id == me {
        link.to
    } else {
        link.from
    }
}

fn key_ref(k: RecordKey) -> RecordRef {
    RecordRef::new(k.record_type.as_str(), k.id)
}

/// Of these keys, the ones that exist and the caller may see.
async fn visible_keys(tx: &mut Tx, keys: &[RecordKey]) -> Result<HashSet<Uuid>, ApiError> {
    let person_ids: Vec<Uuid> = keys
        .iter()
        .filter(|k| k.record_type == RecordType::Person)
        .map(|k| k.id)
        .collect();
    let record_ids: Vec<Uuid> = keys
        .iter()
        .filter(|k| k.record_type != RecordType::Person)
        .map(|k| k.id)
        .collect();
    let mut seen = HashSet::new();
    if !person_ids.is_empty() {
        let mut query = people::table
            .filter(people::id.eq_any(&person_ids))
            .filter(people::merged_into.is_null())
            .select(people::id)
            .into_boxed();
        // The same rule as people::store::may_see.
        if !tx.ctx().can(Permission::PersonRestrict) {
            query = query.filter(people::restricted_at.is_null());
        }
        seen.extend(query.load::<Uuid>(tx.conn()?).await?);
    }
    if !record_ids.is_empty() {
        let rows: Vec<(Uuid, String)> = records::table
            .filter(records::id.eq_any(&record_ids))
            .filter(visibility::visible(tx.ctx()))
            .select((records::id, records::family))
            .load(tx.conn()?)
            .await?;
        seen.extend(
            rows.into_iter()
                .filter(|(id, family)| {
                    keys.iter()
                        .any(|k| k.id == *id && k.record_type.as_str() == family)
                })
                .map(|(id, _)| id),
        );
    }
    Ok(seen)
}

/// Writes one link after checking both ends exist and are visible to the
/// caller. `path` names the link in the request, for errors.
pub(crate) async fn insert(
    tx: &mut Tx,
    from: RecordKey,
    link: &NewLink,
    path: &str,
) -> Result<(Link, AuditEvent), ApiError> {
    // Hold the people linked so an erasure cannot slip in between the check
    // and the insert and leave a link to someone erased.
    let people_ends: Vec<Uuid> = [from, link.to]
        .iter()
        .filter(|k| k.record_type == RecordType::Person)
        .map(|k| k.id)
        .collect();
    if !people_ends.is_empty() {
        people::table
            .filter(people::id.eq_any(&people_ends))
            .select(people::id)
            .for_key_share()
            .load::<Uuid>(tx.conn()?)
            .await?;
    }
    let seen = visible_keys(tx, &[from, link.to]).await?;
    for (end, key) in [("from", from), ("to", link.to)] {
        // The record being created in this transaction is visible by now.
        if !seen.contains(&key.id) {
            return Err(ApiError::field(FieldError::new(
                &format!("{path}.{end}"),
                "not_found",
                "No such record, or you may not see it",
            )));
        }
    }
    let row: Option<LinkRow> = diesel::insert_into(links::table)
        .values((
            links::id.eq(Uuid::new_v4()),
            links::from_type.eq(from.record_type.as_str()),
            links::from_id.eq(from.id),
            links::to_type.eq(link.to.record_type.as_str()),
            links::to_id.eq(link.to.id),
            links::role.eq(link.role.as_str()),
            links::subject_category.eq(link.subject_category.map(|c| c.as_str())),
            links::created_at.eq(Utc::now()),
        ))
        .on_conflict_do_nothing()
        .returning(LinkRow::as_returning())
        .get_result(tx.conn()?)
        .await
        .optional()?;
    let link = row.and_then(LinkRow::link).ok_or_else(|| {
        ApiError::new(ErrorCode::Conflict).detail("These records are already linked in that role")
    })?;
    let mut fields = vec![format!("role:{}", link.role.as_str())];
    if let Some(c) = link.subject_category {
        fields.push(format!("subject_category:{}", c.as_str()));
    }
    let event = AuditEvent::new(
        Operation::Combination,
        "link.create",
        vec![key_ref(from), key_ref(link.to)],
    )
    .fields(fields);
    Ok((link, event))
}

pub async fn create(
    tx: &mut Tx,
    from: RecordKey,
    link: NewLink,
) -> Result<Audited<Link>, ApiError> {
    let (link, event) = insert(tx, from, &link, "link").await.map_err(|mut e| {
        // A standalone link's fields are top-level in its body.
        for f in &mut e.fields {
            f.field = f.field.trim_start_matches("link.").to_owned();
        }
        e
    })?;
    Ok(Audited::new(link, event))
}

/// Links touching any of `ids` whose far end the caller may see.
pub(crate) async fn of(tx: &mut Tx, ids: &[Uuid]) -> Result<Vec<Link>, ApiError> {
    let rows: Vec<LinkRow> = links::table
        .filter(links::from_id.eq_any(ids).or(links::to_id.eq_any(ids)))
        .select(LinkRow::as_select())
        .order(links::created_at)
        .load(tx.conn()?)
        .await?;
    let all: Vec<Link> = rows.into_iter().filter_map(LinkRow::link).collect();
    let far: Vec<RecordKey> = all
        .iter()
        .map(|l| {
            if ids.contains(&l.from.id) {
                l.to
            } else {
                l.from
            }
        })
        .collect();
    let seen = visible_keys(tx, &far).await?;
    Ok(all
        .into_iter()
        .zip(far)
        .filter(|(_, k)| seen.contains(&k.id) || ids.contains(&k.id))
        .map(|(l, _)| l)
        .collect())
}

/// Removes a link: an alteration of both records it joined.
pub async fn delete(tx: &mut Tx, id: Uuid) -> Result<Audited<()>, ApiError> {
    let row: LinkRow = links::table
        .find(id)
        .select(LinkRow::as_select())
        .first(tx.conn()?)
        .await
        .optional()?
        .ok_or_else(ApiError::not_found)?;
    let link = row.link().ok_or_else(ApiError::not_found)?;
    let seen = visible_keys(tx, &[link.from, link.to]).await?;
    if !seen.contains(&link.from.id) || !seen.contains(&link.to.id) {
        return Err(ApiError::not_found());
    }
    diesel::delete(links::table.find(id))
        .execute(tx.conn()?)
        .await?;
    let event = AuditEvent::new(
        Operation::Alteration,
        "link.delete",
        vec![key_ref(link.from), key_ref(link.to)],
    )
    .fields(vec![format!("role:{}", link.role.as_str())]);
    Ok(Audited::new((), event))
}

/// Erasure: every link touching these records goes with them.
pub(crate) async fn erase_links_of(tx: &mut Tx, ids: &[Uuid]) -> Result<usize, ApiError> {
    Ok(
        diesel::delete(
            links::table.filter(links::from_id.eq_any(ids).or(links::to_id.eq_any(ids))),
        )
        .execute(tx.conn()?)
        .await?,
    )
}

pub(crate) use store::visible_rows;

pub mod http {
    //! `POST /api/v1/links` and `DELETE /api/v1/links/{id}`.

    use crate::audit;
    use crate::auth::{Authorised, perm};
    use crate::body::ValidJson;
    use crate::error::ApiError;
    use crate::state::AppState;
    use actix_web::{HttpResponse, web};
    use shared::error::Problem;
    use shared::links::{Link, NewLink};

    #[utoipa::path(
        post, path = "/api/v1/links", tag = "links",
        request_body = NewLink,
        security(("bearer" = ["record.link"])),
        responses(
            (status = 201, description = "Linked (a combination event)", body = Link),
            (status = 403, description = "Requires record.link", body = Problem, content_type = "application/problem+json"),
            (status = 409, description = "Already linked in that role", body = Problem, content_type = "application/problem+json"),
            (status = 422, description = "Bad link: unknown end, missing subject category, ...", body = Problem, content_type = "application/problem+json"),
        )
    )]
    pub async fn create(
        auth: Authorised<perm::RecordLink>,
        state: web::Data<AppState>,
        body: ValidJson<NewLink>,
    ) -> Result<HttpResponse, ApiError> {
        let (from, link) = body.validate().map_err(ApiError::validation)?;
        let link = audit::run(&state, &auth.ctx, |tx| {
            Box::pin(super::create(tx, from, link))
        })
        .await?;
        Ok(HttpResponse::Created().json(link))
    }

    #[utoipa::path(
        delete, path = "/api/v1/links/{id}", tag = "links",
        params(("id" = uuid::Uuid, Path, description = "The link's id")),
        security(("bearer" = ["record.link"])),
        responses(
            (status = 204, description = "Unlinked"),
            (status = 403, description = "Requires record.link", body = Problem, content_type = "application/problem+json"),
            (status = 404, description = "No such link you may see", body = Problem, content_type = "application/problem+json"),
        )
    )]
    pub async fn delete(
        auth: Authorised<perm::RecordLink>,
        state: web::Data<AppState>,
        id: web::Path<uuid::Uuid>,
    ) -> Result<HttpResponse, ApiError> {
        let id = id.into_inner();
        audit::run(&state, &auth.ctx, |tx| Box::pin(super::delete(tx, id))).await?;
        Ok(HttpResponse::NoContent().finish())
    }
}
