//! Backups do not resurrect (DPA 2018 s.47): a database restored from a
//! backup taken before an erasure is brought back in line from the erasure
//! ledger (kept outside the database) before the server serves, and the
//! server will not serve while it cannot be.

use crate::erasure::{erase_confirmed, scan, scene};
use crate::support::*;
use diesel_async::RunQueryDsl;
use shared::permissions::Role;

async fn seal(app: &TestApp) -> Option<String> {
    loop {
        let round = probity::audit::seal::seal_once(&app.state).await.unwrap();
        if round.refused.is_some() || round.sealed == 0 {
            return round.refused;
        }
    }
}

#[actix_web::test]
async fn a_restored_backup_is_brought_back_in_line_before_the_server_serves() {
    // Every sealing round signs, and the witness file keeps each checkpoint.
    let app = TestApp::with_config(|c| c.checkpoint_every_events = 1).await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let s = scene(&app).await;
    assert_eq!(seal(&app).await, None);
    let dump = std::env::temp_dir().join(format!("probity-backup-{}.dump", uuid::Uuid::new_v4()));
    app.backup(&dump);
    let cert = erase_confirmed(&app, &dpo, &s.subject).await;
    // Checkpoints signed after the backup, which the witness keeps.
    assert_eq!(seal(&app).await, None);
    let witness = app.state.config.audit_witness_path().unwrap();
    let witnessed = probity::audit::witness::read(&witness).unwrap();
    let newest = witnessed.iter().filter_map(|w| w.number).max().unwrap();
    let cert = cert["id"].as_str().unwrap().to_owned();
    assert_eq!(app.count("people WHERE surname = 'Quillfeather'").await, 0);

    // The backup brings them back, and the ledger knows.
    let restored = app.restored(&dump).await;
    let _ = std::fs::remove_file(&dump);
    assert_eq!(
        restored
            .count("people WHERE surname = 'Quillfeather'")
            .await,
        1
    );
    let pending = probity::erasure::ledger::pending(&restored.state)
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].certificate.to_string(), cert);

    // A restored hold stands in the way: the server refuses to serve, and
    // says why.
    let mut conn = restored.db().await;
    diesel::sql_query(format!(
        "INSERT INTO legal_holds (id, record_type, record_id, reason, review_on) \
         VALUES (gen_random_uuid(), 'person', '{}', 'Held in the backup', '2027-01-01')",
        s.subject
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    let refused = probity::server::before_serving(&restored.state).await;
    let message = refused
        .expect_err("no serving while the ledger is not applied")
        .to_string();
    assert!(message.contains("will not serve"), "{message}");
    assert_eq!(
        restored
            .count("people WHERE surname = 'Quillfeather'")
            .await,
        1
    );
    diesel::sql_query("UPDATE legal_holds SET lifted_at = now()")
        .execute(&mut conn)
        .await
        .unwrap();

    // Applied: gone again, everywhere, and the log verifies.
    probity::server::before_serving(&restored.state)
        .await
        .unwrap();
    assert_eq!(
        restored
            .count("people WHERE surname = 'Quillfeather'")
            .await,
        0
    );
    for id in &s.theirs {
        assert_eq!(
            restored.count(&format!("records WHERE id = '{id}'")).await,
            0
        );
    }
    assert!(
        probity::erasure::ledger::pending(&restored.state)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        restored
            .count(&format!(
                "erasure_certificates WHERE certificate->>'reapplies' = '{cert}'"
            ))
            .await,
        1,
        "the erasure carried out again names the one it re-applies"
    );
    let left = scan(
        &restored,
        &["quillfeather", "zebedee", "1961-07-23", "23/07/1961"],
    )
    .await;
    assert!(left.is_empty(), "left behind: {left:?}");
    // The restored log lacks checkpoints the witness holds: the sealer
    // refuses to sign over it until the restore is declared.
    let refusal = seal(&restored).await.expect("the sealer refuses");
    assert!(
        refusal.contains("witness file holds checkpoint"),
        "{refusal}"
    );
    let too_short = probity::audit::restore::declare(&restored.state, "disk").await;
    assert!(too_short.is_err());
    let declared = probity::audit::restore::declare(
        &restored.state,
        "Restored from the nightly backup after disk failure INC-4711",
    )
    .await
    .unwrap();
    assert_eq!(declared.lost_through, newest);
    assert!(declared.kept < newest);
    assert_eq!(seal(&restored).await, None, "sealing resumes");
    let again =
        probity::audit::restore::declare(&restored.state, "A second declaration for nothing")
            .await
            .expect_err("nothing more was lost");
    assert!(again.to_string().contains("nothing was lost"), "{again}");
    // Numbering goes on past what was lost; verify against the witness
    // reports the restore and passes.
    let witnessed = probity::audit::witness::read(&witness).unwrap();
    assert!(witnessed.iter().any(|w| w.number == Some(newest + 1)));
    let mut conn = restored.db().await;
    let report = probity::audit::verify::verify(
        &mut conn,
        &restored.state.keys,
        None,
        &witnessed,
        probity::audit::verify::OtherLogs::Fail,
    )
    .await
    .unwrap();
    assert!(report.ok, "{report:?}");
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("restored from a backup") && w.contains("INC-4711")),
        "{report:?}"
    );
    // Without the declaration the same witness copy fails the log.
    let mut admin = restored.db().await;
    diesel::sql_query("DELETE FROM audit_restores")
        .execute(&mut admin)
        .await
        .unwrap();
    let undeclared = probity::audit::verify::verify(
        &mut admin,
        &restored.state.keys,
        None,
        &witnessed,
        probity::audit::verify::OtherLogs::Fail,
    )
    .await
    .unwrap();
    assert!(!undeclared.ok, "{undeclared:?}");
    // A second start finds nothing to do.
    probity::server::before_serving(&restored.state)
        .await
        .unwrap();
    assert_eq!(restored.count("erasure_certificates").await, 1);
}

