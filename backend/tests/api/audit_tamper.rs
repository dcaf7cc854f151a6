//! Tamper evidence: the chain stays correct under concurrency and rollbacks,
//! and `verify` names the first event that was edited, deleted or reordered
//! even by a superuser who bypasses the append-only triggers.

use crate::support::*;
use diesel_async::{AsyncPgConnection, SimpleAsyncConnection};
use probity::audit::seal::seal_once;
use shared::audit::VerifyReport;
use shared::permissions::Role;

async fn seal_all(app: &TestApp) {
    while seal_once(&app.state).await.unwrap().sealed > 0 {}
}

async fn verify(app: &TestApp) -> VerifyReport {
    let mut conn = app.state.pool.get().await.unwrap();
    probity::audit::verify::verify(
        &mut conn,
        &app.state.keys,
        None,
        &[],
        probity::audit::verify::OtherLogs::Fail,
    )
    .await
    .unwrap()
}

async fn position_of_nth(conn: &mut AsyncPgConnection, n: i64) -> (i64, i64) {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use probity::db::schema::audit_chain;
    audit_chain::table
        .filter(audit_chain::position.eq(n))
        .select((audit_chain::position, audit_chain::event_seq))
        .first(conn)
        .await
        .unwrap()
}

/// A chain of 20-odd sealed events, and a superuser connection that can
/// bypass the triggers (as an attacker with the database password could).
async fn sealed_app() -> (TestApp, AsyncPgConnection) {
    let app = TestApp::with_config(|c| c.checkpoint_every_events = 5).await;
    let officer = app.token(Role::Officer).await;
    for i in 0..8 {
        create_person(&app, &officer, &format!("Tamper{}", (b'a' + i) as char)).await;
        seal_all(&app).await;
    }
    let report = verify(&app).await;
    assert!(report.ok, "{report:?}");
    assert!(report.checkpoints_verified >= 2, "{report:?}");
    let mut conn = app.db().await;
    conn.batch_execute("SET session_replication_role = replica")
        .await
        .unwrap();
    (app, conn)
}

#[actix_web::test]
async fn an_untouched_log_verifies_from_the_start_and_from_a_checkpoint() {
    let (app, _conn) = sealed_app().await;
    let report = verify(&app).await;
    assert_eq!(report.from_position, 1);
    assert_eq!(report.to_position, report.events_verified);
    assert_eq!(report.head_hash.as_ref().unwrap().len(), 64);
    assert_eq!(report.awaiting_seal, 0);
    let first_checkpoint = app
        .count("audit_checkpoints WHERE position < (SELECT max(position) FROM audit_checkpoints)")
        .await;
    assert!(first_checkpoint >= 1);
    let mut raw = app.db().await;
    let position: i64 = {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use probity::db::schema::audit_checkpoints;
        audit_checkpoints::table
            .select(audit_checkpoints::position)
            .order(audit_checkpoints::position)
            .first(&mut raw)
            .await
            .unwrap()
    };
    let mut conn = app.state.pool.get().await.unwrap();
    let from = probity::audit::verify::verify(
        &mut conn,
        &app.state.keys,
        Some(position),
        &[],
        probity::audit::verify::OtherLogs::Fail,
    )
    .await
    .unwrap();
    assert!(from.ok);
    assert_eq!(from.from_position, position + 1);
    assert_eq!(from.head_hash, report.head_hash);
}

#[actix_web::test]
async fn editing_an_event_is_caught_at_that_event() {
    let (app, mut conn) = sealed_app().await;
    let (position, seq) = position_of_nth(&mut conn, 7).await;
    conn.batch_execute(&format!(
        "UPDATE audit_events SET purpose = 'cover-up' WHERE seq = {seq}"
    ))
    .await
    .unwrap();
    let report = verify(&app).await;
    assert!(!report.ok);
    let failure = report.first_failure.unwrap();
    assert_eq!(failure.position, Some(position));
    assert!(failure.reason.contains("altered"), "{}", failure.reason);
    assert_eq!(report.to_position, position - 1);
}

