//! Answering a rectification, erasure or restriction request, once the work
//! is done: the case is closed as responded, the answer (ids and counts, a
//! letter naming no one) is kept, and sending it is a disclosure to the
//! subject. After an erasure the requester's own details go from the case:
//! the case stays only to show the request was answered.

use super::{Case, record, store};
use crate::audit::{AuditEvent, Audited, Operation, Tx};
use crate::db::schema::{
    erasure_certificates, erasure_plans, people, recipient_notifications, records, rights_releases,
    rights_request_timeline, rights_requests,
};
use crate::error::ApiError;
use crate::pdf::{Layout, Weight};
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::ErrorCode;
use shared::rights::{RequestKind, RightsResponse};
use uuid::Uuid;

fn letter(r: &RightsResponse) -> Vec<String> {
    let mut out = vec![format!(
        "We have dealt with your request (our reference {}).",
        r.reference
    )];
    match RequestKind::parse(&r.kind) {
        Some(RequestKind::Erasure) => {
            out.push(format!(
                "We have erased the personal data your request concerned, every copy we hold: the records only about you, your details in records kept because they are about others, and the copies in our search index. Certificate(s) of erasure: {}. Each lists what was erased by kind and number, and what a search of all our systems afterwards found.",
                r.certificates
                    .iter()
                    .map(Uuid::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            out.push(
                "Where the law requires us to keep something (an item needed as evidence, under a legal hold), we have restricted it instead of erasing it (section 47(2)): it is kept apart and not used in ordinary policing. Our audit log keeps the ids of what was erased and when, never what it said, as section 62 requires.".into(),
            );
        }
        Some(RequestKind::Rectification) => out.push(format!(
            "We have rectified {} record(s) (section 46): the inaccurate details are corrected, or, where a record must be kept as it was because it is evidence, a supplementary statement now completes it and is shown wherever the record is shown.",
            r.rectifications
        )),
        _ => out.push(format!(
            "We have restricted {} record(s) (section 47(2)): they are kept, but taken out of ordinary processing until the restriction is reviewed.",
            r.restrictions
        )),
    }
    if r.notifications > 0 {
        out.push(format!(
            "We had disclosed some of these records to other organisations; we have told each of them ({} letter(s)), as section 48 requires.",
            r.notifications
        ));
    }
    out.push("If you are unhappy with how we dealt with your request you may complain to the Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow SK9 5AF, ico.org.uk.".into());
    out
}

/// Closes the case as answered.
pub async fn respond(
    tx: &mut Tx,
    id: Uuid,
    controller: String,
    today: NaiveDate,
) -> Result<Audited<RightsResponse>, ApiError> {
    let case = store::row(tx, id, true).await?;
    store::still_open(&case)?;
    let kind = Case(&case).kind();
    if kind == RequestKind::Access {
        return Err(ApiError::new(ErrorCode::Conflict)
            .detail("An access request is answered by releasing its pack"));
    }
    let certificates: Vec<Uuid> = erasure_plans::table
        .inner_join(
            erasure_certificates::table.on(erasure_certificates::id
                .nullable()
                .eq(erasure_plans::certificate_id)),
        )
        .filter(erasure_plans::request_id.eq(id))
        .select(erasure_certificates::id)
        .load(tx.conn()?)
        .await?;
    let rectifications: i64 = rights_request_timeline::table
        .filter(rights_request_timeline::request_id.eq(id))
        .filter(rights_request_timeline::what.eq("Rectified"))
        .count()
        .get_result(tx.conn()?)
        .await?;
    let restricted_records: i64 = records::table
        .filter(records::restriction_request.eq(id))
        .count()
        .get_result(tx.conn()?)
        .await?;
    let restricted_people: i64 = people::table
        .filter(people::restriction_request.eq(id))
        .count()
        .get_result(tx.conn()?)
        .await?;
    let restrictions = (restricted_records + restricted_people) as usize;
    let nothing_done = match kind {
        RequestKind::Erasure => certificates.is_empty().then_some(
            "Carry out the erasure first: no certificate has been issued on this request",
        ),
        RequestKind::Rectification => (rectifications == 0).then_some(
            "Record the rectification first: nothing has been rectified on this request",
        ),
        _ => (restrictions == 0)
            .then_some("Restrict the records first: nothing has been restricted on this request"),
    };
    if let Some(why) = nothing_done {
        return Err(ApiError::new(ErrorCode::Conflict).detail(why));
    }
    let sent: Vec<Option<chrono::DateTime<Utc>>> = recipient_notifications::table
        .filter(recipient_notifications::request_id.eq(id))
        .select(recipient_notifications::sent_at)
        .load(tx.conn()?)
        .await?;
    let now = Utc::now();
    let mut response = RightsResponse {
        request: id,
        reference: case.reference.clone(),
        kind: kind.as_str().to_owned(),
        responded_at: now,
        certificates,
        rectifications: rectifications as usize,
        restrictions,
        notifications: sent.len(),
        notifications_sent: sent.iter().filter(|s| s.is_some()).count(),
        controller,
        letter: Vec::new(),
    };
    response.letter = letter(&response);
    diesel::insert_into(rights_releases::table)
        .values((
            rights_releases::request_id.eq(id),
            rights_releases::released_at.eq(now),
            rights_releases::released_by.eq(tx.ctx().actor.id()),
            rights_releases::pack.eq(serde_json::to_value(&response).map_err(ApiError::internal)?),
        ))
        .execute(tx.conn()?)
        .await?;
    let mut fields = vec!["status".to_owned()];
    if kind == RequestKind::Erasure {
        // The requester may be the person erased: their details go now.
        diesel::update(rights_requests::table.find(id))
            .set((
                rights_requests::requester_name
                    .eq("Cleared after the response to an erasure request"),
                rights_requests::requester_contact.eq(""),
            ))
            .execute(tx.conn()?)
            .await?;
        fields.push("requester_name".into());
        fields.push("requester_contact".into());
    }
    diesel::update(rights_requests::table.find(id))
        .set((
            rights_requests::status.eq("responded"),
            rights_requests::released_at.eq(now),
        ))
        .execute(tx.conn()?)
        .await?;
    store::note(tx, id, "Response sent", None).await?;
    store::refresh_due(tx, id, today).await?;
    let mut event =
        AuditEvent::new(Operation::Disclosure, "rights.respond", vec![record(id)]).fields(fields);
    event.recipients = vec![format!("data_subject:{id}")];
    Ok(Audited::new(response, event))
}

/// The answer as it was sent.
pub async fn responded(
    tx: &mut Tx,
    id: Uuid,
    as_file: &'static str,
) -> Result<Audited<RightsResponse>, ApiError> {
    let stored: Option<serde_json::Value> = rights_releases::table
        .find(id)
        .select(rights_releases::pack)
        .first(tx.conn()?)
        .await
        .optional()?;
    let stored = stored.ok_or_else(|| {
        ApiError::new(ErrorCode::Conflict).detail("The response has not been sent yet")
    })?;
    let response: RightsResponse = serde_json::from_value(stored).map_err(ApiError::internal)?;
    Ok(Audited::new(
        response,
        AuditEvent::new(Operation::Consultation, as_file, vec![record(id)]),
    ))
}

pub fn render(r: &RightsResponse) -> Result<Vec<u8>, String> {
    let mut l = Layout::new().ok_or("the embedded fonts could not be measured")?;
    l.text(&r.controller, 15.0, Weight::Bold, 0.0, 2.0);
    let title = match RequestKind::parse(&r.kind) {
        Some(k) => format!("Response to a request: {}", k.label()),
        None => "Response to a request".into(),
    };
    l.text(&title, 12.0, Weight::Regular, 0.0, 2.0);
    l.text(
        &format!(
            "Our reference {} · {}",
            r.reference,
            r.responded_at.format("%-d %B %Y")
        ),
        10.0,
        Weight::Regular,
        0.0,
        10.0,
    );
    for p in &r.letter {
        l.text(p, 10.5, Weight::Regular, 0.0, 7.0);
    }
    l.finish(&r.reference)
}
