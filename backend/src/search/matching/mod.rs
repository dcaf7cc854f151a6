//! Name and date-of-birth matching in layers (REQUIREMENTS §9): normalise,
//! then compare on several keys (exact, nickname group, spelling variant,
//! typo distance, phonetic keys), score the date of birth, and combine into
//! one score with reasons. Soundex alone performs poorly, so it is not used.

pub mod dates;
pub mod names;
pub mod nicknames;
pub mod phonetic;
pub mod score;
pub mod typos;

pub use score::{Candidate, Match, Query, keep_strong, score};
