//! Sealing: linking committed events into the SHA-256 hash chain.
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

use super::canonical::chain_link;
use crate::db::schema::{audit_chain, audit_checkpoints};
use crate::error::ApiError;
use crate::state::AppState;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bytea};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
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
}

/// Seals what can be sealed now. Safe to call from any number of instances.
pub async fn seal_once(state: &AppState) -> Result<SealReport, ApiError> {
    let mut conn = crate::db::begin::<ApiError>(&state.pool).await?;
    let outcome = seal_in_transaction(&mut conn, state).await;
    crate::db::finish(conn, outcome).await
}

async fn seal_in_transaction(
    conn: &mut AsyncPgConnection,
    state: &AppState,
) -> Result<SealReport, ApiError> {
    if !crate::db::try_lock_for_transaction(conn, SEAL_LOCK).await? {
        return Ok(SealReport::default());
    }
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
    let checkpoint = checkpoint_if_due(
        conn,
        &state.keys,
        position,
        &prev,
        state.config.checkpoint_every_events,
        state.config.checkpoint_every_secs,
    )
    .await?;
    Ok(SealReport {
        sealed: batch.len(),
        checkpoint,
    })
}

/// Signs the head when enough events or time have passed since the last
/// checkpoint.
async fn checkpoint_if_due(
    conn: &mut AsyncPgConnection,
    keys: &crate::auth::keys::Keyring,
    head: i64,
    head_hash: &[u8],
    every_events: i64,
    every_secs: i64,
) -> Result<Option<i64>, ApiError> {
    if head == 0 {
        return Ok(None);
    }
    let last: Option<(i64, chrono::DateTime<chrono::Utc>)> = audit_checkpoints::table
        .select((audit_checkpoints::position, audit_checkpoints::signed_at))
        .order(audit_checkpoints::position.desc())
        .first(conn)
        .await
        .optional()?;
    let now = chrono::Utc::now();
    let due = match last {
        None => true,
        Some((p, _)) if p >= head => false,
        Some((p, at)) => head - p >= every_events || (now - at).num_seconds() >= every_secs,
    };
    if !due {
        return Ok(None);
    }
    let key = keys
        .active()
        .ok_or_else(|| ApiError::internal("no signing key for checkpoints"))?;
    let signed_at = chrono::SubsecRound::trunc_subsecs(now, 6);
    let message = super::canonical::checkpoint_message(head, head_hash, &signed_at);
    diesel::insert_into(audit_checkpoints::table)
        .values((
            audit_checkpoints::position.eq(head),
            audit_checkpoints::chain_hash.eq(head_hash.to_vec()),
            audit_checkpoints::signed_at.eq(signed_at),
            audit_checkpoints::key_id.eq(&key.kid),
            audit_checkpoints::public_key.eq(key.public_bytes().to_vec()),
            audit_checkpoints::signature.eq(key.sign(&message).to_vec()),
        ))
        .execute(conn)
        .await?;
    Ok(Some(head))
}

/// Signs the current head now (for an export that needs a checkpoint
/// covering its range). Waits for any running sealer first.
pub async fn checkpoint_head(
    conn: &mut AsyncPgConnection,
    keys: &crate::auth::keys::Keyring,
) -> Result<(), ApiError> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<BigInt, _>(SEAL_LOCK)
        .execute(conn)
        .await?;
    let head: Option<(i64, Vec<u8>)> = audit_chain::table
        .select((audit_chain::position, audit_chain::chain_hash))
        .order(audit_chain::position.desc())
        .first(conn)
        .await
        .optional()?;
    if let Some((position, hash)) = head {
        checkpoint_if_due(conn, keys, position, &hash, 0, 0).await?;
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
                Ok(_) => break,
                Err(e) => {
                    tracing::error!(error = %e, "sealing the audit chain failed; will retry");
                    break;
                }
            }
        }
    }
}
