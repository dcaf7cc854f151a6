//! The one trait every search engine implements. Engines find candidates by
//! the keys Probity computed and by words; they never decide who may see
//! what on their own (the caller passes the handling codes it may see) and
//! never rank people finally (the matcher does, the same for every engine).

use super::documents::{Change, PersonCard, RecordCard};
use super::traces::{Trace, TraceProbe};
use futures_util::future::BoxFuture;

pub type EngineResult<T> = anyhow::Result<T>;

/// Keys to look a person up by, each with its weight, grouped by the piece
/// of evidence they stand for: one group per typed name, one for the date
/// of birth, one for the place. An engine that adds up weighted keys (the
/// embedded one) takes them all at once; one that cannot (Meilisearch) asks
/// for people who hold keys of several groups at once.
#[derive(Clone, Debug, Default)]
pub struct PeopleLookup {
    pub evidence: Vec<Evidence>,
    /// How many candidates the matcher should rank.
    pub candidates: usize,
}

impl PeopleLookup {
    /// Every key once, weighted by the first group that holds it (two
    /// typed names may share a nickname group).
    pub fn weighted_keys(&self) -> Vec<(&str, f32)> {
        let mut seen = std::collections::HashSet::new();
        self.evidence
            .iter()
            .flat_map(Evidence::weighted)
            .filter(|(key, _)| seen.insert(key.as_str()))
            .map(|(key, weight)| (key.as_str(), *weight))
            .collect()
    }
}

/// Free text, a registration mark or postcode (in part), within what the
/// caller may see.
#[derive(Clone, Debug, Default)]
pub struct RecordLookup {
    /// Lower-cased words; every word must match (the last as a prefix, as
    /// the officer is still typing it).
    pub words: Vec<String>,
    /// Object, location or event, or all of them.
    pub family: Option<String>,
    /// Handling codes the caller may see; records with any other code are
    /// left out of hits and of the total.
    pub handling_codes: Vec<&'static str>,
    pub limit: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Evidence {
    /// One typed name token: its spelling as typed (always first), near
    /// spellings, sounds and nickname group.
    Name(Vec<(String, f32)>),
    /// The date of birth as typed, near dates included.
    Born(Vec<(String, f32)>),
    /// A postcode or town.
    Place(Vec<(String, f32)>),
}

impl Evidence {
    pub fn weighted(&self) -> &[(String, f32)] {
        match self {
            Evidence::Name(k) | Evidence::Born(k) | Evidence::Place(k) => k,
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.weighted().iter().map(|(key, _)| key.as_str())
    }
}

#[derive(Clone, Debug, Default)]
pub struct RecordsFound {
    pub hits: Vec<(RecordCard, f32)>,
    pub total: u32,
}

/// What an index holds, for health, metrics and benchmarks.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct IndexStats {
    pub people: u64,
    pub records: u64,
    /// Bytes on disk, where the engine can tell.
    pub bytes: Option<u64>,
}

pub trait SearchEngine: Send + Sync + 'static {
    fn name(&self) -> &'static str;

    /// Applies changes in order and makes them durable and searchable
    /// before returning. Deletions are physical: once this returns, the
    /// engine's files hold no trace of a deleted document.
    fn apply(&self, changes: Vec<Change>) -> BoxFuture<'_, EngineResult<()>>;

    /// Candidates for the matcher, best first by the engine's own measure.
    fn people(&self, lookup: PeopleLookup) -> BoxFuture<'_, EngineResult<Vec<PersonCard>>>;

    fn records(&self, lookup: RecordLookup) -> BoxFuture<'_, EngineResult<RecordsFound>>;

    /// Gets the engine ready before the worker's first write. Meilisearch
    /// applies its index settings here, a task that may queue behind others
    /// for minutes, so that no search ever waits for it.
    fn prepare(&self) -> BoxFuture<'_, EngineResult<()>> {
        Box::pin(async { Ok(()) })
    }

    /// Reorganises the index for reading, after a rebuild.
    fn compact(&self) -> BoxFuture<'_, EngineResult<()>>;

    /// Drops from the engine's files every document deleted or replaced so
    /// far, so an old version of a redacted record is gone too (erasure).
    fn purge(&self) -> BoxFuture<'_, EngineResult<()>>;

    /// Empties the index, before a rebuild.
    fn clear(&self) -> BoxFuture<'_, EngineResult<()>>;

    fn stats(&self) -> BoxFuture<'_, EngineResult<IndexStats>>;

    /// Whatever the engine still holds of the probe's records: asked of the
    /// engine itself (its term dictionaries and stored documents, deleted
    /// documents included), since compressed files hide their words from a
    /// byte search.
    fn traces(&self, probe: TraceProbe) -> BoxFuture<'_, EngineResult<Vec<Trace>>>;
}
