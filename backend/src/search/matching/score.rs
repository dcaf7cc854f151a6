//! One score for a candidate, and the reasons behind it.
//!
//! Points: surname up to 34, forenames up to 28, date of birth up to 38
//! (and down to about -6 when it conflicts); weights chosen on FEBRL among
//! a million people (docs/BENCHMARKS.md). The score is the points won out
//! of those the query could win, so a query without a date of birth is not
//! punished for it. Each name part counts its best comparison: exact, then
//! spelling variant, nickname, the beginning of a name (for the last word,
//! which the officer may still be typing), typing error, sound, prefix,
//! initial.

use super::dates::{DobMatch, DobQuery, compare};
use super::names::{joined, tokens};
use super::{nicknames, phonetic, typos};
use chrono::NaiveDate;

const SURNAME: f32 = 34.0;
const FORENAMES: f32 = 28.0;
const DATE_OF_BIRTH: f32 = 38.0;
/// At most this many points for how close names are that matched no rule:
/// it orders otherwise equal hits ("Jordhau" is nearer "Jordan" than
/// "Jasper") without ever making a hit on its own.
const NEARNESS: f32 = 3.0;
/// Below this nothing is shown at all.
pub const FLOOR: f32 = 0.5;
/// Hits far below the best are left out: few, strong hits.
pub const BEST_FRACTION: f32 = 0.7;

/// What the officer typed.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub forenames: Vec<String>,
    pub surname: Vec<String>,
    pub date_of_birth: Option<DobQuery>,
}

impl Query {
    pub fn new(forenames: &str, surname: &str, date_of_birth: &str) -> Self {
        Self {
            forenames: tokens(forenames),
            surname: tokens(surname),
            date_of_birth: DobQuery::parse(date_of_birth),
        }
    }

    fn most_points(&self) -> f32 {
        let part = |present: bool, points: f32| if present { points } else { 0.0 };
        part(!self.surname.is_empty(), SURNAME)
            + part(!self.forenames.is_empty(), FORENAMES)
            + part(self.date_of_birth.is_some(), DATE_OF_BIRTH)
    }
}

/// One name a person is known by.
#[derive(Clone, Debug)]
pub struct NameForm {
    pub forenames: Vec<String>,
    pub surname: Vec<String>,
    pub alias: bool,
}

/// A person as the matcher sees them.
#[derive(Clone, Debug, Default)]
pub struct Candidate {
    pub names: Vec<NameForm>,
    pub dates_of_birth: Vec<NaiveDate>,
}

impl Candidate {
    pub fn new(forenames: &str, surname: &str, dates_of_birth: Vec<NaiveDate>) -> Self {
        Self {
            names: vec![NameForm {
                forenames: tokens(forenames),
                surname: tokens(surname),
                alias: false,
            }],
            dates_of_birth,
        }
    }

    pub fn with_alias(mut self, forenames: &str, surname: &str) -> Self {
        self.names.push(NameForm {
            forenames: tokens(forenames),
            surname: tokens(surname),
            alias: true,
        });
        self
    }
}

/// A scored candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    /// 0 to 1: the share of the query's possible points won.
    pub score: f32,
    pub reasons: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    Exact,
    Variant,
    Nickname,
    /// The last word typed begins the name: while the officer is still
    /// typing it, the likeliest reading, so it ranks above a typing error
    /// or a sound (once finished, a name spelt so matches exactly).
    Unfinished,
    Typo,
    Sound,
    Prefix,
    Initial,
}

impl How {
    const fn weight(self) -> f32 {
        match self {
            How::Exact => 1.0,
            How::Variant => 0.9,
            How::Nickname => 0.85,
            How::Unfinished => 0.82,
            How::Typo => 0.8,
            How::Sound => 0.75,
            How::Prefix => 0.6,
            How::Initial => 0.4,
        }
    }

