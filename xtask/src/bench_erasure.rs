//! `cargo xtask bench erasure [PEOPLE] [EVENTS] [RUNS]`: erasure among a
//! million people. On the subject access benchmark's database (PEOPLE people,
//! default 1,000,000, and an EVENTS-long signed audit log, default
//! 10,000,000; `BENCH_REUSE=1` keeps it), through the release-like server's
//! API: RUNS people (default 20) already held each get 50 linked records and
//! are erased, one at a time, plan then execution. Prints p50/p95/max of the
//! erasure end to end including the index purge (the certificate's
//! `index_purged_at` less its `started_at`), of the probe, and of the whole
//! request; then, with the server stopped, `probity retention recompute` of
//! every person, in people a second. Loopback only, bounded in size.

use crate::bench::{self, http, json_str};
use crate::bench_rights::{self, percentile, post, put};
use crate::sh;
use std::time::{Duration, Instant};

/// Seconds between two RFC 3339 times as the certificate writes them.
fn seconds_between(from: &str, to: &str) -> Option<f64> {
    let secs = |t: &str| -> Option<f64> {
        // 2026-12-06T08:15:42.123456Z: the day is the same in a run.
        let time = t.split('T').nth(1)?.trim_end_matches('Z');
        let mut parts = time.split(':');
        let h: f64 = parts.next()?.parse().ok()?;
        let m: f64 = parts.next()?.parse().ok()?;
        let s: f64 = parts.next()?.parse().ok()?;
        Some(h * 3600.0 + m * 60.0 + s)
    };
    Some(secs(to)? - secs(from)?)
}

fn psql_count(url: &str, sql: &str) -> Result<i64, String> {
    sh::output("psql", &[url, "-XAt", "-c", sql])?
        .trim()
        .parse()
        .map_err(|e| format!("{sql}: {e}"))
}

