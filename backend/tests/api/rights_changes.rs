//! Rectification (s.46), letters to earlier recipients (s.48), and the
//! answer to a rectification or erasure request.

use crate::erasure::{dpo_send, scan, scene};
use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use shared::permissions::Role;

const ICO: &str = "00000000-0000-4000-8000-000000000001";

async fn new_case(app: &TestApp, dpo: &str, kind: &str, requester: &str) -> String {
    let res = dpo_send(
        app,
        dpo,
        TestRequest::post()
            .uri("/api/v1/rights/requests")
            .set_json(json!({
            "kind": kind, "requester_name": requester,
            "requester_contact": "7 Quarry Row, Leeds LS6 2QR", "received_on": "2026-12-01",
            "identity_proved_on": "2026-12-02", "identity_means": "Passport seen"})),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    id_of(&res.body)
}

async fn ok(app: &TestApp, dpo: &str, req: TestRequest) -> Value {
    let res = dpo_send(app, dpo, req).await;
    assert!(res.status.is_success(), "{}", res.body);
    res.body
}

#[actix_web::test]
async fn rectification_corrects_or_completes_and_tells_every_earlier_recipient() {
    let app = TestApp::spawn().await;
    let investigator = app.token(Role::Investigator).await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let person = id_of(&create_person(&app, &investigator, "Rectifield").await);
    let event = as_user(&app, &investigator, TestRequest::post().uri("/api/v1/events").set_json(json!({
        "occurred_at": "2026-11-20T08:30",
        "details": {"kind": "occurrence", "classification": "Theft", "officer_in_case": "PC 1",
                    "narrative": "Seen leaving the shop with the goods"},
        "links": [{"to": {"type": "person", "id": person}, "role": "suspect", "subject_category": "suspect"}]}))).await;
    let event = id_of(&event.body);
    // Shared with two organisations before the correction.
    for recipient in [CPS, ICO] {
        let shared = as_user(
            &app,
            &investigator,
            TestRequest::post()
                .uri(&format!("/api/v1/people/{person}/disclosures"))
                .set_json(json!({"recipient": recipient})),
        )
        .await;
        assert_eq!(shared.status, 200, "{}", shared.body);
    }
    let case = new_case(&app, &dpo, "rectification", "A. Rectifield").await;
    let uri = format!("/api/v1/rights/requests/{case}/rectifications");

    // Bad input is named field by field, and changes nothing.
    for (body, field) in [
        (
            json!({"record": {"type": "person", "id": person}, "field": "date_of_birth", "value": "1990-05-01",
                "statement": "Both at once", "reason": "The subject showed a passport"}),
            "statement",
        ),
        (
            json!({"record": {"type": "person", "id": person}, "field": "shoe_size", "value": "9",
                "reason": "The subject showed a passport"}),
            "field",
        ),
        (
            json!({"record": {"type": "person", "id": person}, "field": "date_of_birth", "value": "not a date",
                "reason": "The subject showed a passport"}),
            "date_of_birth",
        ),
        (
            json!({"record": {"type": "person", "id": person}, "field": "date_of_birth", "value": "1990-05-01",
                "reason": "short"}),
            "reason",
        ),
    ] {
        let bad = dpo_send(&app, &dpo, TestRequest::post().uri(&uri).set_json(body)).await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(
            bad.bad_fields().contains(&field.to_owned()),
            "{field}: {}",
            bad.body
        );
    }
    assert_eq!(app.count("recipient_notifications").await, 0);

    let corrected = ok(
        &app,
        &dpo,
        TestRequest::post().uri(&uri).set_json(json!({
        "record": {"type": "person", "id": person}, "field": "date_of_birth", "value": "1990-05-01",
        "reason": "The subject showed a passport with the right date"})),
    )
    .await;
    assert_eq!(corrected["kind"], "correction");
    assert_eq!(
        app.count(&format!(
            "people WHERE id = '{person}' AND date_of_birth = '1990-05-01'"
        ))
        .await,
        1
    );
    let told: Vec<&str> = corrected["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["recipient"].as_str().unwrap())
        .collect();
    assert_eq!(told.len(), 2, "every earlier recipient: {corrected}");
    assert!(told.contains(&CPS) && told.contains(&ICO));

    // A statement completes a record that must stay as it was.
    let statement = ok(&app, &dpo, TestRequest::post().uri(&uri).set_json(json!({
        "record": {"type": "event", "id": event},
        "statement": "The subject states they were at work that morning; their employer confirms it.",
        "reason": "The record is evidence and stays as made"}))).await;
    assert_eq!(statement["kind"], "supplementary_statement");
    let read = as_user(
        &app,
        &investigator,
        TestRequest::get().uri(&format!("/api/v1/events/{event}")),
    )
    .await;
    assert_eq!(read.status, 200);
    assert!(
        read.body["statements"][0]["statement"]
            .as_str()
            .unwrap()
            .starts_with("The subject states"),
        "shown wherever the record is shown: {}",
        read.body
    );

    // The letters: listed, printable, and sending one is a disclosure.
    let list = ok(
        &app,
        &dpo,
        TestRequest::get().uri(&format!("/api/v1/rights/requests/{case}/notifications")),
    )
    .await;
    let first = list[0]["id"].as_str().unwrap().to_owned();
    let letter = ok(
        &app,
        &dpo,
        TestRequest::get().uri(&format!("/api/v1/notifications/{first}/letter.json")),
    )
    .await;
    let text = letter["paragraphs"].to_string();
    assert!(
        text.contains(&person) && !text.contains("Rectifield"),
        "{text}"
    );
    let sent = ok(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/notifications/{first}/send")),
    )
    .await;
    assert!(sent["sent_at"].is_string());
    let again = dpo_send(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/notifications/{first}/send")),
    )
    .await;
    again.problem(409, "conflict");
    assert_eq!(
        app.count(&format!(
            "audit_events WHERE action = 'rights.notification.send' AND operation = 'disclosure' \
             AND 'organisation:{}' = ANY(recipients)",
            list[0]["recipient"].as_str().unwrap()
        ))
        .await,
        1
    );
    let answer = ok(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{case}/respond")),
    )
    .await;
    assert_eq!(answer["rectifications"], 2);
    assert_eq!(answer["notifications"], 2);
    assert_eq!(answer["notifications_sent"], 1);
}

#[actix_web::test]
async fn an_erasure_request_is_answered_and_then_holds_nothing_of_the_requester() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let s = scene(&app).await;
    let case = new_case(&app, &dpo, "erasure", "Zebedee Quillfeather").await;
    // Answering before anything is done is refused.
    let early = dpo_send(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{case}/respond")),
    )
    .await;
    early.problem(409, "conflict");
    // Only an attached subject can be planned through the request.
    let stranger = dpo_send(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{case}/erasure-plan"))
            .set_json(json!({"person": s.second})),
    )
    .await;
    assert_eq!(stranger.bad_fields(), ["person"]);
    ok(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{case}/subjects"))
            .set_json(json!({"person": s.subject})),
    )
    .await;
    let plan = dpo_send(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{case}/erasure-plan"))
            .set_json(json!({"person": s.subject})),
    )
    .await;
    assert_eq!(plan.status, 201, "{}", plan.body);
    assert!(plan.body["keep"].to_string().contains("Rights request"));
    let pid = id_of(&plan.body);
    for (n, p) in plan.body["passages"].as_array().unwrap().iter().enumerate() {
        ok(
            &app,
            &dpo,
            TestRequest::put()
                .uri(&format!("/api/v1/erasure-plans/{pid}/passages/{n}"))
                .set_json(json!({"text": p["proposed"]})),
        )
        .await;
    }
    let done = ok(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/erasure-plans/{pid}/execute")),
    )
    .await;
    let probe = &done["certificate"]["probe"];
    // The case being answered keeps the requester until the answer goes.
    let places: Vec<&str> = probe["traces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["place"].as_str().unwrap())
        .collect();
    assert_eq!(places, ["rights_requests.requester_name"], "{probe}");
    assert!(done["certificate"]["request"].is_string());
    // CPS received the subject's record before: it is owed a letter.
    let letters = ok(
        &app,
        &dpo,
        TestRequest::get().uri(&format!("/api/v1/rights/requests/{case}/notifications")),
    )
    .await;
    assert_eq!(letters.as_array().unwrap().len(), 1);
    assert_eq!(letters[0]["recipient"], CPS);
    assert_eq!(letters[0]["change"], "erasure");
    let answer = ok(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{case}/respond")),
    )
    .await;
    assert_eq!(answer["kind"], "erasure");
    assert_eq!(answer["certificates"].as_array().unwrap().len(), 1);
    assert!(!answer.to_string().to_lowercase().contains("quillfeather"));
    let left = scan(
        &app,
        &["quillfeather", "zebedee", "1961-07-23", "23/07/1961"],
    )
    .await;
    assert!(left.is_empty(), "left behind: {left:?}");
    let (status, pdf) = app
        .send_bytes(
            TestRequest::get()
                .uri(&format!("/api/v1/rights/requests/{case}/answer.pdf"))
                .insert_header(bearer(&dpo))
                .insert_header(justification()),
        )
        .await;
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF"));
}
