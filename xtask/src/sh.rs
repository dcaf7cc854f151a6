//! Running commands, loudly on failure and quietly on success.

use std::process::{Command, Stdio};

pub fn step(name: &str, f: &mut dyn FnMut() -> Result<(), String>) -> Result<(), String> {
    println!("==> {name}");
    f().map_err(|e| format!("{name}: {e}"))
}

fn command(program: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.env("PATH", crate::setup::path());
    cmd
}

/// Runs to completion with output passed through; fails on non-zero exit.
pub fn run(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let status = command(program, args, env)
        .status()
        .map_err(|e| format!("{program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{program} {}` exited with {status}",
            args.join(" ")
        ))
    }
}

/// Runs with output captured; shows it only if the command fails.
pub fn quiet(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let out = command(program, args, env)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        eprintln!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Err(format!(
            "`{program} {}` exited with {}",
            args.join(" "),
            out.status
        ))
    }
}

/// Standard output of a command that must succeed.
pub fn output(program: &str, args: &[&str]) -> Result<String, String> {
    output_env(program, args, &[])
}

/// As [`output`], with variables set for the program.
pub fn output_env(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<String, String> {
    let out = command(program, args, env)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "`{program} {}` exited with {}",
            args.join(" "),
            out.status
        ))
    }
}

/// Standard output of a command, or None if it is missing or fails.
pub fn probe(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program, args, &[])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}
