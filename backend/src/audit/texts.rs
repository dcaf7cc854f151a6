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

/// Deletes every held text that names any of `names` (whole words, case and
/// accents aside): part of erasing a person (DPA 2018 s.47). Returns how
/// many texts went. The events keep their hashes, which verify still links.
pub async fn erase_naming(conn: &mut AsyncPgConnection, names: &[String]) -> Result<i64, ApiError> {
    let pattern = word_pattern(names);
    let Some(pattern) = pattern else {
        return Ok(0);
    };
    let (from, to) = fold_table();
    let erased = diesel::sql_query(
        "WITH gone AS (DELETE FROM audit_texts WHERE translate(lower(text), $1, $2) ~ $3 RETURNING hash) \
         INSERT INTO audit_texts_erased (hash) SELECT hash FROM gone ON CONFLICT DO NOTHING",
    )
    .bind::<diesel::sql_types::Text, _>(from)
    .bind::<diesel::sql_types::Text, _>(to)
    .bind::<diesel::sql_types::Text, _>(pattern)
    .execute(conn)
    .await?;
    Ok(erased as i64)
}

/// A PostgreSQL regular expression matching any of the names as whole words
/// (folded like names are), or `None` if no name is long enough to mean
/// anything (a one-letter initial would erase half the log's reasons).
pub fn word_pattern(names: &[String]) -> Option<String> {
    let mut alternatives: Vec<String> = names
        .iter()
        .map(|n| shared::people::keys::fold(n.trim()))
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| n.chars().filter(|c| c.is_alphanumeric()).count() >= 2)
        .map(|n| regex_escape(&n).replace(' ', "[[:space:]-]+"))
        .collect();
    alternatives.sort();
    alternatives.dedup();
    (!alternatives.is_empty()).then(|| format!("\\m({})\\M", alternatives.join("|")))
}

fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.^$|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `translate()` arguments that fold the accented letters `fold` knows to
/// one plain letter each, so the database compares as the name keys do.
pub fn fold_table() -> (String, String) {
    let (mut from, mut to) = (String::new(), String::new());
    for c in ('\u{00C0}'..='\u{017F}').filter(|c| c.is_lowercase()) {
        let folded = shared::people::keys::fold(&c.to_string());
        let mut chars = folded.chars();
        if let (Some(plain), None) = (chars.next(), chars.next())
            && plain != c
            && plain.is_ascii_lowercase()
        {
            from.push(c);
            to.push(plain);
        }
    }
    (from, to)
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

    #[test]
    fn names_become_a_whole_word_pattern_folded_and_escaped() {
        let p = word_pattern(&["Zoë".into(), "O'Brien-Smith".into(), "J".into()]);
        assert_eq!(p.as_deref(), Some("\\m(o'brien-smith|zoe)\\M"));
        assert_eq!(word_pattern(&["J".into()]), None);
        let p = word_pattern(&["van Groesen".into(), "a.b".into()]);
        assert_eq!(p.as_deref(), Some("\\m(a\\.b|van[[:space:]-]+groesen)\\M"));
    }

    #[test]
    fn the_fold_table_pairs_each_accented_letter_with_one_plain_letter() {
        let (from, to) = fold_table();
        assert_eq!(from.chars().count(), to.chars().count());
        let pos = from.chars().position(|c| c == 'ë').unwrap_or(usize::MAX);
        assert_eq!(to.chars().nth(pos), Some('e'));
        assert!(!from.contains('ß'));
    }
}
