//! What an independent examination of the audit log broke, each tried
//! again: verify that vouched for a forged chain by signing it, a sealer
//! that signed over what it had not checked, checkpoints deleted without a
//! trace, and text a user typed kept for ever in the append-only rows.

use crate::support::*;
use actix_web::test::TestRequest;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use probity::audit::seal::seal_once;
use probity::audit::verify::OtherLogs;
use probity::db::schema::{audit_chain, audit_checkpoints, audit_events};
use serde_json::json;
use shared::audit::VerifyReport;
use shared::permissions::Role;

async fn seal_all(app: &TestApp) {
    loop {
        let report = seal_once(&app.state).await.unwrap();
        assert_eq!(report.refused, None, "an honest log must seal");
        if report.sealed == 0 {
            break;
        }
    }
}

async fn verify_with(app: &TestApp, witness: &[shared::audit::CheckpointView]) -> VerifyReport {
    let mut conn = app.db().await;
    probity::audit::verify::verify(&mut conn, &app.state.keys, None, witness, OtherLogs::Fail)
        .await
        .unwrap()
}

fn witness_file(app: &TestApp) -> std::path::PathBuf {
    app.state.config.audit_witness_path().unwrap()
}

fn witness_copy(app: &TestApp) -> Vec<shared::audit::CheckpointView> {
    probity::audit::witness::read(&witness_file(app)).unwrap()
}

async fn checkpoints(app: &TestApp) -> i64 {
    app.count("audit_checkpoints").await
}

/// A chain of some 25 sealed events with a checkpoint every 5, each handed
/// to the witness file, and a superuser connection that bypasses the
/// append-only triggers, as an attacker with the database password could.
async fn witnessed_app() -> (TestApp, AsyncPgConnection) {
    let app = TestApp::with_config(|c| c.checkpoint_every_events = 5).await;
    let officer = app.token(Role::Officer).await;
    for i in 0..14 {
        create_person(&app, &officer, &format!("Witnessed{}", (b'a' + i) as char)).await;
        seal_all(&app).await;
    }
    let copy = witness_copy(&app);
    assert!(copy.len() >= 3, "{copy:?}");
    assert_eq!(copy.len() as i64, checkpoints(&app).await);
    let report = verify_with(&app, &copy).await;
    assert!(report.ok, "{report:?}");
    assert_eq!(report.witness_checkpoints, copy.len() as i64);
    let mut conn = app.db().await;
    conn.batch_execute("SET session_replication_role = replica")
        .await
        .unwrap();
    (app, conn)
}

/// The forgery the examination made: the actor of the event at `position`
/// changed, its content hash and every chain hash after it recomputed (with
/// Probity's own code, which an attacker has), and, if asked, every
/// checkpoint from that position on deleted.
async fn forge_actor(conn: &mut AsyncPgConnection, position: i64, drop_checkpoints: bool) {
    let someone_else = uuid::Uuid::new_v4();
    let seq: i64 = audit_chain::table
        .find(position)
        .select(audit_chain::event_seq)
        .first(conn)
        .await
        .unwrap();
    let row: probity::audit::rows::EventRow = audit_events::table
        .find(seq)
        .select(probity::audit::rows::EventRow::as_select())
        .first(conn)
        .await
        .unwrap();
    let records = probity::audit::rows::records_of(conn, &[seq])
        .await
        .unwrap();
    let held = probity::audit::texts::load(conn, &row.text_hashes().cloned().collect::<Vec<_>>())
        .await
        .unwrap();
    let mut stamped = row.to_stamped(records.get(&seq).map(Vec::as_slice).unwrap_or(&[]), &held);
    stamped.actor_id = Some(someone_else);
    let forged = hex::encode(stamped.content_hash());
    conn.batch_execute(&format!(
        "UPDATE audit_events SET actor_id = '{someone_else}', content_hash = decode('{forged}', 'hex') WHERE seq = {seq}; \
         UPDATE audit_chain SET content_hash = decode('{forged}', 'hex') WHERE position = {position};"
    ))
    .await
    .unwrap();
    let mut prev: Vec<u8> = if position == 1 {
        vec![0; 32]
    } else {
        audit_chain::table
            .find(position - 1)
            .select(audit_chain::chain_hash)
            .first(conn)
            .await
            .unwrap()
    };
    let rest: Vec<(i64, i64, Vec<u8>)> = audit_chain::table
        .filter(audit_chain::position.ge(position))
        .order(audit_chain::position)
        .select((
            audit_chain::position,
            audit_chain::event_seq,
            audit_chain::content_hash,
        ))
        .load(conn)
        .await
        .unwrap();
    for (p, s, content) in rest {
        let link = probity::audit::chain_link(&prev, &content, p, s);
        conn.batch_execute(&format!(
            "UPDATE audit_chain SET chain_hash = decode('{}', 'hex') WHERE position = {p}",
            hex::encode(link)
        ))
        .await
        .unwrap();
        prev = link.to_vec();
    }
    if drop_checkpoints {
        conn.batch_execute(&format!(
            "DELETE FROM audit_checkpoints WHERE position >= {position}"
        ))
        .await
        .unwrap();
    }
}

