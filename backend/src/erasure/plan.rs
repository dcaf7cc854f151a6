//! The plan: what erasing a person will delete, redact, restrict and keep,
//! and why, with each passage of kept text that names them for the data
//! protection officer to confirm. Made and read in audited transactions;
//! stored until it runs, then cut down to ids.

use super::scope::{self, Scope};
use super::values::{Distinctive, Setting};
use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::{
    erasure_plans, people, records, retention_reviews, rights_request_subjects, rights_requests,
};
use crate::error::ApiError;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shared::error::{ErrorCode, FieldError};
use shared::ids::PersonId;
use shared::links::{RecordKey, RecordType};
use shared::rights::erasure::{ErasurePlan, HeldEntry, KeptEntry, Passage, PlanEntry, PlanReason};
use std::collections::HashMap;
use uuid::Uuid;

/// A plan as stored: what is served, and what only the server sees.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Stored {
    pub plan: ErasurePlan,
    /// What to look for; dropped once the certificate is issued.
    #[serde(default)]
    pub values: Option<Distinctive>,
    /// For each kept record about the person, the name parts of the others
    /// in it (which a redaction leaves).
    #[serde(default)]
    pub others_in: HashMap<Uuid, Vec<String>>,
    /// A digest of everything the plan decided, to tell at execution
    /// whether the records changed since.
    pub fingerprint: String,
    /// Made for a disposal after review: the proposals stand confirmed.
    #[serde(default)]
    pub auto: bool,
    /// Once it has run: what it did, until the certificate is issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<super::execute::Done>,
}

impl Stored {
    /// How a passage's record stands to the person.
    pub fn setting(&self, matcher: &super::values::Matcher, record: Uuid) -> Setting {
        match self.others_in.get(&record) {
            Some(others) => matcher.about_them(others),
            None => Setting::Unrelated,
        }
    }
}

pub fn entry(item: &scope::Item, reason: PlanReason) -> PlanEntry {
    PlanEntry {
        record: item.key,
        kind: item.kind.clone(),
        reference: item.reference.clone(),
        reason: reason.as_str().to_owned(),
    }
}

fn held_entry(item: &scope::Item, hold: &scope::Hold) -> HeldEntry {
    HeldEntry {
        record: item.key,
        kind: item.kind.clone(),
        hold: hold.id,
        hold_reason: hold.reason.clone(),
        review_on: hold.review_on,
    }
}

