//! `cargo xtask bench audit`: the price of the audit log.
//!
//! Builds the server twice (normal, and a benchmark-only build with the
//! `bench-no-audit` feature that writes no events), serves each on a fresh
//! demo database on loopback, and drives the same audited person read and
//! person update with `wrk` for a fixed time. Prints requests per second for
//! each and the overhead, and each process's CPU time per request (server,
//! PostgreSQL, wrk), which says where the overhead is spent. Loopback only,
//! bounded in time.

use crate::postgres::{self, Server};
use crate::setup;
use crate::sh;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SECONDS: &str = "8";
const ROUNDS: usize = 3;
const JUSTIFICATION: &str = "purpose=investigation&reference=BENCH%2F1";

pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream
        .write_all(req.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| e.to_string())?;
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

/// `http`, for an answer that is not text (a PDF): status and body bytes.
pub fn http_bytes(
    addr: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Result<(u16, Vec<u8>), String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream
        .write_all(req.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| e.to_string())?;
    let status = std::str::from_utf8(response.get(9..12).unwrap_or_default())
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| response[at + 4..].to_vec())
        .unwrap_or_default();
    Ok((status, body))
}

/// Builds the benchmarks' server (release-like, quicker to link) and
/// returns the path of its binary.
pub fn build_server() -> Result<String, String> {
    build_server_with("server", &[])
}

/// The same build with extra cargo arguments (such as features), under a
/// name saying which variant it is.
fn build_server_with(name: &str, extra: &[&str]) -> Result<String, String> {
    sh::step(
        &format!("building the {name} (profile bench-server)"),
        &mut || {
            let mut args = vec![
                "build",
                "--quiet",
                "--profile",
                "bench-server",
                "-p",
                "probity-backend",
            ];
            args.extend(extra);
            sh::run("cargo", &args, &[])
        },
    )?;
    Ok(setup::root()
        .join("target/bench-server/probity")
        .display()
        .to_string())
}

/// A benchmark's size argument ("1_000_000" or "1000000"), or `default`.
pub fn count(arg: Option<&str>, default: usize) -> Result<usize, String> {
    arg.map(|p| {
        p.replace('_', "")
            .parse()
            .map_err(|_| format!("not a number: {p}"))
    })
    .transpose()
    .map(|n| n.unwrap_or(default))
}

/// Signs in as a demo user; returns the access token.
pub fn sign_in(addr: &str, user: &str) -> Result<String, String> {
    let (status, body) = http(
        addr,
        "POST",
        "/api/v1/auth/sign-in",
        &[("Content-Type", "application/json")],
        &format!("{{\"username\":\"{user}\",\"password\":\"probity-demo-pass\"}}"),
    )?;
    json_str(&body, "access_token").ok_or(format!("sign-in as {user} failed: {status} {body}"))
}

/// A whole-number field of a JSON body, found by its key.
pub fn json_count(body: &str, key: &str) -> Option<u64> {
    body.split(&format!("\"{key}\":"))
        .nth(1)?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

pub fn json_str(body: &str, key: &str) -> Option<String> {
    let marker = format!("\"{key}\":\"");
    let start = body.find(&marker)? + marker.len();
    Some(body[start..].split('"').next()?.to_owned())
}

pub struct Running {
    child: Child,
    pub addr: String,
}

impl Running {
    /// The server's process id, for memory readings.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(
    binary: &str,
    db: &Server,
    name: &str,
    env: &[(&str, &str)],
) -> Result<Running, String> {
    postgres::drop_database(db, name)?;
    let url = postgres::ensure_database(db, name)?;
    start_with_env(binary, &url, name, env)
}

/// Serves `url` with demo accounts on a free loopback port until dropped.
pub fn start_with(binary: &str, url: &str, name: &str) -> Result<Running, String> {
    start_with_env(binary, url, name, &[])
}

fn start_with_env(
    binary: &str,
    url: &str,
    name: &str,
    env: &[(&str, &str)],
) -> Result<Running, String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(binary)
        .arg("serve")
        .envs([
            ("DATABASE_URL", url),
            ("PROBITY_DEMO_DATA", "true"),
            ("PROBITY_BIND", addr.as_str()),
            ("PROBITY_LOG", "warn"),
            ("PROBITY_WORKERS", "2"),
        ])
        .envs(env.iter().copied())
        .env("PROBITY_DATA_DIR", std::env::temp_dir().join(name))
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("{binary}: {e}"))?;
    let running = Running { child, addr };
    // A server that must rebuild its search index first (a million people)
    // listens only after a minute or so.
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        if matches!(http(&running.addr, "GET", "/readyz", &[], ""), Ok((200, _))) {
            return Ok(running);
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err("the server did not become ready".into())
}

