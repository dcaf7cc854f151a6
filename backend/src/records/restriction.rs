//! Restriction of any record, and legal holds (DPA 2018 s.47(2)). A
//! restricted record is out of ordinary processing: absent from search,
//! lists, profiles and links for everyone but those who decide restriction
//! (`record.restrict`). A legal hold keeps an item that an erasure would
//! take; the erasure restricts it instead. Both carry the reason, who
//! decided, and when to look again; placing and lifting each is logged.

use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::{legal_holds, people, records};
use crate::error::ApiError;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::links::{RecordKey, RecordType};
use shared::rights::rectification::ChangeKind;
use shared::rights::restriction::{LegalHold, Restriction, ValidRestriction};
use uuid::Uuid;

type PersonRestriction = (
    Uuid,
    DateTime<Utc>,
    Option<String>,
    Option<NaiveDate>,
    Option<Uuid>,
    Option<Uuid>,
);
type HoldRow = (
    Uuid,
    String,
    Uuid,
    String,
    NaiveDate,
    Option<Uuid>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

fn refs(record: RecordKey) -> Vec<RecordRef> {
    vec![RecordRef::new(record.record_type.as_str(), record.id)]
}

type Held = (
    Option<DateTime<Utc>>,
    Option<String>,
    Option<NaiveDate>,
    Option<Uuid>,
    Option<Uuid>,
    String,
    Option<String>,
);

/// The ground and the reason, stored together as `ground: reason`.
fn ground_and_reason(stored: Option<String>) -> (Option<String>, Option<String>) {
    let Some(text) = stored else {
        return (None, None);
    };
    for ground in ["accuracy_contested", "needed_as_evidence"] {
        if let Some(rest) = text.strip_prefix(&format!("{ground}: ")) {
            return (Some(ground.to_owned()), Some(rest.to_owned()));
        }
    }
    (None, Some(text))
}

async fn current(tx: &mut Tx, record: RecordKey) -> Result<Option<Held>, ApiError> {
    Ok(if record.record_type == RecordType::Person {
        people::table
            .find(record.id)
            .filter(people::merged_into.is_null())
            .select((
                people::restricted_at,
                people::restriction_reason,
                people::restriction_review_on,
                people::restricted_by,
                people::restriction_request,
                diesel::dsl::sql::<diesel::sql_types::Text>("'person'"),
                diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>("NULL"),
            ))
            .first(tx.conn()?)
            .await
            .optional()?
    } else {
        records::table
            .find(record.id)
            .filter(records::family.eq(record.record_type.as_str()))
            .select((
                records::restricted_at,
                records::restriction_reason,
                records::restriction_review_on,
                records::restricted_by,
                records::restriction_request,
                records::kind,
                records::reference,
            ))
            .first(tx.conn()?)
            .await
            .optional()?
    })
}

fn view(record: RecordKey, h: Held) -> Option<Restriction> {
    let (ground, reason) = ground_and_reason(h.1);
    Some(Restriction {
        record,
        kind: h.5,
        reference: h.6,
        ground,
        restricted_at: h.0?,
        reason,
        review_on: h.2,
        restricted_by: h.3,
        request: h.4,
    })
}

/// Restricts a record (or changes the reason and review date of its
/// restriction). Earlier recipients are owed a letter when a request asked.
pub async fn restrict(
    tx: &mut Tx,
    record: RecordKey,
    r: ValidRestriction,
) -> Result<Audited<Restriction>, ApiError> {
    let Some(before) = current(tx, record).await? else {
        return Err(ApiError::not_found());
    };
    if let Some(request) = r.request {
        // The request must exist; its clock and case show the restriction.
        super::super::rights::store::note(
            tx,
            request,
            "Restricted",
            Some(format!("{} {}", record.record_type.as_str(), record.id)),
        )
        .await?;
    }
    let now = before.0.unwrap_or_else(Utc::now);
    let by = tx.ctx().actor.id();
    let reason = format!("{}: {}", r.ground.as_str(), r.reason);
    if record.record_type == RecordType::Person {
        diesel::update(people::table.find(record.id))
            .set((
                people::restricted_at.eq(now),
                people::restriction_reason.eq(&reason),
                people::restriction_review_on.eq(r.review_on),
                people::restricted_by.eq(by),
                people::restriction_request.eq(r.request),
                people::version.eq(people::version + 1),
                people::updated_at.eq(Utc::now()),
            ))
            .execute(tx.conn()?)
            .await?;
    } else {
        diesel::update(records::table.find(record.id))
            .set((
                records::restricted_at.eq(now),
                records::restriction_reason.eq(&reason),
                records::restriction_review_on.eq(r.review_on),
                records::restricted_by.eq(by),
                records::restriction_request.eq(r.request),
                records::version.eq(records::version + 1),
                records::updated_at.eq(Utc::now()),
            ))
            .execute(tx.conn()?)
            .await?;
    }
    if before.0.is_none() {
        let reference = if record.record_type == RecordType::Person {
            None
        } else {
            records::table
                .find(record.id)
                .select(records::reference)
                .first::<Option<String>>(tx.conn()?)
                .await?
        };
        crate::rights::notify::owe(
            tx.conn()?,
            r.request,
            ChangeKind::Restriction,
            &[(record, reference)],
        )
        .await?;
    }
    let after = current(tx, record).await?.and_then(|h| view(record, h));
    let event =
        AuditEvent::new(Operation::Restriction, "record.restrict", refs(record)).fields(vec![
            "restricted".into(),
            format!("ground:{}", r.ground.as_str()),
            "review_on".into(),
        ]);
    let after = after.ok_or_else(|| ApiError::internal("restriction not written"))?;
    Ok(Audited::new(after, event))
}

/// Lifts a restriction: the record is back in ordinary processing.
pub async fn lift(tx: &mut Tx, record: RecordKey) -> Result<Audited<()>, ApiError> {
    let Some(before) = current(tx, record).await? else {
        return Err(ApiError::not_found());
    };
    if before.0.is_none() {
        return Err(ApiError::new(shared::error::ErrorCode::Conflict)
            .detail("The record is not restricted"));
    }
    if record.record_type == RecordType::Person {
        diesel::update(people::table.find(record.id))
            .set((
                people::restricted_at.eq(None::<DateTime<Utc>>),
                people::restriction_reason.eq(None::<String>),
                people::restriction_review_on.eq(None::<NaiveDate>),
                people::restricted_by.eq(None::<Uuid>),
                people::restriction_request.eq(None::<Uuid>),
                people::version.eq(people::version + 1),
                people::updated_at.eq(Utc::now()),
            ))
            .execute(tx.conn()?)
            .await?;
    } else {
        diesel::update(records::table.find(record.id))
            .set((
                records::restricted_at.eq(None::<DateTime<Utc>>),
                records::restriction_reason.eq(None::<String>),
                records::restriction_review_on.eq(None::<NaiveDate>),
                records::restricted_by.eq(None::<Uuid>),
                records::restriction_request.eq(None::<Uuid>),
                records::version.eq(records::version + 1),
                records::updated_at.eq(Utc::now()),
            ))
            .execute(tx.conn()?)
            .await?;
    }
    let event = AuditEvent::new(Operation::Restriction, "record.unrestrict", refs(record))
        .fields(vec!["restricted".into()]);
    Ok(Audited::new((), event))
}

/// Every restricted record and person, soonest review first.
pub async fn list(tx: &mut Tx) -> Result<Audited<Vec<Restriction>>, ApiError> {
    type Row = (
        Uuid,
        String,
        String,
        DateTime<Utc>,
        Option<String>,
        Option<NaiveDate>,
        Option<Uuid>,
        Option<Uuid>,
        Option<String>,
    );
    let rows: Vec<Row> = records::table
        .filter(records::restricted_at.is_not_null())
        .select((
            records::id,
            records::family,
            records::kind,
            records::restricted_at.assume_not_null(),
            records::restriction_reason,
            records::restriction_review_on,
            records::restricted_by,
            records::restriction_request,
            records::reference,
        ))
        .load(tx.conn()?)
        .await?;
    let people_rows: Vec<PersonRestriction> = people::table
        .filter(people::restricted_at.is_not_null())
        .filter(people::merged_into.is_null())
        .select((
            people::id,
            people::restricted_at.assume_not_null(),
            people::restriction_reason,
            people::restriction_review_on,
            people::restricted_by,
            people::restriction_request,
        ))
        .load(tx.conn()?)
        .await?;
    let mut out: Vec<Restriction> = rows
        .into_iter()
        .map(
            |(id, family, kind, at, reason, review_on, by, request, reference)| {
                let (ground, reason) = ground_and_reason(reason);
                Restriction {
                    record: RecordKey {
                        record_type: RecordType::parse(&family).unwrap_or(RecordType::Event),
                        id,
                    },
                    kind,
                    reference,
                    ground,
                    restricted_at: at,
                    reason,
                    review_on,
                    restricted_by: by,
                    request,
                }
            },
        )
        .collect();
    out.extend(
        people_rows
            .into_iter()
            .map(|(id, at, reason, review_on, by, request)| {
                let (ground, reason) = ground_and_reason(reason);
                Restriction {
                    record: RecordKey {
                        record_type: RecordType::Person,
                        id,
                    },
                    kind: "person".into(),
                    reference: None,
                    ground,
                    restricted_at: at,
                    reason,
                    review_on,
                    restricted_by: by,
                    request,
                }
            }),
    );
    out.sort_by_key(|r| (r.review_on.unwrap_or(NaiveDate::MAX), r.record.id));
    let event = AuditEvent::new(
        Operation::Consultation,
        "record.restrictions",
        out.iter()
            .map(|r| RecordRef::new(r.record.record_type.as_str(), r.record.id))
            .collect(),
    );
    Ok(Audited::new(out, event))
}

fn hold_view(row: HoldRow) -> LegalHold {
    LegalHold {
        kind: None,
        reference: None,
        id: row.0,
        record: RecordKey {
            record_type: RecordType::parse(&row.1).unwrap_or(RecordType::Event),
            id: row.2,
        },
        reason: row.3,
        review_on: row.4,
        placed_by: row.5,
        placed_at: row.6,
        lifted_at: row.7,
    }
}

macro_rules! hold_columns {
    () => {
        (
            legal_holds::id,
            legal_holds::record_type,
            legal_holds::record_id,
            legal_holds::reason,
            legal_holds::review_on,
            legal_holds::placed_by,
            legal_holds::placed_at,
            legal_holds::lifted_at,
        )
    };
}

/// Places a hold on a record or person.
pub async fn hold(
    tx: &mut Tx,
    record: RecordKey,
    reason: String,
    review_on: NaiveDate,
) -> Result<Audited<LegalHold>, ApiError> {
    if current(tx, record).await?.is_none() {
        return Err(ApiError::field(shared::error::FieldError::new(
            "record",
            "unknown",
            "No record of that type has that id",
        )));
    }
    let id = Uuid::new_v4();
    let row = diesel::insert_into(legal_holds::table)
        .values((
            legal_holds::id.eq(id),
            legal_holds::record_type.eq(record.record_type.as_str()),
            legal_holds::record_id.eq(record.id),
            legal_holds::reason.eq(&reason),
            legal_holds::review_on.eq(review_on),
            legal_holds::placed_by.eq(tx.ctx().actor.id()),
        ))
        .returning(hold_columns!())
        .get_result(tx.conn()?)
        .await?;
    let event = AuditEvent::new(Operation::Restriction, "legal_hold.place", refs(record))
        .fields(vec![format!("legal_hold:{id}")]);
    let mut hold = hold_view(row);
    name_holds(tx, std::slice::from_mut(&mut hold)).await?;
    Ok(Audited::new(hold, event))
}

/// Lifts a hold.
pub async fn release_hold(tx: &mut Tx, id: Uuid) -> Result<Audited<LegalHold>, ApiError> {
    let row = diesel::update(
        legal_holds::table
            .find(id)
            .filter(legal_holds::lifted_at.is_null()),
    )
    .set((
        legal_holds::lifted_at.eq(Utc::now()),
        legal_holds::lifted_by.eq(tx.ctx().actor.id()),
    ))
    .returning(hold_columns!())
    .get_result(tx.conn()?)
    .await
    .optional()?
    .ok_or_else(ApiError::not_found)?;
    let mut hold = hold_view(row);
    name_holds(tx, std::slice::from_mut(&mut hold)).await?;
    let event = AuditEvent::new(Operation::Restriction, "legal_hold.lift", refs(hold.record))
        .fields(vec![format!("legal_hold:{id}")]);
    Ok(Audited::new(hold, event))
}

/// Holds in force, soonest review first.
pub async fn holds(tx: &mut Tx) -> Result<Audited<Vec<LegalHold>>, ApiError> {
    let rows = legal_holds::table
        .filter(legal_holds::lifted_at.is_null())
        .order((legal_holds::review_on, legal_holds::id))
        .select(hold_columns!())
        .load(tx.conn()?)
        .await?;
    let mut list: Vec<LegalHold> = rows.into_iter().map(hold_view).collect();
    name_holds(tx, &mut list).await?;
    let event = AuditEvent::new(
        Operation::Consultation,
        "legal_hold.list",
        list.iter()
            .map(|h| RecordRef::new(h.record.record_type.as_str(), h.record.id))
            .collect(),
    );
    Ok(Audited::new(list, event))
}

/// The kind and force reference of each held record that still exists.
async fn name_holds(tx: &mut Tx, holds: &mut [LegalHold]) -> Result<(), ApiError> {
    let ids: Vec<Uuid> = holds.iter().map(|h| h.record.id).collect();
    let found: Vec<(Uuid, String, Option<String>)> = records::table
        .filter(records::id.eq_any(&ids))
        .select((records::id, records::kind, records::reference))
        .load(tx.conn()?)
        .await?;
    for h in holds.iter_mut() {
        if h.record.record_type == RecordType::Person {
            h.kind = Some("person".into());
        } else if let Some((_, kind, reference)) =
            found.iter().find(|(id, _, _)| *id == h.record.id)
        {
            h.kind = Some(kind.clone());
            h.reference = reference.clone();
        }
    }
    Ok(())
}