#[actix_web::test]
async fn editing_an_event_and_its_stored_hash_is_still_caught() {
    let (app, mut conn) = sealed_app().await;
    let (position, seq) = position_of_nth(&mut conn, 4).await;
    conn.batch_execute(&format!(
        "UPDATE audit_events SET outcome = 'refused', content_hash = sha256('forged') WHERE seq = {seq}"
    ))
    .await
    .unwrap();
    assert_eq!(
        verify(&app).await.first_failure.unwrap().position,
        Some(position)
    );
}

#[actix_web::test]
async fn deleting_an_event_is_caught_at_its_place() {
    let (app, mut conn) = sealed_app().await;
    let (position, seq) = position_of_nth(&mut conn, 9).await;
    conn.batch_execute(&format!(
        "DELETE FROM audit_event_records WHERE event_seq = {seq}; DELETE FROM audit_events WHERE seq = {seq}"
    ))
    .await
    .unwrap();
    let failure = verify(&app).await.first_failure.unwrap();
    assert_eq!(failure.position, Some(position));
    assert!(failure.reason.contains("deleted"), "{}", failure.reason);
}

#[actix_web::test]
async fn deleting_an_event_with_its_chain_link_is_caught_as_a_gap() {
    let (app, mut conn) = sealed_app().await;
    let (position, seq) = position_of_nth(&mut conn, 10).await;
    conn.batch_execute(&format!(
        "DELETE FROM audit_chain WHERE position = {position}; \
         DELETE FROM audit_event_records WHERE event_seq = {seq}; DELETE FROM audit_events WHERE seq = {seq}"
    ))
    .await
    .unwrap();
    let failure = verify(&app).await.first_failure.unwrap();
    // The missing position itself, not the intact event after the gap.
    assert_eq!(failure.position, Some(position));
    assert_eq!(failure.event_seq, None);
    assert_eq!(
        failure.reason,
        format!("chain position {position} is missing")
    );
}

#[actix_web::test]
async fn removing_the_newest_events_is_caught_by_the_checkpoint_beyond_them() {
    let (app, mut conn) = sealed_app().await;
    // Cut the chain two events before its last checkpoint, taking the
    // events, their records and every chain row after the cut.
    conn.batch_execute(
        "CREATE TEMP TABLE cut AS SELECT position, event_seq FROM audit_chain \
           WHERE position > (SELECT max(position) - 2 FROM audit_checkpoints); \
         DELETE FROM audit_chain WHERE position IN (SELECT position FROM cut); \
         DELETE FROM audit_event_records WHERE event_seq IN (SELECT event_seq FROM cut); \
         DELETE FROM audit_events WHERE seq IN (SELECT event_seq FROM cut);",
    )
    .await
    .unwrap();
    let report = verify(&app).await;
    assert!(!report.ok);
    let failure = report.first_failure.unwrap();
    assert_eq!(failure.position, Some(report.to_position + 1));
    assert!(failure.reason.contains("removed"), "{}", failure.reason);
    assert!(
        failure.reason.contains("beyond the end"),
        "{}",
        failure.reason
    );
}

#[actix_web::test]
async fn reordering_two_events_is_caught_at_the_first_of_them() {
    let (app, mut conn) = sealed_app().await;
    let (p1, s1) = position_of_nth(&mut conn, 5).await;
    let (_, s2) = position_of_nth(&mut conn, 6).await;
    // Swap which event each chain position points at.
    conn.batch_execute(&format!(
        "UPDATE audit_chain SET event_seq = -1 WHERE event_seq = {s1}; \
         UPDATE audit_chain SET event_seq = {s1} WHERE event_seq = {s2}; \
         UPDATE audit_chain SET event_seq = {s2} WHERE event_seq = -1;"
    ))
    .await
    .unwrap();
    assert_eq!(verify(&app).await.first_failure.unwrap().position, Some(p1));
}

#[actix_web::test]
async fn an_event_slipped_in_behind_the_chain_is_caught() {
    let (app, mut conn) = sealed_app().await;
    conn.batch_execute(
        "INSERT INTO audit_events (id, occurred_at, operation, action, outcome, actor_type, request_id, content_hash, txid) \
         VALUES (gen_random_uuid(), now(), 'consultation', 'person.read', 'allowed', 'system', 'forged', sha256('x'), '3'::xid8)",
    )
    .await
    .unwrap();
    let failure = verify(&app).await.first_failure.unwrap();
    assert_eq!(failure.position, None);
    assert!(
        failure.reason.contains("missing from the chain"),
        "{}",
        failure.reason
    );
}

