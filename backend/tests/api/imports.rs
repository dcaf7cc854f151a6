//! Bulk NDJSON import: good lines written with one collection event each,
//! bad lines reported by number, repeated uploads skipped.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::json;
use shared::permissions::Role;

async fn upload(app: &TestApp, token: &str, kind: &str, system: &str, body: &str) -> Response {
    app.send(
        TestRequest::post()
            .uri(&format!("/api/v1/imports/{kind}?source_system={system}"))
            .insert_header(bearer(token))
            .insert_header(justification())
            .insert_header(("content-type", "application/x-ndjson"))
            .set_payload(body.to_owned()),
    )
    .await
}

const PEOPLE: &str = r#"{"source_id": "L-1", "surname": "Legacy", "forenames": "Ann", "date_of_birth": "1971-02-03", "gender": "female"}
{"source_id": "L-2", "surname": "Sm1th", "date_of_birth": "2999-01-01"}

not json at all
{"surname": "Nosource"}
{"source_id": "L-3", "surname": "Oldcode", "details": {"self_defined_ethnicity": "2001:O1"}}
{"source_id": "L-4", "surname": "Extra", "favourite_colour": "blue"}
"#;

#[actix_web::test]
async fn good_lines_are_written_and_bad_ones_reported_by_line_number_and_field() {
    let app = TestApp::spawn().await;
    let supervisor = app.token(Role::Supervisor).await;
    let res = upload(&app, &supervisor, "people", "NICHE-1", PEOPLE).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let r = &res.body;
    assert_eq!(
        (
            r["lines_read"].as_i64(),
            r["written"].as_i64(),
            r["failed"].as_i64()
        ),
        (Some(6), Some(2), Some(4))
    );
    assert_eq!(r["status"], "finished");
    let errors: Vec<(i64, String)> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_i64().unwrap(),
                e["errors"][0]["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (2, "surname".to_owned()),
            (4, "line".to_owned()),
            (5, "source_id".to_owned()),
            (7, "favourite_colour".to_owned())
        ]
    );
    assert_eq!(app.count("people").await, 2);
    assert_eq!(
        app.count("people WHERE details->>'self_defined_ethnicity' = '2001:O1'")
            .await,
        1
    );
    // One collection event per person, each citing the batch.
    let batch = r["id"].as_str().unwrap();
    assert_eq!(
        app.count(&format!(
            "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
             WHERE e.action = 'person.import' AND e.operation = 'collection' \
             AND r.record_type = 'import_batch' AND r.record_id = '{batch}'"
        ))
        .await,
        2
    );
    let progress = app
        .send(
            TestRequest::get()
                .uri(&format!("/api/v1/imports/people/{batch}"))
                .insert_header(bearer(&supervisor))
                .insert_header(justification()),
        )
        .await;
    assert_eq!(progress.body["written"], 2);
    assert_eq!(progress.body["errors"].as_array().unwrap().len(), 4);

    // The same upload again writes nothing new.
    let again = upload(&app, &supervisor, "people", "NICHE-1", PEOPLE).await;
    assert_eq!(
        (
            again.body["written"].as_i64(),
            again.body["already_imported"].as_i64()
        ),
        (Some(0), Some(2))
    );
    assert_eq!(app.count("people").await, 2);
    // Another system's ids are its own.
    upload(&app, &supervisor, "people", "CRIMES-2", PEOPLE).await;
    assert_eq!(app.count("people").await, 4);
}

