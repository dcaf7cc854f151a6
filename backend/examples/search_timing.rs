//! Where a person search spends its time, in process (no HTTP, no audit):
//! the engine's candidate lookup and the matcher's ranking, over an index
//! built by `probity reindex` (e.g. by `cargo xtask bench search`).
//!
//! `search_timing DATA_DIR FEBRL.csv`, or with `TYPED="tho;john smi"` the
//! time of queries typed in part.
//!
//! It also prints recall by person (the original's names and date of
//! birth) under several cuts of the matcher's scores, since the floor and
//! the fraction of the best that `keep_strong` keeps trade recall@10
//! against the number of hits an officer is shown.

use probity::search::embedded::{Embedded, Shared};
use probity::search::engine::SearchEngine;
use probity::search::hits::rank;
use probity::search::matching::score;
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
    if let Ok(typed) = std::env::var("TYPED") {
        return as_typed(&engine, &typed).await;
    }
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
            (f[1].to_owned(), f[2].to_owned(), date(f[9])),
        );
    }
    let (mut lookup_ms, mut rank_ms, mut candidates) = (Vec::new(), Vec::new(), 0usize);
    let (mut found, mut at1, mut at10, mut queries) = (0, 0, 0, 0);
    // (floor, fraction of the best): hits at 1, at 10, and hits shown.
    let cuts = [(0.5, 0.7), (0.5, 0.6), (0.5, 0.5), (0.45, 0.5), (0.4, 0.4)];
    // Not among the candidates; among them but not scored (no name in
    // common, or the date conflicts and the rest is below the floor);
    // scored but with ten or more above it.
    let mut lost = [0usize; 3];
    let mut by_cut = vec![(0usize, 0usize, Vec::new()); cuts.len()];
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
            want.as_ref().is_some_and(|(g, s, _)| {
                c.forenames.eq_ignore_ascii_case(g) && c.surname.eq_ignore_ascii_case(s)
            })
        };
        // The original itself: its names, and its date where it is held.
        let is_person = |c: &probity::search::documents::PersonCard| {
            is_want(c)
                && want.as_ref().is_some_and(|(_, _, d)| match d {
                    Some(d) => c.dates_of_birth.is_empty() || c.dates_of_birth.contains(d),
                    None => true,
                })
        };
        // Where the original is lost, when it is.
        match cards.iter().find(|c| is_person(c)) {
            None => lost[0] += 1,
            Some(c) => match score(&query.names, &c.candidate()) {
                None => lost[1] += 1,
                Some(m) => {
                    let better = cards
                        .iter()
                        .filter_map(|o| score(&query.names, &o.candidate()))
                        .filter(|o| o.score > m.score)
                        .count();
                    lost[2] += usize::from(better >= 10);
                }
            },
        }
        let mut scored: Vec<(bool, f32)> = cards
            .iter()
            .filter_map(|c| score(&query.names, &c.candidate()).map(|m| (is_person(c), m.score)))
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        let top = scored.first().map_or(0.0, |s| s.1);
        for (cut, (one, ten, shown)) in cuts.iter().zip(by_cut.iter_mut()) {
            let kept: Vec<bool> = scored
                .iter()
                .filter(|s| s.1 >= cut.0 && s.1 >= top * cut.1)
                .map(|s| s.0)
                .collect();
            let pos = kept.iter().position(|p| *p);
            *one += usize::from(pos == Some(0));
            *ten += usize::from(pos.is_some_and(|p| p < 10));
            shown.push(kept.len());
        }
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
    println!(
        "the original (by names and date): not among the candidates {}, among them but not a hit {}, ten or more ranked above it {}",
        lost[0], lost[1], lost[2]
    );
    println!("by person (names and date), for each cut of the scores:");
    for (cut, (one, ten, mut shown)) in cuts.iter().zip(by_cut) {
        shown.sort_unstable();
        println!(
            "  floor {:.2}, {:.0} % of the best: recall@1 {:.3}, @10 {:.3}, hits median {} p90 {}",
            cut.0,
            cut.1 * 100.0,
            one as f64 / q,
            ten as f64 / q,
            shown[shown.len() / 2],
            shown[shown.len() * 9 / 10]
        );
    }
    println!("candidates per search: {}", candidates / queries.max(1));
    println!(
        "original among the candidates {:.3}, ranked first {:.3}, in the top ten {:.3} (by name, so a namesake counts)",
        found as f64 / q,
        at1 as f64 / q,
        at10 as f64 / q
    );
    Ok(())
}

/// `TYPED="tho;thomp;john smi"`: what an officer's screen asks while they
/// are still typing, each query 50 times: candidates, strong hits, and the
/// engine's and matcher's time.
async fn as_typed(engine: &Shared, typed: &str) -> anyhow::Result<()> {
    for q in typed.split(';').map(str::trim).filter(|q| !q.is_empty()) {
        let query = PersonQuery::read(&Typed {
            q: Some(q),
            ..Typed::default()
        })
        .map_err(|e| anyhow::anyhow!("{q}: {e:?}"))?;
        let (mut lookup_ms, mut rank_ms, mut shown, mut found) = (Vec::new(), Vec::new(), 0, 0);
        let mut first = Vec::new();
        for _ in 0..50 {
            let t = Instant::now();
            let cards = engine.people(query.lookup()).await?;
            lookup_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            found = cards.len();
            let names: std::collections::HashMap<_, _> = cards
                .iter()
                .map(|c| (c.id, format!("{} {}", c.forenames, c.surname)))
                .collect();
            let t = Instant::now();
            let ranked = rank(&query, cards);
            rank_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            shown = ranked.len();
            first = ranked
                .iter()
                .take(3)
                .map(|(id, _)| names[id].clone())
                .collect();
        }
        lookup_ms.sort_by(f64::total_cmp);
        rank_ms.sort_by(f64::total_cmp);
        println!(
            "{q:>16}: {found} candidates, {shown} hits; engine p50 {:.2} ms max {:.2} ms, matcher p50 {:.2} ms; first {}",
            lookup_ms[25],
            lookup_ms[49],
            rank_ms[25],
            first.join(", ")
        );
    }
    Ok(())
}

/// A FEBRL date (YYYYMMDD), as the benchmark imports it: none before 1907,
/// which Probity refuses as over 120 years ago.
fn date(raw: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(raw, "%Y%m%d")
        .ok()
        .filter(|d| *d >= chrono::NaiveDate::from_ymd_opt(1907, 1, 1).unwrap_or_default())
}
