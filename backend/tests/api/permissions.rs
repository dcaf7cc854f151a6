//! Deny by default: every route that needs a permission refuses every role
//! that lacks it, and the refusal is audited.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::json;
use shared::permissions::{Permission, Role, roles_grant};

/// Records the guarded routes act on.
struct Ids {
    person: String,
    user: String,
    event: String,
    object: String,
    location: String,
    link: String,
}

/// Every permission-guarded route, with a body that would otherwise succeed.
fn routes(ids: &Ids) -> Vec<(Permission, TestRequest)> {
    let (person_id, user_id) = (ids.person.as_str(), ids.user.as_str());
    let occurrence = json!({"occurred_at": "2026-11-01T10:00", "details": {"kind": "occurrence", "classification": "Theft", "officer_in_case": "PC 1"}});
    let vehicle = json!({"details": {"kind": "vehicle", "vrm": "AB12CDE"}});
    let place = json!({"details": {"address": "1 High Street", "place_type": "street"}});
    let link = json!({"from": {"type": "person", "id": person_id}, "to": {"type": "object", "id": ids.object}, "role": "owner"});
    vec![
        (Permission::RecordCreate, TestRequest::post().uri("/api/v1/events").set_json(&occurrence)),
        (Permission::RecordList, TestRequest::get().uri("/api/v1/events")),
        (Permission::RecordRead, TestRequest::get().uri(&format!("/api/v1/events/{}", ids.event))),
        (Permission::RecordUpdate, TestRequest::put().uri(&format!("/api/v1/events/{}", ids.event)).set_json(&occurrence)),
        (Permission::RecordCreate, TestRequest::post().uri("/api/v1/objects").set_json(&vehicle)),
        (Permission::RecordList, TestRequest::get().uri("/api/v1/objects")),
        (Permission::RecordRead, TestRequest::get().uri(&format!("/api/v1/objects/{}", ids.object))),
        (Permission::RecordUpdate, TestRequest::put().uri(&format!("/api/v1/objects/{}", ids.object)).set_json(&vehicle)),
        (Permission::RecordCreate, TestRequest::post().uri("/api/v1/locations").set_json(&place)),
        (Permission::RecordList, TestRequest::get().uri("/api/v1/locations")),
        (Permission::RecordRead, TestRequest::get().uri(&format!("/api/v1/locations/{}", ids.location))),
        (Permission::RecordUpdate, TestRequest::put().uri(&format!("/api/v1/locations/{}", ids.location)).set_json(&place)),
        (Permission::RecordLink, TestRequest::post().uri("/api/v1/links").set_json(&link)),
        (Permission::RecordLink, TestRequest::delete().uri(&format!("/api/v1/links/{}", ids.link))),
        (Permission::PersonRead, TestRequest::get().uri(&format!("/api/v1/people/{person_id}/profile"))),
        (Permission::PersonList, TestRequest::get().uri("/api/v1/people/duplicates?surname=Guarded")),
        (
            Permission::RecordImport,
            TestRequest::post()
                .uri("/api/v1/imports/people?source_system=LEGACY")
                .insert_header(("content-type", "application/x-ndjson"))
                .set_payload("{\"source_id\": \"1\", \"surname\": \"Imported\"}\n"),
        ),
        (Permission::RecordImport, TestRequest::get().uri(&format!("/api/v1/imports/people/{}", uuid::Uuid::new_v4()))),
        (Permission::PersonCreate, TestRequest::post().uri("/api/v1/people").set_json(person("Anyone"))),
        (Permission::PersonList, TestRequest::get().uri("/api/v1/people")),
        (Permission::PersonList, TestRequest::get().uri("/api/v1/search/people?q=guarded")),
        (Permission::RecordList, TestRequest::get().uri("/api/v1/search/records?q=ab12")),
        (Permission::PersonRead, TestRequest::get().uri(&format!("/api/v1/people/{person_id}"))),
        (
            Permission::PersonUpdate,
            TestRequest::put().uri(&format!("/api/v1/people/{person_id}")).set_json(person("Changed")),
        ),
        (Permission::UserAdmin, TestRequest::get().uri("/api/v1/users")),
        (
            Permission::UserAdmin,
            TestRequest::post().uri("/api/v1/users").set_json(json!({
                "username": "someone.new", "display_name": "Someone", "password": "long enough password", "roles": ["officer"]
            })),
        ),
        (Permission::UserAdmin, TestRequest::post().uri(&format!("/api/v1/users/{user_id}/disable"))),
        (Permission::UserAdmin, TestRequest::post().uri(&format!("/api/v1/users/{user_id}/enable"))),
        (
            Permission::ApiClientAdmin,
            TestRequest::post().uri("/api/v1/api-clients").set_json(json!({"name": "App", "scopes": ["person.read"]})),
        ),
        (Permission::PersonExport, TestRequest::get().uri(&format!("/api/v1/people/{person_id}/print"))),
        (Permission::PersonExport, TestRequest::get().uri(&format!("/api/v1/people/{person_id}/export"))),
        (
            Permission::PersonDisclose,
            TestRequest::post()
                .uri(&format!("/api/v1/people/{person_id}/disclosures"))
                .set_json(json!({"recipient": CPS})),
        ),
        (
            Permission::PersonMerge,
            TestRequest::post()
                .uri(&format!("/api/v1/people/{person_id}/merge"))
                .set_json(json!({"duplicate": uuid::Uuid::new_v4()})),
        ),
        (
            Permission::PersonRestrict,
            TestRequest::delete().uri(&format!("/api/v1/people/{person_id}/restriction")),
        ),
        (Permission::PersonErase, TestRequest::delete().uri(&format!("/api/v1/people/{}", uuid::Uuid::new_v4()))),
        (Permission::AuditRead, TestRequest::get().uri("/api/v1/audit/events")),
        (Permission::AuditRead, TestRequest::get().uri("/api/v1/audit/verify")),
        (Permission::AuditRead, TestRequest::get().uri("/api/v1/audit/checkpoints")),
        (
            Permission::AuditRead,
            TestRequest::get().uri("/api/v1/audit/export?from=2026-01-01T00:00:00Z&to=2030-01-01T00:00:00Z"),
        ),
    ]
}

