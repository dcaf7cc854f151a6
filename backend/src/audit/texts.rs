//! What a user typed into a justification (its reference and reason) never
//! enters the append-only rows. An officer may write "checking Jo Bloggs'
//! whereabouts"; if that were hashed into the chain it could never be erased.
//! Instead the event holds HMAC-SHA256(key, text) under a random key, and the
//! key and text live in `audit_texts`, which erasure may delete from. The
//! chain covers the hash, `verify` checks every text still held against it,
//! and once a row is gone nobody can tie the hash to a guessed text.

use crate::db::schema::audit_texts;
use crate::error::ApiError;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::Mutex;

/// A text as an event names it: the keyed hash, and the key and text while
/// they are held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FreeText {
    pub hash: [u8; 32],
    pub kept: Option<KeptText>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptText {
    pub key: [u8; 32],
    pub text: String,
}

const DOMAIN: &[u8] = b"probity-audit-text-v1\n";

/// HMAC-SHA256 of the text under its key, after a fixed domain line.
pub fn keyed_hash(key: &[u8], text: &str) -> [u8; 32] {
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this cannot happen.
        Err(_) => return [0; 32],
    };
    mac.update(DOMAIN);
    mac.update(text.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Whether a held text is the one the hash was taken over.
pub fn matches(text: &FreeText) -> bool {
    text.kept
        .as_ref()
        .is_none_or(|k| keyed_hash(&k.key, &k.text) == text.hash)
}

/// Keys for texts, reused for a while: a working context sends the same
/// reason with every request, and one row per distinct text keeps the side
/// table small. Bounded in number and age, so a text erased elsewhere stops
/// being named by its old hash within the hour (until then the database
/// refuses to hold it again: `audit_texts_erased`).
pub struct TextKeys {
    known: Mutex<(std::time::Instant, HashMap<String, [u8; 32]>)>,
}

const KEYS_HELD: usize = 10_000;
const KEYS_LAST: std::time::Duration = std::time::Duration::from_secs(3600);

impl Default for TextKeys {
    fn default() -> Self {
        Self {
            known: Mutex::new((std::time::Instant::now(), HashMap::new())),
        }
    }
}

impl TextKeys {
    pub fn keyed(&self, text: &str) -> FreeText {
        let key = {
            let mut guard = self.known.lock().unwrap_or_else(|p| p.into_inner());
            let (since, known) = &mut *guard;
            if since.elapsed() > KEYS_LAST {
                known.clear();
                *since = std::time::Instant::now();
            }
            match known.get(text) {
                Some(key) => *key,
                None => {
                    let mut key = [0u8; 32];
                    rand::rngs::OsRng.fill_bytes(&mut key);
                    if known.len() >= KEYS_HELD {
                        known.clear();
                    }
                    known.insert(text.to_owned(), key);
                    key
                }
            }
        };
        FreeText {
            hash: keyed_hash(&key, text),
            kept: Some(KeptText {
                key,
                text: text.to_owned(),
            }),
        }
    }

    /// Forgets every key, so a text erased a moment ago is not named again
    /// by the hash it had (a later event that carries it gets a new key).
    pub fn forget(&self) {
        self.known
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .1
            .clear();
    }
}

/// The held texts among these hashes.
pub async fn load(
    conn: &mut AsyncPgConnection,
    hashes: &[Vec<u8>],
) -> Result<HashMap<Vec<u8>, KeptText>, ApiError> {
    if hashes.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Vec<u8>, Vec<u8>, String)> = audit_texts::table
        .filter(audit_texts::hash.eq_any(hashes))
        .select((audit_texts::hash, audit_texts::key, audit_texts::text))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(hash, key, text)| {
            let key = <[u8; 32]>::try_from(key.as_slice()).ok()?;
            Some((hash, KeptText { key, text }))
        })
        .collect())
}

