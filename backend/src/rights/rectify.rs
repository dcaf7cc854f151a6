//! Rectification on a request case (DPA 2018 s.46): a field corrected
//! through the record's own rules and alteration path, or a supplementary
//! statement appended where the original must stay as it was. Either way
//! every earlier recipient is owed a letter (s.48).

use super::notify;
use crate::audit::{AuditEvent, Audited, Operation, RecordRef, Tx};
use crate::db::schema::{people, records, rights_requests, supplementary_statements};
use crate::error::ApiError;
use crate::records::events::Events;
use crate::records::family::Family;
use crate::records::locations::Locations;
use crate::records::objects::Objects;
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::error::{ErrorCode, FieldError};
use shared::events::RuleContext;
use shared::ids::PersonId;
use shared::links::{RecordKey, RecordType};
use shared::people::PersonInput;
use shared::rights::rectification::{ChangeKind, Rectified, Rectify, SupplementaryStatement};
use uuid::Uuid;

/// Sets the value at a dotted path (`details.addresses[0].postcode`)
/// inside `root`. False if the path leads nowhere.
pub fn set_path(root: &mut serde_json::Value, path: &str, value: serde_json::Value) -> bool {
    let mut at = root;
    for part in path.split('.') {
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
    }
    if at.is_object() || at.is_array() {
        return false;
    }
    // A form sends every value as text: a field that holds a number or a
    // yes/no takes the text as one when it reads as one.
    let value = match (&*at, value) {
        (serde_json::Value::Number(_), serde_json::Value::String(t)) => t
            .trim()
            .parse::<serde_json::Number>()
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::String(t)),
        (serde_json::Value::Bool(_), serde_json::Value::String(t)) => match t.trim() {
            "true" | "yes" => serde_json::Value::Bool(true),
            "false" | "no" => serde_json::Value::Bool(false),
            _ => serde_json::Value::String(t),
        },
        (_, v) => v,
    };
    *at = value;
    true
}

fn no_such_field(field: &str) -> ApiError {
    ApiError::field(FieldError::new(
        "field",
        "unknown",
        format!("The record has no field {field} holding a single value"),
    ))
}

/// The case, which must be an open rectification request.
async fn open_case(tx: &mut Tx, request: Uuid, kind: &str) -> Result<String, ApiError> {
    let case: Option<(String, String, String)> = rights_requests::table
        .find(request)
        .select((
            rights_requests::kind,
            rights_requests::status,
            rights_requests::reference,
        ))
        .for_update()
        .first(tx.conn()?)
        .await
        .optional()?;
    let (found, status, reference) = case.ok_or_else(ApiError::not_found)?;
    if found != kind {
        return Err(ApiError::new(ErrorCode::Conflict)
            .detail(format!("This is a request for {found}, not {kind}")));
    }
    if ["responded", "refused", "withdrawn"].contains(&status.as_str()) {
        return Err(ApiError::new(ErrorCode::Conflict)
            .detail(format!("The request is {status}: it is no longer open")));
    }
    Ok(reference)
}

/// The record's force reference, and whether it exists.
async fn reference_of(tx: &mut Tx, record: RecordKey) -> Result<Option<Option<String>>, ApiError> {
    if record.record_type == RecordType::Person {
        let n: i64 = people::table
            .find(record.id)
            .filter(people::merged_into.is_null())
            .count()
            .get_result(tx.conn()?)
            .await?;
        return Ok((n > 0).then_some(None));
    }
    Ok(records::table
        .find(record.id)
        .filter(records::family.eq(record.record_type.as_str()))
        .select(records::reference)
        .first::<Option<String>>(tx.conn()?)
        .await
        .optional()?)
}

async fn correct_record<F: Family>(
    tx: &mut Tx,
    id: Uuid,
    field: &str,
    value: serde_json::Value,
    rules: &RuleContext,
) -> Result<Audited<Option<i32>>, ApiError> {
    let (details, occurred_at): (serde_json::Value, Option<chrono::DateTime<Utc>>) = records::table
        .find(id)
        .select((records::details, records::occurred_at))
        .first(tx.conn()?)
        .await?;
    let mut input = serde_json::json!({ "details": details });
    if let Some(at) = occurred_at {
        input["occurred_at"] = serde_json::Value::String(at.to_rfc3339());
    }
    if !set_path(&mut input, field, value) {
        return Err(no_such_field(field));
    }
    let input: F::Input = serde_json::from_value(input).map_err(|e| {
        ApiError::field(FieldError::new(
            "value",
            "invalid",
            format!("That value does not fit {field}: {e}"),
        ))
    })?;
    let prepared = F::prepare(&input, id, rules).map_err(ApiError::validation)?;
    let updated = crate::records::store::update::<F>(tx, id, prepared, None).await?;
    Ok(updated.map(|o| o.map(|o| F::version(&o))))
}

