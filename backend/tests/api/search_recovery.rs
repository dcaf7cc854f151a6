//! The index is disposable: whatever happens to it, Probity rebuilds it from
//! PostgreSQL rather than fail to start or answer "no trace" from an index
//! that is missing people.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::Value;
use shared::permissions::Role;

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

fn people_search(officer: &str) -> actix_web::test::TestRequest {
    TestRequest::get()
        .uri("/api/v1/search/people?q=alex+mended")
        .insert_header(bearer(officer))
        .insert_header(justification())
}

#[actix_web::test]
async fn an_index_with_a_damaged_segment_is_rebuilt_at_start_not_fatal() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let id = id_of(&create_person(&app, &officer, "Mended").await);
    app.search_caught_up().await;

    // A second instance starts from a copy of that data directory in which
    // every segment's term dictionary was cut short (a full disk, a bad
    // restore), though meta.json is intact.
    let mut config = (*app.state.config).clone();
    config.data_dir =
        std::env::temp_dir().join(format!("probity-segment-{}", uuid::Uuid::new_v4()));
    copy_tree(&app.state.config.data_dir, &config.data_dir);
    let mut cut = 0;
    for side in ["people", "records"] {
        let dir = config
            .data_dir
            .join("search")
            .join(probity::search::embedded::LAYOUT)
            .join(side);
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "term") {
                let len = std::fs::metadata(&path).unwrap().len();
                let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
                file.set_len(len / 2).unwrap();
                cut += 1;
            }
        }
    }
    assert!(cut > 0, "the copy must hold segments to damage");

    let state = actix_web::web::Data::new(probity::state::AppState::build(config.clone()).unwrap());
    assert!(
        state.search.rebuilding(),
        "a damaged segment must be rebuilt"
    );
    let service = actix_web::test::init_service(probity::routes::app(state.clone())).await;
    let res = actix_web::test::call_service(&service, people_search(&officer).to_request()).await;
    assert_eq!(res.status(), 503, "until rebuilt, search says so");
    probity::search::outbox::catch_up(&state).await.unwrap();
    let body: Value =
        actix_web::test::call_and_read_body_json(&service, people_search(&officer).to_request())
            .await;
    assert_eq!(body["hits"][0]["id"], id.as_str(), "{body}");
    let _ = std::fs::remove_dir_all(&config.data_dir);
}

#[actix_web::test]
async fn a_rebuild_cut_short_is_run_again_at_the_next_start() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let id = id_of(&create_person(&app, &officer, "Mended").await);
    app.search_caught_up().await;
    let state = &app.state;
    assert!(
        !probity::search::rebuild::rebuild_if_incomplete(state)
            .await
            .unwrap(),
        "a finished rebuild (the first start's) is not run again"
    );

    // What a rebuild leaves if the process dies after emptying the index:
    // its mark in PostgreSQL, an empty outbox and an index that is valid
    // but holds nobody.
    let location: String = {
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            index_location: String,
        }
        let mut conn = state.pool.get().await.unwrap();
        let rows: Vec<Row> = diesel::sql_query(
            "UPDATE search_rebuilds SET finished_at = NULL RETURNING index_location",
        )
        .load(&mut *conn)
        .await
        .unwrap();
        assert_eq!(rows.len(), 1, "the first start's rebuild left its mark");
        rows.into_iter().next().unwrap().index_location
    };
    assert!(location.starts_with("embedded:"), "{location}");
    state.search.engine.clear().await.unwrap();

    assert!(
        probity::search::rebuild::rebuild_if_incomplete(state)
            .await
            .unwrap()
    );
    assert!(state.search.rebuilding());
    let res = as_user(
        &app,
        &officer,
        TestRequest::get().uri("/api/v1/search/people?q=alex+mended"),
    )
    .await;
    assert_eq!(res.status, 503, "an incomplete index must not answer");
    app.search_caught_up().await;
    let res = as_user(
        &app,
        &officer,
        TestRequest::get().uri("/api/v1/search/people?q=alex+mended"),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["hits"][0]["id"], id.as_str(), "{}", res.body);
    assert!(
        !probity::search::rebuild::rebuild_if_incomplete(state)
            .await
            .unwrap(),
        "the rebuild finished, so the next start trusts the index"
    );
}

