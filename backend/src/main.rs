//! The `probity` command: serve the API and app, or run operator tasks.

use clap::{Parser, Subcommand};
use probity::auth::keys::Keyring;
use probity::config::Config;

#[derive(Parser)]
#[command(
    name = "probity",
    version,
    about = "Police records, lawful by construction"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the API and browser app (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Generate a new token-signing key; the newest key signs after restart.
    RotateKey,
    /// Retire an old signing key: delete its secret, keep its public half
    /// so the audit checkpoints it signed still verify.
    RetireKey {
        /// The key id (see /api/v1/auth/jwks.json or the data/keys folder).
        kid: String,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Import records from a legacy system's NDJSON file (the same import
    /// as POST /api/v1/imports/{record_type}); `-` reads standard input.
    Import {
        /// people, events, objects or locations
        record_type: String,
        file: std::path::PathBuf,
        /// The legacy system's name; re-running skips what it already wrote.
        #[arg(long)]
        source_system: String,
    },
    /// Rebuild the search index from the database (stop the server first
    /// when it uses the embedded engine: they share the index).
    Reindex,
    /// Verify the audit log's hash chain and signed checkpoints (reads
    /// only: it never seals or signs).
    VerifyAudit {
        /// Start from the signed checkpoint at this chain position.
        #[arg(long)]
        from_checkpoint: Option<i64>,
        /// A witness copy of the signed checkpoints (a file written by the
        /// server's witness, or by `probity witness-serve`); every
        /// checkpoint in it must be in the database and agree with the
        /// chain. May be given more than once.
        #[arg(long)]
        witness: Vec<std::path::PathBuf>,
    },
    /// After restoring the database from a backup: declare, sign and hand to
    /// the witness file that the checkpoints signed after the backup were
    /// lost with it (docs/ERASURE.md, the restore procedure).
    AuditRestored {
        /// Why: the incident or change ticket.
        #[arg(long)]
        reason: String,
    },
    /// Review, retention and disposal (MoPI): what is due, and working the
    /// review dates out again.
    Retention {
        #[command(subcommand)]
        what: RetentionCommand,
    },
    /// Receive signed checkpoints over HTTP and keep them in a file (an
    /// outside witness; run it on another machine than the database).
    WitnessServe {
        #[arg(long, default_value = "127.0.0.1:9190")]
        bind: String,
        /// The append-only file to keep them in.
        #[arg(long)]
        file: std::path::PathBuf,
        /// A bearer token the server must send (PROBITY_AUDIT_WITNESS_TOKEN).
        #[arg(long, env = "PROBITY_WITNESS_TOKEN")]
        token: Option<String>,
        /// A public key (hex, as in /api/v1/auth/jwks.json or a checkpoint)
        /// trusted to sign; may be given more than once. Without any, the
        /// first key seen for a log is the one trusted.
        #[arg(long = "key")]
        keys: Vec<String>,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// List the people whose review is due (ids, groups and dates; the
    /// names are for the review screen, where reading them is logged).
    Due {
        /// Due on or before this day (YYYY-MM-DD); default today.
        #[arg(long)]
        before: Option<chrono::NaiveDate>,
        /// At most this many lines (the totals count everyone).
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Work out every person's group and review date again (after the
    /// retention rules change), and print the rate.
    Recompute,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("probity: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::load()?;
    probity::telemetry::init(&config);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => probity::server::serve(config).await,
        Command::Migrate => {
            let applied = probity::db::migrate(config.database_url.expose())?;
            println!("{} migration(s) applied", applied.len());
            Ok(())
        }
        Command::RotateKey => {
            let kid = Keyring::generate(&config.data_dir.join("keys"))?;
            println!("new signing key {kid}; restart every instance to sign with it");
            Ok(())
        }
        Command::RetireKey { kid } => {
            Keyring::retire(&config.data_dir.join("keys"), &kid)?;
            println!("retired {kid}; restart every instance");
            Ok(())
        }
        Command::VerifyAudit {
            from_checkpoint,
            witness,
        } => {
            let state = probity::state::AppState::build(config)?;
            let mut copies = Vec::new();
            for path in &witness {
                let read = probity::audit::witness::read(path)
                    .map_err(|e| anyhow::anyhow!("reading the witness {}: {e}", path.display()))?;
                anyhow::ensure!(
                    !read.is_empty(),
                    "the witness {} holds no checkpoints",
                    path.display()
                );
                copies.extend(read);
            }
            let mut conn = state.pool.get().await?;
            let report = probity::audit::verify::verify(
                &mut conn,
                &state.keys,
                from_checkpoint,
                &copies,
                probity::audit::verify::OtherLogs::Fail,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            if report.ok {
                Ok(())
            } else {
                anyhow::bail!("the audit log failed verification")
            }
        }
        Command::Import {
            record_type,
            file,
            source_system,
        } => {
            let state = probity::state::AppState::build(config)?;
            let report =
                probity::imports::cli::import_file(&state, &record_type, &file, &source_system)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        Command::Reindex => {
            let state = probity::state::AppState::build(config)?;
            let progress = probity::search::rebuild::run(&state, |p| {
                eprint!("\r{}", probity::search::rebuild::bar(p));
            })
            .await?;
            eprintln!();
            println!(
                "indexed {} records in {:.1} s ({:.0}/s)",
                progress.done,
                progress.elapsed.as_secs_f64(),
                progress.rate()
            );
            Ok(())
        }
        Command::AuditRestored { reason } => {
            let state = probity::state::AppState::build(config)?;
            let d = probity::audit::restore::declare(&state, &reason).await?;
            let (id, kept, lost) = (d.id, d.kept, d.lost_through);
            // The declaration is itself logged.
            let ctx = probity::auth::RequestContext::system("audit-restored", Vec::new());
            probity::audit::run(&state, &ctx, move |_tx| {
                Box::pin(async move {
                    let event = probity::audit::AuditEvent::new(
                        probity::audit::Operation::Administration,
                        "audit.restore",
                        vec![probity::audit::RecordRef::new("audit_restore", id)],
                    )
                    .fields(vec![format!("lost:{}-{lost}", kept + 1)]);
                    Ok(probity::audit::Audited::new((), event))
                })
            })
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "declared {id}: checkpoints {} to {lost} went with the restore; the declaration is signed ({}), kept in the database and appended to the witness file",
                kept + 1,
                d.key_id
            );
            Ok(())
        }
        Command::Retention { what } => {
            let state = probity::state::AppState::build(config)?;
            match what {
                RetentionCommand::Due { before, limit } => {
                    let day = before.unwrap_or_else(|| state.today());
                    probity::retention::schedule::catch_up(&state).await?;
                    let report = probity::retention::cli::due_report(&state, day, limit).await?;
                    print!("{report}");
                }
                RetentionCommand::Recompute => {
                    let started = std::time::Instant::now();
                    let n = probity::retention::schedule::recompute_all(&state, |done| {
                        eprint!("\r{done} people");
                    })
                    .await?;
                    eprintln!();
                    let secs = started.elapsed().as_secs_f64();
                    println!(
                        "worked out {n} people's review dates in {secs:.1} s ({:.0} people/s)",
                        n as f64 / secs.max(1e-9)
                    );
                }
            }
            Ok(())
        }
        Command::WitnessServe {
            bind,
            file,
            token,
            keys,
        } => probity::audit::witness_serve::serve(&bind, file, token, keys).await,
        Command::Openapi => {
            use utoipa::OpenApi;
            println!("{}", probity::openapi::ApiDoc::openapi().to_pretty_json()?);
            Ok(())
        }
    }
}
