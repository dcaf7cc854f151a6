//! Typed, layered configuration: defaults, then an optional TOML file, then
//! environment variables. Built once in `main`, carried in application state,
//! overridden directly in tests. No globals.

use serde::Deserialize;
use std::fmt;
use std::path::PathBuf;

/// A value that must never reach a log line.
#[derive(Clone, Deserialize, Default)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub database_url: Secret,
    pub db_pool_size: usize,
    pub db_role: String,
    pub bind: String,
    pub data_dir: PathBuf,
    pub static_dir: PathBuf,
    pub log_format: LogFormat,
    pub log_filter: String,
    pub workers: usize,
    pub max_body_bytes: usize,
    pub shutdown_timeout_secs: u64,
    pub jwt_issuer: String,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_secs: i64,
    pub sign_in_max_failures: i32,
    pub sign_in_throttle_secs: i64,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub justification_required: bool,
    /// The purposes this force accepts, from the fixed list; a force may
    /// narrow it (events already logged keep whatever purpose they state).
    pub purposes: Vec<shared::justification::Purpose>,
    pub demo_data: bool,
    pub seal_interval_ms: u64,
    pub checkpoint_every_events: i64,
    pub checkpoint_every_secs: i64,
    /// The append-only file every signed checkpoint is also written to:
    /// empty for `<data_dir>/audit-witness.jsonl`, `none` for no file. Put
    /// it on another volume (or a mount from another machine).
    pub audit_witness_file: String,
    /// An HTTP endpoint that receives every signed checkpoint (POST, JSON).
    pub audit_witness_url: String,
    /// Bearer token sent to that endpoint.
    pub audit_witness_token: Secret,
    /// The force's name as controller, on letters and packs it sends.
    pub controller_name: String,
    /// The erasure ledger's copy outside the database (ids and times):
    /// empty for `<data_dir>/erasure-ledger.jsonl`. Keep it off the
    /// database's volume and out of its backups: a restored backup is
    /// brought back in line from it.
    pub erasure_ledger_file: String,
    /// The MoPI grouping (JSON list of rules); empty for the defaults.
    pub retention_rules_file: String,
    /// Lowest rank to authorise a search exposing an adult's intimate parts.
    pub intimate_search_rank: shared::codes_police::Rank,
    /// Lowest rank for a child's: an inspector unless the force decides otherwise.
    pub child_intimate_search_rank: shared::codes_police::Rank,
    pub notify_parent_of_child: bool,
    /// Meilisearch instead of the embedded engine, when set.
    pub meili_url: String,
    pub meili_api_key: Secret,
    /// The Meilisearch index names start with this (several forces or test
    /// runs may share one Meilisearch).
    pub meili_index_prefix: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: Secret::new("postgres://postgres@127.0.0.1:5432/probity"),
            db_pool_size: 16,
            db_role: "probity_app".into(),
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            static_dir: PathBuf::from("frontend/dist"),
            log_format: LogFormat::Text,
            log_filter: "info".into(),
            workers: 0,
            max_body_bytes: 256 * 1024,
            shutdown_timeout_secs: 30,
            jwt_issuer: "probity".into(),
            access_token_ttl_secs: 15 * 60,
            // One long shift; the app refreshes silently within it.
            refresh_token_ttl_secs: 12 * 60 * 60,
            sign_in_max_failures: 5,
            sign_in_throttle_secs: 15 * 60,
            // OWASP's argon2id baseline: 19 MiB, 2 iterations.
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            // DPA 2018 s.62 as enacted; a later amendment may drop it.
            justification_required: true,
            purposes: shared::justification::Purpose::ALL.to_vec(),
            demo_data: false,
            seal_interval_ms: 250,
            checkpoint_every_events: 10_000,
            // Events after the newest checkpoint are vouched for by nothing
            // outside the database, so sign often: it costs one signature
            // and one pass over the events since the last.
            checkpoint_every_secs: 60,
            audit_witness_file: String::new(),
            audit_witness_url: String::new(),
            audit_witness_token: Secret::default(),
            controller_name: "Probity Demonstration Police".into(),
            erasure_ledger_file: String::new(),
            retention_rules_file: String::new(),
            intimate_search_rank: shared::codes_police::Rank::Sergeant,
            child_intimate_search_rank: shared::codes_police::Rank::Inspector,
            notify_parent_of_child: true,
            meili_url: String::new(),
            meili_api_key: Secret::default(),
            meili_index_prefix: "probity".into(),
        }
    }
}