#[actix_web::test]
async fn a_reindex_beside_a_running_server_refuses_before_it_changes_anything() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    app.search_caught_up().await;
    // A change the running server has not applied yet.
    let id = id_of(&create_person(&app, &officer, "Pending").await);
    let pending = app.count("search_outbox").await;
    assert!(pending >= 1);

    // `probity reindex` is a second process on the same data directory and
    // database; the server's engine holds the index.
    let second = probity::state::AppState::build((*app.state.config).clone()).unwrap();
    let refused = probity::search::rebuild::run(&second, |_| {})
        .await
        .expect_err("the index is in use by the server");
    assert!(
        format!("{refused:#}").contains("locked"),
        "says why: {refused:#}"
    );
    // Nothing was taken from the server: its pending change, no rebuild mark.
    assert_eq!(app.count("search_outbox").await, pending);
    assert_eq!(
        app.count("search_rebuilds WHERE finished_at IS NULL").await,
        0
    );
    app.search_caught_up().await;
    let res = as_user(
        &app,
        &officer,
        TestRequest::get().uri("/api/v1/search/people?q=alex+pending"),
    )
    .await;
    assert_eq!(res.body["hits"][0]["id"], id.as_str(), "{}", res.body);
}

#[actix_web::test]
async fn an_index_of_an_earlier_layout_is_removed_once_the_new_one_is_built() {
    let mut old = std::path::PathBuf::new();
    let app = TestApp::with_config(|c| {
        // What an earlier version left: its index, holding a name.
        old = c.data_dir.join("search").join("v1");
        std::fs::create_dir_all(old.join("people")).unwrap();
        std::fs::write(old.join("people").join("0001.store"), b"peregrine").unwrap();
    })
    .await;
    assert!(app.state.search.rebuilding(), "a new layout starts empty");
    assert!(old.exists());
    app.search_caught_up().await;
    assert!(!app.state.search.rebuilding());
    assert!(!old.exists(), "the earlier layout's files are gone");
    assert!(app.state.search.index_dir().unwrap().exists());

    // An index never built from this database (as a new Meilisearch server
    // or index prefix would be) is built at start, not trusted.
    let mut conn = app.db().await;
    diesel_async::SimpleAsyncConnection::batch_execute(&mut conn, "DELETE FROM search_rebuilds")
        .await
        .unwrap();
    assert!(
        probity::search::rebuild::rebuild_if_incomplete(&app.state)
            .await
            .unwrap()
    );
    assert!(app.state.search.rebuilding());
    app.search_caught_up().await;
    assert!(!app.state.search.rebuilding());
}

#[actix_web::test]
async fn an_instance_does_not_rebuild_again_what_another_has_just_rebuilt() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let id = id_of(&create_person(&app, &officer, "Shared").await);
    app.search_caught_up().await;
    // This instance starts while another is rebuilding the shared index...
    let mut conn = app.db().await;
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut conn,
        "UPDATE search_rebuilds SET finished_at = NULL",
    )
    .await
    .unwrap();
    assert!(
        probity::search::rebuild::rebuild_if_incomplete(&app.state)
            .await
            .unwrap()
    );
    // ...which finishes before this one gets the lock.
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut conn,
        "UPDATE search_rebuilds SET finished_at = now(), started_at = '2000-01-01T00:00:00Z'",
    )
    .await
    .unwrap();
    app.search_caught_up().await;
    assert!(!app.state.search.rebuilding());
    assert_eq!(
        app.count("search_rebuilds WHERE started_at = '2000-01-01T00:00:00Z'")
            .await,
        1,
        "no second rebuild began"
    );
    let res = as_user(
        &app,
        &officer,
        TestRequest::get().uri("/api/v1/search/people?q=alex+shared"),
    )
    .await;
    assert_eq!(res.body["hits"][0]["id"], id.as_str(), "{}", res.body);
}
