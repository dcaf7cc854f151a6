//! Rights requests as cases: created, read, moved through their states,
//! their clock kept, their subjects attached. Every function runs inside an
//! audited transaction and says what it did to the case.

use super::{Case, CaseRow, record};
use crate::audit::{AuditEvent, Audited, Operation, Tx};
use crate::db::schema::{
    people, rights_request_subjects, rights_request_timeline, rights_requests, users,
};
use crate::error::ApiError;
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{ErrorCode, FieldError};
use shared::ids::PersonId;
use shared::rights::{
    Identity, RequestKind, RequestStatus, RequestSummary, RightsRequest, Subject, TimelineEntry,
    ValidRequest,
};
use uuid::Uuid;

/// Appends a step to the case's timeline: who, when, what.
pub async fn note(
    tx: &mut Tx,
    id: Uuid,
    what: &str,
    detail: Option<String>,
) -> Result<(), ApiError> {
    let actor = tx.ctx().actor.id();
    diesel::insert_into(rights_request_timeline::table)
        .values((
            rights_request_timeline::request_id.eq(id),
            rights_request_timeline::actor_id.eq(actor),
            rights_request_timeline::what.eq(what),
            rights_request_timeline::detail.eq(detail),
        ))
        .execute(tx.conn()?)
        .await?;
    Ok(())
}

/// The case row, locked for a change when `for_update`.
pub async fn row(tx: &mut Tx, id: Uuid, for_update: bool) -> Result<CaseRow, ApiError> {
    let q = rights_requests::table.find(id).select(CaseRow::as_select());
    let found = if for_update {
        q.for_update().first(tx.conn()?).await.optional()?
    } else {
        q.first(tx.conn()?).await.optional()?
    };
    found.ok_or_else(ApiError::not_found)
}

fn prefix(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Access => "SAR",
        _ => "RR",
    }
}

pub async fn create(
    tx: &mut Tx,
    input: ValidRequest,
    today: NaiveDate,
) -> Result<Audited<RightsRequest>, ApiError> {
    let id = Uuid::new_v4();
    let serial: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "nextval('rights_request_reference_seq')",
    ))
    .get_result(tx.conn()?)
    .await?;
    let reference = format!("{}/{serial:06}/{}", prefix(input.kind), today.format("%y"));
    let status = if input.identity.is_some() {
        RequestStatus::Compiling
    } else {
        RequestStatus::Received
    };
    let (proved_on, means) = match &input.identity {
        Some(Identity { proved_on, means }) => (Some(*proved_on), Some(means.clone())),
        None => (None, None),
    };
    diesel::insert_into(rights_requests::table)
        .values((
            rights_requests::id.eq(id),
            rights_requests::reference.eq(&reference),
            rights_requests::kind.eq(input.kind.as_str()),
            rights_requests::status.eq(status.as_str()),
            rights_requests::requester_name.eq(&input.requester_name),
            rights_requests::requester_contact.eq(&input.requester_contact),
            rights_requests::received_on.eq(input.received_on),
            rights_requests::identity_proved_on.eq(proved_on),
            rights_requests::identity_means.eq(means),
            rights_requests::notes.eq(&input.notes),
            rights_requests::created_by.eq(tx.ctx().actor.id()),
        ))
        .execute(tx.conn()?)
        .await?;
    note(tx, id, "Request received and recorded", None).await?;
    if input.identity.is_some() {
        note(tx, id, "Proof of identity recorded", None).await?;
    }
    let case = refresh_due(tx, id, today).await?;
    let view = view(tx, case, today).await?;
    let event = AuditEvent::new(Operation::Collection, "rights.create", vec![record(id)]).fields(
        [
            "kind",
            "requester_name",
            "requester_contact",
            "received_on",
            "identity",
            "notes",
        ]
        .map(str::to_owned)
        .to_vec(),
    );
    Ok(Audited::new(view, event))
}

