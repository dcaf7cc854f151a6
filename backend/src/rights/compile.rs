//! Compiling the subject access pack from PostgreSQL (never the search
//! index, which holds only what search needs): the subject's person records
//! with their merged duplicates, every record linked to them with their role
//! and category, where each came from, who received them (the disclosure
//! log) and who has seen them (the consultation log), each entry with the
//! proof that it is in the signed log. Compiling is a consultation of every
//! record it reads, made for purpose `subject_access`.

use super::{Case, record, store};
use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::{
    links, organisations, people, records, rights_pack_decisions, rights_packs,
    rights_request_subjects,
};
use crate::error::ApiError;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use sha2::{Digest, Sha256};
use shared::error::ErrorCode;
use shared::rights::pack::{
    CompileSummary, ConsultationEntry, ConsultationHistory, Decision, DisclosureEntry, PackField,
    PackItem, WorkingPack,
};
use shared::rights::{ItemDecision, RequestStatus, WithholdingGround};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// Fields that name someone other than the subject (an officer, an
/// appropriate adult, a source's handler): redacted unless the officer
/// releases them (s.45(4)(e)).
const OTHERS: [&str; 9] = [
    "officers_present",
    "authorising_officer",
    "appropriate_adult",
    "officer_in_case",
    "detention_authorised_by",
    "reviewing_officer",
    "search_authorised_by",
    "handling_conditions",
    "held_by",
];

pub const HOW_TO_VERIFY: &str = "Each entry is one event of the police force's audit log. Its content_hash is the SHA-256 of the line \"probity-audit-event-v<canonical_version>\" and a line break, followed by canonical (UTF-8). Its leaf is SHA-256(0x00, position as 8 bytes big-endian, content_hash). Combining the leaf with audit_path as RFC 6962 (section 2.1.1; RFC 9162 section 2.1.3.2) describes, with leaf index position - 1 and tree size checkpoint.position, gives the root, where each node is SHA-256(0x01, left, right). That root must equal checkpoint.merkle_root, and checkpoint.signature must be a valid Ed25519 signature of checkpoint.message by checkpoint.public_key, which the force publishes at /api/v1/auth/jwks.json and which the message states with the root, the position and the time it was signed.";

type PersonRow = (
    Uuid,
    String,
    Option<String>,
    Option<NaiveDate>,
    String,
    serde_json::Value,
    Option<String>,
    Option<String>,
    Option<Uuid>,
    Option<String>,
    Option<String>,
    DateTime<Utc>,
);

type RecordRow = (
    Uuid,
    String,
    String,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<String>,
    String,
    serde_json::Value,
    Option<String>,
    Option<String>,
    DateTime<Utc>,
);

/// The subject's person records: those attached (followed to their
/// survivor if merged since) and every duplicate merged into them.
async fn people_of(tx: &mut Tx, request: Uuid) -> Result<Vec<Uuid>, ApiError> {
    let attached: Vec<Uuid> = rights_request_subjects::table
        .filter(rights_request_subjects::request_id.eq(request))
        .select(rights_request_subjects::person_id)
        .load(tx.conn()?)
        .await?;
    let mut survivors = Vec::new();
    for mut id in attached {
        for _ in 0..8 {
            let next: Option<Option<Uuid>> = people::table
                .find(id)
                .select(people::merged_into)
                .first(tx.conn()?)
                .await
                .optional()?;
            match next {
                Some(Some(next)) => id = next,
                Some(None) => {
                    survivors.push(id);
                    break;
                }
                // Erased since it was attached: nothing left to give.
                None => break,
            }
        }
    }
    let mut all = survivors.clone();
    let mut frontier = survivors;
    while !frontier.is_empty() {
        let next: Vec<Uuid> = people::table
            .filter(people::merged_into.eq_any(&frontier))
            .select(people::id)
            .load(tx.conn()?)
            .await?;
        all.extend(&next);
        frontier = next;
    }
    all.sort();
    all.dedup();
    Ok(all)
}

fn label(path: &str) -> String {
    let last = path.rsplit('.').next().unwrap_or(path);
    let mut words = last.replace(['_', '[', ']'], " ");
    words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => path.to_owned(),
    }
}

