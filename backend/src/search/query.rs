//! What an officer typed, read into names, a date of birth and a place:
//! from one box ("john smith 12/05/1980", "SMITH John", "Smith, John
//! SW1A 1AA") or from separate fields, or both.

use super::engine::{Evidence, PeopleLookup};
use super::keys;
use super::matching::dates::DobQuery;
use super::matching::names::tokens;
use super::matching::{Query, phonetic};
use shared::error::FieldError;
use std::collections::BTreeSet;

/// How many candidates an engine hands the matcher to rank.
/// `search_timing` showed that 200 find the original only 0.5 % more
/// often than 60 and take three times as long to rank.
pub const CANDIDATES: usize = 60;

#[derive(Clone, Debug, Default)]
pub struct PersonQuery {
    pub names: Query,
    pub postcode: Option<String>,
    pub town: Option<String>,
}

/// The fields of a search request, as typed.
#[derive(Clone, Debug, Default)]
pub struct Typed<'a> {
    pub q: Option<&'a str>,
    pub forenames: Option<&'a str>,
    pub surname: Option<&'a str>,
    pub date_of_birth: Option<&'a str>,
    pub postcode: Option<&'a str>,
    pub town: Option<&'a str>,
}

fn present(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

/// A UK postcode, whole or its outward part only when typed in its own field.
fn looks_like_postcode(word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    (2..=4).contains(&w.len())
        && w[0].is_ascii_alphabetic()
        && w.iter().any(char::is_ascii_digit)
        && w.iter().all(char::is_ascii_alphanumeric)
}

fn looks_like_inward(word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    w.len() == 3 && w[0].is_ascii_digit() && w[1..].iter().all(char::is_ascii_alphabetic)
}

/// Splits the one box: dates and postcodes out, then names. A comma means
/// "SURNAME, forenames"; a word in capitals among others is the surname (as
/// nominals are written); otherwise the last word is the surname. The
/// matcher also tries the other order, so a guess that is wrong costs little.
fn read_box(q: &str) -> (String, String, Option<String>, Option<String>) {
    let mut dob = None;
    let mut postcode = None;
    let mut words: Vec<&str> = Vec::new();
    let raw: Vec<&str> = q.split_whitespace().collect();
    let mut i = 0;
    while i < raw.len() {
        let w = raw[i].trim_matches(',');
        if w.chars().any(|c| c.is_ascii_digit()) && DobQuery::parse(w).is_some() {
            dob = Some(w.to_owned());
        } else if looks_like_postcode(w) {
            let inward = raw.get(i + 1).filter(|n| looks_like_inward(n));
            postcode = Some(match inward {
                Some(n) => {
                    i += 1;
                    format!("{w} {n}")
                }
                None => w.to_owned(),
            });
        } else {
            words.push(raw[i]);
        }
        i += 1;
    }
    let text = words.join(" ");
    if let Some((surname, forenames)) = text.split_once(',') {
        return (
            forenames.trim().into(),
            surname.trim().into(),
            dob,
            postcode,
        );
    }
    let capitals = |w: &&str| w.chars().count() > 1 && w.chars().all(|c| !c.is_lowercase());
    let mixed = words.iter().any(|w| w.chars().any(char::is_lowercase));
    if mixed && let Some(at) = words.iter().position(capitals) {
        let surname = words[at].to_owned();
        let rest: Vec<&str> = words
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != at)
            .map(|(_, w)| *w)
            .collect();
        return (rest.join(" "), surname, dob, postcode);
    }
    match words.split_last() {
        Some((last, rest)) => (rest.join(" "), (*last).to_owned(), dob, postcode),
        None => (String::new(), String::new(), dob, postcode),
    }
}

