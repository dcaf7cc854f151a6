//! `verify`: walks the chain, recomputing every event's content hash and
//! every link, checks each signed checkpoint (and each checkpoint a witness
//! copy holds) on the way, and names the first break, or reports the range
//! verified and its head hash. It only reads: it never seals or signs, so it
//! can never vouch for a chain by signing it.
//!
//! The walk itself ([`walk`]) is shared with the sealer, which checks every
//! link and content hash since the last checkpoint before it signs the next.

use super::canonical::chain_link;
use super::merkle;
use super::rows::{CheckpointRow, EventRow, records_of};
use super::texts;
use crate::auth::keys::Keyring;
use crate::db::schema::{audit_chain, audit_checkpoints, audit_events, audit_log_identity};
use crate::error::ApiError;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use shared::audit::{CheckpointView, VerifyFailure, VerifyReport};
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

pub fn failure(
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
pub fn checkpoint_problem(keys: &Keyring, cp: &CheckpointRow) -> Option<String> {
    let position = cp.position;
    // Live or retired, the key must be one Probity issued.
    let known = keys
        .public_key(&cp.key_id)
        .is_some_and(|k| k.as_slice() == cp.public_key.as_slice());
    if !known {
        return Some(format!(
            "checkpoint at {position} is signed by a key Probity does not hold ({})",
            cp.key_id
        ));
    }
    if signature_holds(&cp.public_key, &cp.signature, &cp.statement().message()) {
        None
    } else {
        Some(format!("checkpoint at {position} has an invalid signature"))
    }
}

pub(super) fn signature_holds(public: &[u8], signature: &[u8], message: &[u8]) -> bool {
    let key = <[u8; 32]>::try_from(public)
        .ok()
        .and_then(|k| VerifyingKey::from_bytes(&k).ok());
    let sig = <[u8; 64]>::try_from(signature)
        .ok()
        .map(|s| Signature::from_bytes(&s));
    matches!((key, sig), (Some(key), Some(sig)) if key.verify(message, &sig).is_ok())
}

/// Checks a witness's copy of a checkpoint: its signature over its own
/// message, by a key Probity holds, and that the message is exactly the
/// statement its fields make (every field, not some: a witness entry whose
/// number or log was edited must not be taken as written).
fn witness_problem(keys: &Keyring, w: &CheckpointView) -> Option<String> {
    let what = format!("the witness's checkpoint {}", w.number.unwrap_or(0));
    let public = hex::decode(&w.public_key).unwrap_or_default();
    let known = keys
        .public_key(&w.key_id)
        .is_some_and(|k| k.as_slice() == public.as_slice());
    if !known {
        return Some(format!("{what} is signed by a key Probity does not hold"));
    }
    let signature = hex::decode(&w.signature).unwrap_or_default();
    if !signature_holds(&public, &signature, w.message.as_bytes()) {
        return Some(format!("{what} has an invalid signature"));
    }
    let bytes = |h: &Option<String>| h.as_ref().and_then(|h| hex::decode(h).ok());
    let stated = super::canonical::CheckpointStatement {
        version: w.version,
        log_id: w.log_id,
        number: w.number,
        position: w.position,
        chain_hash: hex::decode(&w.chain_hash).unwrap_or_default(),
        previous_position: w.previous_position,
        previous_chain_hash: bytes(&w.previous_chain_hash),
        merkle_root: bytes(&w.merkle_root),
        signed_at: w.signed_at,
    };
    if stated.message() != w.message.as_bytes() {
        return Some(format!("{what}'s fields differ from the message it signed"));
    }
    None
}

/// What a walk over part of the chain found.
pub struct Walked {
    /// The last position that verified, and the chain hash there.
    pub to_position: i64,
    pub head: Vec<u8>,
    pub events: i64,
    pub texts_checked: i64,
    pub texts_erased: i64,
    pub failure: Option<VerifyFailure>,
}

/// Walks the chain from position `start` (whose predecessor's chain hash is
/// `prev`) up to `end` or the chain's end, recomputing each event's content
/// hash from its row, records and held texts, and each link. `at` is asked
/// about every position's freshly computed link and Merkle leaf
/// (checkpoints and block roots to compare against); it returns a problem
/// to stop at.
pub async fn walk(
    conn: &mut AsyncPgConnection,
    start: i64,
    prev: Vec<u8>,
    end: Option<i64>,
    mut at: impl FnMut(i64, &[u8], &merkle::Hash) -> Option<String>,
) -> Result<Walked, ApiError> {
    let mut walked = Walked {
        to_position: start - 1,
        head: prev,
        events: 0,
        texts_checked: 0,
        texts_erased: 0,
        failure: None,
    };
    let mut next = start;
    loop {
        let mut page = audit_chain::table
            .filter(audit_chain::position.ge(next))
            .order(audit_chain::position)
            .limit(PAGE)
            .select((
                audit_chain::position,
                audit_chain::event_seq,
                audit_chain::content_hash,
                audit_chain::chain_hash,
            ))
            .into_boxed();
        if let Some(end) = end {
            page = page.filter(audit_chain::position.le(end));
        }
        let chain: Vec<ChainRow> = page.load(conn).await?;
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
        let hashes: Vec<Vec<u8>> = events
            .values()
            .flat_map(|e| e.text_hashes().cloned())
            .collect();
        let held = texts::load(conn, &hashes).await?;
        let missing: Vec<Vec<u8>> = hashes
            .iter()
            .filter(|h| !held.contains_key(*h))
            .cloned()
            .collect();
        let lawful = texts::erased_lawfully(conn, &missing).await?;
        for (position, seq, sealed_hash, chain_hash) in &chain {
            let broken = |reason: &str, id: Option<uuid::Uuid>| {
                failure(Some(*position), Some(*seq), id, reason)
            };
            if *position != next {
                // The missing position itself, not the intact one after it.
                walked.failure = Some(failure(
                    Some(next),
                    None,
                    None,
                    format!("chain position {next} is missing"),
                ));
                break;
            }
            let Some(event) = events.get(seq) else {
                walked.failure = Some(broken("the event sealed here has been deleted", None));
                break;
            };
            let stamped =
                event.to_stamped(records.get(seq).map(Vec::as_slice).unwrap_or(&[]), &held);
            if stamped.content_hash().as_slice() != sealed_hash.as_slice()
                || event.content_hash != *sealed_hash
                || !event.texts_kept_one_way()
            {
                walked.failure = Some(broken(
                    "the event's content differs from what was sealed (altered, or its records changed)",
                    Some(event.id),
                ));
                break;
            }
            let mut text_problem = None;
            for text in stamped.free_texts() {
                match &text.kept {
                    Some(_) if texts::matches(text) => walked.texts_checked += 1,
                    Some(_) => {
                        text_problem = Some(
                            "a justification text held beside the event differs from the one it was written with",
                        )
                    }
                    None if lawful.contains(text.hash.as_slice()) => walked.texts_erased += 1,
                    None => {
                        text_problem = Some(
                            "a justification text of the event was deleted outside any recorded erasure",
                        )
                    }
                }
            }
            if let Some(problem) = text_problem {
                walked.failure = Some(broken(problem, Some(event.id)));
                break;
            }
            let link = chain_link(&walked.head, sealed_hash, *position, *seq);
            if link.as_slice() != chain_hash.as_slice() {
                walked.failure = Some(broken(
                    "the chain link does not follow from its predecessor",
                    Some(event.id),
                ));
                break;
            }
            if let Some(problem) = at(*position, &link, &merkle::leaf(*position, sealed_hash)) {
                walked.failure = Some(broken(&problem, Some(event.id)));
                break;
            }
            walked.head = link.to_vec();
            walked.to_position = *position;
            walked.events += 1;
            next += 1;
        }
        if walked.failure.is_some() || end.is_some_and(|e| next > e) {
            break;
        }
    }
    if walked.failure.is_none()
        && let Some(end) = end
        && walked.to_position < end
    {
        walked.failure = Some(failure(
            Some(walked.to_position + 1),
            None,
            None,
            format!("chain position {} is missing", walked.to_position + 1),
        ));
    }
    Ok(walked)
}

/// The log this database holds.
pub async fn log_id(conn: &mut AsyncPgConnection) -> Result<uuid::Uuid, ApiError> {
    Ok(audit_log_identity::table
        .select(audit_log_identity::log_id)
        .first(conn)
        .await?)
}

/// Problems with the series of checkpoints itself: a number missing from
/// the middle or the start, one that names another checkpoint before it, or
/// another log. Checked in position order.
fn series_problem(
    checkpoints: &[CheckpointRow],
    log: uuid::Uuid,
    restores: &[super::restore::Declaration],
) -> Option<(i64, String)> {
    let mut previous: Option<&CheckpointRow> = None;
    let mut expected = 1;
    for cp in checkpoints {
        if cp.version >= 2 {
            let number = cp.number.unwrap_or(0);
            // After a declared restore, numbering resumes past the lost ones.
            if let Some(d) = restores
                .iter()
                .find(|d| d.kept == expected - 1 && number == d.lost_through + 1)
            {
                expected = d.lost_through + 1;
            }
            if number != expected {
                let missing = if number == expected + 1 {
                    format!("checkpoint {expected} is missing")
                } else if number > expected {
                    format!("checkpoints {expected} to {} are missing", number - 1)
                } else {
                    format!("checkpoint {number} appears out of order")
                };
                return Some((
                    cp.position,
                    format!(
                        "{missing} before the one at position {}: checkpoints have been removed",
                        cp.position
                    ),
                ));
            }
            let (prev_position, prev_hash) = previous
                .map(|p| (p.position, p.chain_hash.clone()))
                .unwrap_or((0, vec![0; 32]));
            if cp.previous_position != Some(prev_position)
                || cp.previous_chain_hash.as_deref() != Some(prev_hash.as_slice())
            {
                return Some((
                    cp.position,
                    format!(
                        "checkpoint {number} names the checkpoint before it at position {}, which is not there: checkpoints have been removed",
                        cp.previous_position.unwrap_or(0)
                    ),
                ));
            }
            if cp.log_id != Some(log) {
                return Some((
                    cp.position,
                    format!("checkpoint {number} was signed for another audit log"),
                ));
            }
            expected += 1;
        }
        previous = Some(cp);
    }
    None
}

/// The Merkle tree's right edge over positions before `start`: stored
/// block roots for the whole blocks, the leaves of the part-block after.
async fn frontier_before(
    conn: &mut AsyncPgConnection,
    start: i64,
    stored: &HashMap<u64, merkle::Hash>,
) -> Result<merkle::Frontier, ApiError> {
    let mut frontier = merkle::Frontier::default();
    let before = start - 1;
    let whole = before / merkle::BLOCK as i64;
    for b in 0..whole {
        let root = stored.get(&(b as u64)).ok_or_else(|| {
            ApiError::new(ErrorCode::Validation)
                .detail("the Merkle blocks before that checkpoint are not all stored: verify from the start")
        })?;
        frontier.push_subtree(merkle::BLOCK, *root);
    }
    let tail: Vec<(i64, Vec<u8>)> = audit_chain::table
        .filter(audit_chain::position.between(whole * merkle::BLOCK as i64 + 1, before))
        .order(audit_chain::position)
        .select((audit_chain::position, audit_chain::content_hash))
        .load(conn)
        .await?;
    for (p, c) in tail {
        frontier.push(merkle::leaf(p, &c));
    }
    Ok(frontier)
}

/// How to take a witness copy's checkpoints of other logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherLogs {
    /// The operator named this copy as the witness of this database: a
    /// checkpoint of another log means the log was replaced.
    Fail,
    /// The server's own witness file, which may also hold the checkpoints
    /// of a database it served before (a test or demo database re-created):
    /// those are set aside with a warning.
    SetAside,
}