#[actix_web::test]
async fn every_role_is_refused_every_route_its_permissions_do_not_cover() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let person = id_of(&create_person(&app, &officer, "Guarded").await);
    let made = |uri: &str, body: serde_json::Value| TestRequest::post().uri(uri).set_json(body);
    let event = as_user(&app, &officer, made("/api/v1/events", json!({"occurred_at": "2026-11-01T10:00", "details": {"kind": "occurrence", "classification": "Theft", "officer_in_case": "PC 1"}}))).await;
    let object = as_user(
        &app,
        &officer,
        made(
            "/api/v1/objects",
            json!({"details": {"kind": "vehicle", "vrm": "AB12CDE"}}),
        ),
    )
    .await;
    let location = as_user(
        &app,
        &officer,
        made(
            "/api/v1/locations",
            json!({"details": {"address": "1 High Street", "place_type": "street"}}),
        ),
    )
    .await;
    // Links for the delete route to remove, one per role that may.
    let mut links = Vec::new();
    let roles = [
        "home_address",
        "other",
        "associate",
        "owner",
        "keeper",
        "driver",
        "passenger",
        "item_found",
        "exhibit",
    ];
    for role in roles.into_iter().take(Role::ALL.len()) {
        let res = as_user(&app, &officer, made("/api/v1/links", json!({"from": {"type": "person", "id": person}, "to": {"type": "location", "id": id_of(&location.body)}, "role": role}))).await;
        assert_eq!(res.status, 201, "{}", res.body);
        links.push(id_of(&res.body));
    }
    app.search_caught_up().await;
    let mut refusals = 0;
    for (i, role) in Role::ALL.into_iter().enumerate() {
        let token = app.token(role).await;
        let ids = Ids {
            person: person.clone(),
            user: uuid::Uuid::new_v4().to_string(),
            event: id_of(&event.body),
            object: id_of(&object.body),
            location: id_of(&location.body),
            link: links[i].clone(),
        };
        for (permission, req) in routes(&ids) {
            let res = app
                .send(
                    req.insert_header(bearer(&token))
                        .insert_header(justification()),
                )
                .await;
            if roles_grant(&[role], permission) {
                assert_ne!(
                    res.status, 403,
                    "{role} should be allowed {permission}: {}",
                    res.body
                );
                assert!(
                    res.status.as_u16() < 500,
                    "{role} {permission}: {}",
                    res.body
                );
            } else {
                res.problem(403, "forbidden");
                refusals += 1;
            }
        }
    }
    assert!(refusals > 150, "the matrix refused only {refusals} times");
    assert_eq!(
        app.count("audit_events WHERE outcome = 'refused'").await,
        refusals
    );
}

