//! From candidates to what the officer sees: ranked by the matcher, cut to
//! the strong ones, then confirmed against PostgreSQL in the audited
//! transaction. The index may lag the database by a moment: a person erased
//! or restricted a millisecond ago is dropped here, and every value shown is
//! read from the database, not from the index.

use super::documents::{PersonCard, RecordCard};
use super::matching::names::tokens;
use super::matching::{Match, keep_strong, score};
use super::query::PersonQuery;
use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::{people, records};
use crate::error::ApiError;
use crate::records::visibility;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::ids::PersonId;
use shared::people::PersonDetails;
use shared::permissions::Permission;
use shared::search::{PersonHit, PersonResults, RecordHit, RecordResults};
use std::collections::HashMap;
use uuid::Uuid;

/// Whether the place typed is one the person is recorded at.
fn place(query: &PersonQuery, card: &PersonCard) -> Option<&'static str> {
    let squash = |p: &str| -> String {
        p.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    if let Some(pc) = &query.postcode {
        let pc = squash(pc);
        let lived = card.postcodes.iter().map(|p| squash(p));
        for p in lived {
            if p == pc {
                return Some("postcode matches");
            }
            if pc.len() < 5 && p.len() > 3 && p[..p.len() - 3] == pc {
                return Some("postcode district matches");
            }
        }
    }
    if let Some(town) = &query.town {
        let words = tokens(town);
        let lived = card.addresses.iter().any(|a| {
            let have = tokens(a);
            words.iter().all(|w| have.contains(w))
        });
        if lived {
            return Some("address matches");
        }
    }
    None
}

/// Ranks candidates: names and date of birth by the matcher, the place as
/// a bonus when typed with a name, or alone when only a place was typed.
pub fn rank(query: &PersonQuery, cards: Vec<PersonCard>) -> Vec<(Uuid, Match)> {
    let placed = query.postcode.is_some() || query.town.is_some();
    let mut scored: Vec<(Uuid, Match, bool)> = cards
        .into_iter()
        .filter_map(|card| {
            let at = if placed { place(query, &card) } else { None };
            let found = if query.has_names() {
                let mut m = score(&query.names, &card.candidate())?;
                if let Some(reason) = at {
                    m.score = (m.score + 0.1).min(1.0);
                    m.reasons.push(reason.to_owned());
                }
                m
            } else {
                Match {
                    score: 1.0,
                    reasons: vec![at?.to_owned()],
                }
            };
            Some((card.id, found, at.is_some()))
        })
        .collect();
    // A perfect match on name and date is already 1.0, so the place's bonus
    // cannot show in its score: among equal scores, whoever lived at the
    // place named comes first, whatever order the engine found them in.
    // (keep_strong's sort by score is stable.)
    scored.sort_by_key(|(_, _, lived_there)| !lived_there);
    keep_strong(scored.into_iter().map(|(id, m, _)| (id, m)).collect())
}

type HitRow = (
    Uuid,
    String,
    Option<String>,
    Option<NaiveDate>,
    serde_json::Value,
);

/// The hits as the database has them now, with one consultation event
/// listing every person shown.
pub async fn people(
    tx: &mut Tx,
    ranked: Vec<(Uuid, Match)>,
    total: usize,
) -> Result<Audited<PersonResults>, ApiError> {
    let ids: Vec<Uuid> = ranked.iter().map(|(id, _)| *id).collect();
    let mut q = people::table
        .filter(people::id.eq_any(&ids))
        .filter(people::merged_into.is_null())
        .select((
            people::id,
            people::surname,
            people::forenames,
            people::date_of_birth,
            people::details,
        ))
        .into_boxed();
    if !tx.ctx().can(Permission::PersonRestrict) {
        q = q.filter(people::restricted_at.is_null());
    }
    let rows: Vec<HitRow> = q.load(tx.conn()?).await?;
    let mut by_id: HashMap<Uuid, HitRow> = rows.into_iter().map(|r| (r.0, r)).collect();
    let dropped = ranked.len() - by_id.len();
    let hits: Vec<PersonHit> = ranked
        .into_iter()
        .filter_map(|(id, m)| {
            let (id, surname, forenames, date_of_birth, details) = by_id.remove(&id)?;
            let details: PersonDetails = serde_json::from_value(details).unwrap_or_default();
            let postcode = details
                .addresses
                .iter()
                .max_by(|a, b| a.from.cmp(&b.from))
                .map(|a| a.postcode.clone())
                .filter(|p| !p.is_empty());
            Some(PersonHit {
                id: PersonId(id),
                score: (m.score * 1000.0).round() / 1000.0,
                reasons: m.reasons,
                surname,
                forenames,
                date_of_birth,
                warning_markers: details.warning_markers.iter().map(|w| w.kind).collect(),
                postcode,
            })
        })
        .collect();
    let shown = hits
        .iter()
        .map(|h| RecordRef::new("person", h.id.0))
        .collect();
    let event = AuditEvent::new(Operation::Consultation, "person.search", shown);
    let total = u32::try_from(total.saturating_sub(dropped)).unwrap_or(u32::MAX);
    Ok(Audited::new(PersonResults { hits, total }, event))
}

