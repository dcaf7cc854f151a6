//! What the index holds for each person and record, built from PostgreSQL
//! as it is now. Only people and records in ordinary processing are indexed:
//! a restricted (s.47(2)), merged or erased one has no document at all, so no engine
//! can leak them, whatever the query. A merged duplicate's names, dates of
//! birth and addresses live on in the document of the person it was merged
//! into, so the spelling that was on the duplicate still finds them.

use super::keys;
use super::matching::Candidate;
use super::matching::names::tokens;
use crate::db::schema::{people, records};
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use shared::people::PersonDetails;
use std::collections::BTreeSet;
use uuid::Uuid;

/// A person as the matcher needs them, stored with their document so
/// candidates are ranked without another round trip to the database.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonCard {
    pub id: Uuid,
    pub forenames: String,
    pub surname: String,
    /// Other names, as (forenames, surname).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates_of_birth: Vec<NaiveDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub postcodes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
}

impl PersonCard {
    /// Takes in a duplicate merged into this person.
    fn absorb(&mut self, duplicate: PersonCard) {
        let mut names = vec![(duplicate.forenames, duplicate.surname)];
        names.extend(duplicate.aliases);
        for name in names {
            let own = name.0 == self.forenames && name.1 == self.surname;
            if !own && !self.aliases.contains(&name) {
                self.aliases.push(name);
            }
        }
        for date in duplicate.dates_of_birth {
            if !self.dates_of_birth.contains(&date) {
                self.dates_of_birth.push(date);
            }
        }
        // Appended: the card shows the person's own latest address first.
        self.postcodes.extend(duplicate.postcodes);
        self.addresses.extend(duplicate.addresses);
    }

    pub fn candidate(&self) -> Candidate {
        let mut c = Candidate::new(&self.forenames, &self.surname, self.dates_of_birth.clone());
        for (f, s) in &self.aliases {
            c = c.with_alias(f, s);
        }
        c
    }

    /// Everything the person can be found by.
    pub fn keys(&self) -> Vec<String> {
        let mut out = BTreeSet::new();
        let names = std::iter::once((&self.forenames, &self.surname))
            .chain(self.aliases.iter().map(|(f, s)| (f, s)));
        for (forenames, surname) in names {
            let surname = tokens(surname);
            if surname.len() > 1 {
                keys::name_token(&surname.concat(), &mut out);
            }
            for t in tokens(forenames).iter().chain(&surname) {
                keys::name_token(t, &mut out);
            }
        }
        for d in &self.dates_of_birth {
            keys::date_of_birth(*d, &mut out);
        }
        for p in &self.postcodes {
            keys::postcode(p, &mut out);
        }
        for a in &self.addresses {
            keys::place_words(a, &mut out);
        }
        out.into_iter().collect()
    }
}

/// An object, location or event as found by free text, mark or postcode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordCard {
    pub id: Uuid,
    pub family: String,
    pub kind: String,
    pub reference: Option<String>,
    pub summary: String,
    pub handling_code: Option<String>,
    /// Registration mark or postcode, normalised (upper case, no spaces).
    pub lookup_key: Option<String>,
    /// The words of the record (summary and every text in its details).
    #[serde(skip)]
    pub text: String,
}

impl RecordCard {
    /// Suffixes of the lookup key, so any part of a registration mark or
    /// postcode is found by prefix: "AB12" and "12CDE" both find "AB12CDE".
    pub fn lookup_suffixes(&self) -> Vec<String> {
        let Some(key) = &self.lookup_key else {
            return Vec::new();
        };
        let key = key.to_lowercase();
        key.char_indices()
            .map(|(i, _)| key[i..].to_owned())
            .collect()
    }
}

/// The latest state of something the outbox named.
pub enum Document {
    Person(PersonCard),
    Record(RecordCard),
}

/// A change for an engine to apply: a document to (re)write, or an id
/// whose document must go.
pub enum Change {
    Upsert(Document),
    /// A document known not to be in the index yet (a rebuild after
    /// clearing it): nothing older needs removing first.
    Add(Document),
    DeletePerson(Uuid),
    DeleteRecord(Uuid),
}

type PersonRow = (
    Uuid,
    String,
    Option<String>,
    Option<NaiveDate>,
    serde_json::Value,
);

fn person_card(row: PersonRow) -> PersonCard {
    let (id, surname, forenames, dob, details) = row;
    let details: PersonDetails = serde_json::from_value(details).unwrap_or_default();
    let mut dates: Vec<NaiveDate> = dob.into_iter().collect();
    dates.extend(
        details
            .alternative_dates_of_birth
            .iter()
            .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
    );
    // Most recent address first: the one a hit card shows.
    let mut addresses = details.addresses;
    addresses.sort_by(|a, b| b.from.cmp(&a.from));
    PersonCard {
        id,
        forenames: forenames.unwrap_or_default(),
        surname,
        aliases: details
            .aliases
            .into_iter()
            .map(|a| (a.forenames, a.surname))
            .collect(),
        dates_of_birth: dates,
        postcodes: addresses
            .iter()
            .map(|a| a.postcode.clone())
            .filter(|p| !p.is_empty())
            .collect(),
        addresses: addresses.into_iter().map(|a| a.address).collect(),
    }
}

