//! Phonetic keys, computed by Probity and stored beside each name, since
//! not every engine (Meilisearch) can match by sound.

use rphonetic::{DoubleMetaphone, Encoder, Nysiis};
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

/// Which key two tokens share, if any: the reason an officer is shown.
pub fn sounds_alike(a: &str, b: &str) -> Option<&'static str> {
    if a.chars().count() < 2 || b.chars().count() < 2 {
        return None;
    }
    let (ka, kb) = (keys(a), keys(b));
    let dm = |k: &Keys| [k.metaphone.clone(), k.metaphone_alternate.clone()];
    let metaphone = dm(&ka).iter().any(|x| !x.is_empty() && dm(&kb).contains(x));
    if metaphone {
        Some("double_metaphone")
    } else if !ka.nysiis.is_empty() && ka.nysiis == kb.nysiis {
        Some("nysiis")
    } else {
        None
    }
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
