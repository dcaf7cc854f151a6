//! Applies the search outbox to the index (DESIGN-NOTES §3).
//!
//! A batch is claimed, applied and deleted in one database transaction that
//! also holds an advisory lock, so across every instance one batch is in
//! flight at a time and changes to one record reach the index in order. The
//! rows are deleted only after the engine has committed (and, for erasure,
//! physically removed the document): if the process dies in between, the
//! transaction rolls back and the rows are applied again. Each row names a
//! record, never its content, and the record is read as it is now, so
//! applying a row twice does no harm.

use super::documents::{self, Change, Document};
use super::rebuild;
use crate::db::schema::search_outbox;
use crate::state::AppState;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::BTreeSet;
use std::time::Duration;
use uuid::Uuid;

/// Held for a batch's transaction by whichever instance applies it.
pub(super) const APPLY_LOCK: i64 = 7_410_101;
const BATCH: i64 = 2_000;

/// Applies one batch; returns how many outbox rows it cleared (0 when the
/// outbox is empty or another instance holds the lock).
pub async fn apply_batch(state: &AppState) -> anyhow::Result<usize> {
    let mut conn = crate::db::begin::<anyhow::Error>(&state.pool).await?;
    let outcome = apply_in_transaction(&mut conn, state).await;
    crate::db::finish(conn, outcome).await
}

async fn apply_in_transaction(
    conn: &mut AsyncPgConnection,
    state: &AppState,
) -> anyhow::Result<usize> {
    if !crate::db::try_lock_for_transaction(conn, APPLY_LOCK).await? {
        return Ok(0);
    }
    let rows: Vec<(i64, String, Uuid)> = search_outbox::table
        .select((
            search_outbox::id,
            search_outbox::record_type,
            search_outbox::record_id,
        ))
        .order(search_outbox::id)
        .limit(BATCH)
        .load(conn)
        .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut people = BTreeSet::new();
    let mut records = BTreeSet::new();
    for (_, kind, id) in &rows {
        if kind == "person" {
            people.insert(*id);
        } else {
            records.insert(*id);
        }
    }
    let changes = changes_now(conn, people, records).await?;
    state.search.engine.apply(changes).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    diesel::delete(search_outbox::table.filter(search_outbox::id.eq_any(&ids)))
        .execute(conn)
        .await?;
    Ok(rows.len())
}

/// What the index must now hold for these people and records: their
/// documents, or their deletion when they are gone, restricted or merged.
async fn changes_now(
    conn: &mut AsyncPgConnection,
    people: BTreeSet<Uuid>,
    records: BTreeSet<Uuid>,
) -> anyhow::Result<Vec<Change>> {
    let ids: Vec<Uuid> = people.iter().copied().collect();
    let mut changes = Vec::new();
    let found = documents::people_now(conn, &ids).await?;
    let present: BTreeSet<Uuid> = found.iter().map(|c| c.id).collect();
    changes.extend(
        found
            .into_iter()
            .map(|c| Change::Upsert(Document::Person(c))),
    );
    changes.extend(
        people
            .difference(&present)
            .map(|id| Change::DeletePerson(*id)),
    );
    let ids: Vec<Uuid> = records.iter().copied().collect();
    let found = documents::records_now(conn, &ids).await?;
    let present: BTreeSet<Uuid> = found.iter().map(|c| c.id).collect();
    changes.extend(
        found
            .into_iter()
            .map(|c| Change::Upsert(Document::Record(c))),
    );
    changes.extend(
        records
            .difference(&present)
            .map(|id| Change::DeleteRecord(*id)),
    );
    Ok(changes)
}

/// Brings the index up to date now: rebuilds it if it must, then applies
/// the whole outbox. Tests call this to wait for the index.
pub async fn catch_up(state: &AppState) -> anyhow::Result<usize> {
    if state.search.rebuilding() {
        rebuild::run_if_still_due(state).await?;
    }
    let mut applied = 0;
    loop {
        let n = apply_batch(state).await?;
        if n == 0 {
            return Ok(applied);
        }
        applied += n;
    }
}

