//! The officer's decision on each item of the pack: release it, release it
//! with fields redacted, or withhold it on a ground of s.45(4), with the
//! reason, which stays with the case for the Commissioner and never enters
//! the pack. Decisions are kept by item key, so they survive a re-compile
//! of an item that did not change.

use super::{compile, record, store};
use crate::audit::{AuditEvent, Audited, Operation, Tx};
use crate::db::schema::{rights_pack_decisions, users};
use crate::error::ApiError;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{ErrorCode, FieldErrors};
use shared::rights::pack::{Decision, DecisionInput, WorkingPack};
use shared::rights::{ItemDecision, WithholdingGround};
use std::collections::HashMap;
use uuid::Uuid;

type DecisionRow = (
    String,
    String,
    Vec<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    DateTime<Utc>,
);

/// Puts the decisions made so far on the pack's items and counts what is
/// still undecided.
pub async fn apply(tx: &mut Tx, id: Uuid, pack: &mut WorkingPack) -> Result<(), ApiError> {
    let rows: Vec<DecisionRow> = rights_pack_decisions::table
        .left_join(users::table.on(users::id.nullable().eq(rights_pack_decisions::decided_by)))
        .filter(rights_pack_decisions::request_id.eq(id))
        .select((
            rights_pack_decisions::item_key,
            rights_pack_decisions::decision,
            rights_pack_decisions::redactions,
            rights_pack_decisions::ground,
            rights_pack_decisions::reason,
            users::username.nullable(),
            rights_pack_decisions::decided_at,
        ))
        .load(tx.conn()?)
        .await?;
    let mut by_key: HashMap<String, Decision> = HashMap::new();
    for (key, decision, lists, ground, reason, by, at) in rows {
        // Redactions and un-redactions share one column: "-path" lifts a
        // default redaction.
        let (unredacted, redactions): (Vec<String>, Vec<String>) =
            lists.into_iter().partition(|p| p.starts_with('-'));
        by_key.insert(
            key,
            Decision {
                decision: ItemDecision::parse(&decision).unwrap_or(ItemDecision::Withhold),
                redactions,
                unredacted: unredacted.into_iter().map(|p| p[1..].to_owned()).collect(),
                ground: ground.as_deref().and_then(WithholdingGround::parse),
                reason,
                decided_by: by,
                decided_at: Some(at),
            },
        );
    }
    for item in &mut pack.items {
        item.decision = by_key.remove(&item.key);
    }
    pack.summary.undecided = pack.items.iter().filter(|i| i.in_force().is_none()).count();
    Ok(())
}

/// Records decisions on items of the latest compile.
pub async fn decide(
    tx: &mut Tx,
    id: Uuid,
    inputs: Vec<DecisionInput>,
    today: NaiveDate,
) -> Result<Audited<WorkingPack>, ApiError> {
    let case = store::row(tx, id, true).await?;
    store::still_open(&case)?;
    let Some(pack) = compile::latest(tx, id).await? else {
        return Err(ApiError::new(ErrorCode::Conflict)
            .detail("Compile the pack before deciding on its items"));
    };
    let mut errors = FieldErrors::default();
    let mut decided = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let Some(item) = pack.items.iter().find(|it| it.key == input.item) else {
            errors.0.push(shared::error::FieldError::new(
                &format!("[{i}].item"),
                "unknown",
                "The latest compile has no such item",
            ));
            continue;
        };
        match input.validate(&item.fields) {
            Ok(d) => decided.push((item.key.clone(), item.title.clone(), d)),
            Err(e) => errors.0.extend(e.0.into_iter().map(|mut f| {
                f.field = format!("[{i}].{}", f.field);
                f
            })),
        }
    }
    if !errors.0.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let actor = tx.ctx().actor.id();
    for (key, title, d) in &decided {
        let mut lists = d.redactions.clone();
        lists.extend(d.unredacted.iter().map(|p| format!("-{p}")));
        let values = (
            rights_pack_decisions::request_id.eq(id),
            rights_pack_decisions::item_key.eq(key),
            rights_pack_decisions::decision.eq(d.decision.as_str()),
            rights_pack_decisions::redactions.eq(&lists),
            rights_pack_decisions::ground.eq(d.ground.map(|g| g.as_str())),
            rights_pack_decisions::reason.eq(&d.reason),
            rights_pack_decisions::decided_by.eq(actor),
            rights_pack_decisions::decided_at.eq(Utc::now()),
        );
        diesel::insert_into(rights_pack_decisions::table)
            .values(values)
            .on_conflict((
                rights_pack_decisions::request_id,
                rights_pack_decisions::item_key,
            ))
            .do_update()
            .set(values)
            .execute(tx.conn()?)
            .await?;
        let what = match (d.decision, d.ground) {
            (ItemDecision::Withhold, Some(g)) => {
                format!("Withheld under s.45(4)({}): {title}", g.as_str())
            }
            (ItemDecision::Redact, Some(g)) => format!(
                "Released with redactions under s.45(4)({}): {title}",
                g.as_str()
            ),
            _ => format!("Released: {title}"),
        };
        store::note(tx, id, &what, None).await?;
    }
    let pack = compile::latest(tx, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let _ = today;
    let event = AuditEvent::new(Operation::Alteration, "rights.decide", vec![record(id)]).fields(
        decided
            .iter()
            .map(|(k, _, _)| format!("decision:{k}"))
            .collect(),
    );
    Ok(Audited::new(pack, event))
}
