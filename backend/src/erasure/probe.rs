//! After an erasure, the search for anything left: every table that can
//! hold text (each text, JSON and array column, read whole), the tables
//! that must not hold the erased ids, the search engine (asked itself,
//! deleted documents included), and the files under the data directory.
//! It reports places and counts, never what it found.

use super::values::Distinctive;
use crate::search::traces::TraceProbe;
use crate::state::AppState;
use chrono::Utc;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use shared::rights::erasure::{ProbeReport, TracePlace};
use std::collections::BTreeMap;
use std::time::Instant;
use uuid::Uuid;

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Tables that must hold no row about an erased id (the log and the
/// ledger keep ids by design; cases keep who they were about; the
/// retention queue may hold an erased id for the seconds until its worker
/// finds no one to recompute).
const ID_COLUMNS: &[(&str, &str)] = &[
    ("people", "id"),
    ("people", "merged_into"),
    ("records", "id"),
    ("links", "from_id"),
    ("links", "to_id"),
    ("idempotency_keys", "record_id"),
    ("intelligence_sources", "event_id"),
    ("supplementary_statements", "record_id"),
    ("retention_schedule", "person_id"),
    ("search_outbox", "record_id"),
];

/// Columns that hold other people's own names: a namesake is not a trace.
fn skipped(table: &str, column: &str) -> bool {
    matches!(
        (table, column),
        (
            "people",
            "surname" | "forenames" | "name_key" | "surname_key" | "forename_key"
        ) | ("__diesel_schema_migrations", _)
    )
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Looks everywhere for what was erased. `plan` is excluded: the plan being
/// certified still holds the values until its certificate is issued.
pub async fn run(
    state: &AppState,
    values: &Distinctive,
    erased_ids: &[Uuid],
    plan: Uuid,
) -> anyhow::Result<ProbeReport> {
    let started = Instant::now();
    let mut conn = state.pool.get().await?;
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name \
         FROM information_schema.columns c \
         JOIN information_schema.tables t USING (table_schema, table_name) \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
           AND (c.data_type IN ('text', 'character varying', 'json', 'jsonb') \
                OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar'))) \
         ORDER BY 1, 2",
    )
    .load(&mut conn)
    .await?;
    let mut by_table: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in columns {
        if !skipped(&c.table_name, &c.column_name) {
            by_table
                .entry(c.table_name)
                .or_default()
                .push(c.column_name);
        }
    }
    let strong = values.strong_sql();
    let dates = values.dates_sql();
    let parts = values.parts_sql();
    let mut traces = Vec::new();
    let tables = by_table.len();
    let mut column_count = 0;
    for (table, cols) in &by_table {
        column_count += cols.len();
        // One pass over each table: a count per column.
        let mut counts = Vec::new();
        for col in cols {
            let text = if table == "people" && col == "details" {
                "(details - 'aliases')::text".to_owned()
            } else {
                format!("{}::text", quote(col))
            };
            let mut tests = Vec::new();
            if strong.is_some() {
                tests.push(format!("{text} ~ $1"));
            }
            if dates.is_some() && parts.is_some() {
                tests.push(format!("({text} ~ $2 AND {text} ~ $3)"));
            }
            if tests.is_empty() {
                continue;
            }
            counts.push(format!("count(*) FILTER (WHERE {})", tests.join(" OR ")));
        }
        if counts.is_empty() {
            continue;
        }
        // Rows that hold anything at all are found in one pass over the
        // row's whole text; only they are counted column by column.
        let mut row_tests = Vec::new();
        if strong.is_some() {
            row_tests.push("r::text ~ $1".to_owned());
        }
        if dates.is_some() && parts.is_some() {
            row_tests.push("(r::text ~ $2 AND r::text ~ $3)".to_owned());
        }
        let exclude = if table == "erasure_plans" {
            "r.id <> $4"
        } else {
            "$4 IS NOT NULL"
        };
        let sql = format!(
            "SELECT ARRAY[{}]::bigint[] AS found FROM (SELECT r.* FROM {} r WHERE {exclude} AND ({})) hits",
            counts.join(", "),
            quote(table),
            row_tests.join(" OR ")
        );
        #[derive(QueryableByName)]
        struct Found {
            #[diesel(sql_type = diesel::sql_types::Array<BigInt>)]
            found: Vec<i64>,
        }
        let found: Found = diesel::sql_query(sql)
            .bind::<Text, _>(strong.clone().unwrap_or_else(|| "$^".into()))
            .bind::<Text, _>(dates.clone().unwrap_or_else(|| "$^".into()))
            .bind::<Text, _>(parts.clone().unwrap_or_else(|| "$^".into()))
            .bind::<SqlUuid, _>(plan)
            .get_result(&mut conn)
            .await?;
        for (col, n) in cols.iter().zip(found.found) {
            if n > 0 {
                traces.push(TracePlace {
                    place: format!("{table}.{col}"),
                    count: n,
                });
            }
        }
    }
    for (table, col) in ID_COLUMNS {
        let c: Count = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM {} WHERE {} = ANY($1)",
            quote(table),
            quote(col)
        ))
        .bind::<diesel::sql_types::Array<SqlUuid>, _>(erased_ids)
        .get_result(&mut conn)
        .await?;
        if c.n > 0 {
            traces.push(TracePlace {
                place: format!("{table}.{col} (erased id)"),
                count: c.n,
            });
        }
    }
    drop(conn);
    // The search engine, asked for the ids, the distinctive words and the
    // values, in live and deleted documents alike.
    let probe = TraceProbe {
        ids: erased_ids.to_vec(),
        words: values
            .names
            .iter()
            .filter(|n| !n.contains(char::is_whitespace) && !n.contains(','))
            .map(|n| shared::people::keys::fold(n))
            .collect(),
        values: values
            .names
            .iter()
            .chain(&values.identifiers)
            .map(|v| v.to_lowercase())
            .collect(),
    };
    let found = state.search.engine.traces(probe).await?;
    let mut by_place: BTreeMap<String, i64> = BTreeMap::new();
    for t in found {
        let deleted = if t.deleted {
            " (deleted, not yet merged)"
        } else {
            ""
        };
        *by_place
            .entry(format!("search index {}: {}{deleted}", t.index, t.location))
            .or_default() += 1;
    }
    traces.extend(
        by_place
            .into_iter()
            .map(|(place, count)| TracePlace { place, count }),
    );
    let files = files(state, values, &mut traces)?;
    let result = if traces.is_empty() {
        "0 traces".to_owned()
    } else {
        format!("{} place(s) hold something looked for", traces.len())
    };
    Ok(ProbeReport {
        ran_at: Utc::now(),
        took_ms: started.elapsed().as_millis() as u64,
        values_sought: values.count(),
        tables,
        columns: column_count,
        indexes: vec!["people".into(), "records".into()],
        files,
        traces,
        result,
    })
}

/// Reads every file under the data directory, except the keys and the
/// search index (which the engine answers for: its files are compressed),
/// for the values as bytes.
fn files(
    state: &AppState,
    values: &Distinctive,
    traces: &mut Vec<TracePlace>,
) -> anyhow::Result<usize> {
    let root = &state.config.data_dir;
    let needles: Vec<Vec<u8>> = values
        .names
        .iter()
        .chain(&values.identifiers)
        .map(|v| v.to_lowercase().into_bytes())
        .filter(|v| v.len() >= 3)
        .collect();
    let mut count = 0;
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if path.is_dir() {
                if name != "keys" && name != "search" {
                    stack.push(path);
                }
                continue;
            }
            count += 1;
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let lower = bytes.to_ascii_lowercase();
            let hits = needles
                .iter()
                .filter(|n| lower.windows(n.len()).any(|w| w == n.as_slice()))
                .count();
            if hits > 0 {
                traces.push(TracePlace {
                    place: format!(
                        "file {}",
                        path.strip_prefix(root).unwrap_or(&path).display()
                    ),
                    count: hits as i64,
                });
            }
        }
    }
    Ok(count)
}