/// Every string in a JSON value, with its path (`details.content[0].text`).
pub fn strings<'a>(value: &'a serde_json::Value, path: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        serde_json::Value::String(s) => out.push((path, s)),
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                strings(v, format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                strings(v, format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

/// Sets the string at `path` (as [`strings`] names it) inside `root`,
/// whose own name is the path's first part. False if there is none.
pub fn set_string(root: &mut serde_json::Value, path: &str, text: &str) -> bool {
    let mut at = root;
    // Skip the root's own name.
    let mut parts = path.split('.').skip(1).peekable();
    while let Some(part) = parts.next() {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        let Some(next) = at.get_mut(key) else {
            return false;
        };
        at = next;
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let Ok(i) = index.trim_end_matches(']').parse::<usize>() else {
                return false;
            };
            let Some(next) = at.get_mut(i) else {
                return false;
            };
            at = next;
        }
        if parts.peek().is_none() {
            return match at {
                serde_json::Value::String(s) => {
                    *s = text.to_owned();
                    true
                }
                _ => false,
            };
        }
    }
    false
}

type TextRow = (
    Uuid,
    String,
    String,
    Option<String>,
    String,
    serde_json::Value,
);

/// Records (and other people's details) whose text names the person:
/// the kept records about them, and any other mention anywhere.
async fn passages(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    values: &Distinctive,
) -> Result<(Vec<Passage>, Vec<scope::Item>), ApiError> {
    let matcher = values.matcher();
    let shared: Vec<Uuid> = scope.shared.iter().map(|i| i.key.id).collect();
    let mut rows: Vec<TextRow> = records::table
        .filter(records::id.eq_any(&shared))
        .select((
            records::id,
            records::family,
            records::kind,
            records::reference,
            records::summary,
            records::details,
        ))
        .load(conn)
        .await?;
    // Mentions in records not linked to them: searched by the names and
    // identifiers, which name the person on their own.
    let mut skip: Vec<Uuid> = scope.deleted_ids();
    skip.extend(&shared);
    skip.extend(scope.held.iter().map(|(i, _)| i.key.id));
    let mut mentioned = Vec::new();
    if let Some(pattern) = values.strong_sql() {
        let found: Vec<TextRow> = records::table
            .filter(records::id.ne_all(&skip))
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("(details::text ~ ")
                    .bind::<diesel::sql_types::Text, _>(pattern.clone())
                    .sql(" OR summary ~ ")
                    .bind::<diesel::sql_types::Text, _>(pattern.clone())
                    .sql(")"),
            )
            .select((
                records::id,
                records::family,
                records::kind,
                records::reference,
                records::summary,
                records::details,
            ))
            .load(conn)
            .await?;
        for row in &found {
            mentioned.push(scope::Item {
                key: RecordKey {
                    record_type: RecordType::parse(&row.1).unwrap_or(RecordType::Event),
                    id: row.0,
                },
                kind: row.2.clone(),
                reference: row.3.clone(),
            });
        }
        rows.extend(found);
        // Other people's details (a warning marker naming them), but not
        // their own names: a namesake's alias is the namesake's.
        let others: Vec<(Uuid, serde_json::Value)> = people::table
            .filter(people::id.ne_all(&scope.people))
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("details::text ~ ")
                    .bind::<diesel::sql_types::Text, _>(pattern),
            )
            .select((people::id, people::details))
            .load(conn)
            .await?;
        for (id, details) in others {
            rows.push((
                id,
                "person".into(),
                "person".into(),
                None,
                String::new(),
                details,
            ));
        }
    }
    let mut out = Vec::new();
    for (id, family, _, _, summary, details) in &rows {
        let setting = match scope.others_in.get(id) {
            Some(others) => matcher.about_them(others),
            None => Setting::Unrelated,
        };
        let mut texts = vec![("summary".to_owned(), summary.as_str())];
        strings(details, "details".to_owned(), &mut texts);
        let record = RecordKey {
            record_type: RecordType::parse(family).unwrap_or(RecordType::Event),
            id: *id,
        };
        for (field, text) in texts {
            if family == "person" && field.starts_with("details.aliases") {
                continue;
            }
            if !matcher.find(text, &setting).is_empty() {
                out.push(Passage {
                    record,
                    field,
                    held: text.to_owned(),
                    proposed: matcher.redact(text, &setting),
                    confirmed: None,
                });
            }
        }
    }
    out.sort_by(|a, b| (a.record.id, &a.field).cmp(&(b.record.id, &b.field)));
    Ok((out, mentioned))
}

fn fingerprint(scope: &Scope, passages: &[Passage]) -> String {
    let mut h = Sha256::new();
    let mut line = |s: String| {
        h.update(s.as_bytes());
        h.update(b"\n");
    };
    for p in &scope.people {
        line(format!("person {p}"));
    }
    for (p, hold) in &scope.people_held {
        line(format!("person held {p} {}", hold.id));
    }
    for i in &scope.delete {
        line(format!("delete {}", i.key.id));
    }
    for i in &scope.shared {
        line(format!("shared {}", i.key.id));
    }
    for (i, hold) in &scope.held {
        line(format!("held {} {}", i.key.id, hold.id));
    }
    for p in passages {
        line(format!(
            "passage {} {} {}",
            p.record.id,
            p.field,
            hex::encode(Sha256::digest(p.held.as_bytes()))
        ));
    }
    hex::encode(h.finalize())
}

