//! Declaring a restore from backup. A restored database lacks the
//! checkpoints signed after its backup, which the witnesses still hold: the
//! sealer refuses to sign over a log that lost them, and verify reports
//! them, as it must, since a rollback by an attacker looks the same. The
//! operator who restored says so: `probity audit-restored --reason`, which
//! checks that the database's newest checkpoint is one the witness holds
//! (it is a true earlier state of this log, not another), signs a
//! declaration naming the checkpoints lost, keeps it in the database and
//! appends it to the witness file. From then on the lost numbers are
//! reported as lost with a declared restore, not as removed, and numbering
//! continues after them.

use super::rows::CheckpointRow;
use crate::auth::keys::Keyring;
use crate::db::schema::{audit_checkpoints, audit_restores};
use crate::state::AppState;
use chrono::{DateTime, SubsecRound, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A signed declaration, as stored and as written to the witness file
/// (one JSON line `{"restore": …}`, which a checkpoint reader skips).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Queryable)]
pub struct Declaration {
    pub id: Uuid,
    pub log_id: Uuid,
    /// The database's newest checkpoint at the restore (0: none).
    pub kept: i64,
    pub kept_position: i64,
    /// Hex chain hash at `kept_position`.
    pub kept_hash: String,
    /// The witness's newest checkpoint then: `kept + 1 ..= lost_through`
    /// went with the restore.
    pub lost_through: i64,
    pub declared_at: DateTime<Utc>,
    pub reason: String,
    pub key_id: String,
    pub public_key: String,
    pub signature: String,
}

impl Declaration {
    /// The exact text signed.
    pub fn message(&self) -> String {
        format!(
            "probity-audit-restore-v1\nlog:{}\nkept:{}\nkept_position:{}\nkept_hash:{}\nlost_through:{}\ndeclared_at:{}\nreason_sha256:{}",
            self.log_id,
            self.kept,
            self.kept_position,
            self.kept_hash,
            self.lost_through,
            self.declared_at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            hex::encode(Sha256::digest(self.reason.as_bytes()))
        )
    }

    /// Whether checkpoint `number` went with this restore.
    pub fn covers(&self, number: i64) -> bool {
        number > self.kept && number <= self.lost_through
    }

    /// Why its signature does not hold, if it does not.
    pub fn problem(&self, keys: &Keyring) -> Option<String> {
        let public = hex::decode(&self.public_key).unwrap_or_default();
        let known = keys
            .public_key(&self.key_id)
            .is_some_and(|k| k.as_slice() == public.as_slice());
        let holds = known
            && super::verify::signature_holds(
                &public,
                &hex::decode(&self.signature).unwrap_or_default(),
                self.message().as_bytes(),
            );
        (!holds).then(|| {
            format!(
                "the restore declared at {} is not signed by a key Probity holds",
                self.declared_at
            )
        })
    }
}

#[derive(Serialize, Deserialize)]
struct Line {
    restore: Declaration,
}

/// Every declaration the database holds.
pub async fn declared(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Declaration>> {
    audit_restores::table
        .order(audit_restores::declared_at)
        .select((
            audit_restores::id,
            audit_restores::log_id,
            audit_restores::kept,
            audit_restores::kept_position,
            audit_restores::kept_hash,
            audit_restores::lost_through,
            audit_restores::declared_at,
            audit_restores::reason,
            audit_restores::key_id,
            audit_restores::public_key,
            audit_restores::signature,
        ))
        .load(conn)
        .await
}

/// The highest checkpoint number lost with a declared restore (0: none).
pub async fn lost_through(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    Ok(audit_restores::table
        .select(diesel::dsl::max(audit_restores::lost_through))
        .first::<Option<i64>>(conn)
        .await?
        .unwrap_or(0))
}

/// The declarations in a witness file.
pub fn in_file(path: &std::path::Path) -> std::io::Result<Vec<Declaration>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str::<Line>(l).ok())
        .map(|l| l.restore)
        .collect())
}

/// Declares the restore: see the module's comment. Refuses when there is
/// nothing to declare, or when the database is not an earlier state of the
/// log the witness holds.
pub async fn declare(state: &AppState, reason: &str) -> anyhow::Result<Declaration> {
    let reason = reason.trim();
    anyhow::ensure!(
        reason.chars().count() >= 10,
        "give the reason for the restore (the incident or ticket), at least 10 characters"
    );
    let path = state.config.audit_witness_path().ok_or_else(|| {
        anyhow::anyhow!("no witness file is configured: there is nothing to reconcile")
    })?;
    let mut conn = state.pool.get().await?;
    let log = super::verify::log_id(&mut conn)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let witnessed: Vec<_> = super::witness::read(&path)?
        .into_iter()
        .filter(|w| w.log_id == Some(log))
        .collect();
    let newest = witnessed
        .iter()
        .filter_map(|w| w.number)
        .max()
        .ok_or_else(|| anyhow::anyhow!("the witness file holds no checkpoint of this log"))?;
    let kept: Option<CheckpointRow> = audit_checkpoints::table
        .filter(audit_checkpoints::number.is_not_null())
        .order(audit_checkpoints::number.desc())
        .select(CheckpointRow::as_select())
        .first(&mut conn)
        .await
        .optional()?;
    let (kept_number, kept_position, kept_hash) = kept
        .as_ref()
        .map(|c| {
            (
                c.number.unwrap_or(0),
                c.position,
                hex::encode(&c.chain_hash),
            )
        })
        .unwrap_or((0, 0, hex::encode([0u8; 32])));
    let already = lost_through(&mut conn).await?;
    anyhow::ensure!(
        newest > kept_number.max(already),
        "the database holds every checkpoint the witness holds (up to {newest}): nothing was lost"
    );
    if kept_number > 0 {
        let same = witnessed.iter().any(|w| {
            w.number == Some(kept_number)
                && w.position == kept_position
                && w.chain_hash == kept_hash
        });
        anyhow::ensure!(
            same,
            "the database's newest checkpoint ({kept_number} at position {kept_position}) is not the one the witness holds under that number: this is not an earlier state of the witnessed log, and no restore can be declared"
        );
    }
    let key = state
        .keys
        .active()
        .ok_or_else(|| anyhow::anyhow!("no signing key"))?;
    let mut d = Declaration {
        id: Uuid::new_v4(),
        log_id: log,
        kept: kept_number,
        kept_position,
        kept_hash,
        lost_through: newest,
        declared_at: Utc::now().trunc_subsecs(6),
        reason: reason.to_owned(),
        key_id: key.kid.clone(),
        public_key: hex::encode(key.public_bytes()),
        signature: String::new(),
    };
    d.signature = hex::encode(key.sign(d.message().as_bytes()));
    diesel::insert_into(audit_restores::table)
        .values((
            audit_restores::id.eq(d.id),
            audit_restores::log_id.eq(d.log_id),
            audit_restores::kept.eq(d.kept),
            audit_restores::kept_position.eq(d.kept_position),
            audit_restores::kept_hash.eq(&d.kept_hash),
            audit_restores::lost_through.eq(d.lost_through),
            audit_restores::declared_at.eq(d.declared_at),
            audit_restores::reason.eq(&d.reason),
            audit_restores::key_id.eq(&d.key_id),
            audit_restores::public_key.eq(&d.public_key),
            audit_restores::signature.eq(&d.signature),
        ))
        .execute(&mut conn)
        .await?;
    let mut line = serde_json::to_vec(&Line { restore: d.clone() })?;
    line.push(b'\n');
    super::witness::append(&path, &line)?;
    Ok(d)
}
