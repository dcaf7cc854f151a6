//! Telling earlier recipients (DPA 2018 s.48): when a record is rectified,
//! erased or restricted, every organisation the disclosure log shows it was
//! disclosed to is owed a letter. The letters are listed when the change is
//! made; sending one is itself a disclosure, logged with its recipient.

use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::{organisations, recipient_notifications, rights_requests};
use crate::error::ApiError;
use crate::pdf::{Layout, Weight};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use shared::error::ErrorCode;
use shared::links::RecordKey;
use shared::rights::rectification::{ChangeKind, NotifiedRecord, RecipientNotification};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(QueryableByName)]
struct Disclosed {
    #[diesel(sql_type = Text)]
    recipient: String,
    #[diesel(sql_type = SqlUuid)]
    record_id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    first: DateTime<Utc>,
}

/// The organisations each of `records` was disclosed to, from the log.
async fn recipients_of(
    conn: &mut AsyncPgConnection,
    records: &[(RecordKey, Option<String>)],
) -> QueryResult<BTreeMap<Uuid, Vec<NotifiedRecord>>> {
    let types: Vec<String> = records
        .iter()
        .map(|(k, _)| k.record_type.as_str().to_owned())
        .collect();
    let ids: Vec<Uuid> = records.iter().map(|(k, _)| k.id).collect();
    let rows: Vec<Disclosed> = diesel::sql_query(
        "SELECT rcpt AS recipient, r.record_id, min(e.occurred_at) AS first \
         FROM audit_event_records r \
         JOIN audit_events e ON e.seq = r.event_seq, unnest(e.recipients) AS rcpt \
         WHERE r.record_type = ANY($1) AND r.record_id = ANY($2) \
           AND e.operation = 'disclosure' AND e.outcome = 'allowed' \
           AND rcpt LIKE 'organisation:%' \
         GROUP BY rcpt, r.record_id",
    )
    .bind::<Array<Text>, _>(&types)
    .bind::<Array<SqlUuid>, _>(&ids)
    .load(conn)
    .await?;
    let mut by_org: BTreeMap<Uuid, Vec<NotifiedRecord>> = BTreeMap::new();
    for row in rows {
        let Some(org) = row
            .recipient
            .strip_prefix("organisation:")
            .and_then(|s| Uuid::parse_str(s).ok())
        else {
            continue;
        };
        let Some((key, reference)) = records.iter().find(|(k, _)| k.id == row.record_id) else {
            continue;
        };
        by_org.entry(org).or_default().push(NotifiedRecord {
            record: *key,
            reference: reference.clone(),
            disclosed_at: row.first,
        });
    }
    Ok(by_org)
}

/// Lists the letters a change to `records` owes, one per earlier
/// recipient. Call inside the change's transaction.
pub async fn owe(
    conn: &mut AsyncPgConnection,
    request: Option<Uuid>,
    change: ChangeKind,
    records: &[(RecordKey, Option<String>)],
) -> Result<Vec<Uuid>, ApiError> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let mut made = Vec::new();
    for (org, list) in recipients_of(conn, records).await? {
        let id = Uuid::new_v4();
        diesel::insert_into(recipient_notifications::table)
            .values((
                recipient_notifications::id.eq(id),
                recipient_notifications::request_id.eq(request),
                recipient_notifications::recipient.eq(org),
                recipient_notifications::change.eq(change.as_str()),
                recipient_notifications::records
                    .eq(serde_json::to_value(&list).map_err(ApiError::internal)?),
            ))
            .execute(conn)
            .await?;
        made.push(id);
    }
    Ok(made)
}

type Row = (
    Uuid,
    Option<Uuid>,
    Uuid,
    String,
    serde_json::Value,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<String>,
);

fn view(r: Row) -> RecipientNotification {
    RecipientNotification {
        id: r.0,
        request: r.1,
        recipient: r.2,
        recipient_name: r
            .7
            .unwrap_or_else(|| "an organisation no longer listed".into()),
        change: r.3,
        records: serde_json::from_value(r.4).unwrap_or_default(),
        created_at: r.5,
        sent_at: r.6,
    }
}

/// Notifications of a request, or one by id, with the organisations' names.
async fn load(
    conn: &mut AsyncPgConnection,
    request: Option<Uuid>,
    id: Option<Uuid>,
) -> QueryResult<Vec<RecipientNotification>> {
    let mut q = recipient_notifications::table
        .left_join(
            organisations::table.on(organisations::id.eq(recipient_notifications::recipient)),
        )
        .select((
            recipient_notifications::id,
            recipient_notifications::request_id,
            recipient_notifications::recipient,
            recipient_notifications::change,
            recipient_notifications::records,
            recipient_notifications::created_at,
            recipient_notifications::sent_at,
            organisations::name.nullable(),
        ))
        .order(recipient_notifications::created_at)
        .into_boxed();
    if let Some(r) = request {
        q = q.filter(recipient_notifications::request_id.eq(r));
    }
    if let Some(id) = id {
        q = q.filter(recipient_notifications::id.eq(id));
    }
    let rows: Vec<Row> = q.load(conn).await?;
    Ok(rows.into_iter().map(view).collect())
}