async fn correct_person(
    tx: &mut Tx,
    id: Uuid,
    field: &str,
    value: serde_json::Value,
    today: NaiveDate,
) -> Result<Audited<Option<i32>>, ApiError> {
    let current = crate::people::store::get(tx, PersonId(id)).await?;
    let Some(person) = current.value().clone() else {
        return Err(ApiError::not_found());
    };
    let mut input = serde_json::json!({
        "surname": person.surname,
        "forenames": person.forenames.unwrap_or_default(),
        "date_of_birth": person.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
        "gender": person.gender,
        "details": person.details,
    });
    if !set_path(&mut input, field, value) {
        return Err(no_such_field(field));
    }
    let input: PersonInput = serde_json::from_value(input).map_err(|e| {
        ApiError::field(FieldError::new(
            "value",
            "invalid",
            format!("That value does not fit {field}: {e}"),
        ))
    })?;
    let valid = input.validate(today).map_err(ApiError::validation)?;
    let updated = crate::people::store::update(tx, PersonId(id), valid, None).await?;
    Ok(current.combine(updated, |_, p| Some(p.version)))
}

/// Records one rectification on request `request`.
pub async fn rectify(
    tx: &mut Tx,
    request: Uuid,
    record: RecordKey,
    what: Rectify,
    reason: String,
    today: NaiveDate,
    rules: RuleContext,
) -> Result<Audited<Rectified>, ApiError> {
    open_case(tx, request, "rectification").await?;
    let Some(reference) = reference_of(tx, record).await? else {
        return Err(ApiError::field(FieldError::new(
            "record",
            "unknown",
            "No record of that type has that id",
        )));
    };
    let (done, kind, field, statement, detail) = match what {
        Rectify::Correct { field, value } => {
            let done = match record.record_type {
                RecordType::Person => correct_person(tx, record.id, &field, value, today).await?,
                RecordType::Event => {
                    correct_record::<Events>(tx, record.id, &field, value, &rules).await?
                }
                RecordType::Object => {
                    correct_record::<Objects>(tx, record.id, &field, value, &rules).await?
                }
                RecordType::Location => {
                    correct_record::<Locations>(tx, record.id, &field, value, &rules).await?
                }
            };
            if done.value().is_none() {
                return Err(ApiError::not_found());
            }
            let detail = format!(
                "{} {}: {field} corrected",
                record.record_type.as_str(),
                record.id
            );
            (done, "correction", Some(field), None, detail)
        }
        Rectify::Supplement { statement } => {
            let id = Uuid::new_v4();
            diesel::insert_into(supplementary_statements::table)
                .values((
                    supplementary_statements::id.eq(id),
                    supplementary_statements::record_type.eq(record.record_type.as_str()),
                    supplementary_statements::record_id.eq(record.id),
                    supplementary_statements::statement.eq(&statement),
                    supplementary_statements::request_id.eq(request),
                    supplementary_statements::added_by.eq(tx.ctx().actor.id()),
                ))
                .execute(tx.conn()?)
                .await?;
            let event = AuditEvent::new(
                Operation::Alteration,
                "rights.rectify.statement",
                vec![RecordRef::new(record.record_type.as_str(), record.id)],
            )
            .fields(vec!["supplementary_statement".into()]);
            let detail = format!(
                "{} {}: supplementary statement added",
                record.record_type.as_str(),
                record.id
            );
            (
                Audited::new(None, event),
                "supplementary_statement",
                None,
                Some(id),
                detail,
            )
        }
    };
    super::store::note(
        tx,
        request,
        "Rectified",
        Some(format!("{detail}. Why: {reason}")),
    )
    .await?;
    let owed = notify::owe(
        tx.conn()?,
        Some(request),
        ChangeKind::Rectification,
        &[(record, reference)],
    )
    .await?;
    let notifications = notify::for_request(tx, request).await?.map(|all| {
        all.into_iter()
            .filter(|n| owed.contains(&n.id))
            .collect::<Vec<_>>()
    });
    Ok(
        done.combine(notifications, |version, notifications| Rectified {
            record,
            kind: kind.into(),
            field,
            statement,
            version,
            notifications,
        }),
    )
}

/// Statements appended to these records, oldest first, by record id.
pub async fn statements_of(
    conn: &mut diesel_async::AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, SupplementaryStatement)>> {
    type Row = (Uuid, Uuid, String, Option<Uuid>, chrono::DateTime<Utc>);
    let rows: Vec<Row> = supplementary_statements::table
        .filter(supplementary_statements::record_id.eq_any(ids))
        .order(supplementary_statements::added_at)
        .select((
            supplementary_statements::record_id,
            supplementary_statements::id,
            supplementary_statements::statement,
            supplementary_statements::request_id,
            supplementary_statements::added_at,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(record, id, statement, request, added_at)| {
            (
                record,
                SupplementaryStatement {
                    id,
                    statement,
                    request,
                    added_at,
                },
            )
        })
        .collect())
}
