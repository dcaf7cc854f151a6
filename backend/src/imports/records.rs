//! Writing a batch of imported objects, locations or events: each through
//! the same store as the API, in one transaction per batch.

use super::{BatchResult, RawLine, parse_body, split_source};
use crate::audit::{self, AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::auth::RequestContext;
use crate::error::ApiError;
use crate::records::store::{self, Source};
use crate::records::{Family, Prepared};
use crate::state::AppState;
use shared::error::{ErrorCode, FieldError};
use shared::imports::LineError;
use uuid::Uuid;

struct Valid {
    source_id: String,
    id: Uuid,
    prepared: Prepared,
}

async fn insert<F: Family>(
    tx: &mut Tx,
    system: &str,
    batch: Uuid,
    lines: Vec<Valid>,
) -> Result<Audited<usize>, ApiError> {
    let mut events = Vec::new();
    let mut written = 0;
    for v in lines {
        let source = Source {
            system,
            id: &v.source_id,
        };
        let Some((_, made)) = store::insert::<F>(tx, v.id, v.prepared, Some(source)).await? else {
            continue;
        };
        written += 1;
        for mut e in made {
            if e.operation == Operation::Collection {
                e = AuditEvent::new(Operation::Collection, F::IMPORT, e.records);
            }
            e.records.push(RecordRef::new("import_batch", batch));
            events.push(e);
        }
    }
    Ok(Audited::many(written, events))
}

pub async fn write<F: Family>(
    state: &AppState,
    ctx: &RequestContext,
    system: &str,
    batch: Uuid,
    lines: Vec<RawLine>,
) -> Result<BatchResult, ApiError> {
    let mut rules = state.rules();
    // Legacy 5x5x5 intelligence may arrive this way, read-only.
    rules.importing = true;
    let mut result = BatchResult::default();
    let mut valid: Vec<(u64, String, serde_json::Value)> = Vec::with_capacity(lines.len());
    for line in lines {
        let parsed = split_source(&line).and_then(|(source_id, body)| {
            let input: F::Input = parse_body(body.clone())?;
            F::prepare(&input, Uuid::nil(), &rules)?;
            Ok((line.number, source_id, body))
        });
        match parsed {
            Ok(v) => valid.push(v),
            Err(errors) => result.failed.push(LineError {
                line: line.number,
                errors: errors.0,
            }),
        }
    }
    // Prepared records are not Clone: rebuild them for each attempt.
    let build = |items: &[(u64, String, serde_json::Value)]| -> Vec<Valid> {
        items
            .iter()
            .filter_map(|(_, source_id, body)| {
                let id = Uuid::new_v4();
                let input: F::Input = serde_json::from_value(body.clone()).ok()?;
                let prepared = F::prepare(&input, id, &rules).ok()?;
                Some(Valid {
                    source_id: source_id.clone(),
                    id,
                    prepared,
                })
            })
            .collect()
    };
    if valid.is_empty() {
        return Ok(result);
    }
    let all = build(&valid);
    let count = all.len();
    let owned = system.to_owned();
    match audit::run(state, ctx, |tx| {
        Box::pin(async move { insert::<F>(tx, &owned, batch, all).await })
    })
    .await
    {
        Ok(n) => {
            result.written = n as i64;
            result.already_imported = (count - n) as i64;
        }
        Err(e)
            if matches!(
                e.code,
                ErrorCode::AuditUnavailable | ErrorCode::ServiceUnavailable
            ) =>
        {
            return Err(e);
        }
        Err(_) => {
            for item in valid.chunks(1) {
                let one = build(item);
                let line = item[0].0;
                let owned = system.to_owned();
                match audit::run(state, ctx, |tx| {
                    Box::pin(async move { insert::<F>(tx, &owned, batch, one).await })
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
                    Err(e) => result.failed.push(LineError {
                        line,
                        errors: if e.fields.is_empty() {
                            vec![FieldError::new(
                                "line",
                                "rejected",
                                "The database refused this record",
                            )]
                        } else {
                            e.fields
                        },
                    }),
                }
            }
        }
    }
    Ok(result)
}
