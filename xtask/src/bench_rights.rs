//! `cargo xtask bench rights [PEOPLE] [EVENTS]`: how long a subject access
//! pack takes to compile. A scratch database of PEOPLE people (default
//! 1,000,000) and a hash-valid audit log of EVENTS synthetic events (default
//! 10,000,000, written by `backend/examples/rights_fill.rs` and signed with
//! the server's key), then, through the HTTP API of the release-like
//! server, a subject with 50 linked records read 1,000 times. Times the
//! compile with the pack as JSON, and with it as a PDF, 20 times each, and
//! prints p50/p95/max. Loopback only, bounded in size.

use crate::bench::{self, http, http_bytes, json_str};
use crate::postgres;
use crate::setup;
use crate::sh;
use std::time::Instant;

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn people_sql(people: usize) -> String {
    format!(
        "SET session_replication_role = replica; SET synchronous_commit = off;
         INSERT INTO people (id, surname, forenames, date_of_birth, gender, details, name_key, forename_key, created_at, updated_at)
         SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid,
                'Benchperson' || (i % 40000), 'Alex', date '1950-01-01' + (i % 20000), 'not_known', '{{}}',
                'benchperson' || (i % 40000), 'alex', now(), now()
         FROM generate_series(0, {people} - 1) AS i;
         ANALYZE people;"
    )
}

fn load_sql(dir: &std::path::Path) -> String {
    let f = |name: &str| dir.join(name).display().to_string();
    format!(
        "SET session_replication_role = replica; SET synchronous_commit = off;
         \\copy audit_events (seq, id, occurred_at, operation, action, outcome, actor_type, actor_id, actor_roles, fields, purpose, recipients, request_id, content_hash, canonical_version) FROM '{}'
         \\copy audit_event_records (event_seq, position, record_type, record_id) FROM '{}'
         CREATE TEMP TABLE chain_in (position bigint, event_seq bigint, content_hash bytea, chain_hash bytea);
         \\copy chain_in FROM '{}'
         INSERT INTO audit_chain (position, event_seq, content_hash, chain_hash, horizon)
           SELECT position, event_seq, content_hash, chain_hash, (SELECT max(txid)::text::bigint + 1 FROM audit_events) FROM chain_in;
         \\copy audit_blocks (block, root) FROM '{}'
         \\i {}
         SELECT setval('audit_events_seq_seq', (SELECT max(seq) FROM audit_events));
         ANALYZE audit_events; ANALYZE audit_event_records; ANALYZE audit_chain;",
        f("events.tsv"),
        f("records.tsv"),
        f("chain.tsv"),
        f("blocks.tsv"),
        f("checkpoint.sql"),
    )
}

