//! What is known about a person beyond their name: aliases, other dates of
//! birth, ethnicity, national identifiers, warning markers and addresses
//! over time. All first-class (REQUIREMENTS §8), all optional.

use super::{Forenames, Surname, parse_date_of_birth};
use crate::code_list;
use crate::codes_police::{LegacyEthnicity, ObservedEthnicity, SelfDefinedEthnicity};
use crate::rules::Checker;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Another name the person uses or has given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Alias {
    pub surname: String,
    #[serde(default)]
    pub forenames: String,
}

code_list!(
    /// PNC warning markers: what an officer must know before approaching.
    MarkerKind {
        Violent = ("violent", "Violent"),
        Weapons = ("weapons", "Weapons"),
        Firearms = ("firearms", "Firearms"),
        SelfHarm = ("self_harm", "Self-harm"),
        Suicidal = ("suicidal", "Suicidal"),
        MentalHealth = ("mental_health", "Mental health"),
        Drugs = ("drugs", "Drugs"),
        Escaper = ("escaper", "Escaper"),
        Ailment = ("ailment", "Ailment"),
        Contagious = ("contagious", "Contagious"),
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WarningMarker {
    pub kind: MarkerKind,
    /// `YYYY-MM-DD`: when the marker must be reviewed (s.39 periodic review).
    pub review_date: String,
    #[serde(default)]
    pub note: String,
}

/// An address the person lived at, from and (once they moved) to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddressHistory {
    pub address: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// The details beyond name, date of birth and gender.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PersonDetails {
    pub aliases: Vec<Alias>,
    /// Other dates of birth given, `YYYY-MM-DD` each.
    pub alternative_dates_of_birth: Vec<String>,
    /// A 2011 census code (`W1`), or a 2001 code kept from a legacy system
    /// (`2001:O1`).
    pub self_defined_ethnicity: String,
    /// A PNC identity code (`IC1`).
    pub observed_ethnicity: String,
    /// Police National Computer id, `YYYY/NNNNNNNL`.
    pub pnc_id: String,
    /// Criminal Records Office number, `NNNNNN/YYL`.
    pub cro_number: String,
    pub warning_markers: Vec<WarningMarker>,
    pub addresses: Vec<AddressHistory>,
}

pub const MAX_ALIASES: usize = 20;
pub const MAX_LIST: usize = 20;

/// The check letters of PNC ids and CRO numbers, indexed by a mod-23 remainder.
const CHECK_LETTERS: &[u8; 23] = b"ZABCDEFGHJKLMNPQRTUVWXY";

fn check_letter(year: u32, serial: u32) -> char {
    let n = u64::from(year % 100) * 10_000_000 + u64::from(serial);
    CHECK_LETTERS[(n % 23) as usize] as char
}

/// Normalises a PNC id to `YYYY/NNNNNNNL` and verifies its check letter.
pub fn parse_pnc_id(raw: &str) -> Result<String, &'static str> {
    let raw = raw.trim().to_uppercase();
    if !raw.is_ascii() {
        return Err("format");
    }
    let (year, rest) = raw.split_once('/').ok_or("format")?;
    let letter = rest.chars().last().ok_or("format")?;
    let serial = &rest[..rest.len() - letter.len_utf8()];
    let year_ok = year.len() == 2 || year.len() == 4;
    if !year_ok
        || !year.chars().all(|c| c.is_ascii_digit())
        || serial.is_empty()
        || serial.len() > 7
        || !serial.chars().all(|c| c.is_ascii_digit())
    {
        return Err("format");
    }
    let year_n: u32 = year.parse().map_err(|_| "format")?;
    let serial_n: u32 = serial.parse().map_err(|_| "format")?;
    if check_letter(year_n, serial_n) != letter {
        return Err("check");
    }
    let full_year = if year.len() == 4 {
        year_n
    } else if year_n > 50 {
        1900 + year_n
    } else {
        2000 + year_n
    };
    Ok(format!("{full_year}/{serial_n:07}{letter}"))
}

