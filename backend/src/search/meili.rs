//! Meilisearch, for forces that run it as a cluster (`MEILI_URL`). Written
//! from the SDK's and Meilisearch's documentation, and exercised by the
//! same conformance suite as the embedded engine whenever `MEILI_URL` is set.
//! Needs Meilisearch 1.23 or later (index compaction).
//!
//! People are found by set algebra over Probity's own keys, not by
//! Meilisearch's word matching: its `frequency` strategy keeps only
//! documents holding a query's rarest word, and a query reads ten words at
//! most, so "john smith" could miss every John Smith. Each person's keys
//! (spellings, near spellings, sounds, nickname groups, date forms, places)
//! are a filterable list, and one multi-search asks for whoever holds keys
//! of every piece of evidence typed, of every pair, and of each name or
//! place alone. The matcher ranks the union, as for every engine.
//! Trimming records by handling code is a filter, so totals count only
//! what the caller may see.

use super::documents::{Change, Document, PersonCard, RecordCard};
use super::engine::{
    EngineResult, Evidence, IndexStats, PeopleLookup, RecordLookup, RecordsFound, SearchEngine,
};
use super::traces::{Trace, TraceProbe};
use futures_util::future::BoxFuture;
use meilisearch_sdk::client::Client;
use meilisearch_sdk::indexes::Index;
use meilisearch_sdk::search::{MatchingStrategies, SearchQuery};
use meilisearch_sdk::settings::{
    FilterFeatureModes, FilterFeatures, FilterableAttribute, FilterableAttributesSettings,
    PaginationSetting, Settings, TypoToleranceSettings,
};
use meilisearch_sdk::task_info::TaskInfo;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;
use tokio::sync::OnceCell;

/// How long to wait for Meilisearch to apply a write before failing it (the
/// outbox then retries).
const TASK_TIMEOUT: Duration = Duration::from_secs(120);

/// The SDK's HTTP client has no timeout of its own: a stalled server must
/// fail a search (503) rather than hold the officer's request open.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// At most this many pieces of evidence are combined (pairs grow as the
/// square): a forename, a middle name, a double-barrelled surname, a date
/// and a place.
const MOST_EVIDENCE: usize = 6;

/// An exact total costs Meilisearch a count of every match; beyond this
/// the count stops, as `estimatedTotalHits` would.
const MOST_COUNTED: usize = 10_000;

/// Documents per write request. A rebuild hands over about 40,000 people at
/// a time; Meilisearch refuses payloads over 100 MB by default, and a person
/// document is about 1 KB, so 10,000 stays well inside it.
const DOCUMENTS_PER_WRITE: usize = 10_000;

pub struct Meili {
    client: Client,
    people: Index,
    records: Index,
    configured: OnceCell<()>,
}

#[derive(Serialize)]
struct PersonDocument {
    id: String,
    /// Every key the person is found by, as Probity computed it: a
    /// filterable list, never matched as words.
    keys: Vec<String>,
    card: PersonCard,
}

#[derive(Serialize)]
struct RecordDocument {
    id: String,
    family: String,
    handling: String,
    lookup: Vec<String>,
    text: String,
    card: RecordCard,
}

/// Only the card is displayed, so a hit is the card alone.
#[derive(Deserialize)]
struct Hit<C> {
    card: C,
}

fn person_document(card: PersonCard) -> PersonDocument {
    PersonDocument {
        id: card.id.to_string(),
        keys: card.keys(),
        card,
    }
}

