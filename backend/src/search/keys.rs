//! The keys a person is found by. An engine only has to match keys exactly
//! (term lookups are what every engine does fast); Probity computes the
//! keys, the same for every engine, so typos, sounds, nicknames and near
//! dates of birth find candidates without fuzzy queries over the whole
//! dictionary. The matcher then ranks those candidates and explains them.
//!
//! Each key is `prefix:value`:
//! - `n:` a name token (any part: surname typed first still finds);
//! - `d:` a token with one letter deleted (symmetric deletion: a query
//!   token and a recorded one one edit apart share an `n:` or `d:` key);
//! - `m:` and `y:` Double Metaphone and NYSIIS keys;
//! - `g:` the nickname or spelling group ("bill" and "liam" → william);
//! - `p:` how the token begins, its first three and first four letters, so
//!   that a name still being typed ("thorog") finds the names it starts;
//! - `b0:`..`b7:` the date of birth with one digit masked (an exact date
//!   shares all eight, a date one digit off the one masking that digit),
//!   `bs:` the day and month in either order, `bd:` day and month without
//!   the year (a year out);
//! - `pc:` and `po:` postcode and its outward part, `t:` address words.

use super::matching::{nicknames, phonetic};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeSet;

/// The version of the keys documents carry. Change it with the embedded
/// engine's layout whenever a key changes, so every index is rebuilt.
pub const VERSION: u32 = 3;

/// Shorter tokens must match exactly or by sound (as in the matcher).
const MIN_TYPO_LEN: usize = 4;

fn deletions(token: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = token.chars().collect();
    let n = if chars.len() >= MIN_TYPO_LEN {
        chars.len()
    } else {
        0
    };
    (0..n).map(move |i| {
        chars
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| c)
            .collect()
    })
}

fn sound_keys(token: &str, out: &mut BTreeSet<String>) {
    if token.chars().count() < 2 {
        return;
    }
    let k = phonetic::remembered(token);
    for m in [k.metaphone, k.metaphone_alternate] {
        if !m.is_empty() {
            out.insert(format!("m:{m}"));
        }
    }
    if !k.nysiis.is_empty() {
        out.insert(format!("y:{}", k.nysiis));
    }
}

/// Lengths of the beginnings a name is indexed under. Two are enough:
/// a longer unfinished name is looked up by its first four letters, and
/// the matcher checks the rest. Every length more would add a key to
/// every name in the index.
const BEGINNINGS: [usize; 2] = [3, 4];

fn beginning(chars: &[char], len: usize) -> String {
    format!("p:{}", chars[..len].iter().collect::<String>())
}

/// The keys a recorded name token is indexed under.
pub fn name_token(token: &str, out: &mut BTreeSet<String>) {
    out.insert(format!("n:{token}"));
    let chars: Vec<char> = token.chars().collect();
    for len in BEGINNINGS.into_iter().filter(|len| chars.len() > *len) {
        out.insert(beginning(&chars, len));
    }
    for d in deletions(token) {
        out.insert(format!("d:{d}"));
    }
    sound_keys(token, out);
    for head in nicknames::group_heads(token) {
        out.insert(format!("g:{head}"));
    }
}

/// The keys to look up for a typed name token: its own, and those a token
/// one edit away would have been indexed under.
pub fn query_token(token: &str, out: &mut BTreeSet<String>) {
    out.insert(format!("n:{token}"));
    out.insert(format!("d:{token}"));
    for d in deletions(token) {
        out.insert(format!("n:{d}"));
        out.insert(format!("d:{d}"));
    }
    sound_keys(token, out);
    for head in nicknames::group_heads(token) {
        out.insert(format!("g:{head}"));
    }
}

/// The key a name the officer may still be typing is looked up by: its
/// first four letters (or three, when that is all there is so far).
pub fn unfinished_token(token: &str) -> Option<String> {
    let chars: Vec<char> = token.chars().collect();
    let len = BEGINNINGS
        .into_iter()
        .rev()
        .find(|len| chars.len() >= *len)?;
    Some(beginning(&chars, len))
}

