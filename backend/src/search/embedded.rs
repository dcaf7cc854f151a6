//! The embedded engine (Tantivy): the default, so Probity runs with no
//! search server. Two indexes under `<data dir>/search/v3/`: people (keys
//! and a stored card) and records (words, registration marks and postcodes,
//! handling code). A missing or unreadable index is recreated empty and
//! reported as needing a rebuild, never fatal.

use super::documents::{Change, Document, PersonCard, RecordCard};
use super::embedded_traces::Probed;
use super::engine::{
    EngineResult, IndexStats, PeopleLookup, RecordLookup, RecordsFound, SearchEngine,
};
use super::traces::{Trace, TraceProbe};
use anyhow::Context;
use futures_util::future::BoxFuture;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, RegexQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::store::Compressor;
use tantivy::{
    Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyDocument, Term,
};

/// Bumped whenever the schema or the keys change: a new version starts an
/// empty index beside the old one and rebuilds it from PostgreSQL, then
/// removes the old one (`remove_old_layouts`). v2: names fold more letters;
/// v3: names are also keyed by how they begin.
pub const LAYOUT: &str = "v3";

/// Removes the index directories of earlier layouts beside `root`, once
/// this layout has been rebuilt: they would keep erased people's names on
/// disk. Returns what it removed.
pub fn remove_old_layouts(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    let Some(parent) = root.parent() else {
        return Ok(removed);
    };
    for entry in std::fs::read_dir(parent)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let is_layout = name
            .strip_prefix('v')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if is_layout && name != LAYOUT && path.is_dir() {
            std::fs::remove_dir_all(&path)?;
            removed.push(path);
        }
    }
    Ok(removed)
}

struct Side {
    index: Index,
    reader: IndexReader,
    /// Taken by the process that applies the outbox (at its worker's start,
    /// `prepare`) or rebuilds: only it holds Tantivy's writer lock, so
    /// operator commands (import, verify) can open the same data directory
    /// while the server runs, and a second rebuild fails at once.
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    threads: usize,
    memory: usize,
    id: Field,
    card: Field,
}

struct PeopleFields {
    keys: Field,
}

struct RecordFields {
    family: Field,
    handling: Field,
    lookup: Field,
    text: Field,
}

pub struct Embedded {
    root: PathBuf,
    people: Side,
    people_fields: PeopleFields,
    records: Side,
    record_fields: RecordFields,
    /// Set when an index had to be created afresh: the caller rebuilds it.
    created: bool,
}

/// Exact keys: no tokenising, no frequencies, no length norms, so each key
/// found scores its weight times its rarity.
fn keys_options() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

fn people_schema() -> Schema {
    let mut s = Schema::builder();
    s.add_text_field("id", STRING);
    s.add_text_field("keys", keys_options());
    s.add_bytes_field("card", STORED);
    s.build()
}

fn records_schema() -> Schema {
    let mut s = Schema::builder();
    s.add_text_field("id", STRING);
    s.add_text_field("family", STRING);
    s.add_text_field("handling", STRING);
    s.add_text_field("lookup", keys_options());
    s.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("default")
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    s.add_bytes_field("card", STORED);
    s.build()
}