/// The position of the first event after the `n`-th checkpoint.
async fn after_checkpoint(conn: &mut AsyncPgConnection, n: usize) -> i64 {
    let positions: Vec<i64> = audit_checkpoints::table
        .order(audit_checkpoints::position)
        .select(audit_checkpoints::position)
        .load(conn)
        .await
        .unwrap();
    positions[n] + 1
}

/// `probity verify-audit`, as an operator runs it: clean exit, and report.
fn verify_command(app: &TestApp, witness: Option<&std::path::Path>) -> (bool, VerifyReport) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_probity"));
    command.arg("verify-audit");
    if let Some(w) = witness {
        command.arg("--witness").arg(w);
    }
    let out = command
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
async fn verify_only_reads_it_never_seals_or_signs() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    create_person(&app, &officer, "Unsealed").await;
    let auditor = app.token(Role::Auditor).await;
    let (chain, signed) = (app.count("audit_chain").await, checkpoints(&app).await);
    assert_eq!((chain, signed), (0, 0));
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/audit/verify")
                .insert_header(bearer(&auditor))
                .insert_header(("Probity-Justification", "purpose=audit&reference=AUD-1")),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(
        res.body["awaiting_seal"].as_i64().unwrap() > 0,
        "{}",
        res.body
    );
    let (clean, report) = verify_command(&app, None);
    assert!(clean, "{report:?}");
    assert!(report.awaiting_seal > 0);
    assert_eq!(app.count("audit_chain").await, 0, "verify sealed events");
    assert_eq!(checkpoints(&app).await, 0, "verify signed a checkpoint");
}

