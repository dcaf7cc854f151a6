//! Restriction of any record (DPA 2018 s.47(2)): out of ordinary processing
//! for every role but those who decide restriction, in every read path.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::json;
use shared::permissions::Role;

const READERS: [Role; 5] = [
    Role::Officer,
    Role::Investigator,
    Role::IntelligenceAnalyst,
    Role::CustodyOfficer,
    Role::Supervisor,
];

async fn sees(
    app: &TestApp,
    role: Role,
    person: &str,
    place: &str,
    event: &str,
) -> Vec<&'static str> {
    let token = app.token(role).await;
    let get = |uri: String| {
        let token = token.clone();
        async move { as_user(app, &token, TestRequest::get().uri(&uri)).await }
    };
    let mut seen = Vec::new();
    if get(format!("/api/v1/events/{event}")).await.status == 200 {
        seen.push("read");
    }
    let list = get("/api/v1/events?limit=100".into()).await;
    assert_eq!(list.status, 200, "{}", list.body);
    if list.body.to_string().contains(event) {
        seen.push("list");
    }
    let profile = get(format!("/api/v1/people/{person}/profile")).await;
    assert_eq!(profile.status, 200, "{}", profile.body);
    if profile.body.to_string().contains(event) {
        seen.push("profile");
    }
    let location = get(format!("/api/v1/locations/{place}")).await;
    assert_eq!(location.status, 200, "{}", location.body);
    if location.body.to_string().contains(event) {
        seen.push("links");
    }
    let search = get("/api/v1/search/records?q=marmaladeworth".into()).await;
    assert_eq!(search.status, 200, "{}", search.body);
    if search.body.to_string().contains(event) {
        seen.push("search");
    }
    seen
}

#[actix_web::test]
async fn a_restricted_record_leaves_every_read_path_for_everyone_but_those_who_decide() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let person = id_of(&create_person(&app, &officer, "Restrictington").await);
    let place = as_user(&app, &officer, TestRequest::post().uri("/api/v1/locations").set_json(json!({
        "details": {"address": "3 Mill Lane, Leeds", "postcode": "LS3 1AA", "place_type": "street"}}))).await;
    let place = id_of(&place.body);
    let event = as_user(&app, &officer, TestRequest::post().uri("/api/v1/events").set_json(json!({
        "occurred_at": "2026-11-20T08:30",
        "details": {"kind": "occurrence", "classification": "Theft", "officer_in_case": "PC 1",
                    "narrative": "A marmaladeworth bicycle was taken"},
        "links": [
            {"to": {"type": "person", "id": person}, "role": "suspect", "subject_category": "suspect"},
            {"to": {"type": "location", "id": place}, "role": "location_of_event"}
        ]}))).await;
    assert_eq!(event.status, 201, "{}", event.body);
    let event = id_of(&event.body);
    app.search_caught_up().await;
    for role in READERS {
        assert_eq!(
            sees(&app, role, &person, &place, &event).await,
            ["read", "list", "profile", "links", "search"],
            "{role:?} before"
        );
    }

    // Bad input first: every missing field named, nothing changed.
    let bad = as_user(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/restrictions/event/{event}"))
            .set_json(
                json!({"ground": "accuracy_contested", "reason": "", "review_on": "2020-01-01"}),
            ),
    )
    .await;
    assert_eq!(bad.bad_fields(), ["reason", "review_on"]);
    assert_eq!(
        app.count("records WHERE restricted_at IS NOT NULL").await,
        0
    );

    let restricted = as_user(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/restrictions/event/{event}"))
            .set_json(json!({"ground": "accuracy_contested",
                "reason": "The subject disputes that they were there",
                "review_on": "2027-06-01"})),
    )
    .await;
    assert_eq!(restricted.status, 200, "{}", restricted.body);
    assert_eq!(restricted.body["review_on"], "2027-06-01");
    app.search_caught_up().await;
    for role in READERS {
        assert!(
            sees(&app, role, &person, &place, &event).await.is_empty(),
            "{role:?} still sees the restricted record"
        );
    }
    // Those who decide restriction still see it, marked.
    let read = as_user(
        &app,
        &dpo,
        TestRequest::get().uri(&format!("/api/v1/events/{event}")),
    )
    .await;
    assert_eq!(read.status, 200, "{}", read.body);
    assert_eq!(read.body["restricted"], true);
    let list = as_user(&app, &dpo, TestRequest::get().uri("/api/v1/restrictions")).await;
    assert!(list.body.to_string().contains(&event));
    // The restriction and its lifting are in the log.
    assert_eq!(
        app.count("audit_events WHERE action = 'record.restrict' AND operation = 'restriction'")
            .await,
        1
    );
    let lifted = as_user(
        &app,
        &dpo,
        TestRequest::delete().uri(&format!("/api/v1/restrictions/event/{event}")),
    )
    .await;
    assert_eq!(lifted.status, 204, "{}", lifted.body);
    app.search_caught_up().await;
    assert_eq!(
        sees(&app, Role::Officer, &person, &place, &event).await,
        ["read", "list", "profile", "links", "search"]
    );
    assert_eq!(
        app.count("audit_events WHERE action = 'record.unrestrict'")
            .await,
        1
    );
}
