//! Policy points that forces set by configuration, with safe defaults.

use crate::codes_police::Rank;
use serde::{Deserialize, Serialize};

/// Rules for searches that expose intimate parts (REQUIREMENTS §7). The
/// server publishes these at `GET /api/v1/policy` so forms check the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SearchPolicy {
    /// Lowest rank that may authorise a search exposing intimate parts of
    /// an adult (a custody officer is a sergeant).
    pub intimate_exposure_rank: Rank,
    /// Lowest rank for a child: proposals since 2024 ask for an inspector.
    pub child_intimate_exposure_rank: Rank,
    /// Whether a parent or guardian must be told when a child is searched
    /// exposing intimate parts (recorded with the time).
    pub notify_parent_of_child: bool,
}

impl Default for SearchPolicy {
    fn default() -> Self {
        Self {
            intimate_exposure_rank: Rank::Sergeant,
            child_intimate_exposure_rank: Rank::Inspector,
            notify_parent_of_child: true,
        }
    }
}