/// Recomputes and stores the due date (the list sorts by it).
pub async fn refresh_due(tx: &mut Tx, id: Uuid, today: NaiveDate) -> Result<CaseRow, ApiError> {
    let case = row(tx, id, false).await?;
    let due = Case(&case).clock(today).due_on;
    diesel::update(rights_requests::table.find(id))
        .set((
            rights_requests::due_on.eq(due),
            rights_requests::updated_at.eq(Utc::now()),
            rights_requests::version.eq(rights_requests::version + 1),
        ))
        .execute(tx.conn()?)
        .await?;
    row(tx, id, false).await
}

/// A subject as attached: person id, when, surname, forenames, date of birth.
type SubjectRow = (
    Uuid,
    chrono::DateTime<Utc>,
    Option<String>,
    Option<String>,
    Option<NaiveDate>,
);
/// A timeline step: when, by whom (sign-in name), what, detail.
type TimelineRow = (
    chrono::DateTime<Utc>,
    Option<String>,
    String,
    Option<String>,
);

/// The whole case as the officer reads it.
pub async fn view(tx: &mut Tx, case: CaseRow, today: NaiveDate) -> Result<RightsRequest, ApiError> {
    let subjects: Vec<SubjectRow> = rights_request_subjects::table
        .left_join(people::table.on(people::id.eq(rights_request_subjects::person_id)))
        .filter(rights_request_subjects::request_id.eq(case.id))
        .order(rights_request_subjects::attached_at)
        .select((
            rights_request_subjects::person_id,
            rights_request_subjects::attached_at,
            people::surname.nullable(),
            people::forenames.nullable(),
            people::date_of_birth.nullable(),
        ))
        .load(tx.conn()?)
        .await?;
    let timeline: Vec<TimelineRow> = rights_request_timeline::table
        .left_join(users::table.on(users::id.nullable().eq(rights_request_timeline::actor_id)))
        .filter(rights_request_timeline::request_id.eq(case.id))
        .order((rights_request_timeline::at, rights_request_timeline::id))
        .select((
            rights_request_timeline::at,
            users::username.nullable(),
            rights_request_timeline::what,
            rights_request_timeline::detail,
        ))
        .load(tx.conn()?)
        .await?;
    let compiled = super::compile::latest_summary(tx, case.id).await?;
    let erasure_plans = {
        use crate::db::schema::erasure_plans as p;
        p::table
            .filter(p::request_id.eq(case.id))
            .order(p::created_at.desc())
            .select((
                p::id,
                p::person_id,
                p::created_at,
                p::executed_at,
                p::certificate_id,
            ))
            .load::<(
                Uuid,
                Uuid,
                chrono::DateTime<chrono::Utc>,
                Option<chrono::DateTime<chrono::Utc>>,
                Option<Uuid>,
            )>(tx.conn()?)
            .await?
            .into_iter()
            .map(
                |(id, person, created_at, executed_at, certificate)| shared::rights::PlanSummary {
                    id,
                    person: PersonId(person),
                    created_at,
                    executed_at,
                    certificate,
                },
            )
            .collect()
    };
    let c = Case(&case);
    Ok(RightsRequest {
        id: case.id,
        reference: case.reference.clone(),
        kind: c.kind(),
        status: c.status(),
        requester_name: case.requester_name.clone(),
        requester_contact: case.requester_contact.clone(),
        received_on: case.received_on,
        identity_proved_on: case.identity_proved_on,
        identity_means: case.identity_means.clone(),
        notes: case.notes.clone(),
        clock: c.clock(today),
        closing_reason: case.closing_reason.clone(),
        neither_confirm_nor_deny: case.ncnd_reason.clone(),
        subjects: subjects
            .into_iter()
            .map(
                |(person_id, attached_at, surname, forenames, dob)| Subject {
                    person_id: PersonId(person_id),
                    name: match surname {
                        Some(s) => format!("{} {s}", forenames.unwrap_or_default())
                            .trim()
                            .to_owned(),
                        None => "(record erased)".to_owned(),
                    },
                    date_of_birth: dob,
                    attached_at,
                },
            )
            .collect(),
        timeline: timeline
            .into_iter()
            .map(|(at, by, what, detail)| TimelineEntry {
                at,
                by: by.unwrap_or_else(|| "system".into()),
                what,
                detail,
            })
            .collect(),
        compiled,
        released_at: case.released_at,
        version: case.version,
        erasure_plans,
    })
}

