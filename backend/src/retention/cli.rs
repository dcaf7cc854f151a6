//! `probity retention due`: what is due, for an operator.

use crate::db::schema::retention_schedule;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// What is due by `day`, for the command line: totals by group and the
/// longest overdue, by id. No names: those are read on the review screen,
/// where reading them is logged.
pub async fn due_report(
    state: &crate::state::AppState,
    day: NaiveDate,
    limit: i64,
) -> anyhow::Result<String> {
    use std::fmt::Write;
    let mut conn = state.pool.get().await?;
    let by_group: Vec<(i16, i64)> = retention_schedule::table
        .filter(retention_schedule::next_review_on.le(day))
        .group_by(retention_schedule::mopi_group)
        .select((retention_schedule::mopi_group, diesel::dsl::count_star()))
        .order(retention_schedule::mopi_group)
        .load(&mut conn)
        .await?;
    let total: i64 = by_group.iter().map(|(_, n)| n).sum();
    let oldest: Vec<(Uuid, i16, NaiveDate, NaiveDate)> = retention_schedule::table
        .filter(retention_schedule::next_review_on.le(day))
        .order((
            retention_schedule::next_review_on,
            retention_schedule::person_id,
        ))
        .limit(limit)
        .select((
            retention_schedule::person_id,
            retention_schedule::mopi_group,
            retention_schedule::clear_from,
            retention_schedule::next_review_on,
        ))
        .load(&mut conn)
        .await?;
    let mut out = String::new();
    writeln!(out, "{total} review(s) due by {day}")?;
    for (group, n) in &by_group {
        writeln!(out, "  group {group}: {n}")?;
    }
    if !oldest.is_empty() {
        writeln!(
            out,
            "\n{:<38} {:>5}  {:<10}  {:<10}",
            "person", "group", "clear from", "due"
        )?;
        for (id, group, clear, next) in oldest {
            writeln!(out, "{id:<38} {group:>5}  {clear}  {next}")?;
        }
    }
    Ok(out)
}
