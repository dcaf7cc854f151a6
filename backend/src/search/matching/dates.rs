//! Dates of birth as officers give them: exact, year and month, year only,
//! day and month swapped, a year out, a digit mistyped. A missing date is
//! neutral; a date that conflicts counts against.

use chrono::{Datelike, NaiveDate};

/// What was typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DobQuery {
    Full(NaiveDate),
    YearMonth(i32, u32),
    Year(i32),
}

impl DobQuery {
    /// `1987-09-03`; the day first as British officers write it, with `/`,
    /// `-` or `.` (`3/9/1987`, `03-09-1987`, `03.09.87`); `09/1987`,
    /// `1987-09` or `1987`. A two-digit year is the latest such year not
    /// after `this_year`: a date of birth is never in the future.
    pub fn parse_in(raw: &str, this_year: i32) -> Option<Self> {
        let raw = raw.trim();
        if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            return Some(Self::Full(d));
        }
        let day_first: Vec<&str> = raw.split(['/', '-', '.']).collect();
        let number = |s: &str, digits: std::ops::RangeInclusive<usize>| {
            (digits.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        let year = |s: &str| match s.len() {
            4 => number(s, 4..=4).map(|y| y as i32),
            2 => number(s, 2..=2).map(|yy| {
                let century = this_year - this_year.rem_euclid(100);
                let y = century + yy as i32;
                if y > this_year { y - 100 } else { y }
            }),
            _ => None,
        };
        match day_first.as_slice() {
            [d, m, y] if d.len() <= 2 => {
                let (d, m, y) = (number(d, 1..=2)?, number(m, 1..=2)?, year(y)?);
                return NaiveDate::from_ymd_opt(y, m, d).map(Self::Full);
            }
            [m, y] if m.len() <= 2 && y.len() == 4 && !raw.contains('.') => {
                let (m, y) = (number(m, 1..=2)?, year(y)?);
                return (1..=12).contains(&m).then_some(Self::YearMonth(y, m));
            }
            _ => {}
        }
        let parts: Vec<&str> = raw.split('-').collect();
        let year = parts
            .first()?
            .parse::<i32>()
            .ok()
            .filter(|y| (1850..=2100).contains(y))?;
        match parts.as_slice() {
            [_] if raw.len() == 4 => Some(Self::Year(year)),
            [_, m] => m
                .parse::<u32>()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .map(|m| Self::YearMonth(year, m)),
            _ => None,
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::parse_in(raw, chrono::Utc::now().year())
    }
}

/// How a recorded date of birth compares, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DobMatch {
    Exact,
    YearAndMonth,
    DayMonthSwapped,
    OneYearOut,
    OneDigit,
    YearOnly,
    Missing,
    Conflicting,
}

impl DobMatch {
    /// Points towards the combined score.
    pub const fn points(self) -> f32 {
        match self {
            DobMatch::Exact => 30.0,
            DobMatch::YearAndMonth => 20.0,
            DobMatch::DayMonthSwapped | DobMatch::OneYearOut => 18.0,
            DobMatch::OneDigit => 16.0,
            DobMatch::YearOnly => 12.0,
            DobMatch::Missing => 0.0,
            DobMatch::Conflicting => -5.0,
        }
    }

    /// What the officer is told, or nothing when it adds nothing.
    pub const fn reason(self) -> Option<&'static str> {
        match self {
            DobMatch::Exact => Some("date of birth exact"),
            DobMatch::YearAndMonth => Some("date of birth year and month"),
            DobMatch::DayMonthSwapped => Some("date of birth day/month swapped"),
            DobMatch::OneYearOut => Some("date of birth one year out"),
            DobMatch::OneDigit => Some("date of birth one digit different"),
            DobMatch::YearOnly => Some("year of birth"),
            DobMatch::Missing => None,
            DobMatch::Conflicting => Some("date of birth differs"),
        }
    }
}

fn one_digit_apart(a: NaiveDate, b: NaiveDate) -> bool {
    let (x, y) = (
        a.format("%Y%m%d").to_string(),
        b.format("%Y%m%d").to_string(),
    );
    x.chars().zip(y.chars()).filter(|(p, q)| p != q).count() == 1
}