/// Opens the index in `dir` with its reader, or creates it empty (returning
/// `true`) when it is missing, has another schema, or is damaged.
fn open_or_create(dir: &Path, schema: Schema) -> EngineResult<(Index, IndexReader, bool)> {
    if dir.join("meta.json").exists() {
        let mut opened = open_existing(dir, &schema);
        if opened.is_err() {
            // Another process (the server, while an operator command opens
            // the same directory) may have been replacing segments at that
            // instant; only damage that persists is damage.
            std::thread::sleep(std::time::Duration::from_millis(250));
            opened = open_existing(dir, &schema);
        }
        match opened {
            Ok(Some((index, reader))) => return Ok((index, reader, false)),
            Ok(None) => {
                tracing::warn!(dir = %dir.display(), "search index has another schema; rebuilding")
            }
            Err(e) => {
                tracing::warn!(dir = %dir.display(), error = %e, "search index unreadable; rebuilding")
            }
        }
        std::fs::remove_dir_all(dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    // Stored cards uncompressed: candidates are read on every search, and a
    // test can see that an erased name is gone from the files themselves.
    let settings = IndexSettings {
        docstore_compression: Compressor::None,
        ..IndexSettings::default()
    };
    let index = Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_dir(dir)?;
    let reader = reader(&index)?;
    Ok((index, reader, true))
}

/// `None` when the index was written with another schema.
fn open_existing(dir: &Path, schema: &Schema) -> tantivy::Result<Option<(Index, IndexReader)>> {
    let index = Index::open_in_dir(dir)?;
    if index.schema() != *schema {
        return Ok(None);
    }
    // The reader opens every segment's files: a segment that is missing or
    // cut short (a full disk, a bad copy) fails here, at start, rather than
    // on an officer's search.
    let reader = reader(&index)?;
    Ok(Some((index, reader)))
}

fn reader(index: &Index) -> tantivy::Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
}

fn side(dir: &Path, schema: Schema, threads: usize, memory: usize) -> EngineResult<(Side, bool)> {
    let (index, reader, created) = open_or_create(dir, schema)?;
    let s = index.schema();
    Ok((
        Side {
            id: s.get_field("id")?,
            card: s.get_field("card")?,
            index,
            reader,
            writer: Mutex::new(None),
            threads,
            memory,
        },
        created,
    ))
}

impl Embedded {
    pub fn open(data_dir: &Path) -> EngineResult<Self> {
        let root = data_dir.join("search").join(LAYOUT);
        let (people, new_people) = side(&root.join("people"), people_schema(), 2, 128 << 20)?;
        let (records, new_records) = side(&root.join("records"), records_schema(), 1, 24 << 20)?;
        let ps = people.index.schema();
        let rs = records.index.schema();
        Ok(Self {
            people_fields: PeopleFields {
                keys: ps.get_field("keys")?,
            },
            record_fields: RecordFields {
                family: rs.get_field("family")?,
                handling: rs.get_field("handling")?,
                lookup: rs.get_field("lookup")?,
                text: rs.get_field("text")?,
            },
            people,
            records,
            root,
            created: new_people || new_records,
        })
    }

    /// Whether an index was created empty when opened (first start, a new
    /// layout, or a damaged index): it must be rebuilt from PostgreSQL.
    pub fn needs_rebuild(&self) -> bool {
        self.created
    }

    /// Where the index files are, for the test that looks inside them.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn person_doc(&self, card: &PersonCard) -> EngineResult<TantivyDocument> {
        let mut doc = TantivyDocument::new();
        doc.add_text(self.people.id, card.id.to_string());
        for k in card.keys() {
            doc.add_text(self.people_fields.keys, k);
        }
        doc.add_bytes(self.people.card, &serde_json::to_vec(card)?);
        Ok(doc)
    }

    fn record_doc(&self, card: &RecordCard) -> EngineResult<TantivyDocument> {
        let f = &self.record_fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(self.records.id, card.id.to_string());
        doc.add_text(f.family, &card.family);
        doc.add_text(f.handling, card.handling_code.as_deref().unwrap_or("-"));
        for s in card.lookup_suffixes() {
            doc.add_text(f.lookup, s);
        }
        doc.add_text(f.text, &card.text);
        doc.add_bytes(self.records.card, &serde_json::to_vec(card)?);
        Ok(doc)
    }

    fn apply_now(&self, changes: Vec<Change>) -> EngineResult<()> {
        let (mut people, mut records) = (Vec::new(), Vec::new());
        let (mut purge_people, mut purge_records) = (false, false);
        for change in changes {
            match change {
                Change::Upsert(Document::Person(card)) => people.push(Pending::Replace(card)),
                Change::Add(Document::Person(card)) => people.push(Pending::Add(card)),
                Change::Upsert(Document::Record(card)) => records.push(Pending::Replace(card)),
                Change::Add(Document::Record(card)) => records.push(Pending::Add(card)),
                Change::DeletePerson(id) => {
                    purge_people = true;
                    people.push(Pending::Delete(id));
                }
                Change::DeleteRecord(id) => {
                    purge_records = true;
                    records.push(Pending::Delete(id));
                }
            }
        }
        let people = built(people, |c| self.person_doc(c))?;
        let records = built(records, |c| self.record_doc(c))?;
        write(&self.people, people, purge_people)?;
        write(&self.records, records, purge_records)
    }

    fn people_now(&self, lookup: &PeopleLookup) -> EngineResult<Vec<PersonCard>> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = lookup
            .weighted_keys()
            .into_iter()
            .map(|(key, weight)| {
                let term = Term::from_field_text(self.people_fields.keys, key);
                let exact = TermQuery::new(term, IndexRecordOption::Basic);
                let q: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(exact), weight));
                (Occur::Should, q)
            })
            .collect();
        let searcher = self.people.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(lookup.candidates.max(1)),
        )?;
        top.into_iter()
            .map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                card_of(&doc, self.people.card)
            })
            .collect()
    }

    fn records_now(&self, lookup: &RecordLookup) -> EngineResult<RecordsFound> {
        let f = &self.record_fields;
        let Some((last, before)) = lookup.words.split_last() else {
            return Ok(RecordsFound::default());
        };
        let term = |field: Field, w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, w),
                IndexRecordOption::Basic,
            ))
        };
        let prefix = |field: Field, w: &str| -> EngineResult<Box<dyn Query>> {
            // Words are letters and digits only (see `search::records`).
            Ok(Box::new(RegexQuery::from_pattern(
                &format!("{w}.*"),
                field,
            )?))
        };
        let mut all_words: Vec<(Occur, Box<dyn Query>)> = before
            .iter()
            .map(|w| {
                let either: Box<dyn Query> = Box::new(BooleanQuery::union(vec![
                    term(f.text, w),
                    term(f.lookup, w),
                ]));
                (Occur::Must, either)
            })
            .collect();
        all_words.push((
            Occur::Must,
            Box::new(BooleanQuery::union(vec![
                prefix(f.text, last)?,
                prefix(f.lookup, last)?,
            ])),
        ));
        // A mark or postcode typed with a space: "AB12 CDE" is "ab12cde".
        let joined = lookup.words.concat();
        let found: Box<dyn Query> = Box::new(BooleanQuery::union(vec![
            Box::new(BooleanQuery::new(all_words)),
            Box::new(BoostQuery::new(prefix(f.lookup, &joined)?, 2.0)),
        ]));
        let visible: Vec<Box<dyn Query>> = std::iter::once("-")
            .chain(lookup.handling_codes.iter().copied())
            .map(|code| term(f.handling, code))
            .collect();
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, found),
            (Occur::Must, Box::new(BooleanQuery::union(visible))),
        ];
        if let Some(family) = &lookup.family {
            must.push((Occur::Must, term(f.family, family)));
        }
        let searcher = self.records.reader.searcher();
        let (top, total) = searcher.search(
            &BooleanQuery::new(must),
            &(TopDocs::with_limit(lookup.limit.max(1)), Count),
        )?;
        let hits = top
            .into_iter()
            .map(|(score, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                Ok((card_of(&doc, self.records.card)?, score))
            })
            .collect::<EngineResult<_>>()?;
        Ok(RecordsFound {
            hits,
            total: u32::try_from(total).unwrap_or(u32::MAX),
        })
    }

    /// Takes both writers now, so that a second process on the same data
    /// directory (a `probity reindex` beside a running server) fails before
    /// it changes anything, rather than half way.
    fn prepare_now(&self) -> EngineResult<()> {
        for side in [&self.people, &self.records] {
            drop(lock(side)?);
        }
        Ok(())
    }

    fn clear_now(&self) -> EngineResult<()> {
        for side in [&self.people, &self.records] {
            let mut guard = lock(side)?;
            let w = writer(&mut guard)?;
            w.delete_all_documents()?;
            w.commit()?;
            side.reader.reload()?;
            drop(w.garbage_collect_files().wait());
        }
        Ok(())
    }

    /// One segment per index after a rebuild: a search then looks each key
    /// up once, not once per segment.
    fn compact_now(&self) -> EngineResult<()> {
        for side in [&self.people, &self.records] {
            settle(side)?;
            let mut guard = lock(side)?;
            let w = writer(&mut guard)?;
            let all: Vec<_> = side
                .index
                .searchable_segment_metas()?
                .into_iter()
                .map(|m| m.id())
                .collect();
            if all.len() > 1 {
                w.merge(&all).wait()?;
            }
            side.reader.reload()?;
            w.garbage_collect_files().wait()?;
        }
        Ok(())
    }

    fn traces_now(&self, probe: &TraceProbe) -> EngineResult<Vec<Trace>> {
        let people = Probed {
            index: "people",
            id: self.people.id,
            card: self.people.card,
            words: (self.people_fields.keys, |w| format!("n:{w}")),
        };
        let records = Probed {
            index: "records",
            id: self.records.id,
            card: self.records.card,
            words: (self.record_fields.text, str::to_owned),
        };
        let mut found = super::embedded_traces::probe(&self.people.reader, &people, probe)?;
        found.extend(super::embedded_traces::probe(
            &self.records.reader,
            &records,
            probe,
        )?);
        Ok(found)
    }

    fn stats_now(&self) -> IndexStats {
        IndexStats {
            people: self.people.reader.searcher().num_docs(),
            records: self.records.reader.searcher().num_docs(),
            bytes: Some(dir_size(&self.root)),
        }
    }
}

