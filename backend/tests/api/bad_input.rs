//! Hostile and clumsy input: every case is a 4xx problem+json, never a 500,
//! and nothing is written.

use crate::support::*;
use actix_web::test::TestRequest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use shared::permissions::Role;

async fn nothing_written(app: &TestApp) {
    assert_eq!(app.count("people").await, 0);
    assert_eq!(
        app.count("audit_events WHERE action = 'person.create'")
            .await,
        0
    );
}

async fn post_raw(app: &TestApp, token: &str, content_type: &str, body: &str) -> Response {
    app.send(
        TestRequest::post()
            .uri("/api/v1/people")
            .insert_header(bearer(token))
            .insert_header(justification())
            .insert_header(("content-type", content_type.to_owned()))
            .set_payload(body.to_owned()),
    )
    .await
}

#[actix_web::test]
async fn malformed_json_is_a_400_problem_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Officer).await;
    for body in [
        r#"{"surname": "Smith""#,
        "not json",
        r#"{"surname":"A"} {"surname":"B"}"#,
        "",
    ] {
        let res = post_raw(&app, &token, "application/json", body).await;
        res.problem(400, "malformed_body");
    }
    nothing_written(&app).await;
}

#[actix_web::test]
async fn unknown_fields_and_wrong_types_are_named_field_by_field() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Officer).await;
    let res = post_raw(
        &app,
        &token,
        "application/json",
        r#"{"surname":"Smith","nickname":"Smudge"}"#,
    )
    .await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["nickname"]);
    let res = post_raw(&app, &token, "application/json", r#"{"surname":42}"#).await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["surname"]);
    let res = post_raw(
        &app,
        &token,
        "application/json",
        r#"{"surname":"Smith","gender":"martian"}"#,
    )
    .await;
    assert_eq!(res.bad_fields(), ["gender"]);
    let res = post_raw(&app, &token, "application/json", r#"{"forenames":"Jo"}"#).await;
    assert_eq!(res.bad_fields(), ["surname"]);
    // Problem bodies never echo the value sent.
    assert!(!res.body.to_string().contains("Smudge"));
    nothing_written(&app).await;
}

#[actix_web::test]
async fn an_oversize_body_is_refused_with_413() {
    let app = TestApp::with_config(|c| c.max_body_bytes = 1024).await;
    let token = app.token(Role::Officer).await;
    let body = json!({ "surname": "x".repeat(4096) }).to_string();
    post_raw(&app, &token, "application/json", &body)
        .await
        .problem(413, "payload_too_large");
    nothing_written(&app).await;
}

#[actix_web::test]
async fn a_body_that_is_not_json_is_refused_with_415() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Officer).await;
    post_raw(&app, &token, "text/plain", r#"{"surname":"Smith"}"#)
        .await
        .problem(415, "unsupported_media_type");
    nothing_written(&app).await;
}

fn forge(
    token: &str,
    header: serde_json::Value,
    claims_edit: impl FnOnce(&mut serde_json::Value),
) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims_edit(&mut claims);
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        parts[2]
    )
}

#[actix_web::test]
async fn missing_forged_expired_and_wrong_algorithm_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let good = app.token(Role::Officer).await;
    let header: serde_json::Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(good.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    let kid = header["kid"].clone();

    // An officer promoting themselves: the signature no longer matches.
    let forged = forge(&good, header.clone(), |c| c["roles"] = json!(["admin"]));
    // HS256 "signed" with anything, and alg none: only EdDSA is accepted.
    let hs256 = {
        use jsonwebtoken::{EncodingKey, Header, encode};
        let mut h = Header::new(jsonwebtoken::Algorithm::HS256);
        h.kid = kid.as_str().map(str::to_owned);
        let claims: serde_json::Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(good.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        encode(
            &h,
            &claims,
            &EncodingKey::from_secret(b"public key as secret"),
        )
        .unwrap()
    };
    let none = {
        let t = forge(
            &good,
            json!({"alg": "none", "typ": "JWT", "kid": kid}),
            |_| {},
        );
        let mut parts: Vec<&str> = t.split('.').collect();
        parts[2] = "";
        parts.join(".")
    };
    // A properly signed token whose time is up.
    let expired = {
        let claims = probity::auth::tokens::Claims {
            exp: chrono::Utc::now().timestamp() - 3600,
            iat: chrono::Utc::now().timestamp() - 4600,
            ..serde_json::from_slice(
                &URL_SAFE_NO_PAD
                    .decode(good.split('.').nth(1).unwrap())
                    .unwrap(),
            )
            .unwrap()
        };
        probity::auth::tokens::sign(&app.state.keys, &claims).unwrap()
    };
    // Signed by a key Probity does not hold.
    let stranger = {
        let dir = std::env::temp_dir().join(format!("probity-stranger-{}", uuid::Uuid::new_v4()));
        let ring = probity::auth::keys::Keyring::load_or_create(&dir).unwrap();
        let claims: probity::auth::tokens::Claims = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(good.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        probity::auth::tokens::sign(&ring, &claims).unwrap()
    };

    let attempts: Vec<(&str, Option<String>)> = vec![
        ("missing", None),
        ("garbage", Some("Bearer not-a-token".into())),
        ("wrong scheme", Some(format!("Basic {good}"))),
        ("forged", Some(format!("Bearer {forged}"))),
        ("hs256", Some(format!("Bearer {hs256}"))),
        ("none", Some(format!("Bearer {none}"))),
        ("expired", Some(format!("Bearer {expired}"))),
        ("stranger", Some(format!("Bearer {stranger}"))),
    ];
    for (name, authorization) in attempts {
        let mut req = TestRequest::post()
            .uri("/api/v1/people")
            .set_json(person("Intruder"));
        if let Some(value) = authorization {
            req = req.insert_header(("Authorization", value));
        }
        let res = app.send(req).await;
        assert_eq!(res.status, 401, "{name}: {}", res.body);
        res.problem(401, "unauthenticated");
        assert!(res.header("www-authenticate").is_some(), "{name}");
    }
    nothing_written(&app).await;
    // The real token still works, so the refusals were about the tokens.
    create_person(&app, &good, "Genuine").await;
}

#[actix_web::test]
async fn unknown_routes_bad_ids_and_wrong_methods_are_problems_too() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Officer).await;
    app.send(TestRequest::get().uri("/api/v1/nowhere"))
        .await
        .problem(404, "route_not_found");
    app.send(
        TestRequest::get()
            .uri("/api/v1/people/not-a-uuid")
            .insert_header(bearer(&token))
            .insert_header(justification()),
    )
    .await
    .problem(404, "not_found");
    app.send(
        TestRequest::delete()
            .uri("/api/v1/people")
            .insert_header(bearer(&token))
            .insert_header(justification()),
    )
    .await
    .problem(405, "method_not_allowed");
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/people?limit=lots")
                .insert_header(bearer(&token))
                .insert_header(justification()),
        )
        .await;
    res.problem(422, "validation");
}