#[actix_web::test]
async fn a_re_signed_checkpoint_with_a_strange_key_is_caught() {
    let (app, mut conn) = sealed_app().await;
    conn.batch_execute(
        "UPDATE audit_checkpoints SET key_id = 'attacker', signature = decode(repeat('00', 64), 'hex') \
         WHERE position = (SELECT min(position) FROM audit_checkpoints)",
    )
    .await
    .unwrap();
    let failure = verify(&app).await.first_failure.unwrap();
    assert!(failure.reason.contains("checkpoint"), "{}", failure.reason);
}

#[actix_web::test]
async fn under_concurrent_writers_rollbacks_and_a_long_transaction_every_committed_event_is_sealed_once()
 {
    let app = TestApp::with_config(|c| c.db_pool_size = 12).await;
    let officer = app.token(Role::Officer).await;
    // A transaction that stays open while others commit and seals happen,
    // holding a genuine event (its hash is the canonical one).
    let ctx = probity::auth::RequestContext::system("long-task", vec![]);
    let event = probity::audit::StampedEvent::stamp(
        probity::audit::AuditEvent::new(
            probity::audit::Operation::Consultation,
            "person.list",
            vec![],
        ),
        &ctx,
        &app.state.audit_texts,
    );
    let mut long = app.db().await;
    long.batch_execute(&format!(
        "BEGIN; INSERT INTO audit_events (id, occurred_at, operation, action, outcome, actor_type, user_agent, request_id, content_hash, canonical_version) \
         VALUES ('{}', '{}', 'consultation', 'person.list', 'allowed', 'system', '{}', '{}', decode('{}', 'hex'), 2)",
        event.id,
        event.occurred_at,
        event.user_agent.clone().unwrap(),
        event.request_id,
        hex::encode(event.content_hash()),
    ))
    .await
    .unwrap();
    // Transactions that roll back after taking sequence numbers.
    let mut rolled = app.db().await;
    for _ in 0..5 {
        rolled
            .batch_execute(
                "BEGIN; INSERT INTO audit_events (id, occurred_at, operation, action, outcome, actor_type, request_id, content_hash) \
                 VALUES (gen_random_uuid(), now(), 'consultation', 'person.read', 'allowed', 'system', 'gone', sha256('gone')); ROLLBACK;",
            )
            .await
            .unwrap();
    }
    let writers = (0..6).map(|w| {
        let app = &app;
        let officer = officer.clone();
        async move {
            for i in 0..10 {
                create_person(
                    app,
                    &officer,
                    &format!("Busy{w}x{i}").replace(char::is_numeric, ""),
                )
                .await;
                if i % 3 == 0 {
                    seal_once(&app.state).await.unwrap();
                }
            }
        }
    });
    futures_util::future::join_all(writers).await;
    seal_all(&app).await;
    // Everything committed is sealed, past the still-open transaction.
    let pending = verify(&app).await;
    assert!(pending.ok, "{pending:?}");
    assert_eq!(pending.awaiting_seal, 0);
    assert_eq!(pending.events_verified, app.count("audit_events").await);
    long.batch_execute("COMMIT").await.unwrap();
    assert_eq!(verify(&app).await.awaiting_seal, 1);
    seal_all(&app).await;
    let report = verify(&app).await;
    assert!(report.ok, "{report:?}");
    assert_eq!(report.awaiting_seal, 0);
    let events = app.count("audit_events").await;
    assert_eq!(report.events_verified, events);
    assert_eq!(app.count("audit_chain").await, events);
    assert_eq!(app.count("audit_events WHERE request_id = 'gone'").await, 0);
    assert_eq!(
        app.count("(SELECT event_seq FROM audit_chain GROUP BY event_seq HAVING count(*) > 1) d")
            .await,
        0
    );
}