/// Every scalar of a JSON value, by path.
fn flatten(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                flatten(&format!("{prefix}.{k}"), v, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), v, out);
            }
        }
        serde_json::Value::Null => {}
        serde_json::Value::String(s) if s.is_empty() => {}
        serde_json::Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

/// A code as a person reads it: `no_further_action` → "No further action".
fn readable(value: String) -> String {
    let code = value.contains('_')
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !code {
        return value;
    }
    let spaced = value.replace('_', " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or(spaced)
}

fn field(path: &str, value: String) -> PackField {
    PackField {
        label: label(path),
        path: path.to_owned(),
        value: readable(value),
        redacted_by_default: false,
        release_value: None,
    }
}

/// The text with every word that is one of `others` (folded: any case,
/// any accents) replaced by "[another person]", or `None` if none is there.
pub fn without_others(text: &str, others: &HashSet<String>) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut found = false;
    let flush = |word: &mut String, out: &mut String, found: &mut bool| {
        if !word.is_empty() {
            if others.contains(&shared::people::keys::fold(word)) {
                out.push_str("[another person]");
                *found = true;
            } else {
                out.push_str(word);
            }
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out, &mut found);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, &mut found);
    found.then_some(out)
}

fn digest(item: &PackItem) -> String {
    let mut h = Sha256::new();
    h.update(
        serde_json::to_vec(&(
            &item.title,
            &item.role,
            &item.subject_category,
            &item.fields,
        ))
        .unwrap_or_default(),
    );
    hex::encode(h.finalize())
}