    const fn words(self) -> &'static str {
        match self {
            How::Exact => "exact",
            How::Variant => "spelling variant",
            How::Nickname => "nickname",
            How::Typo => "typing error",
            How::Sound => "sounds alike",
            How::Unfinished | How::Prefix => "starts the same",
            How::Initial => "initial",
        }
    }
}

/// `last`: the last word typed of a name, which may not be finished.
fn compare_tokens(q: &str, c: &str, last: bool) -> Option<How> {
    if q == c {
        return Some(How::Exact);
    }
    if nicknames::variant(q, c).is_some() {
        return Some(How::Variant);
    }
    if nicknames::nickname(q, c).is_some() {
        return Some(How::Nickname);
    }
    let qn = q.chars().count();
    if last && qn >= 3 && c.starts_with(q) {
        return Some(How::Unfinished);
    }
    if typos::within(q, c).is_some() {
        return Some(How::Typo);
    }
    if phonetic::sounds_alike(q, c).is_some() {
        return Some(How::Sound);
    }
    if qn == 1 && c.starts_with(q) {
        return Some(How::Initial);
    }
    (qn >= 3 && c.starts_with(q)).then_some(How::Prefix)
}

/// How well one name part matches: the first word typed decides; any
/// further words typed but not found cost a little. The last word may be
/// one the officer is still typing.
fn part(query: &[String], candidate: &[String]) -> Option<(f32, How)> {
    if query.is_empty() || candidate.is_empty() {
        return None;
    }
    // Double-barrelled or spaced differently: compare as one word too.
    let (qj, cj) = (joined(query), joined(candidate));
    if qj == cj {
        return Some((1.0, How::Exact));
    }
    let last = query.len() - 1;
    let best = |i: usize| {
        candidate
            .iter()
            .chain(std::iter::once(&cj))
            .filter_map(|c| compare_tokens(&query[i], c, i == last))
            .max_by(|a, b| a.weight().total_cmp(&b.weight()))
    };
    let first = best(0).or_else(|| compare_tokens(&qj, &cj, true))?;
    let missing = (1..query.len()).filter(|i| best(*i).is_none()).count();
    Some((first.weight() * 0.9f32.powi(missing as i32), first))
}

/// 0 to 1: how much of the longer name the shorter one spells alike.
fn nearness(query: &[String], candidate: &[String]) -> f32 {
    if query.is_empty() || candidate.is_empty() {
        return 0.0;
    }
    let (q, c) = (joined(query), joined(candidate));
    let longest = q.chars().count().max(c.chars().count()) as f32;
    1.0 - typos::distance(&q, &c) as f32 / longest
}

