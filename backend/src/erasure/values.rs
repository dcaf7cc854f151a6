//! What marks a person out in text: their names, identifiers and dates of
//! birth. An erasure looks for them in what it keeps, and its probe looks
//! for them everywhere afterwards. They never leave the server: plans and
//! certificates say how many there were, never what.

use crate::audit::texts::loose_alternatives;
use crate::db::schema::people;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use regex::Regex;
use serde::{Deserialize, Serialize};
use shared::people::PersonDetails;
use std::ops::Range;
use uuid::Uuid;

/// The values of one person (and the duplicates merged into them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distinctive {
    /// Full names in the orders people write them, and surnames no one
    /// else living bears: each names the person on its own.
    pub names: Vec<String>,
    /// PNC ids and CRO numbers, as held.
    pub identifiers: Vec<String>,
    /// Dates of birth in the ways they are written. Many people share a
    /// date: it counts only in a record about the person, or beside a
    /// part of their name.
    pub dates: Vec<String>,
    /// Forenames and surnames alone, for the test above.
    pub parts: Vec<String>,
}

type Named = (
    String,
    Option<String>,
    Option<NaiveDate>,
    serde_json::Value,
    Option<String>,
    Option<String>,
);

impl Distinctive {
    /// Reads them from the people rows, which must still exist.
    pub async fn of(conn: &mut AsyncPgConnection, doomed: &[Uuid]) -> QueryResult<Self> {
        let rows: Vec<Named> = people::table
            .filter(people::id.eq_any(doomed))
            .select((
                people::surname,
                people::forenames,
                people::date_of_birth,
                people::details,
                people::pnc_id,
                people::cro_number,
            ))
            .load(conn)
            .await?;
        let mut v = Distinctive::default();
        let mut surnames = Vec::new();
        for (surname, forenames, dob, details, pnc, cro) in rows {
            let details: PersonDetails = serde_json::from_value(details).unwrap_or_default();
            let names = std::iter::once((surname, forenames.unwrap_or_default())).chain(
                details
                    .aliases
                    .into_iter()
                    .map(|a| (a.surname, a.forenames)),
            );
            for (surname, forenames) in names {
                let forenames = forenames.trim().to_owned();
                if let Some(first) = forenames.split_whitespace().next() {
                    for name in [
                        format!("{first} {surname}"),
                        format!("{forenames} {surname}"),
                        format!("{surname}, {first}"),
                        format!("{surname}, {forenames}"),
                    ] {
                        v.names.push(name);
                    }
                    v.parts
                        .extend(forenames.split_whitespace().map(str::to_owned));
                }
                v.parts.push(surname.clone());
                surnames.push(surname);
            }
            let dates = dob.into_iter().chain(
                details
                    .alternative_dates_of_birth
                    .iter()
                    .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            );
            for d in dates {
                v.dates.extend(date_forms(d));
            }
            v.identifiers.extend(pnc.filter(|s| !s.is_empty()));
            v.identifiers.extend(cro.filter(|s| !s.is_empty()));
            v.identifiers.extend(
                [details.pnc_id, details.cro_number]
                    .into_iter()
                    .filter(|s| !s.is_empty()),
            );
        }
        // A surname is distinctive only when no one else living has it.
        for surname in surnames {
            let others: i64 = people::table
                .filter(people::name_key.eq(shared::people::keys::name_key(&surname)))
                .filter(people::id.ne_all(doomed))
                .count()
                .get_result(conn)
                .await?;
            if others == 0 {
                v.names.push(surname);
            }
        }
        for list in [&mut v.names, &mut v.identifiers, &mut v.dates, &mut v.parts] {
            list.sort();
            list.dedup();
        }
        Ok(v)
    }

    /// How many values are looked for, for plans and certificates.
    pub fn count(&self) -> usize {
        self.names.len() + self.identifiers.len() + self.dates.len()
    }

    /// The names and identifiers, as a PostgreSQL regular expression.
    pub fn strong_sql(&self) -> Option<String> {
        pattern_sql(&self.strong())
    }

    pub fn dates_sql(&self) -> Option<String> {
        pattern_sql(&self.dates)
    }

    pub fn parts_sql(&self) -> Option<String> {
        pattern_sql(&self.parts)
    }

    fn strong(&self) -> Vec<String> {
        self.names
            .iter()
            .chain(&self.identifiers)
            .cloned()
            .collect()
    }

    /// The same values as a matcher for text the server holds.
    pub fn matcher(&self) -> Matcher {
        Matcher {
            strong: pattern_rust(&self.strong()),
            dates: pattern_rust(&self.dates),
            parts: pattern_rust(&self.parts),
            part_list: self.parts.clone(),
        }
    }
}

/// How a date of birth is written in statements and forms.
fn date_forms(d: NaiveDate) -> Vec<String> {
    [
        "%Y-%m-%d",
        "%d/%m/%Y",
        "%-d/%-m/%Y",
        "%d.%m.%Y",
        "%-d %B %Y",
        "%-d %b %Y",
        "%d/%m/%y",
    ]
    .iter()
    .map(|f| d.format(f).to_string())
    .collect()
}