#[actix_web::test]
async fn the_examiners_forgery_is_caught_against_the_witness_and_never_signed() {
    let (app, mut conn) = witnessed_app().await;
    let witness = witness_copy(&app);
    let before = checkpoints(&app).await;
    let position = after_checkpoint(&mut conn, 1).await + 1;
    forge_actor(&mut conn, position, true).await;
    let remaining = checkpoints(&app).await;
    assert!(remaining < before);

    // Without a witness the forged chain links perfectly: verify says so,
    // but no longer vouches for it by signing, and says how far signatures
    // reach.
    let alone = verify_with(&app, &[]).await;
    assert!(alone.ok, "{alone:?}");
    assert!(alone.signed_to_position < position, "{alone:?}");
    assert!(!alone.warnings.is_empty(), "{alone:?}");
    assert_eq!(checkpoints(&app).await, remaining, "verify signed");

    // Against the witness copy it is caught, in process and at the command.
    let report = verify_with(&app, &witness).await;
    assert!(!report.ok);
    let failure = report.first_failure.unwrap();
    assert!(failure.reason.contains("witness"), "{}", failure.reason);
    assert!(failure.position.unwrap() >= position, "{failure:?}");
    let (clean, printed) = verify_command(&app, Some(&witness_file(&app)));
    assert!(!clean && !printed.ok, "{printed:?}");

    // The sealer that sealed it remembers what it signed and refuses.
    let officer = app.token(Role::Officer).await;
    create_person(&app, &officer, "After").await;
    let refused = seal_once(&app.state).await.unwrap();
    let why = refused.refused.unwrap();
    assert!(why.contains("disappeared"), "{why}");
    assert_eq!(refused.sealed, 0);
    assert_eq!(app.state.metrics.audit_sealing_halted.get(), 1);
    assert_eq!(
        app.state
            .metrics
            .audit_seal_refusals
            .with_label_values(&["checkpoints_missing"])
            .get(),
        1
    );

    // A restarted server has no memory, but its witness file does.
    let restarted = probity::state::AppState::build((*app.state.config).clone()).unwrap();
    let refused = seal_once(&restarted).await.unwrap();
    assert!(refused.refused.unwrap().contains("witness file"));
    // And the API verify compares with the server's witness file too.
    let auditor = app.token(Role::Auditor).await;
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/audit/verify")
                .insert_header(bearer(&auditor))
                .insert_header(("Probity-Justification", "purpose=audit&reference=AUD-1")),
        )
        .await;
    assert_eq!(res.body["ok"], false, "{}", res.body);
    assert!(res.body["sealer_refusing"].is_string(), "{}", res.body);
    assert_eq!(
        checkpoints(&app).await,
        remaining,
        "a checkpoint was signed over the forgery"
    );
}

#[actix_web::test]
async fn a_rewrite_after_the_last_checkpoint_is_refused_by_the_sealer_and_not_vouched_for() {
    let (app, mut conn) = witnessed_app().await;
    let officer = app.token(Role::Officer).await;
    create_person(&app, &officer, "Tail").await;
    // Sealed, but not yet due a checkpoint.
    assert_eq!(seal_once(&app.state).await.unwrap().checkpoint, None);
    let head: i64 = app.count("audit_chain").await;
    let signed_to: i64 = audit_checkpoints::table
        .select(diesel::dsl::max(audit_checkpoints::position))
        .first::<Option<i64>>(&mut conn)
        .await
        .unwrap()
        .unwrap();
    assert!(head > signed_to);
    forge_actor(&mut conn, head, false).await;
    let report = verify_with(&app, &witness_copy(&app)).await;
    assert_eq!(report.signed_to_position, signed_to, "{report:?}");
    assert!(
        report.warnings[0].contains("no signed checkpoint covers them"),
        "{report:?}"
    );
    let before = checkpoints(&app).await;
    let refused = seal_once(&app.state).await.unwrap();
    assert!(refused.refused.unwrap().contains("rewritten"));
    assert_eq!(checkpoints(&app).await, before);
}

#[actix_web::test]
async fn the_sealer_checks_every_event_since_the_last_checkpoint_before_it_signs() {
    let (app, mut conn) = witnessed_app().await;
    let officer = app.token(Role::Officer).await;
    create_person(&app, &officer, "Edited").await;
    assert_eq!(seal_once(&app.state).await.unwrap().checkpoint, None);
    // An event already sealed is edited (its chain left alone) before the
    // next checkpoint is due.
    let head = app.count("audit_chain").await;
    let seq: i64 = audit_chain::table
        .find(head)
        .select(audit_chain::event_seq)
        .first(&mut conn)
        .await
        .unwrap();
    conn.batch_execute(&format!(
        "UPDATE audit_events SET purpose = 'audit' WHERE seq = {seq}"
    ))
    .await
    .unwrap();
    let before = checkpoints(&app).await;
    for i in 0..3 {
        create_person(&app, &officer, &format!("Later{}", (b'a' + i) as char)).await;
    }
    let refused = seal_once(&app.state).await.unwrap();
    let why = refused.refused.unwrap();
    assert!(why.contains(&format!("position {head}")), "{why}");
    assert!(why.contains("no checkpoint will be signed"), "{why}");
    assert_eq!(checkpoints(&app).await, before);
    // Nothing was appended over the broken chain either.
    assert_eq!(app.count("audit_chain").await, head);
}