/// What the plan keeps on purpose.
async fn kept(
    conn: &mut AsyncPgConnection,
    people_ids: &[Uuid],
) -> Result<Vec<KeptEntry>, ApiError> {
    let mut keep = vec![
        KeptEntry {
            what: "The audit log's events about these records".into(),
            why: "The law requires the log (DPA 2018 s.62); its events hold ids, times and hashes, never what the records said".into(),
        },
        KeptEntry {
            what: "This erasure's ledger entry and certificate".into(),
            why: "Ids and times only, so a database restored from an older backup is brought back in line before it serves".into(),
        },
        KeptEntry {
            what: "A one-way digest of each imported record's source id".into(),
            why: "So importing the same legacy file again cannot bring the records back".into(),
        },
    ];
    let cases: Vec<String> = rights_request_subjects::table
        .inner_join(
            rights_requests::table.on(rights_requests::id.eq(rights_request_subjects::request_id)),
        )
        .filter(rights_request_subjects::person_id.eq_any(people_ids))
        .select(rights_requests::reference)
        .distinct()
        .load(conn)
        .await?;
    for reference in cases {
        keep.push(KeptEntry {
            what: format!("Rights request {reference}: the case, its dates and its timeline"),
            why: "To show the request was answered; the packs compiled in it are deleted, and the requester's details are cleared once the response is sent where they are the person's".into(),
        });
    }
    let reviews: i64 = retention_reviews::table
        .filter(retention_reviews::person_id.eq_any(people_ids))
        .count()
        .get_result(conn)
        .await?;
    if reviews > 0 {
        keep.push(KeptEntry {
            what: format!("{reviews} retention review decision(s), by id"),
            why: "Every review decision is recorded (MoPI); any name in a rationale is redacted"
                .into(),
        });
    }
    Ok(keep)
}

/// Works the plan out from the database as it is now.
pub async fn draft(
    conn: &mut AsyncPgConnection,
    person: Uuid,
    request: Option<Uuid>,
) -> Result<Stored, ApiError> {
    let merged_into: Option<Option<Uuid>> = people::table
        .find(person)
        .select(people::merged_into)
        .first(conn)
        .await
        .optional()?;
    match merged_into {
        None => return Err(ApiError::not_found()),
        Some(Some(survivor)) => {
            return Err(ApiError::new(ErrorCode::Conflict).detail(format!(
                "This record was merged into person {survivor}: erase that person, which takes this record with it"
            )));
        }
        Some(None) => {}
    }
    let family = scope::merged_family(conn, person).await?;
    // The person themselves under a hold: nothing is erased until it is
    // lifted (s.47(2)); the officer may restrict them instead.
    if let Some(hold) = scope::holds_on(conn, &[person]).await?.into_iter().next() {
        return Err(held_refusal(&hold, "person", person));
    }
    let scope = scope::work_out(conn, family.clone()).await?;
    let values = Distinctive::of(conn, &family).await?;
    let (passages, mentioned) = passages(conn, &scope, &values).await?;
    let reason_of = |id: &Uuid| {
        if *id == person {
            PlanReason::Person
        } else {
            PlanReason::MergedDuplicate
        }
    };
    let mut delete: Vec<PlanEntry> = scope
        .deleted_people()
        .iter()
        .map(|id| PlanEntry {
            record: RecordKey {
                record_type: RecordType::Person,
                id: *id,
            },
            kind: "person".into(),
            reference: None,
            reason: reason_of(id).as_str().to_owned(),
        })
        .collect();
    delete.extend(scope.delete.iter().map(|i| {
        let reason = if i.key.record_type == RecordType::Event {
            PlanReason::OnlySubject
        } else {
            PlanReason::OnlyTheirs
        };
        entry(i, reason)
    }));
    let mut unlink: Vec<PlanEntry> = scope
        .shared
        .iter()
        .map(|i| entry(i, PlanReason::SharedRecord))
        .collect();
    unlink.extend(
        mentioned
            .iter()
            .filter(|m| passages.iter().any(|p| p.record.id == m.key.id))
            .map(|i| entry(i, PlanReason::Mentions)),
    );
    let mut restrict: Vec<HeldEntry> = scope.held.iter().map(|(i, h)| held_entry(i, h)).collect();
    for (id, hold) in &scope.people_held {
        let item = scope::Item {
            key: RecordKey {
                record_type: RecordType::Person,
                id: *id,
            },
            kind: "person".into(),
            reference: None,
        };
        restrict.push(held_entry(&item, hold));
    }
    let keep = kept(conn, &family).await?;
    let fingerprint = fingerprint(&scope, &passages);
    let mut plan = ErasurePlan {
        id: Uuid::new_v4(),
        person: PersonId(person),
        request,
        created_at: Utc::now(),
        people: scope.deleted_people().into_iter().map(PersonId).collect(),
        delete,
        unlink,
        passages,
        restrict,
        keep,
        values_sought: values.count(),
        unconfirmed: 0,
        executed_at: None,
        certificate: None,
    };
    plan.unconfirmed = plan.count_unconfirmed();
    Ok(Stored {
        plan,
        values: Some(values),
        others_in: scope.others_in,
        fingerprint,
        auto: false,
        done: None,
    })
}

