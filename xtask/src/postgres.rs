//! Finding or starting PostgreSQL: `DATABASE_URL` if set; else the server on
//! 127.0.0.1:5432 (started if installed but down); else a private cluster
//! under ./data/postgres on port 5433, installing PostgreSQL if absent.

use crate::setup::{self, root};
use crate::sh;
use std::path::PathBuf;

pub struct Server {
    /// A URL without a database name, e.g. postgres://postgres@127.0.0.1:5432
    base: String,
    /// A full URL given by the user, used as-is for the main database.
    given: Option<String>,
}

impl Server {
    pub fn server_url(&self) -> String {
        self.base.clone()
    }
}

fn ready(host: &str, port: &str) -> bool {
    sh::probe("pg_isready", &["-q", "-h", host, "-p", port]).is_some()
}

fn pg_bin() -> Option<PathBuf> {
    let dir = std::fs::read_dir("/usr/lib/postgresql").ok()?;
    let mut versions: Vec<PathBuf> = dir
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .collect();
    versions.sort();
    versions.pop()
}

pub fn ensure_server() -> Result<Server, String> {
    sh::step("PostgreSQL", &mut || Ok(()))?;
    if let Ok(url) = std::env::var("DATABASE_URL") {
        let base = url
            .rsplit_once('/')
            .map(|(b, _)| b.to_owned())
            .unwrap_or(url.clone());
        return Ok(Server {
            base,
            given: Some(url),
        });
    }
    let system = || Server {
        base: "postgres://postgres@127.0.0.1:5432".into(),
        given: None,
    };
    if pg_bin().is_none() {
        setup::apt_install(&["postgresql", "postgresql-client"])?;
    }
    if ready("127.0.0.1", "5432") {
        return Ok(system());
    }
    // An installed system cluster that is down: start it.
    if let Some(clusters) = sh::probe("pg_lsclusters", &["-h"]) {
        for line in clusters.lines() {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() >= 3 && cols[2] == "5432" {
                println!("    starting PostgreSQL {} {}", cols[0], cols[1]);
                let _ = sh::quiet(
                    "pg_ctlcluster",
                    &["--skip-systemctl-redirect", cols[0], cols[1], "start"],
                    &[],
                );
            }
        }
        for _ in 0..30 {
            if ready("127.0.0.1", "5432") {
                return Ok(system());
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
    }
    private_cluster()
}

/// A cluster owned by the project, under ./data/postgres, on port 5433.
fn private_cluster() -> Result<Server, String> {
    let bin = pg_bin().ok_or("PostgreSQL binaries not found")?;
    let dir = root().join("data/postgres");
    let base = Server {
        base: "postgres://postgres@127.0.0.1:5433".into(),
        given: None,
    };
    if ready("127.0.0.1", "5433") {
        return Ok(base);
    }
    let as_root = sh::probe("id", &["-u"]).as_deref() == Some("0");
    let run_pg = |program: &str, args: &[&str]| -> Result<(), String> {
        let exe = bin.join(program).display().to_string();
        if as_root {
            // initdb refuses to run as root.
            let mut full = vec!["-u", "postgres", "--", exe.as_str()];
            full.extend(args);
            sh::quiet("runuser", &full, &[])
        } else {
            sh::quiet(&exe, args, &[])
        }
    };
    let data = dir.display().to_string();
    if !dir.join("PG_VERSION").exists() {
        println!("    creating a private PostgreSQL cluster in {data}");
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        if as_root {
            sh::quiet("chown", &["-R", "postgres:postgres", &data], &[])?;
        }
        run_pg(
            "initdb",
            &["-D", &data, "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        )?;
    }
    let log = format!("{data}/server.log");
    run_pg(
        "pg_ctl",
        &[
            "-D",
            &data,
            "-l",
            &log,
            "-w",
            "-o",
            "-p 5433 -k /tmp -c listen_addresses=127.0.0.1",
            "start",
        ],
    )?;
    Ok(base)
}

fn psql(server: &Server, sql: &str) -> Result<String, String> {
    sh::output(
        "psql",
        &[&format!("{}/postgres", server.base), "-XtAqc", sql],
    )
}

/// Runs one statement in the named database and returns its rows, one per
/// line, columns separated by `|`.
pub fn query(server: &Server, database: &str, sql: &str) -> Result<String, String> {
    sh::output(
        "psql",
        &[&format!("{}/{database}", server.base), "-XtAqc", sql],
    )
}

/// Creates the database if it does not exist and returns its URL.
pub fn ensure_database(server: &Server, name: &str) -> Result<String, String> {
    if let (Some(given), "probity") = (&server.given, name) {
        return Ok(given.clone());
    }
    let exists = psql(
        server,
        &format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
    )?;
    if exists.trim() != "1" {
        psql(server, &format!("CREATE DATABASE {name}"))?;
    }
    Ok(format!("{}/{name}", server.base))
}

pub fn drop_database(server: &Server, name: &str) -> Result<(), String> {
    psql(
        server,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
    .map(|_| ())
}

/// Removes databases left by interrupted test runs, and test templates
/// (the tests rebuild the one for the current migrations in a second).
pub fn sweep_test_databases(server: &Server) -> Result<(), String> {
    let names = psql(
        server,
        "SELECT datname FROM pg_database WHERE datname LIKE 'probity\\_test\\_%' \
         OR datname LIKE 'probity\\_e2e\\_%' OR datname LIKE 'probity\\_tpl\\_%'",
    )?;
    for name in names.lines().filter(|l| !l.trim().is_empty()) {
        drop_database(server, name.trim())?;
    }
    Ok(())
}
