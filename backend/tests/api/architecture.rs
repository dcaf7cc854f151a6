//! The shape that makes the audit unskippable, checked on the source: only
//! `audit::run` may open a transaction on personal data, so no module that
//! reads or changes people or records may take a connection of its own.

/// Modules that take connections from the pool themselves, and why none of
/// them reaches personal data past the audit: a new entry needs a reason.
const MAY_USE_THE_POOL: [(&str, &str); 26] = [
    ("audit/tx.rs", "the audited transaction itself"),
    (
        "audit/seal.rs",
        "chains committed events: identifiers and hashes, no personal data",
    ),
    (
        "audit/store.rs",
        "records refused attempts in their own transaction",
    ),
    (
        "audit/texts.rs",
        "deletes justification texts naming an erased person; returns nothing",
    ),
    (
        "audit/restore.rs",
        "declares a restore from backup: checkpoint numbers, positions and hashes",
    ),
    (
        "audit/witness.rs",
        "hands signed checkpoints (positions and hashes) to outside witnesses",
    ),
    (
        "auth/authorised.rs",
        "checks the session, API client and on-behalf-of user are live",
    ),
    ("auth/client_token.rs", "API client credentials"),
    ("auth/me.rs", "the signed-in user's own account"),
    ("auth/refresh.rs", "session tokens"),
    ("auth/sessions.rs", "session tokens"),
    ("auth/sign_in.rs", "staff credentials"),
    ("demo/mod.rs", "seeds demo data through the audited stores"),
    (
        "erasure/certificate.rs",
        "finishes an erasure already logged: its own plan's values go to the probe, only ids and counts come back",
    ),
    (
        "erasure/ledger.rs",
        "the erasure ledger: ids and times, never content; re-applies erasures through the audited stores",
    ),
    (
        "erasure/probe.rs",
        "counts where an erased person's values still appear: places and counts, never a row or a value",
    ),
    ("health.rs", "readiness: SELECT 1 and pool statistics"),
    (
        "imports/mod.rs",
        "import progress reports (counts, line numbers, field names)",
    ),
    (
        "imports/people.rs",
        "erased people's tombstone digests, never names",
    ),
    ("justification.rs", "the user's own working contexts"),
    (
        "retention/cli.rs",
        "the command line's reviews due: ids, groups and dates, never a name",
    ),
    (
        "retention/schedule.rs",
        "works review dates out from the records; writes dates, shows no one anything",
    ),
    (
        "rights/timeliness.rs",
        "counts open and overdue rights requests: no case is named",
    ),
    (
        "organisations/http.rs",
        "the list of public bodies disclosures name: no one's personal data",
    ),
    (
        "search/outbox.rs",
        "keeps the index in step; no one is shown anything",
    ),
    (
        "search/rebuild.rs",
        "rebuilds the index from the tables; no one is shown anything",
    ),
];

fn sources(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn only_the_audit_and_modules_without_personal_data_take_a_connection_of_their_own() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(files.len() > 50, "read the sources from {}", root.display());
    let mut unexplained = Vec::new();
    let mut users = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // The pool itself, and the command line (an operator, not a request).
        if relative.starts_with("db/") || relative == "main.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // Every way to a connection: from the pool, a transaction begun on
        // it, or a connection of one's own.
        let takes = ["pool.get()", "db::begin", "establish("];
        if takes.iter().any(|t| text.contains(t)) {
            users.push(relative.clone());
            if !MAY_USE_THE_POOL.iter().any(|(m, _)| *m == relative) {
                unexplained.push(relative);
            }
        }
    }
    assert!(
        unexplained.is_empty(),
        "these modules take a database connection outside audit::run; \
         personal data must be reached through it: {unexplained:?}"
    );
    // The list stays true: an entry whose module no longer needs it goes.
    let stale: Vec<_> = MAY_USE_THE_POOL
        .iter()
        .filter(|(m, _)| !users.iter().any(|u| u == m))
        .collect();
    assert!(stale.is_empty(), "no longer take connections: {stale:?}");
}
