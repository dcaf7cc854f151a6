//! Hostile and awkward input on the record endpoints: refused field by
//! field, never a 500, never a leak.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use shared::permissions::Role;

async fn post(app: &TestApp, token: &str, uri: &str, body: Value) -> Response {
    as_user(app, token, TestRequest::post().uri(uri).set_json(body)).await
}

#[actix_web::test]
async fn odd_characters_impossible_years_and_crafted_cursors_are_422s_not_500s() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let mut p = person("Oddchars");
    p["details"] = json!({"cro_number": "123456/1é"});
    assert_eq!(
        post(&app, &officer, "/api/v1/people", p).await.bad_fields(),
        ["details.cro_number"]
    );
    let event = json!({
        "occurred_at": "-5000-01-01T00:00",
        "details": {"kind": "occurrence", "classification": "Nul\u{0}byte", "officer_in_case": "PC 1"}
    });
    let res = post(&app, &officer, "/api/v1/events", event).await;
    assert_eq!(res.bad_fields(), ["occurred_at", "details.classification"]);
    use base64::Engine;
    let cursor = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(br#"["+200000-01-01T00:00:00Z","00000000-0000-0000-0000-000000000000"]"#);
    let res = as_user(
        &app,
        &officer,
        TestRequest::get().uri(&format!("/api/v1/events?cursor={cursor}")),
    )
    .await;
    assert_eq!(res.bad_fields(), ["cursor"]);
    assert_eq!(app.count("records").await, 0);
}

#[actix_web::test]
async fn links_sent_with_a_new_record_must_start_from_it_and_not_repeat() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let a = id_of(&create_person(&app, &officer, "Firstone").await);
    let b = id_of(&create_person(&app, &officer, "Secondone").await);
    let body = json!({
        "details": {"kind": "weapon", "weapon_type": "Bat"},
        "links": [
            {"from": {"type": "person", "id": a}, "to": {"type": "person", "id": b}, "role": "associate"},
            {"to": {"type": "person", "id": a}, "role": "owner"},
            {"to": {"type": "person", "id": a}, "role": "owner"}
        ]
    });
    let res = post(&app, &officer, "/api/v1/objects", body).await;
    assert_eq!(res.bad_fields(), ["links[0].from", "links[2]"]);
    assert_eq!(app.count("links").await, 0);
}

#[actix_web::test]
async fn sources_and_handling_codes_cannot_be_changed_beyond_what_the_editor_may_read() {
    let app = TestApp::spawn().await;
    let analyst = app.token(Role::IntelligenceAnalyst).await;
    let investigator = app.token(Role::Investigator).await;
    let officer = app.token(Role::Officer).await;
    let subject = id_of(&create_person(&app, &analyst, "Sourced").await);
    let created = post(
        &app,
        &analyst,
        "/api/v1/events",
        intelligence("P", &subject),
    )
    .await;
    let id = id_of(&created.body);
    let put = |token: String, body: Value| {
        let id = id.clone();
        let app = &app;
        async move {
            as_user(
                app,
                &token,
                TestRequest::put()
                    .uri(&format!("/api/v1/events/{id}"))
                    .set_json(body),
            )
            .await
        }
    };
    // An investigator guessing the source is refused, whether right or wrong.
    let mut guess = intelligence("P", &subject);
    guess.as_object_mut().unwrap().remove("links");
    let res = put(investigator.clone(), guess.clone()).await;
    assert_eq!(res.bad_fields(), ["details.source_identity"]);
    // Without the source, the edit goes through and the source is kept.
    let mut edit = guess.clone();
    edit["details"]
        .as_object_mut()
        .unwrap()
        .remove("source_identity");
    edit["details"]["intelligence_assessment"] = json!("3");
    assert_eq!(put(investigator, edit.clone()).await.status, 200);
    assert_eq!(
        app.count("intelligence_sources WHERE source_identity LIKE 'Source 4471%'")
            .await,
        1
    );
    // An officer may not hide a report from themselves by making it C.
    edit["details"]["handling"] = json!("C");
    edit["details"]["handling_conditions"] = json!("Force only");
    assert_eq!(put(officer, edit).await.bad_fields(), ["details.handling"]);
}

