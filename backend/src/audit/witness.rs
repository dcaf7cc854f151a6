//! Outside witnesses of the signed checkpoints.
//!
//! A checkpoint kept only in the database proves nothing against someone who
//! can delete rows from it: remove the checkpoints after an edit, recompute
//! the chain, and what is left verifies. So every checkpoint the sealer signs
//! is also handed to witnesses outside the database: an append-only file
//! (meant for another volume or machine) and an HTTP endpoint (a SIEM, a
//! second site, or `probity witness-serve`). `verify-audit --witness FILE`
//! compares the database with a witness copy, and the sealer compares it with
//! its file before it signs anything after a restart.
//!
//! Delivery happens after the checkpoint has committed, so a witness never
//! holds one the database lost in a rollback; a witness that is down is
//! caught up from the database later (the signatures make that safe: nobody
//! can sign a checkpoint without the key).

use super::rows::CheckpointRow;
use crate::config::Config;
use crate::db::schema::{audit_checkpoints, audit_witness_deliveries};
use crate::error::ApiError;
use crate::state::AppState;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use shared::audit::CheckpointView;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use uuid::Uuid;

/// Checkpoints handed to a witness per round, so a long outage is caught up
/// in steps rather than in one long request.
const BATCH: i64 = 500;

pub struct Witnesses {
    file: Option<PathBuf>,
    http: Option<HttpWitness>,
    /// The newest checkpoint of this log the file holds, once read; kept up
    /// to date as this process appends (one file per instance). The lock
    /// also keeps two deliveries from appending the same checkpoints.
    file_newest: tokio::sync::Mutex<Option<Option<CheckpointView>>>,
}

struct HttpWitness {
    url: String,
    /// The URL without any credentials, naming it in logs and in
    /// `audit_witness_deliveries`.
    name: String,
    token: Option<String>,
    client: reqwest::Client,
}

impl Witnesses {
    pub fn from_config(config: &Config) -> Self {
        let http = (!config.audit_witness_url.trim().is_empty()).then(|| {
            let url = config.audit_witness_url.trim().to_owned();
            HttpWitness {
                name: format!("http:{}", without_credentials(&url)),
                url,
                token: Some(config.audit_witness_token.expose().to_owned())
                    .filter(|t| !t.is_empty()),
                client: reqwest::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()
                    .unwrap_or_default(),
            }
        });
        Self {
            file: config.audit_witness_path(),
            http,
            file_newest: tokio::sync::Mutex::new(None),
        }
    }

    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// The newest checkpoint of `log` that the witness file holds.
    pub async fn newest_in_file(&self, log: Uuid) -> Result<Option<CheckpointView>, String> {
        let Some(path) = &self.file else {
            return Ok(None);
        };
        let mut cache = self.file_newest.lock().await;
        newest_cached(&mut cache, path, log)
    }

    /// Hands each witness the checkpoints it has not had yet. Failures are
    /// logged and counted and retried the next round; they never stop
    /// sealing. Cheap when nothing is due: one indexed look-up each.
    pub async fn deliver(&self, state: &AppState, log: Uuid) {
        let mut conn = match state.pool.get().await {
            Ok(conn) => conn,
            Err(e) => {
                tracing::warn!(error = %e, "audit witness delivery postponed: no connection");
                return;
            }
        };
        if let Some(path) = &self.file
            && let Err(e) = self.deliver_to_file(&mut conn, path, log).await
        {
            failed(state, "file", &e);
        }
        if let Some(http) = &self.http
            && let Err(e) = deliver_to_http(&mut conn, http).await
        {
            failed(state, "http", &e);
        }
    }