/// Scores a candidate against a query, or `None` when the names do not
/// match at all (a date of birth alone never makes a hit).
pub fn score(query: &Query, candidate: &Candidate) -> Option<Match> {
    let dob = compare(query.date_of_birth, &candidate.dates_of_birth);
    let close_dob = dob <= DobMatch::OneDigit;
    let dob_points = dob.points() / DobMatch::Exact.points() * DATE_OF_BIRTH;
    let mut best: Option<(f32, Vec<String>)> = None;
    for form in &candidate.names {
        for swapped in [false, true] {
            let (surname, forenames) = if swapped {
                (&form.forenames, &form.surname)
            } else {
                (&form.surname, &form.forenames)
            };
            let s = part(&query.surname, surname);
            let f = part(&query.forenames, forenames);
            // The surname must match when one was typed, or else the forename
            // and a close date of birth (surnames change on marriage).
            let anchored = s.is_some() || (f.is_some() && (query.surname.is_empty() || close_dob));
            if !anchored {
                continue;
            }
            let mut points = s.map_or(0.0, |(w, _)| w * SURNAME)
                + f.map_or(0.0, |(w, _)| w * FORENAMES)
                + NEARNESS
                    * (nearness(&query.surname, surname) + nearness(&query.forenames, forenames))
                    / 2.0;
            let mut reasons = Vec::new();
            match s {
                Some((_, how)) => reasons.push(format!("surname {}", how.words())),
                None if !query.surname.is_empty() => reasons.push("surname differs".to_owned()),
                None => {}
            }
            match f {
                Some((_, how)) => reasons.push(format!("forename {}", how.words())),
                None if !query.forenames.is_empty() => reasons.push("forename differs".to_owned()),
                None => {}
            }
            if swapped {
                points *= 0.9;
                reasons.push("names in the other order".to_owned());
            }
            if form.alias {
                points *= 0.95;
                reasons.push("alias".to_owned());
            }
            // A near date is evidence only beside names that agree: among a
            // million people, thousands share a surname and have a date of
            // birth one digit from any other.
            let names_agree = (query.surname.is_empty() || s.is_some())
                && (query.forenames.is_empty() || f.is_some());
            let near = !matches!(
                dob,
                DobMatch::Exact | DobMatch::Missing | DobMatch::Conflicting
            );
            points += dob_points * if near && !names_agree { 0.5 } else { 1.0 };
            if best.as_ref().is_none_or(|(p, _)| points > *p) {
                best = Some((points, reasons));
            }
        }
    }
    let (points, mut reasons) = best?;
    if let Some(reason) = dob.reason() {
        reasons.push(reason.to_owned());
    }
    let most = query.most_points();
    if most <= 0.0 {
        return None;
    }
    let score = (points / most).clamp(0.0, 1.0);
    // A date of birth that conflicts never shows on a name alone.
    if dob == DobMatch::Conflicting && score < FLOOR {
        return None;
    }
    Some(Match { score, reasons })
}