#[actix_web::test]
async fn checkpoints_removed_from_the_middle_or_the_start_are_caught_by_their_numbers() {
    let (app, mut conn) = witnessed_app().await;
    let positions: Vec<i64> = audit_checkpoints::table
        .order(audit_checkpoints::position)
        .select(audit_checkpoints::position)
        .load(&mut conn)
        .await
        .unwrap();
    conn.batch_execute(&format!(
        "DELETE FROM audit_checkpoints WHERE position = {}",
        positions[1]
    ))
    .await
    .unwrap();
    let report = verify_with(&app, &[]).await;
    let failure = report.first_failure.unwrap();
    assert_eq!(failure.position, Some(positions[2]));
    assert!(
        failure.reason.contains("checkpoints have been removed"),
        "{}",
        failure.reason
    );
    conn.batch_execute(&format!(
        "DELETE FROM audit_checkpoints WHERE position = {}",
        positions[0]
    ))
    .await
    .unwrap();
    let failure = verify_with(&app, &[]).await.first_failure.unwrap();
    assert!(
        failure.reason.contains("checkpoints 1 to 2 are missing"),
        "{}",
        failure.reason
    );
    // Every checkpoint gone: a sealed chain without one is refused outright.
    conn.batch_execute("DELETE FROM audit_checkpoints")
        .await
        .unwrap();
    let fresh = probity::state::AppState::build(probity::config::Config {
        audit_witness_file: "none".into(),
        ..(*app.state.config).clone()
    })
    .unwrap();
    let refused = seal_once(&fresh).await.unwrap();
    assert!(refused.refused.unwrap().contains("no signed checkpoint"));
    assert_eq!(checkpoints(&app).await, 0);
}

