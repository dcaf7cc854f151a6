//! How well the matcher alone ranks FEBRL duplicates against their
//! originals, by brute force (no engine, no HTTP): a quick check of the
//! scoring while the search engines are built around it.
//!
//! `cargo run --profile bench-server -p probity-backend --example febrl_recall -- ../shared/data/febrl/dataset3.csv`

use chrono::NaiveDate;
use probity::search::matching::{Candidate, Query, keep_strong, score};
use std::collections::HashMap;

fn main() -> Result<(), String> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: febrl_recall DATASET.csv")?;
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let mut originals = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut duplicates = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() < 10 {
            continue;
        }
        let (id, given, surname, dob) = (f[0], f[1], f[2], f[9]);
        let date = NaiveDate::parse_from_str(dob, "%Y%m%d").ok();
        let original = id.split("-dup-").next().unwrap_or(id).replace("-org", "");
        if id.ends_with("-org") {
            index.insert(original, originals.len());
            originals.push(Candidate::new(given, surname, date.into_iter().collect()));
        } else {
            let typed = date.map(|d| d.to_string()).unwrap_or_default();
            duplicates.push((original, Query::new(given, surname, &typed)));
        }
    }
    let (mut at1, mut at10, mut rr, mut counted) = (0, 0, 0.0, 0);
    let mut returned = Vec::new();
    let mut misses: HashMap<&str, usize> = HashMap::new();
    // `FEBRL_MISSES=20` prints that many queries whose original was not found.
    let mut show: usize = std::env::var("FEBRL_MISSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    for (original, query) in &duplicates {
        let Some(&want) = index.get(original) else {
            continue;
        };
        counted += 1;
        let hits = keep_strong(
            originals
                .iter()
                .enumerate()
                .filter_map(|(i, c)| score(query, c).map(|m| (i, m)))
                .collect(),
        );
        returned.push(hits.len());
        if let Some(rank) = hits.iter().position(|h| h.0 == want) {
            at1 += usize::from(rank == 0);
            at10 += usize::from(rank < 10);
            rr += 1.0 / (rank as f64 + 1.0);
        } else {
            let why = match score(query, &originals[want]) {
                None if score(
                    &Query {
                        date_of_birth: None,
                        ..query.clone()
                    },
                    &originals[want],
                )
                .is_none() =>
                {
                    "no name in common"
                }
                None => "names match but the date of birth conflicts",
                Some(m) if m.score < probity::search::matching::score::FLOOR => "below the floor",
                Some(_) => "far below the best hit",
            };
            *misses.entry(why).or_insert(0usize) += 1;
        }
        if hits.iter().all(|h| h.0 != want) && show > 0 {
            show -= 1;
            println!(
                "missed {query:?}\n   want {:?} -> {:?}",
                originals[want],
                score(query, &originals[want])
            );
        }
    }
    returned.sort_unstable();
    let n = counted as f64;
    println!(
        "{path}: {} originals, {counted} duplicate queries",
        originals.len()
    );
    println!(
        "recall@1 {:.3}  recall@10 {:.3}  MRR {:.3}  median hits {}",
        at1 as f64 / n,
        at10 as f64 / n,
        rr / n,
        returned.get(returned.len() / 2).copied().unwrap_or(0)
    );
    let mut misses: Vec<_> = misses.into_iter().collect();
    misses.sort();
    println!("not found, by cause: {misses:?}");
    Ok(())
}