fn person_columns() -> (
    people::id,
    people::surname,
    people::forenames,
    people::date_of_birth,
    people::details,
) {
    (
        people::id,
        people::surname,
        people::forenames,
        people::date_of_birth,
        people::details,
    )
}

/// The people among `ids` that belong in the index, as they are now.
pub async fn people_now(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<PersonCard>> {
    let rows: Vec<PersonRow> = people::table
        .filter(people::id.eq_any(ids))
        .filter(people::restricted_at.is_null())
        .filter(people::merged_into.is_null())
        .select(person_columns())
        .load(conn)
        .await?;
    let mut cards: Vec<PersonCard> = rows.into_iter().map(person_card).collect();
    with_merged(conn, &mut cards).await?;
    Ok(cards)
}

/// Adds to each card what was recorded on the duplicates merged into it:
/// their names as other names, their dates of birth and their addresses.
async fn with_merged(conn: &mut AsyncPgConnection, cards: &mut [PersonCard]) -> QueryResult<()> {
    let ids: Vec<Uuid> = cards.iter().map(|c| c.id).collect();
    let merged: Vec<(Option<Uuid>, PersonRow)> = people::table
        .filter(people::merged_into.eq_any(&ids))
        .filter(people::restricted_at.is_null())
        .select((people::merged_into, person_columns()))
        .load(conn)
        .await?;
    if merged.is_empty() {
        return Ok(());
    }
    let at: std::collections::HashMap<Uuid, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    for (into, row) in merged {
        let Some(card) = into.and_then(|id| at.get(&id)).map(|&i| &mut cards[i]) else {
            continue;
        };
        card.absorb(person_card(row));
    }
    Ok(())
}

#[derive(QueryableByName)]
struct PersonByPage {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    surname: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    forenames: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
    date_of_birth: Option<NaiveDate>,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    details: serde_json::Value,
}

#[derive(QueryableByName)]
struct Pages {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pages: i64,
}

/// How many 8 KiB pages the people table has now.
pub async fn people_pages(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    let p: Pages = diesel::sql_query(
        "SELECT pg_relation_size('people') / current_setting('block_size')::bigint AS pages",
    )
    .get_result(conn)
    .await?;
    Ok(p.pages)
}

/// Every indexable person stored in table pages `from..to`, read in the
/// order they lie on disk: a rebuild reads the table once, sequentially,
/// instead of jumping about it in id order. A row changed during the
/// rebuild may be read twice or not at all; its outbox row puts it right.
pub async fn people_in_pages(
    conn: &mut AsyncPgConnection,
    from: i64,
    to: i64,
) -> QueryResult<Vec<PersonCard>> {
    let rows: Vec<PersonByPage> = diesel::sql_query(
        "SELECT id, surname, forenames, date_of_birth, details FROM people \
         WHERE ctid >= format('(%s,0)', $1::bigint)::tid AND ctid < format('(%s,0)', $2::bigint)::tid \
         AND restricted_at IS NULL AND merged_into IS NULL",
    )
    .bind::<diesel::sql_types::BigInt, _>(from)
    .bind::<diesel::sql_types::BigInt, _>(to)
    .load(conn)
    .await?;
    let mut cards: Vec<PersonCard> = rows
        .into_iter()
        .map(|r| person_card((r.id, r.surname, r.forenames, r.date_of_birth, r.details)))
        .collect();
    with_merged(conn, &mut cards).await?;
    Ok(cards)
}

type RecordRow = (
    Uuid,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    serde_json::Value,
);

/// Every string in a record's details: what free text can find.
fn texts(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::String(s) => {
            out.push(' ');
            out.push_str(s);
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| texts(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| texts(v, out)),
        _ => {}
    }
}

fn record_card(row: RecordRow) -> RecordCard {
    let (id, family, kind, reference, summary, handling_code, lookup_key, details) = row;
    let mut text = summary.clone();
    if let Some(r) = &reference {
        text.push(' ');
        text.push_str(r);
    }
    texts(&details, &mut text);
    RecordCard {
        id,
        family,
        kind,
        reference,
        summary,
        handling_code,
        lookup_key,
        text,
    }
}

fn record_columns() -> (
    records::id,
    records::family,
    records::kind,
    records::reference,
    records::summary,
    records::handling_code,
    records::lookup_key,
    records::details,
) {
    (
        records::id,
        records::family,
        records::kind,
        records::reference,
        records::summary,
        records::handling_code,
        records::lookup_key,
        records::details,
    )
}

pub async fn records_now(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<RecordCard>> {
    // A restricted record (s.47(2)) has no document, like a restricted person.
    let rows: Vec<RecordRow> = records::table
        .filter(records::id.eq_any(ids))
        .filter(records::restricted_at.is_null())
        .select(record_columns())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(record_card).collect())
}

pub async fn records_after(
    conn: &mut AsyncPgConnection,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<RecordCard>> {
    let mut q = records::table
        .filter(records::restricted_at.is_null())
        .select(record_columns())
        .order(records::id)
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(records::id.gt(after));
    }
    let rows: Vec<RecordRow> = q.load(conn).await?;
    Ok(rows.into_iter().map(record_card).collect())
}
