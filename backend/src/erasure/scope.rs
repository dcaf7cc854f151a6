//! Which records an erasure takes, which it keeps without the person, and
//! which a legal hold keeps restricted: worked out from the links alone.
//!
//! - An event goes when no one else living is linked to it.
//! - An object or location goes when everything it is linked to goes.
//! - Anything else linked to the person stays, without the link.
//! - An item under a legal hold stays, restricted, with what it is linked
//!   to that would have gone (the hold keeps the evidence whole).

use crate::db::schema::{legal_holds, links, people, records};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use shared::links::{RecordKey, RecordType};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use uuid::Uuid;

/// One record as the plan names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub key: RecordKey,
    pub kind: String,
    pub reference: Option<String>,
}

/// A hold in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hold {
    pub id: Uuid,
    pub record: Uuid,
    pub reason: String,
    pub review_on: chrono::NaiveDate,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// The person and every duplicate merged into them.
    pub people: Vec<Uuid>,
    /// People kept, restricted, because a held record names them.
    pub people_held: Vec<(Uuid, Hold)>,
    pub delete: Vec<Item>,
    /// Kept, linked to the person: they lose the link.
    pub shared: Vec<Item>,
    /// Kept under a hold (theirs or a neighbour's), restricted.
    pub held: Vec<(Item, Hold)>,
    /// For each kept record about the person, the names of the other
    /// people linked to it, whose name parts stay.
    pub others_in: HashMap<Uuid, Vec<String>>,
}

impl Scope {
    /// Every record id whose rows go.
    pub fn deleted_ids(&self) -> Vec<Uuid> {
        self.delete.iter().map(|i| i.key.id).collect()
    }

    /// The people whose rows go.
    pub fn deleted_people(&self) -> Vec<Uuid> {
        self.people
            .iter()
            .filter(|p| !self.people_held.iter().any(|(h, _)| h == *p))
            .copied()
            .collect()
    }
}

type LinkEnds = (String, Uuid, String, Uuid);

async fn links_of(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<LinkEnds>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    links::table
        .filter(links::from_id.eq_any(ids).or(links::to_id.eq_any(ids)))
        .select((
            links::from_type,
            links::from_id,
            links::to_type,
            links::to_id,
        ))
        .load(conn)
        .await
}

/// The person and the duplicates merged into them, at any depth.
pub async fn merged_family(conn: &mut AsyncPgConnection, person: Uuid) -> QueryResult<Vec<Uuid>> {
    let mut all = vec![person];
    let mut frontier = vec![person];
    while !frontier.is_empty() {
        let next: Vec<Uuid> = people::table
            .filter(people::merged_into.eq_any(&frontier))
            .select(people::id)
            .load(conn)
            .await?;
        all.extend(&next);
        frontier = next;
    }
    Ok(all)
}

/// Holds in force on any of `ids`.
pub async fn holds_on(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<Hold>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid, Uuid, String, chrono::NaiveDate)> = legal_holds::table
        .filter(legal_holds::record_id.eq_any(ids))
        .filter(legal_holds::lifted_at.is_null())
        .order(legal_holds::placed_at)
        .select((
            legal_holds::id,
            legal_holds::record_id,
            legal_holds::reason,
            legal_holds::review_on,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, record, reason, review_on)| Hold {
            id,
            record,
            reason,
            review_on,
        })
        .collect())
}

fn record_type(family: &str) -> RecordType {
    RecordType::parse(family).unwrap_or(RecordType::Event)
}

