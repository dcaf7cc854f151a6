//! Names as comparable tokens: case, accents, punctuation and the spacing of
//! prefixes (Mc/Mac, O', Van, De) no longer matter.

/// Particles written joined or apart: "Mac Donald" is "MacDonald".
const PARTICLES: [&str; 12] = [
    "mc", "mac", "o", "de", "van", "von", "st", "le", "la", "di", "da", "du",
];

/// The tokens of a name: lower case, accents folded, apostrophes dropped
/// (O'Neil → oneil), split at spaces and hyphens, particles joined to the
/// word they precede, and Mc read as Mac.
pub fn tokens(raw: &str) -> Vec<String> {
    let folded: String = shared::people::keys::fold(raw)
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | '.'))
        .map(|c| if c.is_alphabetic() { c } else { ' ' })
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut pending = String::new();
    for word in folded.split_whitespace() {
        if PARTICLES.contains(&word) {
            pending.push_str(word);
            continue;
        }
        let mut token = std::mem::take(&mut pending);
        token.push_str(word);
        out.push(read_mc_as_mac(token));
    }
    if !pending.is_empty() {
        out.push(read_mc_as_mac(pending));
    }
    out
}

fn read_mc_as_mac(token: String) -> String {
    match token.strip_prefix("mc") {
        Some(rest) if !rest.is_empty() => format!("mac{rest}"),
        _ => token,
    }
}

/// All tokens joined: how a double-barrelled name compares as a whole
/// ("Smith-Jones" and "Smithjones").
pub fn joined(tokens: &[String]) -> String {
    tokens.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_apostrophes_accents_and_hyphens_are_normalised() {
        assert_eq!(tokens("McDonald"), ["macdonald"]);
        assert_eq!(tokens("Mac Donald"), ["macdonald"]);
        assert_eq!(tokens("O'Neil"), ["oneil"]);
        assert_eq!(tokens("o neil"), ["oneil"]);
        assert_eq!(tokens("Müller"), ["muller"]);
        assert_eq!(tokens("Smith-Jones"), ["smith", "jones"]);
        assert_eq!(tokens("  van der Berg "), ["vander", "berg"]);
        assert_eq!(tokens(""), Vec::<String>::new());
    }
}
