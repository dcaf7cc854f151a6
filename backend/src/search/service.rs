//! The search engine this instance uses, chosen by configuration, and
//! whether its index can answer yet.

use super::embedded::{self, Embedded};
use super::engine::SearchEngine;
use super::meili::Meili;
use crate::config::Config;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::Notify;

pub struct Search {
    pub engine: Box<dyn SearchEngine>,
    /// Where the embedded index lives; `None` with Meilisearch.
    index_dir: Option<PathBuf>,
    /// Names this index in `search_rebuilds`: its directory, or the
    /// Meilisearch address and prefix.
    location: String,
    /// The index must be rebuilt from PostgreSQL before it can answer.
    rebuild_needed: AtomicBool,
    /// This instance found its own index missing or damaged: rebuilt here
    /// even if another instance rebuilt an index of the same location.
    index_lost: AtomicBool,
    /// Wakes the outbox worker when this instance has just committed a
    /// change (PostgreSQL's NOTIFY wakes it for other instances).
    pub wake: Notify,
}

/// The address without any user and password in it: the location is stored
/// and logged, and a secret must be neither.
fn without_credentials(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host_and_path = match rest.split_once('/') {
                Some((authority, path)) => (authority, Some(path)),
                None => (rest, None),
            };
            let host = host_and_path
                .0
                .rsplit_once('@')
                .map_or(host_and_path.0, |(_, host)| host);
            match host_and_path.1 {
                Some(path) => format!("{scheme}://{host}/{path}"),
                None => format!("{scheme}://{host}"),
            }
        }
        None => url.to_owned(),
    }
}

impl Search {
    pub fn open(config: &Config) -> anyhow::Result<Self> {
        if !config.meili_url.is_empty() {
            let meili = Meili::new(
                &config.meili_url,
                Some(config.meili_api_key.expose()).filter(|k| !k.is_empty()),
                &config.meili_index_prefix,
            )?;
            // With the keys' version: documents built by other keys must be
            // rebuilt, as the embedded engine's new layout directory is.
            let location = format!(
                "meilisearch:{}#{}@keys-v{}",
                without_credentials(&config.meili_url),
                config.meili_index_prefix,
                super::keys::VERSION
            );
            return Ok(Self::with(Box::new(meili), None, location, false));
        }
        let engine = Arc::new(Embedded::open(&config.data_dir)?);
        let dir = engine.root().to_path_buf();
        let location = format!(
            "embedded:{}",
            std::fs::canonicalize(&dir)
                .unwrap_or_else(|_| dir.clone())
                .display()
        );
        let rebuild = engine.needs_rebuild();
        Ok(Self::with(
            Box::new(embedded::Shared(engine)),
            Some(dir),
            location,
            rebuild,
        ))
    }

    fn with(
        engine: Box<dyn SearchEngine>,
        index_dir: Option<PathBuf>,
        location: String,
        rebuild: bool,
    ) -> Self {
        Self {
            engine,
            index_dir,
            location,
            rebuild_needed: AtomicBool::new(rebuild),
            index_lost: AtomicBool::new(rebuild),
            wake: Notify::new(),
        }
    }

    pub fn index_dir(&self) -> Option<&std::path::Path> {
        self.index_dir.as_deref()
    }

    pub(super) fn location(&self) -> &str {
        &self.location
    }

    /// Searches are answered 503 while this holds: a half-built index
    /// would miss people, and an officer must not read "no trace" then.
    pub fn rebuilding(&self) -> bool {
        self.rebuild_needed.load(Ordering::Acquire)
    }

    pub fn require_rebuild(&self) {
        self.rebuild_needed.store(true, Ordering::Release);
    }

    pub(super) fn index_lost(&self) -> bool {
        self.index_lost.load(Ordering::Acquire)
    }

    pub(super) fn rebuilt(&self) {
        self.index_lost.store(false, Ordering::Release);
        self.rebuild_needed.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::without_credentials;

    #[test]
    fn a_meilisearch_address_is_named_without_its_credentials() {
        assert_eq!(
            without_credentials("https://probity:s3cret@search.force.example:7700/meili"),
            "https://search.force.example:7700/meili"
        );
        assert_eq!(
            without_credentials("http://127.0.0.1:7700"),
            "http://127.0.0.1:7700"
        );
    }
}