#[actix_web::test]
async fn an_exhibits_chain_of_custody_only_grows() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let hand = |who: &str, at: &str| json!({"held_by": who, "at": at, "location": "Store 1"});
    let body = json!({"details": {"kind": "property", "description": "Holdall", "exhibit_reference": "KT/3",
        "chain_of_custody": [hand("PC 1", "2026-11-01T10:00"), hand("Store", "2026-11-01T12:00")]}});
    let created = post(&app, &officer, "/api/v1/objects", body.clone()).await;
    let id = id_of(&created.body);
    let put = |b: Value| {
        TestRequest::put()
            .uri(&format!("/api/v1/objects/{id}"))
            .set_json(b)
    };
    let mut shorter = body.clone();
    shorter["details"]["chain_of_custody"]
        .as_array_mut()
        .unwrap()
        .pop();
    assert_eq!(
        as_user(&app, &officer, put(shorter)).await.bad_fields(),
        ["details.chain_of_custody"]
    );
    let mut longer = body.clone();
    longer["details"]["chain_of_custody"]
        .as_array_mut()
        .unwrap()
        .push(hand("Lab", "2026-11-02T09:00"));
    assert_eq!(as_user(&app, &officer, put(longer)).await.status, 200);
    let found = as_user(
        &app,
        &officer,
        TestRequest::get().uri("/api/v1/objects?lookup=kt/3"),
    )
    .await;
    assert_eq!(
        found.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        found.body
    );
}

#[actix_web::test]
async fn import_reports_never_quote_values_and_erased_people_are_not_imported_again() {
    let app = TestApp::spawn().await;
    let supervisor = app.token(Role::Supervisor).await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let upload = |body: &'static str| {
        TestRequest::post()
            .uri("/api/v1/imports/people?source_system=OLD")
            .insert_header(bearer(&supervisor))
            .insert_header(justification())
            .insert_header(("content-type", "application/x-ndjson"))
            .set_payload(body)
    };
    let lines = "{\"source_id\": \"1\", \"surname\": \"Keepme\"}\n{\"source_id\": \"2\", \"surname\": \"Bad\", \"gender\": \"Zaphodian\"}\n";
    let res = app.send(upload(lines)).await;
    assert_eq!(res.body["written"], 1, "{}", res.body);
    assert!(!res.body.to_string().contains("Zaphodian"), "{}", res.body);
    assert_eq!(
        app.count("imports WHERE errors::text LIKE '%Zaphodian%'")
            .await,
        0
    );
    let id: String = {
        let list = as_user(
            &app,
            &supervisor,
            TestRequest::get().uri("/api/v1/people?surname=Keepme"),
        )
        .await;
        id_of(&list.body["items"][0])
    };
    let erased = as_user(
        &app,
        &dpo,
        TestRequest::delete().uri(&format!("/api/v1/people/{id}")),
    )
    .await;
    assert_eq!(erased.status, 200, "{}", erased.body);
    let again = app.send(upload(lines)).await;
    assert_eq!(again.body["written"], 0, "{}", again.body);
    let codes: Vec<&str> = again.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["errors"][0]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["erased", "invalid_type"]);
    assert_eq!(app.count("people").await, 0);
    assert_eq!(app.count("import_tombstones").await, 1);
}

#[actix_web::test]
async fn an_attempt_to_change_intelligence_beyond_ones_handling_codes_is_refused_and_recorded() {
    let app = TestApp::spawn().await;
    let analyst = app.token(Role::IntelligenceAnalyst).await;
    let officer = app.token(Role::Officer).await;
    let subject = id_of(&create_person(&app, &analyst, "Conditioned").await);
    let id = id_of(
        &post(
            &app,
            &analyst,
            "/api/v1/events",
            intelligence("C", &subject),
        )
        .await
        .body,
    );
    let mut body = intelligence("P", &subject);
    body.as_object_mut().unwrap().remove("links");
    body["details"]
        .as_object_mut()
        .unwrap()
        .remove("source_identity");
    let res = as_user(
        &app,
        &officer,
        TestRequest::put()
            .uri(&format!("/api/v1/events/{id}"))
            .set_json(body),
    )
    .await;
    res.problem(404, "not_found");
    assert_eq!(
        app.count(&format!(
            "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
             WHERE e.action = 'event.update' AND e.outcome = 'refused' AND r.record_id = '{id}'"
        ))
        .await,
        1
    );
    assert_eq!(app.count("records WHERE version = 1").await, 1);
}
