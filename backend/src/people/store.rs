//! Queries on people, each inside an audited transaction.

use crate::audit::{AuditEvent, Audited, Operation, Outcome, RecordRef, Tx};
use crate::auth::RequestContext;
use crate::db::schema::people;
use crate::error::ApiError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{ErrorCode, FieldError};
use shared::ids::PersonId;
use shared::page::Page;
use shared::people::keys::{first_forename_key, name_key};
use shared::people::{Gender, Person, PersonDetails, ValidPerson};
use shared::permissions::Permission;
use uuid::Uuid;

const RECORD_TYPE: &str = "person";

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
    restricted_at: Option<chrono::DateTime<Utc>>,
    merged_into: Option<Uuid>,
    details: serde_json::Value,
    pnc_id: Option<String>,
    cro_number: Option<String>,
}

/// The stored form of a person's further details: the identifiers have
/// columns of their own (looked up directly), the rest is one JSON value.
pub(crate) struct StoredDetails {
    pub json: serde_json::Value,
    pub pnc_id: Option<String>,
    pub cro_number: Option<String>,
}

impl StoredDetails {
    pub fn of(details: &PersonDetails) -> Self {
        let mut rest = details.clone();
        let pnc_id = Some(std::mem::take(&mut rest.pnc_id)).filter(|p| !p.is_empty());
        let cro_number = Some(std::mem::take(&mut rest.cro_number)).filter(|c| !c.is_empty());
        Self {
            json: serde_json::to_value(&rest).unwrap_or_default(),
            pnc_id,
            cro_number,
        }
    }
}

/// Surname and first-forename keys for the duplicate check.
pub(crate) fn keys_of(p: &ValidPerson) -> (String, String) {
    (
        name_key(p.surname.as_str()),
        p.forenames
            .as_ref()
            .map(|f| first_forename_key(f.as_str()))
            .unwrap_or_default(),
    )
}

/// The names of the details that differ, for an alteration event.
fn changed_details(before: &PersonDetails, after: &PersonDetails) -> Vec<String> {
    let (a, b) = (
        serde_json::to_value(before).unwrap_or_default(),
        serde_json::to_value(after).unwrap_or_default(),
    );
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return vec!["details".to_owned()];
    };
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| format!("details.{k}"))
        .collect()
}

/// Who may see which people: the one rule that reads, lists and (later)
/// search all apply (DESIGN-NOTES §6). Merged duplicates never appear in
/// lists; restricted people are out of ordinary processing (s.47) and only
/// those who decide restriction see them.
fn may_see(ctx: &RequestContext, row: &PersonRow) -> bool {
    row.restricted_at.is_none() || ctx.can(Permission::PersonRestrict)
}

fn visible_in_lists(
    ctx: &RequestContext,
) -> Box<dyn BoxableExpression<people::table, Pg, SqlType = diesel::sql_types::Bool>> {
    if ctx.can(Permission::PersonRestrict) {
        Box::new(people::merged_into.is_null())
    } else {
        Box::new(
            people::merged_into
                .is_null()
                .and(people::restricted_at.is_null()),
        )
    }
}

impl PersonRow {
    fn person_details(&self) -> PersonDetails {
        let mut d: PersonDetails = serde_json::from_value(self.details.clone()).unwrap_or_default();
        d.pnc_id = self.pnc_id.clone().unwrap_or_default();
        d.cro_number = self.cro_number.clone().unwrap_or_default();
        d
    }
}