/// Reads a case: a consultation of it.
pub async fn read(
    tx: &mut Tx,
    id: Uuid,
    today: NaiveDate,
) -> Result<Audited<RightsRequest>, ApiError> {
    let case = row(tx, id, false).await?;
    let view = view(tx, case, today).await?;
    Ok(Audited::new(
        view,
        AuditEvent::new(Operation::Consultation, "rights.read", vec![record(id)]),
    ))
}

/// Every case, open ones first by days left (overdue at the top), then
/// the rest newest first.
pub async fn list(
    tx: &mut Tx,
    today: NaiveDate,
    open_only: bool,
) -> Result<Audited<Vec<RequestSummary>>, ApiError> {
    let mut q = rights_requests::table
        .select(CaseRow::as_select())
        .into_boxed();
    if open_only {
        q = q.filter(rights_requests::status.ne_all(["responded", "refused", "withdrawn"]));
    }
    let rows: Vec<CaseRow> = q.load(tx.conn()?).await?;
    let mut list: Vec<RequestSummary> = rows
        .iter()
        .map(|r| {
            let c = Case(r);
            let clock = c.clock(today);
            RequestSummary {
                id: r.id,
                reference: r.reference.clone(),
                kind: c.kind(),
                status: c.status(),
                requester_name: r.requester_name.clone(),
                received_on: r.received_on,
                due_on: clock.due_on,
                days_left: clock.days_left,
                overdue: clock.overdue,
                paused: clock.paused,
            }
        })
        .collect();
    list.sort_by_key(|s| {
        (
            !s.status.is_open(),
            // Open: fewest days left first, waiting-for-identity last.
            if s.status.is_open() {
                s.days_left.unwrap_or(i64::MAX)
            } else {
                0
            },
            std::cmp::Reverse(s.received_on),
        )
    });
    let records = list.iter().map(|s| record(s.id)).collect();
    Ok(Audited::new(
        list,
        AuditEvent::new(Operation::Consultation, "rights.list", records),
    ))
}

fn conflict(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Conflict).detail(message.into())
}

/// Refuses a change to a case that is no longer open.
pub fn still_open(case: &CaseRow) -> Result<(), ApiError> {
    if Case(case).status().is_open() {
        Ok(())
    } else {
        Err(conflict(format!(
            "The request is {}; it can no longer change",
            Case(case).status().label().to_lowercase()
        )))
    }
}

/// An alteration of the case, with its timeline step, new due date and view.
pub async fn altered(
    tx: &mut Tx,
    id: Uuid,
    what: &str,
    detail: Option<String>,
    fields: &[&str],
    today: NaiveDate,
) -> Result<Audited<RightsRequest>, ApiError> {
    note(tx, id, what, detail).await?;
    let case = refresh_due(tx, id, today).await?;
    let view = view(tx, case, today).await?;
    let event = AuditEvent::new(Operation::Alteration, "rights.update", vec![record(id)])
        .fields(fields.iter().map(|f| (*f).to_owned()).collect());
    Ok(Audited::new(view, event))
}

pub async fn record_identity(
    tx: &mut Tx,
    id: Uuid,
    identity: Identity,
    today: NaiveDate,
) -> Result<Audited<RightsRequest>, ApiError> {
    let case = row(tx, id, true).await?;
    still_open(&case)?;
    let status = Case(&case).status();
    let next = if matches!(
        status,
        RequestStatus::Received | RequestStatus::VerifyingIdentity
    ) {
        RequestStatus::Compiling
    } else {
        status
    };
    diesel::update(rights_requests::table.find(id))
        .set((
            rights_requests::identity_proved_on.eq(identity.proved_on),
            rights_requests::identity_means.eq(&identity.means),
            rights_requests::status.eq(next.as_str()),
        ))
        .execute(tx.conn()?)
        .await?;
    altered(
        tx,
        id,
        "Proof of identity recorded",
        Some(format!(
            "Proved on {}; the clock runs from {}",
            identity.proved_on.format("%d/%m/%Y"),
            identity.proved_on.max(case.received_on).format("%d/%m/%Y")
        )),
        &["identity_proved_on", "identity_means", "status"],
        today,
    )
    .await
}