/// A witness server on a free loopback port; its file.
fn http_witness() -> (String, std::path::PathBuf) {
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
    (format!("http://{bind}/checkpoints"), file)
}

#[actix_web::test]
async fn an_http_witness_takes_the_declared_restore_and_the_checkpoints_after_it() {
    let (url, received) = http_witness();
    let app = TestApp::with_config(|c| {
        c.checkpoint_every_events = 1;
        c.audit_witness_url = url.clone();
        c.audit_witness_token = probity::config::Secret::new("witness-token");
    })
    .await;
    let officer = app.token(Role::Officer).await;
    create_person(&app, &officer, "Beforebackup").await;
    assert_eq!(seal(&app).await, None);
    let dump = std::env::temp_dir().join(format!("probity-backup-{}.dump", uuid::Uuid::new_v4()));
    app.backup(&dump);
    create_person(&app, &officer, "Afterbackup").await;
    assert_eq!(seal(&app).await, None);
    let held = probity::audit::witness::read(&received).unwrap();
    let newest = held.iter().filter_map(|w| w.number).max().unwrap();

    let restored = app.restored(&dump).await;
    let _ = std::fs::remove_file(&dump);
    probity::server::before_serving(&restored.state)
        .await
        .unwrap();
    assert!(seal(&restored).await.is_some(), "refuses until declared");
    probity::audit::restore::declare(&restored.state, "Restored after disk failure INC-4712")
        .await
        .unwrap();
    create_person(&restored, &officer_of(&restored).await, "Afterrestore").await;
    assert_eq!(seal(&restored).await, None);
    // The HTTP witness took the declaration, then the next checkpoint,
    // which names the kept one as its predecessor.
    let text = std::fs::read_to_string(&received).unwrap();
    assert!(
        text.contains("\"restore\"") && text.contains("INC-4712"),
        "{text}"
    );
    let after = probity::audit::witness::read(&received).unwrap();
    assert!(
        after.iter().any(|w| w.number == Some(newest + 1)),
        "{after:?}"
    );
    let mut conn = restored.db().await;
    let report = probity::audit::verify::verify(
        &mut conn,
        &restored.state.keys,
        None,
        &after,
        probity::audit::verify::OtherLogs::Fail,
    )
    .await
    .unwrap();
    assert!(report.ok, "{report:?}");
}

async fn officer_of(app: &TestApp) -> String {
    app.token(Role::Officer).await
}