/// Normalises a CRO number to `NNNNNN/YYL` and verifies its check letter.
pub fn parse_cro_number(raw: &str) -> Result<String, &'static str> {
    let raw = raw.trim().to_uppercase();
    // Byte positions below are only safe on ASCII.
    if !raw.is_ascii() {
        return Err("format");
    }
    let (serial, rest) = raw.split_once('/').ok_or("format")?;
    if rest.len() != 3 || serial.is_empty() || serial.len() > 6 {
        return Err("format");
    }
    let (year, letter) = rest.split_at(2);
    if !serial.chars().all(|c| c.is_ascii_digit()) || !year.chars().all(|c| c.is_ascii_digit()) {
        return Err("format");
    }
    let year_n: u32 = year.parse().map_err(|_| "format")?;
    let serial_n: u32 = serial.parse().map_err(|_| "format")?;
    let letter = letter.chars().next().ok_or("format")?;
    if check_letter(year_n, serial_n) != letter {
        return Err("check");
    }
    Ok(format!("{serial_n:06}/{year}{letter}"))
}

/// A PNC id with a correct check letter, for demo data and tests.
pub fn make_pnc_id(year: u32, serial: u32) -> String {
    format!("{year}/{serial:07}{}", check_letter(year, serial))
}

/// A UK postcode, normalised to upper case with one space (`LS1 4AP`).
pub fn parse_postcode(raw: &str) -> Option<String> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let n = compact.len();
    if !(5..=7).contains(&n) || !compact.is_ascii() {
        return None;
    }
    let (outward, inward) = compact.split_at(n - 3);
    let inward_ok = {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
    };
    let outward_ok = outward.as_bytes()[0].is_ascii_alphabetic()
        && outward.chars().all(|c| c.is_ascii_alphanumeric())
        && outward.chars().any(|c| c.is_ascii_digit());
    (inward_ok && outward_ok).then(|| format!("{outward} {inward}"))
}

