//! Account queries.

use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::{sessions, users};
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{ErrorCode, FieldError};
use shared::ids::UserId;
use shared::users::{UserSummary, ValidNewUser};
use uuid::Uuid;

#[derive(Queryable)]
struct SummaryRow {
    id: Uuid,
    username: String,
    display_name: String,
    roles: Vec<String>,
    disabled_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl From<SummaryRow> for UserSummary {
    fn from(r: SummaryRow) -> Self {
        UserSummary {
            id: UserId(r.id),
            username: r.username,
            display_name: r.display_name,
            roles: r.roles.iter().filter_map(|r| r.parse().ok()).collect(),
            disabled: r.disabled_at.is_some(),
            created_at: r.created_at,
        }
    }
}

type SummaryColumns = (
    users::id,
    users::username,
    users::display_name,
    users::roles,
    users::disabled_at,
    users::created_at,
);
const SUMMARY: SummaryColumns = (
    users::id,
    users::username,
    users::display_name,
    users::roles,
    users::disabled_at,
    users::created_at,
);

fn record(id: Uuid) -> RecordRef {
    RecordRef::new("user", id)
}

pub async fn create(
    tx: &mut Tx,
    user: ValidNewUser,
    password_hash: String,
) -> Result<Audited<UserSummary>, ApiError> {
    let id = Uuid::new_v4();
    let roles: Vec<String> = user.roles.iter().map(|r| r.as_str().to_owned()).collect();
    let row: SummaryRow = diesel::insert_into(users::table)
        .values((
            users::id.eq(id),
            users::username.eq(&user.username),
            users::display_name.eq(&user.display_name),
            users::password_hash.eq(password_hash),
            users::roles.eq(roles),
        ))
        .on_conflict_do_nothing()
        .returning(SUMMARY)
        .get_result(tx.conn()?)
        .await
        .optional()?
        .ok_or_else(|| {
            let mut e = ApiError::new(ErrorCode::Conflict);
            e.fields = vec![FieldError::new(
                "username",
                "taken",
                "This username is in use",
            )];
            e
        })?;
    let event =
        AuditEvent::new(Operation::Administration, "user.create", vec![record(id)]).fields(vec![
            "username".into(),
            "display_name".into(),
            "roles".into(),
        ]);
    Ok(Audited::new(row.into(), event))
}

pub async fn list(tx: &mut Tx) -> Result<Audited<Vec<UserSummary>>, ApiError> {
    let rows: Vec<SummaryRow> = users::table
        .select(SUMMARY)
        .order(users::username.asc())
        .load(tx.conn()?)
        .await?;
    let records = rows.iter().map(|r| record(r.id)).collect();
    let event = AuditEvent::new(Operation::Administration, "user.list", records);
    Ok(Audited::new(
        rows.into_iter().map(Into::into).collect(),
        event,
    ))
}

/// Disables or re-enables an account. Disabling also ends every session,
/// so the person is signed out everywhere at once.
pub async fn set_disabled(
    tx: &mut Tx,
    id: UserId,
    disabled: bool,
) -> Result<Audited<UserSummary>, ApiError> {
    let now = Utc::now();
    let row: SummaryRow = diesel::update(users::table.find(id.0))
        .set((
            users::disabled_at.eq(disabled.then_some(now)),
            users::updated_at.eq(now),
        ))
        .returning(SUMMARY)
        .get_result(tx.conn()?)
        .await
        .optional()?
        .ok_or_else(ApiError::not_found)?;
    if disabled {
        diesel::update(
            sessions::table
                .filter(sessions::user_id.eq(id.0))
                .filter(sessions::revoked_at.is_null()),
        )
        .set((
            sessions::revoked_at.eq(now),
            sessions::revoked_reason.eq("account disabled"),
        ))
        .execute(tx.conn()?)
        .await?;
    }
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    let event = AuditEvent::new(Operation::Administration, action, vec![record(id.0)])
        .fields(vec!["disabled".into()]);
    Ok(Audited::new(row.into(), event))
}
