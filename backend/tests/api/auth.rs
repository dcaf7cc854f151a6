//! Sign-in, refresh rotation, reuse detection, sign-out, disabling,
//! throttling and the client-credentials grant.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::json;
use shared::permissions::Role;

async fn refresh(app: &TestApp, token: &str) -> Response {
    app.send(
        TestRequest::post()
            .uri("/api/v1/auth/refresh")
            .set_json(json!({ "refresh_token": token })),
    )
    .await
}

async fn me(app: &TestApp, access: &str) -> Response {
    app.send(
        TestRequest::get()
            .uri("/api/v1/auth/me")
            .insert_header(bearer(access)),
    )
    .await
}

#[actix_web::test]
async fn signing_in_gives_a_short_lived_token_and_the_user_with_their_permissions() {
    let app = TestApp::spawn().await;
    let pair = app.sign_in(Role::Officer).await;
    assert_eq!(pair.token_type, "Bearer");
    assert_eq!(pair.expires_in, 900);
    assert!(
        pair.user
            .permissions
            .contains(&shared::permissions::Permission::PersonCreate)
    );
    let res = me(&app, &pair.access_token).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body["username"], "officer");
    // The refresh token is stored only as a hash.
    let stored = app
        .count(&format!(
            "refresh_tokens WHERE token_hash = sha256('{}'::bytea)",
            pair.refresh_token
        ))
        .await;
    assert_eq!(stored, 1);
    assert_eq!(
        app.count(&format!(
            "refresh_tokens WHERE token_hash = convert_to('{}', 'UTF8')",
            pair.refresh_token
        ))
        .await,
        0
    );
}

#[actix_web::test]
async fn a_wrong_password_and_an_unknown_user_are_refused_alike() {
    let app = TestApp::spawn().await;
    for (username, password) in [("officer", "not the password"), ("nobody", PASSWORD)] {
        let res = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/auth/sign-in")
                    .set_json(json!({ "username": username, "password": password })),
            )
            .await;
        res.problem(401, "invalid_credentials");
    }
}

#[actix_web::test]
async fn repeated_failed_sign_ins_throttle_the_account_even_for_the_right_password() {
    let app = TestApp::with_config(|c| c.sign_in_max_failures = 3).await;
    for _ in 0..3 {
        let res = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/auth/sign-in")
                    .set_json(json!({ "username": "officer", "password": "guess guess guess" })),
            )
            .await;
        res.problem(401, "invalid_credentials");
    }
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/auth/sign-in")
                .set_json(json!({ "username": "officer", "password": PASSWORD })),
        )
        .await;
    // Refused like a wrong password, so a guesser learns nothing.
    res.problem(401, "invalid_credentials");
    assert_eq!(
        app.count("users WHERE username = 'officer' AND throttled_until > now()")
            .await,
        1
    );
}

#[actix_web::test]
async fn a_refresh_rotates_the_token_and_the_spent_one_no_longer_works() {
    let app = TestApp::spawn().await;
    let first = app.sign_in(Role::Officer).await;
    let res = refresh(&app, &first.refresh_token).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let second: shared::auth::TokenPair = serde_json::from_value(res.body).unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(me(&app, &second.access_token).await.status, 200);
    // And the new one rotates again.
    assert_eq!(refresh(&app, &second.refresh_token).await.status, 200);
}

#[actix_web::test]
async fn reusing_a_spent_refresh_token_revokes_the_whole_session() {
    let app = TestApp::spawn().await;
    let first = app.sign_in(Role::Officer).await;
    let res = refresh(&app, &first.refresh_token).await;
    let second: shared::auth::TokenPair = serde_json::from_value(res.body).unwrap();
    // A thief replays the first token.
    refresh(&app, &first.refresh_token)
        .await
        .problem(401, "invalid_refresh_token");
    // The legitimate holder's newer tokens are dead too.
    refresh(&app, &second.refresh_token)
        .await
        .problem(401, "invalid_refresh_token");
    me(&app, &second.access_token)
        .await
        .problem(401, "unauthenticated");
    // Another session of the same user is untouched.
    let other = app.sign_in(Role::Officer).await;
    assert_eq!(me(&app, &other.access_token).await.status, 200);
}

