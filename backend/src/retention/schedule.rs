//! Each person's MoPI group and next review date, worked out from their
//! events by the one rule in `shared::rights::retention` and kept in
//! `retention_schedule`. Triggers queue a person in `retention_dirty` in the
//! same transaction as any change that can move their date; the worker
//! here recomputes the queue. `recompute_all` redoes everyone (new rules).

use crate::db::schema::retention_dirty;
use crate::state::AppState;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, Date, Int2, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use shared::rights::retention::{MopiGroup, RetentionFacts, RetentionRule, group_of};
use std::collections::BTreeMap;
use std::time::Duration;
use uuid::Uuid;

/// One event of one person, as the grouping reads it.
#[derive(QueryableByName)]
pub struct FactRow {
    #[diesel(sql_type = SqlUuid)]
    pub person: Uuid,
    #[diesel(sql_type = Nullable<Date>)]
    pub date_of_birth: Option<NaiveDate>,
    #[diesel(sql_type = Date)]
    pub recorded_on: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    pub retained_until: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Text>)]
    pub kind: Option<String>,
    /// Offence codes (an occurrence's, a case file's charges'), spaced.
    #[diesel(sql_type = Nullable<Text>)]
    pub codes: Option<String>,
    /// The classification and charge wordings.
    #[diesel(sql_type = Nullable<Text>)]
    pub words: Option<String>,
    #[diesel(sql_type = Nullable<Date>)]
    pub occurred_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub event: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub reference: Option<String>,
}

/// The events of `ids` (a person's own and their merged duplicates'),
/// one row per event, or one row without an event for someone with none.
pub const FACTS: &str = "\
WITH ids AS (SELECT unnest($1::uuid[]) AS id),
fam AS (
    SELECT p.id AS root, p.id AS member FROM people p JOIN ids ON ids.id = p.id WHERE p.merged_into IS NULL
    UNION ALL
    SELECT d.merged_into, d.id FROM people d JOIN ids ON d.merged_into = ids.id),
ev AS (
    SELECT fam.root, l.to_id AS event FROM fam JOIN links l ON l.from_id = fam.member
        WHERE l.from_type = 'person' AND l.to_type = 'event'
    UNION ALL
    SELECT fam.root, l.from_id FROM fam JOIN links l ON l.to_id = fam.member
        WHERE l.to_type = 'person' AND l.from_type = 'event')
SELECT p.id AS person, p.date_of_birth, p.created_at::date AS recorded_on, s.retained_until,
       r.kind,
       concat_ws(' ', r.details->>'offence_code',
           (SELECT string_agg(c->>'offence_code', ' ') FROM jsonb_array_elements(
               CASE WHEN jsonb_typeof(r.details->'charges') = 'array' THEN r.details->'charges' ELSE '[]'::jsonb END) c)) AS codes,
       concat_ws(' ', r.details->>'classification',
           (SELECT string_agg(c->>'wording', ' ') FROM jsonb_array_elements(
               CASE WHEN jsonb_typeof(r.details->'charges') = 'array' THEN r.details->'charges' ELSE '[]'::jsonb END) c)) AS words,
       r.occurred_at::date AS occurred_on, r.id AS event, r.reference
FROM people p
JOIN ids ON ids.id = p.id
LEFT JOIN retention_schedule s ON s.person_id = p.id
LEFT JOIN ev ON ev.root = p.id
LEFT JOIN records r ON r.id = ev.event AND r.family = 'event'
WHERE p.merged_into IS NULL";

/// The group of one event: the gravest its codes or words put it in.
pub fn event_group(kind: &str, codes: &str, words: &str, rules: &[RetentionRule]) -> MopiGroup {
    std::iter::once("")
        .chain(codes.split_whitespace())
        .map(|code| group_of(kind, code, words, rules))
        .min_by_key(|g| g.number())
        .unwrap_or(MopiGroup::Three)
}

/// Each person's facts, from their rows.
pub fn facts(rows: &[FactRow], rules: &[RetentionRule]) -> BTreeMap<Uuid, RetentionFacts> {
    let mut out: BTreeMap<Uuid, RetentionFacts> = BTreeMap::new();
    for row in rows {
        let f = out.entry(row.person).or_insert_with(|| RetentionFacts {
            group: MopiGroup::Three,
            date_of_birth: row.date_of_birth,
            recorded_on: row.recorded_on,
            latest_event: None,
            retained_until: row.retained_until,
        });
        if let Some(kind) = &row.kind {
            let g = event_group(
                kind,
                row.codes.as_deref().unwrap_or_default(),
                row.words.as_deref().unwrap_or_default(),
                rules,
            );
            if g.number() < f.group.number() {
                f.group = g;
            }
            if let Some(on) = row.occurred_on {
                f.latest_event = Some(f.latest_event.map_or(on, |l| l.max(on)));
            }
        }
    }
    out
}