#[actix_web::test]
async fn an_http_witness_receives_every_checkpoint_and_refuses_a_rewritten_one() {
    let dir = std::env::temp_dir().join(format!("probity-witness-{}", uuid::Uuid::new_v4()));
    let file = dir.join("received.jsonl");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let (serve_bind, serve_file) = (bind.clone(), file.clone());
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(probity::audit::witness_serve::serve(
            &serve_bind,
            serve_file,
            Some("witness-token".into()),
            Vec::new(),
        ))
    });
    for _ in 0..100 {
        if std::net::TcpStream::connect(&bind).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let app = TestApp::with_config(|c| {
        c.checkpoint_every_events = 4;
        c.audit_witness_url = format!("http://{bind}/checkpoints");
        c.audit_witness_token = probity::config::Secret::new("witness-token");
    })
    .await;
    let officer = app.token(Role::Officer).await;
    for i in 0..5 {
        create_person(&app, &officer, &format!("Posted{}", (b'a' + i) as char)).await;
        seal_all(&app).await;
    }
    let received = probity::audit::witness::read(&file).unwrap();
    assert_eq!(received.len() as i64, checkpoints(&app).await);
    assert_eq!(received, witness_copy(&app), "both witnesses hold the same");
    let (clean, report) = verify_command(&app, Some(&file));
    assert!(clean && report.ok, "{report:?}");
    assert_eq!(report.witness_checkpoints, received.len() as i64);
    // A different checkpoint under a number it holds is refused, as is one
    // whose signature does not hold.
    let client = reqwest::Client::new();
    let mut rewritten = received[1].clone();
    rewritten.chain_hash = "00".repeat(32);
    let post = |body: &shared::audit::CheckpointView| {
        client
            .post(format!("http://{bind}/checkpoints"))
            .bearer_auth("witness-token")
            .json(body)
            .send()
    };
    assert_eq!(post(&rewritten).await.unwrap().status(), 422);
    assert_eq!(post(&received[1]).await.unwrap().status(), 200);
    // Even signed with the real key (a re-signed rewrite): refused, since
    // the witness already holds that number.
    let key = app.state.keys.active().unwrap();
    let statement = probity::audit::CheckpointStatement {
        version: 2,
        log_id: received[1].log_id,
        number: received[1].number,
        position: received[1].position,
        chain_hash: vec![7; 32],
        previous_position: received[1].previous_position,
        previous_chain_hash: received[1]
            .previous_chain_hash
            .as_ref()
            .map(|h| hex::decode(h).unwrap()),
        merkle_root: received[1]
            .merkle_root
            .as_ref()
            .map(|h| hex::decode(h).unwrap()),
        signed_at: received[1].signed_at,
    };
    let message = statement.message();
    let resigned = shared::audit::CheckpointView {
        chain_hash: hex::encode([7u8; 32]),
        signature: hex::encode(key.sign(&message)),
        message: String::from_utf8(message).unwrap(),
        ..received[1].clone()
    };
    assert_eq!(post(&resigned).await.unwrap().status(), 409);
    // Signed by a key the witness was not told to trust: refused outright.
    let stranger = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
    let next = received.last().unwrap();
    let statement = probity::audit::CheckpointStatement {
        number: next.number.map(|n| n + 1),
        position: next.position + 1,
        previous_position: Some(next.position),
        previous_chain_hash: Some(hex::decode(&next.chain_hash).unwrap()),
        ..statement
    };
    let message = statement.message();
    use ed25519_dalek::Signer;
    let foreign = shared::audit::CheckpointView {
        number: statement.number,
        position: statement.position,
        previous_position: statement.previous_position,
        previous_chain_hash: Some(next.chain_hash.clone()),
        public_key: hex::encode(stranger.verifying_key().to_bytes()),
        signature: hex::encode(stranger.sign(&message).to_bytes()),
        message: String::from_utf8(message).unwrap(),
        ..resigned.clone()
    };
    assert_eq!(post(&foreign).await.unwrap().status(), 403);
    assert_eq!(probity::audit::witness::read(&file).unwrap(), received);
    let unsigned = client
        .post(format!("http://{bind}/checkpoints"))
        .json(&received[1])
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    let _ = std::fs::remove_dir_all(dir);
}

/// Another server instance on the same database and data directory.
struct OtherServer {
    state: actix_web::web::Data<probity::state::AppState>,
}

impl OtherServer {
    async fn start(app: &TestApp) -> Self {
        let state = probity::state::AppState::build((*app.state.config).clone()).unwrap();
        Self {
            state: actix_web::web::Data::new(state),
        }
    }

    async fn send(&self, req: TestRequest) -> Response {
        let service = actix_web::test::init_service(probity::routes::app(self.state.clone())).await;
        let res = actix_web::test::call_service(&service, req.to_request()).await;
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = actix_web::test::read_body(res).await;
        Response {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
        }
    }
}