#[derive(QueryableByName)]
struct Backlog {
    #[diesel(sql_type = BigInt)]
    pending: i64,
    #[diesel(sql_type = BigInt)]
    lag_ms: i64,
}

/// Updates the lag metrics from the outbox itself, so every instance
/// reports the same truth whichever of them applies the rows.
pub async fn measure(state: &AppState) -> anyhow::Result<(i64, i64)> {
    let mut conn = state.pool.get().await?;
    let b: Backlog = diesel::sql_query(
        "SELECT count(*) AS pending, \
         coalesce((extract(epoch FROM clock_timestamp() - min(enqueued_at)) * 1000)::bigint, 0) AS lag_ms \
         FROM search_outbox",
    )
    .get_result(&mut *conn)
    .await?;
    state.metrics.search_pending.set(b.pending);
    state.metrics.search_lag_ms.set(b.lag_ms);
    Ok((b.pending, b.lag_ms))
}

/// Rows applied (and so deleted) between vacuums of the outbox.
pub(super) const VACUUM_AFTER: usize = 10_000;

/// The outbox is a queue: each row is deleted soon after it is written, so
/// after a bulk import it holds a million dead rows that every poll and
/// every lag reading would walk (4 ms and 23 ms each, measured) until
/// something vacuums it. Autovacuum would, eventually, where it is on; the
/// worker and the rebuild (which empties the outbox) do not wait for it.
/// Any instance may run this; concurrent vacuums of one table queue.
pub(super) async fn vacuum(state: &AppState) {
    let outcome = crate::db::upkeep(
        state.config.database_url.expose(),
        "VACUUM (ANALYZE) search_outbox",
    )
    .await;
    if let Err(e) = outcome {
        tracing::warn!(error = %e, "vacuuming the search outbox failed");
    }
}

/// Listens for PostgreSQL's notification of committed changes, so the
/// index follows within milliseconds; polls as well, in case a
/// notification is missed while reconnecting.
async fn listener(state: &AppState) -> Option<AsyncPgConnection> {
    use diesel_async::AsyncConnection;
    let mut conn = AsyncPgConnection::establish(state.config.database_url.expose())
        .await
        .inspect_err(|e| tracing::warn!(error = %e, "search worker cannot LISTEN; polling instead"))
        .ok()?;
    diesel::sql_query("LISTEN probity_search")
        .execute(&mut conn)
        .await
        .inspect_err(|e| tracing::warn!(error = %e, "search worker cannot LISTEN; polling instead"))
        .ok()?;
    Some(conn)
}

/// The background worker: runs until the process ends.
pub async fn run_forever(state: actix_web::web::Data<AppState>) {
    use futures_util::StreamExt;
    while let Err(e) = state.search.engine.prepare().await {
        tracing::error!(error = %e, "the search engine is not ready; will retry");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let mut listening = listener(&state).await;
    let mut since_vacuum = 0;
    loop {
        match catch_up(&state).await {
            Ok(applied) => since_vacuum += applied,
            Err(e) => {
                tracing::error!(error = %e, "applying the search outbox failed; will retry");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        if since_vacuum >= VACUUM_AFTER {
            since_vacuum = 0;
            vacuum(&state).await;
        }
        if let Err(e) = measure(&state).await {
            tracing::warn!(error = %e, "measuring search lag failed");
        }
        let poll = tokio::time::sleep(Duration::from_secs(1));
        let mut lost = false;
        match listening.as_mut() {
            Some(conn) => {
                let mut notes = std::pin::pin!(conn.notifications_stream());
                tokio::select! {
                    note = notes.next() => lost = !matches!(note, Some(Ok(_))),
                    () = state.search.wake.notified() => {}
                    () = poll => {}
                }
            }
            None => {
                tokio::select! {
                    () = state.search.wake.notified() => {}
                    () = poll => {}
                }
            }
        }
        if lost {
            listening = listener(&state).await;
        }
    }
}
