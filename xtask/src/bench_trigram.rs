//! The "for scale" baseline, run on the search benchmark's own
//! people and queries: PostgreSQL trigram similarity (`pg_trgm`) over the
//! full name, every match above the default threshold returned, ranked
//! with an exact date of birth first and then by similarity.
//!
//! The issue quotes trigram figures measured elsewhere, on "comparable"
//! queries among a million people; whether Probity beats trigram can only
//! be said fairly on the same data, so this runs it here. It is timed inside
//! PostgreSQL (no HTTP, no audit), which flatters it against Probity's
//! figures, and it adds a trigram index to the kept benchmark database only.

use crate::postgres::{self, Server};

/// One duplicate as typed (names and date of birth) and its original's FEBRL id.
pub struct Query<'a> {
    pub original: String,
    pub given: &'a str,
    pub surname: &'a str,
    pub dob: Option<&'a str>,
}

/// The name as the index holds it: forenames, a space, surname, lower case.
const NAME: &str = "lower(coalesce(p.forenames || ' ', '') || p.surname)";

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub struct Outcome {
    pub ranks: Vec<Option<usize>>,
    pub hits: Vec<usize>,
    pub millis: Vec<f64>,
}

pub fn run(db: &Server, database: &str, queries: &[Query]) -> Result<Outcome, String> {
    let sql = |s: &str| postgres::query(db, database, s);
    sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")?;
    let index = std::time::Instant::now();
    sql(&format!(
        "CREATE INDEX IF NOT EXISTS bench_trigram_name ON people USING gin (({}) gin_trgm_ops)",
        NAME.replace("p.", "")
    ))?;
    let built = index.elapsed().as_secs_f64();
    if built > 1.0 {
        println!("    trigram index built in {built:.0} s (kept in the benchmark database)");
    }
    sql("DROP TABLE IF EXISTS bench_trigram; \
         CREATE TABLE bench_trigram (n int PRIMARY KEY, original text, name text, dob date, \
         rank int, hits int, ms float8)")?;
    // In slices, so no one command line grows past the kernel's limit.
    for (chunk, slice) in queries.chunks(400).enumerate() {
        let rows: Vec<String> = slice
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let name = [q.given, q.surname]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
                let dob = q
                    .dob
                    .map_or("NULL".to_owned(), |d| format!("{}::date", literal(d)));
                format!(
                    "({}, {}, {}, {dob})",
                    chunk * 400 + i,
                    literal(&q.original),
                    literal(&name)
                )
            })
            .collect();
        sql(&format!(
            "INSERT INTO bench_trigram (n, original, name, dob) VALUES {}",
            rows.join(", ")
        ))?;
    }
    // Each search timed on the database's clock, one after another.
    sql(&format!(
        "DO $$ DECLARE q record; t0 timestamptz; r int; h int; BEGIN \
         FOR q IN SELECT * FROM bench_trigram ORDER BY n LOOP \
           t0 := clock_timestamp(); \
           SELECT count(*), min(pos) FILTER (WHERE m.source_id = q.original) INTO h, r FROM ( \
             SELECT p.source_id, row_number() OVER ( \
               ORDER BY (p.date_of_birth = q.dob) IS TRUE DESC, similarity({NAME}, q.name) DESC, p.id \
             ) AS pos \
             FROM people p WHERE {NAME} % q.name) m; \
           UPDATE bench_trigram SET rank = r, hits = h, \
             ms = extract(epoch FROM clock_timestamp() - t0) * 1000 WHERE n = q.n; \
         END LOOP; END $$"
    ))?;
    let mut outcome = Outcome {
        ranks: Vec::new(),
        hits: Vec::new(),
        millis: Vec::new(),
    };
    for line in sql("SELECT coalesce(rank, 0), hits, ms FROM bench_trigram ORDER BY n")?.lines() {
        let f: Vec<&str> = line.split('|').map(str::trim).collect();
        if let [rank, hits, ms] = f[..] {
            let rank: usize = rank.parse().map_err(|_| format!("bad rank in {line}"))?;
            outcome.ranks.push(rank.checked_sub(1));
            outcome
                .hits
                .push(hits.parse().map_err(|_| format!("bad hits in {line}"))?);
            outcome
                .millis
                .push(ms.parse().map_err(|_| format!("bad ms in {line}"))?);
        }
    }
    if outcome.ranks.len() != queries.len() {
        return Err(format!(
            "trigram baseline answered {} of {} queries",
            outcome.ranks.len(),
            queries.len()
        ));
    }
    Ok(outcome)
}