/// `keys IN ["n:john", "m:JN"]`: whoever holds any of these keys.
fn holds_any<'k>(keys: impl Iterator<Item = &'k str>) -> String {
    let quoted: Vec<String> = keys
        .map(|k| format!("\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("keys IN [{}]", quoted.join(", "))
}

/// One query of a lookup: filters joined by AND, and what a hit of it
/// weighs.
#[derive(Debug, PartialEq)]
struct Ask {
    filters: Vec<String>,
    weight: usize,
}

/// The sets of evidence to ask for: everything typed at once, then every
/// pair, then each name or place alone. A date of birth alone never finds
/// anyone, as in the matcher. A placeholder search returns matches in the
/// index's own order, so a common name's sixty could all be near
/// spellings; everything typed, and each name alone, is also asked for
/// with names spelt exactly as typed, and weighs one more.
fn combinations(evidence: &[Evidence]) -> Vec<Ask> {
    // An empty list would be a filter Meilisearch refuses.
    let evidence: Vec<&Evidence> = evidence
        .iter()
        .filter(|e| !e.weighted().is_empty())
        .take(MOST_EVIDENCE)
        .collect();
    let n = evidence.len();
    let ask = |set: &[&Evidence], exact: bool| Ask {
        filters: set
            .iter()
            .map(|e| match e {
                Evidence::Name(_) if exact => holds_any(e.keys().take(1)),
                _ => holds_any(e.keys()),
            })
            .collect(),
        weight: set.len() + usize::from(exact),
    };
    let mut out = Vec::new();
    if n >= 2 {
        if evidence.iter().any(|e| matches!(e, Evidence::Name(_))) {
            out.push(ask(&evidence, true));
        }
        out.push(ask(&evidence, false));
    }
    if n >= 3 {
        for i in 0..n {
            for j in i + 1..n {
                out.push(ask(&[evidence[i], evidence[j]], false));
            }
        }
    }
    for e in evidence {
        match e {
            Evidence::Born(_) => {}
            Evidence::Name(_) => {
                out.push(ask(&[e], true));
                out.push(ask(&[e], false));
            }
            Evidence::Place(_) => out.push(ask(&[e], false)),
        }
    }
    out
}

/// Fails a call that Meilisearch does not answer in time.
async fn within<T, E>(limit: Duration, call: impl Future<Output = Result<T, E>>) -> EngineResult<T>
where
    E: Into<anyhow::Error>,
{
    match tokio::time::timeout(limit, call).await {
        Ok(result) => result.map_err(Into::into),
        Err(_) => anyhow::bail!("Meilisearch did not answer within {limit:?}"),
    }
}

fn record_document(card: RecordCard) -> RecordDocument {
    RecordDocument {
        id: card.id.to_string(),
        family: card.family.clone(),
        handling: card.handling_code.clone().unwrap_or_else(|| "-".into()),
        lookup: card.lookup_suffixes(),
        text: card.text.clone(),
        card,
    }
}

async fn finished(client: &Client, task: TaskInfo) -> EngineResult<()> {
    // The SDK counts its timeout in polls, not in time, and one stalled
    // poll would wait for ever: the clock here bounds the whole wait.
    let wait = task.wait_for_completion(client, Some(Duration::from_millis(50)), None);
    let task = within(TASK_TIMEOUT, wait).await?;
    if task.is_failure() {
        anyhow::bail!("Meilisearch task failed: {}", task.unwrap_failure());
    }
    Ok(())
}

/// Adds or replaces documents in batches of bounded size: every batch is
/// enqueued, then each is awaited, so the writes stay in order.
async fn write<T: Serialize + Send + Sync>(
    client: &Client,
    index: &Index,
    documents: &[T],
) -> EngineResult<()> {
    let mut tasks = Vec::new();
    for batch in documents.chunks(DOCUMENTS_PER_WRITE) {
        // A batch of 10,000 documents may take longer to send than a search.
        tasks.push(within(TASK_TIMEOUT, index.add_or_replace(batch, Some("id"))).await?);
    }
    for task in tasks {
        finished(client, task).await?;
    }
    Ok(())
}

impl Meili {
    pub fn new(url: &str, api_key: Option<&str>, prefix: &str) -> EngineResult<Self> {
        let client = Client::new(url, api_key)?;
        Ok(Self {
            people: client.index(format!("{prefix}_people")),
            records: client.index(format!("{prefix}_records")),
            client,
            configured: OnceCell::new(),
        })
    }

    /// Index settings, applied once per process before the first use.
    async fn configure(&self) -> EngineResult<()> {
        self.configured
            .get_or_try_init(|| async {
                // Probity's keys already hold every near spelling the
                // matcher accepts, and record text is matched exactly (the
                // last word as a prefix) by every engine.
                let exact = TypoToleranceSettings {
                    enabled: Some(false),
                    disable_on_attributes: None,
                    disable_on_words: None,
                    min_word_size_for_typos: None,
                    disable_on_numbers: None,
                };
                // Keys are only ever filtered on by equality: no facet
                // search or range structures for sixty-odd values a person.
                let keys = FilterableAttribute::Settings(FilterableAttributesSettings {
                    attribute_patterns: vec!["keys".into()],
                    features: FilterFeatures {
                        facet_search: false,
                        filter: FilterFeatureModes {
                            equality: true,
                            comparison: false,
                        },
                    },
                });
                let people = Settings::new()
                    .with_searchable_attributes(["id"])
                    .with_displayed_attributes(["card"])
                    .with_filterable_attributes_advanced([keys])
                    // Probity's matcher ranks every hit, so Meilisearch never
                    // sorts: none, so it builds no sort structures.
                    .with_sortable_attributes(Vec::<String>::new())
                    .with_typo_tolerance(exact.clone());
                let task = within(REQUEST_TIMEOUT, self.people.set_settings(&people)).await?;
                finished(&self.client, task).await?;
                let records = Settings::new()
                    .with_searchable_attributes(["lookup", "text"])
                    .with_displayed_attributes(["card"])
                    .with_filterable_attributes(["family", "handling"])
                    .with_sortable_attributes(Vec::<String>::new())
                    .with_ranking_rules(["words", "typo", "proximity", "attribute", "exactness"])
                    .with_typo_tolerance(exact)
                    .with_pagination(PaginationSetting {
                        max_total_hits: MOST_COUNTED,
                    });
                let task = within(REQUEST_TIMEOUT, self.records.set_settings(&records)).await?;
                finished(&self.client, task).await?;
                Ok::<_, anyhow::Error>(())
            })
            .await?;
        Ok(())
    }

    /// Deletes documents, waits, and compacts the index: Meilisearch only
    /// frees the pages of a deleted document, and a subject's erased name
    /// must not stay readable in the index files.
    async fn erase(&self, index: &Index, ids: &[String]) -> EngineResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let task = within(REQUEST_TIMEOUT, index.delete_documents(ids)).await?;
        finished(&self.client, task).await?;
        let task = within(REQUEST_TIMEOUT, index.compact()).await?;
        finished(&self.client, task).await
    }

    async fn apply_now(&self, changes: Vec<Change>) -> EngineResult<()> {
        self.configure().await?;
        let (mut people, mut records) = (Vec::new(), Vec::new());
        let (mut gone_people, mut gone_records) = (Vec::new(), Vec::new());
        for change in changes {
            match change {
                Change::Upsert(Document::Person(c)) | Change::Add(Document::Person(c)) => {
                    people.push(person_document(c))
                }
                Change::Upsert(Document::Record(c)) | Change::Add(Document::Record(c)) => {
                    records.push(record_document(c))
                }
                Change::DeletePerson(id) => gone_people.push(id.to_string()),
                Change::DeleteRecord(id) => gone_records.push(id.to_string()),
            }
        }
        // Meilisearch applies an index's tasks in the order they were
        // enqueued, and each is awaited before the outbox rows go.
        write(&self.client, &self.people, &people).await?;
        self.erase(&self.people, &gone_people).await?;
        write(&self.client, &self.records, &records).await?;
        self.erase(&self.records, &gone_records).await
    }

    /// Searches never wait for settings to be applied (that can queue
    /// behind a rebuild for minutes): the worker applies them first
    /// (`prepare`), and a search of an index not yet made fails fast (503).
    async fn people_now(&self, lookup: PeopleLookup) -> EngineResult<Vec<PersonCard>> {
        let asks = combinations(&lookup.evidence);
        if asks.is_empty() {
            return Ok(Vec::new());
        }
        let limit = lookup.candidates.max(1);
        let mut multi = self.client.multi_search();
        for ask in &asks {
            let mut q = SearchQuery::new(&self.people);
            // An array of filters: Meilisearch joins them with AND.
            q.with_array_filter(ask.filters.iter().map(String::as_str).collect())
                .with_limit(limit);
            multi.with_search_query(q);
        }
        let answer = within(REQUEST_TIMEOUT, multi.execute::<Hit<PersonCard>>()).await?;
        // Someone found by several sets, or by a set of more evidence,
        // comes first; the matcher then ranks the candidates properly.
        let mut weight: HashMap<uuid::Uuid, usize> = HashMap::new();
        let mut found: Vec<PersonCard> = Vec::new();
        for (ask, results) in asks.iter().zip(answer.results) {
            for hit in results.hits {
                let card = hit.result.card;
                let w = weight.entry(card.id).or_insert(0);
                if *w == 0 {
                    found.push(card);
                }
                *w += ask.weight;
            }
        }
        // A stable sort keeps Meilisearch's order among equals.
        found.sort_by_key(|c| std::cmp::Reverse(weight[&c.id]));
        found.truncate(limit);
        Ok(found)
    }

    async fn records_now(&self, lookup: RecordLookup) -> EngineResult<RecordsFound> {
        let visible = std::iter::once("-")
            .chain(lookup.handling_codes.iter().copied())
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let mut filter = format!("handling IN [{visible}]");
        if let Some(family) = &lookup.family {
            // The family was checked against a fixed list by the handler.
            filter.push_str(&format!(" AND family = \"{family}\""));
        }
        let q = lookup.words.join(" ");
        let mut search = self.records.search();
        search
            .with_query(&q)
            .with_filter(&filter)
            .with_matching_strategy(MatchingStrategies::ALL)
            .with_show_ranking_score(true)
            // Page mode, so the total is counted rather than estimated.
            .with_page(1)
            .with_hits_per_page(lookup.limit.max(1));
        let results = within(REQUEST_TIMEOUT, search.execute::<Hit<RecordCard>>()).await?;
        let total = results
            .total_hits
            .or(results.estimated_total_hits)
            .unwrap_or(results.hits.len());
        Ok(RecordsFound {
            hits: results
                .hits
                .into_iter()
                .map(|h| (h.result.card, h.ranking_score.unwrap_or(0.0) as f32))
                .collect(),
            total: u32::try_from(total).unwrap_or(u32::MAX),
        })
    }

    async fn clear_now(&self) -> EngineResult<()> {
        self.configure().await?;
        for index in [&self.people, &self.records] {
            let task = within(REQUEST_TIMEOUT, index.delete_all_documents()).await?;
            finished(&self.client, task).await?;
            let task = within(REQUEST_TIMEOUT, index.compact()).await?;
            finished(&self.client, task).await?;
        }
        Ok(())
    }

    /// Meilisearch answers for its live documents only (a deleted one's
    /// pages are reclaimed by the compaction every erasure runs), and holds
    /// no searchable copy of a person's values beyond their keys: so the
    /// probe asks for the ids, and for the exact name keys and record words.
    async fn traces_now(&self, probe: TraceProbe) -> EngineResult<Vec<Trace>> {
        self.configure().await?;
        let mut found: Vec<Trace> = Vec::new();
        let mut note = |index: &Index, name: &str, what: String| {
            found.push(Trace {
                index: name.to_owned(),
                location: index.uid.clone(),
                deleted: false,
                matched: vec![what],
            })
        };
        for (index, name) in [(&self.people, "people"), (&self.records, "records")] {
            for id in &probe.ids {
                let held = within(
                    REQUEST_TIMEOUT,
                    index.get_document::<serde_json::Value>(&id.to_string()),
                )
                .await;
                if held.is_ok() {
                    note(index, name, "id".into());
                }
            }
        }
        for (i, word) in probe.words.iter().enumerate() {
            let mut people = self.people.search();
            let filter = holds_any(std::iter::once(format!("n:{word}").as_str()));
            people.with_filter(&filter).with_limit(1_000);
            let hits = within(REQUEST_TIMEOUT, people.execute::<serde_json::Value>()).await?;
            for _ in hits.hits {
                note(&self.people, "people", format!("word {i}"));
            }
            let mut records = self.records.search();
            records
                .with_query(word)
                .with_matching_strategy(MatchingStrategies::ALL)
                .with_limit(1_000);
            let hits = within(REQUEST_TIMEOUT, records.execute::<serde_json::Value>()).await?;
            for _ in hits.hits {
                note(&self.records, "records", format!("word {i}"));
            }
        }
        Ok(found)
    }

    async fn stats_now(&self) -> EngineResult<IndexStats> {
        // Creates the indexes on a new server, where the embedded engine
        // would report an empty index rather than fail.
        self.configure().await?;
        let people = within(REQUEST_TIMEOUT, self.people.get_stats()).await?;
        let records = within(REQUEST_TIMEOUT, self.records.get_stats()).await?;
        Ok(IndexStats {
            people: people.number_of_documents as u64,
            records: records.number_of_documents as u64,
            bytes: None,
        })
    }
}

impl SearchEngine for Meili {
    fn name(&self) -> &'static str {
        "meilisearch"
    }

    fn apply(&self, changes: Vec<Change>) -> BoxFuture<'_, EngineResult<()>> {
        Box::pin(self.apply_now(changes))
    }

    fn people(&self, lookup: PeopleLookup) -> BoxFuture<'_, EngineResult<Vec<PersonCard>>> {
        Box::pin(self.people_now(lookup))
    }

    fn records(&self, lookup: RecordLookup) -> BoxFuture<'_, EngineResult<RecordsFound>> {
        Box::pin(self.records_now(lookup))
    }

    fn clear(&self) -> BoxFuture<'_, EngineResult<()>> {
        Box::pin(self.clear_now())
    }

    fn prepare(&self) -> BoxFuture<'_, EngineResult<()>> {
        Box::pin(self.configure())
    }

    fn compact(&self) -> BoxFuture<'_, EngineResult<()>> {
        Box::pin(async {
            self.configure().await?;
            for index in [&self.people, &self.records] {
                let task = within(REQUEST_TIMEOUT, index.compact()).await?;
                finished(&self.client, task).await?;
            }
            Ok(())
        })
    }

    fn stats(&self) -> BoxFuture<'_, EngineResult<IndexStats>> {
        Box::pin(self.stats_now())
    }

    /// Meilisearch drops a deleted or replaced document from its store when
    /// the task that did so finishes, and `apply` waits for that. Freed
    /// pages of its LMDB files are reused, not wiped: the probe asks the
    /// server, which is all this adapter can reach (docs/ERASURE.md).
    fn purge(&self) -> BoxFuture<'_, EngineResult<()>> {
        Box::pin(async { Ok(()) })
    }

    fn traces(&self, probe: TraceProbe) -> BoxFuture<'_, EngineResult<Vec<Trace>>> {
        Box::pin(self.traces_now(probe))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(k: &str) -> Evidence {
        Evidence::Name(vec![(format!("n:{k}"), 1.0)])
    }

    #[test]
    fn keys_are_quoted_as_filter_values() {
        let filter = holds_any(["n:o'neil", "t:a\"b"].into_iter());
        assert_eq!(filter, r#"keys IN ["n:o'neil", "t:a\"b"]"#);
    }

    #[test]
    fn every_pair_is_asked_for_but_never_a_date_alone() {
        let born = Evidence::Born(vec![("bs:19800512".into(), 0.8)]);
        let john = Evidence::Name(vec![("n:john".into(), 1.0), ("m:JN".into(), 0.6)]);
        let evidence = [john, name("smith"), born];
        let asks = combinations(&evidence);
        let weights: Vec<usize> = asks.iter().map(|a| a.weight).collect();
        // All three (names as typed, then near), the three pairs, then
        // each name alone (as typed, then near).
        assert_eq!(weights, [4, 3, 2, 2, 2, 2, 1, 2, 1]);
        assert_eq!(asks[0].filters[0], r#"keys IN ["n:john"]"#);
        assert_eq!(asks[1].filters[0], r#"keys IN ["n:john", "m:JN"]"#);
        assert!(
            asks.iter()
                .all(|a| a.filters != [holds_any(evidence[2].keys())])
        );
        // One name: as typed, then near. Two: together, then each.
        assert_eq!(combinations(&evidence[..1]).len(), 2);
        assert_eq!(combinations(&evidence[..2]).len(), 6);
    }

    #[test]
    fn a_long_query_combines_a_bounded_number_of_sets() {
        let evidence: Vec<Evidence> = (0..12).map(|i| name(&format!("w{i}"))).collect();
        let n = MOST_EVIDENCE;
        assert_eq!(combinations(&evidence).len(), 2 + n * (n - 1) / 2 + 2 * n);
    }
}