impl PersonQuery {
    /// Reads the request, or names each field that cannot be used.
    pub fn read(typed: &Typed<'_>) -> Result<Self, Vec<FieldError>> {
        let (mut forenames, mut surname, mut dob, mut postcode) = match present(typed.q) {
            Some(q) => read_box(q),
            None => Default::default(),
        };
        if let Some(f) = present(typed.forenames) {
            forenames = f.to_owned();
        }
        if let Some(s) = present(typed.surname) {
            surname = s.to_owned();
        }
        if let Some(d) = present(typed.date_of_birth) {
            dob = Some(d.to_owned());
        }
        if let Some(p) = present(typed.postcode) {
            postcode = Some(p.to_owned());
        }
        let town = present(typed.town).map(str::to_owned);
        let mut errors = Vec::new();
        let date_of_birth = match dob.as_deref() {
            Some(d) => match DobQuery::parse(d) {
                Some(q) => Some(q),
                None => {
                    errors.push(FieldError::new(
                        "date_of_birth",
                        "invalid",
                        "Use YYYY-MM-DD, DD/MM/YYYY (or DD-MM-YY, DD.MM.YYYY), MM/YYYY, YYYY-MM or YYYY",
                    ));
                    None
                }
            },
            None => None,
        };
        let names = Query {
            forenames: tokens(&forenames),
            surname: tokens(&surname),
            date_of_birth,
        };
        let nameless = names.forenames.is_empty() && names.surname.is_empty();
        if nameless && postcode.is_none() && town.is_none() && errors.is_empty() {
            // A date of birth alone would list everyone born that day.
            errors.push(FieldError::new(
                "q",
                "required",
                "Type a name, or a postcode or town",
            ));
        }
        if errors.is_empty() {
            Ok(Self {
                names,
                postcode,
                town,
            })
        } else {
            Err(errors)
        }
    }

    pub fn has_names(&self) -> bool {
        !self.names.forenames.is_empty() || !self.names.surname.is_empty()
    }