#[actix_web::test]
async fn text_a_user_types_stays_out_of_the_append_only_rows_and_goes_with_the_person() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let investigator = app.token(Role::Investigator).await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let name = "Thorncroftovich";
    let id = id_of(&create_person(&app, &officer, name).await);
    let typed =
        format!("purpose=investigation&reference=REF-{name}&reason=checking+{name}+whereabouts");
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(&investigator))
                .insert_header(("Probity-Justification", typed.as_str()))
                .insert_header((
                    "User-Agent",
                    format!("Mozilla/5.0 ({name} desk) Firefox/133.0"),
                )),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    // A second server on the same database, which lists with the same reason
    // now and so remembers the text's key.
    let other = OtherServer::start(&app).await;
    let listed = other
        .send(
            TestRequest::get()
                .uri("/api/v1/people?surname=Nobody")
                .insert_header(bearer(&investigator))
                .insert_header(("Probity-Justification", typed.as_str())),
        )
        .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    // Typed as a recipient, it is refused before anything is written.
    let res = app
        .send(
            TestRequest::post()
                .uri(&format!("/api/v1/people/{id}/disclosures"))
                .insert_header(bearer(&investigator))
                .insert_header(justification())
                .set_json(json!({"recipient": format!("{name}'s solicitor")})),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    let res = app
        .send(
            TestRequest::post()
                .uri(&format!("/api/v1/people/{id}/disclosures"))
                .insert_header(bearer(&investigator))
                .insert_header(justification())
                .set_json(json!({ "recipient": CPS })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    seal_all(&app).await;
    let in_log =
        |table: &'static str| format!("{table} t WHERE row_to_json(t)::text ILIKE '%thorncroft%'");
    for table in [
        "audit_events",
        "audit_event_records",
        "audit_chain",
        "audit_checkpoints",
    ] {
        assert_eq!(app.count(&in_log(table)).await, 0, "the name is in {table}");
    }
    // The reference and the reason, once each per server that keyed them.
    assert_eq!(app.count(&in_log("audit_texts")).await, 4);
    let agent: String = audit_events::table
        .filter(audit_events::action.eq("person.read"))
        .select(audit_events::user_agent.assume_not_null())
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(agent, "Firefox/133");
    let report = verify_with(&app, &[]).await;
    assert!(report.ok && report.texts_checked >= 2, "{report:?}");

    // A superuser who edits a held text is caught at its event.
    let mut conn = app.db().await;
    conn.batch_execute(
        "SET session_replication_role = replica; \
         UPDATE audit_texts SET text = 'routine patrol check' WHERE text LIKE 'checking%'",
    )
    .await
    .unwrap();
    let failure = verify_with(&app, &[]).await.first_failure.unwrap();
    assert!(
        failure.reason.contains("justification text"),
        "{}",
        failure.reason
    );
    conn.batch_execute(&format!(
        "UPDATE audit_texts SET text = 'checking {name} whereabouts' WHERE text = 'routine patrol check'"
    ))
    .await
    .unwrap();
    assert!(verify_with(&app, &[]).await.ok);

    // Erasing the person clears the texts that name them; the events keep
    // hashes that still verify, and say the texts are gone.
    let res = app
        .send(
            TestRequest::delete()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(&dpo))
                .insert_header(justification()),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["audit_texts_cleared"], 4, "{}", res.body);
    assert_eq!(app.count(&in_log("audit_texts")).await, 0);
    seal_all(&app).await;
    let report = verify_with(&app, &[]).await;
    assert!(report.ok, "{report:?}");
    assert_eq!(
        report.texts_erased, 4,
        "both texts of the read and of the list: {report:?}"
    );
    // The same reason sent again through another server that still
    // remembers its key cannot put the erased text back beside the events.
    let again = app
        .count("audit_events e WHERE e.action = 'person.list' AND e.reason_hash IS NOT NULL")
        .await;
    let listed = other
        .send(
            TestRequest::get()
                .uri("/api/v1/people?surname=Nobody")
                .insert_header(bearer(&investigator))
                .insert_header(("Probity-Justification", typed.as_str())),
        )
        .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert_eq!(
        app.count("audit_events e WHERE e.action = 'person.list' AND e.reason_hash IS NOT NULL")
            .await,
        again + 1
    );
    assert_eq!(
        app.count(
            "(SELECT DISTINCT reason_hash FROM audit_events WHERE action = 'person.list' AND reason_hash IS NOT NULL) h"
        )
        .await,
        1,
        "the remembering server named the text by its old hash"
    );
    assert_eq!(
        app.count(&in_log("audit_texts")).await,
        0,
        "the erased text came back"
    );
    // A text deleted behind the log's back is told apart from an erased one.
    conn.batch_execute("DELETE FROM audit_texts WHERE text = '01/12345'")
        .await
        .unwrap();
    let failure = verify_with(&app, &[]).await.first_failure.unwrap();
    assert!(
        failure.reason.contains("outside any recorded erasure"),
        "{}",
        failure.reason
    );
    let auditor = app.token(Role::Auditor).await;
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!(
                    "/api/v1/audit/events?person={id}&operation=consultation"
                ))
                .insert_header(bearer(&auditor))
                .insert_header(("Probity-Justification", "purpose=audit&reference=AUD-9")),
        )
        .await;
    let read = res.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "person.read")
        .unwrap()
        .clone();
    assert_eq!(read["texts_erased"], true, "{read}");
    assert_eq!(read["reason"], serde_json::Value::Null);
}

