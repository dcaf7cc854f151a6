//! Search: the outbox, the worker, erasure from the index files, records
//! search with handling codes, auditing and bad input.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use shared::permissions::Role;
use std::time::{Duration, Instant};

async fn search(app: &TestApp, token: &str, path: &str) -> Response {
    as_user(app, token, TestRequest::get().uri(path)).await
}

async fn create(app: &TestApp, token: &str, uri: &str, body: Value) -> String {
    let res = as_user(app, token, TestRequest::post().uri(uri).set_json(body)).await;
    assert_eq!(res.status, 201, "{}", res.body);
    id_of(&res.body)
}

fn files_containing(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_containing(&path, needle));
        } else if std::fs::read(&path)
            .unwrap()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
        {
            found.push(path.display().to_string());
        }
    }
    found
}

/// What the engine itself still holds of the person erased in these tests:
/// their id, their name words, their surname and date of birth.
async fn traces_of(app: &TestApp, id: &str) -> Vec<probity::search::traces::Trace> {
    let probe = probity::search::traces::TraceProbe {
        ids: vec![id.parse().unwrap()],
        words: vec![
            "quixotically".into(),
            "fairweather".into(),
            "zebediah".into(),
        ],
        values: vec!["quixotically".into(), "1966-06-16".into()],
    };
    app.state.search.engine.traces(probe).await.unwrap()
}

#[actix_web::test]
async fn the_engine_probe_sees_what_no_file_shows_and_a_document_left_behind() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    // A narrative word lives only in the compressed term dictionary.
    let event = create(
        &app,
        &officer,
        "/api/v1/events",
        json!({"occurred_at": "2026-11-26T22:15", "details": {"kind": "occurrence",
            "classification": "Theft", "officer_in_case": "PC 1",
            "narrative": "Seen with Quillfeatherstone by the canal"}}),
    )
    .await;
    app.search_caught_up().await;
    let dir = app.state.search.index_dir().unwrap().to_path_buf();
    let probe = |word: &str| probity::search::traces::TraceProbe {
        words: vec![word.to_owned()],
        ..Default::default()
    };
    let engine = &app.state.search.engine;
    let found = engine.traces(probe("quillfeatherstone")).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].index, "records");
    println!(
        "a grep of the index files for the narrative word finds {:?}; the engine finds {} document",
        files_containing(&dir, b"quillfeatherstone"),
        found.len()
    );
    // A person's document written straight into the engine, with no row in
    // PostgreSQL: the probe must find it, or it proves nothing.
    let left_behind = uuid::Uuid::new_v4();
    let card = probity::search::documents::PersonCard {
        id: left_behind,
        forenames: "Ottoline".into(),
        surname: "Zanzibarovich".into(),
        aliases: Vec::new(),
        dates_of_birth: Vec::new(),
        postcodes: Vec::new(),
        addresses: Vec::new(),
    };
    engine
        .apply(vec![probity::search::documents::Change::Upsert(
            probity::search::documents::Document::Person(card),
        )])
        .await
        .unwrap();
    let found = engine.traces(probe("zanzibarovich")).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].index, "people");
    engine
        .apply(vec![probity::search::documents::Change::DeletePerson(
            left_behind,
        )])
        .await
        .unwrap();
    assert_eq!(
        engine.traces(probe("zanzibarovich")).await.unwrap(),
        Vec::new()
    );
    let _ = event;
}

#[actix_web::test]
async fn a_change_and_its_outbox_row_commit_together_or_not_at_all() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    app.search_caught_up().await;
    assert_eq!(app.count("search_outbox").await, 0);
    let id = id_of(&create_person(&app, &officer, "Outboxed").await);
    assert_eq!(
        app.count(&format!(
            "search_outbox WHERE record_id = '{id}' AND record_type = 'person'"
        ))
        .await,
        1
    );
    // A refused write leaves neither a record nor an outbox row.
    let res = as_user(
        &app,
        &officer,
        TestRequest::post()
            .uri("/api/v1/people")
            .set_json(json!({"surname": "", "gender": "not_known"})),
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(app.count("search_outbox").await, 1);
    // Applying clears the row; applying again is harmless.
    app.search_caught_up().await;
    assert_eq!(app.count("search_outbox").await, 0);
    app.search_caught_up().await;
    let found = search(&app, &officer, "/api/v1/search/people?q=alex+outboxed").await;
    assert_eq!(found.body["hits"][0]["id"], id.as_str(), "{}", found.body);
}