    /// The keys to find candidates by, weighted: an exact name or date
    /// counts more than a near one, a nickname group in between.
    pub fn lookup(&self) -> PeopleLookup {
        let mut evidence = Vec::new();
        let q = &self.names;
        let mut typed: Vec<String> = q.forenames.iter().chain(&q.surname).cloned().collect();
        if q.surname.len() > 1 {
            typed.push(q.surname.concat());
        }
        // Searching as the officer types: the last word of each name may
        // not be finished yet.
        let unfinished = [q.forenames.last(), q.surname.last()];
        for token in &typed {
            let mut near = BTreeSet::new();
            keys::query_token(token, &mut near);
            if unfinished.contains(&Some(token)) {
                near.extend(keys::unfinished_token(token));
            }
            let sounds = phonetic::keys(token);
            let exact = format!("n:{token}");
            let weight = |key: &str| match key.split_once(':') {
                Some(("n", v)) if v == token => 1.0,
                Some(("g", _)) => 0.8,
                Some(("m", v)) if v == sounds.metaphone => 0.6,
                Some(("m" | "y" | "p", _)) => 0.5,
                _ => 0.4,
            };
            // The spelling as typed first: an engine may ask for it alone.
            let group = Evidence::Name(
                std::iter::once(exact.clone())
                    .chain(near.into_iter().filter(|k| *k != exact))
                    .map(|key| {
                        let w = weight(&key);
                        (key, w)
                    })
                    .collect(),
            );
            if !evidence.contains(&group) {
                evidence.push(group);
            }
        }
        if let Some(DobQuery::Full(d)) = q.date_of_birth {
            let mut dob = BTreeSet::new();
            keys::date_of_birth(d, &mut dob);
            let weighted = dob.into_iter().map(|key| {
                let weight = if key.starts_with("bs:") {
                    0.8
                } else if key.starts_with("bd:") {
                    0.3
                } else {
                    0.35
                };
                (key, weight)
            });
            evidence.push(Evidence::Born(weighted.collect()));
        }
        if let Some(p) = &self.postcode {
            let mut pc = BTreeSet::new();
            keys::postcode(p, &mut pc);
            if !pc.is_empty() {
                let weighted = pc.into_iter().map(|key| {
                    let weight = if key.starts_with("pc:") { 1.5 } else { 0.5 };
                    (key, weight)
                });
                evidence.push(Evidence::Place(weighted.collect()));
            }
        }
        if let Some(t) = &self.town {
            let mut words = BTreeSet::new();
            keys::place_words(t, &mut words);
            if !words.is_empty() {
                evidence.push(Evidence::Place(
                    words.into_iter().map(|key| (key, 0.7)).collect(),
                ));
            }
        }
        PeopleLookup {
            evidence,
            candidates: CANDIDATES,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(q: &str) -> PersonQuery {
        PersonQuery::read(&Typed {
            q: Some(q),
            ..Typed::default()
        })
        .unwrap()
    }

    #[test]
    fn one_box_reads_names_dates_and_postcodes() {
        let q = read("john smith 12/05/1980");
        assert_eq!(q.names.surname, ["smith"]);
        assert_eq!(q.names.forenames, ["john"]);
        assert!(q.names.date_of_birth.is_some());
        // A date written with dots or dashes is a date, never the surname.
        for typed in [
            "john smith 07.03.1984",
            "john smith 07-03-84",
            "7/3/84 john smith",
        ] {
            let q = read(typed);
            assert_eq!(q.names.surname, ["smith"], "{typed}");
            assert_eq!(q.names.forenames, ["john"], "{typed}");
            assert_eq!(
                q.names.date_of_birth,
                DobQuery::parse("1984-03-07"),
                "{typed}"
            );
        }
        let q = read("SMITH John");
        assert_eq!(q.names.surname, ["smith"]);
        let q = read("Smith, John Paul SW1A 1AA");
        assert_eq!(q.names.forenames, ["john", "paul"]);
        assert_eq!(q.postcode.as_deref(), Some("SW1A 1AA"));
    }

    #[test]
    fn evidence_is_grouped_by_name_date_and_place() {
        let lookup = read("John SMITH 12/05/1980 SW1A 1AA").lookup();
        let kinds: Vec<&str> = lookup
            .evidence
            .iter()
            .map(|e| match e {
                Evidence::Name(_) => "name",
                Evidence::Born(_) => "born",
                Evidence::Place(_) => "place",
            })
            .collect();
        assert_eq!(kinds, ["name", "name", "born", "place"]);
        assert_eq!(lookup.evidence[0].keys().next(), Some("n:john"));
        assert!(lookup.evidence[2].keys().any(|k| k == "bs:19800512"));
    }

    #[test]
    fn the_last_word_of_each_name_is_also_looked_up_as_begun() {
        let lookup = read("john paul feath").lookup();
        let begun: Vec<_> = lookup
            .weighted_keys()
            .into_iter()
            .filter(|(k, _)| k.starts_with("p:"))
            .map(|(k, _)| k)
            .collect();
        // "paul" ends the forenames and "feath" the surname; "john" is
        // followed by more, so it was finished.
        assert_eq!(begun, ["p:paul", "p:feat"]);
    }

    #[test]
    fn a_key_two_names_share_is_looked_up_once_at_its_first_weight() {
        // Bill and William share the nickname group of William.
        let lookup = read("bill william smith").lookup();
        let weighted = lookup.weighted_keys();
        let group: Vec<_> = weighted.iter().filter(|(k, _)| *k == "g:william").collect();
        assert_eq!(group, [&("g:william", 0.8)]);
        let exact: Vec<_> = weighted.iter().filter(|(k, _)| *k == "n:william").collect();
        assert_eq!(exact, [&("n:william", 1.0)]);
    }

    #[test]
    fn a_date_alone_or_a_bad_date_is_refused_by_field() {
        let err = PersonQuery::read(&Typed {
            q: Some("1980-05-12"),
            ..Typed::default()
        })
        .unwrap_err();
        assert_eq!(err[0].field, "q");
        let err = PersonQuery::read(&Typed {
            surname: Some("Smith"),
            date_of_birth: Some("31st of May"),
            ..Typed::default()
        })
        .unwrap_err();
        assert_eq!(err[0].field, "date_of_birth");
    }
}
