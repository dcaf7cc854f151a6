//! Meilisearch, for forces that run it as a cluster (`MEILI_URL`). Written
//! from the SDK's and Meilisearch's documentation: it is exercised by the
//! same conformance suite as the embedded engine whenever `MEILI_URL` is set.
//!
//! Meilisearch matches words with its own typo tolerance but has no sound
//! matching and reads at most ten words of a query, so Probity stores its
//! own keys as extra words (sounds, nickname groups, date-of-birth forms)
//! and asks two short queries: names with their sounds, then nickname
//! groups with the date of birth. The matcher ranks the union, as for every
//! engine. Trimming by handling code is a filter, so totals count only what
//! the caller may see.

use super::documents::{Change, Document, PersonCard, RecordCard};
use super::engine::{
    EngineResult, IndexStats, PeopleLookup, RecordLookup, RecordsFound, SearchEngine,
};
use futures_util::future::BoxFuture;
use meilisearch_sdk::client::Client;
use meilisearch_sdk::indexes::Index;
use meilisearch_sdk::search::MatchingStrategies;
use meilisearch_sdk::settings::{MinWordSizeForTypos, Settings, TypoToleranceSettings};
use meilisearch_sdk::task_info::TaskInfo;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::sync::OnceCell;

/// How long to wait for Meilisearch to apply a write before failing it (the
/// outbox then retries).
const TASK_TIMEOUT: Duration = Duration::from_secs(120);

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

#[derive(Serialize, Deserialize)]
struct PersonDocument {
    id: String,
    /// Name tokens, matched with Meilisearch's typo tolerance.
    names: Vec<String>,
    /// Probity's keys as words: sounds, nickname groups, dates, places.
    keys: Vec<String>,
    card: PersonCard,
}

#[derive(Serialize, Deserialize)]
struct RecordDocument {
    id: String,
    family: String,
    handling: String,
    lookup: Vec<String>,
    text: String,
    card: RecordCard,
}

/// `m:SM0` → `mxsm0`: one word to Meilisearch's tokenizer, never typo-matched.
fn word(key: &str) -> Option<String> {
    let (kind, value) = key.split_once(':')?;
    // Deletion keys are what Meilisearch's own typo tolerance covers.
    (kind != "d").then(|| {
        format!("{kind}x{value}")
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "")
    })
}

fn person_document(card: PersonCard) -> PersonDocument {
    let keys = card.keys();
    PersonDocument {
        id: card.id.to_string(),
        names: keys
            .iter()
            .filter_map(|k| k.strip_prefix("n:").map(str::to_owned))
            .collect(),
        keys: keys
            .iter()
            .filter(|k| !k.starts_with("n:"))
            .filter_map(|k| word(k))
            .collect(),
        card,
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
    let task = task
        .wait_for_completion(client, Some(Duration::from_millis(50)), Some(TASK_TIMEOUT))
        .await?;
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
        tasks.push(index.add_or_replace(batch, Some("id")).await?);
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
                let typos = TypoToleranceSettings {
                    enabled: Some(true),
                    // Keys are exact; only names tolerate typing errors,
                    // from the same word lengths as the matcher allows.
                    disable_on_attributes: Some(vec!["keys".into(), "lookup".into()]),
                    disable_on_words: None,
                    min_word_size_for_typos: Some(MinWordSizeForTypos {
                        one_typo: Some(4),
                        two_typos: Some(8),
                    }),
                    disable_on_numbers: Some(true),
                };
                let people = Settings::new()
                    .with_searchable_attributes(["names", "keys"])
                    .with_displayed_attributes(["card"])
                    .with_filterable_attributes(["id"])
                    // Probity's matcher ranks every hit, so Meilisearch never
                    // sorts: none, so it builds no sort structures.
                    .with_sortable_attributes(Vec::<String>::new())
                    .with_ranking_rules(["words", "typo", "attribute", "exactness"])
                    .with_typo_tolerance(typos.clone());
                finished(&self.client, self.people.set_settings(&people).await?).await?;
                let records = Settings::new()
                    .with_searchable_attributes(["lookup", "text"])
                    .with_displayed_attributes(["card"])
                    .with_filterable_attributes(["family", "handling"])
                    .with_sortable_attributes(Vec::<String>::new())
                    .with_ranking_rules(["words", "typo", "proximity", "attribute", "exactness"])
                    .with_typo_tolerance(typos);
                finished(&self.client, self.records.set_settings(&records).await?).await?;
                Ok::<_, anyhow::Error>(())
            })
            .await?;
        Ok(())
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
        if !gone_people.is_empty() {
            finished(
                &self.client,
                self.people.delete_documents(&gone_people).await?,
            )
            .await?;
        }
        write(&self.client, &self.records, &records).await?;
        if !gone_records.is_empty() {
            finished(
                &self.client,
                self.records.delete_documents(&gone_records).await?,
            )
            .await?;
        }
        Ok(())
    }

    async fn people_now(&self, lookup: PeopleLookup) -> EngineResult<Vec<PersonCard>> {
        self.configure().await?;
        let names: Vec<&str> = lookup
            .keys
            .iter()
            .filter_map(|(k, _)| k.strip_prefix("n:"))
            .take(4)
            .collect();
        let words = |kinds: &[&str]| -> Vec<String> {
            lookup
                .keys
                .iter()
                .filter(|(k, _)| kinds.iter().any(|p| k.starts_with(p)))
                .filter_map(|(k, _)| word(k))
                .collect()
        };
        let mut first = names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        first.extend(words(&["m:", "y:"]));
        let mut second = words(&["g:", "bs:", "pc:", "po:", "t:"]);
        second.extend(words(&["b0:"]));
        let mut found: Vec<PersonCard> = Vec::new();
        for terms in [first, second] {
            if terms.is_empty() {
                continue;
            }
            // Meilisearch reads at most ten words of a query.
            let q = terms.into_iter().take(10).collect::<Vec<_>>().join(" ");
            let results = self
                .people
                .search()
                .with_query(&q)
                .with_matching_strategy(MatchingStrategies::FREQUENCY)
                .with_limit(lookup.candidates.max(1))
                .execute::<PersonDocument>()
                .await?;
            for hit in results.hits {
                if !found.iter().any(|c| c.id == hit.result.card.id) {
                    found.push(hit.result.card);
                }
            }
        }
        Ok(found)
    }

    async fn records_now(&self, lookup: RecordLookup) -> EngineResult<RecordsFound> {
        self.configure().await?;
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
        let results = self
            .records
            .search()
            .with_query(&q)
            .with_filter(&filter)
            .with_matching_strategy(MatchingStrategies::ALL)
            .with_show_ranking_score(true)
            .with_limit(lookup.limit.max(1))
            .execute::<RecordDocument>()
            .await?;
        let total = results
            .estimated_total_hits
            .or(results.total_hits)
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
        finished(&self.client, self.people.delete_all_documents().await?).await?;
        finished(&self.client, self.records.delete_all_documents().await?).await
    }

    async fn stats_now(&self) -> EngineResult<IndexStats> {
        Ok(IndexStats {
            people: self.people.get_stats().await?.number_of_documents as u64,
            records: self.records.get_stats().await?.number_of_documents as u64,
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

    /// Meilisearch organises its own storage.
    fn compact(&self) -> BoxFuture<'_, EngineResult<()>> {
        Box::pin(async { Ok(()) })
    }

    fn stats(&self) -> BoxFuture<'_, EngineResult<IndexStats>> {
        Box::pin(self.stats_now())
    }
}
