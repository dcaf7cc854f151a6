//! Running a plan: every copy in one audited transaction. Nothing is
//! half-done: if the records changed since the plan (a new link, a hold),
//! it is refused and nothing moves; the officer makes the plan again.

use super::plan::{self, Stored, set_string};
use super::scope;
use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::{
    erasure_ledger, erasure_plans, import_tombstones, links, people, records, rights_packs,
    rights_releases, rights_request_subjects, rights_request_timeline, rights_requests,
    supplementary_statements,
};
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use shared::error::{ErrorCode, FieldError};
use shared::links::RecordType;
use std::collections::BTreeMap;
use uuid::Uuid;

/// What the transaction did, for the certificate written after it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Done {
    pub plan: Uuid,
    pub certificate: Uuid,
    pub started_at: DateTime<Utc>,
    pub erased_at: DateTime<Utc>,
    /// The request that ran it: the log's erasure event carries it, and
    /// the justification texts cleared after commit name it.
    pub request_id: String,
    pub authorised_by: Option<Uuid>,
    pub authorised_roles: Vec<String>,
    pub erased_people: Vec<Uuid>,
    pub erased_records: Vec<(String, String, Uuid)>,
    pub unlinked: Vec<(RecordType, Uuid)>,
    pub passages_redacted: usize,
    /// Kept records whose text was redacted.
    pub redacted: Vec<Uuid>,
    pub copies: BTreeMap<String, i64>,
}

/// Replaces every whole-word mention in `column` of `table` (SQL names,
/// fixed by the caller) that matches `pattern`, where `filter` holds.
async fn redact_column(
    conn: &mut AsyncPgConnection,
    table: &str,
    column: &str,
    filter: &str,
    pattern: &str,
) -> QueryResult<usize> {
    diesel::sql_query(format!(
        "UPDATE {table} SET {column} = regexp_replace({column}, $1, '\\1[erased]', 'g') \
         WHERE {column} ~ $1 AND ({filter})"
    ))
    .bind::<Text, _>(pattern)
    .execute(conn)
    .await
}

fn conflict(detail: String) -> ApiError {
    ApiError::new(ErrorCode::Conflict).detail(detail)
}

/// Why the plan no longer fits the records: a hold placed since, above all.
fn changed_since(before: &Stored, now: &Stored) -> ApiError {
    let held_before: Vec<Uuid> = before.plan.restrict.iter().map(|h| h.hold).collect();
    if let Some(h) = now
        .plan
        .restrict
        .iter()
        .find(|h| !held_before.contains(&h.hold))
    {
        let hold = scope::Hold {
            id: h.hold,
            record: h.record.id,
            reason: h.hold_reason.clone(),
            review_on: h.review_on,
        };
        return plan::held_refusal(&hold, h.record.record_type.as_str(), h.record.id);
    }
    let count = |s: &Stored| {
        (
            s.plan.delete.len(),
            s.plan.unlink.len(),
            s.plan.passages.len(),
        )
    };
    let (d0, u0, p0) = count(before);
    let (d1, u1, p1) = count(now);
    conflict(format!(
        "The records changed since the plan was made (deleted {d0}→{d1}, kept without the person {u0}→{u1}, passages {p0}→{p1}): nothing was erased. Make the plan again and confirm it."
    ))
}