/// Works out the scope of erasing `people` (the person and their merged
/// duplicates).
pub async fn work_out(conn: &mut AsyncPgConnection, people_ids: Vec<Uuid>) -> QueryResult<Scope> {
    let is_person: BTreeSet<Uuid> = people_ids.iter().copied().collect();
    let mut going: BTreeSet<Uuid> = is_person.clone();
    // Every link of every record looked at, as (far type, far id).
    let mut ends: BTreeMap<Uuid, Vec<(String, Uuid)>> = BTreeMap::new();
    let mut rows: HashMap<Uuid, (String, String, Option<String>)> = HashMap::new();
    let mut looked: HashSet<Uuid> = HashSet::new();
    let mut to_look: Vec<Uuid> = people_ids.clone();
    // Each round looks one link further from what goes; a chain of
    // objects linked to objects ends within a few.
    for _ in 0..32 {
        let fresh: HashSet<Uuid> = to_look.drain(..).filter(|id| looked.insert(*id)).collect();
        if !fresh.is_empty() {
            let fresh_list: Vec<Uuid> = fresh.iter().copied().collect();
            for (ft, fid, tt, tid) in links_of(conn, &fresh_list).await? {
                for (me, far_type, far) in [(fid, &tt, tid), (tid, &ft, fid)] {
                    if fresh.contains(&me) {
                        let list = ends.entry(me).or_default();
                        if !list.iter().any(|(t, f)| t == far_type && *f == far) {
                            list.push((far_type.clone(), far));
                        }
                    }
                }
            }
            let record_ids: Vec<Uuid> = fresh_list
                .iter()
                .filter(|id| !is_person.contains(id))
                .copied()
                .collect();
            if !record_ids.is_empty() {
                let found: Vec<(Uuid, String, String, Option<String>)> = records::table
                    .filter(records::id.eq_any(&record_ids))
                    .select((
                        records::id,
                        records::family,
                        records::kind,
                        records::reference,
                    ))
                    .load(conn)
                    .await?;
                for (id, family, kind, reference) in found {
                    rows.insert(id, (family, kind, reference));
                }
            }
            // What is linked to something that goes must be decided.
            for me in fresh.iter().filter(|id| going.contains(*id)) {
                for (t, far) in ends.get(me).into_iter().flatten() {
                    if t != "person" && !looked.contains(far) {
                        to_look.push(*far);
                    }
                }
            }
        }
        let mut changed = false;
        let undecided: Vec<Uuid> = looked
            .iter()
            .filter(|id| rows.contains_key(*id) && !going.contains(*id))
            .copied()
            .collect();
        for id in undecided {
            let far = ends.get(&id).map(Vec::as_slice).unwrap_or_default();
            let someone_else = far.iter().any(|(t, f)| t == "person" && !going.contains(f));
            let event = rows[&id].0 == "event";
            let about_them = far
                .iter()
                .any(|(t, f)| t == "person" && is_person.contains(f));
            let all_going = !far.is_empty() && far.iter().all(|(_, f)| going.contains(f));
            if !someone_else && ((event && about_them) || all_going) {
                going.insert(id);
                changed = true;
                for (t, f) in far {
                    if t != "person" && !looked.contains(f) {
                        to_look.push(*f);
                    }
                }
            }
        }
        if !changed && to_look.is_empty() {
            break;
        }
    }
    let item = |id: Uuid| {
        rows.get(&id).map(|(family, kind, reference)| Item {
            key: RecordKey {
                record_type: record_type(family),
                id,
            },
            kind: kind.clone(),
            reference: reference.clone(),
        })
    };
    let doomed: Vec<Uuid> = going
        .iter()
        .filter(|id| !is_person.contains(id))
        .copied()
        .collect();
    let shared: Vec<Uuid> = ends
        .iter()
        .filter(|(id, far)| {
            !going.contains(*id)
                && rows.contains_key(*id)
                && far
                    .iter()
                    .any(|(t, f)| t == "person" && is_person.contains(f))
        })
        .map(|(id, _)| *id)
        .collect();
    // Holds: on what would go or be changed, and on the person.
    let mut consider: Vec<Uuid> = doomed.clone();
    consider.extend(&shared);
    consider.extend(&people_ids);
    let holds = holds_on(conn, &consider).await?;
    let mut held: BTreeMap<Uuid, Hold> = BTreeMap::new();
    for h in &holds {
        held.entry(h.record).or_insert_with(|| h.clone());
        // What a held record is linked to that would go stays with it.
        for (_, far) in ends.get(&h.record).into_iter().flatten() {
            if going.contains(far) {
                held.entry(*far).or_insert_with(|| h.clone());
            }
        }
    }
    let mut scope = Scope {
        people: people_ids.clone(),
        ..Scope::default()
    };
    for id in &people_ids {
        if let Some(h) = held.get(id) {
            scope.people_held.push((*id, h.clone()));
        }
    }
    for id in doomed.iter().chain(&shared) {
        let Some(it) = item(*id) else { continue };
        match held.get(id) {
            Some(h) => scope.held.push((it, h.clone())),
            None if going.contains(id) => scope.delete.push(it),
            None => scope.shared.push(it),
        }
    }
    // The other people in each kept record, for what of the names stays.
    let others: Vec<Uuid> = scope
        .shared
        .iter()
        .flat_map(|i| ends.get(&i.key.id).into_iter().flatten())
        .filter(|(t, f)| t == "person" && !is_person.contains(f))
        .map(|(_, f)| *f)
        .collect();
    let names: HashMap<Uuid, (String, Option<String>)> = people::table
        .filter(people::id.eq_any(&others))
        .select((people::id, people::surname, people::forenames))
        .load::<(Uuid, String, Option<String>)>(conn)
        .await?
        .into_iter()
        .map(|(id, s, f)| (id, (s, f)))
        .collect();
    for it in &scope.shared {
        let parts: Vec<String> = ends
            .get(&it.key.id)
            .into_iter()
            .flatten()
            .filter_map(|(_, f)| names.get(f))
            .flat_map(|(s, f)| {
                std::iter::once(s.clone()).chain(
                    f.iter()
                        .flat_map(|f| f.split_whitespace().map(str::to_owned)),
                )
            })
            .collect();
        scope.others_in.insert(it.key.id, parts);
    }
    scope.delete.sort_by_key(|i| i.key.id);
    scope.shared.sort_by_key(|i| i.key.id);
    scope.held.sort_by_key(|(i, _)| i.key.id);
    Ok(scope)
}
