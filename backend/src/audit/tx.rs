//! The audited transaction: the only way to reach personal data.

use super::event::{AuditEvent, StampedEvent};
use super::store;
use crate::auth::context::RequestContext;
use crate::db::PooledConn;
use crate::error::ApiError;
use crate::state::AppState;
use diesel_async::{AnsiTransactionManager, AsyncPgConnection, TransactionManager};
use std::future::Future;
use std::pin::Pin;

/// An open transaction on behalf of one request. Only [`run`] creates one.
pub struct Tx {
    conn: Option<PooledConn>,
    ctx: RequestContext,
}

impl Tx {
    pub fn conn(&mut self) -> Result<&mut AsyncPgConnection, ApiError> {
        self.conn
            .as_deref_mut()
            .ok_or_else(|| ApiError::internal("transaction already finished"))
    }

    /// Who is asking, for rules that depend on the caller.
    pub fn ctx(&self) -> &RequestContext {
        &self.ctx
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        // Dropped mid-transaction (the client went away and the request
        // future was cancelled): never return a connection with an open
        // transaction to the pool. Closing it makes PostgreSQL roll back.
        if let Some(conn) = self.conn.take() {
            drop(deadpool::managed::Object::take(conn));
        }
    }
}

/// A value together with the audit events that must be written before the
/// caller may have it. Its fields are private to the audit module.
#[must_use]
pub struct Audited<T> {
    value: T,
    events: Vec<AuditEvent>,
}

impl<T> Audited<T> {
    pub fn new(value: T, event: AuditEvent) -> Self {
        Self {
            value,
            events: vec![event],
        }
    }

    /// Several events for one piece of work (a record created with its
    /// links; a batch of imported records).
    pub fn many(value: T, events: Vec<AuditEvent>) -> Self {
        Self { value, events }
    }

    /// Adds an event for something else the same work did.
    pub fn and(mut self, event: AuditEvent) -> Self {
        self.events.push(event);
        self
    }

    /// The value, to decide a next step on; its events stay with it.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// Two steps of one piece of work: both steps' events, one value.
    pub fn combine<U, V>(self, other: Audited<U>, f: impl FnOnce(T, U) -> V) -> Audited<V> {
        let mut events = self.events;
        events.extend(other.events);
        Audited {
            value: f(self.value, other.value),
            events,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Audited<U> {
        Audited {
            value: f(self.value),
            events: self.events,
        }
    }

    /// Nothing was touched, so there is nothing to record.
    pub fn none() -> Audited<Option<T>> {
        Audited {
            value: None,
            events: Vec::new(),
        }
    }
}

pub type TxFuture<'t, T> = Pin<Box<dyn Future<Output = Result<Audited<T>, ApiError>> + Send + 't>>;

/// Runs `work` in one transaction, writes its audit events in the same
/// transaction, and commits. Any error, including failure to write the
/// audit, rolls everything back and returns nothing.
pub async fn run<T, F>(state: &AppState, ctx: &RequestContext, work: F) -> Result<T, ApiError>
where
    F: for<'t> FnOnce(&'t mut Tx) -> TxFuture<'t, T>,
{
    let mut conn = state.pool.get().await?;
    AnsiTransactionManager::begin_transaction(&mut *conn).await?;
    let mut tx = Tx {
        conn: Some(conn),
        ctx: ctx.clone(),
    };
    let outcome = async {
        let audited = work(&mut tx).await?;
        let stamped: Vec<StampedEvent> = audited
            .events
            .into_iter()
            .map(|e| StampedEvent::stamp(e, ctx, &state.audit_texts))
            .collect();
        // Only the audit-cost benchmark's special build skips this.
        if !cfg!(feature = "bench-no-audit") {
            store::insert(tx.conn()?, &stamped).await?;
        }
        Ok::<_, ApiError>((audited.value, stamped))
    }
    .await;
    match outcome {
        Ok((value, stamped)) => {
            let conn = tx.conn()?;
            AnsiTransactionManager::commit_transaction(conn).await?;
            // Committed: the connection may go back to the pool.
            drop(tx.conn.take());
            // A change reaches the search index without waiting for the
            // worker's next poll. Reads must not wake it: at hundreds of
            // reads a second the worker would spin on an empty outbox,
            // taking CPU from the reads themselves.
            if stamped.iter().any(StampedEvent::may_change_records) {
                state.search.wake.notify_one();
            }
            for e in &stamped {
                state
                    .metrics
                    .audit_events
                    .with_label_values(&[&e.operation, &e.outcome])
                    .inc();
            }
            Ok(value)
        }
        Err(error) => {
            if let Ok(conn) = tx.conn()
                && AnsiTransactionManager::rollback_transaction(conn)
                    .await
                    .is_ok()
            {
                drop(tx.conn.take());
            }
            Err(error)
        }
    }
}