type Writer<'a> = std::sync::MutexGuard<'a, Option<IndexWriter<TantivyDocument>>>;

fn lock(side: &Side) -> EngineResult<Writer<'_>> {
    let mut guard = side
        .writer
        .lock()
        .map_err(|_| anyhow::anyhow!("search index writer poisoned"))?;
    if guard.is_none() {
        let writer = side
            .index
            .writer_with_num_threads(side.threads, side.memory)
            .context(
                "the search index is locked: is a Probity server using this data directory?",
            )?;
        *guard = Some(writer);
    }
    Ok(guard)
}

fn writer<'a>(guard: &'a mut Writer<'_>) -> EngineResult<&'a mut IndexWriter<TantivyDocument>> {
    guard.as_mut().context("search index writer missing")
}

fn card_of<T: serde::de::DeserializeOwned>(doc: &TantivyDocument, field: Field) -> EngineResult<T> {
    let bytes = doc
        .get_first(field)
        .and_then(|v| v.as_bytes())
        .context("document without a card")?;
    Ok(serde_json::from_slice(bytes)?)
}

enum Pending<C> {
    /// May already be indexed: the old document goes first.
    Replace(C),
    /// Known not to be indexed (a rebuild after clearing).
    Add(C),
    Delete(uuid::Uuid),
}

