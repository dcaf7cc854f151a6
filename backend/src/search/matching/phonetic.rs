//! Phonetic keys, computed by Probity and stored beside each name, since
//! not every engine (Meilisearch) can match by sound.

use rphonetic::{DoubleMetaphone, Encoder, Nysiis};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

static METAPHONE: LazyLock<DoubleMetaphone> = LazyLock::new(DoubleMetaphone::default);
static NYSIIS: LazyLock<Nysiis> = LazyLock::new(|| Nysiis::new(false));

/// The sound keys of one name token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    pub metaphone: String,
    pub metaphone_alternate: String,
    pub nysiis: String,
}

pub fn keys(token: &str) -> Keys {
    let dm = METAPHONE.double_metaphone(token);
    Keys {
        metaphone: dm.primary(),
        metaphone_alternate: dm.alternate(),
        nysiis: NYSIIS.encode(token),
    }
}

thread_local! {
    /// Sound keys of tokens seen lately on this thread. Ranking compares
    /// each typed token with every candidate's, and names repeat a great
    /// deal, so encoding each once saves most of a search's time.
    static SEEN: RefCell<HashMap<String, Keys>> = RefCell::new(HashMap::new());
}

/// Bounds the cache: beyond this many names it starts afresh.
const REMEMBERED: usize = 50_000;

fn with_keys<R>(a: &str, b: &str, f: impl FnOnce(&Keys, &Keys) -> R) -> R {
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if seen.len() > REMEMBERED {
            seen.clear();
        }
        for t in [a, b] {
            if !seen.contains_key(t) {
                seen.insert(t.to_owned(), keys(t));
            }
        }
        match (seen.get(a), seen.get(b)) {
            (Some(ka), Some(kb)) => f(ka, kb),
            _ => f(&keys(a), &keys(b)),
        }
    })
}

fn metaphones(k: &Keys) -> [&String; 2] {
    [&k.metaphone, &k.metaphone_alternate]
}

/// The sound keys of a token, from this thread's memory when seen lately.
pub fn remembered(token: &str) -> Keys {
    with_keys(token, token, |k, _| k.clone())
}

/// Which key two tokens share, if any: the reason an officer is shown.
pub fn sounds_alike(a: &str, b: &str) -> Option<&'static str> {
    if a.chars().count() < 2 || b.chars().count() < 2 {
        return None;
    }
    with_keys(a, b, |ka, kb| {
        let metaphone = metaphones(ka)
            .iter()
            .any(|x| !x.is_empty() && metaphones(kb).contains(x));
        if metaphone {
            Some("double_metaphone")
        } else if !ka.nysiis.is_empty() && ka.nysiis == kb.nysiis {
            Some("nysiis")
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_spelt_by_ear_share_a_key() {
        assert!(sounds_alike("smith", "smyth").is_some());
        assert!(sounds_alike("smith", "schmidt").is_some());
        assert!(sounds_alike("lee", "leigh").is_some());
        assert!(sounds_alike("catherine", "kathryn").is_some());
        assert!(sounds_alike("stephen", "steven").is_some());
        assert_eq!(sounds_alike("smith", "patel"), None);
    }
}
