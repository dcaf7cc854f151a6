//! Working contexts: a justification declared once per task ("occurrence
//! 01/12345, investigation") and cited by every later request, so officers
//! are not asked on every tap and the log stays meaningful (DESIGN-NOTES §5).

use crate::auth::{Actor, Authenticated};
use crate::body::ValidJson;
use crate::config::Config;
use crate::db::schema::working_contexts;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use shared::error::{FieldError, FieldErrors, Problem};
use shared::ids::WorkingContextId;
use shared::justification::{Justification, Purpose, WorkingContext, WorkingContextInput};
use uuid::Uuid;

/// A working context lasts a shift at most.
const LIFETIME_HOURS: i64 = 12;

#[utoipa::path(
    post, path = "/api/v1/working-contexts", tag = "auth",
    request_body = WorkingContextInput, security(("bearer" = [])),
    responses(
        (status = 201, description = "Declared; cite its id in the Probity-Working-Context header", body = WorkingContext),
        (status = 403, description = "API clients state a purpose per request instead", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Purpose unknown, or neither reference nor reason", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn declare(
    state: web::Data<AppState>,
    who: Authenticated,
    body: ValidJson<WorkingContextInput>,
) -> Result<HttpResponse, ApiError> {
    let Actor::User { id: user, .. } = who.0.actor else {
        return Err(
            ApiError::forbidden().detail("API clients send Probity-Justification on each request")
        );
    };
    let justification = Justification::parse(&body.purpose, &body.reference, &body.reason)
        .and_then(|j| accepted(&state.config, j))
        .map_err(ApiError::validation)?;
    let now = Utc::now();
    let context = WorkingContext {
        id: WorkingContextId::new(),
        justification,
        declared_at: now,
        expires_at: now + Duration::hours(LIFETIME_HOURS),
    };
    let mut conn = state.pool.get().await?;
    diesel::insert_into(working_contexts::table)
        .values((
            working_contexts::id.eq(context.id.0),
            working_contexts::user_id.eq(user.0),
            working_contexts::purpose.eq(context.justification.purpose.as_str()),
            working_contexts::reference.eq(&context.justification.reference),
            working_contexts::reason.eq(&context.justification.reason),
            working_contexts::declared_at.eq(context.declared_at),
            working_contexts::expires_at.eq(context.expires_at),
        ))
        .execute(&mut conn)
        .await?;
    tracing::info!(working_context.id = %context.id, "working context declared");
    Ok(HttpResponse::Created().json(context))
}

/// The justification, if its purpose is one this force accepts.
pub fn accepted(
    config: &Config,
    justification: Justification,
) -> Result<Justification, FieldErrors> {
    if config.purposes.contains(&justification.purpose) {
        return Ok(justification);
    }
    let offered: Vec<&str> = config.purposes.iter().map(|p| p.as_str()).collect();
    Err(FieldErrors(vec![FieldError::new(
        "purpose",
        "not_accepted",
        format!(
            "This force does not accept that purpose; choose one of: {}",
            offered.join(", ")
        ),
    )]))
}

#[utoipa::path(
    get, path = "/api/v1/purposes", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The purposes a justification may state here, in the order to offer them (a force may narrow the fixed list)", body = [Purpose]),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn purposes(_who: Authenticated, state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(&state.config.purposes)
}

/// The justification of a live working context that belongs to `user`.
pub async fn resolve(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    id: Uuid,
) -> Result<Option<Justification>, ApiError> {
    let row: Option<(String, Option<String>, Option<String>)> = working_contexts::table
        .filter(working_contexts::id.eq(id))
        .filter(working_contexts::user_id.eq(user))
        .filter(working_contexts::expires_at.gt(Utc::now()))
        .select((
            working_contexts::purpose,
            working_contexts::reference,
            working_contexts::reason,
        ))
        .first(conn)
        .await
        .optional()?;
    Ok(row.and_then(|(purpose, reference, reason)| {
        Some(Justification {
            purpose: Purpose::parse(&purpose).ok()?,
            reference,
            reason,
        })
    }))
}

/// Ends every working context whose reference or reason names any of
/// `names` (part of erasing a person): the justification text is theirs to
/// lose, and a context lasts a shift at most anyway. Returns how many.
pub async fn end_naming(conn: &mut AsyncPgConnection, names: &[String]) -> Result<i64, ApiError> {
    let Some(pattern) = crate::audit::texts::names_pattern(names) else {
        return Ok(0);
    };
    let ended = diesel::sql_query(
        "DELETE FROM working_contexts \
         WHERE coalesce(reference, '') ~ $1 OR coalesce(reason, '') ~ $1",
    )
    .bind::<diesel::sql_types::Text, _>(pattern)
    .execute(conn)
    .await?;
    Ok(ended as i64)
}