/// What to write for one id: whether an older document may exist, and the
/// new document if any.
type Write = (uuid::Uuid, bool, Option<TantivyDocument>);

/// Builds the documents, on both cores when there are many: computing the
/// keys (sounds above all) is most of the work of indexing a person.
fn built<C: Sync + HasId>(
    pending: Vec<Pending<C>>,
    doc: impl Fn(&C) -> EngineResult<TantivyDocument> + Sync,
) -> EngineResult<Vec<Write>> {
    let one = |p: &Pending<C>| -> EngineResult<Write> {
        Ok(match p {
            Pending::Replace(c) => (c.id(), true, Some(doc(c)?)),
            Pending::Add(c) => (c.id(), false, Some(doc(c)?)),
            Pending::Delete(id) => (*id, true, None),
        })
    };
    if pending.len() < 2_000 {
        return pending.iter().map(one).collect();
    }
    let (first, second) = pending.split_at(pending.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| second.iter().map(one).collect::<EngineResult<Vec<_>>>());
        let mut out: Vec<Write> = first.iter().map(one).collect::<EngineResult<_>>()?;
        out.extend(
            other
                .join()
                .map_err(|_| anyhow::anyhow!("building search documents panicked"))??,
        );
        Ok(out)
    })
}

trait HasId {
    fn id(&self) -> uuid::Uuid;
}

impl HasId for PersonCard {
    fn id(&self) -> uuid::Uuid {
        self.id
    }
}

impl HasId for RecordCard {
    fn id(&self) -> uuid::Uuid {
        self.id
    }
}