#[actix_web::test]
async fn a_write_without_a_justification_is_428_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let supervisor = app.token(Role::Supervisor).await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let id = id_of(&create_person(&app, &supervisor, "Unjustified").await);
    let dup = id_of(&create_person(&app, &supervisor, "Unjustified").await);
    let key = uuid::Uuid::new_v4().to_string();
    let created = app
        .send(
            TestRequest::post()
                .uri("/api/v1/people")
                .insert_header(bearer(&supervisor))
                .insert_header(justification())
                .insert_header(("Idempotency-Key", key.as_str()))
                .set_json(person("Replayed")),
        )
        .await;
    assert_eq!(created.status, 201);
    let snapshot = || async {
        app.count("people WHERE version = 1 AND restricted_at IS NULL AND merged_into IS NULL")
            .await
    };
    let people_before = snapshot().await;
    let allowed_before = app.count("audit_events WHERE outcome = 'allowed'").await;
    let attempts = [
        (
            "an unchanged update",
            TestRequest::put()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(&supervisor))
                .set_json(person("Unjustified")),
        ),
        (
            "a merge",
            TestRequest::post()
                .uri(&format!("/api/v1/people/{id}/merge"))
                .insert_header(bearer(&supervisor))
                .set_json(json!({ "duplicate": dup })),
        ),
        (
            "a restriction",
            TestRequest::put()
                .uri(&format!("/api/v1/people/{id}/restriction"))
                .insert_header(bearer(&dpo))
                .set_json(json!({"ground": "accuracy_contested"})),
        ),
        (
            "lifting a restriction",
            TestRequest::delete()
                .uri(&format!("/api/v1/people/{id}/restriction"))
                .insert_header(bearer(&dpo)),
        ),
        (
            "a create replayed by its key",
            TestRequest::post()
                .uri("/api/v1/people")
                .insert_header(bearer(&supervisor))
                .insert_header(("Idempotency-Key", key.as_str()))
                .set_json(person("Replayed")),
        ),
        (
            "an erasure",
            TestRequest::delete()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(&dpo)),
        ),
    ];
    for (what, request) in attempts {
        let res = app.send(request).await;
        assert_eq!(res.status, 428, "{what}: {}", res.body);
        assert!(
            res.body.get("surname").is_none(),
            "{what} returned the record"
        );
    }
    assert_eq!(snapshot().await, people_before);
    assert_eq!(
        app.count("audit_events WHERE outcome = 'allowed'").await,
        allowed_before,
        "something was done without a justification"
    );
    assert_eq!(app.count("audit_events WHERE outcome = 'refused'").await, 6);
}