/// The event's view of a stored hash: with its text if still held.
pub fn named(hash: Option<&Vec<u8>>, held: &HashMap<Vec<u8>, KeptText>) -> Option<FreeText> {
    let hash = hash?;
    Some(FreeText {
        hash: <[u8; 32]>::try_from(hash.as_slice()).ok()?,
        kept: held.get(hash).cloned(),
    })
}

/// The erasure a text goes with: its request and the person erased, whose
/// erasure event verify looks for.
pub struct Erasure {
    pub request_id: String,
    pub person: uuid::Uuid,
}

/// The hashes among `missing` whose texts went with a recorded erasure:
/// a tombstone naming an erasure whose event is in the log.
pub async fn erased_lawfully(
    conn: &mut AsyncPgConnection,
    missing: &[Vec<u8>],
) -> Result<std::collections::HashSet<Vec<u8>>, ApiError> {
    #[derive(QueryableByName)]
    struct Lawful {
        #[diesel(sql_type = diesel::sql_types::Bytea)]
        hash: Vec<u8>,
    }
    if missing.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<Lawful> = diesel::sql_query(
        "SELECT x.hash FROM audit_texts_erased x WHERE x.hash = ANY($1) AND EXISTS ( \
           SELECT 1 FROM audit_event_records r JOIN audit_events e ON e.seq = r.event_seq \
           WHERE r.record_type = 'person' AND r.record_id = x.erased_person \
             AND e.operation = 'erasure' AND e.request_id = x.erased_by_request)",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Bytea>, _>(missing)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.hash).collect())
}

/// Deletes every held text that names any of `names` (case and accents
/// aside, as whole words): part of erasing a person (DPA 2018 s.47). Each
/// deleted hash is kept in `audit_texts_erased` with the erasure's request
/// id, so verify can tell an erased text from one deleted behind the log's
/// back. Returns how many texts went. The events keep their hashes.
pub async fn erase_naming(
    conn: &mut AsyncPgConnection,
    names: &[String],
    erasure: &Erasure,
) -> Result<i64, ApiError> {
    let Some(pattern) = names_pattern(names) else {
        return Ok(0);
    };
    let erased = diesel::sql_query(
        "WITH gone AS (DELETE FROM audit_texts WHERE text ~ $1 RETURNING hash) \
         INSERT INTO audit_texts_erased (hash, erased_by_request, erased_person) \
         SELECT hash, $2, $3 FROM gone ON CONFLICT DO NOTHING",
    )
    .bind::<diesel::sql_types::Text, _>(pattern)
    .bind::<diesel::sql_types::Text, _>(&erasure.request_id)
    .bind::<diesel::sql_types::Uuid, _>(erasure.person)
    .execute(conn)
    .await?;
    Ok(erased as i64)
}

