//! Name keys: the same name however it was typed, for the duplicate check on
//! create and the list's ordering. The search issue adds phonetic keys.

/// Lower case with accents taken off, for comparing names: the accented
/// Latin letters of the names officers meet (Latin-1 and Latin Extended-A,
/// Romanian ș/ț) to their base letters, ß to ss and the ligatures to their
/// letters; combining accents, as a decomposed "é" arrives, are dropped.
/// Migration 000011 applies the same table to stored keys: change both.
pub fn fold(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars().flat_map(char::to_lowercase) {
        fold_into(c, &mut out);
    }
    out
}

fn fold_into(c: char, out: &mut String) {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => out.push('c'),
        'ď' | 'đ' | 'ð' => out.push('d'),
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ĕ' | 'ė' | 'ě' => out.push('e'),
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => out.push('g'),
        'ĥ' | 'ħ' => out.push('h'),
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ĩ' | 'ĭ' | 'į' | 'ı' => out.push('i'),
        'ĵ' => out.push('j'),
        'ķ' | 'ĸ' => out.push('k'),
        'ł' | 'ĺ' | 'ļ' | 'ľ' | 'ŀ' => out.push('l'),
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => out.push('n'),
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => out.push('o'),
        'ŕ' | 'ŗ' | 'ř' => out.push('r'),
        'ś' | 'š' | 'ŝ' | 'ş' | 'ș' | 'ſ' => out.push('s'),
        'ţ' | 'ť' | 'ŧ' | 'ț' => out.push('t'),
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ũ' | 'ŭ' | 'ů' | 'ű' | 'ų' => out.push('u'),
        'ŵ' => out.push('w'),
        'ý' | 'ÿ' | 'ŷ' => out.push('y'),
        'ź' | 'ż' | 'ž' => out.push('z'),
        'ß' => out.push_str("ss"),
        'æ' => out.push_str("ae"),
        'œ' => out.push_str("oe"),
        'þ' => out.push_str("th"),
        'ĳ' => out.push_str("ij"),
        '\u{0300}'..='\u{036f}' => {}
        other => out.push(other),
    }
}

/// Lower case, accents folded, spaces, hyphens and apostrophes dropped, and
/// `Mc` read as `Mac`: "McDonald", "MacDonald" and "Mac Donald" share a key,
/// as do "O'Neil" and "ONeil".
pub fn name_key(raw: &str) -> String {
    let letters: String = fold(raw).chars().filter(|c| c.is_alphabetic()).collect();
    match letters.strip_prefix("mc") {
        Some(rest) => format!("mac{rest}"),
        None => letters,
    }
}

/// The first forename's key, for "same name" on the duplicate check.
pub fn first_forename_key(forenames: &str) -> String {
    forenames
        .split_whitespace()
        .next()
        .map(name_key)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_of_prefixes_accents_and_punctuation_do_not_change_the_key() {
        assert_eq!(name_key("McDonald"), name_key("Mac Donald"));
        assert_eq!(name_key("O'Neil"), name_key("ONEIL"));
        assert_eq!(name_key("Müller"), "muller");
        assert_eq!(name_key("Smith-Jones"), "smithjones");
        assert_ne!(name_key("Smith"), name_key("Smyth"));
    }

    #[test]
    fn the_letters_of_european_names_fold_to_their_base_letters() {
        assert_eq!(name_key("Țăranu"), "taranu");
        assert_eq!(name_key("Şahin"), "sahin");
        assert_eq!(name_key("Yıldız"), "yildiz");
        assert_eq!(name_key("Dvořák"), "dvorak");
        assert_eq!(name_key("Wałęsa"), "walesa");
        assert_eq!(name_key("Strauß"), name_key("Strauss"));
        assert_eq!(name_key("Lætitia"), "laetitia");
        // A decomposed accent (e + combining acute) is the same letter.
        assert_eq!(name_key("Rene\u{301}e"), name_key("Renée"));
        assert_eq!(fold("Ÿvette Ĳssel"), "yvette ijssel");
    }
}
