//! The force's MoPI grouping: the built-in defaults
//! (`shared::rights::retention::default_rules`) or a JSON file named by
//! `PROBITY_RETENTION_RULES`, read once at start. Changing the file and
//! running `probity retention recompute` applies it to everyone.

use crate::config::Config;
use shared::rights::retention::{RetentionRule, default_rules};
use std::sync::{Arc, RwLock};

static RULES: RwLock<Option<Arc<Vec<RetentionRule>>>> = RwLock::new(None);

/// Reads the rules the configuration names, or refuses to start.
pub fn load(config: &Config) -> anyhow::Result<()> {
    let rules = match config.retention_rules_file.trim() {
        "" => default_rules(),
        path => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("reading the retention rules {path}: {e}"))?;
            let rules: Vec<RetentionRule> = serde_json::from_str(&text)
                .map_err(|e| anyhow::anyhow!("the retention rules in {path}: {e}"))?;
            anyhow::ensure!(!rules.is_empty(), "the retention rules in {path} are empty");
            rules
        }
    };
    *RULES.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(rules));
    Ok(())
}

/// The rules in force.
pub fn current() -> Arc<Vec<RetentionRule>> {
    RULES
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .unwrap_or_else(|| Arc::new(default_rules()))
}
