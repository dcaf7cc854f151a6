//! A person through every layer: create, read, update, list, each audited
//! in the same transaction.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::json;
use shared::permissions::Role;

#[actix_web::test]
async fn an_officer_records_a_person_and_the_collection_is_audited() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Officer).await;
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/people")
                .insert_header(bearer(&token))
                .insert_header(justification())
                .set_json(json!({
                    "surname": "  Okonkwo-Bright ",
                    "forenames": "Adaeze  Grace",
                    "date_of_birth": "1988-02-29",
                    "gender": "female"
                })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let id = res.body["id"].as_str().unwrap();
    assert_eq!(res.body["surname"], "Okonkwo-Bright");
    assert_eq!(res.body["forenames"], "Adaeze Grace");
    assert_eq!(res.body["version"], 1);
    assert_eq!(
        res.header("location").unwrap(),
        format!("/api/v1/people/{id}")
    );
    assert_eq!(res.header("etag").unwrap(), "\"v1\"");
    assert!(res.header("x-request-id").is_some());
    let audited = app
        .count(&format!(
            "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
             WHERE e.operation = 'collection' AND e.action = 'person.create' AND e.outcome = 'allowed' \
             AND e.actor_type = 'user' AND e.actor_roles = ARRAY['officer'] \
             AND r.record_type = 'person' AND r.record_id = '{id}' \
             AND octet_length(e.content_hash) = 32 AND e.request_id <> ''"
        ))
        .await;
    assert_eq!(audited, 1);
}

#[actix_web::test]
async fn every_broken_rule_is_reported_by_field_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Officer).await;
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/people")
                .insert_header(bearer(&token))
                .insert_header(justification())
                .set_json(json!({
                    "surname": "   ",
                    "forenames": "J0hn",
                    "date_of_birth": "2999-01-01"
                })),
        )
        .await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["surname", "forenames", "date_of_birth"]);
    let codes: Vec<_> = res.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].clone())
        .collect();
    assert_eq!(
        codes,
        [
            json!("required"),
            json!("invalid_characters"),
            json!("in_future")
        ]
    );
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/people")
                .insert_header(bearer(&token))
                .insert_header(justification())
                .set_json(json!({ "surname": "a".repeat(101), "date_of_birth": "1890-01-01" })),
        )
        .await;
    assert_eq!(res.bad_fields(), ["surname", "date_of_birth"]);
    assert_eq!(app.count("people").await, 0);
    assert_eq!(
        app.count("audit_events WHERE action = 'person.create'")
            .await,
        0
    );
}

#[actix_web::test]
async fn reading_a_person_is_a_consultation_with_its_justification() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Investigator).await;
    let created = create_person(&app, &token, "Read").await;
    let id = created["id"].as_str().unwrap();
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(&token))
                .insert_header(justification()),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body, created);
    let n = app
        .count(&format!(
            "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
             JOIN audit_texts t ON t.hash = e.reference_hash \
             WHERE e.operation = 'consultation' AND e.action = 'person.read' \
             AND e.purpose = 'investigation' AND t.text = '01/12345' AND r.record_id = '{id}'"
        ))
        .await;
    assert_eq!(n, 1);
    let missing = uuid::Uuid::new_v4();
    app.send(
        TestRequest::get()
            .uri(&format!("/api/v1/people/{missing}"))
            .insert_header(bearer(&token))
            .insert_header(justification()),
    )
    .await
    .problem(404, "not_found");
    // Nothing was returned, so nothing was consulted.
    assert_eq!(
        app.count("audit_events WHERE operation = 'consultation'")
            .await,
        1
    );
}

#[actix_web::test]
async fn an_update_records_which_fields_changed_but_never_their_values() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Officer).await;
    let id = create_person(&app, &token, "Before").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .send(
            TestRequest::put()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(&token))
                .insert_header(justification())
                .insert_header(("If-Match", "\"v1\""))
                .set_json(json!({
                    "surname": "Zanzibarova",
                    "forenames": "Alex",
                    "date_of_birth": "1990-04-02",
                    "gender": "not_known"
                })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["version"], 2);
    assert_eq!(res.header("etag").unwrap(), "\"v2\"");
    let n = app
        .count(
            "audit_events WHERE operation = 'alteration' AND action = 'person.update' \
             AND fields = ARRAY['surname', 'date_of_birth']",
        )
        .await;
    assert_eq!(n, 1);
    // No audit column anywhere holds the new surname.
    let leaked = app
        .count("audit_events e WHERE row_to_json(e)::text ILIKE '%zanzibarova%'")
        .await;
    assert_eq!(leaked, 0);
}

#[actix_web::test]
async fn a_stale_update_is_refused_with_412_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Officer).await;
    let id = create_person(&app, &token, "Stale").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let update = |surname: &str, etag: &str| {
        TestRequest::put()
            .uri(&format!("/api/v1/people/{id}"))
            .insert_header(bearer(&token))
            .insert_header(justification())
            .insert_header(("If-Match", etag.to_owned()))
            .set_json(person(surname))
    };
    assert_eq!(app.send(update("First", "\"v1\"")).await.status, 200);
    app.send(update("Second", "\"v1\""))
        .await
        .problem(412, "precondition_failed");
    assert_eq!(app.count("people WHERE surname = 'First'").await, 1);
}