impl PersonDetails {
    /// Checks and tidies every detail, adding errors to `c`.
    pub fn clean(&self, today: NaiveDate, c: &mut Checker) -> PersonDetails {
        let mut out = PersonDetails::default();
        if self.aliases.len() > MAX_ALIASES {
            c.fail(
                "aliases",
                "too_many",
                format!("At most {MAX_ALIASES} aliases"),
            );
        }
        for (i, a) in self.aliases.iter().enumerate() {
            let surname = Surname::parse(&a.surname);
            let forenames = Forenames::parse(&a.forenames);
            match (surname, forenames) {
                (Ok(s), Ok(f)) => out.aliases.push(Alias {
                    surname: s.as_str().to_owned(),
                    forenames: f.map(|f| f.as_str().to_owned()).unwrap_or_default(),
                }),
                (s, f) => {
                    for e in [s.err(), f.err()].into_iter().flatten() {
                        c.fail(&format!("aliases[{i}].{}", e.field), &e.code, e.message);
                    }
                }
            }
        }
        for (i, d) in self.alternative_dates_of_birth.iter().enumerate() {
            match parse_date_of_birth(d, today) {
                Ok(Some(d)) => out.alternative_dates_of_birth.push(d.to_string()),
                Ok(None) => {}
                Err(e) => c.fail(
                    &format!("alternative_dates_of_birth[{i}]"),
                    &e.code,
                    e.message,
                ),
            }
        }
        let sde = self.self_defined_ethnicity.trim();
        if !sde.is_empty()
            && SelfDefinedEthnicity::parse(sde).is_none()
            && LegacyEthnicity::parse(sde).is_none()
        {
            c.fail(
                "self_defined_ethnicity",
                "unknown_code",
                "Choose a listed ethnicity",
            );
        }
        out.self_defined_ethnicity = sde.to_owned();
        let observed = self.observed_ethnicity.trim();
        if !observed.is_empty() && ObservedEthnicity::parse(observed).is_none() {
            c.fail("observed_ethnicity", "unknown_code", "Choose an IC code");
        }
        out.observed_ethnicity = observed.to_owned();
        if !self.pnc_id.trim().is_empty() {
            match parse_pnc_id(&self.pnc_id) {
                Ok(p) => out.pnc_id = p,
                Err("check") => c.fail(
                    "pnc_id",
                    "check_letter",
                    "The check letter does not match: re-read the PNC id",
                ),
                Err(_) => c.fail("pnc_id", "format", "Enter a PNC id as YYYY/NNNNNNNL"),
            }
        }
        if !self.cro_number.trim().is_empty() {
            match parse_cro_number(&self.cro_number) {
                Ok(p) => out.cro_number = p,
                Err("check") => c.fail(
                    "cro_number",
                    "check_letter",
                    "The check letter does not match: re-read the CRO number",
                ),
                Err(_) => c.fail("cro_number", "format", "Enter a CRO number as NNNNNN/YYL"),
            }
        }
        if self.warning_markers.len() > MAX_LIST {
            c.fail(
                "warning_markers",
                "too_many",
                format!("At most {MAX_LIST} markers"),
            );
        }
        for (i, m) in self.warning_markers.iter().enumerate() {
            let path = format!("warning_markers[{i}]");
            let (review_date, _) = c.date(&format!("{path}.review_date"), &m.review_date, true);
            let note = c.text(&format!("{path}.note"), &m.note, 0, 500, "a note");
            out.warning_markers.push(WarningMarker {
                kind: m.kind,
                review_date,
                note,
            });
        }
        if self.addresses.len() > MAX_LIST {
            c.fail(
                "addresses",
                "too_many",
                format!("At most {MAX_LIST} addresses"),
            );
        }
        for (i, a) in self.addresses.iter().enumerate() {
            let path = format!("addresses[{i}]");
            let address = c.text(
                &format!("{path}.address"),
                &a.address,
                3,
                300,
                "the address",
            );
            let postcode = if a.postcode.trim().is_empty() {
                String::new()
            } else {
                parse_postcode(&a.postcode).unwrap_or_else(|| {
                    c.fail(
                        &format!("{path}.postcode"),
                        "format",
                        "Enter a UK postcode such as LS1 4AP",
                    );
                    a.postcode.clone()
                })
            };
            let (from, from_d) = c.date(&format!("{path}.from"), &a.from, false);
            let (to, to_d) = c.date(&format!("{path}.to"), &a.to, false);
            if let (Some(f), Some(t)) = (from_d, to_d)
                && t < f
            {
                c.fail(
                    &format!("{path}.to"),
                    "before_from",
                    "The end is before the start",
                );
            }
            out.addresses.push(AddressHistory {
                address,
                postcode,
                from,
                to,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pnc_ids_are_normalised_and_their_check_letter_verified() {
        let good = make_pnc_id(2019, 123_456);
        assert_eq!(parse_pnc_id(&good), Ok(good.clone()));
        let short = format!("19/123456{}", good.chars().last().unwrap());
        assert_eq!(parse_pnc_id(&short), Ok(good.clone()));
        let wrong = if good.ends_with('A') {
            "2019/0123456B"
        } else {
            "2019/0123456A"
        };
        assert_eq!(parse_pnc_id(wrong), Err("check"));
        assert_eq!(parse_pnc_id("not a pnc"), Err("format"));
        assert_eq!(parse_cro_number("123456/1é"), Err("format"));
        assert_eq!(parse_pnc_id("19/12é"), Err("format"));
    }

    #[test]
    fn postcodes_are_tidied_and_nonsense_refused() {
        assert_eq!(parse_postcode("ls14ap").as_deref(), Some("LS1 4AP"));
        assert_eq!(parse_postcode("SW1A 1AA").as_deref(), Some("SW1A 1AA"));
        assert_eq!(parse_postcode("12345"), None);
        assert_eq!(parse_postcode("LS1"), None);
    }

    #[test]
    fn legacy_2001_ethnicity_codes_are_kept_as_recorded() {
        let mut c = Checker::default();
        let d = PersonDetails {
            self_defined_ethnicity: "2001:O1".into(),
            ..Default::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(d.clean(today, &mut c).self_defined_ethnicity, "2001:O1");
        assert!(c.errors.is_empty());
    }
}
