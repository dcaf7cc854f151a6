//! Starting and stopping the HTTP server.

use crate::config::Config;
use crate::state::AppState;
use crate::{db, demo, routes};
use actix_web::{HttpServer, web};

pub async fn serve(config: Config) -> anyhow::Result<()> {
    if cfg!(feature = "bench-no-audit") {
        tracing::warn!("BENCHMARK BUILD: audit events are NOT written; never use with real data");
    }
    let applied = db::migrate(config.database_url.expose())?;
    if !applied.is_empty() {
        tracing::info!(migrations = ?applied, "migrations applied");
    }
    let workers = if config.workers == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    } else {
        config.workers
    };
    let bind = config.bind.clone();
    let shutdown = config.shutdown_timeout_secs;
    let demo_data = config.demo_data;
    let state = web::Data::new(AppState::build(config)?);
    db::check_upkeep(&state.pool).await;
    db::check_login_role(&state.pool).await;
    crate::search::rebuild::rebuild_if_incomplete(&state).await?;
    // Before anything is served: an erasure this database does not know
    // (it was restored from an older backup) is carried out again.
    before_serving(&state).await?;
    if demo_data && demo::seed_if_empty(&state).await? {
        tracing::info!("demo data seeded");
    }
    // Seals committed audit events into the hash chain, signs checkpoints.
    let sealer = tokio::spawn(crate::audit::seal::run_forever(state.clone()));
    // Applies the search outbox to the index (rebuilding it first if needed).
    let indexer = tokio::spawn(crate::search::outbox::run_forever(state.clone()));
    // Counts open and overdue rights requests for /metrics and the daily log.
    let rights = tokio::spawn(crate::rights::timeliness::run_forever(state.clone()));
    // Works out again the review dates that changes have moved.
    let retention = tokio::spawn(crate::retention::schedule::run_forever(state.clone()));
    let factory_state = state.clone();
    let server = HttpServer::new(move || routes::app(factory_state.clone()))
        .workers(workers)
        // Finish in-flight requests on SIGTERM/SIGINT before exiting.
        .shutdown_timeout(shutdown)
        .bind(&bind)
        .map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
    let addrs: Vec<String> = server
        .addrs()
        .iter()
        .map(|a| format!("http://{a}"))
        .collect();
    tracing::info!(address = ?addrs, "serving");
    println!("\nProbity is running at {}", addrs.join(", "));
    if demo_data {
        println!(
            "Demo sign-ins (password for each: {}):",
            demo::DEMO_PASSWORD
        );
        for (username, role) in demo::accounts() {
            println!("  {username:<24} {}", role.label());
        }
    }
    println!(
        "API reference: {}/api/v1/docs\n",
        addrs.first().cloned().unwrap_or_default()
    );
    server.run().await?;
    sealer.abort();
    indexer.abort();
    rights.abort();
    retention.abort();
    // Seal what the last requests wrote, so a clean stop leaves nothing pending.
    if let Err(e) = crate::audit::seal::seal_once(&state).await {
        tracing::warn!(error = %e, "final seal failed; the next start seals the rest");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Brings a restored database back in line with the erasure ledger, and
/// finishes any erasure a stop cut short. Refuses to serve if it cannot.
pub async fn before_serving(state: &AppState) -> anyhow::Result<()> {
    let done = crate::erasure::ledger::reconcile(state)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "the erasure ledger could not be applied, so Probity will not serve: {e}"
            )
        })?;
    if done.written_to_file > 0 {
        tracing::info!(
            entries = done.written_to_file,
            "erasure ledger file caught up with the database"
        );
    }
    if !done.reapplied.is_empty() {
        let list: Vec<String> = done
            .reapplied
            .iter()
            .map(|(was, now)| match now {
                Some(now) => format!("{was} (again as {now})"),
                None => format!("{was} (nothing of it was left)"),
            })
            .collect();
        tracing::warn!(
            erasures = done.reapplied.len(),
            certificates = %list.join(", "),
            "this database did not know erasures the ledger records (restored from a backup?): carried out again before serving"
        );
        println!(
            "Erasure ledger: {} erasure(s) this database did not know were carried out again before serving.",
            done.reapplied.len()
        );
    }
    Ok(())
}
