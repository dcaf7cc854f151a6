//! Backups do not resurrect (DPA 2018 s.47): a database restored from a
//! backup taken before an erasure is brought back in line from the erasure
//! ledger (kept outside the database) before the server serves, and the
//! server will not serve while it cannot be.

use crate::erasure::{erase_confirmed, scan, scene};
use crate::support::*;
use diesel_async::RunQueryDsl;
use shared::permissions::Role;

#[actix_web::test]
async fn a_restored_backup_is_brought_back_in_line_before_the_server_serves() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let s = scene(&app).await;
    let dump = std::env::temp_dir().join(format!("probity-backup-{}.dump", uuid::Uuid::new_v4()));
    app.backup(&dump);
    let cert = erase_confirmed(&app, &dpo, &s.subject).await;
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
    let report = restored.seal_and_verify().await;
    assert!(report.ok, "{report:?}");
    // A second start finds nothing to do.
    probity::server::before_serving(&restored.state)
        .await
        .unwrap();
    assert_eq!(restored.count("erasure_certificates").await, 1);
}