/// The erasure again, once it has committed: a request in flight while it
/// ran may have written a text naming the person in a transaction the
/// erasure could not see. The lock waits for every such writer to finish
/// and holds new ones off until this is done (a moment).
pub async fn erase_naming_after_commit(
    state: &crate::state::AppState,
    names: &[String],
    erasure: &Erasure,
) -> Result<i64, ApiError> {
    let mut conn = crate::db::begin::<ApiError>(&state.pool).await?;
    let outcome = async {
        diesel::sql_query("LOCK TABLE audit_texts IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut *conn)
            .await?;
        erase_naming(&mut conn, names, erasure).await
    }
    .await;
    let swept = crate::db::finish(conn, outcome).await?;
    state.audit_texts.forget();
    Ok(swept)
}

/// A PostgreSQL regular expression matching any of the names, each as whole
/// words with any case and accents (`Zoë` matches "ZOE", `Strauß` matches
/// "Strauss"), or `None` if no name is long enough to mean anything (an
/// initial alone would erase half the log's reasons).
pub fn names_pattern(names: &[String]) -> Option<String> {
    let alternatives = loose_alternatives(names);
    (!alternatives.is_empty()).then(|| {
        format!(
            "(^|[^[:alnum:]])({})([^[:alnum:]]|$)",
            alternatives.join("|")
        )
    })
}

/// Each name long enough to mean anything, as a pattern for every way of
/// writing it; the same syntax serves PostgreSQL and the `regex` crate.
pub fn loose_alternatives(names: &[String]) -> Vec<String> {
    let mut alternatives: Vec<String> = names
        .iter()
        .map(|n| shared::people::keys::fold(n.trim()))
        .filter(|n| n.chars().filter(|c| c.is_alphanumeric()).count() >= 2)
        .map(|n| loose(&n))
        .collect();
    // Longest first: where one name begins another ("Smith" and "Smith,
    // John"), the whole of the longer is taken.
    alternatives.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    alternatives.dedup();
    alternatives
}

/// Letters written as two in a folded name, and what else writes them.
const DIGRAPHS: [(&str, &str); 5] = [
    ("ss", "ßẞ"),
    ("ae", "æÆ"),
    ("oe", "œŒ"),
    ("th", "þÞ"),
    ("ij", "ĳĲ"),
];

/// One folded name as a pattern that takes every way of writing it.
fn loose(folded: &str) -> String {
    let chars: Vec<char> = folded.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let pair: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        if let Some((_, single)) = DIGRAPHS.iter().find(|(two, _)| *two == pair) {
            out.push_str(&format!(
                "(?:{}{}|[{single}])",
                letter(chars[i]),
                letter(chars[i + 1])
            ));
            i += 2;
            continue;
        }
        let c = chars[i];
        if c.is_whitespace() || c == '-' {
            out.push_str("[[:space:]-]+");
        } else if c == '\'' || c == '’' {
            out.push_str("['’]?");
        } else if c == ',' {
            out.push_str(",?[[:space:]]*");
        } else if c.is_ascii_lowercase() {
            out.push_str(&letter(c));
        } else if "\\.^$|?*+()[]{}".contains(c) {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

/// Every letter that folds to `plain`, either case, as a bracket class.
fn letter(plain: char) -> String {
    let mut class = String::from("[");
    class.push(plain);
    class.push(plain.to_ascii_uppercase());
    for c in ('\u{00C0}'..='\u{024F}').filter(|c| c.is_alphabetic()) {
        let folded = shared::people::keys::fold(&c.to_lowercase().collect::<String>());
        if folded.chars().eq(std::iter::once(plain)) {
            class.push(c);
        }
    }
    class.push(']');
    class
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_is_keyed_once_and_its_hash_checks_only_against_itself() {
        let keys = TextKeys::default();
        let a = keys.keyed("checking Thorncroft whereabouts");
        let b = keys.keyed("checking Thorncroft whereabouts");
        assert_eq!(a, b);
        assert!(matches(&a));
        let mut forged = a.clone();
        if let Some(k) = forged.kept.as_mut() {
            k.text = "routine check".into();
        }
        assert!(!matches(&forged));
        keys.forget();
        assert_ne!(keys.keyed("checking Thorncroft whereabouts").hash, a.hash);
    }

    /// The database runs the pattern (the erasure tests show what it
    /// finds); here its shape is checked.
    #[test]
    fn a_name_becomes_a_pattern_for_every_way_of_writing_it() {
        let p = names_pattern(&["Zoë O'Brien-Strauß".into(), "J".into()]).unwrap();
        assert!(p.starts_with("(^|[^[:alnum:]])("), "{p}");
        assert!(
            p.contains("[oOÒÓÔÕÖØòóôõöø"),
            "o takes its accented forms: {p}"
        );
        assert!(p.contains("['’]?"), "{p}");
        assert!(p.contains("[[:space:]-]+"), "{p}");
        assert!(p.contains("(?:[sS"), "ss may be written ß: {p}");
        assert!(p.contains("|[ßẞ])"), "{p}");
        assert_eq!(names_pattern(&["J".into()]), None);
        assert_eq!(names_pattern(&[" ".into()]), None);
    }
}