fn compare_one(q: DobQuery, d: NaiveDate) -> DobMatch {
    match q {
        DobQuery::Full(q) if q == d => DobMatch::Exact,
        DobQuery::Full(q)
            if q.year() == d.year() && q.month() == d.day() && q.day() == d.month() =>
        {
            DobMatch::DayMonthSwapped
        }
        DobQuery::Full(q)
            if (q.year() - d.year()).abs() == 1 && q.month() == d.month() && q.day() == d.day() =>
        {
            DobMatch::OneYearOut
        }
        DobQuery::Full(q) if one_digit_apart(q, d) => DobMatch::OneDigit,
        DobQuery::Full(_) => DobMatch::Conflicting,
        DobQuery::YearMonth(y, m) if y == d.year() && m == d.month() => DobMatch::YearAndMonth,
        DobQuery::YearMonth(y, _) | DobQuery::Year(y) if y == d.year() => DobMatch::YearOnly,
        DobQuery::YearMonth(..) | DobQuery::Year(_) => DobMatch::Conflicting,
    }
}

/// The best comparison over a person's dates of birth (the recorded one
/// and any others they have given).
pub fn compare(query: Option<DobQuery>, recorded: &[NaiveDate]) -> DobMatch {
    match query {
        None => DobMatch::Missing,
        Some(_) if recorded.is_empty() => DobMatch::Missing,
        Some(q) => recorded
            .iter()
            .map(|d| compare_one(q, *d))
            .min()
            .unwrap_or(DobMatch::Missing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_are_read_as_officers_write_them() {
        let full = |s: &str| DobQuery::parse_in(s, 2026);
        for typed in [
            "1984-03-07",
            "07/03/1984",
            "7/3/1984",
            "07-03-1984",
            "07.03.1984",
            "07/03/84",
            "7.3.84",
        ] {
            assert_eq!(
                full(typed),
                Some(DobQuery::Full(d("1984-03-07"))),
                "{typed}"
            );
        }
        // Two digits name the latest such year that is not in the future.
        assert_eq!(full("01/02/26"), Some(DobQuery::Full(d("2026-02-01"))));
        assert_eq!(full("01/02/27"), Some(DobQuery::Full(d("1927-02-01"))));
        assert_eq!(full("03/1984"), Some(DobQuery::YearMonth(1984, 3)));
        assert_eq!(full("1984-03"), Some(DobQuery::YearMonth(1984, 3)));
        assert_eq!(full("1984"), Some(DobQuery::Year(1984)));
        for nonsense in [
            "31/02/1984",
            "13/1984",
            "1/2/3",
            "07/03/984",
            "12345",
            "3.1984",
        ] {
            assert_eq!(full(nonsense), None, "{nonsense}");
        }
    }

    #[test]
    fn each_kind_of_near_miss_is_named_and_ranked() {
        let q = DobQuery::parse("1980-02-01");
        assert_eq!(compare(q, &[d("1980-02-01")]), DobMatch::Exact);
        assert_eq!(compare(q, &[d("1980-01-02")]), DobMatch::DayMonthSwapped);
        assert_eq!(compare(q, &[d("1981-02-01")]), DobMatch::OneYearOut);
        assert_eq!(compare(q, &[d("1980-02-07")]), DobMatch::OneDigit);
        assert_eq!(compare(q, &[d("1975-06-30")]), DobMatch::Conflicting);
        assert_eq!(compare(q, &[]), DobMatch::Missing);
        assert_eq!(
            compare(DobQuery::parse("1980"), &[d("1980-06-30")]),
            DobMatch::YearOnly
        );
        assert_eq!(
            compare(DobQuery::parse("1980-06"), &[d("1980-06-30")]),
            DobMatch::YearAndMonth
        );
        // Another date the person has given counts as theirs.
        assert_eq!(
            compare(q, &[d("1975-06-30"), d("1980-02-01")]),
            DobMatch::Exact
        );
        assert!(DobMatch::Exact.points() > DobMatch::DayMonthSwapped.points());
        assert!(DobMatch::OneYearOut.points() > DobMatch::YearOnly.points());
        assert!(DobMatch::YearOnly.points() > DobMatch::Missing.points());
        assert!(DobMatch::Missing.points() > DobMatch::Conflicting.points());
    }

    #[test]
    fn dates_in_the_usual_forms_and_nonsense_are_told_apart() {
        assert_eq!(
            DobQuery::parse("03/09/1987"),
            Some(DobQuery::Full(d("1987-09-03")))
        );
        assert_eq!(DobQuery::parse("1987"), Some(DobQuery::Year(1987)));
        assert_eq!(DobQuery::parse("1987-13"), None);
        assert_eq!(DobQuery::parse("yesterday"), None);
    }
}