type RecordRow = (Uuid, String, String, Option<String>, String, Option<String>);

/// Record hits as the database has them now, trimmed again by handling
/// code (it may have changed since the index last heard), audited.
pub async fn records(
    tx: &mut Tx,
    found: Vec<(RecordCard, f32)>,
    total: u32,
) -> Result<Audited<RecordResults>, ApiError> {
    let ids: Vec<Uuid> = found.iter().map(|(c, _)| c.id).collect();
    let rows: Vec<RecordRow> = records::table
        .filter(records::id.eq_any(&ids))
        .filter(visibility::visible(tx.ctx()))
        .select((
            records::id,
            records::family,
            records::kind,
            records::reference,
            records::summary,
            records::handling_code,
        ))
        .load(tx.conn()?)
        .await?;
    let mut by_id: HashMap<Uuid, RecordRow> = rows.into_iter().map(|r| (r.0, r)).collect();
    let dropped = found.len() - by_id.len();
    let hits: Vec<RecordHit> = found
        .into_iter()
        .filter_map(|(card, score)| {
            let (id, family, kind, reference, summary, handling_code) = by_id.remove(&card.id)?;
            Some(RecordHit {
                id,
                family,
                kind,
                reference,
                summary,
                handling_code,
                score,
            })
        })
        .collect();
    let shown = hits
        .iter()
        .map(|h| RecordRef::new(&h.family, h.id))
        .collect();
    let event = AuditEvent::new(Operation::Consultation, "record.search", shown);
    let total = total.saturating_sub(u32::try_from(dropped).unwrap_or(0));
    Ok(Audited::new(RecordResults { hits, total }, event))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::Typed;

    fn namesake(town: &str, postcode: &str) -> PersonCard {
        PersonCard {
            id: Uuid::new_v4(),
            forenames: "Callum".into(),
            surname: "Fairbairn".into(),
            aliases: Vec::new(),
            dates_of_birth: vec![NaiveDate::from_ymd_opt(1985, 2, 2).unwrap()],
            postcodes: vec![postcode.into()],
            addresses: vec![format!("3 High Street, {town}")],
        }
    }

    #[test]
    fn among_equal_matches_whoever_lived_at_the_place_named_comes_first_in_any_engine_order() {
        let york = namesake("York", "YO1 6JH");
        let leeds = namesake("Leeds", "LS2 7EQ");
        for (town, postcode, want) in [
            (Some("Leeds"), None, leeds.id),
            (None, Some("LS2 7EQ"), leeds.id),
            (Some("York"), None, york.id),
        ] {
            // Both orders, as different engines may hand them over.
            for cards in [
                vec![york.clone(), leeds.clone()],
                vec![leeds.clone(), york.clone()],
            ] {
                let query = PersonQuery::read(&Typed {
                    q: Some("callum fairbairn 02/02/1985"),
                    town,
                    postcode,
                    ..Typed::default()
                })
                .unwrap();
                let ranked = rank(&query, cards);
                assert_eq!(ranked.len(), 2, "both are strong matches");
                assert_eq!(ranked[0].1.score, ranked[1].1.score, "a perfect match each");
                assert_eq!(ranked[0].0, want, "{town:?} {postcode:?}");
            }
        }
    }
}
