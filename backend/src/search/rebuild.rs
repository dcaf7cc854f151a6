//! Rebuilds the index from PostgreSQL, the source of truth: on first start,
//! after a damaged or outdated index was set aside, and by `probity
//! reindex`. Reading the next page overlaps with indexing the current one.

use super::documents::{self, Change, Document};
use crate::db::schema::{people, records};
use crate::state::AppState;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::time::{Duration, Instant};

/// Records per read: big enough that they take few commits.
const PAGE: i64 = 20_000;
/// Table pages per read of people: about 40,000 people.
const PAGES: i64 = 4_000;

#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    pub elapsed: Duration,
}

impl Progress {
    pub fn rate(&self) -> f64 {
        self.done as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// A one-line progress bar for a terminal.
pub fn bar(p: Progress) -> String {
    const WIDTH: usize = 30;
    let share = if p.total == 0 {
        1.0
    } else {
        (p.done as f64 / p.total as f64).min(1.0)
    };
    let filled = (share * WIDTH as f64).round() as usize;
    format!(
        "[{}{}] {:>3.0}% {}/{} {:.0}/s",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        share * 100.0,
        p.done,
        p.total,
        p.rate()
    )
}

/// Rebuilds everything; `report` is called after each page.
pub async fn run(state: &AppState, report: impl FnMut(Progress)) -> anyhow::Result<Progress> {
    rebuild(state, report, Scope::Always).await
}

/// The worker's rebuild, when this instance found the index incomplete: it
/// is skipped if, by the time this instance holds the lock, another one has
/// finished rebuilding the same shared index (several instances on one
/// Meilisearch all find a new index at once, and each rebuild empties it
/// while the others answer searches). An index lost here (the embedded
/// engine's missing or damaged directory) is rebuilt whatever others did.
pub async fn run_if_still_due(state: &AppState) -> anyhow::Result<Progress> {
    rebuild(state, |_| {}, Scope::UnlessDoneElsewhere).await
}

#[derive(PartialEq)]
enum Scope {
    Always,
    UnlessDoneElsewhere,
}

async fn rebuild(
    state: &AppState,
    mut report: impl FnMut(Progress),
    scope: Scope,
) -> anyhow::Result<Progress> {
    let started = Instant::now();
    // A connection of its own, holding the outbox worker's lock for the
    // whole rebuild, so no instance writes a change the rebuild would then
    // overwrite with an older read. Closing it releases the lock, even if
    // the rebuild fails half way.
    let mut conn = AsyncPgConnection::establish(state.config.database_url.expose()).await?;
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<diesel::sql_types::BigInt, _>(super::outbox::APPLY_LOCK)
        .execute(&mut conn)
        .await?;
    if scope == Scope::UnlessDoneElsewhere
        && !state.search.index_lost()
        && last_rebuild(&mut conn, state.search.location())
            .await?
            .is_some_and(|last| last.finished)
    {
        tracing::info!(
            location = state.search.location(),
            "another instance has rebuilt this index; not rebuilding it again"
        );
        state.search.rebuilt();
        return Ok(Progress::default());
    }
    // Fails here, before the outbox or the index is touched, if another
    // process holds the index (the embedded engine beside a running server).
    state.search.engine.prepare().await?;
    // Said before the index is emptied, and committed: if the process dies
    // before the end, the next start finds this and rebuilds again, since
    // the outbox emptied below no longer names what the index would lack.
    mark(&mut conn, state.search.location(), Mark::Started).await?;
    // Everything already committed to the outbox is covered by what this
    // rebuild is about to read; a change committed later leaves a row that
    // the worker applies after the rebuild. Only visible (committed) rows
    // are deleted, so a change still in flight is never lost.
    let covered = diesel::delete(crate::db::schema::search_outbox::table)
        .execute(&mut conn)
        .await?;
    let people_total: i64 = people::table
        .filter(people::restricted_at.is_null())
        .filter(people::merged_into.is_null())
        .count()
        .get_result(&mut conn)
        .await?;
    let records_total: i64 = records::table
        .filter(records::restricted_at.is_null())
        .count()
        .get_result(&mut conn)
        .await?;
    let mut progress = Progress {
        total: u64::try_from(people_total + records_total).unwrap_or(0),
        ..Progress::default()
    };
    tracing::info!(
        total = progress.total,
        covered,
        engine = state.search.engine.name(),
        "rebuilding the search index"
    );
    state.search.engine.clear().await?;

    // People in slices of the table as it lies on disk; reading the next
    // slice overlaps with indexing this one.
    let pages = documents::people_pages(&mut conn).await?;
    let mut from = 0;
    let mut slice = documents::people_in_pages(&mut conn, from, from + PAGES).await?;
    while from < pages {
        from += PAGES;
        let n = slice.len() as u64;
        let changes = slice
            .into_iter()
            .map(|c| Change::Add(Document::Person(c)))
            .collect();
        let (applied, next) = tokio::join!(
            state.search.engine.apply(changes),
            documents::people_in_pages(&mut conn, from, from + PAGES)
        );
        applied?;
        progress.done += n;
        progress.elapsed = started.elapsed();
        report(progress);
        slice = next?;
    }

    let mut after = None;
    loop {
        let page = documents::records_after(&mut conn, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        let n = page.len() as u64;
        state
            .search
            .engine
            .apply(
                page.into_iter()
                    .map(|c| Change::Add(Document::Record(c)))
                    .collect(),
            )
            .await?;
        progress.done += n;
        progress.elapsed = started.elapsed();
        report(progress);
    }
    state.search.engine.compact().await?;
    if covered >= super::outbox::VACUUM_AFTER {
        super::outbox::vacuum(state).await;
    }
    mark(&mut conn, state.search.location(), Mark::Finished).await?;
    progress.elapsed = started.elapsed();
    state.search.rebuilt();
    // Searches answer from the new index already; a leftover directory is
    // worth a warning, not a failed rebuild.
    if let Some(dir) = state.search.index_dir() {
        match super::embedded::remove_old_layouts(dir) {
            Ok(removed) => {
                for old in removed {
                    tracing::info!(dir = %old.display(), "removed the index of an earlier layout");
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not remove an earlier layout's index"),
        }
    }
    tracing::info!(
        indexed = progress.done,
        seconds = progress.elapsed.as_secs_f64(),
        per_second = progress.rate() as u64,
        "search index rebuilt"
    );
    Ok(progress)
}

enum Mark {
    Started,
    Finished,
}

async fn mark(conn: &mut AsyncPgConnection, location: &str, mark: Mark) -> anyhow::Result<()> {
    let sql = match mark {
        Mark::Started => {
            "INSERT INTO search_rebuilds (index_location, started_at) VALUES ($1, now()) \
             ON CONFLICT (index_location) DO UPDATE SET started_at = now(), finished_at = NULL"
        }
        Mark::Finished => {
            "UPDATE search_rebuilds SET finished_at = now() WHERE index_location = $1"
        }
    };
    diesel::sql_query(sql)
        .bind::<diesel::sql_types::Text, _>(location)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(QueryableByName)]
struct LastRebuild {
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    started_at: chrono::DateTime<chrono::Utc>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    finished: bool,
}

/// The last rebuild of this index, if it was ever built from this database.
async fn last_rebuild(
    conn: &mut AsyncPgConnection,
    location: &str,
) -> anyhow::Result<Option<LastRebuild>> {
    Ok(diesel::sql_query(
        "SELECT started_at, finished_at IS NOT NULL AS finished FROM search_rebuilds \
         WHERE index_location = $1",
    )
    .bind::<diesel::sql_types::Text, _>(location)
    .get_result(conn)
    .await
    .optional()?)
}

/// At start, before the first search: the index is rebuilt, and searches
/// wait for it, if a rebuild of it began and never finished (the process
/// died part way: the index is readable but incomplete), or if it was never
/// built from this database at all (a new Meilisearch server or index
/// prefix, or keys of a new version; the embedded engine also knows when
/// its directory is new). Returns whether a rebuild is due.
pub async fn rebuild_if_incomplete(state: &AppState) -> anyhow::Result<bool> {
    let mut conn = state.pool.get().await?;
    let location = state.search.location();
    let last = last_rebuild(&mut conn, location).await?;
    let due = match &last {
        Some(last) if last.finished => false,
        Some(last) => {
            tracing::warn!(
                location,
                started_at = %last.started_at,
                "a search index rebuild did not finish; rebuilding again"
            );
            true
        }
        None => {
            tracing::info!(
                location,
                "this search index was never built from this database; building it"
            );
            true
        }
    };
    if due {
        state.search.require_rebuild();
    }
    Ok(due)
}