fn refs(n: &RecipientNotification) -> Vec<RecordRef> {
    n.records
        .iter()
        .map(|r| RecordRef::new(r.record.record_type.as_str(), r.record.id))
        .collect()
}

/// The letters a request owes (a consultation of the case).
pub async fn for_request(
    tx: &mut Tx,
    request: Uuid,
) -> Result<Audited<Vec<RecipientNotification>>, ApiError> {
    let list = load(tx.conn()?, Some(request), None).await?;
    let event = AuditEvent::new(
        Operation::Consultation,
        "rights.notifications",
        vec![RecordRef::new("rights_request", request)],
    );
    Ok(Audited::new(list, event))
}

/// One letter, to print or file.
pub async fn one(
    tx: &mut Tx,
    id: Uuid,
) -> Result<Audited<(RecipientNotification, Option<String>)>, ApiError> {
    let n = load(tx.conn()?, None, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(ApiError::not_found)?;
    let reference = match n.request {
        Some(r) => rights_requests::table
            .find(r)
            .select(rights_requests::reference)
            .first::<String>(tx.conn()?)
            .await
            .optional()?,
        None => None,
    };
    let mut records = refs(&n);
    records.push(RecordRef::new("recipient_notification", id));
    let event = AuditEvent::new(Operation::Consultation, "rights.notification.read", records);
    Ok(Audited::new((n, reference), event))
}

/// Sends it: a disclosure to the recipient of the change to these records.
pub async fn send(tx: &mut Tx, id: Uuid) -> Result<Audited<RecipientNotification>, ApiError> {
    let sent: Option<Option<DateTime<Utc>>> = recipient_notifications::table
        .find(id)
        .select(recipient_notifications::sent_at)
        .for_update()
        .first(tx.conn()?)
        .await
        .optional()?;
    match sent {
        None => return Err(ApiError::not_found()),
        Some(Some(at)) => {
            return Err(ApiError::new(ErrorCode::Conflict).detail(format!("Already sent on {at}")));
        }
        Some(None) => {}
    }
    diesel::update(recipient_notifications::table.find(id))
        .set((
            recipient_notifications::sent_at.eq(Utc::now()),
            recipient_notifications::sent_by.eq(tx.ctx().actor.id()),
        ))
        .execute(tx.conn()?)
        .await?;
    let n = load(tx.conn()?, None, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(ApiError::not_found)?;
    let mut event = AuditEvent::new(Operation::Disclosure, "rights.notification.send", refs(&n))
        .fields(vec![format!("change:{}", n.change)]);
    event.recipients = vec![shared::organisations::recipient_code(
        shared::ids::OrganisationId(n.recipient),
    )];
    Ok(Audited::new(n, event))
}

/// The letter's paragraphs: which records, what changed, what to do.
pub fn letter(n: &RecipientNotification, controller: &str, reference: Option<&str>) -> Vec<String> {
    let (what, ask, section) = match ChangeKind::parse(&n.change) {
        Some(ChangeKind::Rectification) => (
            "rectified: a field was corrected, or a supplementary statement now completes it",
            "please correct your copy, or add the same statement to it",
            "46",
        ),
        Some(ChangeKind::Erasure) => ("erased", "please erase your copy", "47"),
        _ => (
            "restricted: kept, but taken out of ordinary processing",
            "please restrict processing of your copy in the same way",
            "47(2)",
        ),
    };
    let mut out = vec![
        format!("To {}", n.recipient_name),
        format!(
            "From {controller}{}",
            reference
                .map(|r| format!(", our reference {r}"))
                .unwrap_or_default()
        ),
        format!(
            "We disclosed the records listed below to you. Following a request under the Data Protection Act 2018 they have been {what} (section {section}). Under section 48 we tell every recipient of a disclosure: {ask}."
        ),
    ];
    for r in &n.records {
        out.push(format!(
            "{} {}{} · disclosed to you on {}",
            r.record.record_type.as_str(),
            r.record.id,
            r.reference
                .as_ref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default(),
            r.disclosed_at.format("%-d %B %Y")
        ));
    }
    out.push(
        "This letter names records by our ids and references only. Please reply to confirm what you have done.".into(),
    );
    out
}

pub fn render(
    n: &RecipientNotification,
    controller: &str,
    reference: Option<&str>,
) -> Result<Vec<u8>, String> {
    let mut l = Layout::new().ok_or("the embedded fonts could not be measured")?;
    l.text(controller, 15.0, Weight::Bold, 0.0, 2.0);
    l.text(
        "Notice to a recipient of personal data",
        12.0,
        Weight::Regular,
        0.0,
        10.0,
    );
    for p in letter(n, controller, reference) {
        l.text(&p, 10.5, Weight::Regular, 0.0, 6.0);
    }
    l.finish(&format!("Notification {}", n.id))
}
