//! Queries on objects, locations and events, each inside an audited
//! transaction. Generic over the family; the rules come from `shared`.

use super::family::{Family, Prepared, Stored};
use super::{links, visibility};
use crate::audit::{AuditEvent, Audited, Operation, Outcome, RecordRef, Tx};
use crate::db::schema::{intelligence_sources, records};
use crate::error::ApiError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{ErrorCode, FieldError};
use shared::page::Page;
use shared::permissions::Permission;
use uuid::Uuid;

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = records)]
pub(crate) struct RecordRow {
    pub id: Uuid,
    pub kind: String,
    pub reference: Option<String>,
    pub occurred_at: Option<DateTime<Utc>>,
    pub status: String,
    pub handling_code: Option<String>,
    pub read_only: bool,
    pub summary: String,
    pub details: serde_json::Value,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sort_at: DateTime<Utc>,
    pub restricted_at: Option<DateTime<Utc>>,
}

impl RecordRow {
    fn stored(self, links: Vec<shared::links::Link>, source_identity: Option<String>) -> Stored {
        Stored {
            id: self.id,
            kind: self.kind,
            reference: self.reference,
            occurred_at: self.occurred_at,
            status: self.status,
            summary: self.summary,
            details: self.details,
            read_only: self.read_only,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            links,
            source_identity,
            statements: Vec::new(),
            restricted: self.restricted_at.is_some(),
        }
    }
}

pub(crate) fn record_ref<F: Family>(id: Uuid) -> RecordRef {
    RecordRef::new(F::NAME, id)
}

/// The next force reference for an event: `SS/000123/26`.
async fn next_reference(tx: &mut Tx, prefix: &str) -> Result<String, ApiError> {
    let n: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "nextval('event_reference_seq')",
    ))
    .get_result(tx.conn()?)
    .await?;
    Ok(format!("{prefix}/{n:06}/{}", Utc::now().format("%y")))
}

fn prefix_of(kind: &str) -> &'static str {
    shared::events::EventKind::parse(kind).map_or("REC", |k| k.prefix())
}

/// Where an import line came from, so a repeated upload skips it.
pub struct Source<'a> {
    pub system: &'a str,
    pub id: &'a str,
}

/// Writes a new record and its links. Returns `None` only for an import
/// line already written by an earlier upload.
pub(crate) async fn insert<F: Family>(
    tx: &mut Tx,
    id: Uuid,
    p: Prepared,
    source: Option<Source<'_>>,
) -> Result<Option<(RecordRow, Vec<AuditEvent>)>, ApiError> {
    let now = Utc::now();
    let reference = match p.occurred_at {
        Some(_) => Some(next_reference(tx, prefix_of(p.kind)).await?),
        None => None,
    };
    let row: Option<RecordRow> = diesel::insert_into(records::table)
        .values((
            records::id.eq(id),
            records::family.eq(F::NAME),
            records::kind.eq(p.kind),
            records::reference.eq(reference),
            records::occurred_at.eq(p.occurred_at),
            records::status.eq(&p.status),
            records::handling_code.eq(p.handling_code),
            records::read_only.eq(p.read_only),
            records::summary.eq(&p.summary),
            records::lookup_key.eq(&p.lookup_key),
            records::details.eq(&p.details),
            records::created_at.eq(now),
            records::updated_at.eq(now),
            records::source_system.eq(source.as_ref().map(|s| s.system)),
            records::source_id.eq(source.as_ref().map(|s| s.id)),
        ))
        .on_conflict_do_nothing()
        .returning(RecordRow::as_returning())
        .get_result(tx.conn()?)
        .await
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    if let Some(identity) = &p.source_identity {
        diesel::insert_into(intelligence_sources::table)
            .values((
                intelligence_sources::event_id.eq(id),
                intelligence_sources::source_identity.eq(identity),
            ))
            .execute(tx.conn()?)
            .await?;
    }
    let me = shared::links::RecordKey {
        record_type: F::RECORD_TYPE,
        id,
    };
    let mut events = vec![AuditEvent::new(
        Operation::Collection,
        F::CREATE,
        vec![record_ref::<F>(id)],
    )];
    for (i, link) in p.links.iter().enumerate() {
        let from = link.from.unwrap_or(me);
        let (_, event) = links::insert(tx, from, link, &format!("links[{i}]")).await?;
        events.push(event);
    }
    Ok(Some((row, events)))
}

pub async fn create<F: Family>(
    tx: &mut Tx,
    id: Uuid,
    p: Prepared,
) -> Result<Audited<F::Output>, ApiError> {
    let has_source = p.source_identity.is_some();
    let (row, events) = insert::<F>(tx, id, p, None)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::Conflict))?;
    let links = links::of(tx, &[id]).await?;
    let source = if has_source && tx.ctx().can(Permission::IntelligenceSource) {
        source_of(tx, id).await?
    } else {
        None
    };
    let output = F::output(row.stored(links, source), tx.ctx())?;
    Ok(Audited::many(output, events))
}

