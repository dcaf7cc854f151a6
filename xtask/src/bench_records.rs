//! `cargo xtask bench records [PEOPLE]`: bulk import and the person profile.
//!
//! Generates a deterministic NDJSON file of PEOPLE fictional people (default
//! 1,000,000; kept under target/bench-data for reuse), uploads it through
//! the HTTP import on loopback to the release-like server, and prints people
//! per second and the server's memory sampled through the run (flat memory
//! means the upload is streamed). Then links 50 events to one person and
//! reads that person's profile 1,000 times, printing p50/p95/p99 latency.
//! Loopback only, bounded in size.

use crate::bench::{self, http, json_str};
use crate::postgres;
use crate::setup;
use std::io::{BufWriter, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SURNAMES: [&str; 16] = [
    "Abbott",
    "Begum",
    "Chowdhury",
    "Doherty",
    "Evans",
    "Fletcher",
    "Gallagher",
    "Hussain",
    "Ibrahim",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Nowak",
    "Okafor",
    "Patel",
];
const FORENAMES: [&str; 12] = [
    "Aisha", "Ben", "Cara", "Dev", "Ella", "Finn", "Gita", "Harry", "Isla", "Jack", "Kofi", "Lily",
];

/// The test file, written once per size.
fn people_file(n: usize) -> Result<PathBuf, String> {
    let dir = setup::root().join("target/bench-data");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join(format!("people-{n}.ndjson"));
    if path.exists() {
        return Ok(path);
    }
    let tmp = path.with_extension("partial");
    let mut out = BufWriter::new(std::fs::File::create(&tmp).map_err(|e| e.to_string())?);
    for i in 0..n {
        let surname = SURNAMES[i % SURNAMES.len()];
        // A second part makes surnames varied without any randomness.
        let suffix = i / SURNAMES.len() % 997;
        let line = format!(
            "{{\"source_id\":\"P{i}\",\"surname\":\"{surname}-{}\",\"forenames\":\"{} {}\",\"date_of_birth\":\"{}-{:02}-{:02}\",\"gender\":\"{}\",\"details\":{{\"self_defined_ethnicity\":\"W1\"}}}}\n",
            word(suffix),
            FORENAMES[i % FORENAMES.len()],
            FORENAMES[(i / 7) % FORENAMES.len()],
            1940 + i % 66,
            1 + i % 12,
            1 + i % 28,
            if i % 2 == 0 { "female" } else { "male" },
        );
        out.write_all(line.as_bytes()).map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    std::fs::rename(&tmp, &path).map_err(|e| e.to_string())?;
    Ok(path)
}

/// A pronounceable letters-only word for a number (names have no digits).
fn word(mut n: usize) -> String {
    let syllables = [
        "ba", "ko", "ri", "sel", "tan", "vo", "wen", "zu", "mar", "lin",
    ];
    let mut w = String::new();
    loop {
        w.push_str(syllables[n % syllables.len()]);
        n /= syllables.len();
        if n == 0 {
            break;
        }
    }
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Streams a file as the request body without reading it into memory.
fn upload(addr: &str, path: &str, token: &str, file: &Path) -> Result<String, String> {
    let size = std::fs::metadata(file).map_err(|e| e.to_string())?.len();
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(3600)))
        .map_err(|e| e.to_string())?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nContent-Type: application/x-ndjson\r\nContent-Length: {size}\r\n\r\n"
    );
    stream
        .write_all(head.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut f = std::fs::File::open(file).map_err(|e| e.to_string())?;
    std::io::copy(&mut f, &mut stream).map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| e.to_string())?;
    Ok(response)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub fn run(people: Option<&str>) -> Result<(), String> {
    let n = bench::count(people, 1_000_000)?;
    let db = setup::for_bench()?;
    let binary = bench::build_server()?;
    let file = people_file(n)?;
    let size_mb = std::fs::metadata(&file).map_err(|e| e.to_string())?.len() as f64 / 1e6;
    let name = "probity_bench_records";
    let server = bench::start(&binary, &db, name, &[])?;
    let supervisor = bench::sign_in(&server.addr, "supervisor")?;

    // First the profile of one person with 50 linked events, before the
    // import leaves the sealer a backlog to chain.
    let officer = bench::sign_in(&server.addr, "officer")?;
    let auth = format!("Bearer {officer}");
    let headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
        (
            "Probity-Justification",
            "purpose=investigation&reference=BENCH%2F2",
        ),
    ];
    let (_, created) = http(
        &server.addr,
        "POST",
        "/api/v1/people",
        &headers,
        r#"{"surname":"Profiled","forenames":"Pat","date_of_birth":"1980-01-01","gender":"not_known"}"#,
    )?;
    let person = json_str(&created, "id").ok_or(format!("no person: {created}"))?;
    for i in 0..50 {
        let body = format!(
            r#"{{"occurred_at":"2026-{:02}-{:02}T12:00","details":{{"kind":"occurrence","classification":"Incident {i}","officer_in_case":"PC 1"}},"links":[{{"to":{{"type":"person","id":"{person}"}},"role":"suspect","subject_category":"suspect"}}]}}"#,
            1 + i % 10,
            1 + i % 28
        );
        let (status, text) = http(&server.addr, "POST", "/api/v1/events", &headers, &body)?;
        if status != 201 {
            return Err(format!("event: {status} {text}"));
        }
    }
    let path = format!("/api/v1/people/{person}/profile");
    for _ in 0..50 {
        http(&server.addr, "GET", &path, &headers, "")?;
    }
    let mut latencies = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let t = Instant::now();
        let (status, text) = http(&server.addr, "GET", &path, &headers, "")?;
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        if status != 200 || !text.contains("Incident 49") {
            return Err(format!("profile: {status}"));
        }
    }
    latencies.sort_by(|a, b| a.total_cmp(b));

    // Memory, sampled every 200 ms while the upload runs.
    let samples = Arc::new(Mutex::new(Vec::<(f64, u64)>::new()));
    let done = Arc::new(AtomicBool::new(false));
    let pid = server.pid();
    let started = Instant::now();
    let sampler = {
        let (samples, done) = (samples.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(kib) = rss_kib(pid)
                    && let Ok(mut s) = samples.lock()
                {
                    s.push((started.elapsed().as_secs_f64(), kib));
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        })
    };
    let rss_before = rss_kib(pid).unwrap_or(0);
    println!("    uploading {n} people ({size_mb:.0} MB of NDJSON)");
    let response = upload(
        &server.addr,
        "/api/v1/imports/people?source_system=BENCH",
        &supervisor,
        &file,
    )?;
    let elapsed = started.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    let written = bench::json_count(body, "written")
        .map(|n| n as f64)
        .ok_or(format!(
            "import failed: {}",
            &response[..response.len().min(500)]
        ))?;
    let samples = samples.lock().map(|s| s.clone()).unwrap_or_default();
    let peak = samples.iter().map(|s| s.1).max().unwrap_or(0);

    drop(server);
    postgres::drop_database(&db, name)?;

    println!(
        "\nbulk import through POST /api/v1/imports/people, one collection event per person, loopback, 2 cores"
    );
    println!("  people written          {written:>12.0}");
    println!("  time                    {elapsed:>11.1} s");
    println!("  people per second       {:>12.0}", written / elapsed);
    println!(
        "  server memory before    {:>9.0} MiB",
        rss_before as f64 / 1024.0
    );
    println!(
        "  server memory peak      {:>9.0} MiB",
        peak as f64 / 1024.0
    );
    print!("  memory through the run (MiB at each tenth):");
    for tenth in 1..=10 {
        let at = elapsed * f64::from(tenth) / 10.0;
        let kib = samples
            .iter()
            .take_while(|s| s.0 <= at)
            .last()
            .map(|s| s.1)
            .unwrap_or(0);
        print!(" {:.0}", kib as f64 / 1024.0);
    }
    println!();
    println!(
        "\nperson profile with 50 linked events, 1,000 sequential reads with audit, new connection each"
    );
    println!(
        "  p50 {:.2} ms   p95 {:.2} ms   p99 {:.2} ms",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99)
    );
    Ok(())
}