/// Every environment variable the server reads, its field, and its meaning.
/// The README's configuration table is written from this list.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("DATABASE_URL", "PostgreSQL connection URL"),
    ("PROBITY_DB_POOL_SIZE", "database connections per instance"),
    (
        "PROBITY_DB_ROLE",
        "role the server works as (append-only on audit); empty for none",
    ),
    ("PROBITY_BIND", "address and port to listen on"),
    ("PROBITY_DATA_DIR", "signing keys and other local state"),
    ("PROBITY_STATIC_DIR", "the built browser app to serve"),
    ("PROBITY_LOG_FORMAT", "text or json"),
    ("PROBITY_LOG", "tracing filter, e.g. info,probity=debug"),
    ("PROBITY_WORKERS", "HTTP worker threads (0: one per core)"),
    ("PROBITY_MAX_BODY_BYTES", "largest request body accepted"),
    (
        "PROBITY_SHUTDOWN_TIMEOUT_SECS",
        "grace period for in-flight requests",
    ),
    ("PROBITY_JWT_ISSUER", "iss and aud of access tokens"),
    ("PROBITY_ACCESS_TOKEN_TTL_SECS", "access token lifetime"),
    (
        "PROBITY_REFRESH_TOKEN_TTL_SECS",
        "session (refresh token family) lifetime",
    ),
    (
        "PROBITY_SIGN_IN_MAX_FAILURES",
        "failed sign-ins before throttling",
    ),
    ("PROBITY_SIGN_IN_THROTTLE_SECS", "how long throttling lasts"),
    ("PROBITY_ARGON2_MEMORY_KIB", "argon2id memory cost"),
    ("PROBITY_ARGON2_ITERATIONS", "argon2id time cost"),
    (
        "PROBITY_JUSTIFICATION_REQUIRED",
        "require a stated justification to read personal data",
    ),
    (
        "PROBITY_PURPOSES",
        "the purposes a justification may state, comma-separated (default: all)",
    ),
    (
        "PROBITY_DEMO_DATA",
        "seed demo accounts and people on first start",
    ),
    (
        "PROBITY_SEAL_INTERVAL_MS",
        "how often committed audit events are sealed into the chain",
    ),
    (
        "PROBITY_CHECKPOINT_EVERY_EVENTS",
        "sign a checkpoint after this many sealed events",
    ),
    (
        "PROBITY_CHECKPOINT_EVERY_SECS",
        "or after this many seconds with new events",
    ),
    (
        "PROBITY_AUDIT_WITNESS_FILE",
        "append-only file that also receives every signed checkpoint (default data/audit-witness.jsonl; none: off)",
    ),
    (
        "PROBITY_AUDIT_WITNESS_URL",
        "HTTP endpoint that also receives every signed checkpoint",
    ),
    (
        "PROBITY_AUDIT_WITNESS_TOKEN",
        "bearer token for that endpoint",
    ),
    (
        "PROBITY_CONTROLLER_NAME",
        "the force's name as data controller, on letters and packs",
    ),
    (
        "PROBITY_ERASURE_LEDGER_FILE",
        "the erasure ledger's copy outside the database (default <data_dir>/erasure-ledger.jsonl)",
    ),
    (
        "PROBITY_RETENTION_RULES",
        "a JSON file of MoPI grouping rules (default: the built-in rules)",
    ),
    (
        "PROBITY_INTIMATE_SEARCH_RANK",
        "lowest rank to authorise a search exposing an adult's intimate parts (sergeant)",
    ),
    (
        "PROBITY_CHILD_INTIMATE_SEARCH_RANK",
        "lowest rank for a child's (inspector)",
    ),
    (
        "PROBITY_NOTIFY_PARENT_OF_CHILD",
        "require the time a parent was told of a child's strip search",
    ),
    (
        "MEILI_URL",
        "Meilisearch URL; unset uses the embedded search engine",
    ),
    ("MEILI_API_KEY", "Meilisearch API key"),
    (
        "PROBITY_MEILI_INDEX_PREFIX",
        "prefix of the Meilisearch index names",
    ),
];

