//! The review itself: the queue of people due, oldest first; what a
//! reviewer needs about one; and the decision. Retaining needs a written
//! rationale and sets the next review; disposing erases the person through
//! the erasure plan (its proposed redactions standing) and certificate.
//! The decision is made on the records as they are: if a new event moved
//! the date since the reviewer read the queue, it is refused.

use super::schedule::{self, event_group};
use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::{legal_holds, people, retention_reviews, retention_schedule};
use crate::error::ApiError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Months, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{ErrorCode, FieldError};
use shared::ids::PersonId;
use shared::page::Page;
use shared::permissions::Permission;
use shared::rights::retention::{
    DueReview, GroupedEvent, MopiGroup, PastReview, RetentionCase, ReviewDecision, ReviewOutcome,
};
use uuid::Uuid;

fn person_ref(id: Uuid) -> RecordRef {
    RecordRef::new("person", id)
}

/// Where a page of the queue ends.
pub fn cursor(at: NaiveDate, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{at}_{id}"))
}

pub fn parse_cursor(raw: &str) -> Result<(NaiveDate, Uuid), ApiError> {
    let bad = || {
        ApiError::field(FieldError::new(
            "after",
            "invalid",
            "Not a cursor from this list",
        ))
    };
    let text = URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(bad)?;
    let (at, id) = text.split_once('_').ok_or_else(bad)?;
    Ok((
        at.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

type DueRow = (
    Uuid,
    String,
    Option<String>,
    Option<NaiveDate>,
    i16,
    NaiveDate,
    NaiveDate,
);

/// People whose review is due by `today`, oldest first. A restricted person
/// is listed only to those who decide restriction.
pub async fn due(
    tx: &mut Tx,
    today: NaiveDate,
    limit: u32,
    after: Option<(NaiveDate, Uuid)>,
) -> Result<Audited<Page<DueReview>>, ApiError> {
    let mut q = retention_schedule::table
        .inner_join(people::table)
        .filter(retention_schedule::next_review_on.le(today))
        .filter(people::merged_into.is_null())
        .select((
            people::id,
            people::surname,
            people::forenames,
            people::date_of_birth,
            retention_schedule::mopi_group,
            retention_schedule::clear_from,
            retention_schedule::next_review_on,
        ))
        .order((retention_schedule::next_review_on, people::id))
        .limit(i64::from(limit) + 1)
        .into_boxed();
    if !tx.ctx().can(Permission::PersonRestrict) {
        q = q.filter(people::restricted_at.is_null());
    }
    if let Some((at, id)) = after {
        q = q.filter(
            retention_schedule::next_review_on
                .gt(at)
                .or(retention_schedule::next_review_on
                    .eq(at)
                    .and(people::id.gt(id))),
        );
    }
    let mut rows: Vec<DueRow> = q.load(tx.conn()?).await?;
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|r| cursor(r.6, r.0))
    } else {
        None
    };
    let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
    let counts: Vec<(Uuid, i64)> = retention_reviews::table
        .filter(retention_reviews::person_id.eq_any(&ids))
        .group_by(retention_reviews::person_id)
        .select((retention_reviews::person_id, diesel::dsl::count_star()))
        .load(tx.conn()?)
        .await?;
    let items = rows
        .into_iter()
        .map(
            |(id, surname, forenames, dob, group, clear_from, next)| DueReview {
                person: PersonId(id),
                surname,
                forenames,
                date_of_birth: dob,
                group,
                clear_from,
                next_review_on: next,
                reviews: counts
                    .iter()
                    .find(|(p, _)| *p == id)
                    .map_or(0, |(_, n)| *n as usize),
            },
        )
        .collect::<Vec<_>>();
    let event = AuditEvent::new(
        Operation::Consultation,
        "retention.due",
        items.iter().map(|d| person_ref(d.person.0)).collect(),
    );
    Ok(Audited::new(Page { items, next_cursor }, event))
}

/// The person's facts worked out now, from their records as they are.
async fn fresh(
    tx: &mut Tx,
    id: Uuid,
) -> Result<
    (
        shared::rights::retention::RetentionFacts,
        Vec<schedule::FactRow>,
    ),
    ApiError,
> {
    let rules = super::rules::current();
    let rows = schedule::rows_of(tx.conn()?, &[id]).await?;
    let facts = schedule::facts(&rows, &rules)
        .remove(&id)
        .ok_or_else(ApiError::not_found)?;
    Ok((facts, rows))
}

/// Everything a reviewer needs about one person.
pub async fn case(tx: &mut Tx, id: PersonId) -> Result<Audited<RetentionCase>, ApiError> {
    let person: Option<(String, Option<String>, Option<NaiveDate>, bool)> = people::table
        .find(id.0)
        .filter(people::merged_into.is_null())
        .select((
            people::surname,
            people::forenames,
            people::date_of_birth,
            people::restricted_at.is_not_null(),
        ))
        .first(tx.conn()?)
        .await
        .optional()?;
    let Some((surname, forenames, dob, restricted)) = person else {
        return Err(ApiError::not_found());
    };
    if restricted && !tx.ctx().can(Permission::PersonRestrict) {
        return Err(ApiError::not_found());
    }
    let (facts, rows) = fresh(tx, id.0).await?;
    let rules = super::rules::current();
    let events: Vec<GroupedEvent> = rows
        .iter()
        .filter_map(|r| {
            Some(GroupedEvent {
                id: r.event?,
                kind: r.kind.clone()?,
                reference: r.reference.clone(),
                occurred_on: r.occurred_on,
                group: event_group(
                    r.kind.as_deref()?,
                    r.codes.as_deref().unwrap_or_default(),
                    r.words.as_deref().unwrap_or_default(),
                    &rules,
                )
                .number(),
            })
        })
        .collect();
    let past: Vec<PastReview> = retention_reviews::table
        .filter(retention_reviews::person_id.eq(id.0))
        .order(retention_reviews::reviewed_at.desc())
        .select((
            retention_reviews::id,
            retention_reviews::reviewed_at,
            retention_reviews::reviewed_by,
            retention_reviews::due_on,
            retention_reviews::mopi_group,
            retention_reviews::yes,
            retention_reviews::decision,
            retention_reviews::rationale,
            retention_reviews::next_review_on,
            retention_reviews::certificate_id,
        ))
        .load::<(
            Uuid,
            chrono::DateTime<Utc>,
            Option<Uuid>,
            NaiveDate,
            i16,
            Vec<String>,
            String,
            Option<String>,
            Option<NaiveDate>,
            Option<Uuid>,
        )>(tx.conn()?)
        .await?
        .into_iter()
        .map(|r| PastReview {
            id: r.0,
            reviewed_at: r.1,
            reviewed_by: r.2,
            due_on: r.3,
            group: r.4,
            yes: r.5,
            decision: r.6,
            rationale: r.7,
            next_review_on: r.8,
            certificate: r.9,
        })
        .collect();
    let mut held_ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
    held_ids.push(id.0);
    let holds: i64 = legal_holds::table
        .filter(legal_holds::record_id.eq_any(&held_ids))
        .filter(legal_holds::lifted_at.is_null())
        .count()
        .get_result(tx.conn()?)
        .await?;
    let reviews = past.len();
    let mut records: Vec<RecordRef> = vec![person_ref(id.0)];
    records.extend(events.iter().map(|e| RecordRef::new("event", e.id)));
    let event = AuditEvent::new(Operation::Consultation, "retention.case", records);
    Ok(Audited::new(
        RetentionCase {
            due: DueReview {
                person: id,
                surname,
                forenames,
                date_of_birth: dob,
                group: facts.group.number(),
                clear_from: facts.clear_from(),
                next_review_on: facts.next_review(),
                reviews,
            },
            retained_until: facts.retained_until,
            events,
            past,
            holds: holds as usize,
        },
        event,
    ))
}

/// How long a retain decision keeps the records by default.
fn period(group: MopiGroup) -> u32 {
    match group {
        MopiGroup::Three => shared::rights::retention::GROUP_THREE_CLEAR_YEARS,
        _ => shared::rights::retention::GROUP_TWO_CLEAR_YEARS,
    }
}

/// What the review decided, and the erasure plan a disposal ran.
pub struct Decided {
    pub outcome: ReviewOutcome,
    pub erasure: Option<crate::erasure::execute::Done>,
}

/// Records the decision on `id`'s review, due on `due_on` as the reviewer
/// saw it.
pub async fn decide(
    tx: &mut Tx,
    id: PersonId,
    decision: ReviewDecision,
    yes: Vec<String>,
    due_on: NaiveDate,
    today: NaiveDate,
) -> Result<Audited<Decided>, ApiError> {
    let locked: Option<bool> = people::table
        .find(id.0)
        .filter(people::merged_into.is_null())
        .select(people::restricted_at.is_not_null())
        .for_update()
        .first(tx.conn()?)
        .await
        .optional()?;
    match locked {
        None => return Err(ApiError::not_found()),
        Some(true) if !tx.ctx().can(Permission::PersonRestrict) => {
            return Err(ApiError::not_found());
        }
        _ => {}
    }
    // Links are locked with the person (a link to them takes a key-share
    // lock on their row), so the facts below are the facts at commit.
    let (facts, _) = fresh(tx, id.0).await?;
    let now_due = facts.next_review();
    if now_due != due_on {
        let mut e = ApiError::new(ErrorCode::Conflict).detail(format!(
            "The review date moved from {due_on} to {now_due} since the queue was read (a new event restarts the clear period): reload and review what is held now"
        ));
        e.fields = vec![FieldError::new("due_on", "moved", format!("Now {now_due}"))];
        return Err(e);
    }
    if now_due > today {
        return Err(ApiError::new(ErrorCode::Conflict).detail(format!("Not due until {now_due}")));
    }
    let review = Uuid::new_v4();
    let by = tx.ctx().actor.id();
    let group = facts.group.number();
    match decision {
        ReviewDecision::Retain {
            rationale,
            next_review_on,
            ..
        } => {
            let next = next_review_on.unwrap_or_else(|| {
                today
                    .checked_add_months(Months::new(12 * period(facts.group)))
                    .unwrap_or(NaiveDate::MAX)
            });
            diesel::insert_into(retention_reviews::table)
                .values((
                    retention_reviews::id.eq(review),
                    retention_reviews::person_id.eq(id.0),
                    retention_reviews::reviewed_by.eq(by),
                    retention_reviews::due_on.eq(due_on),
                    retention_reviews::mopi_group.eq(group),
                    retention_reviews::yes.eq(&yes),
                    retention_reviews::decision.eq("retain"),
                    retention_reviews::rationale.eq(&rationale),
                    retention_reviews::next_review_on.eq(next),
                ))
                .execute(tx.conn()?)
                .await?;
            let mut kept = facts.clone();
            kept.retained_until = Some(next);
            diesel::insert_into(retention_schedule::table)
                .values((
                    retention_schedule::person_id.eq(id.0),
                    retention_schedule::mopi_group.eq(group),
                    retention_schedule::clear_from.eq(kept.clear_from()),
                    retention_schedule::retained_until.eq(next),
                    retention_schedule::next_review_on.eq(kept.next_review()),
                ))
                .on_conflict(retention_schedule::person_id)
                .do_update()
                .set((
                    retention_schedule::mopi_group.eq(group),
                    retention_schedule::clear_from.eq(kept.clear_from()),
                    retention_schedule::retained_until.eq(next),
                    retention_schedule::next_review_on.eq(kept.next_review()),
                ))
                .execute(tx.conn()?)
                .await?;
            let mut fields: Vec<String> = yes.iter().map(|q| format!("yes:{q}")).collect();
            fields.push("rationale".into());
            fields.push("next_review_on".into());
            let event = AuditEvent::new(
                Operation::Alteration,
                "retention.retain",
                vec![person_ref(id.0)],
            )
            .fields(fields);
            Ok(Audited::new(
                Decided {
                    outcome: ReviewOutcome {
                        review,
                        decision: "retain".into(),
                        next_review_on: Some(kept.next_review()),
                        certificate: None,
                    },
                    erasure: None,
                },
                event,
            ))
        }
        ReviewDecision::Dispose => {
            // The review first, so the erasure's redactions reach it too.
            diesel::insert_into(retention_reviews::table)
                .values((
                    retention_reviews::id.eq(review),
                    retention_reviews::person_id.eq(id.0),
                    retention_reviews::reviewed_by.eq(by),
                    retention_reviews::due_on.eq(due_on),
                    retention_reviews::mopi_group.eq(group),
                    retention_reviews::yes.eq(Vec::<String>::new()),
                    retention_reviews::decision.eq("dispose"),
                ))
                .execute(tx.conn()?)
                .await?;
            let plan = crate::erasure::plan::make(tx, id, None, true).await?;
            let plan_id = plan.value().id;
            let done = crate::erasure::execute::execute(tx, plan_id).await?;
            let certificate = done.value().certificate;
            diesel::update(retention_reviews::table.find(review))
                .set(retention_reviews::certificate_id.eq(certificate))
                .execute(tx.conn()?)
                .await?;
            let event = AuditEvent::new(
                Operation::Erasure,
                "retention.dispose",
                vec![person_ref(id.0)],
            )
            .fields(vec![
                format!("review:{review}"),
                format!("certificate:{certificate}"),
            ]);
            let decided = plan.combine(done, |_, done| Decided {
                outcome: ReviewOutcome {
                    review,
                    decision: "dispose".into(),
                    next_review_on: None,
                    certificate: Some(certificate),
                },
                erasure: Some(done),
            });
            Ok(decided.and(event))
        }
    }
}

/// How many are due by `today`, for the command line and the metrics.
pub async fn due_count(
    conn: &mut diesel_async::AsyncPgConnection,
    today: NaiveDate,
) -> QueryResult<i64> {
    retention_schedule::table
        .filter(retention_schedule::next_review_on.le(today))
        .count()
        .get_result(conn)
        .await
}