fn joined(values: impl Iterator<Item = String>) -> String {
    values
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

fn person_item(row: &PersonRow, source: String) -> PackItem {
    let (id, surname, forenames, dob, gender, details, pnc, cro, merged, _, _, _) = row;
    let d: shared::people::PersonDetails =
        serde_json::from_value(details.clone()).unwrap_or_default();
    let mut fields = vec![
        field("surname", surname.clone()),
        field("forenames", forenames.clone().unwrap_or_default()),
        field(
            "date_of_birth",
            dob.map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
        ),
        field("gender", gender.clone()),
        field(
            "aliases",
            joined(
                d.aliases
                    .iter()
                    .map(|a| format!("{} {}", a.forenames, a.surname).trim().to_owned()),
            ),
        ),
        field(
            "alternative_dates_of_birth",
            d.alternative_dates_of_birth.join("; "),
        ),
        field("self_defined_ethnicity", d.self_defined_ethnicity.clone()),
        field("observed_ethnicity", d.observed_ethnicity.clone()),
        field("pnc_id", pnc.clone().unwrap_or_default()),
        field("cro_number", cro.clone().unwrap_or_default()),
        field(
            "warning_markers",
            joined(d.warning_markers.iter().map(|m| {
                serde_json::to_value(m)
                    .map(|v| {
                        let mut parts = Vec::new();
                        flatten("", &v, &mut parts);
                        parts
                            .into_iter()
                            .map(|(_, v)| v)
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            })),
        ),
        field(
            "addresses",
            joined(d.addresses.iter().map(|a| {
                serde_json::to_value(a)
                    .map(|v| {
                        let mut parts = Vec::new();
                        flatten("", &v, &mut parts);
                        parts
                            .into_iter()
                            .map(|(_, v)| v)
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            })),
        ),
    ];
    fields.retain(|f| !f.value.is_empty());
    let name = format!("{} {surname}", forenames.clone().unwrap_or_default())
        .trim()
        .to_owned();
    let mut item = PackItem {
        key: format!("person:{id}"),
        category: "person".into(),
        title: if merged.is_some() {
            format!("Person record {name} (a duplicate, merged)")
        } else {
            format!("Person record {name}")
        },
        record_id: Some(*id),
        reference: None,
        role: None,
        subject_category: None,
        source,
        fields,
        default: None,
        decision: None,
        digest: String::new(),
    };
    item.digest = digest(&item);
    item
}

fn title_of(family: &str, kind: &str, reference: &Option<String>, summary: &str) -> String {
    let kind = label(kind);
    match (family, reference) {
        ("event", Some(r)) => format!("{kind} {r}"),
        _ if !summary.is_empty() => format!("{kind}: {summary}"),
        _ => kind,
    }
}

/// Where each record came from: the legacy system, or whoever made it.
async fn sources(tx: &mut Tx, refs: &[(String, Uuid)]) -> Result<HashMap<Uuid, String>, ApiError> {
    #[derive(QueryableByName)]
    struct Made {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        record_id: Uuid,
        #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Text>)]
        actor_roles: Vec<String>,
        #[diesel(sql_type = diesel::sql_types::Text)]
        actor_type: String,
        #[diesel(sql_type = diesel::sql_types::Timestamptz)]
        occurred_at: DateTime<Utc>,
    }
    let (types, ids): (Vec<String>, Vec<Uuid>) = refs.iter().cloned().unzip();
    let made: Vec<Made> = diesel::sql_query(
        "SELECT DISTINCT ON (r.record_id) r.record_id, e.actor_roles, e.actor_type, e.occurred_at \
         FROM unnest($1::text[], $2::uuid[]) AS w(record_type, record_id) \
         JOIN audit_event_records r ON r.record_type = w.record_type AND r.record_id = w.record_id \
         JOIN audit_events e ON e.seq = r.event_seq \
         WHERE e.operation = 'collection' AND e.outcome = 'allowed' \
         ORDER BY r.record_id, r.event_seq",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(types)
    .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(ids)
    .load(tx.conn()?)
    .await?;
    Ok(made
        .into_iter()
        .map(|m| {
            let who = match (m.actor_type.as_str(), <[String]>::first(&m.actor_roles)) {
                ("user", Some(role)) => match role.parse::<shared::permissions::Role>() {
                    Ok(role) => format!(
                        "a member of staff working as {}",
                        role.label().to_lowercase()
                    ),
                    Err(_) => "a member of staff".into(),
                },
                ("api_client", _) => "a connected police system".into(),
                _ => "the force's records system".into(),
            };
            (
                m.record_id,
                format!("Recorded by {who} on {}", m.occurred_at.format("%d/%m/%Y")),
            )
        })
        .collect())
}

fn legacy(system: &Option<String>, id: &Option<String>) -> Option<String> {
    Some(format!(
        "Imported from the legacy system {} (its record {})",
        system.as_ref()?,
        id.clone().unwrap_or_else(|| "without an id".into())
    ))
}

#[derive(QueryableByName)]
struct Seen {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    seq: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    position: Option<i64>,
}

/// Who has seen the subject's records, and who received them: the
/// consultation and disclosure events that touched any of them, allowed.
async fn seen(
    tx: &mut Tx,
    refs: &[(String, Uuid)],
) -> Result<(Vec<crate::audit::rows::EventRow>, HashMap<i64, i64>), ApiError> {
    let (types, ids): (Vec<String>, Vec<Uuid>) = refs.iter().cloned().unzip();
    let rows: Vec<Seen> = diesel::sql_query(
        "SELECT DISTINCT r.event_seq AS seq, c.position \
         FROM unnest($1::text[], $2::uuid[]) AS w(record_type, record_id) \
         JOIN audit_event_records r ON r.record_type = w.record_type AND r.record_id = w.record_id \
         JOIN audit_events e ON e.seq = r.event_seq \
         LEFT JOIN audit_chain c ON c.event_seq = e.seq \
         WHERE e.operation IN ('consultation', 'disclosure') AND e.outcome = 'allowed'",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(types)
    .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(ids)
    .load(tx.conn()?)
    .await?;
    let positions: HashMap<i64, i64> = rows
        .iter()
        .filter_map(|r| Some((r.seq, r.position?)))
        .collect();
    let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
    let mut events: Vec<crate::audit::rows::EventRow> = crate::db::schema::audit_events::table
        .filter(crate::db::schema::audit_events::seq.eq_any(&seqs))
        .select(crate::audit::rows::EventRow::as_select())
        .load(tx.conn()?)
        .await?;
    events.sort_by_key(|e| (e.occurred_at, e.seq));
    Ok((events, positions))
}

/// Names the recipient of a disclosure for the subject.
fn recipient_name(code: &str, organisations: &HashMap<Uuid, String>) -> String {
    if let Some(id) = code
        .strip_prefix("organisation:")
        .and_then(|i| i.parse().ok())
    {
        return organisations
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "An organisation no longer on the force's list".into());
    }
    if code.starts_with("api_client:") {
        return "A connected police system".into();
    }
    if code.starts_with("data_subject:") {
        return "You (an earlier response to a request of yours)".into();
    }
    "Not recorded".into()
}

/// Builds the working pack and stores it as the next compile.
pub async fn compile(
    tx: &mut Tx,
    blocks: &crate::audit::proofs::BlockCache,
    id: Uuid,
    today: NaiveDate,
) -> Result<Audited<CompileSummary>, ApiError> {
    let case = store::row(tx, id, true).await?;
    store::still_open(&case)?;
    if !matches!(
        Case(&case).status(),
        RequestStatus::Compiling | RequestStatus::Reviewing
    ) {
        return Err(ApiError::new(ErrorCode::Conflict)
            .detail("Record proof of the requester's identity before compiling"));
    }
    let person_ids = people_of(tx, id).await?;
    let person_rows: Vec<PersonRow> = people::table
        .filter(people::id.eq_any(&person_ids))
        .order((people::merged_into.is_not_null(), people::created_at))
        .select((
            people::id,
            people::surname,
            people::forenames,
            people::date_of_birth,
            people::gender,
            people::details,
            people::pnc_id,
            people::cro_number,
            people::merged_into,
            people::source_system,
            people::source_id,
            people::created_at,
        ))
        .load(tx.conn()?)
        .await?;
    // Every link to the subject, with their role and category.
    let subject_links: Vec<(String, Uuid, String, Uuid, String, Option<String>)> = links::table
        .filter(
            links::from_type
                .eq("person")
                .and(links::from_id.eq_any(&person_ids))
                .or(links::to_type
                    .eq("person")
                    .and(links::to_id.eq_any(&person_ids))),
        )
        .select((
            links::from_type,
            links::from_id,
            links::to_type,
            links::to_id,
            links::role,
            links::subject_category,
        ))
        .load(tx.conn()?)
        .await?;
    let subjects: HashSet<Uuid> = person_ids.iter().copied().collect();
    let mut roles: BTreeMap<Uuid, (String, Option<String>)> = BTreeMap::new();
    for (ft, fid, tt, tid, role, category) in &subject_links {
        let other = if subjects.contains(fid) && ft == "person" {
            (tt, tid)
        } else {
            (ft, fid)
        };
        if other.0 != "person" {
            roles
                .entry(*other.1)
                .or_insert((role.clone(), category.clone()));
        }
    }
    let record_ids: Vec<Uuid> = roles.keys().copied().collect();
    let record_rows: Vec<RecordRow> = records::table
        .filter(records::id.eq_any(&record_ids))
        .order((records::family, records::sort_at.desc()))
        .select((
            records::id,
            records::family,
            records::kind,
            records::reference,
            records::occurred_at,
            records::handling_code,
            records::summary,
            records::details,
            records::source_system,
            records::source_id,
            records::created_at,
        ))
        .load(tx.conn()?)
        .await?;
    // Other people on the same records: named nowhere in the pack.
    let others: Vec<(String, Uuid, String, Uuid)> = links::table
        .filter(
            links::from_id
                .eq_any(&record_ids)
                .and(links::to_type.eq("person"))
                .or(links::to_id
                    .eq_any(&record_ids)
                    .and(links::from_type.eq("person"))),
        )
        .select((
            links::from_type,
            links::from_id,
            links::to_type,
            links::to_id,
        ))
        .load(tx.conn()?)
        .await?;
    let other_people: Vec<Uuid> = others
        .iter()
        .map(|(ft, fid, _, tid)| if ft == "person" { *fid } else { *tid })
        .filter(|p| !subjects.contains(p))
        .collect();
    let other_rows: Vec<(String, Option<String>, serde_json::Value)> = people::table
        .filter(people::id.eq_any(&other_people))
        .select((people::surname, people::forenames, people::details))
        .load(tx.conn()?)
        .await?;
    // Their name words, folded, except words the subject's own names share
    // (the subject's first name is no secret from them).
    let own: HashSet<String> = person_rows
        .iter()
        .flat_map(|p| {
            let mut words: Vec<String> =
                p.2.clone()
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect();
            words.extend(p.1.split_whitespace().map(str::to_owned));
            words
        })
        .map(|w| shared::people::keys::fold(&w))
        .collect();
    let mut other_names: HashSet<String> = HashSet::new();
    for (surname, forenames, details) in other_rows {
        let d: shared::people::PersonDetails = serde_json::from_value(details).unwrap_or_default();
        for (f, s) in std::iter::once((forenames.unwrap_or_default(), surname))
            .chain(d.aliases.into_iter().map(|a| (a.forenames, a.surname)))
        {
            for part in f.split_whitespace().chain(s.split_whitespace()) {
                let folded = shared::people::keys::fold(part);
                if folded.chars().count() >= 2 && !own.contains(&folded) {
                    other_names.insert(folded);
                }
            }
        }
    }
    // Where each came from.
    let mut refs: Vec<(String, Uuid)> = person_ids
        .iter()
        .map(|p| ("person".to_owned(), *p))
        .collect();
    refs.extend(record_rows.iter().map(|r| (r.1.clone(), r.0)));
    let made = sources(tx, &refs).await?;
    let source = |id: &Uuid, system: &Option<String>, source_id: &Option<String>| {
        legacy(system, source_id)
            .or_else(|| made.get(id).cloned())
            .unwrap_or_else(|| "Recorded in the force's records system".into())
    };
    let mut items: Vec<PackItem> = person_rows
        .iter()
        .map(|p| person_item(p, source(&p.0, &p.9, &p.10)))
        .collect();
    for (
        rid,
        family,
        kind,
        reference,
        occurred_at,
        handling,
        summary,
        details,
        system,
        source_id,
        _,
    ) in &record_rows
    {
        let mut flat = Vec::new();
        flatten("details", details, &mut flat);
        let mut fields: Vec<PackField> = Vec::new();
        if let Some(at) = occurred_at {
            fields.push(field(
                "occurred_at",
                at.format("%d/%m/%Y %H:%M").to_string(),
            ));
        }
        if !summary.is_empty() {
            fields.push(field("summary", summary.clone()));
        }
        for (path, value) in flat {
            if path == "details.kind" {
                continue;
            }
            let mut f = field(&path, value);
            if OTHERS.iter().any(|o| path.contains(o)) {
                f.redacted_by_default = true;
            } else {
                // The working view keeps the text; what is released by
                // default names no one else.
                f.release_value = without_others(&f.value, &other_names);
            }
            fields.push(f);
        }
        let (role, category) = roles.get(rid).cloned().unwrap_or_default();
        let intelligence = kind == "intelligence";
        let mut item = PackItem {
            key: format!("{family}:{rid}"),
            category: family.clone(),
            title: title_of(family, kind, reference, summary),
            record_id: Some(*rid),
            reference: reference.clone(),
            role: Some(label(&role)),
            subject_category: category.map(|c| label(&c)),
            source: source(rid, system, source_id),
            fields,
            default: intelligence.then(|| Decision {
                decision: ItemDecision::Withhold,
                redactions: Vec::new(),
                unredacted: Vec::new(),
                ground: Some(WithholdingGround::Crime),
                reason: Some(format!(
                    "Intelligence (handling code {}) is withheld by default under s.45(4)(b) until the data protection officer decides otherwise",
                    handling.clone().unwrap_or_else(|| "P".into())
                )),
                decided_by: None,
                decided_at: None,
            }),
            decision: None,
            digest: String::new(),
        };
        item.digest = digest(&item);
        items.push(item);
    }
    // Recipients and consultations, from the log.
    let (events, positions) = seen(tx, &refs).await?;
    let org_ids: Vec<Uuid> = events
        .iter()
        .flat_map(|e| e.recipients.iter())
        .filter_map(|r| r.strip_prefix("organisation:")?.parse().ok())
        .collect();
    let names: HashMap<Uuid, String> = organisations::table
        .filter(organisations::id.eq_any(&org_ids))
        .select((organisations::id, organisations::name))
        .load::<(Uuid, String)>(tx.conn()?)
        .await?
        .into_iter()
        .collect();
    let recipients: Vec<DisclosureEntry> = events
        .iter()
        .filter(|e| e.operation == "disclosure")
        .flat_map(|e| {
            e.recipients.iter().map(|r| DisclosureEntry {
                occurred_at: e.occurred_at,
                recipient: recipient_name(r, &names),
                purpose: e.purpose.clone(),
            })
        })
        .collect();
    let consultations = history(tx, blocks, &events, &positions).await?;
    for (key, title, lines) in [
        (
            "recipients",
            "Who your records were disclosed to",
            recipients
                .iter()
                .map(|r| {
                    format!(
                        "{} — {} — {}",
                        r.occurred_at.format("%d/%m/%Y"),
                        r.recipient,
                        r.purpose.clone().unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>(),
        ),
        (
            "consultations",
            "Who has seen your records",
            consultations
                .entries
                .iter()
                .map(|c| {
                    format!(
                        "{} — {} — {}",
                        c.occurred_at.format("%d/%m/%Y %H:%M"),
                        c.by,
                        c.purpose.clone().unwrap_or_default()
                    )
                })
                .collect(),
        ),
    ] {
        let mut item = PackItem {
            key: key.into(),
            category: key.into(),
            title: title.into(),
            record_id: None,
            reference: None,
            role: None,
            subject_category: None,
            source: "The force's audit log (DPA 2018 s.62)".into(),
            fields: lines
                .into_iter()
                .enumerate()
                .map(|(i, l)| field(&format!("entries[{i}]"), l))
                .collect(),
            default: Some(Decision {
                decision: ItemDecision::Release,
                redactions: Vec::new(),
                unredacted: Vec::new(),
                ground: None,
                reason: None,
                decided_by: None,
                decided_at: None,
            }),
            decision: None,
            digest: String::new(),
        };
        item.digest = digest(&item);
        items.push(item);
    }
    let summary = store_compile(tx, id, &items, recipients, consultations).await?;
    let moved = Case(&case).status() == RequestStatus::Compiling;
    if moved {
        store::set_status(tx, id, RequestStatus::Reviewing, today).await?;
    }
    store::note(
        tx,
        id,
        &format!("Pack compiled (number {})", summary.number),
        Some(format!(
            "{} items; {} new, {} gone, {} changed since the last compile",
            summary.items,
            summary.added.len(),
            summary.removed.len(),
            summary.changed.len()
        )),
    )
    .await?;
    let mut read: Vec<RecordRef> = vec![record(id)];
    read.extend(refs.iter().map(|(t, i)| RecordRef::new(t, *i)));
    let event = AuditEvent::new(Operation::Consultation, "rights.compile", read);
    let audited = Audited::new(summary, event);
    Ok(if moved {
        audited.and(
            AuditEvent::new(Operation::Alteration, "rights.update", vec![record(id)])
                .fields(vec!["status".into()]),
        )
    } else {
        audited
    })
}

/// The consultation history with an audit path for every sealed entry to
/// the newest checkpoint's Merkle root.
async fn history(
    tx: &mut Tx,
    blocks: &crate::audit::proofs::BlockCache,
    events: &[crate::audit::rows::EventRow],
    positions: &HashMap<i64, i64>,
) -> Result<ConsultationHistory, ApiError> {
    use crate::db::schema::audit_checkpoints;
    let checkpoint: Option<crate::audit::rows::CheckpointRow> = audit_checkpoints::table
        .filter(audit_checkpoints::merkle_root.is_not_null())
        .order(audit_checkpoints::position.desc())
        .select(crate::audit::rows::CheckpointRow::as_select())
        .first(tx.conn()?)
        .await
        .optional()?;
    let covered: Vec<&crate::audit::rows::EventRow> = events
        .iter()
        .filter(|e| {
            positions
                .get(&e.seq)
                .is_some_and(|p| checkpoint.as_ref().is_some_and(|c| *p <= c.position))
        })
        .collect();
    let mut paths = HashMap::new();
    if let Some(cp) = &checkpoint
        && let Some(root) = cp
            .merkle_root
            .as_ref()
            .and_then(|r| <[u8; 32]>::try_from(r.as_slice()).ok())
    {
        let wanted: Vec<i64> = covered
            .iter()
            .filter_map(|e| positions.get(&e.seq).copied())
            .collect();
        paths =
            crate::audit::proofs::paths(tx.conn()?, blocks, &wanted, cp.position, &root).await?;
    }
    let seqs: Vec<i64> = covered.iter().map(|e| e.seq).collect();
    let records = crate::audit::rows::records_of(tx.conn()?, &seqs).await?;
    let v1_texts: Vec<Vec<u8>> = Vec::new();
    let held = crate::audit::texts::load(tx.conn()?, &v1_texts).await?;
    let entries = covered
        .into_iter()
        .filter_map(|e| {
            let position = *positions.get(&e.seq)?;
            let stamped =
                e.to_stamped(records.get(&e.seq).map(Vec::as_slice).unwrap_or(&[]), &held);
            Some(ConsultationEntry {
                occurred_at: e.occurred_at,
                operation: e.operation.clone(),
                purpose: e.purpose.clone(),
                by: by(&e.actor_type, &e.actor_roles),
                position,
                canonical_version: e.canonical_version,
                canonical: stamped.canonical_json(),
                content_hash: hex::encode(&e.content_hash),
                audit_path: paths.get(&position)?.iter().map(hex::encode).collect(),
            })
        })
        .collect();
    Ok(ConsultationHistory {
        entries,
        checkpoint: checkpoint.map(|c| c.view()),
        how_to_verify: HOW_TO_VERIFY.to_owned(),
    })
}

/// Who looked, without their name (s.45(4)(e)).
fn by(actor_type: &str, roles: &[String]) -> String {
    match actor_type {
        "api_client" => "A connected police system".into(),
        "system" => "The records system".into(),
        _ => {
            let roles: Vec<String> = roles
                .iter()
                .filter_map(|r| r.parse::<shared::permissions::Role>().ok())
                .map(|r| r.label().to_owned())
                .collect();
            if roles.is_empty() {
                "A member of staff".into()
            } else {
                format!("A member of staff ({})", roles.join(", "))
            }
        }
    }
}

/// Stores the compile and says how it differs from the last; decisions on
/// items that changed are set aside, to be made again on what is now held.
async fn store_compile(
    tx: &mut Tx,
    id: Uuid,
    items: &[PackItem],
    recipients: Vec<DisclosureEntry>,
    consultations: ConsultationHistory,
) -> Result<CompileSummary, ApiError> {
    let previous: Option<(i32, serde_json::Value)> = rights_packs::table
        .filter(rights_packs::request_id.eq(id))
        .order(rights_packs::number.desc())
        .select((rights_packs::number, rights_packs::digests))
        .first(tx.conn()?)
        .await
        .optional()?;
    let number = previous.as_ref().map(|p| p.0 + 1).unwrap_or(1);
    // Key → (title, digest) of the last compile.
    let before: HashMap<String, (String, String)> = previous
        .map(|p| serde_json::from_value(p.1).unwrap_or_default())
        .unwrap_or_default();
    let now_keys: HashSet<&str> = items.iter().map(|i| i.key.as_str()).collect();
    let added: Vec<String> = items
        .iter()
        .filter(|i| !before.contains_key(&i.key))
        .map(|i| i.title.clone())
        .collect();
    let changed_keys: Vec<String> = items
        .iter()
        .filter(|i| before.get(&i.key).is_some_and(|(_, d)| *d != i.digest))
        .map(|i| i.key.clone())
        .collect();
    let removed: Vec<String> = before
        .iter()
        .filter(|(k, _)| !now_keys.contains(k.as_str()))
        .map(|(_, (title, _))| title.clone())
        .collect();
    if !changed_keys.is_empty() {
        diesel::delete(
            rights_pack_decisions::table
                .filter(rights_pack_decisions::request_id.eq(id))
                .filter(rights_pack_decisions::item_key.eq_any(&changed_keys)),
        )
        .execute(tx.conn()?)
        .await?;
    }
    let changed: Vec<String> = items
        .iter()
        .filter(|i| changed_keys.contains(&i.key))
        .map(|i| i.title.clone())
        .collect();
    let mut working = WorkingPack {
        summary: CompileSummary {
            number,
            compiled_at: Utc::now(),
            items: items.len(),
            undecided: 0,
            added,
            removed,
            changed,
        },
        items: items.to_vec(),
        recipients,
        consultations,
    };
    super::decide::apply(tx, id, &mut working).await?;
    let digests: HashMap<&str, (&str, &str)> = items
        .iter()
        .map(|i| (i.key.as_str(), (i.title.as_str(), i.digest.as_str())))
        .collect();
    let needs_decision: Vec<&str> = items
        .iter()
        .filter(|i| i.default.is_none())
        .map(|i| i.key.as_str())
        .collect();
    diesel::insert_into(rights_packs::table)
        .values((
            rights_packs::request_id.eq(id),
            rights_packs::number.eq(number),
            rights_packs::compiled_by.eq(tx.ctx().actor.id()),
            rights_packs::working.eq(serde_json::to_value(&working).unwrap_or_default()),
            rights_packs::summary.eq(serde_json::to_value(&working.summary).unwrap_or_default()),
            rights_packs::digests.eq(serde_json::to_value(&digests).unwrap_or_default()),
            rights_packs::needs_decision.eq(&needs_decision),
        ))
        .execute(tx.conn()?)
        .await?;
    Ok(working.summary)
}

/// The latest compile, with the decisions made so far on its items.
pub async fn latest(tx: &mut Tx, id: Uuid) -> Result<Option<WorkingPack>, ApiError> {
    let stored: Option<serde_json::Value> = rights_packs::table
        .filter(rights_packs::request_id.eq(id))
        .order(rights_packs::number.desc())
        .select(rights_packs::working)
        .first(tx.conn()?)
        .await
        .optional()?;
    let Some(stored) = stored else {
        return Ok(None);
    };
    let mut pack: WorkingPack = serde_json::from_value(stored)
        .map_err(|e| ApiError::internal("a stored pack could not be read").with_cause(e))?;
    super::decide::apply(tx, id, &mut pack).await?;
    Ok(Some(pack))
}

/// The latest compile's summary, for the case view, with what is still
/// undecided counted from the decisions (without reading the whole pack).
pub async fn latest_summary(tx: &mut Tx, id: Uuid) -> Result<Option<CompileSummary>, ApiError> {
    let stored: Option<(serde_json::Value, Vec<String>)> = rights_packs::table
        .filter(rights_packs::request_id.eq(id))
        .order(rights_packs::number.desc())
        .select((rights_packs::summary, rights_packs::needs_decision))
        .first(tx.conn()?)
        .await
        .optional()?;
    let Some((summary, needs)) = stored else {
        return Ok(None);
    };
    let mut summary: CompileSummary = serde_json::from_value(summary)
        .map_err(|e| ApiError::internal("a stored pack summary could not be read").with_cause(e))?;
    let decided: i64 = rights_pack_decisions::table
        .filter(rights_pack_decisions::request_id.eq(id))
        .filter(rights_pack_decisions::item_key.eq_any(&needs))
        .count()
        .get_result(tx.conn()?)
        .await?;
    summary.undecided = needs.len().saturating_sub(decided as usize);
    Ok(Some(summary))
}

/// Whether any person record is attached to the case.
pub async fn has_subjects(tx: &mut Tx, id: Uuid) -> Result<bool, ApiError> {
    let n: i64 = rights_request_subjects::table
        .filter(rights_request_subjects::request_id.eq(id))
        .count()
        .get_result(tx.conn()?)
        .await?;
    Ok(n > 0)
}
