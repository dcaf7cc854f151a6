//! What a search returns: few, strong hits, each with the reasons an officer
//! is shown, and a total that counts only what the caller may see.

use crate::ids::PersonId;
use crate::people::details::MarkerKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Most hits one search returns; the default is [`DEFAULT_LIMIT`].
pub const MAX_LIMIT: u32 = 50;
pub const DEFAULT_LIMIT: u32 = 10;

/// One person found, with why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PersonHit {
    pub id: PersonId,
    /// 0 to 1: the share of what was typed that this person matches.
    pub score: f32,
    /// Why this person is a hit, e.g. "surname sounds alike",
    /// "date of birth day/month swapped". Text for the officer: stable
    /// enough to show, not a code to branch on.
    pub reasons: Vec<String>,
    pub surname: String,
    pub forenames: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    /// Warning markers first, so an officer sees them before opening.
    pub warning_markers: Vec<MarkerKind>,
    /// The postcode of the most recent address, when known.
    pub postcode: Option<String>,
}

impl PersonHit {
    /// "SMITH, John" as officers read nominals.
    pub fn display_name(&self) -> String {
        match &self.forenames {
            Some(f) => format!("{}, {}", self.surname.to_uppercase(), f),
            None => self.surname.to_uppercase(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PersonResults {
    pub hits: Vec<PersonHit>,
    /// How many strong hits there were among the candidates ranked (at
    /// most 60), which may be more than `hits` when the limit cut them.
    /// Searches ask for few, strong hits: a total near 60 means the query
    /// is too broad, not that 60 people exist.
    pub total: u32,
}

/// One object, location or event found by free text, registration mark or
/// postcode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RecordHit {
    pub id: Uuid,
    /// `object`, `location` or `event`.
    pub family: String,
    /// e.g. `vehicle`, `intelligence`, `occurrence`.
    pub kind: String,
    /// The force reference of an event.
    pub reference: Option<String>,
    pub summary: String,
    pub handling_code: Option<String>,
    pub score: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RecordResults {
    pub hits: Vec<RecordHit>,
    /// Matching records the caller may see, in all.
    pub total: u32,
}
