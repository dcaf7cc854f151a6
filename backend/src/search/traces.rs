//! Asking an engine itself whether anything of an erased person is left.
//!
//! A grep of index files proves little: term dictionaries and stored
//! documents are compressed, so a name can be found by the engine while no
//! file holds its bytes. The probe asks the engine instead: every segment,
//! deleted documents included (they stay on disk until merged away), for
//! the record's id, for the exact keys of its name words (people) and the
//! words themselves (records' text), and every stored document for its
//! values. What it reports names the probe's own items by number, never the
//! values, so a report can go into an erasure certificate.

use serde::Serialize;
use uuid::Uuid;

/// What to look for.
#[derive(Clone, Debug, Default)]
pub struct TraceProbe {
    /// The erased records' ids.
    pub ids: Vec<Uuid>,
    /// Name words, folded to lower case: looked up as the people index's
    /// exact name key (`n:<word>`) and as words of records' text.
    pub words: Vec<String>,
    /// Values (lower case) looked for in every stored document.
    pub values: Vec<String>,
}

impl TraceProbe {
    /// Whether the probe would look for anything at all.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.words.is_empty() && self.values.is_empty()
    }
}

/// One document that still holds something the probe looked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trace {
    /// `people` or `records`.
    pub index: String,
    /// The segment (embedded engine) or the engine's index name.
    pub location: String,
    /// Deleted from results but still in the engine's files.
    pub deleted: bool,
    /// What matched: `id`, `word 2` (the probe's third word), `value 0`.
    pub matched: Vec<String>,
}