/// Keeps the strong hits, best first: above the floor and not far below the
/// best. A query that matches one person does not bring hundreds with it.
pub fn keep_strong<T>(mut hits: Vec<(T, Match)>) -> Vec<(T, Match)> {
    hits.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
    let top = hits.first().map_or(0.0, |h| h.1.score);
    hits.retain(|h| h.1.score >= FLOOR && h.1.score >= top * BEST_FRACTION);
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rank(q: &Query, people: &[Candidate]) -> Vec<(usize, Match)> {
        keep_strong(
            people
                .iter()
                .enumerate()
                .filter_map(|(i, c)| score(q, c).map(|m| (i, m)))
                .collect(),
        )
    }

    fn reasons(q: &Query, c: &Candidate) -> Vec<String> {
        score(q, c).map(|m| m.reasons).unwrap_or_default()
    }

    #[test]
    fn typed_by_ear_or_by_nickname_the_right_person_comes_first_with_reasons() {
        let people = [
            Candidate::new("William", "Smith", vec![d("1980-02-01")]),
            Candidate::new("William", "Smith", vec![d("1962-11-20")]),
            Candidate::new("Wilma", "Smithers", vec![d("1980-02-01")]),
            Candidate::new("Bilal", "Patel", vec![d("1980-02-01")]),
        ];
        let q = Query::new("Bill", "Smyth", "1980-01-02");
        let hits = rank(&q, &people);
        assert_eq!(hits[0].0, 0);
        assert_eq!(
            hits[0].1.reasons,
            [
                "surname typing error",
                "forename nickname",
                "date of birth day/month swapped"
            ]
        );
        assert!(hits.iter().all(|h| h.0 != 3), "Patel is not a Smith");
    }

    #[test]
    fn prefixes_transliterations_reordering_and_aliases_are_found() {
        let r = |q: Query, c: Candidate| reasons(&q, &c);
        assert_eq!(
            r(
                Query::new("", "Mac Donald", ""),
                Candidate::new("Ian", "McDonald", vec![])
            ),
            ["surname exact"]
        );
        assert_eq!(
            r(
                Query::new("Muhammad", "Khan", ""),
                Candidate::new("Mohammed", "Khan", vec![])
            )[1],
            "forename spelling variant"
        );
        assert!(
            r(
                Query::new("Smith", "John", ""),
                Candidate::new("John", "Smith", vec![])
            )
            .contains(&"names in the other order".to_owned())
        );
        assert!(
            r(
                Query::new("", "Jones", ""),
                Candidate::new("Amy", "Smith-Jones", vec![])
            )
            .contains(&"surname exact".to_owned())
        );
        let aliased = Candidate::new("Amy", "Baker", vec![]).with_alias("Amy", "Cook");
        assert!(r(Query::new("Amy", "Cook", ""), aliased).contains(&"alias".to_owned()));
    }

    #[test]
    fn a_missing_date_is_neutral_and_a_conflicting_one_counts_against() {
        let q = Query::new("Jane", "Doe", "1990-05-05");
        let same = score(&q, &Candidate::new("Jane", "Doe", vec![d("1990-05-05")])).unwrap();
        let unknown = score(&q, &Candidate::new("Jane", "Doe", vec![])).unwrap();
        assert!(same.score > unknown.score);
        assert_eq!(same.score, 1.0);
        // The same name with another date is shown, but below one whose date
        // is not known (a date of birth is often mistyped or made up).
        let other = score(&q, &Candidate::new("Jane", "Doe", vec![d("1955-12-31")])).unwrap();
        assert!(
            other.score < unknown.score && other.score > FLOOR,
            "{other:?}"
        );
        // A typo in the name as well as a one-digit slip in the date still is.
        let near = score(&q, &Candidate::new("Jane", "Dow", vec![d("1990-05-06")])).unwrap();
        assert!(near.score > FLOOR && near.score < same.score, "{near:?}");
        // A changed surname is found by forename and an exact date.
        let married = score(&q, &Candidate::new("Jane", "Smith", vec![d("1990-05-05")])).unwrap();
        assert_eq!(
            married.reasons,
            ["surname differs", "forename exact", "date of birth exact"]
        );
        // Without a date in the query nobody loses for theirs.
        let q = Query::new("Jane", "Doe", "");
        assert_eq!(
            score(&q, &Candidate::new("Jane", "Doe", vec![d("1955-12-31")]))
                .unwrap()
                .score,
            1.0
        );
    }

    #[test]
    fn one_strong_match_does_not_drag_in_weak_ones() {
        let mut people = vec![Candidate::new("Oliver", "Quigley", vec![d("1975-03-14")])];
        for (f, s) in [
            ("Olivia", "Quinn"),
            ("Oscar", "Quigg"),
            ("Owen", "Quayle"),
            ("Ollie", "Kwigley"),
        ] {
            people.push(Candidate::new(f, s, vec![d("1990-01-01")]));
        }
        let hits = rank(&Query::new("Oliver", "Quigley", "1975-03-14"), &people);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].0, 0);
    }

    #[test]
    fn a_name_still_being_typed_ranks_the_names_it_begins_first() {
        let people = [
            Candidate::new("Benjamin", "Kempe", vec![]),
            Candidate::new("Benjamin", "Camp", vec![]),
            Candidate::new("Benjamin", "Campbell", vec![]),
        ];
        let hits = rank(&Query::new("benjamin", "campb", ""), &people);
        assert_eq!(hits[0].0, 2, "{hits:?}");
        assert_eq!(
            hits[0].1.reasons,
            ["surname starts the same", "forename exact"]
        );
        // Finished, the name spelt so comes first.
        let hits = rank(&Query::new("benjamin", "camp", ""), &people);
        assert_eq!(hits[0].0, 1, "{hits:?}");
    }

    #[test]
    fn short_names_match_by_sound_not_by_typo() {
        let r = reasons(
            &Query::new("", "Leigh", ""),
            &Candidate::new("Tom", "Lee", vec![]),
        );
        assert_eq!(r, ["surname sounds alike"]);
        assert_eq!(
            score(
                &Query::new("", "Lee", ""),
                &Candidate::new("Tom", "Lea", vec![])
            )
            .map(|m| m.reasons.len()),
            Some(1)
        );
        assert!(
            score(
                &Query::new("", "Ng", ""),
                &Candidate::new("Tom", "Ma", vec![])
            )
            .is_none()
        );
    }
}
