//! After the erasure commits: the justification texts written meanwhile,
//! the ledger file, the index purge, the probe, and the certificate, whose
//! hash goes into the audit log. If the process stops part way, the next
//! start finishes it (`finish_pending`): the plan keeps what it needs until
//! the certificate is issued, and no longer.

use super::plan::{self, Stored};
use super::{ledger, probe};
use crate::audit::{self, AuditEvent, Audited, Operation, RecordRef};
use crate::auth::RequestContext;
use crate::db::schema::{
    audit_chain, audit_event_records, audit_events, erasure_certificates, erasure_plans,
    rights_requests,
};
use crate::error::ApiError;
use crate::pdf::{Layout, Weight};
use crate::state::AppState;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use sha2::{Digest, Sha256};
use shared::ids::PersonId;
use shared::links::RecordKey;
use shared::rights::erasure::{ErasedKind, ErasureCertificate, IssuedCertificate, TracePlace};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The SHA-256 of the certificate's JSON as issued.
pub fn digest(c: &ErasureCertificate) -> Result<String, ApiError> {
    let json = serde_json::to_vec(c).map_err(ApiError::internal)?;
    Ok(hex::encode(Sha256::digest(json)))
}

/// Finishes the erasure planned as `plan_id` and issues its certificate.
/// `reapplies` names the certificate of an erasure being re-applied to a
/// restored database.
pub async fn finish(
    state: &AppState,
    ctx: &RequestContext,
    plan_id: Uuid,
    reapplies: Option<Uuid>,
) -> Result<IssuedCertificate, ApiError> {
    let stored = {
        let mut conn = state.pool.get().await?;
        plan::load(&mut conn, plan_id, false).await?
    };
    if let Some(existing) = read_stored(state, stored.plan.certificate).await? {
        return Ok(existing);
    }
    let done = stored
        .done
        .clone()
        .ok_or_else(|| ApiError::internal("the plan has not run"))?;
    let values = stored
        .values
        .clone()
        .ok_or_else(|| ApiError::internal("the plan lost what to look for"))?;
    // Texts written by requests in flight during the erasure, which it could
    // not see, go now; and this server's remembered keys are forgotten.
    let names: Vec<String> = values
        .names
        .iter()
        .chain(&values.identifiers)
        .cloned()
        .collect();
    let erasure = crate::audit::texts::Erasure {
        request_id: done.request_id.clone(),
        person: stored.plan.person.0,
    };
    let late = crate::audit::texts::erase_naming_after_commit(state, &names, &erasure).await?;
    ledger::append_to_file(state, &ledger::entry_of(&done)).map_err(ApiError::internal)?;
    // The index: every deletion and redaction applied, then the segments
    // that still hold the old documents merged away.
    crate::search::outbox::catch_up(state)
        .await
        .map_err(ApiError::internal)?;
    state
        .search
        .engine
        .purge()
        .await
        .map_err(ApiError::internal)?;
    let index_purged_at = Utc::now();
    let mut ids: Vec<Uuid> = done.erased_people.clone();
    ids.extend(done.erased_records.iter().map(|(_, _, id)| *id));
    let probe = probe::run(state, &values, &ids, plan_id)
        .await
        .map_err(ApiError::internal)?;
    let mut kinds: BTreeMap<(String, String), Vec<Uuid>> = BTreeMap::new();
    for p in &done.erased_people {
        kinds
            .entry(("person".into(), "person".into()))
            .or_default()
            .push(*p);
    }
    for (family, kind, id) in &done.erased_records {
        kinds
            .entry((family.clone(), kind.clone()))
            .or_default()
            .push(*id);
    }
    let mut copies: Vec<TracePlace> = done
        .copies
        .iter()
        .map(|(place, count)| TracePlace {
            place: place.clone(),
            count: *count,
        })
        .collect();
    copies.push(TracePlace {
        place: "justification texts written during the erasure".into(),
        count: late,
    });
    let request = match stored.plan.request {
        Some(r) => {
            let mut conn = state.pool.get().await?;
            rights_requests::table
                .find(r)
                .select(rights_requests::reference)
                .first::<String>(&mut conn)
                .await
                .optional()?
        }
        None => None,
    };
    let review: Option<Uuid> = {
        let mut conn = state.pool.get().await?;
        crate::db::schema::retention_reviews::table
            .filter(crate::db::schema::retention_reviews::certificate_id.eq(done.certificate))
            .select(crate::db::schema::retention_reviews::id)
            .first(&mut conn)
            .await
            .optional()?
    };
    let certificate = ErasureCertificate {
        id: done.certificate,
        plan: plan_id,
        controller: state.config.controller_name.clone(),
        person: stored.plan.person,
        request,
        review,
        authorised_by: done.authorised_by,
        authorised_roles: done.authorised_roles.clone(),
        started_at: done.started_at,
        erased_at: done.erased_at,
        index_purged_at,
        erased: kinds
            .into_iter()
            .map(|((record_type, kind), ids)| ErasedKind {
                record_type,
                kind,
                count: ids.len(),
                ids,
            })
            .collect(),
        unlinked: done
            .unlinked
            .iter()
            .map(|(t, id)| RecordKey {
                record_type: *t,
                id: *id,
            })
            .collect(),
        passages_redacted: done.passages_redacted,
        restricted: stored.plan.restrict.clone(),
        copies,
        kept: stored.plan.keep.clone(),
        probe,
        audit_position: None,
        reapplies,
    };
    let sha256 = digest(&certificate)?;
    let cleaned = cleaned(stored);
    let (cert, hash) = (certificate.clone(), sha256.clone());
    audit::run(state, ctx, move |tx| {
        Box::pin(async move {
            diesel::insert_into(erasure_certificates::table)
                .values((
                    erasure_certificates::id.eq(cert.id),
                    erasure_certificates::plan_id.eq(cert.plan),
                    erasure_certificates::issued_by.eq(cert.authorised_by),
                    erasure_certificates::certificate
                        .eq(serde_json::to_value(&cert).map_err(ApiError::internal)?),
                    erasure_certificates::sha256
                        .eq(hex::decode(&hash).map_err(ApiError::internal)?),
                ))
                .execute(tx.conn()?)
                .await?;
            // The plan no longer needs what it looked for, nor the texts.
            plan::save(tx.conn()?, &cleaned).await?;
            let event = AuditEvent::new(
                Operation::Erasure,
                "erasure.certificate",
                vec![
                    RecordRef::new("erasure_certificate", cert.id),
                    RecordRef::new("person", cert.person.0),
                ],
            )
            .fields(vec![format!("sha256:{hash}")]);
            Ok(Audited::new((), event))
        })
    })
    .await?;
    tracing::info!(
        certificate = %certificate.id,
        person.id = %certificate.person.0,
        probe = %certificate.probe.result,
        "erasure certified"
    );
    Ok(IssuedCertificate {
        certificate,
        sha256,
    })
}