/// CPU time so far, in clock ticks (Linux's USER_HZ, 100 a second), of
/// the server, of every PostgreSQL process together, and of the children
/// this process has waited for (each finished `wrk`).
fn cpu_ticks(server: u32) -> [u64; 3] {
    // utime and stime, or cutime and cstime, from a /proc/PID/stat line:
    // the fields after the command name, which may itself hold spaces.
    let times = |path: String, first: usize| -> u64 {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|stat| {
                let rest = stat.rsplit_once(')')?.1.to_owned();
                let f: Vec<u64> = rest
                    .split_whitespace()
                    .skip(first)
                    .take(2)
                    .filter_map(|v| v.parse().ok())
                    .collect();
                Some(f.iter().sum())
            })
            .unwrap_or(0)
    };
    let postgres: u64 = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        })
        .filter(|e| {
            std::fs::read_to_string(e.path().join("comm")).is_ok_and(|c| c.trim() == "postgres")
        })
        .map(|e| times(e.path().join("stat").display().to_string(), 11))
        .sum();
    [
        times(format!("/proc/{server}/stat"), 11),
        postgres,
        times("/proc/self/stat".to_owned(), 13),
    ]
}

/// One wrk run: requests per second, and CPU microseconds per request
/// spent by the server, by PostgreSQL and by wrk.
#[derive(Clone)]
struct Sample {
    rate: f64,
    cpu: [f64; 3],
}

fn measured(server: u32, run: impl FnOnce() -> Result<f64, String>) -> Result<Sample, String> {
    let before = cpu_ticks(server);
    let rate = run()?;
    let after = cpu_ticks(server);
    let requests = rate * SECONDS.parse::<f64>().unwrap_or(1.0);
    let per_request = |i: usize| (after[i] - before[i]) as f64 * 10_000.0 / requests.max(1.0);
    Ok(Sample {
        rate,
        cpu: [per_request(0), per_request(1), per_request(2)],
    })
}

/// Requests per second for one wrk run.
fn wrk(url: &str, token: &str, script: Option<&str>) -> Result<f64, String> {
    let auth = format!("Authorization: Bearer {token}");
    let justification = format!("Probity-Justification: {JUSTIFICATION}");
    let mut args = vec![
        "-t2",
        "-c16",
        "-d",
        SECONDS,
        "--latency",
        "-H",
        &auth,
        "-H",
        &justification,
    ];
    if let Some(script) = script {
        args.extend(["-s", script]);
    }
    args.push(url);
    let out = sh::output("wrk", &args)?;
    if out.contains("unexpected symbol") || !out.contains("Requests/sec") {
        return Err(format!("wrk failed:\n{out}"));
    }
    let non2xx = out.lines().find(|l| l.contains("Non-2xx"));
    if let Some(line) = non2xx {
        return Err(format!("wrk saw errors: {line}"));
    }
    out.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no Requests/sec in wrk output:\n{out}"))
}

/// A server under test, signed in as the demo officer, with the Lua
/// scripts that spread reads and updates over every demo person.
struct Target {
    server: Running,
    token: String,
    read_script: String,
    update_script: String,
}