/// Group 1 is the character before (kept by a replacement with `\1`);
/// the character after is looked at, not taken, so mentions side by side
/// are each found.
fn pattern_sql(values: &[String]) -> Option<String> {
    let alternatives = loose_alternatives(values);
    (!alternatives.is_empty()).then(|| {
        format!(
            "(^|[^[:alnum:]])(?:{})(?=[^[:alnum:]]|$)",
            alternatives.join("|")
        )
    })
}

fn pattern_rust(values: &[String]) -> Option<Regex> {
    let alternatives = loose_alternatives(values);
    if alternatives.is_empty() {
        return None;
    }
    // The boundaries are looked at, not taken, by checking the characters
    // either side of each match.
    Regex::new(&format!("(?:{})", alternatives.join("|"))).ok()
}

/// Finds the values in text.
pub struct Matcher {
    strong: Option<Regex>,
    dates: Option<Regex>,
    parts: Option<Regex>,
    part_list: Vec<String>,
}

/// Where a text is: in a record about the person (linked to them), whose
/// other people's name parts are not theirs to take; or anywhere else.
pub enum Setting {
    Unrelated,
    AboutThem {
        /// Their name parts that no other person in the record shares.
        own_parts: Option<Regex>,
    },
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whole-word matches of `re` in `text`.
fn whole_words(re: &Regex, text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at <= text.len() {
        let Some(m) = re.find_at(text, at) else { break };
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if before.is_none_or(|c| !is_word(c)) && after.is_none_or(|c| !is_word(c)) && !m.is_empty()
        {
            out.push(m.range());
            at = m.end();
        } else {
            // Try again one character on: a longer name may start here.
            at = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

impl Matcher {
    /// The setting of a record about the person, shared with people whose
    /// names hold `others` (a sibling's surname stays in their name).
    pub fn about_them(&self, others: &[String]) -> Setting {
        let others: Vec<String> = others
            .iter()
            .map(|o| shared::people::keys::fold(o.trim()))
            .collect();
        let own: Vec<String> = self
            .part_list
            .iter()
            .filter(|p| !others.contains(&shared::people::keys::fold(p.trim())))
            .cloned()
            .collect();
        Setting::AboutThem {
            own_parts: pattern_rust(&own),
        }
    }

    /// Where the text names the person. In a record about them, their own
    /// name parts and dates of birth count; elsewhere a date of birth
    /// counts only beside a part of their name.
    pub fn find(&self, text: &str, setting: &Setting) -> Vec<Range<usize>> {
        let mut found: Vec<Range<usize>> = self
            .strong
            .as_ref()
            .map(|re| whole_words(re, text))
            .unwrap_or_default();
        let near_name = match setting {
            Setting::AboutThem { own_parts } => {
                if let Some(parts) = own_parts {
                    found.extend(whole_words(parts, text));
                }
                true
            }
            Setting::Unrelated => self
                .parts
                .as_ref()
                .is_some_and(|p| !whole_words(p, text).is_empty()),
        };
        if near_name && let Some(dates) = &self.dates {
            found.extend(whole_words(dates, text));
        }
        found.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        // Overlaps merge: "Smith, John" and "John" are one mention.
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in found {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }

    /// The text with every mention replaced by `[erased]`; a text that is
    /// nothing but the value is emptied.
    pub fn redact(&self, text: &str, setting: &Setting) -> String {
        let found = self.find(text, setting);
        if found.len() == 1 && found[0].start == 0 && found[0].end == text.trim_end().len() {
            return String::new();
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for r in found {
            out.push_str(&text[at..r.start]);
            out.push_str("[erased]");
            at = r.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Distinctive {
        Distinctive {
            names: vec![
                "Zoë Quillfeather".into(),
                "Quillfeather, Zoë".into(),
                "Quillfeather".into(),
            ],
            identifiers: vec!["2001/0012345A".into()],
            dates: date_forms(NaiveDate::from_ymd_opt(1990, 4, 3).unwrap()),
            parts: vec!["Zoë".into(), "Quillfeather".into()],
        }
    }

    #[test]
    fn names_are_found_whatever_the_case_accents_and_order() {
        let m = values().matcher();
        let text = "Seen: ZOE QUILLFEATHER with QUILLFEATHER, Zoe (PNC 2001/0012345A).";
        assert_eq!(
            m.redact(text, &Setting::Unrelated),
            "Seen: [erased] with [erased] (PNC [erased])."
        );
        // Part of a longer word is not the name.
        assert!(m.find("Quillfeathers Ltd", &Setting::Unrelated).is_empty());
    }

    #[test]
    fn a_date_of_birth_counts_only_in_a_record_about_them_or_beside_their_name() {
        let m = values().matcher();
        let about = m.about_them(&[]);
        assert!(m.find("born 03/04/1990", &Setting::Unrelated).is_empty());
        assert_eq!(m.find("born 03/04/1990", &about).len(), 1);
        assert_eq!(
            m.redact("Zoë, born 3 April 1990", &Setting::Unrelated),
            "Zoë, born [erased]"
        );
        assert_eq!(m.redact("1990-04-03", &about), "");
    }

    #[test]
    fn in_a_record_about_them_their_forename_goes_but_a_shared_surname_stays() {
        let mut v = values();
        v.names.retain(|n| n != "Quillfeather");
        let m = v.matcher();
        let about = m.about_them(&["Amy".into(), "Quillfeather".into()]);
        assert_eq!(
            m.redact("Zoë hit Amy Quillfeather", &about),
            "[erased] hit Amy Quillfeather"
        );
    }
}
