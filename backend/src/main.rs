//! The `probity` command: serve the API and app, or run operator tasks.

use clap::{Parser, Subcommand};
use probity::auth::keys::Keyring;
use probity::config::Config;

#[derive(Parser)]
#[command(name = "probity", version, about = "Police records, lawful by construction")]
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
    /// Print the OpenAPI document.
    Openapi,
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
        Command::Openapi => {
            use utoipa::OpenApi;
            println!("{}", probity::openapi::ApiDoc::openapi().to_pretty_json()?);
            Ok(())
        }
    }
}