/// 409 naming the hold that keeps an item.
pub fn held_refusal(hold: &scope::Hold, record_type: &str, id: Uuid) -> ApiError {
    let mut e = ApiError::new(ErrorCode::Conflict).detail(format!(
        "The {record_type} {id} is under legal hold {} ({}; review on {}): it cannot be erased while the hold stands. Restrict it instead, or lift the hold first.",
        hold.id, hold.reason, hold.review_on
    ));
    e.fields = vec![FieldError::new(
        "legal_hold",
        "held",
        format!("Legal hold {}", hold.id),
    )];
    e
}

/// The audit records a plan names: the person and every item in it.
pub fn records_of(plan: &ErasurePlan) -> Vec<RecordRef> {
    let mut out: Vec<RecordRef> = plan
        .delete
        .iter()
        .chain(&plan.unlink)
        .map(|e| RecordRef::new(e.record.record_type.as_str(), e.record.id))
        .collect();
    out.extend(
        plan.restrict
            .iter()
            .map(|h| RecordRef::new(h.record.record_type.as_str(), h.record.id)),
    );
    if !out.iter().any(|r| r.id == plan.person.0) {
        out.insert(0, RecordRef::new("person", plan.person.0));
    }
    out
}

/// Makes and stores a plan. Reading everything held about the person to
/// plan it is a consultation, logged with the items it read. An earlier
/// plan for the same person that never ran is dropped with its passages.
pub async fn make(
    tx: &mut Tx,
    person: PersonId,
    request: Option<Uuid>,
    auto: bool,
) -> Result<Audited<ErasurePlan>, ApiError> {
    let mut stored = draft(tx.conn()?, person.0, request).await?;
    stored.auto = auto;
    if auto {
        for p in &mut stored.plan.passages {
            p.confirmed = Some(p.proposed.clone());
        }
        stored.plan.unconfirmed = 0;
    }
    diesel::delete(
        erasure_plans::table
            .filter(erasure_plans::person_id.eq(person.0))
            .filter(erasure_plans::executed_at.is_null()),
    )
    .execute(tx.conn()?)
    .await?;
    let by = tx.ctx().actor.id();
    diesel::insert_into(erasure_plans::table)
        .values((
            erasure_plans::id.eq(stored.plan.id),
            erasure_plans::request_id.eq(request),
            erasure_plans::person_id.eq(person.0),
            erasure_plans::created_by.eq(by),
            erasure_plans::plan.eq(serde_json::to_value(&stored).map_err(ApiError::internal)?),
        ))
        .execute(tx.conn()?)
        .await?;
    let event = AuditEvent::new(
        Operation::Consultation,
        "erasure.plan",
        records_of(&stored.plan),
    );
    Ok(Audited::new(stored.plan, event))
}