/// The plan once certified: ids, kinds and reasons; no passage text, and
/// nothing to look for.
fn cleaned(mut stored: Stored) -> Stored {
    stored.values = None;
    stored.others_in.clear();
    for p in &mut stored.plan.passages {
        p.held.clear();
        p.proposed.clear();
        p.confirmed = Some(String::new());
    }
    stored
}

async fn read_stored(
    state: &AppState,
    id: Option<Uuid>,
) -> Result<Option<IssuedCertificate>, ApiError> {
    let Some(id) = id else { return Ok(None) };
    let mut conn = state.pool.get().await?;
    let row: Option<(serde_json::Value, Vec<u8>)> = erasure_certificates::table
        .find(id)
        .select((
            erasure_certificates::certificate,
            erasure_certificates::sha256,
        ))
        .first(&mut conn)
        .await
        .optional()?;
    let Some((json, sha)) = row else {
        return Ok(None);
    };
    let mut certificate: ErasureCertificate =
        serde_json::from_value(json).map_err(ApiError::internal)?;
    // Where the log holds its hash, once sealed.
    let position: Option<i64> = audit_chain::table
        .inner_join(audit_events::table)
        .inner_join(
            audit_event_records::table.on(audit_event_records::event_seq.eq(audit_events::seq)),
        )
        .filter(audit_events::action.eq("erasure.certificate"))
        .filter(audit_event_records::record_id.eq(id))
        .select(audit_chain::position)
        .first(&mut conn)
        .await
        .optional()?;
    certificate.audit_position = position;
    Ok(Some(IssuedCertificate {
        certificate,
        sha256: hex::encode(sha),
    }))
}

