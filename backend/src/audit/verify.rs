//! `verify`: walks the chain, recomputing every event's content hash and
//! every link, checks each signed checkpoint on the way, and names the first
//! event that breaks, or reports the range verified and its head hash.

use super::canonical::{chain_link, checkpoint_message};
use super::rows::{CheckpointRow, EventRow, checkpoint_columns, records_of};
use crate::auth::keys::Keyring;
use crate::db::schema::{audit_chain, audit_checkpoints, audit_events};
use crate::error::ApiError;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use shared::audit::{VerifyFailure, VerifyReport};
use shared::error::{ErrorCode, FieldError};
use std::collections::HashMap;

const PAGE: i64 = 5_000;

type ChainRow = (i64, i64, Vec<u8>, Vec<u8>);

#[derive(QueryableByName)]
struct Unsealed {
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: uuid::Uuid,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn failure(
    position: Option<i64>,
    seq: Option<i64>,
    id: Option<uuid::Uuid>,
    reason: impl Into<String>,
) -> VerifyFailure {
    VerifyFailure {
        position,
        event_seq: seq,
        event_id: id,
        reason: reason.into(),
    }
}

/// Checks a checkpoint's signature and that its key is one Probity holds.
fn checkpoint_problem(keys: &Keyring, cp: &CheckpointRow) -> Option<String> {
    let (position, hash, signed_at, kid, public, signature) = cp;
    // Live or retired, the key must be one Probity issued.
    let known = keys
        .public_key(kid)
        .is_some_and(|k| k.as_slice() == public.as_slice());
    if !known {
        return Some(format!(
            "checkpoint at {position} is signed by a key Probity does not hold ({kid})"
        ));
    }
    let key = <[u8; 32]>::try_from(public.as_slice())
        .ok()
        .and_then(|k| VerifyingKey::from_bytes(&k).ok());
    let sig = <[u8; 64]>::try_from(signature.as_slice())
        .ok()
        .map(|s| Signature::from_bytes(&s));
    match (key, sig) {
        (Some(key), Some(sig))
            if key
                .verify(&checkpoint_message(*position, hash, signed_at), &sig)
                .is_ok() =>
        {
            None
        }
        _ => Some(format!("checkpoint at {position} has an invalid signature")),
    }
}

/// Verifies from the start of the chain, or from the checkpoint at
/// `from_checkpoint` (trusting that checkpoint once its signature checks).
pub async fn verify(
    conn: &mut AsyncPgConnection,
    keys: &Keyring,
    from_checkpoint: Option<i64>,
) -> Result<VerifyReport, ApiError> {
    let checkpoints: Vec<CheckpointRow> = audit_checkpoints::table
        .select(checkpoint_columns())
        .order(audit_checkpoints::position)
        .load(conn)
        .await?;
    let by_position: HashMap<i64, &CheckpointRow> = checkpoints.iter().map(|c| (c.0, c)).collect();
    let (mut prev, mut next) = match from_checkpoint {
        None => (vec![0u8; 32], 1),
        Some(p) => {
            let cp = by_position.get(&p).ok_or_else(|| {
                ApiError::field(FieldError::new(
                    "from_checkpoint",
                    "unknown",
                    "No checkpoint at that position",
                ))
            })?;
            if let Some(problem) = checkpoint_problem(keys, cp) {
                return Err(ApiError::new(ErrorCode::Validation).detail(problem));
            }
            (cp.1.clone(), p + 1)
        }
    };
    let from_position = next;
    let mut report = VerifyReport {
        ok: true,
        from_position,
        to_position: next - 1,
        events_verified: 0,
        checkpoints_verified: 0,
        head_hash: (next > 1).then(|| hex::encode(&prev)),
        awaiting_seal: 0,
        first_failure: None,
    };
    loop {
        let chain: Vec<ChainRow> = audit_chain::table
            .filter(audit_chain::position.ge(next))
            .order(audit_chain::position)
            .limit(PAGE)
            .select((
                audit_chain::position,
                audit_chain::event_seq,
                audit_chain::content_hash,
                audit_chain::chain_hash,
            ))
            .load(conn)
            .await?;
        if chain.is_empty() {
            break;
        }
        let seqs: Vec<i64> = chain.iter().map(|c| c.1).collect();
        let events: HashMap<i64, EventRow> = audit_events::table
            .filter(audit_events::seq.eq_any(&seqs))
            .select(EventRow::as_select())
            .load::<EventRow>(conn)
            .await?
            .into_iter()
            .map(|e| (e.seq, e))
            .collect();
        let records = records_of(conn, &seqs).await?;
        for (position, seq, sealed_hash, chain_hash) in &chain {
            let broken = |reason: &str, id: Option<uuid::Uuid>| {
                failure(Some(*position), Some(*seq), id, reason)
            };
            if *position != next {
                report.first_failure =
                    Some(broken(&format!("chain position {next} is missing"), None));
                break;
            }
            let Some(event) = events.get(seq) else {
                report.first_failure = Some(broken("the event sealed here has been deleted", None));
                break;
            };
            let recomputed = event
                .to_stamped(records.get(seq).map(Vec::as_slice).unwrap_or(&[]))
                .content_hash();
            if recomputed.as_slice() != sealed_hash.as_slice() || event.content_hash != *sealed_hash
            {
                report.first_failure = Some(broken(
                    "the event's content differs from what was sealed (altered, or its records changed)",
                    Some(event.id),
                ));
                break;
            }
            let link = chain_link(&prev, sealed_hash, *position, *seq);
            if link.as_slice() != chain_hash.as_slice() {
                report.first_failure = Some(broken(
                    "the chain link does not follow from its predecessor",
                    Some(event.id),
                ));
                break;
            }
            if let Some(cp) = by_position.get(position) {
                if cp.1 != link {
                    report.first_failure = Some(broken(
                        "a signed checkpoint disagrees with the chain here",
                        Some(event.id),
                    ));
                    break;
                }
                if let Some(problem) = checkpoint_problem(keys, cp) {
                    report.first_failure = Some(broken(&problem, Some(event.id)));
                    break;
                }
                report.checkpoints_verified += 1;
            }
            prev = link.to_vec();
            report.to_position = *position;
            report.events_verified += 1;
            next += 1;
        }
        if report.first_failure.is_some() {
            break;
        }
    }
    report.head_hash = (report.to_position >= from_position || from_checkpoint.is_some())
        .then(|| hex::encode(&prev));
    if report.first_failure.is_none() {
        // Removing the newest events with their chain rows leaves a shorter
        // chain that links perfectly; only a checkpoint signed beyond its
        // end shows the cut (a copy held outside Probity shows it even if
        // the checkpoint was removed too).
        if let Some(cp) = checkpoints
            .iter()
            .find(|c| c.0 > report.to_position && c.0 >= from_position)
        {
            let end = report.to_position;
            report.first_failure = Some(failure(
                Some(end + 1),
                None,
                None,
                format!(
                    "a signed checkpoint at position {} lies beyond the end of the chain at {end}: \
                     sealed events after {end} have been removed",
                    cp.0
                ),
            ));
        }
    }
    if report.first_failure.is_none() {
        // An event older than the sealed horizon but outside the chain was
        // slipped in behind it (or its chain row was deleted at the end).
        let slipped: Vec<Unsealed> = diesel::sql_query(
            "SELECT e.seq, e.id FROM audit_events e \
             WHERE e.txid < (SELECT coalesce(max(horizon), 0) FROM audit_chain)::text::xid8 \
               AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_seq = e.seq) \
             ORDER BY e.seq LIMIT 1",
        )
        .load(conn)
        .await?;
        if let Some(u) = slipped.into_iter().next() {
            report.first_failure = Some(failure(
                None,
                Some(u.seq),
                Some(u.id),
                "an event from before the sealed horizon is missing from the chain",
            ));
        }
        let waiting: Count = diesel::sql_query(
            "SELECT count(*) AS n FROM audit_events e \
             WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_seq = e.seq)",
        )
        .get_result(conn)
        .await?;
        report.awaiting_seal = waiting.n;
    }
    report.ok = report.first_failure.is_none();
    Ok(report)
}