impl From<PersonRow> for Person {
    fn from(r: PersonRow) -> Self {
        let details = r.person_details();
        Person {
            id: PersonId(r.id),
            surname: r.surname,
            forenames: r.forenames,
            date_of_birth: r.date_of_birth,
            gender: Gender::parse(&r.gender).unwrap_or_default(),
            details,
            version: r.version,
            restricted: r.restricted_at.is_some(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            statements: Vec::new(),
        }
    }
}

fn record(id: Uuid) -> RecordRef {
    RecordRef::new(RECORD_TYPE, id)
}

pub async fn create(tx: &mut Tx, id: Uuid, p: ValidPerson) -> Result<Audited<Person>, ApiError> {
    let now = Utc::now();
    let stored = StoredDetails::of(&p.details);
    let (surname_key, forename_key) = keys_of(&p);
    let row: PersonRow = diesel::insert_into(people::table)
        .values((
            people::id.eq(id),
            people::surname.eq(p.surname.as_str()),
            people::forenames.eq(p.forenames.as_ref().map(|f| f.as_str())),
            people::date_of_birth.eq(p.date_of_birth),
            people::gender.eq(p.gender.as_str()),
            people::created_at.eq(now),
            people::updated_at.eq(now),
            people::details.eq(stored.json),
            people::pnc_id.eq(stored.pnc_id),
            people::cro_number.eq(stored.cro_number),
            people::name_key.eq(surname_key),
            people::forename_key.eq(forename_key),
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

/// Follows merges to the surviving record (old ids keep resolving).
async fn find_current(tx: &mut Tx, id: Uuid) -> Result<Option<PersonRow>, ApiError> {
    let mut current = find(tx, id).await?;
    for _ in 0..8 {
        match current.as_ref().and_then(|r| r.merged_into) {
            Some(survivor) => current = find(tx, survivor).await?,
            None => break,
        }
    }
    Ok(current)
}

/// One person, or `None` when there is none the caller may see. A refused
/// look at a restricted person is itself recorded.
pub async fn get(tx: &mut Tx, id: PersonId) -> Result<Audited<Option<Person>>, ApiError> {
    let row = find_current(tx, id.0).await?;
    let Some(row) = row else {
        return Ok(Audited::none());
    };
    let mut records = vec![record(row.id)];
    if row.id != id.0 {
        records.push(record(id.0));
    }
    let mut event = AuditEvent::new(Operation::Consultation, "person.read", records);
    if !may_see(tx.ctx(), &row) {
        event.outcome = Outcome::Refused;
        return Ok(Audited::new(None, event));
    }
    let mut person: Person = row.into();
    person.statements = crate::rights::rectify::statements_of(tx.conn()?, &[person.id.0])
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    Ok(Audited::new(Some(person), event))
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
        .filter(|r| r.merged_into.is_none() && r.restricted_at.is_none())
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
    changed.extend(changed_details(&current.person_details(), &p.details));
    let stored = StoredDetails::of(&p.details);
    let (surname_key, forename_key) = keys_of(&p);
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
            people::details.eq(stored.json),
            people::pnc_id.eq(stored.pnc_id),
            people::cro_number.eq(stored.cro_number),
            people::name_key.eq(surname_key),
            people::forename_key.eq(forename_key),
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
        let bad = || {
            ApiError::field(FieldError::new(
                "cursor",
                "invalid",
                "Not a cursor from this list",
            ))
        };
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?;
        let (surname_key, id): (String, Uuid) =
            serde_json::from_slice(&bytes).map_err(|_| bad())?;
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
    descending: bool,
    limit: u32,
) -> Result<Audited<Page<Person>>, ApiError> {
    let mut query = people::table
        .filter(visible_in_lists(tx.ctx()))
        .select((PersonRow::as_select(), people::surname_key))
        .limit(i64::from(limit) + 1)
        .into_boxed();
    query = if descending {
        query.order((people::surname_key.desc(), people::id.desc()))
    } else {
        query.order((people::surname_key.asc(), people::id.asc()))
    };
    if let Some(prefix) = prefix {
        let escaped = prefix
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        query = query.filter(people::surname_key.like(format!("{escaped}%")));
    }
    match after {
        Some(c) if descending => {
            query = query.filter(
                people::surname_key
                    .lt(c.surname_key.clone())
                    .or(people::surname_key
                        .eq(c.surname_key)
                        .and(people::id.lt(c.id))),
            )
        }
        Some(c) => {
            query = query.filter(
                people::surname_key
                    .gt(c.surname_key.clone())
                    .or(people::surname_key
                        .eq(c.surname_key)
                        .and(people::id.gt(c.id))),
            )
        }
        None => {}
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

/// Hands a person's record to a named organisation: a disclosure naming the
/// recipient and every field sent.
pub async fn disclose(
    tx: &mut Tx,
    id: PersonId,
    recipient: String,
) -> Result<Audited<Option<Person>>, ApiError> {
    let Some(row) = find_current(tx, id.0).await? else {
        return Ok(Audited::none());
    };
    let mut event = AuditEvent::new(
        Operation::Disclosure,
        "person.disclose",
        vec![record(row.id)],
    )
    .fields(
        ["surname", "forenames", "date_of_birth", "gender", "details"]
            .map(str::to_owned)
            .to_vec(),
    );
    event.recipients = vec![recipient];
    if !may_see(tx.ctx(), &row) {
        // Refused, and recorded as refused, like a refused read.
        event.outcome = Outcome::Refused;
        return Ok(Audited::new(None, event));
    }
    let mut person: Person = row.into();
    person.statements = crate::rights::rectify::statements_of(tx.conn()?, &[person.id.0])
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    Ok(Audited::new(Some(person), event))
}

/// Restricts (or lifts the restriction of) a person.
pub async fn set_restricted(
    tx: &mut Tx,
    id: PersonId,
    ground: Option<&'static str>,
) -> Result<Audited<Person>, ApiError> {
    let restricting = ground.is_some();
    let row: PersonRow = diesel::update(
        people::table
            .find(id.0)
            .filter(people::merged_into.is_null()),
    )
    .set((
        people::restricted_at.eq(restricting.then(Utc::now)),
        people::version.eq(people::version + 1),
        people::updated_at.eq(Utc::now()),
    ))
    .returning(PersonRow::as_returning())
    .get_result(tx.conn()?)
    .await
    .optional()?
    .ok_or_else(ApiError::not_found)?;
    let action = if restricting {
        "person.restrict"
    } else {
        "person.unrestrict"
    };
    let mut fields = vec!["restricted".to_owned()];
    if let Some(ground) = ground {
        fields.push(format!("ground:{ground}"));
    }
    let event = AuditEvent::new(Operation::Restriction, action, vec![record(id.0)]).fields(fields);
    Ok(Audited::new(row.into(), event))
}

/// Folds a duplicate into the survivor. The duplicate's row stays, marked,
/// so its id resolves to the survivor and the provenance is kept.
pub async fn merge(
    tx: &mut Tx,
    survivor: PersonId,
    duplicate: PersonId,
) -> Result<Audited<Person>, ApiError> {
    if survivor == duplicate {
        return Err(ApiError::field(FieldError::new(
            "duplicate",
            "same_person",
            "A record cannot be merged into itself",
        )));
    }
    // Lock both, in id order, so two opposite merges at once cannot both
    // pass the checks below and leave a cycle.
    let mut locked: Vec<PersonRow> = people::table
        .filter(people::id.eq_any([survivor.0, duplicate.0]))
        .order(people::id)
        .select(PersonRow::as_select())
        .for_update()
        .load(tx.conn()?)
        .await?;
    let live = |r: &PersonRow| r.merged_into.is_none() && r.restricted_at.is_none();
    let position = |id: Uuid, rows: &[PersonRow]| rows.iter().position(|r| r.id == id);
    let mut kept = position(survivor.0, &locked)
        .map(|i| locked.swap_remove(i))
        .ok_or_else(ApiError::not_found)?;
    // Merged away meanwhile (perhaps the other way round): say where it went.
    if let Some(into) = kept.merged_into {
        return Err(ApiError::new(ErrorCode::Conflict).detail(format!(
            "This record was merged into {into}; merge into that record instead"
        )));
    }
    if !live(&kept) {
        return Err(ApiError::not_found());
    }
    if !locked.iter().any(|r| r.id == duplicate.0 && live(r)) {
        return Err(ApiError::field(FieldError::new(
            "duplicate",
            "not_found",
            "No such person, or already merged or restricted",
        )));
    }
    // Anything already folded into the duplicate now points at the survivor.
    diesel::update(people::table.filter(people::merged_into.eq(duplicate.0)))
        .set(people::merged_into.eq(survivor.0))
        .execute(tx.conn()?)
        .await?;
    let now = Utc::now();
    diesel::update(people::table.find(duplicate.0))
        .set((
            people::merged_into.eq(survivor.0),
            people::updated_at.eq(now),
        ))
        .execute(tx.conn()?)
        .await?;
    // The survivor now answers to the duplicate's names too: touching it
    // queues its search document to be rebuilt with them.
    diesel::update(people::table.find(survivor.0))
        .set(people::updated_at.eq(now))
        .execute(tx.conn()?)
        .await?;
    kept.updated_at = now;
    let event = AuditEvent::new(
        Operation::Combination,
        "person.merge",
        vec![record(survivor.0), record(duplicate.0)],
    )
    .fields(vec!["merged_into".to_owned()]);
    Ok(Audited::new(kept.into(), event))
}

/// What an id resolves to, for views that compose a person with their links.
pub(crate) enum Resolved {
    Missing,
    /// Exists but the caller may not see it (restricted).
    Refused(Uuid),
    /// The current person and every id folded into them by merges.
    Visible(Box<Person>, Vec<Uuid>),
}

pub(crate) async fn resolve(tx: &mut Tx, id: PersonId) -> Result<Resolved, ApiError> {
    let Some(row) = find_current(tx, id.0).await? else {
        return Ok(Resolved::Missing);
    };
    if !may_see(tx.ctx(), &row) {
        return Ok(Resolved::Refused(row.id));
    }
    let mut ids = vec![row.id];
    ids.extend(
        people::table
            .filter(people::merged_into.eq(row.id))
            .select(people::id)
            .load::<Uuid>(tx.conn()?)
            .await?,
    );
    Ok(Resolved::Visible(Box::new(row.into()), ids))
}

/// Likely duplicates of a person about to be recorded: the same surname key
/// and date of birth (or the same names when the date is not known), and
/// aliases with the same date of birth. Only people the caller may see.
pub async fn duplicates(
    tx: &mut Tx,
    surname_key: String,
    forename_key: String,
    date_of_birth: Option<NaiveDate>,
) -> Result<Audited<Vec<shared::people::DuplicateCandidate>>, ApiError> {
    const MOST: i64 = 20;
    let mut query = people::table
        .filter(visible_in_lists(tx.ctx()))
        .select(PersonRow::as_select())
        .limit(MOST)
        .into_boxed();
    query = match date_of_birth {
        Some(dob) => query
            .filter(people::date_of_birth.eq(dob))
            .filter(people::name_key.eq(&surname_key)),
        None => query
            .filter(people::name_key.eq(&surname_key))
            .filter(people::forename_key.eq(&forename_key)),
    };
    let rows: Vec<PersonRow> = query.load(tx.conn()?).await?;
    let mut found: Vec<shared::people::DuplicateCandidate> = Vec::new();
    for row in rows {
        let reason = if date_of_birth.is_some() {
            "same_name_and_date_of_birth"
        } else {
            "same_name_no_date_of_birth"
        };
        found.push(shared::people::DuplicateCandidate {
            person: row.into(),
            reason: reason.to_owned(),
        });
    }
    // Aliases: people whose alias carries the surname and share a date of birth.
    if let Some(dob) = date_of_birth {
        let alias_rows: Vec<PersonRow> = people::table
            .filter(visible_in_lists(tx.ctx()))
            .filter(people::date_of_birth.eq(dob))
            .filter(people::name_key.ne(&surname_key))
            .filter(people::details.contains(serde_json::json!({"aliases": [{}]})))
            .select(PersonRow::as_select())
            .limit(MOST)
            .load(tx.conn()?)
            .await?;
        for row in alias_rows {
            let details = row.person_details();
            if details
                .aliases
                .iter()
                .any(|a| name_key(&a.surname) == surname_key)
                && !found.iter().any(|f| f.person.id.0 == row.id)
            {
                found.push(shared::people::DuplicateCandidate {
                    person: row.into(),
                    reason: "alias_and_date_of_birth".to_owned(),
                });
            }
        }
    }
    let event = AuditEvent::new(
        Operation::Consultation,
        "person.duplicate_check",
        found.iter().map(|f| record(f.person.id.0)).collect(),
    );
    Ok(Audited::new(found, event))
}