async fn source_of(tx: &mut Tx, id: Uuid) -> Result<Option<String>, ApiError> {
    Ok(intelligence_sources::table
        .find(id)
        .select(intelligence_sources::source_identity)
        .first(tx.conn()?)
        .await
        .optional()?)
}

async fn find<F: Family>(tx: &mut Tx, id: Uuid, lock: bool) -> Result<Option<RecordRow>, ApiError> {
    let query = records::table
        .find(id)
        .filter(records::family.eq(F::NAME))
        .select(RecordRow::as_select());
    let row = if lock {
        query.for_update().first(tx.conn()?).await
    } else {
        query.first(tx.conn()?).await
    };
    Ok(row.optional()?)
}

/// One record with its links, or `None` when there is none the caller may
/// see. A refused look (intelligence beyond the caller's handling codes) is
/// recorded as refused.
pub async fn get<F: Family>(tx: &mut Tx, id: Uuid) -> Result<Audited<Option<F::Output>>, ApiError> {
    let Some(row) = find::<F>(tx, id, false).await? else {
        return Ok(Audited::none());
    };
    let mut event = AuditEvent::new(Operation::Consultation, F::READ, vec![record_ref::<F>(id)]);
    if !visibility::may_see(
        tx.ctx(),
        row.handling_code.as_deref(),
        row.restricted_at.is_some(),
    ) {
        event.outcome = Outcome::Refused;
        return Ok(Audited::new(None, event));
    }
    let links = links::of(tx, &[id]).await?;
    event.records.extend(
        links
            .iter()
            .map(|l| links::far_end(l, id))
            .map(|k| RecordRef::new(k.record_type.as_str(), k.id)),
    );
    let source = if row.handling_code.is_some() && tx.ctx().can(Permission::IntelligenceSource) {
        source_of(tx, id).await?
    } else {
        None
    };
    if source.is_some() {
        event.fields = vec!["source_identity".to_owned()];
    }
    let mut stored = row.stored(links, source);
    stored.statements = crate::rights::rectify::statements_of(tx.conn()?, &[id])
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    Ok(Audited::new(Some(F::output(stored, tx.ctx())?), event))
}

/// Top-level detail names that differ, for an alteration event.
fn changed_fields(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    let empty = serde_json::Map::new();
    let a = before.as_object().unwrap_or(&empty);
    let b = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| format!("details.{k}"))
        .collect()
}

/// Replaces a record's details. `expected` is the version from If-Match.
/// `None` when there is no record the caller may see; an attempt on one
/// beyond their handling codes is recorded as refused.
pub async fn update<F: Family>(
    tx: &mut Tx,
    id: Uuid,
    p: Prepared,
    expected: Option<i32>,
) -> Result<Audited<Option<F::Output>>, ApiError> {
    let Some(current) = find::<F>(tx, id, true).await? else {
        return Ok(Audited::none());
    };
    if !visibility::may_see(
        tx.ctx(),
        current.handling_code.as_deref(),
        current.restricted_at.is_some(),
    ) {
        let mut event =
            AuditEvent::new(Operation::Alteration, F::UPDATE, vec![record_ref::<F>(id)]);
        event.outcome = Outcome::Refused;
        return Ok(Audited::new(None, event));
    }
    if expected.is_some_and(|v| v != current.version) {
        return Err(ApiError::new(ErrorCode::PreconditionFailed));
    }
    if current.read_only {
        return Err(ApiError::new(ErrorCode::Conflict)
            .detail("A legacy record graded 5x5x5 is kept read-only, never converted"));
    }
    if current.kind != p.kind {
        return Err(ApiError::field(FieldError::new(
            "details.kind",
            "cannot_change",
            "A record's kind cannot be changed; record a new one",
        )));
    }
    if !p.links.is_empty() {
        return Err(ApiError::field(FieldError::new(
            "links",
            "not_on_update",
            "Add links with POST /api/v1/links",
        )));
    }
    // Otherwise a guess could be confirmed (no change) or a source overwritten.
    if p.source_identity.is_some() && !tx.ctx().can(Permission::IntelligenceSource) {
        return Err(ApiError::field(FieldError::new(
            "details.source_identity",
            "not_permitted",
            "Only those who may know sources can change a source's identity; leave it out",
        )));
    }
    // Nobody may move a record beyond what they themselves may read.
    if !visibility::may_see(tx.ctx(), p.handling_code, false) {
        return Err(ApiError::field(FieldError::new(
            "details.handling",
            "not_permitted",
            "You could not read the report with that handling code",
        )));
    }
    F::check_update(&current.details, &p).map_err(ApiError::validation)?;
    let mut changed = changed_fields(&current.details, &p.details);
    if p.occurred_at.is_some() && p.occurred_at != current.occurred_at {
        changed.push("occurred_at".to_owned());
    }
    if let Some(identity) = &p.source_identity {
        let before = source_of(tx, id).await?;
        if before.as_deref() != Some(identity.as_str()) {
            changed.push("source_identity".to_owned());
            diesel::insert_into(intelligence_sources::table)
                .values((
                    intelligence_sources::event_id.eq(id),
                    intelligence_sources::source_identity.eq(identity),
                ))
                .on_conflict(intelligence_sources::event_id)
                .do_update()
                .set(intelligence_sources::source_identity.eq(identity))
                .execute(tx.conn()?)
                .await?;
        }
    }
    let row = if changed.is_empty() {
        current
    } else {
        diesel::update(records::table.find(id))
            .set((
                records::occurred_at.eq(p.occurred_at.or(current.occurred_at)),
                records::status.eq(&p.status),
                records::handling_code.eq(p.handling_code),
                records::summary.eq(&p.summary),
                records::lookup_key.eq(&p.lookup_key),
                records::details.eq(&p.details),
                records::version.eq(records::version + 1),
                records::updated_at.eq(Utc::now()),
            ))
            .returning(RecordRow::as_returning())
            .get_result(tx.conn()?)
            .await?
    };
    let links = links::of(tx, &[id]).await?;
    let source = if row.handling_code.is_some() && tx.ctx().can(Permission::IntelligenceSource) {
        source_of(tx, id).await?
    } else {
        None
    };
    let event = if changed.is_empty() {
        // Nothing altered; the caller still sees the record.
        AuditEvent::new(Operation::Consultation, F::READ, vec![record_ref::<F>(id)])
    } else {
        AuditEvent::new(Operation::Alteration, F::UPDATE, vec![record_ref::<F>(id)]).fields(changed)
    };
    Ok(Audited::new(
        Some(F::output(row.stored(links, source), tx.ctx())?),
        event,
    ))
}