/// Runs the plan `id`. Returns what it did; the caller finishes the work
/// after commit (index purge, probe, certificate).
pub async fn execute(tx: &mut Tx, id: Uuid) -> Result<Audited<Done>, ApiError> {
    let started_at = Utc::now();
    let mut stored = plan::load(tx.conn()?, id, true).await?;
    if let Some(at) = stored.plan.executed_at {
        return Err(conflict(format!(
            "This plan ran at {at}; its certificate is {}",
            stored
                .plan
                .certificate
                .map(|c| c.to_string())
                .unwrap_or_default()
        )));
    }
    let unconfirmed: Vec<FieldError> = stored
        .plan
        .passages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.confirmed.is_none())
        .map(|(i, _)| {
            FieldError::new(
                &format!("passages[{i}]"),
                "unconfirmed",
                "Confirm the redacted text of this passage first",
            )
        })
        .collect();
    if !unconfirmed.is_empty() {
        let mut e = conflict(format!(
            "{} passage(s) of kept records still name the person: confirm each redaction, then run the plan",
            unconfirmed.len()
        ));
        e.fields = unconfirmed;
        return Err(e);
    }
    let person = stored.plan.person.0;
    let family = scope::merged_family(tx.conn()?, person).await?;
    // Lock the people, then re-plan under the lock: a link, a record or a
    // hold made since the plan shows as a different plan.
    people::table
        .filter(people::id.eq_any(&family))
        .select(people::id)
        .for_update()
        .load::<Uuid>(tx.conn()?)
        .await?;
    let now = plan::draft(tx.conn()?, person, stored.plan.request).await?;
    if now.fingerprint != stored.fingerprint {
        return Err(changed_since(&stored, &now));
    }
    let values = stored
        .values
        .clone()
        .ok_or_else(|| ApiError::internal("a plan that has not run lost its values"))?;
    let strong = values.strong_sql();
    let scope = scope::work_out(tx.conn()?, family.clone()).await?;
    let by = tx.ctx().actor.id();
    let certificate = Uuid::new_v4();
    let mut events = Vec::new();
    let mut copies: BTreeMap<String, i64> = BTreeMap::new();

    // Held items: kept, restricted, with the hold as the reason.
    for (item, hold) in &scope.held {
        diesel::update(records::table.find(item.key.id))
            .set((
                records::restricted_at.eq(Utc::now()),
                records::restriction_reason.eq(format!("Legal hold {}: {}", hold.id, hold.reason)),
                records::restriction_review_on.eq(hold.review_on),
                records::restricted_by.eq(by),
                records::restriction_request.eq(stored.plan.request),
            ))
            .execute(tx.conn()?)
            .await?;
        events.push(
            AuditEvent::new(
                Operation::Restriction,
                "erasure.restrict",
                vec![RecordRef::new(item.key.record_type.as_str(), item.key.id)],
            )
            .fields(vec![format!("legal_hold:{}", hold.id)]),
        );
    }
    for (p, hold) in &scope.people_held {
        diesel::update(people::table.find(*p))
            .set((
                people::restricted_at.eq(Utc::now()),
                people::restriction_reason.eq(format!("Legal hold {}: {}", hold.id, hold.reason)),
                people::restriction_review_on.eq(hold.review_on),
                people::restricted_by.eq(by),
                people::restriction_request.eq(stored.plan.request),
            ))
            .execute(tx.conn()?)
            .await?;
        events.push(
            AuditEvent::new(
                Operation::Restriction,
                "erasure.restrict",
                vec![RecordRef::new("person", *p)],
            )
            .fields(vec![format!("legal_hold:{}", hold.id)]),
        );
    }

    // Passages: the confirmed text replaces the held text, field by field.
    let mut by_record: BTreeMap<(RecordType, Uuid), Vec<(String, String)>> = BTreeMap::new();
    for p in &stored.plan.passages {
        let text = p.confirmed.clone().unwrap_or_default();
        by_record
            .entry((p.record.record_type, p.record.id))
            .or_default()
            .push((p.field.clone(), text));
    }
    let passages_redacted = stored.plan.passages.len();
    for ((record_type, rid), fields) in &by_record {
        let names: Vec<String> = fields.iter().map(|(f, _)| f.clone()).collect();
        if *record_type == RecordType::Person {
            let mut details: serde_json::Value = people::table
                .find(rid)
                .select(people::details)
                .for_update()
                .first(tx.conn()?)
                .await?;
            for (field, text) in fields {
                set_string(&mut details, field, text);
            }
            diesel::update(people::table.find(rid))
                .set((
                    people::details.eq(details),
                    people::version.eq(people::version + 1),
                    people::updated_at.eq(Utc::now()),
                ))
                .execute(tx.conn()?)
                .await?;
        } else {
            let (mut summary, mut details): (String, serde_json::Value) = records::table
                .find(rid)
                .select((records::summary, records::details))
                .for_update()
                .first(tx.conn()?)
                .await?;
            for (field, text) in fields {
                if field == "summary" {
                    summary = text.clone();
                } else {
                    set_string(&mut details, field, text);
                }
            }
            diesel::update(records::table.find(rid))
                .set((
                    records::summary.eq(summary),
                    records::details.eq(details),
                    records::version.eq(records::version + 1),
                    records::updated_at.eq(Utc::now()),
                ))
                .execute(tx.conn()?)
                .await?;
        }
        events.push(
            AuditEvent::new(
                Operation::Alteration,
                "erasure.redact",
                vec![RecordRef::new(record_type.as_str(), *rid)],
            )
            .fields(names),
        );
    }

    // Kept records lose their links to the person.
    let deleted_people = scope.deleted_people();
    let shared_ids: Vec<Uuid> = scope.shared.iter().map(|i| i.key.id).collect();
    let unlinked = diesel::delete(
        links::table.filter(
            links::from_id
                .eq_any(&shared_ids)
                .and(links::to_id.eq_any(&deleted_people))
                .or(links::to_id
                    .eq_any(&shared_ids)
                    .and(links::from_id.eq_any(&deleted_people))),
        ),
    )
    .execute(tx.conn()?)
    .await?;
    copies.insert("links to kept records".into(), unlinked as i64);
    // Supplementary statements on kept records may name them too.
    if let Some(pattern) = &strong {
        let n = redact_column(
            tx.conn()?,
            "supplementary_statements",
            "statement",
            "true",
            pattern,
        )
        .await?;
        copies.insert("supplementary statements redacted".into(), n as i64);
    }

    // What goes: the records only about them, then the people.
    let doomed = scope.deleted_ids();
    let mut going_ids = doomed.clone();
    going_ids.extend(&deleted_people);
    let sources: Vec<(Option<String>, Option<String>)> = records::table
        .filter(records::id.eq_any(&doomed))
        .select((records::source_system, records::source_id))
        .load(tx.conn()?)
        .await?;
    let person_sources: Vec<(Option<String>, Option<String>)> = people::table
        .filter(people::id.eq_any(&deleted_people))
        .select((people::source_system, people::source_id))
        .load(tx.conn()?)
        .await?;
    let tombstones: Vec<_> = sources
        .into_iter()
        .chain(person_sources)
        .filter_map(|(system, id)| Some((system?, id?)))
        .map(|(system, sid)| {
            (
                import_tombstones::source_digest
                    .eq(crate::imports::tombstone_digest(&system, &sid)),
                import_tombstones::source_system.eq(system),
                import_tombstones::erased_at.eq(Utc::now()),
            )
        })
        .collect();
    copies.insert(
        "import source ids (kept as digests)".into(),
        tombstones.len() as i64,
    );
    if !tombstones.is_empty() {
        diesel::insert_into(import_tombstones::table)
            .values(tombstones)
            .on_conflict_do_nothing()
            .execute(tx.conn()?)
            .await?;
    }
    let names: Vec<String> = values
        .names
        .iter()
        .chain(&values.identifiers)
        .cloned()
        .collect();
    let erasure = crate::audit::texts::Erasure {
        request_id: tx.ctx().request_id.clone(),
        person,
    };
    let texts = crate::audit::texts::erase_naming(tx.conn()?, &names, &erasure).await?;
    copies.insert("justification texts".into(), texts);
    let contexts = crate::justification::end_naming(tx.conn()?, &names).await?;
    copies.insert("working contexts".into(), contexts);
    let links_gone = crate::records::links::erase_links_of(tx, &going_ids).await?;
    copies.insert("links".into(), links_gone as i64);
    crate::idempotency::forget_records(tx, &going_ids).await?;
    let statements = diesel::delete(
        supplementary_statements::table
            .filter(supplementary_statements::record_id.eq_any(&going_ids)),
    )
    .execute(tx.conn()?)
    .await?;
    copies.insert("supplementary statements".into(), statements as i64);
    let erased_records: Vec<(String, String, Uuid)> = records::table
        .filter(records::id.eq_any(&doomed))
        .select((records::family, records::kind, records::id))
        .load(tx.conn()?)
        .await?;
    diesel::delete(records::table.filter(records::id.eq_any(&doomed)))
        .execute(tx.conn()?)
        .await?;
    diesel::delete(people::table.filter(people::id.eq_any(&deleted_people)))
        .execute(tx.conn()?)
        .await?;

    // Copies in rights cases about them: the packs go; texts are redacted.
    let cases: Vec<Uuid> = rights_request_subjects::table
        .filter(rights_request_subjects::person_id.eq_any(&family))
        .select(rights_request_subjects::request_id)
        .load(tx.conn()?)
        .await?;
    let packs = diesel::delete(rights_packs::table.filter(rights_packs::request_id.eq_any(&cases)))
        .execute(tx.conn()?)
        .await?;
    copies.insert("compiled packs".into(), packs as i64);
    let released =
        diesel::update(rights_releases::table.filter(rights_releases::request_id.eq_any(&cases)))
            .set(
                rights_releases::pack
                    .eq(serde_json::json!({ "erased_by_certificate": certificate })),
            )
            .execute(tx.conn()?)
            .await?;
    copies.insert("released packs".into(), released as i64);
    if let Some(pattern) = &strong {
        let ids = cases
            .iter()
            .map(|c| format!("'{c}'"))
            .collect::<Vec<_>>()
            .join(",");
        let in_cases = if ids.is_empty() {
            "false".to_owned()
        } else {
            format!("request_id IN ({ids})")
        };
        let mut redacted = 0;
        redacted += redact_column(
            tx.conn()?,
            "rights_pack_decisions",
            "reason",
            &in_cases,
            pattern,
        )
        .await?;
        redacted += redact_column(
            tx.conn()?,
            "rights_request_timeline",
            "detail",
            "true",
            pattern,
        )
        .await?;
        for column in [
            "notes",
            "extension_reason",
            "pause_reason",
            "closing_reason",
            "ncnd_reason",
        ] {
            redacted +=
                redact_column(tx.conn()?, "rights_requests", column, "true", pattern).await?;
        }
        // The requester of another case who is the person: their details
        // go now. The request being answered keeps them until its response
        // is sent (they are needed to send it).
        let this_case = stored
            .plan
            .request
            .map_or("true".to_owned(), |r| format!("id <> '{r}'"));
        for column in ["requester_name", "requester_contact"] {
            redacted +=
                redact_column(tx.conn()?, "rights_requests", column, &this_case, pattern).await?;
        }
        redacted += redact_column(
            tx.conn()?,
            "retention_reviews",
            "rationale",
            "true",
            pattern,
        )
        .await?;
        redacted += redact_column(tx.conn()?, "legal_holds", "reason", "true", pattern).await?;
        copies.insert("case and review texts redacted".into(), redacted as i64);
    }
    if let Some(request) = stored.plan.request {
        diesel::insert_into(rights_request_timeline::table)
            .values((
                rights_request_timeline::request_id.eq(request),
                rights_request_timeline::actor_id.eq(by),
                rights_request_timeline::what.eq("erasure carried out"),
                rights_request_timeline::detail.eq(format!("Certificate {certificate}")),
            ))
            .execute(tx.conn()?)
            .await?;
        diesel::update(rights_requests::table.find(request))
            .set(rights_requests::updated_at.eq(Utc::now()))
            .execute(tx.conn()?)
            .await?;
    }

    // Every organisation an erased or redacted record went to is owed a
    // letter (s.48), listed now, while the log can still be joined to it.
    let told: Vec<(shared::links::RecordKey, Option<String>)> = stored
        .plan
        .delete
        .iter()
        .chain(&stored.plan.unlink)
        .map(|e| (e.record, e.reference.clone()))
        .collect();
    let owed = crate::rights::notify::owe(
        tx.conn()?,
        stored.plan.request,
        shared::rights::rectification::ChangeKind::Erasure,
        &told,
    )
    .await?;
    copies.insert(
        "letters owed to earlier recipients".into(),
        owed.len() as i64,
    );

    // The ledger: ids and times, kept apart, so a restore cannot undo this.
    let erased_at = Utc::now();
    let redacted_ids: Vec<Uuid> = by_record.keys().map(|(_, id)| *id).collect();
    diesel::insert_into(erasure_ledger::table)
        .values((
            erasure_ledger::certificate_id.eq(certificate),
            erasure_ledger::erased_at.eq(erased_at),
            erasure_ledger::people.eq(&deleted_people),
            erasure_ledger::records.eq(&doomed),
            erasure_ledger::redacted.eq(&redacted_ids),
        ))
        .execute(tx.conn()?)
        .await?;
    stored.plan.executed_at = Some(erased_at);
    stored.plan.certificate = Some(certificate);

    let mut erased_refs: Vec<RecordRef> = deleted_people
        .iter()
        .map(|p| RecordRef::new("person", *p))
        .collect();
    erased_refs.extend(
        erased_records
            .iter()
            .map(|(family, _, rid)| RecordRef::new(family, *rid)),
    );
    if erased_refs.is_empty() {
        // Everything held: still an erasure of the person's links.
        erased_refs.push(RecordRef::new("person", person));
    }
    events.push(
        AuditEvent::new(
            Operation::Combination,
            "erasure.unlink",
            scope
                .shared
                .iter()
                .map(|i| RecordRef::new(i.key.record_type.as_str(), i.key.id))
                .chain(std::iter::once(RecordRef::new("person", person)))
                .collect(),
        )
        .fields(vec!["links".into()]),
    );
    events.push(
        AuditEvent::new(Operation::Erasure, "erasure.execute", erased_refs).fields(vec![
            format!("plan:{id}"),
            format!("certificate:{certificate}"),
        ]),
    );
    let done = Done {
        plan: id,
        certificate,
        started_at,
        erased_at,
        request_id: tx.ctx().request_id.clone(),
        authorised_by: by,
        authorised_roles: tx
            .ctx()
            .roles
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect(),
        erased_people: deleted_people,
        erased_records,
        unlinked: scope
            .shared
            .iter()
            .map(|i| (i.key.record_type, i.key.id))
            .collect(),
        passages_redacted,
        redacted: redacted_ids.clone(),
        copies,
    };
    // The certificate is written after commit; until then the plan keeps
    // what it needs to finish, should the process stop in between.
    stored.done = Some(done.clone());
    diesel::update(erasure_plans::table.find(id))
        .set((
            erasure_plans::plan.eq(serde_json::to_value(&stored).map_err(ApiError::internal)?),
            erasure_plans::executed_at.eq(erased_at),
            erasure_plans::certificate_id.eq(certificate),
        ))
        .execute(tx.conn()?)
        .await?;
    Ok(Audited::many(done, events))
}