/// Writes one side's changes and commits. When something was deleted, the
/// segments still holding deleted documents are merged and the old files
/// collected, so the deleted data is gone from disk, not only from results.
fn write(side: &Side, docs: Vec<Write>, purge: bool) -> EngineResult<()> {
    if docs.is_empty() {
        return Ok(());
    }
    let mut guard = lock(side)?;
    let w = writer(&mut guard)?;
    for (id, replaces, doc) in docs {
        if replaces {
            w.delete_term(Term::from_field_text(side.id, &id.to_string()));
        }
        if let Some(doc) = doc {
            w.add_document(doc)?;
        }
    }
    w.commit()?;
    side.reader.reload()?;
    if purge {
        drop(guard);
        purge_deleted(side)?;
    }
    Ok(())
}

/// Merges every segment that holds a deleted document, so its bytes leave
/// the files, and collects the old files.
fn purge_deleted(side: &Side) -> EngineResult<()> {
    // A background merge may hold some of the segments with deletions:
    // let it finish first.
    settle(side)?;
    let mut guard = lock(side)?;
    let w = writer(&mut guard)?;
    let holding: Vec<_> = side
        .index
        .searchable_segment_metas()?
        .into_iter()
        .filter(|m| m.has_deletes())
        .map(|m| m.id())
        .collect();
    if !holding.is_empty() {
        w.merge(&holding).wait()?;
    }
    side.reader.reload()?;
    w.garbage_collect_files().wait()?;
    Ok(())
}

/// Waits for the writer's background merges to finish (by retiring the
/// writer; the next write takes a new one), so the segments listed next
/// are the segments that exist.
fn settle(side: &Side) -> EngineResult<()> {
    // The lock is held until the old writer is gone: a write that came in
    // meanwhile would otherwise open a second writer while the first still
    // holds the index's lock file, and fail ("the search index is locked").
    let mut guard = side
        .writer
        .lock()
        .map_err(|_| anyhow::anyhow!("search index writer poisoned"))?;
    if let Some(writer) = guard.take() {
        writer.wait_merging_threads()?;
    }
    Ok(())
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Tantivy's work is CPU-bound and blocking: it runs off the async threads.
fn blocking<T: Send + 'static>(
    engine: &std::sync::Arc<Embedded>,
    f: impl FnOnce(&Embedded) -> EngineResult<T> + Send + 'static,
) -> BoxFuture<'static, EngineResult<T>> {
    let engine = engine.clone();
    Box::pin(async move { tokio::task::spawn_blocking(move || f(&engine)).await? })
}

/// The engine as shared by the worker and the request handlers.
pub struct Shared(pub std::sync::Arc<Embedded>);

impl SearchEngine for Shared {
    fn name(&self) -> &'static str {
        "embedded"
    }

    fn apply(&self, changes: Vec<Change>) -> BoxFuture<'_, EngineResult<()>> {
        blocking(&self.0, move |e| e.apply_now(changes))
    }

    fn people(&self, lookup: PeopleLookup) -> BoxFuture<'_, EngineResult<Vec<PersonCard>>> {
        blocking(&self.0, move |e| e.people_now(&lookup))
    }

    fn records(&self, lookup: RecordLookup) -> BoxFuture<'_, EngineResult<RecordsFound>> {
        blocking(&self.0, move |e| e.records_now(&lookup))
    }

    fn prepare(&self) -> BoxFuture<'_, EngineResult<()>> {
        blocking(&self.0, Embedded::prepare_now)
    }

    fn clear(&self) -> BoxFuture<'_, EngineResult<()>> {
        blocking(&self.0, Embedded::clear_now)
    }

    fn compact(&self) -> BoxFuture<'_, EngineResult<()>> {
        blocking(&self.0, Embedded::compact_now)
    }

    fn purge(&self) -> BoxFuture<'_, EngineResult<()>> {
        blocking(&self.0, |e| {
            purge_deleted(&e.people)?;
            purge_deleted(&e.records)
        })
    }

    fn stats(&self) -> BoxFuture<'_, EngineResult<IndexStats>> {
        blocking(&self.0, |e| Ok(e.stats_now()))
    }

    fn traces(&self, probe: TraceProbe) -> BoxFuture<'_, EngineResult<Vec<Trace>>> {
        blocking(&self.0, move |e| e.traces_now(&probe))
    }
}
