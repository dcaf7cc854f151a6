//! `probity witness-serve`: a small receiver for signed checkpoints, to run
//! on another machine than the database (or hand to whoever audits the
//! force). It takes what a Probity server posts to `PROBITY_AUDIT_WITNESS_URL`,
//! checks each checkpoint's signature over its own message, and appends it
//! to its file; it refuses a second, different checkpoint under a number it
//! already holds (a log rewritten and re-signed would need exactly that),
//! one that does not follow the last it holds, and one signed by a key it
//! was not told to trust (`--key`, from the force's JWKS; without any, the
//! first key it sees for a log). The file is what `probity verify-audit
//! --witness` reads. A restore from backup the force declared and signed
//! (`probity audit-restored`) is posted to the same address as
//! `{"restore": …}`: once held, numbering may resume after the lost
//! checkpoints from the one the restored database kept.

use super::witness::{append, read};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use shared::audit::CheckpointView;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use uuid::Uuid;

/// Per log: every checkpoint number held, with its position and chain hash.
type Series = HashMap<Uuid, HashMap<i64, (i64, String)>>;

/// Per log: declared restores, as (kept number, its position and hash,
/// the last number lost).
type Restores = HashMap<Uuid, Vec<(i64, i64, String, i64)>>;

struct Held {
    file: PathBuf,
    restores: Mutex<Restores>,
    token: Option<String>,
    seen: Mutex<Series>,
    /// Hex public keys trusted to sign, per log once seen.
    keys: Mutex<HashMap<Option<Uuid>, Vec<String>>>,
    pinned: Vec<String>,
}

/// Compares in time independent of where the strings differ.
fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Why an entry cannot be recorded, if it cannot.
fn check(entry: &CheckpointView) -> Option<String> {
    let public = hex::decode(&entry.public_key).ok()?;
    let signature = hex::decode(&entry.signature).ok()?;
    let key = <[u8; 32]>::try_from(public.as_slice())
        .ok()
        .and_then(|k| VerifyingKey::from_bytes(&k).ok());
    let sig = <[u8; 64]>::try_from(signature.as_slice())
        .ok()
        .map(|s| Signature::from_bytes(&s));
    let valid =
        matches!((key, sig), (Some(k), Some(s)) if k.verify(entry.message.as_bytes(), &s).is_ok());
    if !valid {
        return Some("the signature does not verify over the message".into());
    }
    let says = |field: &str, value: String| entry.message.contains(&format!("\n{field}={value}\n"));
    let log = entry.log_id.map(|l| l.to_string()).unwrap_or_default();
    if entry.version < 2
        || !says("log", log)
        || !says("number", entry.number.unwrap_or(0).to_string())
        || !says("position", entry.position.to_string())
        || !says("chain_hash", entry.chain_hash.clone())
    {
        return Some(
            "the fields differ from the signed message, or it is not a numbered checkpoint".into(),
        );
    }
    None
}

fn trusted(held: &Held, log: Uuid, public_key: &str) -> bool {
    let mut keys = held.keys.lock().unwrap_or_else(|p| p.into_inner());
    let trusted = keys.entry(Some(log)).or_insert_with(|| {
        if held.pinned.is_empty() {
            vec![public_key.to_owned()]
        } else {
            held.pinned.clone()
        }
    });
    trusted.iter().any(|k| k == public_key)
}

/// A declared restore: signed by a trusted key, keeping a checkpoint this
/// witness holds, losing the ones after it that it holds.
fn receive_restore(held: &Held, d: super::restore::Declaration) -> HttpResponse {
    let public = hex::decode(&d.public_key).unwrap_or_default();
    let signature = hex::decode(&d.signature).unwrap_or_default();
    let key = <[u8; 32]>::try_from(public.as_slice())
        .ok()
        .and_then(|k| VerifyingKey::from_bytes(&k).ok());
    let sig = <[u8; 64]>::try_from(signature.as_slice())
        .ok()
        .map(|s| Signature::from_bytes(&s));
    if !matches!((key, sig), (Some(k), Some(s)) if k.verify(d.message().as_bytes(), &s).is_ok()) {
        return HttpResponse::UnprocessableEntity().body("the restore's signature does not verify");
    }
    if !trusted(held, d.log_id, &d.public_key) {
        return HttpResponse::Forbidden().body("signed by a key this witness does not trust");
    }
    let seen = held.seen.lock().unwrap_or_else(|p| p.into_inner());
    let series = seen.get(&d.log_id);
    let keeps_held = d.kept == 0
        || series
            .and_then(|s| s.get(&d.kept))
            .is_some_and(|(position, hash)| *position == d.kept_position && *hash == d.kept_hash);
    let last = series.and_then(|s| s.keys().max().copied()).unwrap_or(0);
    if !keeps_held || d.lost_through < last {
        tracing::error!(log = %d.log_id, kept = d.kept, lost_through = d.lost_through, last,
            "a declared restore that does not keep a checkpoint held, or loses fewer than are held");
        return HttpResponse::Conflict().body("the restore does not match the checkpoints held");
    }
    drop(seen);
    let mut restores = held.restores.lock().unwrap_or_else(|p| p.into_inner());
    let list = restores.entry(d.log_id).or_default();
    let entry = (d.kept, d.kept_position, d.kept_hash.clone(), d.lost_through);
    if list.contains(&entry) {
        return HttpResponse::Ok().body("already held");
    }
    let line = serde_json::json!({ "restore": d }).to_string() + "\n";
    if let Err(e) = append(&held.file, line.as_bytes()) {
        tracing::error!(error = %e, "could not write the witness file");
        return HttpResponse::ServiceUnavailable().finish();
    }
    tracing::warn!(log = %d.log_id, kept = d.kept, lost_through = d.lost_through, reason = %d.reason,
        "a restore from backup was declared: the checkpoints after the kept one were lost");
    list.push(entry);
    HttpResponse::Created().finish()
}