#[actix_web::test]
async fn an_erasure_takes_every_spelling_of_the_name_but_not_a_surname_others_share() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let made = |surname: &str, forenames: &str| {
        let mut body = person(surname);
        body["forenames"] = json!(forenames);
        as_user(
            &app,
            &officer,
            TestRequest::post().uri("/api/v1/people").set_json(body),
        )
    };
    let strauss = id_of(&made("Strauß", "Ottilie").await.body);
    let harold = id_of(&made("Brown", "Harold").await.body);
    let _edith = id_of(&made("Brown", "Edith").await.body);
    for reason in [
        "checking STRAUSS whereabouts",
        "visit to Ottilie Strauß",
        "follow up on Harold Brown",
        "checking the Brown family",
    ] {
        let header =
            serde_urlencoded::to_string([("purpose", "safeguarding"), ("reason", reason)]).unwrap();
        let res = app
            .send(
                TestRequest::get()
                    .uri("/api/v1/people?surname=Nobody")
                    .insert_header(bearer(&officer))
                    .insert_header(("Probity-Justification", header.as_str())),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
    }
    let held = |like: &'static str| {
        let query = format!("audit_texts WHERE text ILIKE '{like}'");
        let app = &app;
        async move { app.count(&query).await }
    };
    for id in [&strauss, &harold] {
        let res = as_user(
            &app,
            &dpo,
            TestRequest::delete().uri(&format!("/api/v1/people/{id}")),
        )
        .await;
        assert_eq!(res.status, 200, "{}", res.body);
    }
    assert_eq!(held("%strauss%").await + held("%strauß%").await, 0);
    assert_eq!(held("%harold brown%").await, 0);
    // "Brown" alone also names Edith Brown, who is still held.
    assert_eq!(held("%brown family%").await, 1);
    seal_all(&app).await;
    let report = verify_with(&app, &[]).await;
    assert!(report.ok && report.texts_erased == 3, "{report:?}");
}

#[actix_web::test]
async fn checkpoints_sign_a_merkle_root_and_a_stored_block_altered_is_caught() {
    let app = TestApp::with_config(|c| c.checkpoint_every_events = 100).await;
    let supervisor = app.token(Role::Supervisor).await;
    // 300 people in one upload: an event each, past a whole block of 256.
    let lines: String = (0..300)
        .map(|i| {
            format!(
                "{{\"source_id\": \"M-{i}\", \"surname\": \"Merkle\", \"forenames\": \"Block\"}}\n"
            )
        })
        .collect();
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/imports/people?source_system=MERKLE")
                .insert_header(bearer(&supervisor))
                .insert_header(justification())
                .insert_header(("content-type", "application/x-ndjson"))
                .set_payload(lines),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    seal_all(&app).await;
    assert!(app.count("audit_blocks").await >= 1);
    assert!(
        app.count("audit_checkpoints WHERE merkle_root IS NOT NULL")
            .await
            >= 1
    );
    let report = verify_with(&app, &[]).await;
    assert!(report.ok && report.checkpoints_verified >= 1, "{report:?}");
    // Any event's path leads to the newest checkpoint's signed root.
    let mut conn = app.db().await;
    let (size, root): (i64, Option<Vec<u8>>) = audit_checkpoints::table
        .order(audit_checkpoints::position.desc())
        .select((audit_checkpoints::position, audit_checkpoints::merkle_root))
        .first(&mut conn)
        .await
        .unwrap();
    let root: [u8; 32] = root.unwrap().try_into().unwrap();
    let blocks = probity::audit::proofs::BlockCache::default();
    let paths =
        probity::audit::proofs::paths(&mut conn, &blocks, &[1, 200, 257, size], size, &root)
            .await
            .unwrap();
    assert_eq!(paths.len(), 4);
    // A stored block root altered is caught at its block.
    conn.batch_execute(
        "SET session_replication_role = replica; \
         UPDATE audit_blocks SET root = sha256('forged') WHERE block = 0",
    )
    .await
    .unwrap();
    let failure = verify_with(&app, &[]).await.first_failure.unwrap();
    assert!(failure.reason.contains("block 0"), "{}", failure.reason);
    assert_eq!(failure.position, Some(256));
}