#[actix_web::test]
async fn the_list_pages_by_surname_with_cursors_and_audits_each_page() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Officer).await;
    for i in 0..23 {
        create_person(
            &app,
            &token,
            &format!("Pager{}", (b'a' + (i % 26) as u8) as char),
        )
        .await;
    }
    create_person(&app, &token, "Elsewhere").await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let uri = match &cursor {
            Some(c) => format!("/api/v1/people?surname=pag&limit=10&cursor={c}"),
            None => "/api/v1/people?surname=pag&limit=10".to_owned(),
        };
        let res = app
            .send(
                TestRequest::get()
                    .uri(&uri)
                    .insert_header(bearer(&token))
                    .insert_header(justification()),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        pages += 1;
        for p in res.body["items"].as_array().unwrap() {
            seen.push(p["surname"].as_str().unwrap().to_owned());
        }
        match res.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 23);
    let mut sorted = seen.clone();
    sorted.sort_by_key(|s| s.to_lowercase());
    assert_eq!(seen, sorted);
    // One consultation per page, listing exactly the people shown.
    assert_eq!(
        app.count("audit_events WHERE action = 'person.list'").await,
        3
    );
    assert_eq!(
        app.count("audit_event_records r JOIN audit_events e ON e.seq = r.event_seq WHERE e.action = 'person.list'").await,
        23
    );
    app.send(
        TestRequest::get()
            .uri("/api/v1/people?cursor=bogus")
            .insert_header(bearer(&token))
            .insert_header(justification()),
    )
    .await
    .problem(422, "validation");
}

#[actix_web::test]
async fn if_the_audit_event_cannot_be_written_the_person_is_not_saved_either() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Officer).await;
    let mut conn = app.db().await;
    use diesel_async::SimpleAsyncConnection;
    // Simulate an audit log that refuses writes (a full disk, a revoked grant).
    conn.batch_execute(
        "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN RAISE EXCEPTION 'audit unavailable'; END $$; \
         CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events \
         FOR EACH ROW EXECUTE FUNCTION refuse_audit();",
    )
    .await
    .unwrap();
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/people")
                .insert_header(bearer(&token))
                .insert_header(justification())
                .set_json(person("Unaudited")),
        )
        .await;
    res.problem(503, "audit_unavailable");
    assert_eq!(app.count("people").await, 0);
}

#[actix_web::test]
async fn the_audit_log_refuses_updates_and_deletes() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Officer).await;
    create_person(&app, &token, "Logged").await;
    let mut conn = app.db().await;
    use diesel_async::RunQueryDsl;
    for sql in [
        "UPDATE audit_events SET action = 'nothing'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events CASCADE",
        "DELETE FROM audit_event_records",
    ] {
        let err = diesel::sql_query(sql).execute(&mut conn).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
}

#[actix_web::test]
async fn the_list_sorts_z_to_a_across_pages_and_refuses_an_unknown_sort() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Officer).await;
    for name in ["Ames", "Brook", "Cole", "Dunn", "Eady"] {
        create_person(&app, &token, name).await;
    }
    let get = |uri: String| {
        TestRequest::get()
            .uri(&uri)
            .insert_header(bearer(&token))
            .insert_header(justification())
    };
    let first = app
        .send(get("/api/v1/people?sort=-surname&limit=3".into()))
        .await;
    let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
    let second = app
        .send(get(format!(
            "/api/v1/people?sort=-surname&limit=3&cursor={cursor}"
        )))
        .await;
    let names = |r: &Response| -> Vec<String> {
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["surname"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&first), ["Eady", "Dunn", "Cole"]);
    assert_eq!(names(&second), ["Brook", "Ames"]);
    let bad = app.send(get("/api/v1/people?sort=age".into())).await;
    assert_eq!(bad.bad_fields(), ["sort"]);
}

/// Migration 000011 re-folds stored name keys in SQL; it must give exactly
/// the key the Rust code now computes, or the duplicate check would miss
/// people recorded before the upgrade.
#[actix_web::test]
async fn the_migration_refolds_stored_keys_exactly_as_the_code_folds_new_ones() {
    use diesel::sql_types::Text;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Key {
        #[diesel(sql_type = Text)]
        k: String,
    }
    let up =
        include_str!("../../../migrations/2026-11-28-000011_name_keys_fold_more_letters/up.sql");
    let expr = up
        .lines()
        .find_map(|l| l.trim().strip_prefix("name_key = "))
        .unwrap()
        .trim_end_matches(',')
        .replacen("translate(name_key,", "translate($1,", 1);
    let app = TestApp::spawn().await;
    let mut conn = app.db().await;
    // Each holds only letters the older table left alone, so a key stored
    // before the upgrade was these letters, lower case, as they are.
    for name in [
        "Țăranu",
        "Strauß",
        "Yıldız",
        "Şahin",
        "Œuvray",
        "Ĳssel",
        "Ũbeda",
        "Mĉdonald",
        "Ŀorca",
        "Kĸaŋ",
        "Ḱnot",
        "Ba\u{363}ker",
    ] {
        let stored_before: String = name
            .chars()
            .flat_map(char::to_lowercase)
            .filter(|c| c.is_alphabetic())
            .collect();
        let refolded: Key = diesel::sql_query(format!("SELECT {expr} AS k"))
            .bind::<Text, _>(&stored_before)
            .get_result(&mut conn)
            .await
            .unwrap();
        assert_eq!(refolded.k, shared::people::keys::name_key(name), "{name}");
    }
}
