//! Sealing: linking committed events into the SHA-256 hash chain, and
//! signing checkpoints over it.
//!
//! Why not chain inside each request's transaction? Every read writes an
//! event, so a chain head locked by every transaction would serialise the
//! whole system behind one lock (DESIGN-NOTES §2). Instead events are
//! inserted with only their own content hash, and one sealer (any instance;
//! an advisory lock elects it) links them shortly after commit.
//!
//! Each round takes the events of every transaction that had finished when
//! its snapshot was taken, in transaction-id order, and appends them. A
//! rolled-back event never appears, leaving no hole to explain; a long
//! transaction's events are sealed in the round after it commits. Each link
//! records a horizon (the snapshot's `xmin`): every event of a transaction
//! below it is in the chain, which lets `verify` detect an event slipped in
//! behind the chain. Until sealed, the database role's inability to update
//! or delete protects the events.
//!
//! A signature is only worth what was checked before it was made, so the
//! sealer never signs over what it has not verified. Before every round it
//! checks that what it sealed and signed itself is still there unchanged
//! (and, after a start, that the database still holds the newest checkpoint
//! its witness file holds); before every checkpoint it recomputes every
//! content hash and link since the previous checkpoint. If anything fails it
//! refuses: nothing is sealed or signed, the refusal is logged as an error
//! and counted, and `/metrics` shows sealing halted until the log is mended.

use super::canonical::{CheckpointStatement, chain_link};
use super::merkle;
use super::rows::CheckpointRow;
use super::verify::{checkpoint_problem, log_id, walk};
use super::witness::Witnesses;
use crate::config::Config;
use crate::db::schema::{audit_blocks, audit_chain, audit_checkpoints};
use crate::error::ApiError;
use crate::state::AppState;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bytea};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::sync::Mutex;
use std::time::Duration;

const SEAL_LOCK: i64 = 0x5052_4f42_5345_414c; // "PROBSEAL"
const BATCH: i64 = 5_000;

#[derive(QueryableByName)]
struct Candidate {
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Bytea)]
    content_hash: Vec<u8>,
    #[diesel(sql_type = BigInt)]
    txid: i64,
    #[diesel(sql_type = BigInt)]
    xmin: i64,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SealReport {
    pub sealed: usize,
    pub checkpoint: Option<i64>,
    /// Why nothing was sealed or signed, when the sealer refused.
    pub refused: Option<String>,
}

/// What this instance's sealer has verified or signed itself: the
/// reference it checks the database against in every later round.
#[derive(Clone, Debug)]
struct Known {
    position: i64,
    chain_hash: Vec<u8>,
    /// The newest checkpoint it saw verified: (number, position, hash).
    checkpoint: Option<(i64, i64, Vec<u8>)>,
}

/// The sealer's memory and its witnesses, one per instance.
pub struct Sealer {
    known: Mutex<Option<Known>>,
    refusing: Mutex<Option<String>>,
    pub witnesses: Witnesses,
}

impl Sealer {
    pub fn new(config: &Config) -> Self {
        Self {
            known: Mutex::new(None),
            refusing: Mutex::new(None),
            witnesses: Witnesses::from_config(config),
        }
    }

