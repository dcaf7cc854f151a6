//! The embedded engine's answer to a trace probe: Tantivy's own term
//! dictionaries, postings and document store, segment by segment, deleted
//! documents included.

use super::engine::EngineResult;
use super::traces::{Trace, TraceProbe};
use std::collections::BTreeMap;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocId, DocSet, IndexReader, TERMINATED, TantivyDocument, Term};

/// The fields of one index that a probe asks.
pub struct Probed {
    pub index: &'static str,
    pub id: Field,
    pub card: Field,
    /// The field holding name words, and how a word is written in it.
    pub words: (Field, fn(&str) -> String),
}

pub fn probe(
    reader: &IndexReader,
    fields: &Probed,
    probe: &TraceProbe,
) -> EngineResult<Vec<Trace>> {
    // Everything committed, whatever an earlier reload missed.
    reader.reload()?;
    let searcher = reader.searcher();
    let mut out = Vec::new();
    for segment in searcher.segment_readers() {
        let mut found: BTreeMap<DocId, Vec<String>> = BTreeMap::new();
        let mut holding = |term: Term, field: Field, what: String| -> EngineResult<()> {
            let index = segment.inverted_index(field)?;
            // Postings list deleted documents too, until a merge drops them.
            if let Some(mut postings) = index.read_postings(&term, IndexRecordOption::Basic)? {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    found.entry(doc).or_default().push(what.clone());
                    doc = postings.advance();
                }
            }
            Ok(())
        };
        for id in &probe.ids {
            holding(
                Term::from_field_text(fields.id, &id.to_string()),
                fields.id,
                "id".into(),
            )?;
        }
        let (word_field, written) = fields.words;
        for (i, word) in probe.words.iter().enumerate() {
            holding(
                Term::from_field_text(word_field, &written(word)),
                word_field,
                format!("word {i}"),
            )?;
        }
        if !probe.values.is_empty() {
            let store = segment.get_store_reader(0)?;
            for doc in 0..segment.max_doc() {
                let stored: TantivyDocument = store.get(doc)?;
                let card = stored
                    .get_first(fields.card)
                    .and_then(|v| v.as_bytes())
                    .map(|b| String::from_utf8_lossy(b).to_lowercase())
                    .unwrap_or_default();
                for (i, value) in probe.values.iter().enumerate() {
                    if !value.is_empty() && card.contains(value.as_str()) {
                        found.entry(doc).or_default().push(format!("value {i}"));
                    }
                }
            }
        }
        let alive = segment.alive_bitset();
        for (doc, matched) in found {
            out.push(Trace {
                index: fields.index.to_owned(),
                location: format!("segment {}", segment.segment_id().uuid_string()),
                deleted: alive.is_some_and(|a| !a.is_alive(doc)),
                matched,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{STORED, STRING, Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    #[test]
    fn a_deleted_document_is_found_until_a_merge_drops_it() {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", STRING);
        let text = schema.add_text_field("text", TEXT);
        let card = schema.add_bytes_field("card", STORED);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (doc_id, words) in [("a", "seen with Quillfeatherstone"), ("b", "nothing here")] {
            let mut doc = TantivyDocument::new();
            doc.add_text(id, doc_id);
            doc.add_text(text, words);
            doc.add_bytes(card, words.as_bytes());
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        writer.delete_term(Term::from_field_text(id, "a"));
        writer.commit().unwrap();
        let reader = index.reader().unwrap();
        let fields = Probed {
            index: "records",
            id,
            card,
            words: (text, str::to_owned),
        };
        let probe = TraceProbe {
            words: vec!["quillfeatherstone".into()],
            values: vec!["quillfeatherstone".into()],
            ..TraceProbe::default()
        };
        let found = super::probe(&reader, &fields, &probe).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].deleted, "gone from results, still on disk");
        assert_eq!(found[0].matched, ["word 0", "value 0"]);
        let segments = index.searchable_segment_ids().unwrap();
        writer.merge(&segments).wait().unwrap();
        writer.wait_merging_threads().unwrap();
        assert_eq!(super::probe(&reader, &fields, &probe).unwrap(), Vec::new());
    }
}