/// The rows [`FACTS`] gives for `ids`.
pub async fn rows_of(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<FactRow>> {
    diesel::sql_query(FACTS)
        .bind::<Array<SqlUuid>, _>(ids)
        .load(conn)
        .await
}

/// Works out and stores the schedule of `ids`. People gone (erased) lose
/// theirs with their row. Returns how many were written.
pub async fn recompute(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    rules: &[RetentionRule],
) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let facts = facts(&rows_of(conn, ids).await?, rules);
    let n = facts.len();
    let (mut people, mut groups, mut clear, mut kept, mut next) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (id, f) in facts {
        people.push(id);
        groups.push(f.group.number());
        clear.push(f.clear_from());
        kept.push(f.retained_until);
        next.push(f.next_review());
    }
    diesel::sql_query(
        "INSERT INTO retention_schedule (person_id, mopi_group, clear_from, retained_until, next_review_on) \
         SELECT * FROM unnest($1::uuid[], $2::int2[], $3::date[], $4::date[], $5::date[]) \
         ON CONFLICT (person_id) DO UPDATE SET mopi_group = EXCLUDED.mopi_group, \
             clear_from = EXCLUDED.clear_from, next_review_on = EXCLUDED.next_review_on \
         WHERE (retention_schedule.mopi_group, retention_schedule.clear_from, retention_schedule.next_review_on) \
             IS DISTINCT FROM (EXCLUDED.mopi_group, EXCLUDED.clear_from, EXCLUDED.next_review_on)",
    )
    .bind::<Array<SqlUuid>, _>(&people)
    .bind::<Array<Int2>, _>(&groups)
    .bind::<Array<Date>, _>(&clear)
    .bind::<Array<Nullable<Date>>, _>(&kept)
    .bind::<Array<Date>, _>(&next)
    .execute(conn)
    .await?;
    Ok(n)
}

/// Recomputes the queued people, a batch at a time, until none are left.
pub async fn catch_up(state: &AppState) -> anyhow::Result<usize> {
    let rules = super::rules::current();
    let mut done = 0;
    loop {
        let mut conn = crate::db::begin::<anyhow::Error>(&state.pool).await?;
        let outcome = async {
            let batch: Vec<Uuid> = diesel::sql_query(
                "DELETE FROM retention_dirty WHERE person_id IN ( \
                   SELECT person_id FROM retention_dirty LIMIT 5000 FOR UPDATE SKIP LOCKED) \
                 RETURNING person_id",
            )
            .load::<Queued>(&mut *conn)
            .await?
            .into_iter()
            .map(|q| q.person_id)
            .collect();
            // People another transaction holds (an erasure, a merge) are
            // put back for the next round rather than waited for: waiting
            // here while that transaction waits for this queue deadlocks.
            let free: Vec<Uuid> = diesel::sql_query(
                "SELECT id AS person_id FROM people WHERE id = ANY($1) FOR KEY SHARE SKIP LOCKED",
            )
            .bind::<Array<SqlUuid>, _>(&batch)
            .load::<Queued>(&mut *conn)
            .await?
            .into_iter()
            .map(|q| q.person_id)
            .collect();
            diesel::sql_query(
                "INSERT INTO retention_dirty SELECT id FROM people \
                 WHERE id = ANY($1) AND id <> ALL($2) ON CONFLICT DO NOTHING",
            )
            .bind::<Array<SqlUuid>, _>(&batch)
            .bind::<Array<SqlUuid>, _>(&free)
            .execute(&mut *conn)
            .await?;
            recompute(&mut conn, &free, &rules).await?;
            Ok::<_, anyhow::Error>(batch.len())
        }
        .await;
        let n = crate::db::finish(conn, outcome).await?;
        if n == 0 {
            return Ok(done);
        }
        done += n;
    }
}

#[derive(QueryableByName)]
struct Queued {
    #[diesel(sql_type = SqlUuid)]
    person_id: Uuid,
}

/// Every person again, in batches, from the start of the id order (after
/// the rules change). Returns how many.
pub async fn recompute_all(
    state: &AppState,
    mut progress: impl FnMut(usize),
) -> anyhow::Result<usize> {
    use crate::db::schema::people;
    let rules = super::rules::current();
    let mut after = Uuid::nil();
    let mut done = 0;
    loop {
        let mut conn = state.pool.get().await?;
        let batch: Vec<Uuid> = people::table
            .filter(people::id.gt(after))
            .filter(people::merged_into.is_null())
            .order(people::id)
            .limit(20_000)
            .select(people::id)
            .load(&mut conn)
            .await?;
        let Some(last) = batch.last() else {
            return Ok(done);
        };
        after = *last;
        done += recompute(&mut conn, &batch, &rules).await?;
        progress(done);
    }
}

/// How many are queued.
pub async fn queued(state: &AppState) -> anyhow::Result<i64> {
    let mut conn = state.pool.get().await?;
    Ok(retention_dirty::table.count().get_result(&mut conn).await?)
}

/// Every few seconds, the queue.
pub async fn run_forever(state: actix_web::web::Data<AppState>) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tick.tick().await;
        if let Err(e) = catch_up(&state).await {
            tracing::warn!(error = %e, "could not recompute retention reviews");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::rights::retention::default_rules;

    #[test]
    fn a_case_files_charge_codes_and_wording_count_like_an_occurrences() {
        let rules = default_rules();
        assert_eq!(
            event_group("case_file", "195/94 019/07", "", &rules),
            MopiGroup::One
        );
        assert_eq!(
            event_group("occurrence", "", "Theft from a shop", &rules),
            MopiGroup::Three
        );
        assert_eq!(
            event_group("case_file", "", "Robbery of a taxi driver", &rules),
            MopiGroup::Two
        );
    }
}