    /// Why the sealer is refusing, if it is.
    pub fn refusing(&self) -> Option<String> {
        self.refusing
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn known(&self) -> Option<Known> {
        self.known.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn remember(&self, known: Known) {
        *self.known.lock().unwrap_or_else(|p| p.into_inner()) = Some(known);
    }
}

/// A round stopped because the chain or its checkpoints did not verify:
/// rolls the round back, so nothing is appended over a broken chain.
struct Refusal {
    kind: &'static str,
    reason: String,
}

enum Round {
    /// Another instance (or an export) is sealing: nothing was decided.
    NotElected,
    Done(SealReport, Known, uuid::Uuid),
    Refused(Refusal),
}

/// Seals what can be sealed now, and signs a checkpoint when one is due.
/// Safe to call from any number of instances.
pub async fn seal_once(state: &AppState) -> Result<SealReport, ApiError> {
    seal(state, false).await
}

/// Seals everything committed, waiting for any sealer at work, and signs a
/// checkpoint over the head if it verifies: an export wants one covering
/// its range. Returns the last round's report.
pub async fn seal_and_sign(state: &AppState) -> Result<SealReport, ApiError> {
    loop {
        let report = seal(state, true).await?;
        if report.sealed < BATCH as usize || report.refused.is_some() {
            return Ok(report);
        }
    }
}

async fn seal(state: &AppState, sign_now: bool) -> Result<SealReport, ApiError> {
    let mut conn = crate::db::begin::<ApiError>(&state.pool).await?;
    let outcome = seal_in_transaction(&mut conn, state, sign_now).await;
    let round = match outcome {
        Ok(Round::Refused(refusal)) => {
            // Whatever this round appended goes with the rollback.
            crate::db::finish(conn, Err::<(), ApiError>(ApiError::internal("refused")))
                .await
                .ok();
            return Ok(refused(state, refusal));
        }
        other => crate::db::finish(conn, other).await?,
    };
    let (report, known, log) = match round {
        Round::Done(report, known, log) => (report, known, log),
        // Someone else is at it: whatever this instance said before stands.
        Round::NotElected | Round::Refused(_) => return Ok(SealReport::default()),
    };
    state.sealer.remember(known);
    let was_refusing = state
        .sealer
        .refusing
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    if was_refusing.is_some() {
        state.metrics.audit_sealing_halted.set(0);
        tracing::warn!("the audit chain verifies again; sealing resumed");
    }
    // Every round, so a witness that was down, or a crash between a
    // checkpoint's commit and its delivery, is caught up without waiting for
    // the next checkpoint.
    state.sealer.witnesses.deliver(state, log).await;
    Ok(report)
}

fn refused(state: &AppState, refusal: Refusal) -> SealReport {
    state
        .metrics
        .audit_seal_refusals
        .with_label_values(&[refusal.kind])
        .inc();
    state.metrics.audit_sealing_halted.set(1);
    let mut refusing = state
        .sealer
        .refusing
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    // Said once per distinct reason, not four times a second.
    if refusing.as_deref() != Some(refusal.reason.as_str()) {
        tracing::error!(
            reason = %refusal.reason,
            "AUDIT CHAIN DOES NOT VERIFY: the sealer refuses to extend or sign it; \
             run `probity verify-audit --witness <file>` and investigate"
        );
    }
    *refusing = Some(refusal.reason.clone());
    SealReport {
        refused: Some(refusal.reason),
        ..SealReport::default()
    }
}

fn refuse(kind: &'static str, reason: impl Into<String>) -> Result<Round, ApiError> {
    Ok(Round::Refused(Refusal {
        kind,
        reason: reason.into(),
    }))
}

async fn newest_checkpoint(
    conn: &mut AsyncPgConnection,
) -> Result<Option<CheckpointRow>, ApiError> {
    Ok(audit_checkpoints::table
        .select(CheckpointRow::as_select())
        .order(audit_checkpoints::position.desc())
        .first(conn)
        .await
        .optional()?)
}

async fn checkpoint_numbered(
    conn: &mut AsyncPgConnection,
    number: i64,
) -> Result<Option<CheckpointRow>, ApiError> {
    Ok(audit_checkpoints::table
        .filter(audit_checkpoints::number.eq(number))
        .select(CheckpointRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

async fn chain_hash_at(
    conn: &mut AsyncPgConnection,
    position: i64,
) -> Result<Option<Vec<u8>>, ApiError> {
    Ok(audit_chain::table
        .find(position)
        .select(audit_chain::chain_hash)
        .first(conn)
        .await
        .optional()?)
}

/// Checks that what this sealer (or, after a start, its witness file) knows
/// is still in the database as it was. `None` when it is.
async fn guard(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    log: uuid::Uuid,
    head: i64,
    newest: Option<&CheckpointRow>,
) -> Result<Option<Refusal>, ApiError> {
    let refusal = |kind, reason: String| Ok(Some(Refusal { kind, reason }));
    // A checkpoint is signed in the very round that first seals events, so
    // a sealed chain without any has lost them.
    let Some(newest) = newest else {
        if head > 0 {
            return refusal(
                "checkpoints_missing",
                format!(
                    "the chain holds {head} sealed events but no signed checkpoint: the checkpoints have been removed"
                ),
            );
        }
        if let Some((number, position, _)) = state.sealer.known().and_then(|k| k.checkpoint) {
            return refusal(
                "checkpoints_missing",
                format!(
                    "checkpoint {number} at position {position}, verified by this server, has disappeared with every other"
                ),
            );
        }
        if let Ok(Some(w)) = state.sealer.witnesses.newest_in_file(log).await {
            return refusal(
                "witness_disagrees",
                format!(
                    "the witness file holds checkpoint {} at position {} of this log, which now holds none: the log was emptied",
                    w.number.unwrap_or(0),
                    w.position
                ),
            );
        }
        return Ok(None);
    };
    if let Some(problem) = checkpoint_problem(&state.keys, newest) {
        return refusal("checkpoint_signature", problem);
    }
    if newest.version >= 2 && newest.log_id != Some(log) {
        return refusal(
            "log_identity",
            "the newest checkpoint was signed for another audit log than the one this database names".into(),
        );
    }
    let chain_at_newest = chain_hash_at(conn, newest.position).await?;
    if chain_at_newest.as_deref() != Some(newest.chain_hash.as_slice()) {
        return refusal(
            "chain_rewritten",
            format!(
                "the chain at position {} no longer matches the checkpoint signed over it",
                newest.position
            ),
        );
    }
    if let Some(known) = state.sealer.known() {
        if let Some((number, position, hash)) = &known.checkpoint {
            let still = checkpoint_numbered(conn, *number).await?;
            if still.as_ref().map(|c| (c.position, &c.chain_hash)) != Some((*position, hash)) {
                return refusal(
                    "checkpoints_missing",
                    format!(
                        "checkpoint {number} at position {position}, verified by this server, has disappeared or changed: \
                             checkpoints were removed and the events they covered may have been rewritten"
                    ),
                );
            }
        }
        if known.position > 0 {
            match chain_hash_at(conn, known.position).await? {
                Some(hash) if hash == known.chain_hash => {}
                Some(_) => {
                    return refusal(
                        "chain_rewritten",
                        format!(
                            "the chain at position {} differs from what this server sealed: events at or before it were rewritten",
                            known.position
                        ),
                    );
                }
                None => {
                    return refusal(
                        "chain_cut",
                        format!(
                            "position {}, sealed by this server, has disappeared: the newest events were removed",
                            known.position
                        ),
                    );
                }
            }
        }
    }
    // The witness file remembers what any instance signed and delivered,
    // across restarts: every round, the database must still hold the newest
    // checkpoint it holds, as it was.
    let witnessed = match state.sealer.witnesses.newest_in_file(log).await {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!(error = %e, "the audit witness file could not be read; relying on the database alone");
            None
        }
    };
    // Checkpoints lost with a declared restore from backup are accounted for.
    let lost = super::restore::lost_through(conn).await?;
    if let Some(w) = witnessed.filter(|w| w.number.unwrap_or(0) > lost) {
        let number = w.number.unwrap_or(0);
        let held = checkpoint_numbered(conn, number).await?;
        let same = held.as_ref().is_some_and(|c| {
            c.position == w.position && hex::encode(&c.chain_hash) == w.chain_hash
        });
        if !same {
            return refusal(
                "witness_disagrees",
                format!(
                    "the witness file holds checkpoint {number} at position {}, which the database {}: \
                     checkpoints were removed and the events they covered may have been rewritten",
                    w.position,
                    if held.is_some() {
                        "holds differently"
                    } else {
                        "no longer holds"
                    }
                ),
            );
        }
    }
    Ok(None)
}

async fn seal_in_transaction(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    sign_now: bool,
) -> Result<Round, ApiError> {
    if sign_now {
        // An export waits its turn rather than go without a checkpoint.
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<BigInt, _>(SEAL_LOCK)
            .execute(conn)
            .await?;
    } else if !crate::db::try_lock_for_transaction(conn, SEAL_LOCK).await? {
        return Ok(Round::NotElected);
    }
    let log = log_id(conn).await?;
    let head: Option<(i64, Vec<u8>, i64)> = audit_chain::table
        .select((
            audit_chain::position,
            audit_chain::chain_hash,
            audit_chain::horizon,
        ))
        .order(audit_chain::position.desc())
        .first(conn)
        .await
        .optional()?;
    let (mut position, mut prev, from) = match head {
        Some((p, h, horizon)) => (p, h, horizon),
        None => (0, vec![0u8; 32], 0),
    };
    let newest = newest_checkpoint(conn).await?;
    if let Some(refusal) = guard(conn, state, log, position, newest.as_ref()).await? {
        return Ok(Round::Refused(refusal));
    }
    // PostgreSQL cannot estimate `txid >= horizon` (xid8 has no useful
    // statistics) and, once the log holds a million events, plans a
    // parallel scan of both tables: half a second of both cores every
    // round, whether or not anything is waiting. The indexes on txid and
    // event_seq answer it in microseconds; this transaction uses only them.
    diesel::sql_query(
        "SELECT set_config('enable_seqscan', 'off', true), \
                set_config('enable_hashjoin', 'off', true), \
                set_config('enable_mergejoin', 'off', true)",
    )
    .execute(conn)
    .await?;
    // One statement, so the horizon and the rows share one snapshot. Every
    // finished transaction's events are taken, even past an older one still
    // running (in any database of the cluster); that one's events are sealed
    // in the round after it commits.
    let batch: Vec<Candidate> = diesel::sql_query(
        "WITH s AS (SELECT pg_current_snapshot() AS snap) \
         SELECT e.seq, e.content_hash, e.txid::text::bigint AS txid, \
                pg_snapshot_xmin(s.snap)::text::bigint AS xmin \
         FROM audit_events e, s \
         WHERE e.txid >= $1::text::xid8 AND pg_visible_in_snapshot(e.txid, s.snap) \
           AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_seq = e.seq) \
         ORDER BY e.txid, e.seq LIMIT $2",
    )
    .bind::<diesel::sql_types::Text, _>(from.to_string())
    .bind::<BigInt, _>(BATCH)
    .load(conn)
    .await?;
    let full = batch.len() as i64 == BATCH;
    let mut rows = Vec::with_capacity(batch.len());
    for c in &batch {
        // The horizon promises that every event of a transaction below it is
        // sealed: true below xmin (all finished), and, for a batch cut short
        // by the limit, only below the last transaction taken.
        let horizon = if full { c.txid.min(c.xmin) } else { c.xmin };
        position += 1;
        let link = chain_link(&prev, &c.content_hash, position, c.seq);
        rows.push((
            audit_chain::position.eq(position),
            audit_chain::event_seq.eq(c.seq),
            audit_chain::content_hash.eq(c.content_hash.clone()),
            audit_chain::chain_hash.eq(link.to_vec()),
            audit_chain::horizon.eq(horizon.max(from)),
        ));
        prev = link.to_vec();
    }
    for chunk in rows.chunks(2_000) {
        diesel::insert_into(audit_chain::table)
            .values(chunk)
            .execute(conn)
            .await?;
    }
    store_blocks(conn, position).await?;
    let due = position > 0
        && match &newest {
            None => true,
            Some(cp) if cp.position >= position => false,
            Some(_) if sign_now => true,
            Some(cp) => {
                position - cp.position >= state.config.checkpoint_every_events
                    || (chrono::Utc::now() - cp.signed_at).num_seconds()
                        >= state.config.checkpoint_every_secs
            }
        };
    let mut checkpoint = newest
        .as_ref()
        .and_then(|c| Some((c.number?, c.position, c.chain_hash.clone())));
    let mut signed = None;
    if due {
        // Every link and content hash since the previous checkpoint,
        // recomputed from the rows, before anything is signed over them.
        let (start, anchor) = newest
            .as_ref()
            .map(|c| (c.position + 1, c.chain_hash.clone()))
            .unwrap_or((1, vec![0u8; 32]));
        // The stored roots of the blocks the walk passes through.
        let block = merkle::BLOCK as i64;
        let stored =
            super::proofs::blocks_between(conn, (start - 1) / block, position / block).await?;
        let mut blocks = merkle::BlockCheck::new(&stored);
        let walked = walk(conn, start, anchor, Some(position), |p, _, leaf| {
            blocks.add(p, *leaf)
        })
        .await?;
        if let Some(f) = walked.failure {
            return refuse(
                "chain_broken",
                format!(
                    "position {}: {}; no checkpoint will be signed over it",
                    f.position.unwrap_or(0),
                    f.reason
                ),
            );
        }
        if walked.head != prev {
            return refuse(
                "chain_broken",
                "the recomputed head differs from the sealed head; no checkpoint will be signed",
            );
        }
        let root = super::proofs::merkle_root(conn, &state.audit_blocks, position).await?;
        let number = sign(conn, state, log, position, &prev, &root, newest.as_ref()).await?;
        checkpoint = Some((number, position, prev.clone()));
        signed = Some(position);
    }
    Ok(Round::Done(
        SealReport {
            sealed: batch.len(),
            checkpoint: signed,
            refused: None,
        },
        Known {
            position,
            chain_hash: prev,
            checkpoint,
        },
        log,
    ))
}

/// Signs a numbered checkpoint over the verified head, naming the one
/// before it. Returns its number.
async fn sign(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    log: uuid::Uuid,
    head: i64,
    head_hash: &[u8],
    merkle_root: &merkle::Hash,
    previous: Option<&CheckpointRow>,
) -> Result<i64, ApiError> {
    let key = state
        .keys
        .active()
        .ok_or_else(|| ApiError::internal("no signing key for checkpoints"))?;
    // Numbers lost with a declared restore are never used again.
    let lost = super::restore::lost_through(conn).await?;
    let number = previous.and_then(|p| p.number).unwrap_or(0).max(lost) + 1;
    let statement = CheckpointStatement {
        version: 2,
        log_id: Some(log),
        number: Some(number),
        position: head,
        chain_hash: head_hash.to_vec(),
        previous_position: Some(previous.map(|p| p.position).unwrap_or(0)),
        previous_chain_hash: Some(
            previous
                .map(|p| p.chain_hash.clone())
                .unwrap_or_else(|| vec![0; 32]),
        ),
        merkle_root: Some(merkle_root.to_vec()),
        signed_at: chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6),
    };
    let signature = key.sign(&statement.message());
    diesel::insert_into(audit_checkpoints::table)
        .values((
            audit_checkpoints::position.eq(head),
            audit_checkpoints::chain_hash.eq(head_hash.to_vec()),
            audit_checkpoints::signed_at.eq(statement.signed_at),
            audit_checkpoints::key_id.eq(&key.kid),
            audit_checkpoints::public_key.eq(key.public_bytes().to_vec()),
            audit_checkpoints::signature.eq(signature.to_vec()),
            audit_checkpoints::version.eq(2i16),
            audit_checkpoints::log_id.eq(log),
            audit_checkpoints::number.eq(number),
            audit_checkpoints::previous_position.eq(statement.previous_position),
            audit_checkpoints::previous_chain_hash.eq(statement.previous_chain_hash.clone()),
            audit_checkpoints::merkle_root.eq(statement.merkle_root.clone()),
        ))
        .execute(conn)
        .await?;
    Ok(number)
}

/// Stores the Merkle root of every block of positions completed up to
/// `head` (blocks fill in order, so the next one to store follows the last
/// stored). A chain sealed before blocks existed is caught up here at once.
async fn store_blocks(conn: &mut AsyncPgConnection, head: i64) -> Result<(), ApiError> {
    let block = merkle::BLOCK as i64;
    let next: i64 = audit_blocks::table
        .select(diesel::dsl::max(audit_blocks::block))
        .first::<Option<i64>>(conn)
        .await?
        .map_or(0, |b| b + 1);
    let complete = head / block;
    let mut from = next;
    while from < complete {
        let to = (from + 200).min(complete);
        let hashes: Vec<(i64, Vec<u8>)> = audit_chain::table
            .filter(audit_chain::position.between(from * block + 1, to * block))
            .order(audit_chain::position)
            .select((audit_chain::position, audit_chain::content_hash))
            .load(conn)
            .await?;
        if hashes.len() as i64 != (to - from) * block {
            return Err(ApiError::internal(format!(
                "positions {} to {} of the audit chain are not all there",
                from * block + 1,
                to * block
            )));
        }
        let leaves: Vec<merkle::Hash> = hashes.iter().map(|(p, c)| merkle::leaf(*p, c)).collect();
        let rows: Vec<_> = leaves
            .chunks(merkle::BLOCK as usize)
            .zip(from..to)
            .filter_map(|(chunk, b)| {
                let root = merkle::root_of(chunk)?;
                Some((
                    audit_blocks::block.eq(b),
                    audit_blocks::root.eq(root.to_vec()),
                ))
            })
            .collect();
        diesel::insert_into(audit_blocks::table)
            .values(rows)
            .execute(conn)
            .await?;
        from = to;
    }
    Ok(())
}

/// The background sealer: runs until the process ends.
pub async fn run_forever(state: actix_web::web::Data<AppState>) {
    let mut tick = tokio::time::interval(Duration::from_millis(state.config.seal_interval_ms));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        // Drain a backlog quickly, then go back to the interval.
        loop {
            match seal_once(&state).await {
                Ok(report) if report.sealed as i64 == BATCH => continue,
                // Refusing: look again less often; the error was logged.
                Ok(report) if report.refused.is_some() => {
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    break;
                }
                Ok(_) => break,
                Err(e) => {
                    tracing::error!(error = %e, "sealing the audit chain failed; will retry");
                    break;
                }
            }
        }
    }
}