#[actix_web::test]
async fn signing_out_ends_the_access_and_refresh_tokens_at_once() {
    let app = TestApp::spawn().await;
    let pair = app.sign_in(Role::Officer).await;
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/auth/sign-out")
                .insert_header(bearer(&pair.access_token))
                .set_json(json!({ "refresh_token": pair.refresh_token })),
        )
        .await;
    assert_eq!(res.status, 204);
    me(&app, &pair.access_token)
        .await
        .problem(401, "unauthenticated");
    refresh(&app, &pair.refresh_token)
        .await
        .problem(401, "invalid_refresh_token");
}

#[actix_web::test]
async fn a_disabled_user_is_refused_everywhere_until_re_enabled() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let officer = app.sign_in(Role::Officer).await;
    let users = app
        .send(
            TestRequest::get()
                .uri("/api/v1/users")
                .insert_header(bearer(&admin)),
        )
        .await;
    let id = users
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "officer")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .send(
            TestRequest::post()
                .uri(&format!("/api/v1/users/{id}/disable"))
                .insert_header(bearer(&admin)),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["disabled"], true);
    // Existing tokens die at once, and signing in again is refused.
    me(&app, &officer.access_token)
        .await
        .problem(401, "unauthenticated");
    refresh(&app, &officer.refresh_token)
        .await
        .problem(401, "invalid_refresh_token");
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/auth/sign-in")
                .set_json(json!({ "username": "officer", "password": PASSWORD })),
        )
        .await;
    res.problem(401, "invalid_credentials");
    let res = app
        .send(
            TestRequest::post()
                .uri(&format!("/api/v1/users/{id}/enable"))
                .insert_header(bearer(&admin)),
        )
        .await;
    assert_eq!(res.body["disabled"], false);
    app.sign_in(Role::Officer).await;
    // Both changes are in the audit log as administration.
    assert_eq!(
        app.count("audit_events WHERE action IN ('user.disable', 'user.enable')")
            .await,
        2
    );
}

#[actix_web::test]
async fn an_administrator_creates_an_account_that_can_then_sign_in() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/users")
                .insert_header(bearer(&admin))
                .set_json(json!({
                    "username": "PC.Newton",
                    "display_name": "PC Newton",
                    "password": "another long passphrase",
                    "roles": ["officer", "custody_officer"]
                })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.body["username"], "pc.newton");
    let res = app
        .send(
            TestRequest::post().uri("/api/v1/auth/sign-in").set_json(
                json!({ "username": "pc.newton", "password": "another long passphrase" }),
            ),
        )
        .await;
    assert_eq!(res.status, 200);
    // A taken username is a conflict naming the field.
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/users")
                .insert_header(bearer(&admin))
                .set_json(json!({
                    "username": "pc.newton",
                    "display_name": "Someone else",
                    "password": "another long passphrase",
                    "roles": ["officer"]
                })),
        )
        .await;
    res.problem(409, "conflict");
    assert_eq!(res.bad_fields(), ["username"]);
}

async fn register_client(app: &TestApp, scopes: serde_json::Value) -> (String, String) {
    let admin = app.token(Role::Admin).await;
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/api-clients")
                .insert_header(bearer(&admin))
                .set_json(json!({ "name": "County case system", "scopes": scopes })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    (
        res.body["client_id"].as_str().unwrap().to_owned(),
        res.body["client_secret"].as_str().unwrap().to_owned(),
    )
}

/// The client-credentials grant, as a third-party application asks for a token.
async fn client_token(app: &TestApp, client_id: &str, secret: &str) -> Response {
    app.send(
        TestRequest::post()
            .uri("/api/v1/oauth/token")
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(format!(
                "grant_type=client_credentials&client_id={client_id}&client_secret={secret}"
            )),
    )
    .await
}

#[actix_web::test]
async fn an_api_client_reading_a_person_is_recorded_as_a_disclosure_to_that_client() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let person = create_person(&app, &officer, "Disclosed").await;
    let (client_id, secret) = register_client(&app, json!(["person.read", "person.list"])).await;
    let res = client_token(&app, &client_id, &secret).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["scope"], "person.read person.list");
    let token = res.body["access_token"].as_str().unwrap().to_owned();
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!(
                    "/api/v1/people/{}",
                    person["id"].as_str().unwrap()
                ))
                .insert_header(bearer(&token))
                .insert_header(justification()),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let disclosures = app
        .count(&format!(
            "audit_events WHERE operation = 'disclosure' AND action = 'person.read' \
             AND actor_type = 'api_client' AND recipients = ARRAY['api_client:{client_id}']"
        ))
        .await;
    assert_eq!(disclosures, 1);
    // The client was not granted person.create.
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/people")
                .insert_header(bearer(&token))
                .insert_header(justification())
                .set_json(person_json()),
        )
        .await;
    res.problem(403, "forbidden");
}