#[actix_web::test]
async fn the_worker_follows_committed_changes_and_reports_its_lag() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let worker = tokio::spawn(probity::search::outbox::run_forever(app.state.clone()));
    let id = id_of(&create_person(&app, &officer, "Notified").await);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let res = search(&app, &officer, "/api/v1/search/people?q=alex+notified").await;
        if res.status == 200 && res.body["hits"][0]["id"] == id.as_str() {
            break;
        }
        assert!(Instant::now() < deadline, "never indexed: {}", res.body);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The rows go once the index has committed, a moment after the hit shows.
    loop {
        let (pending, _lag) = probity::search::outbox::measure(&app.state).await.unwrap();
        if pending == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{pending} changes never applied");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let metrics = app.send(TestRequest::get().uri("/metrics")).await;
    let text = metrics.body.as_str().unwrap_or_default().to_owned();
    assert!(text.contains("probity_search_lag_milliseconds"), "{text}");
    worker.abort();
}

#[actix_web::test]
async fn an_erased_person_leaves_no_trace_in_the_index_files() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let keep = id_of(&create_person(&app, &officer, "Keepsake").await);
    let body = json!({"surname": "Quixotically-Fairweather", "forenames": "Zebediah",
        "date_of_birth": "1966-06-16", "gender": "male"});
    let gone = create(&app, &officer, "/api/v1/people", body).await;
    // Updated once, so an older version of the document exists as well.
    let res = as_user(
        &app,
        &officer,
        TestRequest::put()
            .uri(&format!("/api/v1/people/{gone}"))
            .insert_header(("If-Match", "\"1\""))
            .set_json(
                json!({"surname": "Quixotically-Fairweather", "forenames": "Zebediah Amos",
                "date_of_birth": "1966-06-16", "gender": "male"}),
            ),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    app.search_caught_up().await;
    let dir = app.state.search.index_dir().unwrap().to_path_buf();
    // The test can see the name in the files while the person is indexed,
    // and the engine finds it by id, name words and stored values.
    assert!(!files_containing(&dir, b"quixotically").is_empty());
    let before = traces_of(&app, &gone).await;
    assert!(
        before.iter().any(|t| t.matched.contains(&"id".to_owned())),
        "{before:?}"
    );
    assert!(
        before
            .iter()
            .any(|t| t.matched.contains(&"word 0".to_owned())),
        "{before:?}"
    );
    assert!(
        before
            .iter()
            .any(|t| t.matched.contains(&"value 1".to_owned())),
        "{before:?}"
    );
    let found = search(
        &app,
        &officer,
        "/api/v1/search/people?q=zebediah+quixotically",
    )
    .await;
    assert_eq!(found.body["hits"][0]["id"], gone.as_str(), "{}", found.body);

    let res = as_user(
        &app,
        &dpo,
        TestRequest::delete().uri(&format!("/api/v1/people/{gone}")),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    app.search_caught_up().await;
    assert_eq!(
        files_containing(&dir, b"quixotically"),
        Vec::<String>::new()
    );
    assert_eq!(files_containing(&dir, b"zebediah"), Vec::<String>::new());
    // The engine itself, every segment, deleted documents included, holds
    // none of them either (a grep cannot see inside compressed dictionaries).
    assert_eq!(traces_of(&app, &gone).await, Vec::new());
    let found = search(
        &app,
        &officer,
        "/api/v1/search/people?q=zebediah+quixotically",
    )
    .await;
    assert_eq!(found.body["total"], 0, "{}", found.body);
    // Everyone else is still found.
    let found = search(&app, &officer, "/api/v1/search/people?q=alex+keepsake").await;
    assert_eq!(found.body["hits"][0]["id"], keep.as_str(), "{}", found.body);
}

#[actix_web::test]
async fn restricting_an_indexed_person_takes_them_out_of_search_and_the_index_files() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let keep = id_of(&create_person(&app, &officer, "Keepsake").await);
    let body = json!({"surname": "Thistlethwaite", "forenames": "Peregrine",
        "date_of_birth": "1971-10-13", "gender": "male"});
    let restricted = create(&app, &officer, "/api/v1/people", body).await;
    app.search_caught_up().await;
    let dir = app.state.search.index_dir().unwrap().to_path_buf();
    assert!(!files_containing(&dir, b"thistlethwaite").is_empty());
    let uri = "/api/v1/search/people?q=peregrine+thistlethwaite";
    // The data protection officer may read restricted people, so what
    // their search shows is what the index holds, not what the final
    // check against the database lets an officer see.
    for token in [&officer, &dpo] {
        let found = search(&app, token, uri).await;
        assert_eq!(
            found.body["hits"][0]["id"],
            restricted.as_str(),
            "{}",
            found.body
        );
    }

    let res = as_user(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/people/{restricted}/restriction"))
            .set_json(json!({"ground": "accuracy_contested"})),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    app.search_caught_up().await;
    for token in [&officer, &dpo] {
        let found = search(&app, token, uri).await;
        assert_eq!(found.status, 200, "{}", found.body);
        assert_eq!(found.body["total"], 0, "{}", found.body);
    }
    assert_eq!(
        files_containing(&dir, b"thistlethwaite"),
        Vec::<String>::new()
    );
    assert_eq!(files_containing(&dir, b"peregrine"), Vec::<String>::new());
    // Everyone else is still found.
    let found = search(&app, &officer, "/api/v1/search/people?q=alex+keepsake").await;
    assert_eq!(found.body["hits"][0]["id"], keep.as_str(), "{}", found.body);
}

#[actix_web::test]
async fn a_damaged_index_is_rebuilt_from_the_database_not_fatal() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let id = id_of(&create_person(&app, &officer, "Rebuilt").await);
    // A second instance whose data directory holds a damaged index (and the
    // same signing keys, so the officer's token is good there too).
    let mut config = (*app.state.config).clone();
    config.data_dir =
        std::env::temp_dir().join(format!("probity-damaged-{}", uuid::Uuid::new_v4()));
    let people_dir = config
        .data_dir
        .join("search")
        .join(probity::search::embedded::LAYOUT)
        .join("people");
    std::fs::create_dir_all(&people_dir).unwrap();
    std::fs::write(people_dir.join("meta.json"), b"{ not json").unwrap();
    copy_dir(
        &app.state.config.data_dir.join("keys"),
        &config.data_dir.join("keys"),
    );
    let state = actix_web::web::Data::new(probity::state::AppState::build(config.clone()).unwrap());
    assert!(state.search.rebuilding(), "a damaged index must be rebuilt");
    let service = actix_web::test::init_service(probity::routes::app(state.clone())).await;
    let get = || {
        TestRequest::get()
            .uri("/api/v1/search/people?q=alex+rebuilt")
            .insert_header(bearer(&officer))
            .insert_header(justification())
            .to_request()
    };
    // Until it is rebuilt, search says so rather than "no trace".
    let res = actix_web::test::call_service(&service, get()).await;
    assert_eq!(res.status(), 503);
    probity::search::outbox::catch_up(&state).await.unwrap();
    let body: Value = actix_web::test::call_and_read_body_json(&service, get()).await;
    assert_eq!(body["hits"][0]["id"], id.as_str(), "{body}");
    let _ = std::fs::remove_dir_all(&config.data_dir);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[actix_web::test]
async fn each_search_is_one_consultation_listing_the_people_shown() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let a = id_of(&create_person(&app, &officer, "Audited").await);
    app.search_caught_up().await;
    let res = search(&app, &officer, "/api/v1/search/people?q=alex+audited").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body["hits"][0]["id"], a.as_str());
    assert_eq!(
        app.count(&format!(
            "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
             WHERE e.action = 'person.search' AND e.operation = 'consultation' \
             AND e.purpose = 'investigation' AND r.record_id = '{a}'"
        ))
        .await,
        1
    );
    // The words searched for are personal data: never in the log.
    assert_eq!(
        app.count("audit_events WHERE row_to_json(audit_events)::text ILIKE '%audited%'")
            .await,
        0
    );
}

