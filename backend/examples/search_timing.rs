//! Where a person search spends its time, in process (no HTTP, no audit):
//! the engine's candidate lookup and the matcher's ranking, over an index
//! built by `probity reindex` (e.g. by `cargo xtask bench search`).
//!
//! `search_timing DATA_DIR FEBRL.csv`

use probity::search::embedded::{Embedded, Shared};
use probity::search::engine::SearchEngine;
use probity::search::hits::rank;
use probity::search::query::{PersonQuery, Typed};
use std::sync::Arc;
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(csv)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: search_timing DATA_DIR FEBRL.csv");
    };
    let engine = Shared(Arc::new(Embedded::open(std::path::Path::new(&dir))?));
    let text = std::fs::read_to_string(csv)?;
    // `SEARCH_CANDIDATES=50` tries another number of candidates.
    let k: Option<usize> = std::env::var("SEARCH_CANDIDATES")
        .ok()
        .and_then(|v| v.parse().ok());
    let mut originals = std::collections::HashMap::new();
    for line in text.lines().skip(1).filter(|l| l.contains("-org")) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        originals.insert(
            f[0].trim_end_matches("-org").to_owned(),
            (f[1].to_owned(), f[2].to_owned()),
        );
    }
    let (mut lookup_ms, mut rank_ms, mut candidates) = (Vec::new(), Vec::new(), 0usize);
    let (mut found, mut at1, mut at10, mut queries) = (0, 0, 0, 0);
    let mut show: usize = std::env::var("SHOW_MISSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    for line in text.lines().skip(1).filter(|l| l.contains("-dup-")) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let want = originals
            .get(f[0].split("-dup-").next().unwrap_or_default())
            .cloned();
        let dob =
            (f[9].len() == 8).then(|| format!("{}-{}-{}", &f[9][..4], &f[9][4..6], &f[9][6..]));
        let typed = Typed {
            forenames: Some(f[1]),
            surname: Some(f[2]),
            date_of_birth: dob.as_deref(),
            ..Typed::default()
        };
        let Ok(query) = PersonQuery::read(&typed) else {
            continue;
        };
        let mut lookup = query.lookup();
        if let Some(k) = k {
            lookup.candidates = k;
        }
        queries += 1;
        let t = Instant::now();
        let cards = engine.people(lookup).await?;
        lookup_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        candidates += cards.len();
        // The original, known by its names (its date may have been dropped).
        let is_want = |c: &probity::search::documents::PersonCard| {
            want.as_ref().is_some_and(|(g, s)| {
                c.forenames.eq_ignore_ascii_case(g) && c.surname.eq_ignore_ascii_case(s)
            })
        };
        if cards.iter().any(is_want) {
            found += 1;
        }
        let by_id: std::collections::HashMap<_, _> =
            cards.iter().map(|c| (c.id, is_want(c))).collect();
        let shown: std::collections::HashMap<_, _> = cards
            .iter()
            .map(|c| {
                (
                    c.id,
                    format!("{} {} {:?}", c.forenames, c.surname, c.dates_of_birth),
                )
            })
            .collect();
        let wanted_card = cards
            .iter()
            .find(|c| is_want(c))
            .map(|c| format!("{} {} {:?}", c.forenames, c.surname, c.dates_of_birth));
        let t = Instant::now();
        let ranked = rank(&query, cards);
        rank_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        let pos = ranked
            .iter()
            .position(|(id, _)| by_id.get(id) == Some(&true));
        if let Some(pos) = pos {
            at1 += usize::from(pos == 0);
            at10 += usize::from(pos < 10);
        }
        if pos != Some(0) && show > 0 {
            show -= 1;
            println!(
                "{} {} {} {:?}: want {:?} at {pos:?}",
                f[0], f[1], f[2], dob, wanted_card
            );
            for (id, m) in ranked.iter().take(3) {
                println!("    {:.2} {} {:?}", m.score, shown[id], m.reasons);
            }
        }
    }
    for (name, mut v) in [("engine", lookup_ms), ("matcher", rank_ms)] {
        v.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{name:8} p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms",
            v[v.len() / 2],
            v[v.len() * 95 / 100],
            v[v.len() * 99 / 100]
        );
    }
    let q = queries as f64;
    println!("candidates per search: {}", candidates / queries.max(1));
    println!(
        "original among the candidates {:.3}, ranked first {:.3}, in the top ten {:.3} (by name, so a namesake counts)",
        found as f64 / q,
        at1 as f64 / q,
        at10 as f64 / q
    );
    Ok(())
}