fn digits(d: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// The keys a date of birth is indexed under (and, for an exact date
/// typed, looked up by).
pub fn date_of_birth(d: NaiveDate, out: &mut BTreeSet<String>) {
    let s = digits(d);
    for i in 0..s.len() {
        let mut masked = s.clone();
        masked.replace_range(i..=i, "_");
        out.insert(format!("b{i}:{masked}"));
    }
    let (lo, hi) = (d.month().min(d.day()), d.month().max(d.day()));
    out.insert(format!("bs:{:04}{lo:02}{hi:02}", d.year()));
    out.insert(format!("bd:{:02}{:02}", d.month(), d.day()));
}

/// A postcode's keys: whole, and the outward part officers often know.
pub fn postcode(raw: &str, out: &mut BTreeSet<String>) {
    let pc: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if pc.len() < 2 {
        return;
    }
    out.insert(format!("po:{}", outward(&pc)));
    if pc.len() >= 5 {
        out.insert(format!("pc:{pc}"));
    }
}

/// A full UK postcode's inward part is always three characters.
fn outward(pc: &str) -> &str {
    if pc.len() >= 5 {
        &pc[..pc.len() - 3]
    } else {
        pc
    }
}

/// Words of an address (street, town), for "postcode or town".
pub fn place_words(raw: &str, out: &mut BTreeSet<String>) {
    for w in super::matching::names::tokens(raw) {
        if w.chars().count() >= 3 {
            out.insert(format!("t:{w}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexed(token: &str) -> BTreeSet<String> {
        let mut s = BTreeSet::new();
        name_token(token, &mut s);
        s
    }

    fn looked_up(token: &str) -> BTreeSet<String> {
        let mut s = BTreeSet::new();
        query_token(token, &mut s);
        s
    }

    fn meet(typed: &str, recorded: &str) -> bool {
        looked_up(typed)
            .intersection(&indexed(recorded))
            .any(|k| k.starts_with("n:") || k.starts_with("d:"))
    }

    #[test]
    fn one_edit_of_any_kind_shares_a_key() {
        assert!(meet("smith", "smith"));
        assert!(meet("smyth", "smith"), "substitution");
        assert!(meet("smth", "smith"), "deletion");
        assert!(meet("smiith", "smith"), "insertion");
        assert!(meet("simth", "smith"), "transposition");
        assert!(!meet("jones", "smith"));
    }

    #[test]
    fn a_name_still_being_typed_shares_a_key_with_the_names_it_begins() {
        let begun = |typed: &str, recorded: &str| {
            unfinished_token(typed).is_some_and(|k| indexed(recorded).contains(&k))
        };
        assert!(begun("tho", "thorogood"));
        assert!(begun("thorog", "thorogood"));
        assert!(begun("macdo", "macdonald"));
        assert!(!begun("thr", "thorogood"));
        assert_eq!(unfinished_token("th"), None, "two letters say too little");
        // A name is not a beginning of itself: its `n:` key finds it.
        assert!(!indexed("lee").iter().any(|k| k.starts_with("p:")));
    }

    #[test]
    fn nicknames_and_sounds_have_keys() {
        assert!(indexed("william").contains("g:william"));
        assert!(looked_up("bill").contains("g:william"));
        let shared: Vec<_> = looked_up("stephen")
            .intersection(&indexed("steven"))
            .cloned()
            .collect();
        assert!(shared.iter().any(|k| k.starts_with("m:")), "{shared:?}");
    }

    #[test]
    fn dates_one_digit_apart_share_seven_keys_and_swaps_share_one() {
        let key = |s: &str| {
            let mut out = BTreeSet::new();
            date_of_birth(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap(), &mut out);
            out
        };
        let a = key("1980-05-17");
        assert_eq!(a.intersection(&key("1980-05-17")).count(), a.len());
        assert_eq!(
            a.iter()
                .filter(|k| k.starts_with('b') && k.as_bytes()[1].is_ascii_digit())
                .filter(|k| key("1980-05-18").contains(*k))
                .count(),
            1,
            "only the key masking the differing digit"
        );
        assert!(key("1980-05-12").contains("bs:19800512"));
        assert!(key("1980-12-05").contains("bs:19800512"));
    }

    #[test]
    fn postcodes_are_keyed_whole_and_by_district() {
        let mut out = BTreeSet::new();
        postcode("SW1A 1AA", &mut out);
        assert!(out.contains("pc:sw1a1aa") && out.contains("po:sw1a"));
    }
}