#[actix_web::test]
async fn bad_search_input_is_refused_by_field() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    app.search_caught_up().await;
    let res = search(
        &app,
        &officer,
        "/api/v1/search/people?date_of_birth=1980-01-01",
    )
    .await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["q"]);
    let res = search(
        &app,
        &officer,
        "/api/v1/search/people?q=smith&date_of_birth=soon&limit=0",
    )
    .await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["date_of_birth", "limit"]);
    let res = search(&app, &officer, "/api/v1/search/people?q=smith&colour=red").await;
    res.problem(422, "validation");
    // The unknown parameter is named.
    assert_eq!(res.bad_fields(), ["colour"]);
    let res = search(
        &app,
        &officer,
        "/api/v1/search/records?q=%20%2F&family=ships",
    )
    .await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["q", "family"]);
    assert_eq!(
        app.count("audit_events WHERE action LIKE '%.search'").await,
        0
    );
}

#[actix_web::test]
async fn records_are_found_by_mark_postcode_and_words_within_handling_codes() {
    records_behave(|_| {}).await;
}

/// The same records behaviours, trimming by handling code included, on
/// Meilisearch whenever one is configured.
#[actix_web::test]
async fn records_behave_alike_on_meilisearch_when_configured() {
    let Ok(url) = std::env::var("MEILI_URL") else {
        eprintln!("SKIPPED: MEILI_URL is not set, so the Meilisearch records run did not happen");
        return;
    };
    let prefix = format!("probity_test_{}", uuid::Uuid::new_v4().simple());
    records_behave(move |c| {
        c.meili_url = url;
        c.meili_api_key =
            probity::config::Secret::new(std::env::var("MEILI_API_KEY").unwrap_or_default());
        c.meili_index_prefix = prefix;
    })
    .await;
}

