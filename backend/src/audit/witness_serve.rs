//! `probity witness-serve`: a small receiver for signed checkpoints, to run
//! on another machine than the database (or hand to whoever audits the
//! force). It takes what a Probity server posts to `PROBITY_AUDIT_WITNESS_URL`,
//! checks each checkpoint's signature over its own message, and appends it
//! to its file; it refuses a second, different checkpoint under a number it
//! already holds (a log rewritten and re-signed would need exactly that), and
//! one that does not follow its predecessor. The file is what
//! `probity verify-audit --witness` reads.

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

struct Held {
    file: PathBuf,
    token: Option<String>,
    seen: Mutex<Series>,
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

async fn receive(
    req: HttpRequest,
    held: web::Data<Held>,
    entry: web::Json<CheckpointView>,
) -> HttpResponse {
    if let Some(token) = &held.token {
        let sent = req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if sent != Some(token.as_str()) {
            return HttpResponse::Unauthorized().finish();
        }
    }
    let entry = entry.into_inner();
    if let Some(problem) = check(&entry) {
        tracing::warn!(problem, "refused a checkpoint");
        return HttpResponse::UnprocessableEntity().body(problem);
    }
    let (Some(log), Some(number)) = (entry.log_id, entry.number) else {
        return HttpResponse::UnprocessableEntity().finish();
    };
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
    if let (Some(prev), Some(p)) = (number.checked_sub(1), entry.previous_position)
        && let Some((held_position, held_hash)) = series.get(&prev)
        && (*held_position != p || Some(held_hash) != entry.previous_chain_hash.as_ref())
    {
        tracing::error!(%log, number, "a checkpoint that does not follow the one held before it");
        return HttpResponse::Conflict().body("it does not follow the checkpoint held before it");
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

pub async fn serve(bind: &str, file: PathBuf, token: Option<String>) -> anyhow::Result<()> {
    let mut seen = Series::new();
    for entry in read(&file)? {
        if let (Some(log), Some(number)) = (entry.log_id, entry.number) {
            seen.entry(log)
                .or_default()
                .insert(number, (entry.position, entry.chain_hash));
        }
    }
    let held = web::Data::new(Held {
        file,
        token,
        seen: Mutex::new(seen),
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