async fn receive(
    req: HttpRequest,
    held: web::Data<Held>,
    body: web::Json<serde_json::Value>,
) -> HttpResponse {
    if let Some(token) = &held.token {
        let sent = req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !sent.is_some_and(|sent| same_secret(sent, token)) {
            return HttpResponse::Unauthorized().finish();
        }
    }
    let body = body.into_inner();
    if let Some(restore) = body.get("restore") {
        return match serde_json::from_value(restore.clone()) {
            Ok(d) => receive_restore(&held, d),
            Err(e) => HttpResponse::UnprocessableEntity().body(e.to_string()),
        };
    }
    let entry: CheckpointView = match serde_json::from_value(body) {
        Ok(entry) => entry,
        Err(e) => return HttpResponse::UnprocessableEntity().body(e.to_string()),
    };
    if let Some(problem) = check(&entry) {
        tracing::warn!(problem, "refused a checkpoint");
        return HttpResponse::UnprocessableEntity().body(problem);
    }
    let (Some(log), Some(number)) = (entry.log_id, entry.number) else {
        return HttpResponse::UnprocessableEntity().finish();
    };
    if !trusted(&held, log, &entry.public_key) {
        tracing::error!(%log, number, "a checkpoint signed by a key this witness does not trust");
        return HttpResponse::Forbidden().body("signed by a key this witness does not trust");
    }
    let mut seen = held.seen.lock().unwrap_or_else(|p| p.into_inner());
    let series = seen.entry(log).or_default();
    match series.get(&number) {
        Some((position, hash)) if *position == entry.position && *hash == entry.chain_hash => {
            return HttpResponse::Ok().body("already held");
        }
        Some((position, _)) => {
            tracing::error!(
                %log, number, held_position = position, offered_position = entry.position,
                "A DIFFERENT CHECKPOINT UNDER A NUMBER ALREADY HELD: the audit log may have been rewritten and re-signed"
            );
            return HttpResponse::Conflict()
                .body("a different checkpoint under that number is already held");
        }
        None => {}
    }
    // After the first it hears of, each must be the next in the series
    // and name the one before it as held.
    if let Some(last) = series.keys().max().copied() {
        let names = |position: i64, hash: &String| {
            entry.previous_position == Some(position)
                && entry.previous_chain_hash.as_ref() == Some(hash)
        };
        // Or the first after a declared restore, naming the one it kept.
        let after_restore = held
            .restores
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&log)
            .is_some_and(|list| {
                list.iter().any(|(_, position, hash, lost)| {
                    *lost == last && number == lost + 1 && names(*position, hash)
                })
            });
        let follows = after_restore
            || number == last + 1
                && series
                    .get(&last)
                    .is_some_and(|(position, hash)| names(*position, hash));
        if !follows {
            tracing::error!(%log, number, last, "a checkpoint that does not follow the last one held");
            return HttpResponse::Conflict().body("it does not follow the last checkpoint held");
        }
    }
    let line = match serde_json::to_string(&entry) {
        Ok(line) => line + "\n",
        Err(_) => return HttpResponse::InternalServerError().finish(),
    };
    if let Err(e) = append(&held.file, line.as_bytes()) {
        tracing::error!(error = %e, "could not write the witness file");
        return HttpResponse::ServiceUnavailable().finish();
    }
    series.insert(number, (entry.position, entry.chain_hash));
    HttpResponse::Created().finish()
}

pub async fn serve(
    bind: &str,
    file: PathBuf,
    token: Option<String>,
    pinned: Vec<String>,
) -> anyhow::Result<()> {
    let mut seen = Series::new();
    let mut keys: HashMap<Option<Uuid>, Vec<String>> = HashMap::new();
    for entry in read(&file)? {
        if let (Some(log), Some(number)) = (entry.log_id, entry.number) {
            let trusted = keys.entry(Some(log)).or_default();
            if !trusted.contains(&entry.public_key) {
                trusted.push(entry.public_key.clone());
            }
            seen.entry(log)
                .or_default()
                .insert(number, (entry.position, entry.chain_hash));
        }
    }
    if !pinned.is_empty() {
        for trusted in keys.values_mut() {
            *trusted = pinned.clone();
        }
    }
    let mut restores = Restores::new();
    for d in super::restore::in_file(&file)? {
        restores.entry(d.log_id).or_default().push((
            d.kept,
            d.kept_position,
            d.kept_hash,
            d.lost_through,
        ));
    }
    let held = web::Data::new(Held {
        restores: Mutex::new(restores),
        file,
        token,
        seen: Mutex::new(seen),
        keys: Mutex::new(keys),
        pinned,
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(held.clone())
            .app_data(web::JsonConfig::default().limit(16 * 1024))
            .route("/", web::post().to(receive))
            .route("/checkpoints", web::post().to(receive))
    })
    .workers(1)
    .bind(bind)?;
    for addr in server.addrs() {
        println!("witness listening on http://{addr}/checkpoints");
    }
    server.run().await?;
    Ok(())
}
