//! `GET /api/v1/audit/export`: a range of the log for the Information
//! Commissioner, as JSON or CSV, with the proof that it is complete and
//! unaltered: the chain hash before the range, every link through the range
//! to the next signed checkpoint, and that checkpoint.

use super::checkpoints;
use crate::audit::rows::{EventRow, records_of};
use crate::audit::{self, AuditEvent, Audited, Operation, Tx};
use crate::auth::{Authorised, perm};
use crate::db::schema::{audit_chain, audit_events};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use shared::audit::{AuditEventView, CheckpointView};
use shared::error::{FieldError, Problem};
use utoipa::{IntoParams, ToSchema};

/// More than this in one export: narrow the range.
const MAX_EVENTS: i64 = 200_000;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    /// Events from this time (inclusive), RFC 3339.
    pub from: DateTime<Utc>,
    /// Events before this time (exclusive), RFC 3339.
    pub to: DateTime<Utc>,
    /// json (default) or csv.
    pub format: Option<String>,
    /// The organisation that receives the export (its id on the list at
    /// `GET /api/v1/organisations`); recorded as a disclosure. Default: the
    /// Information Commissioner's Office.
    pub recipient: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ChainLink {
    pub position: i64,
    pub event_seq: i64,
    pub content_hash: String,
    pub chain_hash: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditExport {
    pub generated_at: DateTime<Utc>,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Chain positions covered (the events sealed between them, in chain order).
    pub first_position: Option<i64>,
    pub last_position: Option<i64>,
    /// The chain hash just before `first_position` (zeros at the start).
    pub previous_chain_hash: String,
    pub events: Vec<AuditEventView>,
    /// Every link from `first_position` to the checkpoint.
    pub links: Vec<ChainLink>,
    pub checkpoint: Option<CheckpointView>,
    pub how_to_verify: String,
}

const HOW_TO_VERIFY: &str = "For each event, content_hash = SHA-256(\"probity-audit-event-v\" + canonical_version + \"\\n\" + canonical), canonical being the UTF-8 text given with the event (the event's fields as hashed, in JSON); its values are the event's own. In version 2 the justification's reference and reason appear only as reference_hash and reason_hash: each text still held is listed under texts with its key, and hash = HMAC-SHA256(key, \"probity-audit-text-v1\\n\" + text); a text erased since (texts_erased) leaves its hash, which still chains. For each link in order, chain_hash = SHA-256(\"probity-audit-chain-v1\\n\" + previous chain_hash + content_hash + position as 8-byte big-endian + event_seq as 8-byte big-endian), starting from previous_chain_hash. The last link's chain_hash must equal checkpoint.chain_hash, and checkpoint.signature must verify over checkpoint.message with checkpoint.public_key (Ed25519), a key also published at /api/v1/auth/jwks.json.";

async fn build(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<AuditExport, ApiError> {
    let (first, last): (Option<i64>, Option<i64>) = audit_chain::table
        .inner_join(audit_events::table)
        .filter(audit_events::occurred_at.ge(from))
        .filter(audit_events::occurred_at.lt(to))
        .select((
            diesel::dsl::min(audit_chain::position),
            diesel::dsl::max(audit_chain::position),
        ))
        .first(tx.conn()?)
        .await?;
    let mut export = AuditExport {
        generated_at: Utc::now(),
        from,
        to,
        first_position: first,
        last_position: last,
        previous_chain_hash: hex::encode([0u8; 32]),
        events: Vec::new(),
        links: Vec::new(),
        checkpoint: None,
        how_to_verify: HOW_TO_VERIFY.to_owned(),
    };
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(export);
    };
    if last - first >= MAX_EVENTS {
        return Err(ApiError::field(FieldError::new(
            "to",
            "too_many",
            format!("More than {MAX_EVENTS} events: export a shorter range"),
        )));
    }
    // A checkpoint at or after the range's end (the handler had the sealer
    // sign the head, after verifying it, if none covered it yet). None if
    // the sealer refused: the export then proves less, and says so.
    let checkpoint = checkpoints::load(tx, last, None, 1)
        .await?
        .into_iter()
        .next();
    let until = checkpoint.as_ref().map(|c| c.position).unwrap_or(last);
    if first > 1 {
        let prev: Vec<u8> = audit_chain::table
            .find(first - 1)
            .select(audit_chain::chain_hash)
            .first(tx.conn()?)
            .await?;
        export.previous_chain_hash = hex::encode(prev);
    }
    let links: Vec<(i64, i64, Vec<u8>, Vec<u8>)> = audit_chain::table
        .filter(audit_chain::position.between(first, until))
        .order(audit_chain::position)
        .select((
            audit_chain::position,
            audit_chain::event_seq,
            audit_chain::content_hash,
            audit_chain::chain_hash,
        ))
        .load(tx.conn()?)
        .await?;
    let in_range: Vec<i64> = links.iter().filter(|l| l.0 <= last).map(|l| l.1).collect();
    let mut events: Vec<EventRow> = audit_events::table
        .filter(audit_events::seq.eq_any(&in_range))
        .select(EventRow::as_select())
        .load(tx.conn()?)
        .await?;
    let order: std::collections::HashMap<i64, (i64, Vec<u8>)> =
        links.iter().map(|l| (l.1, (l.0, l.3.clone()))).collect();
    events.sort_by_key(|e| order.get(&e.seq).map(|o| o.0));
    let records = records_of(tx.conn()?, &in_range).await?;
    let hashes: Vec<Vec<u8>> = events
        .iter()
        .flat_map(|e| e.text_hashes().cloned())
        .collect();
    let held = crate::audit::texts::load(tx.conn()?, &hashes).await?;
    export.events = events
        .iter()
        .map(|e| {
            let chain = order.get(&e.seq).map(|(p, h)| (*p, h.as_slice()));
            let records = records.get(&e.seq).map(Vec::as_slice).unwrap_or(&[]);
            let mut view = e.to_view(records, chain, &held);
            let stamped = e.to_stamped(records, &held);
            view.canonical = Some(stamped.canonical_json());
            // Each text still held, with its key, so the recipient can
            // check it against the hash in the canonical form.
            for (field, text) in [
                ("reference", &stamped.reference_text),
                ("reason", &stamped.reason_text),
            ] {
                if let Some(t) = text
                    && let Some(kept) = &t.kept
                {
                    view.texts.push(shared::audit::HeldTextView {
                        field: field.to_owned(),
                        hash: hex::encode(t.hash),
                        key: hex::encode(kept.key),
                        text: kept.text.clone(),
                    });
                }
            }
            view
        })
        .collect();
    export.links = links
        .into_iter()
        .map(|(position, event_seq, content, chain)| ChainLink {
            position,
            event_seq,
            content_hash: hex::encode(content),
            chain_hash: hex::encode(chain),
        })
        .collect();
    export.checkpoint = checkpoint;
    Ok(export)
}

/// One CSV cell. Text a spreadsheet would run as a formula (a reason or a
/// user agent starting `=`, `+`, `-` or `@`) is opened with an apostrophe,
/// as OWASP advises; the canonical column keeps every value exactly.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Lists in one CSV cell: a recipient's name may hold spaces.
const LIST: &str = "; ";

fn to_csv(export: &AuditExport) -> String {
    let mut out = String::from(
        "chain_position,chain_hash,content_hash,seq,id,occurred_at,operation,action,outcome,actor_type,actor_id,actor_roles,on_behalf_of,records,fields,purpose,reference,reason,recipients,client_addr,user_agent,request_id,working_context,canonical\n",
    );
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    for e in &export.events {
        let records: Vec<String> = e
            .records
            .iter()
            .map(|r| format!("{}:{}", r.record_type, r.id))
            .collect();
        let row = [
            e.chain_position.map(|p| p.to_string()).unwrap_or_default(),
            opt(&e.chain_hash),
            e.content_hash.clone(),
            e.seq.to_string(),
            e.id.to_string(),
            e.occurred_at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            e.operation.clone(),
            e.action.clone(),
            e.outcome.clone(),
            e.actor_type.clone(),
            e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
            e.actor_roles.join(LIST),
            e.on_behalf_of.map(|a| a.to_string()).unwrap_or_default(),
            records.join(LIST),
            e.fields.join(LIST),
            opt(&e.purpose),
            opt(&e.reference),
            opt(&e.reason),
            e.recipients.join(LIST),
            opt(&e.client_addr),
            opt(&e.user_agent),
            e.request_id.clone(),
            e.working_context.map(|w| w.to_string()).unwrap_or_default(),
            e.canonical.clone().unwrap_or_default(),
        ];
        out.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    // The proof follows as comment lines, so the rows stay plain CSV.
    out.push_str(&format!(
        "# previous_chain_hash,{}\n",
        export.previous_chain_hash
    ));
    for l in &export.links {
        out.push_str(&format!(
            "# link,{},{},{},{}\n",
            l.position, l.event_seq, l.content_hash, l.chain_hash
        ));
    }
    // The key of each justification text shown in the rows, so its hash in
    // the canonical column can be checked.
    for e in &export.events {
        for t in &e.texts {
            out.push_str(&format!(
                "# text_key,{},{},{},{}\n",
                e.seq, t.field, t.hash, t.key
            ));
        }
    }
    if let Some(c) = &export.checkpoint {
        out.push_str(&format!(
            "# checkpoint,{},{},{},{},{},{}\n",
            c.position,
            c.chain_hash,
            c.signed_at.to_rfc3339(),
            c.key_id,
            c.public_key,
            c.signature
        ));
    }
    out.push_str(&format!("# how_to_verify,{}\n", csv_field(HOW_TO_VERIFY)));
    out
}

#[utoipa::path(
    get, path = "/api/v1/audit/export", tag = "audit",
    params(ExportParams, ("Probity-Justification" = String, Header, description = "Why: e.g. purpose=audit&reference=ICO-2026-001")),
    security(("bearer" = ["audit.read"])),
    responses(
        (status = 200, description = "The events with their chain proof (JSON; CSV carries the proof as # lines)", body = AuditExport),
        (status = 403, description = "Requires audit.read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad range or format", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn export(
    auth: Authorised<perm::AuditRead>,
    state: web::Data<AppState>,
    params: crate::body::Query<ExportParams>,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let csv = match params.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            return Err(ApiError::field(FieldError::new(
                "format",
                "unknown",
                "Use json or csv",
            )));
        }
    };
    if params.to <= params.from {
        return Err(ApiError::field(FieldError::new(
            "to",
            "before_from",
            "The end must be after the start",
        )));
    }
    let recipient = match params.recipient.as_deref() {
        Some(r) => crate::organisations::parse_id(r, "recipient")?,
        None => shared::organisations::INFORMATION_COMMISSIONER,
    };
    // Seal what has committed and sign the head, never over a chain that
    // does not verify (the sealer checks it first).
    crate::audit::seal::seal_and_sign(&state).await?;
    let (from, to) = (params.from, params.to);
    let export = audit::run(&state, &auth.ctx, move |tx: &mut Tx| {
        Box::pin(async move {
            let recipient = crate::organisations::recipient(tx, recipient, "recipient").await?;
            let export = build(tx, from, to).await?;
            let mut event = AuditEvent::new(Operation::Disclosure, "audit.export", Vec::new())
                .fields(vec!["from".into(), "to".into()]);
            event.recipients = vec![recipient];
            Ok(Audited::new(export, event))
        })
    })
    .await?;
    let stamp = format!(
        "{}_{}",
        from.format("%Y%m%dT%H%M%S"),
        to.format("%Y%m%dT%H%M%S")
    );
    if csv {
        Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"probity-audit-{stamp}.csv\""),
            ))
            .body(to_csv(&export)))
    } else {
        Ok(HttpResponse::Ok()
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"probity-audit-{stamp}.json\""),
            ))
            .json(export))
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn a_cell_is_quoted_when_it_must_be_and_never_runs_as_a_formula() {
        assert_eq!(csv_field("investigation"), "investigation");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("-1+2"), "'-1+2");
    }
}