#[actix_web::test]
async fn an_api_client_acting_for_an_officer_names_them_and_only_an_active_one() {
    let app = TestApp::spawn().await;
    let officer = app.sign_in(Role::Officer).await;
    let person = create_person(&app, &officer.access_token, "Behalf").await;
    let path = format!("/api/v1/people/{}", person["id"].as_str().unwrap());
    let (client_id, secret) = register_client(&app, json!(["person.read"])).await;
    let res = client_token(&app, &client_id, &secret).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let token = res.body["access_token"].as_str().unwrap().to_owned();
    let read = |token: &str, behalf: &str| {
        TestRequest::get()
            .uri(&path)
            .insert_header(bearer(token))
            .insert_header(justification())
            .insert_header(("Probity-On-Behalf-Of", behalf.to_owned()))
    };

    let res = app.send(read(&token, &officer.user.id.to_string())).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let named = app
        .count(&format!(
            "audit_events WHERE action = 'person.read' AND actor_type = 'api_client' \
             AND operation = 'disclosure' AND on_behalf_of = '{}'",
            officer.user.id
        ))
        .await;
    assert_eq!(
        named, 1,
        "the disclosure names the officer the client acted for"
    );

    // An id that is no one's, or not an id at all, is refused by name
    // rather than written into the log unchecked; nothing is read.
    let before = app.count("audit_events").await;
    for behalf in [uuid::Uuid::new_v4().to_string(), "pc-1234".to_owned()] {
        let res = app.send(read(&token, &behalf)).await;
        res.problem(422, "validation");
        assert_eq!(res.bad_fields(), ["Probity-On-Behalf-Of"], "{}", res.body);
    }
    // Staff signed in act for themselves.
    let res = app
        .send(read(&officer.access_token, &officer.user.id.to_string()))
        .await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["Probity-On-Behalf-Of"], "{}", res.body);
    assert_eq!(app.count("audit_events").await, before);
}

fn person_json() -> serde_json::Value {
    crate::support::person("Clientmade")
}

#[actix_web::test]
async fn a_client_with_a_wrong_secret_or_an_ungranted_scope_gets_no_token() {
    let app = TestApp::spawn().await;
    let (client_id, secret) = register_client(&app, json!(["person.read"])).await;
    let form = |body: String| {
        TestRequest::post()
            .uri("/api/v1/oauth/token")
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(body)
    };
    app.send(form(format!(
        "grant_type=client_credentials&client_id={client_id}&client_secret=wrong"
    )))
    .await
    .problem(401, "invalid_credentials");
    let res = app
        .send(form(format!(
            "grant_type=client_credentials&client_id={client_id}&client_secret={secret}&scope=person.create"
        )))
        .await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["scope"]);
    let res = app
        .send(form(format!(
            "grant_type=password&client_id={client_id}&client_secret={secret}"
        )))
        .await;
    assert_eq!(res.bad_fields(), ["grant_type"]);
}

#[actix_web::test]
async fn administrators_cannot_give_a_client_account_administration() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/api-clients")
                .insert_header(bearer(&admin))
                .set_json(json!({ "name": "Rogue", "scopes": ["user.admin"] })),
        )
        .await;
    res.problem(422, "validation");
    assert_eq!(app.count("api_clients").await, 0);
}