async fn records_behave(adjust: impl FnOnce(&mut probity::config::Config)) {
    let app = TestApp::with_config(adjust).await;
    let officer = app.token(Role::Officer).await;
    let analyst = app.token(Role::IntelligenceAnalyst).await;
    let person = id_of(&create_person(&app, &officer, "Lockup").await);
    let car = create(
        &app,
        &officer,
        "/api/v1/objects",
        json!({"details": {"kind": "vehicle", "vrm": "YX19 KFG", "make": "Ford", "colour": "Blue"}}),
    )
    .await;
    let place = create(
        &app,
        &officer,
        "/api/v1/locations",
        json!({"details": {"address": "14 Wharf Street, Leeds", "postcode": "LS2 7EQ", "place_type": "dwelling"}}),
    )
    .await;
    let open = create(&app, &analyst, "/api/v1/events", intelligence("P", &person)).await;
    let closed = create(&app, &analyst, "/api/v1/events", intelligence("C", &person)).await;
    app.search_caught_up().await;

    let hits = |r: &Response| -> Vec<String> {
        r.body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(id_of)
            .collect()
    };
    for q in ["yx19kfg", "YX19+KFG", "yx19", "19kf"] {
        let r = search(
            &app,
            &officer,
            &format!("/api/v1/search/records?q={q}&family=object"),
        )
        .await;
        assert_eq!(hits(&r), std::slice::from_ref(&car), "{q}: {}", r.body);
    }
    for q in ["ls2+7eq", "LS27EQ", "wharf+street"] {
        let r = search(&app, &officer, &format!("/api/v1/search/records?q={q}")).await;
        assert_eq!(hits(&r), std::slice::from_ref(&place), "{q}: {}", r.body);
    }
    // Free text across intelligence: the analyst may see P and C.
    let r = search(
        &app,
        &analyst,
        "/api/v1/search/records?q=stolen+bikes&family=event",
    )
    .await;
    let mut both = hits(&r);
    both.sort();
    let mut want = vec![open.clone(), closed.clone()];
    want.sort();
    assert_eq!(both, want, "{}", r.body);
    // An officer may see intelligence handled P, not C: neither the hit
    // nor the count shows the C report.
    let r = search(&app, &officer, "/api/v1/search/records?q=lock+up+tuesdays").await;
    assert_eq!(hits(&r), std::slice::from_ref(&open), "{}", r.body);
    assert_eq!(r.body["total"], 1, "{}", r.body);
    let auditor = app.token(Role::Auditor).await;
    let r = search(&app, &auditor, "/api/v1/search/records?q=stolen").await;
    r.problem(403, "forbidden");
    assert_eq!(
        app.count(&format!(
            "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
             WHERE e.action = 'record.search' AND r.record_id = '{car}'"
        ))
        .await,
        4
    );
}