/// Where a page of a list starts: after this (time, id).
pub struct Cursor {
    at: DateTime<Utc>,
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
        let (at, id): (DateTime<Utc>, Uuid) = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        // Only times this list could have handed out (and PostgreSQL can hold).
        if !(1800..=9999).contains(&chrono::Datelike::year(&at)) {
            return Err(bad());
        }
        Ok(Self { at, id })
    }

    fn encode(at: DateTime<Utc>, id: Uuid) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&(at, id)).unwrap_or_default())
    }
}

/// What a list may be narrowed and ordered by.
#[derive(Default)]
pub struct ListFilter {
    pub kind: Option<String>,
    pub status: Option<String>,
    /// VRM or postcode prefix, normalised by the family.
    pub lookup_prefix: Option<String>,
    /// Oldest first instead of newest first.
    pub ascending: bool,
    pub after: Option<Cursor>,
}

/// A page of records the caller may see. One consultation event lists every
/// record on the page.
pub async fn list<F: Family>(
    tx: &mut Tx,
    filter: ListFilter,
    limit: u32,
) -> Result<Audited<Page<F::Output>>, ApiError> {
    let mut query = records::table
        .filter(records::family.eq(F::NAME))
        .filter(visibility::visible(tx.ctx()))
        .select(RecordRow::as_select())
        .limit(i64::from(limit) + 1)
        .into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(records::kind.eq(kind));
    }
    if let Some(status) = filter.status {
        query = query.filter(records::status.eq(status));
    }
    if let Some(prefix) = filter.lookup_prefix {
        let escaped = prefix
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        query = query.filter(records::lookup_key.like(format!("{escaped}%")));
    }
    query = match (filter.ascending, filter.after) {
        (false, None) => query.order((records::sort_at.desc(), records::id.desc())),
        (true, None) => query.order((records::sort_at.asc(), records::id.asc())),
        (false, Some(c)) => query
            .filter(
                records::sort_at
                    .lt(c.at)
                    .or(records::sort_at.eq(c.at).and(records::id.lt(c.id))),
            )
            .order((records::sort_at.desc(), records::id.desc())),
        (true, Some(c)) => query
            .filter(
                records::sort_at
                    .gt(c.at)
                    .or(records::sort_at.eq(c.at).and(records::id.gt(c.id))),
            )
            .order((records::sort_at.asc(), records::id.asc())),
    };
    let mut rows: Vec<RecordRow> = query.load(tx.conn()?).await?;
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|r| Cursor::encode(r.sort_at, r.id))
    } else {
        None
    };
    let refs = rows.iter().map(|r| record_ref::<F>(r.id)).collect();
    let items = rows
        .into_iter()
        .map(|r| F::output(r.stored(Vec::new(), None), tx.ctx()))
        .collect::<Result<Vec<_>, _>>()?;
    let event = AuditEvent::new(Operation::Consultation, F::LIST, refs);
    Ok(Audited::new(Page { items, next_cursor }, event))
}

/// Visible records among `ids`, for the person profile (no event here: the
/// profile writes one consultation listing all it shows).
pub(crate) async fn visible_rows(tx: &mut Tx, ids: &[Uuid]) -> Result<Vec<RecordRow>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(records::table
        .filter(records::id.eq_any(ids))
        .filter(visibility::visible(tx.ctx()))
        .select(RecordRow::as_select())
        .load(tx.conn()?)
        .await?)
}