/// Moves a case to `to` as part of other work (a compile moves it to
/// reviewing), with its timeline step; the caller writes the audit event.
pub async fn set_status(
    tx: &mut Tx,
    id: Uuid,
    to: RequestStatus,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let case = row(tx, id, true).await?;
    diesel::update(rights_requests::table.find(id))
        .set(rights_requests::status.eq(to.as_str()))
        .execute(tx.conn()?)
        .await?;
    note(
        tx,
        id,
        &format!(
            "Moved from {} to {}",
            Case(&case).status().label().to_lowercase(),
            to.label().to_lowercase()
        ),
        None,
    )
    .await?;
    refresh_due(tx, id, today).await?;
    Ok(())
}

pub async fn change_status(
    tx: &mut Tx,
    id: Uuid,
    to: RequestStatus,
    reason: Option<String>,
    today: NaiveDate,
) -> Result<Audited<RightsRequest>, ApiError> {
    let case = row(tx, id, true).await?;
    still_open(&case)?;
    let from = Case(&case).status();
    if !from.next().contains(&to) {
        return Err(ApiError::field(FieldError::new(
            "status",
            "not_allowed",
            format!(
                "A request that is {} can move to: {}",
                from.label().to_lowercase(),
                from.next()
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )));
    }
    if to == RequestStatus::Compiling && case.identity_proved_on.is_none() {
        return Err(ApiError::field(FieldError::new(
            "status",
            "identity_not_proved",
            "Record proof of the requester's identity first",
        )));
    }
    let closing = matches!(to, RequestStatus::Refused | RequestStatus::Withdrawn);
    diesel::update(rights_requests::table.find(id))
        .set((
            rights_requests::status.eq(to.as_str()),
            rights_requests::closing_reason.eq(if closing {
                reason.clone()
            } else {
                case.closing_reason.clone()
            }),
        ))
        .execute(tx.conn()?)
        .await?;
    altered(
        tx,
        id,
        &format!(
            "Moved from {} to {}",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        ),
        reason,
        &["status"],
        today,
    )
    .await
}

pub async fn extend(
    tx: &mut Tx,
    id: Uuid,
    months: u32,
    reason: String,
    today: NaiveDate,
) -> Result<Audited<RightsRequest>, ApiError> {
    let case = row(tx, id, true).await?;
    still_open(&case)?;
    diesel::update(rights_requests::table.find(id))
        .set((
            rights_requests::extension_months.eq(months as i32),
            rights_requests::extension_reason.eq(&reason),
            rights_requests::extension_recorded_on.eq(today),
        ))
        .execute(tx.conn()?)
        .await?;
    altered(
        tx,
        id,
        &format!(
            "Time limit extended by {months} month{}",
            if months == 1 { "" } else { "s" }
        ),
        Some(reason),
        &["extension_months", "extension_reason"],
        today,
    )
    .await
}

pub async fn pause(
    tx: &mut Tx,
    id: Uuid,
    reason: String,
    today: NaiveDate,
) -> Result<Audited<RightsRequest>, ApiError> {
    let case = row(tx, id, true).await?;
    still_open(&case)?;
    if case.paused_since.is_some() {
        return Err(conflict("The clock is already paused"));
    }
    diesel::update(rights_requests::table.find(id))
        .set((
            rights_requests::paused_since.eq(today),
            rights_requests::pause_reason.eq(&reason),
        ))
        .execute(tx.conn()?)
        .await?;
    altered(
        tx,
        id,
        "Clock paused: waiting for clarification",
        Some(reason),
        &["paused_since"],
        today,
    )
    .await
}

pub async fn resume(
    tx: &mut Tx,
    id: Uuid,
    today: NaiveDate,
) -> Result<Audited<RightsRequest>, ApiError> {
    let case = row(tx, id, true).await?;
    still_open(&case)?;
    let Some(since) = case.paused_since else {
        return Err(conflict("The clock is not paused"));
    };
    let days = (today - since).num_days().max(0) as i32;
    diesel::update(rights_requests::table.find(id))
        .set((
            rights_requests::paused_since.eq(None::<NaiveDate>),
            rights_requests::pause_reason.eq(None::<String>),
            rights_requests::paused_days.eq(rights_requests::paused_days + days),
        ))
        .execute(tx.conn()?)
        .await?;
    altered(
        tx,
        id,
        "Clock resumed: clarification received",
        Some(format!(
            "Paused for {days} day{}",
            if days == 1 { "" } else { "s" }
        )),
        &["paused_since", "paused_days"],
        today,
    )
    .await
}

pub async fn set_ncnd(
    tx: &mut Tx,
    id: Uuid,
    reason: Option<String>,
    today: NaiveDate,
) -> Result<Audited<RightsRequest>, ApiError> {
    let case = row(tx, id, true).await?;
    still_open(&case)?;
    diesel::update(rights_requests::table.find(id))
        .set(rights_requests::ncnd_reason.eq(&reason))
        .execute(tx.conn()?)
        .await?;
    let what = if reason.is_some() {
        "The response will neither confirm nor deny (s.45(5))"
    } else {
        "The response will no longer neither confirm nor deny"
    };
    altered(tx, id, what, reason, &["neither_confirm_nor_deny"], today).await
}

/// The person record a case may attach: known, not erased; a merged
/// duplicate is attached as its survivor.
async fn survivor(tx: &mut Tx, person: Uuid) -> Result<Uuid, ApiError> {
    let mut current = person;
    for _ in 0..8 {
        let merged: Option<Option<Uuid>> = people::table
            .find(current)
            .select(people::merged_into)
            .first(tx.conn()?)
            .await
            .optional()?;
        match merged {
            None => {
                return Err(ApiError::field(FieldError::new(
                    "person",
                    "unknown",
                    "No person record has that id",
                )));
            }
            Some(None) => return Ok(current),
            Some(Some(next)) => current = next,
        }
    }
    Ok(current)
}

pub async fn attach(
    tx: &mut Tx,
    id: Uuid,
    person: PersonId,
    today: NaiveDate,
) -> Result<Audited<RightsRequest>, ApiError> {
    let case = row(tx, id, true).await?;
    still_open(&case)?;
    let survivor = survivor(tx, person.0).await?;
    diesel::insert_into(rights_request_subjects::table)
        .values((
            rights_request_subjects::request_id.eq(id),
            rights_request_subjects::person_id.eq(survivor),
            rights_request_subjects::attached_by.eq(tx.ctx().actor.id()),
        ))
        .on_conflict_do_nothing()
        .execute(tx.conn()?)
        .await?;
    let detail = (survivor != person.0)
        .then(|| "A merged duplicate: its surviving record was attached".to_owned());
    let audited = altered(
        tx,
        id,
        "Person record attached as a subject",
        detail,
        &["subjects"],
        today,
    )
    .await?;
    Ok(audited.and(AuditEvent::new(
        Operation::Combination,
        "rights.attach",
        vec![record(id), crate::audit::RecordRef::new("person", survivor)],
    )))
}

pub async fn detach(
    tx: &mut Tx,
    id: Uuid,
    person: PersonId,
    today: NaiveDate,
) -> Result<Audited<RightsRequest>, ApiError> {
    let case = row(tx, id, true).await?;
    still_open(&case)?;
    let gone = diesel::delete(
        rights_request_subjects::table
            .filter(rights_request_subjects::request_id.eq(id))
            .filter(rights_request_subjects::person_id.eq(person.0)),
    )
    .execute(tx.conn()?)
    .await?;
    if gone == 0 {
        return Err(ApiError::not_found());
    }
    altered(tx, id, "Person record detached", None, &["subjects"], today).await
}