pub fn post(
    addr: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<String, String> {
    let mut h = headers.to_vec();
    h.push(("Content-Type", "application/json"));
    let (status, answer) = http(addr, "POST", path, &h, body)?;
    if !(200..300).contains(&status) {
        return Err(format!("POST {path}: {status} {answer}"));
    }
    Ok(answer)
}

pub fn put(addr: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Result<String, String> {
    let mut h = headers.to_vec();
    h.push(("Content-Type", "application/json"));
    let (status, answer) = http(addr, "PUT", path, &h, body)?;
    if !(200..300).contains(&status) {
        return Err(format!("PUT {path}: {status} {answer}"));
    }
    Ok(answer)
}

/// The subject and their 50 records: 30 events of every kind, 10 objects
/// and 10 locations, each linked to them.
fn subject(addr: &str, headers: &[(&str, &str)]) -> Result<String, String> {
    let person = post(
        addr,
        "/api/v1/people",
        headers,
        r#"{"surname": "Benchsubject", "forenames": "Robin", "date_of_birth": "1984-02-29", "gender": "not_known"}"#,
    )?;
    let id = json_str(&person, "id").ok_or("no person id")?;
    fifty_records(addr, headers, &id, "Benchsubject")?;
    Ok(id)
}

/// 50 records linked to person `id`: 30 events of every kind, 10 objects
/// and 10 locations; `surname` appears in the narratives.
pub fn fifty_records(
    addr: &str,
    headers: &[(&str, &str)],
    id: &str,
    surname: &str,
) -> Result<(), String> {
    let link = |role: &str, category: &str| {
        format!(
            r#"[{{"to": {{"type": "person", "id": "{id}"}}, "role": "{role}", "subject_category": "{category}"}}]"#
        )
    };
    let kinds = [
        (
            r#"{"kind": "occurrence", "classification": "Theft", "officer_in_case": "PC 1", "narrative": "SURNAME reported a theft from a car"}"#,
            "victim",
            "victim",
        ),
        (
            r#"{"kind": "custody", "custody_suite": "Elland Road", "arrested_at": "2026-11-20T08:30", "arrived_at": "2026-11-20T09:00", "arrest_reason": "Suspected theft", "detention_authorised_by": "PS 1", "rights_given_at": "2026-11-20T09:05"}"#,
            "detainee",
            "suspect",
        ),
        (
            r#"{"kind": "stop_search", "search_type": "standard", "legal_power": "pace_s1", "grounds": "Seen concealing an item", "object_of_search": "stolen_property", "self_defined_ethnicity": "W1", "place_type": "street", "address": "Briggate, Leeds", "outcome": "no_further_action"}"#,
            "searched_person",
            "suspect",
        ),
        (
            r#"{"kind": "case_file", "file_status": "in_preparation"}"#,
            "defendant",
            "suspect",
        ),
        (
            r#"{"kind": "intelligence", "source_evaluation": "B", "intelligence_assessment": "2", "handling": "P", "content": [{"nature": "fact", "text": "Seen at the lock-up"}]}"#,
            "subject_of_intelligence",
            "suspect",
        ),
        (
            r#"{"kind": "occurrence", "classification": "Assault", "officer_in_case": "PC 2", "narrative": "A witness to an assault in the market"}"#,
            "witness",
            "witness",
        ),
    ];
    for n in 0..30 {
        let (details, role, category) = kinds[n % kinds.len()];
        let details = details.replace("SURNAME", surname);
        post(
            addr,
            "/api/v1/events",
            headers,
            &format!(
                r#"{{"occurred_at": "2026-11-{:02}T10:00", "details": {details}, "links": {}}}"#,
                1 + n % 28,
                link(role, category)
            ),
        )?;
    }
    for n in 0..10 {
        let object = post(
            addr,
            "/api/v1/objects",
            headers,
            &format!(r#"{{"details": {{"kind": "vehicle", "vrm": "BN{n:02}CHX"}}}}"#),
        )?;
        let location = post(
            addr,
            "/api/v1/locations",
            headers,
            &format!(
                r#"{{"details": {{"address": "{} Bench Street, Leeds", "postcode": "LS1 6AB", "place_type": "dwelling"}}}}"#,
                n + 1
            ),
        )?;
        for (other, kind, role) in [
            (&object, "object", "owner"),
            (&location, "location", "home_address"),
        ] {
            let other = json_str(other, "id").ok_or("no record id")?;
            post(
                addr,
                "/api/v1/links",
                headers,
                &format!(
                    r#"{{"from": {{"type": "person", "id": "{id}"}}, "to": {{"type": "{kind}", "id": "{other}"}}, "role": "{role}"}}"#
                ),
            )?;
        }
    }
    Ok(())
}

pub fn run(people: Option<&str>, events: Option<&str>) -> Result<(), String> {
    let people = bench::count(people, 1_000_000)?;
    let events = bench::count(events, 10_000_000)?;
    let filled = fill(people, events)?;
    let reuse = std::env::var_os("BENCH_REUSE").is_some();
    measure(&filled, people, events, reuse)
}

/// The filled database, ready to serve.
pub struct Filled {
    pub binary: String,
    pub db: postgres::Server,
    pub url: String,
    pub name: &'static str,
}

/// Fills the scratch database with PEOPLE people and an EVENTS-long signed
/// log, or, with `BENCH_REUSE=1`, keeps one already filled.
pub fn fill(people: usize, events: usize) -> Result<Filled, String> {
    let db = setup::for_bench()?;
    let binary = bench::build_server()?;
    sh::step(
        "building the audit log writer (profile bench-server)",
        &mut || {
            sh::run(
                "cargo",
                &[
                    "build",
                    "--quiet",
                    "--profile",
                    "bench-server",
                    "-p",
                    "probity-backend",
                    "--example",
                    "rights_fill",
                ],
                &[],
            )
        },
    )?;
    let fill = setup::root().join("target/bench-server/examples/rights_fill");
    let name = "probity_bench_rights";
    // BENCH_REUSE=1 keeps the filled database (and the key that signed its
    // log) for the next run: filling takes a quarter of an hour.
    let reuse = std::env::var_os("BENCH_REUSE").is_some();
    let url = postgres::ensure_database(&db, name)?;
    let filled = sh::output(
        "psql",
        &[
            url.as_str(),
            "-XAt",
            "-c",
            "SELECT count(*) FROM audit_chain",
        ],
    )
    .ok()
    .and_then(|n| n.trim().parse::<usize>().ok())
    .unwrap_or(0);
    if reuse && filled >= events {
        println!("    reusing the filled database ({filled} sealed events)");
        return Ok(Filled {
            binary,
            db,
            url,
            name,
        });
    }
    postgres::drop_database(&db, name)?;
    let url = postgres::ensure_database(&db, name)?;
    // The server's data directory (its signing key, its witness file) is
    // made afresh: the log written below is signed with that key.
    let data = std::env::temp_dir().join(name);
    let _ = std::fs::remove_dir_all(&data);
    sh::quiet(&binary, &["migrate"], &[("DATABASE_URL", url.as_str())])?;
    let psql = |sql: &str| {
        sh::quiet(
            "psql",
            &[url.as_str(), "-XqAt", "-v", "ON_ERROR_STOP=1", "-c", sql],
            &[],
        )
    };
    let started = Instant::now();
    sh::step(&format!("writing {people} people"), &mut || {
        psql(&people_sql(people))
    })?;
    let log = sh::output(
        "psql",
        &[
            url.as_str(),
            "-XAt",
            "-c",
            "SELECT log_id FROM audit_log_identity",
        ],
    )?;
    let out = setup::root().join("target/bench-data/rights-log");
    sh::step(
        &format!("computing a hash-valid log of {events} events"),
        &mut || {
            sh::run(
                &fill.display().to_string(),
                &[
                    &out.display().to_string(),
                    &data.display().to_string(),
                    log.trim(),
                    &events.to_string(),
                    &people.to_string(),
                ],
                &[],
            )
        },
    )?;
    sh::step("loading it", &mut || {
        sh::quiet(
            "psql",
            &[
                url.as_str(),
                "-XqAt",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                "SELECT 1",
            ],
            &[],
        )?;
        let script = out.join("load.sql");
        std::fs::write(&script, load_sql(&out)).map_err(|e| e.to_string())?;
        sh::quiet(
            "psql",
            &[
                url.as_str(),
                "-XqAt",
                "-v",
                "ON_ERROR_STOP=1",
                "-f",
                &script.display().to_string(),
            ],
            &[],
        )
    })?;
    let _ = std::fs::remove_dir_all(&out);
    println!("    filled in {:.0?}", started.elapsed());
    Ok(Filled {
        binary,
        db,
        url,
        name,
    })
}

fn measure(f: &Filled, people: usize, events: usize, keep: bool) -> Result<(), String> {
    let server = bench::start_with(&f.binary, &f.url, f.name)?;
    let analyst = format!(
        "Bearer {}",
        bench::sign_in(&server.addr, "intelligence_analyst")?
    );
    let working = [
        ("Authorization", analyst.as_str()),
        (
            "Probity-Justification",
            "purpose=investigation&reference=BENCH",
        ),
    ];
    let subject = subject(&server.addr, &working)?;
    let seen_started = Instant::now();
    for _ in 0..1_000 {
        let (status, body) = http(
            &server.addr,
            "GET",
            &format!("/api/v1/people/{subject}/profile"),
            &working,
            "",
        )?;
        if status != 200 {
            return Err(format!("profile: {status} {body}"));
        }
    }
    println!(
        "    the subject's profile read 1,000 times in {:.1?}",
        seen_started.elapsed()
    );
    let dpo = format!(
        "Bearer {}",
        bench::sign_in(&server.addr, "data_protection_officer")?
    );
    let sar = [
        ("Authorization", dpo.as_str()),
        (
            "Probity-Justification",
            "purpose=subject_access&reference=SAR-BENCH",
        ),
    ];
    let case = post(
        &server.addr,
        "/api/v1/rights/requests",
        &sar,
        r#"{"kind": "access", "requester_name": "Robin Benchsubject", "requester_contact": "1 Bench Street, Leeds", "received_on": "2026-12-01", "identity_proved_on": "2026-12-01", "identity_means": "Passport"}"#,
    )?;
    let case = json_str(&case, "id").ok_or("no request id")?;
    post(
        &server.addr,
        &format!("/api/v1/rights/requests/{case}/subjects"),
        &sar,
        &format!(r#"{{"person": "{subject}"}}"#),
    )?;
    let compile = || {
        post(
            &server.addr,
            &format!("/api/v1/rights/requests/{case}/compile"),
            &sar,
            "",
        )
    };
    compile()?;
    // Every item released, so the whole pack is built each time.
    let (_, pack) = http(
        &server.addr,
        "GET",
        &format!("/api/v1/rights/requests/{case}/pack"),
        &sar,
        "",
    )?;
    let keys: Vec<String> = pack
        .split("\"key\":\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_owned))
        .collect();
    let decisions: Vec<String> = keys
        .iter()
        .map(|k| format!(r#"{{"item": "{k}", "decision": "release"}}"#))
        .collect();
    put(
        &server.addr,
        &format!("/api/v1/rights/requests/{case}/decisions"),
        &sar,
        &format!("[{}]", decisions.join(",")),
    )?;
    let (mut as_json, mut as_pdf) = (Vec::new(), Vec::new());
    let (mut entries, mut pdf_bytes) = (0, 0);
    for _ in 0..20 {
        let t = Instant::now();
        compile()?;
        let (status, body) = http(
            &server.addr,
            "GET",
            &format!("/api/v1/rights/requests/{case}/preview"),
            &sar,
            "",
        )?;
        if status != 200 {
            return Err(format!("preview: {status} {body}"));
        }
        as_json.push(t.elapsed().as_secs_f64() * 1000.0);
        entries = body.matches("\"audit_path\"").count();
        let t = Instant::now();
        compile()?;
        let (status, pdf) = http_bytes(
            &server.addr,
            &format!("/api/v1/rights/requests/{case}/preview.pdf"),
            &sar,
        )?;
        if status != 200 || !pdf.starts_with(b"%PDF") {
            return Err(format!("preview.pdf: {status}"));
        }
        as_pdf.push(t.elapsed().as_secs_f64() * 1000.0);
        pdf_bytes = pdf.len();
    }
    for v in [&mut as_json, &mut as_pdf] {
        v.sort_by(|a, b| a.total_cmp(b));
    }
    println!(
        "\nsubject access pack: {} items, {entries} consultation entries with proofs, among {people} people and {events}+ audit events",
        keys.len()
    );
    for (what, v, target) in [
        ("compile + JSON", &as_json, 1000.0),
        ("compile + PDF ", &as_pdf, 2000.0),
    ] {
        let p95 = percentile(v, 95.0);
        println!(
            "  {what}: p50 {:.0} ms   p95 {:.0} ms   max {:.0} ms   (target p95 ≤ {target:.0} ms: {})",
            percentile(v, 50.0),
            p95,
            v.last().copied().unwrap_or(0.0),
            if p95 <= target { "met" } else { "NOT met" }
        );
    }
    println!("  PDF size {} KiB", pdf_bytes / 1024);
    drop(server);
    if !keep {
        postgres::drop_database(&f.db, f.name)?;
    }
    Ok(())
}
