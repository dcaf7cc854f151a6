//! What every handler can reach: configuration, the pool, keys, metrics.

use crate::auth::keys::Keyring;
use crate::auth::passwords::Passwords;
use crate::config::Config;
use crate::db::DbPool;
use crate::metrics::Metrics;
use std::sync::Arc;

pub struct AppState {
    pub config: Arc<Config>,
    pub pool: DbPool,
    pub keys: Arc<Keyring>,
    pub passwords: Passwords,
    pub metrics: Arc<Metrics>,
    pub search: Arc<crate::search::Search>,
    /// Keys for the justification texts events name (kept out of the log).
    pub audit_texts: crate::audit::texts::TextKeys,
    /// What this instance's sealer has itself verified and signed.
    pub sealer: crate::audit::seal::Sealer,
    /// The Merkle roots of the audit chain's blocks, read once.
    pub audit_blocks: Arc<crate::audit::proofs::BlockCache>,
}

impl AppState {
    pub fn build(config: Config) -> anyhow::Result<Self> {
        let role = Some(config.db_role.clone()).filter(|r| !r.is_empty());
        let pool = crate::db::pool(config.database_url.expose(), config.db_pool_size, role)?;
        let keys = Keyring::load_or_create(&config.data_dir.join("keys"))?;
        crate::retention::rules::load(&config)?;
        Ok(Self {
            passwords: Passwords::from_config(&config)?,
            metrics: Arc::new(Metrics::new()?),
            search: Arc::new(crate::search::Search::open(&config)?),
            keys: Arc::new(keys),
            audit_texts: crate::audit::texts::TextKeys::default(),
            sealer: crate::audit::seal::Sealer::new(&config),
            audit_blocks: Arc::default(),
            pool,
            config: Arc::new(config),
        })
    }

    /// Today's date for validation rules, in UTC like every stored time.
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::Utc::now().date_naive()
    }

    /// What the record rules need besides the form: the time and the force's
    /// policy choices.
    pub fn rules(&self) -> shared::events::RuleContext {
        shared::events::RuleContext::new(chrono::Utc::now(), self.search_policy())
    }

    pub fn search_policy(&self) -> shared::events::SearchPolicy {
        shared::events::SearchPolicy {
            intimate_exposure_rank: self.config.intimate_search_rank,
            child_intimate_exposure_rank: self.config.child_intimate_search_rank,
            notify_parent_of_child: self.config.notify_parent_of_child,
        }
    }
}