/// Verifies from the start of the chain, or from the checkpoint at
/// `from_checkpoint` (trusting that checkpoint once its signature checks),
/// and compares the database with `witness` (a witness copy's checkpoints)
/// when given.
pub async fn verify(
    conn: &mut AsyncPgConnection,
    keys: &Keyring,
    from_checkpoint: Option<i64>,
    witness: &[CheckpointView],
    other_logs: OtherLogs,
) -> Result<VerifyReport, ApiError> {
    let log = log_id(conn).await?;
    let set_aside = witness.iter().filter(|w| w.log_id != Some(log)).count();
    let witness: Vec<CheckpointView> = match other_logs {
        OtherLogs::Fail => witness.to_vec(),
        OtherLogs::SetAside => witness
            .iter()
            .filter(|w| w.log_id == Some(log))
            .cloned()
            .collect(),
    };
    // Checkpoints lost with a restore the operator declared and signed are
    // reported as such, not as removed; a declaration that does not verify
    // is itself a failure.
    let restores = super::restore::declared(conn).await?;
    let bad_restore = restores.iter().find_map(|d| d.problem(keys));
    let lost: Vec<&CheckpointView> = witness
        .iter()
        .filter(|w| {
            w.log_id == Some(log)
                && restores
                    .iter()
                    .any(|d| d.log_id == log && d.covers(w.number.unwrap_or(0)))
        })
        .collect();
    let mut restore_notes = Vec::new();
    for d in &restores {
        let gone: Vec<i64> = lost
            .iter()
            .filter(|w| d.covers(w.number.unwrap_or(0)))
            .map(|w| w.position)
            .collect();
        restore_notes.push(format!(
            "restored from a backup (declared {} by the operator: {}): checkpoints {} to {} of the witness{} went with it",
            d.declared_at.format("%Y-%m-%d %H:%M UTC"),
            d.reason,
            d.kept + 1,
            d.lost_through,
            match (gone.iter().min(), gone.iter().max()) {
                (Some(a), Some(b)) => format!(" (positions up to {a}..{b})"),
                _ => String::new(),
            }
        ));
    }
    let witness: Vec<CheckpointView> = witness
        .iter()
        .filter(|w| {
            !lost
                .iter()
                .any(|l| l.number == w.number && l.log_id == w.log_id)
        })
        .cloned()
        .collect();
    let witness = witness.as_slice();
    let checkpoints: Vec<CheckpointRow> = audit_checkpoints::table
        .select(CheckpointRow::as_select())
        .order(audit_checkpoints::position)
        .load(conn)
        .await?;
    let by_position: HashMap<i64, &CheckpointRow> =
        checkpoints.iter().map(|c| (c.position, c)).collect();
    let (prev, start) = match from_checkpoint {
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
            (cp.chain_hash.clone(), p + 1)
        }
    };
    let mut report = VerifyReport {
        ok: true,
        from_position: start,
        to_position: start - 1,
        events_verified: 0,
        checkpoints_verified: 0,
        signed_to_position: 0,
        head_hash: None,
        awaiting_seal: 0,
        texts_checked: 0,
        texts_erased: 0,
        witness_checkpoints: 0,
        warnings: Vec::new(),
        sealer_refusing: None,
        first_failure: None,
    };
    report.warnings.extend(restore_notes);
    if let Some(problem) = bad_restore {
        report.first_failure = Some(failure(None, None, None, problem));
    }
    if other_logs == OtherLogs::SetAside && set_aside > 0 {
        report.warnings.push(format!(
            "{set_aside} checkpoints in the witness file belong to other audit logs and were not compared"
        ));
    }
    // The witness copy first: each of its checkpoints must be a genuine
    // signature of this log, and the database must still hold it.
    let mut witnessed: HashMap<i64, &CheckpointView> = HashMap::new();
    for w in witness {
        if let Some(problem) = witness_problem(keys, w) {
            report.first_failure = Some(failure(Some(w.position), None, None, problem));
            break;
        }
        if w.log_id != Some(log) {
            report.first_failure = Some(failure(
                Some(w.position),
                None,
                None,
                format!(
                    "the witness holds checkpoints of audit log {}, but this database's log is {log}: \
                     the log has been replaced, or this is not its witness",
                    w.log_id.map(|l| l.to_string()).unwrap_or_default()
                ),
            ));
            break;
        }
        let held = checkpoints.iter().find(|c| c.number == w.number);
        let same = held.is_some_and(|c| {
            c.position == w.position && hex::encode(&c.chain_hash) == w.chain_hash
        });
        if !same {
            report.first_failure = Some(failure(
                Some(w.position),
                None,
                None,
                format!(
                    "the witness holds checkpoint {} at position {} (signed {}), which the database {}: \
                     checkpoints were removed or replaced, and the events they covered may have been rewritten",
                    w.number.unwrap_or(0),
                    w.position,
                    w.signed_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    if held.is_some() {
                        "holds differently"
                    } else {
                        "no longer holds"
                    }
                ),
            ));
            break;
        }
        witnessed.insert(w.position, w);
        report.witness_checkpoints += 1;
    }
    if report.first_failure.is_none()
        && let Some((position, problem)) = series_problem(&checkpoints, log, &restores)
    {
        report.first_failure = Some(failure(Some(position), None, None, problem));
    }
    if report.first_failure.is_some() {
        report.ok = false;
        return Ok(report);
    }
    let mut checkpoints_verified = 0;
    let mut signed_to = 0;
    // The Merkle tree grows with the walk; each stored block root and each
    // signed root is compared on the way.
    let stored_blocks = super::proofs::blocks_below(conn, i64::MAX).await?;
    let mut blocks = merkle::BlockCheck::new(&stored_blocks);
    let mut frontier = frontier_before(conn, start, &stored_blocks).await?;
    let walked = walk(conn, start, prev, None, |position, link, leaf| {
        frontier.push(*leaf);
        if let Some(problem) = blocks.add(position, *leaf) {
            return Some(problem);
        }
        if let Some(w) = witnessed.get(&position)
            && w.chain_hash != hex::encode(link)
        {
            return Some(format!(
                "the witness's checkpoint {} disagrees with the chain here: events at or before this position were rewritten",
                w.number.unwrap_or(0)
            ));
        }
        let cp = by_position.get(&position)?;
        if cp.chain_hash != link {
            return Some("a signed checkpoint disagrees with the chain here".into());
        }
        if let Some(root) = &cp.merkle_root
            && frontier.root().map(|r| r.to_vec()).as_ref() != Some(root)
        {
            return Some("the Merkle root a checkpoint signed differs from the events up to it".into());
        }
        if let Some(problem) = checkpoint_problem(keys, cp) {
            return Some(problem);
        }
        checkpoints_verified += 1;
        signed_to = position;
        None
    })
    .await?;
    report.to_position = walked.to_position;
    report.events_verified = walked.events;
    report.checkpoints_verified = checkpoints_verified;
    report.signed_to_position = signed_to.max(if from_checkpoint.is_some() {
        start - 1
    } else {
        0
    });
    report.texts_checked = walked.texts_checked;
    report.texts_erased = walked.texts_erased;
    report.head_hash = (report.to_position >= start || from_checkpoint.is_some())
        .then(|| hex::encode(&walked.head));
    report.first_failure = walked.failure;
    if report.first_failure.is_none() {
        // Removing the newest events with their chain rows leaves a shorter
        // chain that links perfectly; only a checkpoint signed beyond its
        // end (or a witness's) shows the cut.
        let beyond = checkpoints
            .iter()
            .map(|c| c.position)
            .chain(witness.iter().map(|w| w.position))
            .filter(|p| *p > report.to_position && *p >= start)
            .min();
        if let Some(cp) = beyond {
            let end = report.to_position;
            report.first_failure = Some(failure(
                Some(end + 1),
                None,
                None,
                format!(
                    "a signed checkpoint at position {cp} lies beyond the end of the chain at {end}: \
                     sealed events after {end} have been removed"
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
    if report.first_failure.is_none() && report.to_position > report.signed_to_position {
        report.warnings.push(format!(
            "positions {} to {} link correctly but no signed checkpoint covers them yet{}",
            report.signed_to_position + 1,
            report.to_position,
            if witness.is_empty() {
                "; compare with a witness copy (verify-audit --witness) to be sure of the rest"
            } else {
                ""
            }
        ));
    }
    report.ok = report.first_failure.is_none();
    Ok(report)
}