#[actix_web::test]
async fn legacy_5x5x5_intelligence_is_imported_read_only_and_never_converted() {
    let app = TestApp::spawn().await;
    let supervisor = app.token(Role::Supervisor).await;
    let line = json!({
        "source_id": "INT-77",
        "occurred_at": "2009-05-01T10:00",
        "details": {
            "kind": "intelligence", "source_evaluation": "B", "intelligence_assessment": "3", "handling": "P",
            "content": [{"nature": "fact", "text": "Seen at the address most evenings"}],
            "legacy_grading": {"source": "B", "intelligence": "2", "handling": "4"}
        }
    });
    let res = upload(&app, &supervisor, "events", "IMS", &format!("{line}\n")).await;
    assert_eq!(res.body["written"], 1, "{}", res.body);
    let list = as_user(
        &app,
        &supervisor,
        TestRequest::get().uri("/api/v1/events?kind=intelligence"),
    )
    .await;
    let event = &list.body["items"][0];
    assert_eq!(event["summary"], "Intelligence graded B/2/4 (5x5x5)");
    let mut body = json!({"occurred_at": "2009-05-01T10:00", "details": event["details"].clone()});
    body["details"]["content"][0]["text"] = json!("Edited later");
    let put = as_user(
        &app,
        &supervisor,
        TestRequest::put()
            .uri(&format!("/api/v1/events/{}", id_of(event)))
            .set_json(body),
    )
    .await;
    // The form may not carry a 5x5x5 grade at all.
    put.problem(422, "validation");
    // Nor may a form create one.
    let created = as_user(
        &app,
        &supervisor,
        TestRequest::post().uri("/api/v1/events").set_json(
            json!({"occurred_at": "2009-05-01T10:00", "details": line["details"].clone()}),
        ),
    )
    .await;
    assert_eq!(created.bad_fields(), ["details.legacy_grading"]);
}

#[actix_web::test]
async fn only_supervisors_import_and_bad_parameters_are_named() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    upload(&app, &officer, "people", "X", PEOPLE)
        .await
        .problem(403, "forbidden");
    let supervisor = app.token(Role::Supervisor).await;
    assert_eq!(
        upload(&app, &supervisor, "spaceships", "X", "")
            .await
            .bad_fields(),
        ["record_type"]
    );
    assert_eq!(
        upload(&app, &supervisor, "people", "no%20spaces", "")
            .await
            .bad_fields(),
        ["source_system"]
    );
    assert_eq!(app.count("people").await, 0);
}

#[actix_web::test]
async fn a_large_batch_writes_every_event_in_full_and_the_chain_still_verifies() {
    let app = TestApp::spawn().await;
    let supervisor = app.token(Role::Supervisor).await;
    let body: String = (0..40)
        .map(|i| format!("{{\"source_id\": \"B-{i}\", \"surname\": \"Batchperson\", \"forenames\": \"Number\"}}\n"))
        .collect();
    let res = upload(&app, &supervisor, "people", "BULK", &body).await;
    assert_eq!(res.body["written"], 40, "{}", res.body);
    // Every event names its person and the batch, in order, with the
    // supervisor's role and the request id.
    assert_eq!(
        app.count(
            "audit_events e WHERE e.action = 'person.import' AND e.actor_roles = ARRAY['supervisor'] \
             AND e.actor_type = 'user' AND e.request_id <> '' AND e.fields = '{}' \
             AND (SELECT count(*) FROM audit_event_records r WHERE r.event_seq = e.seq) = 2 \
             AND EXISTS (SELECT 1 FROM audit_event_records r JOIN people p ON p.id = r.record_id \
                         WHERE r.event_seq = e.seq AND r.position = 0 AND r.record_type = 'person')"
        )
        .await,
        40
    );
    let report = app.seal_and_verify().await;
    assert!(report.ok, "{report:?}");
    assert!(report.events_verified >= 40, "{report:?}");
}

#[actix_web::test]
async fn an_import_from_the_command_line_leaves_the_planner_knowing_the_tables_it_filled() {
    let app = TestApp::spawn().await;
    // Never analysed: PostgreSQL records an unknown size as -1.
    let analysed = "pg_class WHERE relname IN ('people', 'audit_events') AND reltuples >= 30";
    assert_eq!(app.count(analysed).await, 0);
    let file = std::env::temp_dir().join(format!(
        "probity-cli-import-{}.ndjson",
        uuid::Uuid::new_v4()
    ));
    let body: String = (0..30)
        .map(|i| format!("{{\"source_id\": \"C-{i}\", \"surname\": \"Commandline\", \"forenames\": \"Person\"}}\n"))
        .collect();
    std::fs::write(&file, body).unwrap();
    let report = probity::imports::cli::import_file(&app.state, "people", &file, "CLI")
        .await
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(report.written, 30);
    assert_eq!(app.count(analysed).await, 2);
}
