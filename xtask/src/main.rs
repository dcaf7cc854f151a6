//! Probity's project commands.
//!
//! `cargo xtask run`  installs what is missing, builds the app and serves it
//!                    with demo data on http://127.0.0.1:8080.
//! `cargo xtask test` installs what is missing (browser included) and runs
//!                    every check: fmt, clippy, unit and integration tests
//!                    against PostgreSQL, the app build and the e2e suite.
//!
//! Std only, so this crate compiles in seconds on a fresh machine.

mod bench;
mod bench_erasure;
mod bench_log;
mod bench_records;
mod bench_rights;
mod bench_search;
mod bench_trigram;
mod postgres;
mod setup;
mod sh;

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => test(),
        // The app build and the browser tests alone, for working on the app.
        Some("e2e") => setup::for_tests().and_then(|db| {
            setup::build_app()?;
            e2e(&db)
        }),
        Some("bench") => match args.get(1).map(String::as_str) {
            Some("audit") => bench::audit(),
            Some("audit-log") => bench_log::run(),
            Some("records") => bench_records::run(args.get(2).map(String::as_str)),
            Some("rights") => bench_rights::run(
                args.get(2).map(String::as_str),
                args.get(3).map(String::as_str),
            ),
            Some("erasure") => bench_erasure::run(
                args.get(2).map(String::as_str),
                args.get(3).map(String::as_str),
                args.get(4).map(String::as_str),
            ),
            Some("search") => bench_search::run(
                args.get(2).map(String::as_str),
                args.get(3).map(String::as_str),
            ),
            _ => Err(
                "usage: cargo xtask bench <audit|audit-log|records [PEOPLE]|rights [PEOPLE] [EVENTS]|erasure [PEOPLE] [EVENTS] [RUNS]|search [DISTRACTORS] [FEBRL.csv]>"
                    .into(),
            ),
        },
        _ => {
            eprintln!(
                "usage: cargo xtask <run|test|e2e|bench audit|bench audit-log|bench records|bench search>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: FAILED after {:.0?}: {e}", started.elapsed());
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let db = setup::for_run()?;
    let url = postgres::ensure_database(&db, "probity")?;
    setup::build_app()?;
    sh::step("building the server", &mut || {
        sh::run("cargo", &["build", "--quiet", "-p", "probity-backend"], &[])
    })?;
    println!("starting Probity (Ctrl-C to stop; data is kept in the database and ./data)");
    sh::run(
        "target/debug/probity",
        &["serve"],
        &[
            ("DATABASE_URL", url.as_str()),
            ("PROBITY_DEMO_DATA", "true"),
            ("PROBITY_STATIC_DIR", "frontend/dist"),
            ("PROBITY_DATA_DIR", "data"),
        ],
    )
}

fn test() -> Result<(), String> {
    let db = setup::for_tests()?;
    let mut timings = Vec::new();
    let mut timed = |name: &str, f: &mut dyn FnMut() -> Result<(), String>| {
        let t = Instant::now();
        let r = sh::step(name, f);
        timings.push((name.to_owned(), t.elapsed()));
        r
    };
    timed("cargo fmt --check", &mut || {
        sh::run("cargo", &["fmt", "--all", "--", "--check"], &[])
    })?;
    timed("cargo clippy (server, shared, xtask)", &mut || {
        sh::run(
            "cargo",
            &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
            &[],
        )
    })?;
    timed("cargo clippy (browser app, wasm32)", &mut || {
        sh::run(
            "cargo",
            &[
                "clippy",
                "--quiet",
                "-p",
                "probity-frontend",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ],
            &[],
        )
    })?;
    timed(
        "shared stays free of server crates in the browser build",
        &mut || {
            let tree = sh::output(
                "cargo",
                &[
                    "tree",
                    "-p",
                    "probity-frontend",
                    "--target",
                    "wasm32-unknown-unknown",
                    "-e",
                    "normal",
                    "--prefix",
                    "none",
                ],
            )?;
            match tree.lines().find(|l| {
                ["diesel", "actix", "tokio-postgres"]
                    .iter()
                    .any(|c| l.starts_with(c))
            }) {
                Some(line) => Err(format!(
                    "the browser build depends on a server crate: {line}"
                )),
                None => Ok(()),
            }
        },
    )?;
    postgres::sweep_test_databases(&db)?;
    let server = db.server_url();
    timed("unit and integration tests (PostgreSQL)", &mut || {
        sh::run(
            "cargo",
            &["test", "--no-fail-fast"],
            &[("PROBITY_TEST_DATABASE_SERVER", server.as_str())],
        )
    })?;
    // Cargo hides a passing test's output, so the skip is said here too.
    if std::env::var_os("MEILI_URL").is_none() {
        println!(
            "    SKIPPED: the Meilisearch conformance and records runs (MEILI_URL is not set); \
             the embedded engine's ran"
        );
    }
    timed("browser app build (trunk --release)", &mut setup::build_app)?;
    timed("end-to-end tests (headless Chromium)", &mut || e2e(&db))?;
    println!("\nall checks passed:");
    for (name, took) in &timings {
        println!("  {took:>8.1?}  {name}");
    }
    Ok(())
}

/// Serves a fresh demo database on a free loopback port and runs the
/// Playwright suite against it.
fn e2e(db: &postgres::Server) -> Result<(), String> {
    sh::run("cargo", &["build", "--quiet", "-p", "probity-backend"], &[])?;
    let name = format!("probity_e2e_{}", std::process::id());
    postgres::drop_database(db, &name)?;
    let url = postgres::ensure_database(db, &name)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let bind = format!("127.0.0.1:{port}");
    let data_dir = std::env::temp_dir().join(&name);
    let mut server = std::process::Command::new("target/debug/probity")
        .arg("serve")
        .envs([
            ("DATABASE_URL", url.as_str()),
            ("PROBITY_DEMO_DATA", "true"),
            ("PROBITY_STATIC_DIR", "frontend/dist"),
            ("PROBITY_BIND", bind.as_str()),
            ("PROBITY_LOG", "warn"),
        ])
        .env("PROBITY_DATA_DIR", &data_dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("starting the server: {e}"))?;
    let base = format!("http://{bind}");
    let result = sh::run(
        "npm",
        &["test", "--prefix", "e2e", "--silent"],
        &[("PROBITY_URL", base.as_str())],
    );
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data_dir);
    postgres::drop_database(db, &name)?;
    result
}