#[actix_web::test]
async fn free_text_finds_an_occurrence_by_its_narrative_and_its_reference() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let occurrence = |narrative: &str| {
        json!({
            "occurred_at": "2026-11-26T22:15",
            "details": {
                "kind": "occurrence", "offence_code": "008/01",
                "classification": "Theft from the person",
                "officer_in_case": "PC 1234", "narrative": narrative
            }
        })
    };
    let res = as_user(
        &app,
        &officer,
        TestRequest::post()
            .uri("/api/v1/events")
            .set_json(occurrence(
                "Handbag snatched by a pillion passenger on a moped outside the launderette",
            )),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let snatch = id_of(&res.body);
    let reference = res.body["reference"].as_str().unwrap().to_owned();
    let other = create(
        &app,
        &officer,
        "/api/v1/events",
        occurrence("Phone lifted from a coat pocket on the number 36 bus"),
    )
    .await;
    app.search_caught_up().await;

    let hits = |r: &Response| -> Vec<String> {
        r.body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(id_of)
            .collect()
    };
    // Words of the narrative in any case, the last one begun, and the
    // force reference as printed on the paperwork.
    for q in [
        "pillion+moped",
        "HANDBAG+Snatched",
        "laund",
        reference.as_str(),
    ] {
        for family in ["", "&family=event"] {
            let r = search(
                &app,
                &officer,
                &format!("/api/v1/search/records?q={q}{family}"),
            )
            .await;
            assert_eq!(
                hits(&r),
                std::slice::from_ref(&snatch),
                "{q}{family}: {}",
                r.body
            );
            assert_eq!(r.body["hits"][0]["family"], "event", "{}", r.body);
            assert_eq!(r.body["hits"][0]["kind"], "occurrence", "{}", r.body);
        }
    }
    // Words both share find both.
    let r = search(&app, &officer, "/api/v1/search/records?q=theft+person").await;
    let mut both = hits(&r);
    both.sort();
    let mut want = vec![snatch, other];
    want.sort();
    assert_eq!(both, want, "{}", r.body);
    assert_eq!(r.body["total"], 2, "{}", r.body);
}

#[actix_web::test]
async fn after_a_merge_the_duplicates_spelling_and_date_find_the_person_kept() {
    let app = TestApp::spawn().await;
    let supervisor = app.token(Role::Supervisor).await;
    let keep = create(
        &app,
        &supervisor,
        "/api/v1/people",
        json!({"surname": "Penhallow", "forenames": "Morwenna", "date_of_birth": "1984-03-07", "gender": "female"}),
    )
    .await;
    // The same woman, recorded elsewhere under her maiden name and a date
    // with the day and month the other way round.
    let dup = create(
        &app,
        &supervisor,
        "/api/v1/people",
        json!({"surname": "Tregarthen", "forenames": "Morwenna", "date_of_birth": "1984-07-03", "gender": "female"}),
    )
    .await;
    app.search_caught_up().await;
    let res = as_user(
        &app,
        &supervisor,
        TestRequest::post()
            .uri(&format!("/api/v1/people/{keep}/merge"))
            .set_json(json!({"duplicate": dup})),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    app.search_caught_up().await;

    let found = search(
        &app,
        &supervisor,
        "/api/v1/search/people?q=morwenna+tregarthen+03/07/1984",
    )
    .await;
    let hits = found.body["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "one person, not two: {}", found.body);
    assert_eq!(hits[0]["id"], keep.as_str(), "{}", found.body);
    assert_eq!(hits[0]["surname"], "Penhallow");
    // Found by the duplicate's name and its own date, as an other name.
    let reasons = hits[0]["reasons"].to_string();
    assert!(reasons.contains("alias"), "{reasons}");
    assert!(reasons.contains("date of birth exact"), "{reasons}");
    // Her own name still finds her, first.
    let found = search(
        &app,
        &supervisor,
        "/api/v1/search/people?q=morwenna+penhallow",
    )
    .await;
    assert_eq!(found.body["hits"][0]["id"], keep.as_str(), "{}", found.body);
}
