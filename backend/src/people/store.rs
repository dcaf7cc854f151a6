//! Queries on people, each inside an audited transaction.

use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::people;
use crate::error::ApiError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{ErrorCode, FieldError};
use shared::ids::PersonId;
use shared::page::Page;
use shared::people::{Gender, Person, ValidPerson};
use uuid::Uuid;

pub const RECORD_TYPE: &str = "person";

#[derive(Queryable, Selectable)]
#[diesel(table_name = people)]
struct PersonRow {
    id: Uuid,
    surname: String,
    forenames: Option<String>,
    date_of_birth: Option<NaiveDate>,
    gender: String,
    version: i32,
    created_at: chrono::DateTime<Utc>,
    updated_at: chrono::DateTime<Utc>,
}

impl From<PersonRow> for Person {
    fn from(r: PersonRow) -> Self {
        Person {
            id: PersonId(r.id),
            surname: r.surname,
            forenames: r.forenames,
            date_of_birth: r.date_of_birth,
            gender: Gender::parse(&r.gender).unwrap_or_default(),
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

fn record(id: Uuid) -> RecordRef {
    RecordRef::new(RECORD_TYPE, id)
}

pub async fn create(tx: &mut Tx, p: ValidPerson) -> Result<Audited<Person>, ApiError> {
    let now = Utc::now();
    let id = Uuid::new_v4();
    let row: PersonRow = diesel::insert_into(people::table)
        .values((
            people::id.eq(id),
            people::surname.eq(p.surname.as_str()),
            people::forenames.eq(p.forenames.as_ref().map(|f| f.as_str())),
            people::date_of_birth.eq(p.date_of_birth),
            people::gender.eq(p.gender.as_str()),
            people::created_at.eq(now),
            people::updated_at.eq(now),
        ))
        .returning(PersonRow::as_returning())
        .get_result(tx.conn()?)
        .await?;
    let event = AuditEvent::new(Operation::Collection, "person.create", vec![record(id)]);
    Ok(Audited::new(row.into(), event))
}

async fn find(tx: &mut Tx, id: Uuid) -> Result<Option<PersonRow>, ApiError> {
    Ok(people::table
        .find(id)
        .select(PersonRow::as_select())
        .first(tx.conn()?)
        .await
        .optional()?)
}

pub async fn get(tx: &mut Tx, id: PersonId) -> Result<Audited<Person>, ApiError> {
    let row = find(tx, id.0).await?.ok_or_else(ApiError::not_found)?;
    let event = AuditEvent::new(Operation::Consultation, "person.read", vec![record(id.0)]);
    Ok(Audited::new(row.into(), event))
}

/// Replaces a person's details. `expected` is the version from If-Match:
/// a stale write is refused rather than silently overwriting a colleague's.
pub async fn update(
    tx: &mut Tx,
    id: PersonId,
    p: ValidPerson,
    expected: Option<i32>,
) -> Result<Audited<Person>, ApiError> {
    let current = people::table
        .find(id.0)
        .select(PersonRow::as_select())
        .for_update()
        .first(tx.conn()?)
        .await
        .optional()?
        .ok_or_else(ApiError::not_found)?;
    if expected.is_some_and(|v| v != current.version) {
        return Err(ApiError::new(ErrorCode::PreconditionFailed));
    }
    let forenames = p.forenames.as_ref().map(|f| f.as_str().to_owned());
    let mut changed = Vec::new();
    if current.surname != p.surname.as_str() {
        changed.push("surname".to_owned());
    }
    if current.forenames != forenames {
        changed.push("forenames".to_owned());
    }
    if current.date_of_birth != p.date_of_birth {
        changed.push("date_of_birth".to_owned());
    }
    if current.gender != p.gender.as_str() {
        changed.push("gender".to_owned());
    }
    if changed.is_empty() {
        // Nothing altered; the caller still sees the record.
        let event = AuditEvent::new(Operation::Consultation, "person.read", vec![record(id.0)]);
        return Ok(Audited::new(current.into(), event));
    }
    let row: PersonRow = diesel::update(people::table.find(id.0))
        .set((
            people::surname.eq(p.surname.as_str()),
            people::forenames.eq(forenames),
            people::date_of_birth.eq(p.date_of_birth),
            people::gender.eq(p.gender.as_str()),
            people::version.eq(people::version + 1),
            people::updated_at.eq(Utc::now()),
        ))
        .returning(PersonRow::as_returning())
        .get_result(tx.conn()?)
        .await?;
    let event =
        AuditEvent::new(Operation::Alteration, "person.update", vec![record(id.0)]).fields(changed);
    Ok(Audited::new(row.into(), event))
}

/// Where a page of the list starts: after this (surname key, id).
pub struct Cursor {
    surname_key: String,
    id: Uuid,
}

impl Cursor {
    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let bad = || ApiError::field(FieldError::new("cursor", "invalid", "Not a cursor from this list"));
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?;
        let (surname_key, id): (String, Uuid) = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        Ok(Self { surname_key, id })
    }

    fn encode(surname_key: &str, id: Uuid) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&(surname_key, id)).unwrap_or_default())
    }
}

/// People in surname order, optionally those whose surname starts with
/// `prefix`, one page at a time. One consultation event lists every person
/// on the page.
pub async fn list(
    tx: &mut Tx,
    prefix: Option<String>,
    after: Option<Cursor>,
    limit: u32,
) -> Result<Audited<Page<Person>>, ApiError> {
    let mut query = people::table
        .select((PersonRow::as_select(), people::surname_key))
        .order((people::surname_key.asc(), people::id.asc()))
        .limit(i64::from(limit) + 1)
        .into_boxed();
    if let Some(prefix) = prefix {
        let escaped = prefix
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        query = query.filter(people::surname_key.like(format!("{escaped}%")));
    }
    if let Some(c) = after {
        query = query.filter(
            people::surname_key
                .gt(c.surname_key.clone())
                .or(people::surname_key.eq(c.surname_key).and(people::id.gt(c.id))),
        );
    }
    let mut rows: Vec<(PersonRow, String)> = query.load(tx.conn()?).await?;
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|(r, key)| Cursor::encode(key, r.id))
    } else {
        None
    };
    let records = rows.iter().map(|(r, _)| record(r.id)).collect();
    let items: Vec<Person> = rows.into_iter().map(|(r, _)| r.into()).collect();
    let event = AuditEvent::new(Operation::Consultation, "person.list", records);
    Ok(Audited::new(Page { items, next_cursor }, event))
}