#[actix_web::test]
async fn a_refused_read_is_audited_naming_the_person_it_tried_to_see() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let id = create_person(&app, &officer, "Watched").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let auditor = app.token(Role::Auditor).await;
    app.send(
        TestRequest::get()
            .uri(&format!("/api/v1/people/{id}"))
            .insert_header(bearer(&auditor))
            .insert_header(justification()),
    )
    .await
    .problem(403, "forbidden");
    let n = app
        .count(&format!(
            "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
             WHERE e.outcome = 'refused' AND e.operation = 'consultation' \
             AND e.actor_roles = ARRAY['auditor'] AND r.record_id = '{id}'"
        ))
        .await;
    assert_eq!(n, 1);
}

#[actix_web::test]
async fn reading_people_without_a_justification_is_refused_with_428_and_audited() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let id = create_person(&app, &officer, "Private").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for uri in [format!("/api/v1/people/{id}"), "/api/v1/people".to_owned()] {
        let res = app
            .send(TestRequest::get().uri(&uri).insert_header(bearer(&officer)))
            .await;
        let body = res.problem(428, "justification_required");
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("Probity-Justification")
        );
    }
    // A justification that breaks the rules names what is wrong.
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(&officer))
                .insert_header(("Probity-Justification", "purpose=curiosity")),
        )
        .await;
    res.problem(428, "justification_required");
    assert_eq!(res.bad_fields(), ["purpose", "reference"]);
    assert_eq!(
        app.count("audit_events WHERE outcome = 'refused' AND operation = 'consultation'")
            .await,
        3
    );
    assert_eq!(
        app.count("audit_events WHERE outcome = 'allowed' AND operation = 'consultation'")
            .await,
        0
    );
}

#[actix_web::test]
async fn with_the_justification_setting_off_reads_need_no_justification() {
    let app = TestApp::with_config(|c| c.justification_required = false).await;
    let officer = app.token(Role::Officer).await;
    create_person(&app, &officer, "Open").await;
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/people")
                .insert_header(bearer(&officer)),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    // Still audited, just without a purpose.
    assert_eq!(
        app.count("audit_events WHERE operation = 'consultation' AND purpose IS NULL")
            .await,
        1
    );
}

#[actix_web::test]
async fn a_force_that_narrows_the_purposes_refuses_any_other_and_says_which_it_accepts() {
    use shared::justification::Purpose;
    let app = TestApp::with_config(|c| c.purposes = vec![Purpose::Custody, Purpose::Audit]).await;
    let officer = app.token(Role::Officer).await;
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/purposes")
                .insert_header(bearer(&officer)),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body, json!(["custody", "audit"]));

    let read = |why: &str| {
        TestRequest::get()
            .uri("/api/v1/people")
            .insert_header(bearer(&officer))
            .insert_header(("Probity-Justification", why.to_owned()))
    };
    let res = app
        .send(read("purpose=investigation&reference=01/12345"))
        .await;
    res.problem(428, "justification_required");
    assert_eq!(res.bad_fields(), ["purpose"], "{}", res.body);
    assert!(
        res.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("custody, audit"),
        "{}",
        res.body
    );
    let res = app.send(read("purpose=custody&reference=CUS-7")).await;
    assert_eq!(res.status, 200, "{}", res.body);

    // Declaring a working context is held to the same list.
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/working-contexts")
                .insert_header(bearer(&officer))
                .set_json(json!({"purpose": "intelligence", "reference": "IR-1", "reason": ""})),
        )
        .await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["purpose"], "{}", res.body);
}