    async fn deliver_to_file(
        &self,
        conn: &mut AsyncPgConnection,
        path: &Path,
        log: Uuid,
    ) -> Result<(), String> {
        let mut cache = self.file_newest.lock().await;
        let last = newest_cached(&mut cache, path, log)?
            .and_then(|c| c.number)
            .unwrap_or(0);
        let due = after(conn, last).await.map_err(|e| e.to_string())?;
        let Some(newest) = due.last() else {
            return Ok(());
        };
        let mut lines = String::new();
        for row in &due {
            lines.push_str(&serde_json::to_string(&row.view()).map_err(|e| e.to_string())?);
            lines.push('\n');
        }
        append(path, lines.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
        *cache = Some(Some(newest.view()));
        Ok(())
    }
}

/// The cached newest entry of `log`, reading the file the first time.
fn newest_cached(
    cache: &mut Option<Option<CheckpointView>>,
    path: &Path,
    log: Uuid,
) -> Result<Option<CheckpointView>, String> {
    if cache.is_none() {
        let entries = read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        *cache = Some(
            entries
                .into_iter()
                .filter(|e| e.log_id == Some(log))
                .max_by_key(|e| e.number),
        );
    }
    Ok(cache.clone().flatten())
}

async fn deliver_to_http(conn: &mut AsyncPgConnection, http: &HttpWitness) -> Result<(), String> {
    let delivered: i64 = audit_witness_deliveries::table
        .find(&http.name)
        .select(audit_witness_deliveries::delivered_number)
        .first(conn)
        .await
        .optional()
        .map_err(|e| e.to_string())?
        .unwrap_or(0);
    let restores = super::restore::declared(conn)
        .await
        .map_err(|e| e.to_string())?;
    for row in after(conn, delivered).await.map_err(|e| e.to_string())? {
        // The first checkpoint after a declared restore follows the
        // declaration, which the witness must hold first.
        if let Some(d) = restores
            .iter()
            .find(|d| row.number == Some(d.lost_through + 1))
        {
            post(http, &serde_json::json!({ "restore": d })).await?;
        }
        post(http, &row.view()).await?;
        let number = row.number.unwrap_or(delivered);
        diesel::insert_into(audit_witness_deliveries::table)
            .values((
                audit_witness_deliveries::witness.eq(&http.name),
                audit_witness_deliveries::delivered_number.eq(number),
                audit_witness_deliveries::delivered_at.eq(chrono::Utc::now()),
            ))
            .on_conflict(audit_witness_deliveries::witness)
            .do_update()
            .set((
                audit_witness_deliveries::delivered_number.eq(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                    "GREATEST(audit_witness_deliveries.delivered_number, excluded.delivered_number)",
                )),
                audit_witness_deliveries::delivered_at.eq(chrono::Utc::now()),
            ))
            .execute(conn)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// One POST to the HTTP witness; any answer but success is a failure.
async fn post(http: &HttpWitness, body: &impl serde::Serialize) -> Result<(), String> {
    let mut request = http.client.post(&http.url).json(body);
    if let Some(token) = &http.token {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?;
    if !response.status().is_success() {
        return Err(format!("the witness answered {}", response.status()));
    }
    Ok(())
}

fn failed(state: &AppState, witness: &str, error: &str) {
    state
        .metrics
        .audit_witness_failures
        .with_label_values(&[witness])
        .inc();
    tracing::error!(
        witness,
        error,
        "could not hand signed checkpoints to an audit witness; will retry"
    );
}

/// Numbered checkpoints after `number`, oldest first.
async fn after(conn: &mut AsyncPgConnection, number: i64) -> Result<Vec<CheckpointRow>, ApiError> {
    Ok(audit_checkpoints::table
        .filter(audit_checkpoints::number.gt(number))
        .order(audit_checkpoints::number)
        .limit(BATCH)
        .select(CheckpointRow::as_select())
        .load(conn)
        .await?)
}

/// Every checkpoint a witness file holds, in file order. A line that is
/// not a checkpoint (a torn last line after a crash) is skipped.
pub fn read(path: &Path) -> std::io::Result<Vec<CheckpointView>> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        if let Ok(entry) = serde_json::from_str::<CheckpointView>(&line?) {
            out.push(entry);
        }
    }
    Ok(out)
}

/// Appends whole lines and waits until they are on disk. A last line torn
/// by a crash is ended first, so the next entry does not join it.
pub fn append(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)?;
    }
    let created = !path.exists();
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)?;
    let len = file.metadata()?.len();
    if len > 0 {
        let mut last = [0u8; 1];
        file.seek(SeekFrom::Start(len - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            file.write_all(b"\n")?;
        }
    }
    file.write_all(bytes)?;
    file.sync_data()?;
    // A new file's name must reach the disk too.
    if created && let Some(dir) = dir {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

fn without_credentials(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_witness_url_is_named_without_its_credentials() {
        assert_eq!(
            without_credentials("https://probity:s3cret@witness.example/checkpoints"),
            "https://witness.example/checkpoints"
        );
        assert_eq!(
            without_credentials("http://127.0.0.1:9/x"),
            "http://127.0.0.1:9/x"
        );
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_every_whole_line_is_read() {
        let dir = std::env::temp_dir().join(format!("probity-witness-{}", Uuid::new_v4()));
        let path = dir.join("w.jsonl");
        let entry = CheckpointView {
            position: 5,
            chain_hash: "00".repeat(32),
            signed_at: chrono::Utc::now(),
            key_id: "k".into(),
            public_key: "00".repeat(32),
            signature: "00".repeat(64),
            message: "m".into(),
            version: 2,
            log_id: Some(Uuid::nil()),
            number: Some(1),
            previous_position: Some(0),
            previous_chain_hash: Some("00".repeat(32)),
            merkle_root: Some("00".repeat(32)),
        };
        let line = serde_json::to_string(&entry).unwrap_or_default();
        append(
            &path,
            format!("{line}\n{line}\n{{\"position\": 9, \"cha").as_bytes(),
        )
        .unwrap_or_default();
        let read_back = read(&path).unwrap_or_default();
        assert_eq!(read_back, vec![entry.clone(), entry]);
        let _ = std::fs::remove_dir_all(dir);
    }
}