/// A certificate, read in an audited transaction (it lists ids only, but
/// reading it is still noted).
pub async fn read(
    state: &AppState,
    ctx: &RequestContext,
    id: Uuid,
) -> Result<IssuedCertificate, ApiError> {
    let found = read_stored(state, Some(id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    audit::run(state, ctx, |_tx| {
        Box::pin(async move {
            let event = AuditEvent::new(
                Operation::Consultation,
                "erasure.certificate.read",
                vec![RecordRef::new("erasure_certificate", id)],
            );
            Ok(Audited::new((), event))
        })
    })
    .await?;
    Ok(found)
}

/// Erasures that committed but whose certificate was never issued (the
/// process stopped after commit): finished now, at start.
pub async fn finish_pending(state: &AppState) -> anyhow::Result<usize> {
    let pending: Vec<Uuid> = {
        let mut conn = state.pool.get().await?;
        erasure_plans::table
            .left_join(
                erasure_certificates::table.on(erasure_certificates::id
                    .nullable()
                    .eq(erasure_plans::certificate_id)),
            )
            .filter(erasure_plans::executed_at.is_not_null())
            .filter(erasure_certificates::id.is_null())
            .select(erasure_plans::id)
            .load(&mut conn)
            .await?
    };
    let ctx = RequestContext::system("erasure-finisher", Vec::new());
    for id in &pending {
        finish(state, &ctx, *id, None)
            .await
            .map_err(|e| anyhow::anyhow!("finishing erasure plan {id}: {e}"))?;
    }
    Ok(pending.len())
}

fn short(id: Uuid) -> String {
    id.to_string()
}

/// The certificate as a PDF: ids and counts, never content.
pub fn render(issued: &IssuedCertificate) -> Result<Vec<u8>, String> {
    let c = &issued.certificate;
    let mut l = Layout::new().ok_or("the embedded fonts could not be measured")?;
    l.text(&c.controller, 15.0, Weight::Bold, 0.0, 2.0);
    l.text("Certificate of erasure", 13.0, Weight::Regular, 0.0, 2.0);
    l.text(
        "Data Protection Act 2018, section 47: personal data erased, every copy.",
        10.0,
        Weight::Regular,
        0.0,
        8.0,
    );
    let PersonId(person) = c.person;
    let mut facts = vec![
        format!("Certificate {}", c.id),
        format!("Person (by id) {person}"),
    ];
    if let Some(r) = &c.request {
        facts.push(format!("Rights request {r}"));
    }
    if let Some(r) = c.review {
        facts.push(format!("Retention review {r}"));
    }
    if let Some(r) = c.reapplies {
        facts.push(format!(
            "Re-applies certificate {r} to a database restored from a backup"
        ));
    }
    facts.push(format!(
        "Authorised by user {} ({})",
        c.authorised_by
            .map(short)
            .unwrap_or_else(|| "Probity itself".into()),
        c.authorised_roles.join(", ")
    ));
    facts.push(format!(
        "Started {}",
        c.started_at.format("%Y-%m-%d %H:%M:%S UTC")
    ));
    facts.push(format!(
        "Erased {}",
        c.erased_at.format("%Y-%m-%d %H:%M:%S UTC")
    ));
    facts.push(format!(
        "Search index purged {}",
        c.index_purged_at.format("%Y-%m-%d %H:%M:%S UTC")
    ));
    facts.push(format!(
        "SHA-256 of this certificate's JSON: {}",
        issued.sha256
    ));
    if let Some(p) = c.audit_position {
        facts.push(format!("Its hash is in the audit log at position {p}"));
    }
    for f in facts {
        l.text(&f, 9.5, Weight::Regular, 0.0, 1.0);
    }
    l.heading("Erased");
    for k in &c.erased {
        l.text(
            &format!("{} · {} · {}", k.record_type, k.kind, k.count),
            10.0,
            Weight::Bold,
            0.0,
            1.0,
        );
        let ids: Vec<String> = k.ids.iter().map(|i| i.to_string()).collect();
        l.text(&ids.join("  "), 8.0, Weight::Regular, 10.0, 4.0);
    }
    if !c.unlinked.is_empty() {
        l.heading("Kept for others, without the person");
        l.text(
            &format!(
                "{} record(s) lost their link to the person; {} passage(s) of text were redacted.",
                c.unlinked.len(),
                c.passages_redacted
            ),
            9.5,
            Weight::Regular,
            0.0,
            2.0,
        );
        for k in &c.unlinked {
            l.text(
                &format!("{} {}", k.record_type.as_str(), k.id),
                8.0,
                Weight::Regular,
                10.0,
                0.5,
            );
        }
    }
    if !c.restricted.is_empty() {
        l.heading("Restricted instead (section 47(2))");
        for h in &c.restricted {
            l.text(
                &format!(
                    "{} {} · legal hold {}: {} · review on {}",
                    h.record.record_type.as_str(),
                    h.record.id,
                    h.hold,
                    h.hold_reason,
                    h.review_on
                ),
                9.0,
                Weight::Regular,
                0.0,
                1.0,
            );
        }
    }
    l.heading("Other copies removed");
    for t in &c.copies {
        l.text(
            &format!("{}: {}", t.place, t.count),
            9.0,
            Weight::Regular,
            0.0,
            0.5,
        );
    }
    l.heading("Kept, and why");
    for k in &c.kept {
        l.text(&k.what, 9.5, Weight::Bold, 0.0, 0.5);
        l.text(&k.why, 9.0, Weight::Regular, 10.0, 3.0);
    }
    l.heading("The search afterwards");
    let p = &c.probe;
    l.text(
        &format!(
            "Run {} for {} distinctive value(s) (names, dates of birth, identifiers, never printed here): {} table(s) and {} text or JSON column(s) read whole, the search indexes {} asked for ids, words and values (deleted documents included), {} file(s) under the data directory read; {} ms.",
            p.ran_at.format("%Y-%m-%d %H:%M:%S UTC"),
            p.values_sought,
            p.tables,
            p.columns,
            p.indexes.join(" and "),
            p.files,
            p.took_ms
        ),
        9.5,
        Weight::Regular,
        0.0,
        3.0,
    );
    l.text(
        &format!("Result: {}", p.result),
        11.0,
        Weight::Bold,
        0.0,
        2.0,
    );
    for t in &p.traces {
        l.text(
            &format!("{}: {}", t.place, t.count),
            9.0,
            Weight::Regular,
            10.0,
            0.5,
        );
    }
    l.finish(&format!("Erasure certificate {}", c.id))
}
