//! `cargo xtask bench audit-log`: does the auditor's view stay fast at
//! 10 million events? Fills a scratch database with synthetic events (not
//! hash-valid: this measures queries, not the chain), then times the
//! auditor's searches through the HTTP API, first pages and deep pages.

use crate::bench::{self, http, json_str, start_with};
use crate::postgres;
use crate::setup;
use crate::sh;
use std::time::Instant;

const EVENTS: i64 = 10_000_000;
const PEOPLE: i64 = 200_000;
const ACTORS: i64 = 2_000;

fn fill_sql() -> String {
    format!(
        "SET synchronous_commit = off;
         INSERT INTO audit_events (id, occurred_at, operation, action, outcome, actor_type, actor_id, actor_roles, purpose, reference, request_id, content_hash)
         SELECT gen_random_uuid(),
                timestamptz '2026-01-01' + (i * interval '2 seconds'),
                op.operation, op.action,
                CASE WHEN i % 97 = 0 THEN 'refused' ELSE 'allowed' END,
                'user',
                ('00000000-0000-4000-8000-' || lpad(to_hex(i % {ACTORS}), 12, '0'))::uuid,
                '{{officer}}',
                -- Purposes in proportions a force might see, independent of
                -- the operation: a subject access 1 in 1,000.
                CASE WHEN abs(hashint8(i)) % 1000 = 3 THEN 'subject_access'
                     WHEN abs(hashint8(i)) % 100 = 5 THEN 'safeguarding'
                     WHEN abs(hashint8(i)) % 10 = 4 THEN 'intelligence'
                     WHEN abs(hashint8(i)) % 10 = 6 THEN 'custody'
                     ELSE 'investigation' END,
                'OCC/' || (i % 5000), 'bench-' || i,
                sha256(int8send(i))
         FROM generate_series(1, {EVENTS}) AS i,
         -- Operations as a year might hold them: mostly reads, an erasure
         -- or a restriction 1 in 20,000.
         LATERAL (SELECT CASE WHEN i % 20000 = 0 THEN 'erasure'
                              WHEN i % 20000 = 10000 THEN 'restriction'
                              WHEN i % 100 = 1 THEN 'disclosure'
                              WHEN i % 100 = 2 THEN 'combination'
                              WHEN i % 20 = 3 THEN 'collection'
                              WHEN i % 10 = 0 THEN 'alteration'
                              ELSE 'consultation' END AS operation) AS o,
         LATERAL (SELECT o.operation, CASE o.operation
                              WHEN 'consultation' THEN 'person.read'
                              WHEN 'alteration' THEN 'person.update'
                              WHEN 'collection' THEN 'person.create'
                              WHEN 'disclosure' THEN 'person.disclose'
                              WHEN 'combination' THEN 'person.merge'
                              WHEN 'erasure' THEN 'person.erase'
                              ELSE 'person.restrict' END AS action) AS op;
         INSERT INTO audit_event_records (event_seq, position, record_type, record_id)
         SELECT seq, 0, 'person', ('00000000-0000-4000-9000-' || lpad(to_hex(seq % {PEOPLE}), 12, '0'))::uuid
         FROM audit_events;
         -- Pretend these were sealed long ago (the links are not valid
         -- hashes), so the sealer does not spend the benchmark sealing them.
         INSERT INTO audit_chain (position, event_seq, content_hash, chain_hash, horizon)
         SELECT seq, seq, content_hash, content_hash, pg_current_xact_id()::text::bigint + 1
         FROM audit_events;
         ANALYZE audit_events; ANALYZE audit_event_records; ANALYZE audit_chain;"
    )
}

pub fn run() -> Result<(), String> {
    let db = setup::for_bench()?;
    let binary = bench::build_server()?;
    let name = "probity_bench_log";
    postgres::drop_database(&db, name)?;
    let url = postgres::ensure_database(&db, name)?;
    sh::quiet(&binary, &["migrate"], &[("DATABASE_URL", url.as_str())])?;
    let started = Instant::now();
    sh::step(
        &format!("writing {EVENTS} synthetic audit events"),
        &mut || {
            sh::quiet(
                "psql",
                &[
                    url.as_str(),
                    "-XqAt",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-c",
                    &fill_sql(),
                ],
                &[],
            )
        },
    )?;
    println!("    filled in {:.0?}", started.elapsed());
    let server = start_with(&binary, &url, name)?;
    let token = bench::sign_in(&server.addr, "auditor")?;
    let auth = format!("Bearer {token}");
    let headers = [
        ("Authorization", auth.as_str()),
        ("Probity-Justification", "purpose=audit&reference=BENCH"),
    ];
    let person = format!("00000000-0000-4000-9000-{:012x}", 4242);
    let actor = format!("00000000-0000-4000-8000-{:012x}", 77);
    let queries = [
        ("newest 50 events", "limit=50".to_owned()),
        (
            "who consulted one person",
            format!("person={person}&operation=consultation&limit=50"),
        ),
        ("everything one user did", format!("actor={actor}&limit=50")),
        (
            "one user in one week",
            format!("actor={actor}&from=2026-03-01T00:00:00Z&to=2026-03-08T00:00:00Z&limit=50"),
        ),
        ("refused attempts", "outcome=refused&limit=50".to_owned()),
        (
            "refused, subject access",
            "outcome=refused&purpose=subject_access&limit=50".to_owned(),
        ),
        (
            "erasures (1 in 20,000)",
            "operation=erasure&limit=50".to_owned(),
        ),
        (
            "disclosures (1 in 100)",
            "operation=disclosure&limit=50".to_owned(),
        ),
        (
            "subject access (1 in 1,000)",
            "purpose=subject_access&limit=50".to_owned(),
        ),
        (
            "safeguarding disclosures",
            "purpose=safeguarding&operation=disclosure&limit=50".to_owned(),
        ),
        (
            "a day in the middle",
            "from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z&limit=50".to_owned(),
        ),
    ];
    println!(
        "\nauditor queries over {EVENTS} events (HTTP, incl. the audit write of the search itself):"
    );
    println!(
        "  {:<28} {:>10} {:>14} {:>8}",
        "query", "first page", "20th page", "rows"
    );
    for (label, query) in queries {
        let mut cursor: Option<String> = None;
        let (mut first, mut deep, mut rows) = (0.0, 0.0, 0);
        for page in 1..=20 {
            let path = match &cursor {
                Some(c) => format!("/api/v1/audit/events?{query}&cursor={c}"),
                None => format!("/api/v1/audit/events?{query}"),
            };
            let t = Instant::now();
            let (status, body) = http(&server.addr, "GET", &path, &headers, "")?;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if status != 200 {
                return Err(format!("{label}: {status} {body}"));
            }
            rows += body.matches("\"seq\":").count();
            if page == 1 {
                first = ms;
            }
            deep = ms;
            cursor = json_str(&body, "next_cursor");
            if cursor.is_none() {
                break;
            }
        }
        println!("  {label:<28} {first:>8.1}ms {deep:>12.1}ms {rows:>8}");
    }
    drop(server);
    // Kept on request, to measure the log's inserts at this size with pgbench.
    if std::env::var_os("BENCH_KEEP_DB").is_some() {
        println!("\nkept the database {name} (BENCH_KEEP_DB)");
    } else {
        postgres::drop_database(&db, name)?;
    }
    Ok(())
}