impl Config {
    /// The witness file, if any.
    pub fn audit_witness_path(&self) -> Option<PathBuf> {
        match self.audit_witness_file.trim() {
            "" => Some(self.data_dir.join("audit-witness.jsonl")),
            "none" => None,
            path => Some(PathBuf::from(path)),
        }
    }

    /// The erasure ledger's file.
    pub fn erasure_ledger_path(&self) -> PathBuf {
        match self.erasure_ledger_file.trim() {
            "" => self.data_dir.join("erasure-ledger.jsonl"),
            path => PathBuf::from(path),
        }
    }

    /// Defaults, then the TOML file named by `PROBITY_CONFIG` (or
    /// `probity.toml` when present), then the environment.
    pub fn load() -> anyhow::Result<Self> {
        let path = std::env::var("PROBITY_CONFIG")
            .map(PathBuf::from)
            .ok()
            .or_else(|| Some(PathBuf::from("probity.toml")).filter(|p| p.exists()));
        let mut config = match path {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
                toml::from_str(&text).map_err(|e| anyhow::anyhow!("in {}: {e}", path.display()))?
            }
            None => Config::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        fn parse<T: std::str::FromStr>(name: &str, raw: String) -> anyhow::Result<T>
        where
            T::Err: fmt::Display,
        {
            raw.trim()
                .parse()
                .map_err(|e| anyhow::anyhow!("{name}={raw:?} is not valid: {e}"))
        }
        fn rank(name: &str, raw: &str) -> anyhow::Result<shared::codes_police::Rank> {
            shared::codes_police::Rank::parse(raw.trim())
                .ok_or_else(|| anyhow::anyhow!("{name}={raw:?}: use a rank such as inspector"))
        }
        fn purposes(name: &str, raw: &str) -> anyhow::Result<Vec<shared::justification::Purpose>> {
            let mut chosen = Vec::new();
            for code in raw.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                let purpose = shared::justification::Purpose::parse(code).map_err(|_| {
                    anyhow::anyhow!("{name}: unknown purpose {code:?}; choose from the fixed list")
                })?;
                if !chosen.contains(&purpose) {
                    chosen.push(purpose);
                }
            }
            anyhow::ensure!(!chosen.is_empty(), "{name}: name at least one purpose");
            Ok(chosen)
        }
        for (name, _) in ENVIRONMENT {
            let Some(raw) = var(name) else { continue };
            match *name {
                "DATABASE_URL" => self.database_url = Secret::new(raw),
                "PROBITY_DB_POOL_SIZE" => self.db_pool_size = parse(name, raw)?,
                "PROBITY_DB_ROLE" => self.db_role = raw.trim().to_owned(),
                "PROBITY_BIND" => self.bind = raw,
                "PROBITY_DATA_DIR" => self.data_dir = raw.into(),
                "PROBITY_STATIC_DIR" => self.static_dir = raw.into(),
                "PROBITY_LOG_FORMAT" => {
                    self.log_format = match raw.trim() {
                        "json" => LogFormat::Json,
                        "text" => LogFormat::Text,
                        other => anyhow::bail!("PROBITY_LOG_FORMAT={other:?}: use text or json"),
                    }
                }
                "PROBITY_LOG" => self.log_filter = raw,
                "PROBITY_WORKERS" => self.workers = parse(name, raw)?,
                "PROBITY_MAX_BODY_BYTES" => self.max_body_bytes = parse(name, raw)?,
                "PROBITY_SHUTDOWN_TIMEOUT_SECS" => self.shutdown_timeout_secs = parse(name, raw)?,
                "PROBITY_JWT_ISSUER" => self.jwt_issuer = raw,
                "PROBITY_ACCESS_TOKEN_TTL_SECS" => self.access_token_ttl_secs = parse(name, raw)?,
                "PROBITY_REFRESH_TOKEN_TTL_SECS" => self.refresh_token_ttl_secs = parse(name, raw)?,
                "PROBITY_SIGN_IN_MAX_FAILURES" => self.sign_in_max_failures = parse(name, raw)?,
                "PROBITY_SIGN_IN_THROTTLE_SECS" => self.sign_in_throttle_secs = parse(name, raw)?,
                "PROBITY_ARGON2_MEMORY_KIB" => self.argon2_memory_kib = parse(name, raw)?,
                "PROBITY_ARGON2_ITERATIONS" => self.argon2_iterations = parse(name, raw)?,
                "PROBITY_JUSTIFICATION_REQUIRED" => self.justification_required = parse(name, raw)?,
                "PROBITY_PURPOSES" => self.purposes = purposes(name, &raw)?,
                "PROBITY_DEMO_DATA" => self.demo_data = parse(name, raw)?,
                "PROBITY_SEAL_INTERVAL_MS" => self.seal_interval_ms = parse(name, raw)?,
                "PROBITY_CHECKPOINT_EVERY_EVENTS" => {
                    self.checkpoint_every_events = parse(name, raw)?
                }
                "PROBITY_CHECKPOINT_EVERY_SECS" => self.checkpoint_every_secs = parse(name, raw)?,
                "PROBITY_AUDIT_WITNESS_FILE" => self.audit_witness_file = raw.trim().to_owned(),
                "PROBITY_AUDIT_WITNESS_URL" => self.audit_witness_url = raw.trim().to_owned(),
                "PROBITY_AUDIT_WITNESS_TOKEN" => self.audit_witness_token = Secret::new(raw),
                "PROBITY_CONTROLLER_NAME" => self.controller_name = raw.trim().to_owned(),
                "PROBITY_ERASURE_LEDGER_FILE" => self.erasure_ledger_file = raw.trim().to_owned(),
                "PROBITY_RETENTION_RULES" => self.retention_rules_file = raw.trim().to_owned(),
                "PROBITY_INTIMATE_SEARCH_RANK" => self.intimate_search_rank = rank(name, &raw)?,
                "PROBITY_CHILD_INTIMATE_SEARCH_RANK" => {
                    self.child_intimate_search_rank = rank(name, &raw)?
                }
                "PROBITY_NOTIFY_PARENT_OF_CHILD" => self.notify_parent_of_child = parse(name, raw)?,
                "MEILI_URL" => self.meili_url = raw.trim().to_owned(),
                "MEILI_API_KEY" => self.meili_api_key = Secret::new(raw),
                "PROBITY_MEILI_INDEX_PREFIX" => self.meili_index_prefix = raw,
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_defaults_and_bad_values_are_named() {
        let mut c = Config::default();
        c.apply_env(|n| (n == "PROBITY_BIND").then(|| "0.0.0.0:9000".to_owned()))
            .unwrap();
        assert_eq!(c.bind, "0.0.0.0:9000");
        let err = c
            .apply_env(|n| (n == "PROBITY_DB_POOL_SIZE").then(|| "many".to_owned()))
            .unwrap_err();
        assert!(err.to_string().contains("PROBITY_DB_POOL_SIZE"));
    }

    #[test]
    fn a_toml_file_sets_some_fields_and_leaves_the_rest_default() {
        let c: Config = toml::from_str("bind = \"127.0.0.1:9999\"\ndemo_data = true").unwrap();
        assert_eq!(c.bind, "127.0.0.1:9999");
        assert!(c.demo_data);
        assert!(c.justification_required);
    }

    #[test]
    fn a_force_narrows_the_purposes_and_an_unknown_one_is_named() {
        use shared::justification::Purpose;
        let mut c = Config::default();
        assert_eq!(c.purposes, Purpose::ALL.to_vec());
        c.apply_env(|n| (n == "PROBITY_PURPOSES").then(|| "custody, audit,custody".to_owned()))
            .unwrap();
        assert_eq!(c.purposes, vec![Purpose::Custody, Purpose::Audit]);
        let err = c
            .apply_env(|n| (n == "PROBITY_PURPOSES").then(|| "custody,curiosity".to_owned()))
            .unwrap_err();
        assert!(err.to_string().contains("curiosity"), "{err}");
        assert!(
            c.apply_env(|n| (n == "PROBITY_PURPOSES").then(|| " , ".to_owned()))
                .is_err()
        );
    }

    #[test]
    fn the_database_url_never_prints() {
        let c = Config::default();
        assert!(!format!("{c:?}").contains("postgres://"));
    }
}