fn prepare(binary: &str, db: &Server, name: &str, env: &[(&str, &str)]) -> Result<Target, String> {
    let server = start(binary, db, name, env)?;
    let token = sign_in(&server.addr, "officer")?;
    let (_, page) = http(
        &server.addr,
        "GET",
        "/api/v1/people?limit=100",
        &[
            ("Authorization", &format!("Bearer {token}")),
            ("Probity-Justification", JUSTIFICATION),
        ],
        "",
    )?;
    let ids: Vec<String> = page
        .split("\"id\":\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(|id| format!("'{id}'")))
        .collect();
    if ids.is_empty() {
        return Err(format!("no people in {page}"));
    }
    let common = format!(
        "local ids = {{{}}}\nlocal n = 0\nlocal function headers(extra)\n  local h = {{}}\n  for k, v in pairs(wrk.headers) do h[k] = v end\n  for k, v in pairs(extra) do h[k] = v end\n  return h\nend\n",
        ids.join(", ")
    );
    let read = format!(
        "{common}request = function()\n  n = n + 1\n  return wrk.format('GET', '/api/v1/people/' .. ids[n % #ids + 1], headers({{}}))\nend\n"
    );
    // Each update changes the surname, so every request is a real alteration.
    let update = format!(
        "{common}request = function()\n  n = n + 1\n  local body = '{{\"surname\":\"Bench' .. string.char(97 + n % 26) .. string.char(97 + math.floor(n / 26) % 26) .. '\",\"forenames\":\"Alex\",\"date_of_birth\":\"1990-04-01\",\"gender\":\"not_known\"}}'\n  return wrk.format('PUT', '/api/v1/people/' .. ids[n % #ids + 1], headers({{['Content-Type'] = 'application/json'}}), body)\nend\n"
    );
    let dir = std::env::temp_dir();
    let read_script = dir.join(format!("{name}-read.lua"));
    let update_script = dir.join(format!("{name}-update.lua"));
    std::fs::write(&read_script, read).map_err(|e| e.to_string())?;
    std::fs::write(&update_script, update).map_err(|e| e.to_string())?;
    Ok(Target {
        server,
        token,
        read_script: read_script.display().to_string(),
        update_script: update_script.display().to_string(),
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

pub fn audit() -> Result<(), String> {
    let db = setup::for_bench()?;
    if sh::probe("wrk", &["--version"]).is_none() && !std::path::Path::new("/usr/bin/wrk").exists()
    {
        setup::apt_install(&["wrk"])?;
    }
    let variants = [
        ("audited", &[][..]),
        ("unaudited", &["--features", "bench-no-audit"][..]),
    ];
    let mut binaries = Vec::new();
    for (name, features) in variants {
        // Each build overwrites the last, so each is copied aside.
        let built = build_server_with(&format!("{name} server"), features)?;
        let to = setup::root().join(format!("target/probity-{name}"));
        std::fs::copy(&built, &to).map_err(|e| e.to_string())?;
        binaries.push(to.display().to_string());
    }
    // Both up at once; rounds alternate between them so that drift in
    // this shared machine's speed falls on each alike. Medians reported.
    let targets = [
        prepare(&binaries[1], &db, "probity_bench_unaudited", &[])?,
        prepare(&binaries[0], &db, "probity_bench_audited", &[])?,
    ];
    let mut results = vec![[Vec::new(), Vec::new()]; targets.len()];
    for round in 1..=ROUNDS {
        println!("    round {round} of {ROUNDS}");
        for (op, pick) in [(0, false), (1, true)] {
            for (i, t) in targets.iter().enumerate() {
                let script = if pick {
                    &t.update_script
                } else {
                    &t.read_script
                };
                let url = format!("http://{}/", t.server.addr);
                results[i][op].push(measured(t.server.pid(), || {
                    wrk(&url, &t.token, Some(script))
                })?);
            }
        }
    }
    let rate = |i: usize, op: usize| median(results[i][op].iter().map(|s| s.rate).collect());
    let cpu = |i: usize, op: usize, who: usize| {
        median(results[i][op].iter().map(|s| s.cpu[who]).collect())
    };
    drop(targets);
    for name in ["probity_bench_unaudited", "probity_bench_audited"] {
        postgres::drop_database(&db, name)?;
    }
    let cost = |with: f64, without: f64| (1.0 - with / without) * 100.0;
    println!(
        "\naudit cost: median of {ROUNDS} alternating {SECONDS} s runs, wrk -t2 -c16, 2 server workers, loopback, one 2-core machine"
    );
    println!(
        "  {:<22} {:>12} {:>12} {:>8}",
        "operation", "no audit/s", "audited/s", "cost"
    );
    for (op, label) in [(0, "person read (GET)"), (1, "person update (PUT)")] {
        let (none, audited) = (rate(0, op), rate(1, op));
        println!(
            "  {label:<22} {none:>12.0} {audited:>12.0} {:>7.1}%",
            cost(audited, none)
        );
    }
    // Where the extra time goes: the two cores are shared by all three.
    println!(
        "\n  CPU per request (µs, median)      {:>8} {:>11} {:>6} {:>7}",
        "server", "PostgreSQL", "wrk", "total"
    );
    for (op, label) in [(0, "read"), (1, "update")] {
        for (i, variant) in [(0, "no audit"), (1, "audited")] {
            let [server, db, client] = [0, 1, 2].map(|who| cpu(i, op, who));
            println!(
                "  {:<32} {server:>8.0} {db:>11.0} {client:>6.0} {:>7.0}",
                format!("person {label}, {variant}"),
                server + db + client
            );
        }
    }
    Ok(())
}