/// Waits until the workers have emptied a queue table.
fn drained(url: &str, table: &str, limit: Duration) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    loop {
        let n = psql_count(url, &format!("SELECT count(*) FROM {table}"))?;
        if n == 0 {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("{table} still holds {n} rows"));
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

pub fn run(people: Option<&str>, events: Option<&str>, runs: Option<&str>) -> Result<(), String> {
    let people = bench::count(people, 1_000_000)?;
    let events = bench::count(events, 10_000_000)?;
    let runs = bench::count(runs, 20)?.min(200);
    let f = bench_rights::fill(people, events)?;
    let data = std::env::temp_dir().join(f.name).display().to_string();
    let env = [
        ("DATABASE_URL", f.url.as_str()),
        ("PROBITY_LOG", "warn"),
        ("PROBITY_DATA_DIR", data.as_str()),
    ];
    // The fill bypasses the triggers: the index is built from the tables,
    // so every person is in it (in its big, old segments) before timing.
    sh::step("indexing every person (probity reindex)", &mut || {
        sh::output_env(&f.binary, &["migrate"], &env)?;
        let out = sh::output_env(&f.binary, &["reindex"], &env)?;
        println!("    {}", out.trim());
        Ok(())
    })?;
    let server = bench::start_with(&f.binary, &f.url, f.name)?;
    // The index holds everyone and every schedule is worked out before
    // anything is timed: the workers would otherwise share the cores.
    sh::step(
        "waiting for the search index and the retention queue",
        &mut || {
            drained(&f.url, "search_outbox", Duration::from_secs(3_600))?;
            drained(&f.url, "retention_dirty", Duration::from_secs(3_600))
        },
    )?;
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
    // People already held (their documents in the index's old segments),
    // each given 50 records.
    let chosen = sh::output(
        "psql",
        &[
            f.url.as_str(),
            "-XAt",
            "-c",
            &format!(
                "SELECT id, surname FROM people WHERE merged_into IS NULL AND restricted_at IS NULL \
                 ORDER BY id LIMIT {runs} OFFSET 4321"
            ),
        ],
    )?;
    let subjects: Vec<(String, String)> = chosen
        .lines()
        .filter_map(|l| l.split_once('|'))
        .map(|(id, surname)| (id.to_owned(), surname.to_owned()))
        .collect();
    sh::step(
        &format!("giving {} people 50 records each", subjects.len()),
        &mut || {
            for (id, surname) in &subjects {
                bench_rights::fifty_records(&server.addr, &working, id, surname)?;
            }
            drained(&f.url, "search_outbox", Duration::from_secs(600))?;
            drained(&f.url, "retention_dirty", Duration::from_secs(600))
        },
    )?;
    let dpo = format!(
        "Bearer {}",
        bench::sign_in(&server.addr, "data_protection_officer")?
    );
    let rights = [
        ("Authorization", dpo.as_str()),
        (
            "Probity-Justification",
            "purpose=data_subject_rights&reference=ERA-BENCH",
        ),
    ];
    let (mut plans, mut requests, mut purged, mut probes) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut erased_records = 0;
    let mut results = Vec::new();
    for (id, _) in &subjects {
        let t = Instant::now();
        let plan = post(
            &server.addr,
            "/api/v1/erasure-plans",
            &rights,
            &format!(r#"{{"person": "{id}"}}"#),
        )?;
        plans.push(t.elapsed().as_secs_f64() * 1000.0);
        let plan_id = json_str(&plan, "id").ok_or("no plan id")?;
        // Each passage confirmed as proposed (any kept record naming them).
        let passages = plan.matches("\"proposed\":").count();
        for n in 0..passages {
            let proposed = plan
                .split("\"proposed\":\"")
                .nth(n + 1)
                .and_then(|s| s.split("\",\"").next())
                .unwrap_or_default();
            put(
                &server.addr,
                &format!("/api/v1/erasure-plans/{plan_id}/passages/{n}"),
                &rights,
                &format!(r#"{{"text": "{proposed}"}}"#),
            )?;
        }
        let t = Instant::now();
        let (status, done) = http(
            &server.addr,
            "POST",
            &format!("/api/v1/erasure-plans/{plan_id}/execute"),
            &rights,
            "",
        )?;
        if status != 200 {
            return Err(format!("execute: {status} {done}"));
        }
        requests.push(t.elapsed().as_secs_f64() * 1000.0);
        let started = json_str(&done, "started_at").ok_or("no started_at")?;
        let index = json_str(&done, "index_purged_at").ok_or("no index_purged_at")?;
        purged.push(seconds_between(&started, &index).ok_or("bad times")? * 1000.0);
        probes.push(bench::json_count(&done, "took_ms").unwrap_or(0) as f64);
        erased_records += done.matches("\"count\":").count();
        results.push(json_str(&done, "result").unwrap_or_default());
    }
    drop(server);
    for v in [&mut plans, &mut requests, &mut purged, &mut probes] {
        v.sort_by(|a, b| a.total_cmp(b));
    }
    let clean = results.iter().filter(|r| *r == "0 traces").count();
    println!(
        "\nerasure of {} people with 50 linked records each, among {people} people and {events}+ audit events",
        subjects.len()
    );
    for (what, v, target) in [
        ("plan                              ", &plans, None),
        ("erasure incl. index purge         ", &purged, Some(5_000.0)),
        (
            "probe afterwards                  ",
            &probes,
            Some(60_000.0),
        ),
        ("whole request (erasure + probe)   ", &requests, None),
    ] {
        let p95 = percentile(v, 95.0);
        let verdict = match target {
            Some(t) if p95 <= t => format!("(target p95 ≤ {t:.0} ms: met)"),
            Some(t) => format!("(target p95 ≤ {t:.0} ms: NOT met)"),
            None => String::new(),
        };
        println!(
            "  {what}: p50 {:.0} ms   p95 {p95:.0} ms   max {:.0} ms   {verdict}",
            percentile(v, 50.0),
            v.last().copied().unwrap_or(0.0)
        );
    }
    println!(
        "  certificates: {clean} of {} say \"0 traces\"; {erased_records} kinds of record erased in all",
        results.len()
    );

    // Every person's review date again, with nothing else running.
    let (status, out) = {
        let started = Instant::now();
        let out = sh::output_env(
            &f.binary,
            &["retention", "recompute"],
            &[
                ("DATABASE_URL", f.url.as_str()),
                ("PROBITY_LOG", "warn"),
                (
                    "PROBITY_DATA_DIR",
                    &std::env::temp_dir().join(f.name).display().to_string(),
                ),
            ],
        );
        (started.elapsed(), out?)
    };
    let line = out.lines().last().unwrap_or_default().to_owned();
    let rate: f64 = line
        .split('(')
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    println!(
        "  retention recompute: {line} (target ≥ 20,000 people/s: {}); {:.1} s with start-up",
        if rate >= 20_000.0 { "met" } else { "NOT met" },
        status.as_secs_f64()
    );
    Ok(())
}
