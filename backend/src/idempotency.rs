//! `Idempotency-Key` on creates: a tablet that retries a create after a lost
//! response gets the record it already made, never a second one.
//!
//! The key is claimed inside the create's own transaction, so the claim and
//! the record commit together or not at all. A concurrent retry waits on the
//! key's row until the first commits, then replays. Only the key, a
//! fingerprint of the request and the record id are kept, never the body,
//! so erasure has no extra copy to chase.

use crate::audit::Tx;
use crate::db::schema::idempotency_keys;
use crate::error::ApiError;
use actix_web::HttpRequest;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use sha2::{Digest, Sha256};
use shared::error::{ErrorCode, FieldError};
use uuid::Uuid;

pub const HEADER: &str = "Idempotency-Key";
/// How long a key is remembered: longer than any shift's retries.
const KEPT_FOR_HOURS: i64 = 24;

/// A key sent by the client for one create.
#[derive(Clone)]
pub struct IdempotencyKey {
    key: String,
    scope: &'static str,
    fingerprint: Vec<u8>,
}

pub enum Claim {
    /// First time: go ahead and create.
    Fresh,
    /// Already done: this is the record it made.
    Replay(Uuid),
}

impl IdempotencyKey {
    /// The key on a request, if any, bound to the body it came with.
    pub fn from_request(
        req: &HttpRequest,
        scope: &'static str,
        body: &impl serde::Serialize,
    ) -> Result<Option<Self>, ApiError> {
        let Some(raw) = req.headers().get(HEADER) else {
            return Ok(None);
        };
        let key = raw.to_str().unwrap_or_default().trim();
        if key.is_empty() || key.len() > 100 || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ApiError::field(FieldError::new(
                HEADER,
                "invalid",
                "Send 1 to 100 visible ASCII characters, such as a UUID",
            )));
        }
        // Salted with the key, so the stored digest cannot be matched against
        // a table of likely bodies; it is also cleared on erasure and dropped
        // after a day.
        let mut hasher = Sha256::new();
        hasher.update(key.as_bytes());
        hasher.update([0]);
        hasher.update(serde_json::to_vec(body).unwrap_or_default());
        let fingerprint = hasher.finalize().to_vec();
        Ok(Some(Self {
            key: key.to_owned(),
            scope,
            fingerprint,
        }))
    }

    fn principal(tx: &Tx) -> String {
        let actor = &tx.ctx().actor;
        format!("{}:{}", actor.kind(), actor.id().unwrap_or_default())
    }

    /// Claims the key, or finds what an earlier request with it made.
    pub async fn claim(&self, tx: &mut Tx) -> Result<Claim, ApiError> {
        let principal = Self::principal(tx);
        let conn = tx.conn()?;
        // Forget expired keys, a few at a time, so the table stays a day deep.
        diesel::sql_query(
            "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys \
             WHERE created_at < now() - make_interval(hours => $1) ORDER BY created_at LIMIT 50)",
        )
        .bind::<diesel::sql_types::Integer, _>(KEPT_FOR_HOURS as i32)
        .execute(conn)
        .await?;
        diesel::delete(
            idempotency_keys::table
                .filter(idempotency_keys::principal.eq(&principal))
                .filter(idempotency_keys::key.eq(&self.key))
                .filter(
                    idempotency_keys::created_at.lt(Utc::now() - Duration::hours(KEPT_FOR_HOURS)),
                ),
        )
        .execute(conn)
        .await?;
        let inserted = diesel::insert_into(idempotency_keys::table)
            .values((
                idempotency_keys::principal.eq(&principal),
                idempotency_keys::key.eq(&self.key),
                idempotency_keys::scope.eq(self.scope),
                idempotency_keys::fingerprint.eq(&self.fingerprint),
                idempotency_keys::created_at.eq(Utc::now()),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        if inserted == 1 {
            return Ok(Claim::Fresh);
        }
        let (scope, fingerprint, record): (String, Vec<u8>, Option<Uuid>) = idempotency_keys::table
            .find((&principal, &self.key))
            .select((
                idempotency_keys::scope,
                idempotency_keys::fingerprint,
                idempotency_keys::record_id,
            ))
            .first(conn)
            .await?;
        match record {
            Some(id) if scope == self.scope && fingerprint == self.fingerprint => {
                Ok(Claim::Replay(id))
            }
            Some(_) => Err(ApiError::new(ErrorCode::Conflict)
                .detail("This Idempotency-Key was used for a different request; send a new key")),
            // The record it made has since been erased.
            None => Err(ApiError::not_found()),
        }
    }

    /// Records what the create made, in the same transaction.
    pub async fn complete(&self, tx: &mut Tx, record: Uuid) -> Result<(), ApiError> {
        let principal = Self::principal(tx);
        diesel::update(idempotency_keys::table.find((&principal, &self.key)))
            .set(idempotency_keys::record_id.eq(record))
            .execute(tx.conn()?)
            .await?;
        Ok(())
    }
}

/// Erasure: keys that point at erased records point at nothing, and keep
/// no digest of what was sent. The key itself stays until it expires, so a
/// late retry is told the record is gone rather than re-creating it.
pub(crate) async fn forget_records(tx: &mut Tx, ids: &[Uuid]) -> Result<(), ApiError> {
    diesel::update(idempotency_keys::table.filter(idempotency_keys::record_id.eq_any(ids)))
        .set((
            idempotency_keys::record_id.eq(None::<Uuid>),
            idempotency_keys::fingerprint.eq(Vec::<u8>::new()),
        ))
        .execute(tx.conn()?)
        .await?;
    Ok(())
}
