//! The erasure ledger: which ids each erasure took, and when, never what
//! they held. Kept twice: a table the database cannot roll back by itself
//! (insert-only for the application), and a file outside the database and
//! its backups. A database restored from a backup taken before an erasure
//! has the person back; before the server serves, every erasure the file
//! knows and the database does not is carried out again, and it says so.

use super::execute::Done;
use crate::auth::RequestContext;
use crate::db::schema::{erasure_ledger, people, records};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use shared::permissions::Permission;
use std::collections::HashSet;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Queryable)]
pub struct Entry {
    pub certificate: Uuid,
    pub erased_at: DateTime<Utc>,
    pub people: Vec<Uuid>,
    pub records: Vec<Uuid>,
    pub redacted: Vec<Uuid>,
}

pub fn entry_of(done: &Done) -> Entry {
    Entry {
        certificate: done.certificate,
        erased_at: done.erased_at,
        people: done.erased_people.clone(),
        records: done.erased_records.iter().map(|(_, _, id)| *id).collect(),
        redacted: done.redacted.clone(),
    }
}

/// Appends an entry to the file, unless it is there already.
pub fn append_to_file(state: &AppState, entry: &Entry) -> anyhow::Result<()> {
    let path = state.config.erasure_ledger_path();
    if read_file(&path)?
        .iter()
        .any(|e| e.certificate == entry.certificate)
    {
        return Ok(());
    }
    let mut line = serde_json::to_vec(entry)?;
    line.push(b'\n');
    crate::audit::witness::append(&path, &line)?;
    Ok(())
}

/// Every whole entry in the file (a line torn by a crash is skipped).
pub fn read_file(path: &std::path::Path) -> anyhow::Result<Vec<Entry>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

/// What the start found and did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Entries the database held that the file lacked (a stop between
    /// commit and the file write): written to the file.
    pub written_to_file: usize,
    /// Erasures the database did not know (a restored backup): carried out
    /// again, each with a new certificate naming the one it re-applies.
    pub reapplied: Vec<(Uuid, Option<Uuid>)>,
}

/// The erasures the file knows and the database does not.
pub async fn pending(state: &AppState) -> anyhow::Result<Vec<Entry>> {
    let in_file = read_file(&state.config.erasure_ledger_path())?;
    let mut conn = state.pool.get().await?;
    let known: HashSet<Uuid> = erasure_ledger::table
        .select(erasure_ledger::certificate_id)
        .load::<Uuid>(&mut conn)
        .await?
        .into_iter()
        .collect();
    Ok(in_file
        .into_iter()
        .filter(|e| !known.contains(&e.certificate))
        .collect())
}

/// Brings the database and the file in line, before the server serves.
pub async fn reconcile(state: &AppState) -> anyhow::Result<Reconciled> {
    let mut done = Reconciled::default();
    // Finish any erasure whose certificate a stop cut short: it writes
    // its own file entry.
    super::certificate::finish_pending(state).await?;
    let path = state.config.erasure_ledger_path();
    let in_file: HashSet<Uuid> = read_file(&path)?.iter().map(|e| e.certificate).collect();
    let in_db: Vec<Entry> = {
        let mut conn = state.pool.get().await?;
        erasure_ledger::table
            .order(erasure_ledger::erased_at)
            .select((
                erasure_ledger::certificate_id,
                erasure_ledger::erased_at,
                erasure_ledger::people,
                erasure_ledger::records,
                erasure_ledger::redacted,
            ))
            .load(&mut conn)
            .await?
    };
    for entry in in_db.iter().filter(|e| !in_file.contains(&e.certificate)) {
        append_to_file(state, entry)?;
        done.written_to_file += 1;
    }
    for entry in pending(state).await? {
        let again = reapply(state, &entry).await?;
        done.reapplied.push((entry.certificate, again));
    }
    Ok(done)
}

/// Carries one erasure out again on a restored database: the person (if
/// the backup holds them) through a fresh plan whose redactions stand as
/// proposed, then any of its records still there; and records the entry.
async fn reapply(state: &AppState, entry: &Entry) -> anyhow::Result<Option<Uuid>> {
    let ctx = RequestContext::system(
        "erasure-ledger",
        vec![
            Permission::PersonErase,
            Permission::IntelligenceRead,
            Permission::IntelligenceConditioned,
        ],
    );
    let roots: Vec<Uuid> = {
        let mut conn = state.pool.get().await?;
        people::table
            .filter(people::id.eq_any(&entry.people))
            .filter(people::merged_into.is_null())
            .select(people::id)
            .load(&mut conn)
            .await?
    };
    let mut issued = None;
    for person in roots {
        let plan = crate::audit::run(state, &ctx, |tx| {
            Box::pin(super::plan::make(
                tx,
                shared::ids::PersonId(person),
                None,
                true,
            ))
        })
        .await
        .map_err(|e| anyhow::anyhow!("re-planning the erasure of person {person}: {e}"))?;
        crate::audit::run(state, &ctx, |tx| {
            Box::pin(super::execute::execute(tx, plan.id))
        })
        .await
        .map_err(|e| anyhow::anyhow!("re-applying the erasure of person {person}: {e}"))?;
        let cert = super::certificate::finish(state, &ctx, plan.id, Some(entry.certificate))
            .await
            .map_err(|e| {
                anyhow::anyhow!("certifying the re-applied erasure of person {person}: {e}")
            })?;
        issued = Some(cert.certificate.id);
    }
    // Records of the entry the re-plan did not take (the backup lacked the
    // person, or a record was linked differently then).
    let left: Vec<Uuid> = {
        let mut conn = state.pool.get().await?;
        records::table
            .filter(records::id.eq_any(&entry.records))
            .select(records::id)
            .load(&mut conn)
            .await?
    };
    let (entry_row, left_ids) = (entry.clone(), left.clone());
    crate::audit::run(state, &ctx, move |tx| {
        Box::pin(async move {
            if !left_ids.is_empty() {
                crate::records::links::erase_links_of(tx, &left_ids).await?;
                crate::idempotency::forget_records(tx, &left_ids).await?;
                diesel::delete(records::table.filter(records::id.eq_any(&left_ids)))
                    .execute(tx.conn()?)
                    .await?;
            }
            diesel::insert_into(erasure_ledger::table)
                .values((
                    erasure_ledger::certificate_id.eq(entry_row.certificate),
                    erasure_ledger::erased_at.eq(entry_row.erased_at),
                    erasure_ledger::people.eq(&entry_row.people),
                    erasure_ledger::records.eq(&entry_row.records),
                    erasure_ledger::redacted.eq(&entry_row.redacted),
                ))
                .on_conflict_do_nothing()
                .execute(tx.conn()?)
                .await?;
            let mut refs: Vec<crate::audit::RecordRef> = entry_row
                .people
                .iter()
                .map(|p| crate::audit::RecordRef::new("person", *p))
                .collect();
            refs.extend(
                left_ids
                    .iter()
                    .map(|r| crate::audit::RecordRef::new("record", *r)),
            );
            let event = crate::audit::AuditEvent::new(
                crate::audit::Operation::Erasure,
                "erasure.reapply",
                refs,
            )
            .fields(vec![format!("certificate:{}", entry_row.certificate)]);
            Ok(crate::audit::Audited::new((), event))
        })
    })
    .await
    .map_err(|e| {
        anyhow::anyhow!(
            "recording the re-applied erasure {}: {e}",
            entry.certificate
        )
    })?;
    if !left.is_empty() {
        crate::search::outbox::catch_up(state).await?;
        state.search.engine.purge().await?;
    }
    Ok(issued)
}