/// `probity verify-audit`, as an operator runs it against the same database
/// and signing keys: whether it exited cleanly, and the report it printed.
fn verify_command(app: &TestApp) -> (bool, VerifyReport) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_probity"))
        .arg("verify-audit")
        .env("DATABASE_URL", &app.database_url)
        .env("PROBITY_DATA_DIR", &app.state.config.data_dir)
        .env("PROBITY_LOG", "error")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(&printed)
        .unwrap_or_else(|e| panic!("{e}: {printed} {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.success(), report)
}

#[actix_web::test]
async fn the_verify_command_reports_the_head_and_exits_non_zero_at_the_first_edited_event() {
    let (app, mut conn) = sealed_app().await;
    let (clean, report) = verify_command(&app);
    assert!(clean && report.ok, "{report:?}");
    assert_eq!(report.head_hash, verify(&app).await.head_hash);
    assert!(report.checkpoints_verified >= 2, "{report:?}");

    let (position, seq) = position_of_nth(&mut conn, 6).await;
    conn.batch_execute(&format!(
        "UPDATE audit_events SET purpose = 'audit' WHERE seq = {seq}"
    ))
    .await
    .unwrap();
    let (clean, report) = verify_command(&app);
    assert!(!clean, "a broken log must fail the command: {report:?}");
    assert_eq!(report.first_failure.unwrap().position, Some(position));
}

/// The log's protection holds only if the login cannot step out of
/// `probity_app`: the server names a login that could, and is quiet about
/// one deployed as the README advises.
#[actix_web::test]
async fn a_login_that_could_rewrite_the_log_is_named_and_a_probity_app_member_is_not() {
    let app = TestApp::spawn().await;
    let (scheme, rest) = app.database_url.split_once("://").unwrap();
    let (user, host_and_db) = rest.split_once('@').unwrap();
    // The tests log in as a superuser.
    let named = probity::db::login_that_may_rewrite_audit(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(named.as_deref(), user.split(':').next());

    let login = format!("probity_server_{}", uuid::Uuid::new_v4().simple());
    let mut admin = app.db().await;
    admin
        .batch_execute(&format!("CREATE ROLE {login} LOGIN IN ROLE probity_app"))
        .await
        .unwrap();
    let url = format!("{scheme}://{login}@{host_and_db}");
    let pool = probity::db::pool(&url, 1, Some("probity_app".into())).unwrap();
    let named = probity::db::login_that_may_rewrite_audit(&pool).await;
    drop(pool);
    admin
        .batch_execute(&format!("DROP ROLE {login}"))
        .await
        .unwrap();
    assert_eq!(named.unwrap(), None);
}

/// A reason is the one free text an event holds: one with quotes,
/// backslashes, accents and SQL of its own is stored exactly as given,
/// hashes as given, and is never run.
#[actix_web::test]
async fn a_reason_written_like_sql_is_kept_exactly_and_its_event_verifies() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let person = create_person(&app, &officer, "Literal").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reason = r"O'Brien's file \x41 \'); COMMIT; DELETE FROM people; -- 'é'";
    let header = format!(
        "purpose=safeguarding&reason={}",
        reason
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    );
    let res = app
        .send(
            actix_web::test::TestRequest::get()
                .uri(&format!("/api/v1/people/{person}"))
                .insert_header(bearer(&officer))
                .insert_header(("Probity-Justification", header.as_str())),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(app.count("people").await, 1);
    // A NUL (which PostgreSQL cannot store) is the caller's mistake, named.
    let res = app
        .send(
            actix_web::test::TestRequest::get()
                .uri(&format!("/api/v1/people/{person}"))
                .insert_header(bearer(&officer))
                .insert_header((
                    "Probity-Justification",
                    "purpose=safeguarding&reason=Concern%00raised+by+school",
                )),
        )
        .await;
    assert!(res.status.is_client_error(), "{}: {}", res.status, res.body);
    assert_eq!(res.body["errors"][0]["field"], "reason", "{}", res.body);
    // Kept exactly, beside the log rather than in it.
    let stored: String = {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use probity::db::schema::{audit_events, audit_texts};
        audit_events::table
            .inner_join(
                audit_texts::table.on(audit_texts::hash.nullable().eq(audit_events::reason_hash)),
            )
            .filter(audit_events::action.eq("person.read"))
            .filter(audit_events::reason.is_null())
            .select(audit_texts::text)
            .first(&mut app.db().await)
            .await
            .unwrap()
    };
    assert_eq!(stored, reason);
    seal_all(&app).await;
    let report = verify(&app).await;
    assert!(report.ok, "{report:?}");
    assert_eq!(report.awaiting_seal, 0);
}
