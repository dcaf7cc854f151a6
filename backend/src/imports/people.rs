//! Writing a batch of imported people: one multi-row insert and one
//! collection event per person written, in one transaction.

use super::{BatchResult, RawLine, parse_body, split_source};
use crate::audit::{self, AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::auth::RequestContext;
use crate::db::schema::people;
use crate::error::ApiError;
use crate::people::store::{StoredDetails, keys_of};
use crate::state::AppState;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{ErrorCode, FieldError};
use shared::imports::LineError;
use shared::people::{PersonInput, ValidPerson};
use uuid::Uuid;

#[derive(Clone)]
struct Valid {
    line: u64,
    source_id: String,
    person: ValidPerson,
}

async fn insert(
    tx: &mut Tx,
    system: &str,
    batch: Uuid,
    people_in: &[Valid],
) -> Result<Audited<usize>, ApiError> {
    let now = Utc::now();
    let rows: Vec<_> = people_in
        .iter()
        .map(|v| {
            let p = &v.person;
            let stored = StoredDetails::of(&p.details);
            let (surname_key, forename_key) = keys_of(p);
            (
                people::id.eq(Uuid::new_v4()),
                people::surname.eq(p.surname.as_str().to_owned()),
                people::forenames.eq(p.forenames.as_ref().map(|f| f.as_str().to_owned())),
                people::date_of_birth.eq(p.date_of_birth),
                people::gender.eq(p.gender.as_str()),
                people::created_at.eq(now),
                people::updated_at.eq(now),
                people::details.eq(stored.json),
                people::pnc_id.eq(stored.pnc_id),
                people::cro_number.eq(stored.cro_number),
                people::name_key.eq(surname_key),
                people::forename_key.eq(forename_key),
                (
                    people::source_system.eq(system),
                    people::source_id.eq(v.source_id.as_str()),
                ),
            )
        })
        .collect();
    let written: Vec<Uuid> = diesel::insert_into(people::table)
        .values(rows)
        .on_conflict_do_nothing()
        .returning(people::id)
        .get_results(tx.conn()?)
        .await?;
    let events = written
        .iter()
        .map(|id| {
            AuditEvent::new(
                Operation::Collection,
                "person.import",
                vec![
                    RecordRef::new("person", *id),
                    RecordRef::new("import_batch", batch),
                ],
            )
        })
        .collect();
    Ok(Audited::many(written.len(), events))
}

pub async fn write(
    state: &AppState,
    ctx: &RequestContext,
    system: &str,
    batch: Uuid,
    lines: Vec<RawLine>,
) -> Result<BatchResult, ApiError> {
    let today = state.today();
    let mut result = BatchResult::default();
    let mut valid = Vec::with_capacity(lines.len());
    for line in lines {
        let parsed = split_source(&line).and_then(|(source_id, body)| {
            let input: PersonInput = parse_body(body)?;
            Ok(Valid {
                line: line.number,
                source_id,
                person: input.validate(today)?,
            })
        });
        match parsed {
            Ok(v) => valid.push(v),
            Err(errors) => result.failed.push(LineError {
                line: line.number,
                errors: errors.0,
            }),
        }
    }
    // Someone the data protection officer erased stays erased.
    let digests: Vec<Vec<u8>> = valid
        .iter()
        .map(|v| super::tombstone_digest(system, &v.source_id))
        .collect();
    let erased: std::collections::HashSet<Vec<u8>> = {
        use crate::db::schema::import_tombstones as t;
        let mut conn = state.pool.get().await?;
        t::table
            .filter(t::source_system.eq(system))
            .filter(t::source_digest.eq_any(&digests))
            .select(t::source_digest)
            .load::<Vec<u8>>(&mut conn)
            .await?
            .into_iter()
            .collect()
    };
    if !erased.is_empty() {
        let (gone, keep): (Vec<_>, Vec<_>) = valid
            .into_iter()
            .zip(digests)
            .partition(|(_, d)| erased.contains(d));
        result
            .failed
            .extend(gone.into_iter().map(|(v, _)| LineError {
                line: v.line,
                errors: vec![FieldError::new(
                    "source_id",
                    "erased",
                    "This person was erased and is not imported again",
                )],
            }));
        valid = keep.into_iter().map(|(v, _)| v).collect();
    }
    if valid.is_empty() {
        return Ok(result);
    }
    let all = valid.clone();
    let owned = system.to_owned();
    match audit::run(state, ctx, |tx| {
        Box::pin(async move { insert(tx, &owned, batch, &all).await })
    })
    .await
    {
        Ok(n) => {
            result.written = n as i64;
            result.already_imported = (valid.len() - n) as i64;
        }
        // The audit or the database is down: stop rather than report every
        // line as bad.
        Err(e)
            if matches!(
                e.code,
                ErrorCode::AuditUnavailable | ErrorCode::ServiceUnavailable
            ) =>
        {
            return Err(e);
        }
        // One line broke a database constraint: find it, write the rest.
        Err(_) => {
            for v in valid {
                let one = vec![v.clone()];
                let owned = system.to_owned();
                match audit::run(state, ctx, |tx| {
                    Box::pin(async move { insert(tx, &owned, batch, &one).await })
                })
                .await
                {
                    Ok(1) => result.written += 1,
                    Ok(_) => result.already_imported += 1,
                    Err(e)
                        if matches!(
                            e.code,
                            ErrorCode::AuditUnavailable | ErrorCode::ServiceUnavailable
                        ) =>
                    {
                        return Err(e);
                    }
                    Err(_) => result.failed.push(LineError {
                        line: v.line,
                        errors: vec![FieldError::new(
                            "line",
                            "rejected",
                            "The database refused this record",
                        )],
                    }),
                }
            }
        }
    }
    Ok(result)
}