/// A stored plan, locked for change when `lock`.
pub async fn load(conn: &mut AsyncPgConnection, id: Uuid, lock: bool) -> Result<Stored, ApiError> {
    let query = erasure_plans::table.find(id).select(erasure_plans::plan);
    let value: Option<serde_json::Value> = if lock {
        query.for_update().first(conn).await.optional()?
    } else {
        query.first(conn).await.optional()?
    };
    let value = value.ok_or_else(ApiError::not_found)?;
    serde_json::from_value(value).map_err(ApiError::internal)
}

pub async fn save(conn: &mut AsyncPgConnection, stored: &Stored) -> Result<(), ApiError> {
    diesel::update(erasure_plans::table.find(stored.plan.id))
        .set(erasure_plans::plan.eq(serde_json::to_value(stored).map_err(ApiError::internal)?))
        .execute(conn)
        .await?;
    Ok(())
}

/// Reads a plan (a consultation: it holds the passages).
pub async fn read(tx: &mut Tx, id: Uuid) -> Result<Audited<ErasurePlan>, ApiError> {
    let stored = load(tx.conn()?, id, false).await?;
    let event = AuditEvent::new(
        Operation::Consultation,
        "erasure.plan.read",
        records_of(&stored.plan),
    );
    Ok(Audited::new(stored.plan, event))
}

/// The officer's redacted text for passage `n`. Refused, showing where,
/// if it still names the person.
pub async fn confirm(
    tx: &mut Tx,
    id: Uuid,
    n: usize,
    text: String,
) -> Result<Audited<ErasurePlan>, ApiError> {
    let mut stored = load(tx.conn()?, id, true).await?;
    if stored.plan.executed_at.is_some() {
        return Err(ApiError::new(ErrorCode::Conflict).detail("The plan has already run"));
    }
    let Some(passage) = stored.plan.passages.get(n) else {
        return Err(ApiError::not_found());
    };
    let record = passage.record;
    let values = stored
        .values
        .as_ref()
        .ok_or_else(|| ApiError::internal("a plan that has not run lost its values"))?;
    let matcher = values.matcher();
    let setting = stored.setting(&matcher, record.id);
    let left = matcher.find(&text, &setting);
    if let Some(first) = <[_]>::first(&left) {
        let at = text[..first.start].chars().count() + 1;
        let to = text[..first.end].chars().count();
        let more = match left.len() {
            1 => String::new(),
            k => format!(" and in {} more place(s)", k - 1),
        };
        return Err(ApiError::field(FieldError::new(
            "text",
            "still_names_the_person",
            format!("The text still names the person at characters {at}–{to}{more}"),
        )));
    }
    if let Some(p) = stored.plan.passages.get_mut(n) {
        p.confirmed = Some(text);
    }
    stored.plan.unconfirmed = stored.plan.count_unconfirmed();
    save(tx.conn()?, &stored).await?;
    let event = AuditEvent::new(
        Operation::Alteration,
        "erasure.plan.confirm",
        vec![RecordRef::new(record.record_type.as_str(), record.id)],
    )
    .fields(vec![format!("passages[{n}]")]);
    Ok(Audited::new(stored.plan, event))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_string_is_named_by_a_path_that_finds_it_again() {
        let mut details = json!({"narrative": "a", "content": [{"text": "b"}, {"text": "c"}]});
        let mut found = Vec::new();
        strings(&details, "details".into(), &mut found);
        let paths: Vec<_> = found.iter().map(|(p, _)| p.clone()).collect();
        assert_eq!(
            paths,
            [
                "details.content[0].text",
                "details.content[1].text",
                "details.narrative"
            ]
        );
        assert!(set_string(
            &mut details,
            "details.content[1].text",
            "[erased]"
        ));
        assert_eq!(details["content"][1]["text"], "[erased]");
        assert!(!set_string(&mut details, "details.content[5].text", "x"));
        assert!(!set_string(&mut details, "details.content", "x"));
    }
}
