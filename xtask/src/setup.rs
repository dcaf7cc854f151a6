//! Installing what the commands need, idempotently and quietly when present.

use crate::postgres::{self, Server};
use crate::sh;
use std::path::{Path, PathBuf};

pub const TRUNK_VERSION: &str = "0.21.14";

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// PATH with the tools this project installs in front.
pub fn path() -> String {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let mut parts = vec![
        format!("{home}/.cargo/bin"),
        root()
            .join("frontend/node_modules/.bin")
            .display()
            .to_string(),
    ];
    parts.push(std::env::var("PATH").unwrap_or_default());
    parts.join(":")
}

fn have(program: &str, args: &[&str], wanted: Option<&str>) -> bool {
    match sh::probe(program, args) {
        Some(out) => wanted.is_none_or(|w| out.contains(w)),
        None => false,
    }
}

pub fn apt_install(packages: &[&str]) -> Result<(), String> {
    println!("    installing {} (apt)", packages.join(" "));
    let is_root = sh::probe("id", &["-u"]).as_deref() == Some("0");
    let (program, prefix): (&str, Vec<&str>) = if is_root {
        ("apt-get", vec![])
    } else {
        ("sudo", vec!["apt-get"])
    };
    let env = [("DEBIAN_FRONTEND", "noninteractive")];
    let mut update = prefix.clone();
    update.extend(["update", "-qq"]);
    sh::quiet(program, &update, &env)?;
    let mut install = prefix;
    install.extend(["install", "-y", "-qq", "--no-install-recommends"]);
    install.extend(packages);
    sh::quiet(program, &install, &env)
}

/// The version of a package as Cargo.lock pins it.
fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let marker = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&marker)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + marker.len();
    Ok(lock[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned())
}

fn ensure_browser_build_tools() -> Result<(), String> {
    sh::step("browser build tools", &mut || {
        let targets = sh::probe("rustup", &["target", "list", "--installed"]).unwrap_or_default();
        if !targets.contains("wasm32-unknown-unknown") {
            sh::quiet("rustup", &["target", "add", "wasm32-unknown-unknown"], &[])?;
        }
        // The newest Trunk needs a newer compiler than this machine has.
        if !have("trunk", &["--version"], Some(TRUNK_VERSION)) {
            println!("    installing trunk {TRUNK_VERSION} (several minutes, once)");
            sh::quiet(
                "cargo",
                &["install", "--locked", "trunk", "--version", TRUNK_VERSION],
                &[],
            )?;
        }
        // Must equal the wasm-bindgen library in Cargo.lock, or the app breaks.
        let bindgen = locked_version("wasm-bindgen")?;
        if !have("wasm-bindgen", &["--version"], Some(&bindgen)) {
            println!("    installing wasm-bindgen-cli {bindgen} (several minutes, once)");
            // `--locked` fails here: one of its locked dependencies left the registry.
            sh::quiet(
                "cargo",
                &[
                    "install",
                    "wasm-bindgen-cli",
                    "--version",
                    &bindgen,
                    "--force",
                ],
                &[],
            )?;
        }
        if !have("npm", &["--version"], None) {
            apt_install(&["nodejs", "npm"])?;
        }
        // wasm-opt from npm's binaryen 132: Debian's older one breaks the app.
        if !root().join("frontend/node_modules/.bin/wasm-opt").exists() {
            sh::quiet(
                "npm",
                &[
                    "ci",
                    "--prefix",
                    "frontend",
                    "--no-audit",
                    "--no-fund",
                    "--silent",
                ],
                &[],
            )?;
        }
        Ok(())
    })
}

pub fn build_app() -> Result<(), String> {
    ensure_browser_build_tools()?;
    // Trunk runs cargo offline (it must never download tools), so fetch first.
    sh::quiet("cargo", &["fetch", "--quiet"], &[])?;
    sh::step("building the browser app", &mut || {
        sh::quiet(
            "trunk",
            &["build", "--release"],
            &[("TRUNK_SKIP_VERSION_CHECK", "true"), ("NO_COLOR", "true")],
        )
    })
}

pub fn for_run() -> Result<Server, String> {
    std::env::set_current_dir(root()).map_err(|e| e.to_string())?;
    ensure_browser_build_tools()?;
    postgres::ensure_server()
}

pub fn for_bench() -> Result<Server, String> {
    std::env::set_current_dir(root()).map_err(|e| e.to_string())?;
    postgres::ensure_server()
}

pub fn for_tests() -> Result<Server, String> {
    let server = for_run()?;
    sh::step("browser test tools", &mut || {
        if !Path::new("/usr/bin/chromium").exists() || !Path::new("/usr/bin/chromedriver").exists()
        {
            apt_install(&["chromium", "chromium-driver"])?;
        }
        // pdftotext reads the text of the PDFs Probity makes, in the tests.
        if !Path::new("/usr/bin/pdftotext").exists() {
            apt_install(&["poppler-utils"])?;
        }
        // pg_dump and pg_restore: the backup and restore test.
        if !Path::new("/usr/bin/pg_dump").exists() || !Path::new("/usr/bin/pg_restore").exists() {
            apt_install(&["postgresql-client"])?;
        }
        if !root().join("e2e/node_modules/playwright-core").exists() {
            sh::quiet(
                "npm",
                &[
                    "ci",
                    "--prefix",
                    "e2e",
                    "--no-audit",
                    "--no-fund",
                    "--silent",
                ],
                &[],
            )?;
        }
        Ok(())
    })?;
    Ok(server)
}
