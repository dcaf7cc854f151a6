//! Whether the force answers on time: open and overdue requests by kind,
//! kept in `/metrics` and summed up in the server's log once a day. Counts
//! only: no case is named here.

use super::{Case, CaseRow};
use crate::db::schema::rights_requests;
use crate::state::AppState;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::rights::RequestKind;
use std::collections::BTreeMap;
use std::time::Duration;

/// Open and overdue requests, by kind, as of `today`.
pub async fn count(
    conn: &mut diesel_async::AsyncPgConnection,
    today: chrono::NaiveDate,
) -> diesel::QueryResult<BTreeMap<RequestKind, (i64, i64)>> {
    let open: Vec<CaseRow> = rights_requests::table
        .filter(rights_requests::status.ne_all(["responded", "refused", "withdrawn"]))
        .select(CaseRow::as_select())
        .load(conn)
        .await?;
    let mut counts: BTreeMap<RequestKind, (i64, i64)> =
        RequestKind::ALL.iter().map(|k| (*k, (0, 0))).collect();
    for row in &open {
        let case = Case(row);
        let entry = counts.entry(case.kind()).or_default();
        entry.0 += 1;
        if case.clock(today).overdue {
            entry.1 += 1;
        }
    }
    Ok(counts)
}

/// Updates the gauges now.
pub async fn measure(state: &AppState) -> anyhow::Result<BTreeMap<RequestKind, (i64, i64)>> {
    let mut conn = state.pool.get().await?;
    let counts = count(&mut conn, state.today()).await?;
    for (kind, (open, overdue)) in &counts {
        state
            .metrics
            .rights_open
            .with_label_values(&[kind.as_str()])
            .set(*open);
        state
            .metrics
            .rights_overdue
            .with_label_values(&[kind.as_str()])
            .set(*overdue);
    }
    Ok(counts)
}

/// Every few minutes the gauges; once a day (and at start) the summary.
pub async fn run_forever(state: actix_web::web::Data<AppState>) {
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    let mut summarised: Option<chrono::NaiveDate> = None;
    loop {
        tick.tick().await;
        match measure(&state).await {
            Ok(counts) => {
                let today = state.today();
                if summarised != Some(today) {
                    summarised = Some(today);
                    let open: i64 = counts.values().map(|c| c.0).sum();
                    let overdue: i64 = counts.values().map(|c| c.1).sum();
                    let by_kind: Vec<String> = counts
                        .iter()
                        .filter(|(_, c)| c.0 > 0)
                        .map(|(k, c)| format!("{}: {} open, {} overdue", k.as_str(), c.0, c.1))
                        .collect();
                    if overdue > 0 {
                        tracing::warn!(open, overdue, detail = %by_kind.join("; "), "data subjects' rights requests: some are overdue");
                    } else {
                        tracing::info!(open, overdue, detail = %by_kind.join("; "), "data subjects' rights requests");
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not count rights requests"),
        }
    }
}
