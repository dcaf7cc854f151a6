//! The pack as the subject receives it, built from the latest compile and
//! the decisions: released items with their redactions, the recipients and
//! the history of who has seen their records (with its proof), the
//! information s.45(2) requires, and the letter. Releasing it is a
//! disclosure to the subject, listing every record released.

use super::letter::{LetterFacts, letter, processing};
use super::{Case, record, store};
use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::{rights_releases, rights_requests};
use crate::error::ApiError;
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{ErrorCode, FieldError};
use shared::rights::pack::{Outcome, ReleasedRecord, SubjectAccessPack, WorkingPack};
use shared::rights::{ItemDecision, RequestKind, RequestStatus};
use uuid::Uuid;

/// The pack the decisions make, and the records it releases. Refuses while
/// any item is undecided, naming them.
pub fn build(
    case: &super::CaseRow,
    working: Option<&WorkingPack>,
    controller: &str,
) -> Result<(SubjectAccessPack, Vec<RecordRef>), ApiError> {
    let undecided: Vec<String> = working
        .map(|w| {
            w.items
                .iter()
                .filter(|i| i.in_force().is_none())
                .map(|i| i.title.clone())
                .collect()
        })
        .unwrap_or_default();
    if case.ncnd_reason.is_none() && !undecided.is_empty() {
        let mut e = ApiError::new(ErrorCode::Conflict).detail(format!(
            "{} items are undecided: decide on each before release",
            undecided.len()
        ));
        e.fields = undecided
            .iter()
            .map(|t| FieldError::new("items", "undecided", t.clone()))
            .collect();
        return Err(e);
    }
    let mut records = Vec::new();
    let mut released = Vec::new();
    let mut withheld = false;
    let mut recipients = Vec::new();
    let mut consultations = None;
    let has_data = working.is_some_and(|w| w.items.iter().any(|i| i.category == "person"));
    let outcome = if case.ncnd_reason.is_some() {
        Outcome::NeitherConfirmNorDeny
    } else if has_data {
        Outcome::DataEnclosed
    } else {
        Outcome::NoDataHeld
    };
    if let (Outcome::DataEnclosed, Some(w)) = (outcome, working) {
        for item in &w.items {
            let Some(decision) = item.in_force() else {
                continue;
            };
            if decision.decision == ItemDecision::Withhold {
                withheld = true;
                continue;
            }
            if !decision.redactions.is_empty() {
                withheld = true;
            }
            match item.category.as_str() {
                "recipients" => recipients = w.recipients.clone(),
                "consultations" => consultations = Some(w.consultations.clone()),
                _ => {
                    if let Some(id) = item.record_id {
                        records.push(RecordRef::new(&item.category, id));
                    }
                    released.push(ReleasedRecord {
                        title: item.title.clone(),
                        category: item.category.clone(),
                        reference: item.reference.clone(),
                        role: item.role.clone(),
                        subject_category: item.subject_category.clone(),
                        source: item.source.clone(),
                        fields: item
                            .fields
                            .iter()
                            .map(|f| (f.label.clone(), f.released(decision)))
                            .collect(),
                    });
                }
            }
        }
    }
    let letter = letter(&LetterFacts {
        controller,
        reference: &case.reference,
        requester_name: &case.requester_name,
        received_on: case.received_on,
        outcome,
        records: released.len(),
        withheld,
        consultations: consultations.as_ref().map(|c| c.entries.len()).unwrap_or(0),
    });
    let pack = SubjectAccessPack {
        reference: case.reference.clone(),
        controller: controller.to_owned(),
        generated_at: Utc::now(),
        requester_name: case.requester_name.clone(),
        requester_contact: case.requester_contact.clone(),
        received_on: case.received_on,
        outcome,
        letter,
        records: released,
        recipients,
        processing: (outcome != Outcome::NeitherConfirmNorDeny).then(|| processing(controller)),
        consultations,
        withheld,
    };
    Ok((pack, records))
}

/// What the pack would be if released now: a consultation of the case.
pub async fn preview(
    tx: &mut Tx,
    id: Uuid,
    controller: String,
) -> Result<Audited<SubjectAccessPack>, ApiError> {
    let case = store::row(tx, id, false).await?;
    let working = super::compile::latest(tx, id).await?;
    let (pack, _) = build(&case, working.as_ref(), &controller)?;
    Ok(Audited::new(
        pack,
        AuditEvent::new(Operation::Consultation, "rights.preview", vec![record(id)]),
    ))
}

/// Releases the pack: kept with the case, the case answered, and a
/// disclosure to the subject of every record released.
pub async fn release(
    tx: &mut Tx,
    id: Uuid,
    controller: String,
    today: NaiveDate,
) -> Result<Audited<SubjectAccessPack>, ApiError> {
    let case = store::row(tx, id, true).await?;
    store::still_open(&case)?;
    if Case(&case).kind() != RequestKind::Access {
        return Err(ApiError::new(ErrorCode::Conflict)
            .detail("Only an access request is answered with a pack"));
    }
    if !matches!(
        Case(&case).status(),
        RequestStatus::Compiling | RequestStatus::Reviewing
    ) {
        return Err(ApiError::new(ErrorCode::Conflict)
            .detail("Record proof of identity and compile the pack first"));
    }
    let working = super::compile::latest(tx, id).await?;
    if working.is_none()
        && case.ncnd_reason.is_none()
        && super::compile::has_subjects(tx, id).await?
    {
        return Err(ApiError::new(ErrorCode::Conflict).detail("Compile the pack first"));
    }
    let (pack, records) = build(&case, working.as_ref(), &controller)?;
    let now = Utc::now();
    diesel::insert_into(rights_releases::table)
        .values((
            rights_releases::request_id.eq(id),
            rights_releases::released_at.eq(now),
            rights_releases::released_by.eq(tx.ctx().actor.id()),
            rights_releases::pack.eq(serde_json::to_value(&pack).unwrap_or_default()),
        ))
        .execute(tx.conn()?)
        .await?;
    diesel::update(rights_requests::table.find(id))
        .set((
            rights_requests::status.eq(RequestStatus::Responded.as_str()),
            rights_requests::released_at.eq(now),
        ))
        .execute(tx.conn()?)
        .await?;
    store::note(
        tx,
        id,
        &format!("Response released: {}", pack.outcome.label().to_lowercase()),
        Some(format!("{} records released", records.len())),
    )
    .await?;
    store::refresh_due(tx, id, today).await?;
    let mut released = vec![record(id)];
    released.extend(records);
    let mut event = AuditEvent::new(Operation::Disclosure, "rights.release", released);
    event.recipients = vec![format!("data_subject:{id}")];
    Ok(Audited::new(pack, event))
}

/// The pack as it was released, for the JSON and PDF downloads.
pub async fn released(
    tx: &mut Tx,
    id: Uuid,
    as_file: &'static str,
) -> Result<Audited<SubjectAccessPack>, ApiError> {
    let stored: Option<serde_json::Value> = rights_releases::table
        .find(id)
        .select(rights_releases::pack)
        .first(tx.conn()?)
        .await
        .optional()?;
    let Some(stored) = stored else {
        return Err(
            ApiError::new(ErrorCode::Conflict).detail("The response has not been released yet")
        );
    };
    let pack: SubjectAccessPack = serde_json::from_value(stored)
        .map_err(|e| ApiError::internal("a released pack could not be read").with_cause(e))?;
    Ok(Audited::new(
        pack,
        AuditEvent::new(Operation::Consultation, as_file, vec![record(id)]),
    ))
}
