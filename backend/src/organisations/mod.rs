//! Organisations that receive disclosures: the maintained list the log
//! names recipients from (`organisation:<id>`), so nothing typed for a
//! disclosure becomes permanent in it. Administrators and the data
//! protection officer keep the list; everyone signed in may read it.

pub mod http;

use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::organisations;
use crate::error::ApiError;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use shared::error::{ErrorCode, FieldError};
use shared::ids::OrganisationId;
use shared::organisations::{Organisation, OrganisationKind, ValidOrganisation, recipient_code};
use uuid::Uuid;

type Row = (Uuid, String, String, bool);

const COLUMNS: (
    organisations::id,
    organisations::name,
    organisations::kind,
    organisations::active,
) = (
    organisations::id,
    organisations::name,
    organisations::kind,
    organisations::active,
);

fn view((id, name, kind, active): Row) -> Organisation {
    Organisation {
        id: OrganisationId(id),
        name,
        kind: OrganisationKind::parse(&kind).unwrap_or(OrganisationKind::Other),
        active,
    }
}

fn record(id: Uuid) -> RecordRef {
    RecordRef::new("organisation", id)
}

/// The list, by name; inactive ones only when asked.
pub async fn list(
    conn: &mut AsyncPgConnection,
    include_inactive: bool,
) -> Result<Vec<Organisation>, ApiError> {
    let mut q = organisations::table
        .select(COLUMNS)
        .order(organisations::name)
        .into_boxed();
    if !include_inactive {
        q = q.filter(organisations::active.eq(true));
    }
    let rows: Vec<Row> = q.load(conn).await?;
    Ok(rows.into_iter().map(view).collect())
}

/// An organisation id as a query parameter carries it, or 422 naming
/// `field` (a name typed there instead of an id, say).
pub fn parse_id(raw: &str, field: &str) -> Result<OrganisationId, ApiError> {
    raw.trim().parse().map_err(|_| {
        ApiError::field(FieldError::new(
            field,
            "not_an_organisation",
            "Give the id of an organisation on the list (GET /api/v1/organisations), not a name",
        ))
    })
}

/// How the log names a recipient: an active organisation from the list,
/// or 422 naming `field`.
pub async fn recipient(tx: &mut Tx, id: OrganisationId, field: &str) -> Result<String, ApiError> {
    let active: Option<bool> = organisations::table
        .find(id.0)
        .select(organisations::active)
        .first(tx.conn()?)
        .await
        .optional()?;
    match active {
        Some(true) => Ok(recipient_code(id)),
        Some(false) => Err(ApiError::field(FieldError::new(
            field,
            "inactive",
            "That organisation is no longer a recipient: choose another from the list",
        ))),
        None => Err(ApiError::field(FieldError::new(
            field,
            "unknown",
            "No organisation on the list has that id (GET /api/v1/organisations)",
        ))),
    }
}

fn name_taken() -> ApiError {
    let mut e = ApiError::new(ErrorCode::Conflict);
    e.fields = vec![FieldError::new(
        "name",
        "taken",
        "An organisation of that name is on the list",
    )];
    e
}

pub async fn create(
    tx: &mut Tx,
    input: ValidOrganisation,
) -> Result<Audited<Organisation>, ApiError> {
    let id = Uuid::new_v4();
    let row: Option<Row> = diesel::insert_into(organisations::table)
        .values((
            organisations::id.eq(id),
            organisations::name.eq(&input.name),
            organisations::kind.eq(input.kind.as_str()),
            organisations::active.eq(input.active),
        ))
        .on_conflict_do_nothing()
        .returning(COLUMNS)
        .get_result(tx.conn()?)
        .await
        .optional()?;
    let row = row.ok_or_else(name_taken)?;
    let event = AuditEvent::new(
        Operation::Administration,
        "organisation.create",
        vec![record(id)],
    )
    .fields(vec!["name".into(), "kind".into(), "active".into()]);
    Ok(Audited::new(view(row), event))
}

pub async fn update(
    tx: &mut Tx,
    id: OrganisationId,
    input: ValidOrganisation,
) -> Result<Audited<Option<Organisation>>, ApiError> {
    let result = diesel::update(organisations::table.find(id.0))
        .set((
            organisations::name.eq(&input.name),
            organisations::kind.eq(input.kind.as_str()),
            organisations::active.eq(input.active),
            organisations::updated_at.eq(chrono::Utc::now()),
        ))
        .returning(COLUMNS)
        .get_result::<Row>(tx.conn()?)
        .await
        .optional();
    let row = match result {
        Ok(row) => row,
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => return Err(name_taken()),
        Err(e) => return Err(e.into()),
    };
    let Some(row) = row else {
        return Ok(Audited::none());
    };
    let event = AuditEvent::new(
        Operation::Administration,
        "organisation.update",
        vec![record(id.0)],
    )
    .fields(vec!["name".into(), "kind".into(), "active".into()]);
    Ok(Audited::new(Some(view(row)), event))
}
