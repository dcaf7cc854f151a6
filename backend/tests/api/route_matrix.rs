//! Every route, every role, with and without a justification, the answer
//! each must get derived from the one permission map, never written down by
//! hand: the routes come from the router's source (`routes.rs`), the
//! permission each needs from the OpenAPI document generated from the
//! handlers, and the roles' permissions from `shared::permissions`. A route
//! the document does not describe, or any unexpected success, fails.
//!
//! Finding recorded here (audit examination, 2026-12): writes used to need
//! no justification (`PUT /people/{id}`, merge, restriction, erasure, a
//! create replayed by its Idempotency-Key), and answered with the person's
//! record. Every permission but account, API client and organisation
//! administration now needs one, and this matrix holds each route to it.

use crate::support::*;
use actix_web::http::Method;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use shared::permissions::{Permission, Role};
use std::collections::BTreeSet;

/// (method, path) pairs served by the router, read from its source: one
/// `web::resource("…")` per path, with `.get(` `.post(` `.put(` `.delete(`
/// handlers chained on it, and plain `.route("…", web::get()…)` entries.
fn routed() -> BTreeSet<(String, String)> {
    let source = include_str!("../../src/routes.rs");
    let mut found = BTreeSet::new();
    for (i, _) in source.match_indices("web::resource(\"") {
        let rest = &source[i + "web::resource(\"".len()..];
        let path = &rest[..rest.find('"').unwrap()];
        let chain = &rest[..rest.find(".default_service").unwrap_or(rest.len())];
        for method in ["get", "post", "put", "delete"] {
            if chain.contains(&format!(".{method}(")) {
                found.insert((method.to_uppercase(), format!("/api/v1{path}")));
            }
        }
    }
    for (i, _) in source.match_indices(".route(\"") {
        let rest = &source[i + ".route(\"".len()..];
        let path = &rest[..rest.find('"').unwrap()];
        let method = rest[rest.find("web::").unwrap() + 5..]
            .split('(')
            .next()
            .unwrap();
        let prefix = if path.starts_with("/healthz")
            || path.starts_with("/readyz")
            || path.starts_with("/metrics")
        {
            ""
        } else {
            "/api/v1"
        };
        found.insert((method.to_uppercase(), format!("{prefix}{path}")));
    }
    found
}

/// Path parameters all read `{}`: the router and the document may name them differently.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// What the document says each operation needs.
#[derive(Debug, Clone, PartialEq)]
enum Needs {
    /// No token at all (sign-in, token refresh, public keys).
    Nothing,
    /// Any signed-in caller (who am I, purposes, the organisation list).
    SignedIn,
    Permission(Permission),
}

fn documented() -> Vec<(String, String, Needs)> {
    use utoipa::OpenApi;
    let doc = serde_json::to_value(probity::openapi::ApiDoc::openapi()).unwrap();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let needs = match op.get("security").and_then(Value::as_array) {
                None => Needs::Nothing,
                Some(schemes) => {
                    let scopes = schemes[0]["bearer"].as_array().unwrap();
                    match scopes.first().and_then(Value::as_str) {
                        None => Needs::SignedIn,
                        Some(scope) => Needs::Permission(
                            scope
                                .parse()
                                .unwrap_or_else(|e| panic!("{method} {path}: {e}")),
                        ),
                    }
                }
            };
            out.push((method.to_uppercase(), path.clone(), needs));
        }
    }
    out
}

#[test]
fn every_routed_path_is_documented_with_what_it_needs_and_nothing_else_is() {
    let served: BTreeSet<(String, String)> = routed()
        .into_iter()
        .filter(|(_, p)| {
            p.starts_with("/api/v1") && p != "/api/v1/openapi.json" && p != "/api/v1/docs"
        })
        .map(|(m, p)| (m, shape(&p)))
        .collect();
    let described: BTreeSet<(String, String)> = documented()
        .into_iter()
        .map(|(m, p, _)| (m, shape(&p)))
        .collect();
    assert_eq!(
        served.difference(&described).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "routed but not in the OpenAPI document"
    );
    assert_eq!(
        described.difference(&served).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "documented but not routed"
    );
    assert!(served.len() >= 45, "{} routes", served.len());
}

struct Fixtures {
    person: String,
    duplicate: String,
    event: String,
    object: String,
    location: String,
    link: String,
    user: String,
    organisation: String,
}

impl Fixtures {
    /// The path with each parameter given a real record of the right kind.
    fn fill(&self, path: &str) -> String {
        let id = if path.starts_with("/api/v1/people/") {
            &self.person
        } else if path.starts_with("/api/v1/events/") {
            &self.event
        } else if path.starts_with("/api/v1/objects/") {
            &self.object
        } else if path.starts_with("/api/v1/locations/") {
            &self.location
        } else if path.starts_with("/api/v1/links/") {
            &self.link
        } else if path.starts_with("/api/v1/users/") {
            &self.user
        } else if path.starts_with("/api/v1/organisations/") {
            &self.organisation
        } else {
            "6f1c2b1e-8d4a-4e55-9a0b-1c2d3e4f5a6b"
        };
        path.replace("{record_type}", "people")
            .replace("{person}", &self.person)
            .replace("{id}", id)
    }

    /// A body the operation would accept from someone allowed to send it.
    fn body(&self, method: &str, path: &str) -> Option<Value> {
        let occurrence = json!({"occurred_at": "2026-11-01T10:00", "details": {"kind": "occurrence", "classification": "Theft", "officer_in_case": "PC 1"}});
        let body = match (method, path) {
            ("POST", "/api/v1/people") | ("PUT", "/api/v1/people/{id}") => person("Matrix"),
            ("POST", "/api/v1/events") | ("PUT", "/api/v1/events/{id}") => occurrence,
            ("POST", "/api/v1/objects") | ("PUT", "/api/v1/objects/{id}") => {
                json!({"details": {"kind": "vehicle", "vrm": "AB12CDE"}})
            }
            ("POST", "/api/v1/locations") | ("PUT", "/api/v1/locations/{id}") => {
                json!({"details": {"address": "1 High Street", "place_type": "street"}})
            }
            ("POST", "/api/v1/links") => json!({
                "from": {"type": "person", "id": self.person},
                "to": {"type": "object", "id": self.object}, "role": "owner"}),
            ("POST", "/api/v1/people/{id}/disclosures") => json!({ "recipient": CPS }),
            ("POST", "/api/v1/people/{id}/merge") => json!({ "duplicate": self.duplicate }),
            ("PUT", "/api/v1/people/{id}/restriction") => json!({"ground": "accuracy_contested"}),
            ("POST", "/api/v1/users") => json!({
                "username": format!("matrix.{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
                "display_name": "Matrix", "password": "long enough password", "roles": ["officer"]}),
            ("POST", "/api/v1/api-clients") => {
                json!({"name": "Matrix app", "scopes": ["person.read"]})
            }
            ("POST", "/api/v1/organisations") => json!({
                "name": format!("Matrix body {}", uuid::Uuid::new_v4().simple()), "kind": "other"}),
            ("PUT", "/api/v1/organisations/{id}") => {
                json!({"name": "Matrix partner", "kind": "other"})
            }
            ("POST", "/api/v1/working-contexts") => {
                json!({"purpose": "investigation", "reference": "M/1"})
            }
            ("POST", "/api/v1/auth/sign-out") => json!({"refresh_token": "not-a-live-token"}),
            ("POST", "/api/v1/rights/requests") => {
                json!({"kind": "access", "requester_name": "Matrix Requester",
                "requester_contact": "1 High Street", "received_on": "2026-11-01"})
            }
            ("PUT", "/api/v1/rights/requests/{id}/identity") => {
                json!({"proved_on": "2026-11-02", "means": "Passport"})
            }
            ("POST", "/api/v1/rights/requests/{id}/status") => {
                json!({"status": "withdrawn", "reason": "Requester withdrew by phone"})
            }
            ("POST", "/api/v1/rights/requests/{id}/extension") => {
                json!({"months": 1, "reason": "Records in three legacy systems"})
            }
            ("POST", "/api/v1/rights/requests/{id}/pause")
            | ("PUT", "/api/v1/rights/requests/{id}/neither-confirm-nor-deny") => {
                json!({"reason": "Waiting for the requester to say which incident"})
            }
            ("POST", "/api/v1/rights/requests/{id}/subjects") => json!({ "person": self.person }),
            ("PUT", "/api/v1/rights/requests/{id}/decisions") => json!([]),
            _ => return None,
        };
        Some(body)
    }
}

async fn fixtures(app: &TestApp) -> Fixtures {
    let officer = app.token(Role::Officer).await;
    let admin = app.token(Role::Admin).await;
    let made = |path: &'static str, body: Value| {
        as_user(app, &officer, TestRequest::post().uri(path).set_json(body))
    };
    let person = id_of(&create_person(app, &officer, "Matrix").await);
    let duplicate = id_of(&create_person(app, &officer, "Matrix").await);
    let event = id_of(&made("/api/v1/events", Fixtures::body_of_event()).await.body);
    let object = id_of(
        &made(
            "/api/v1/objects",
            json!({"details": {"kind": "vehicle", "vrm": "AB12CDE"}}),
        )
        .await
        .body,
    );
    let location = id_of(
        &made(
            "/api/v1/locations",
            json!({"details": {"address": "2 High Street", "place_type": "street"}}),
        )
        .await
        .body,
    );
    let link = id_of(
        &made(
            "/api/v1/links",
            json!({"from": {"type": "person", "id": person}, "to": {"type": "location", "id": location}, "role": "home_address"}),
        )
        .await
        .body,
    );
    let user = app
        .send(
            TestRequest::post()
                .uri("/api/v1/users")
                .insert_header(bearer(&admin))
                .set_json(
                    json!({"username": "matrix.target", "display_name": "Target",
                    "password": "long enough password", "roles": ["officer"]}),
                ),
        )
        .await;
    let organisation = app
        .send(
            TestRequest::post()
                .uri("/api/v1/organisations")
                .insert_header(bearer(&admin))
                .set_json(json!({"name": "Matrix partner", "kind": "other"})),
        )
        .await;
    let f = Fixtures {
        person,
        duplicate,
        event,
        object,
        location,
        link,
        user: id_of(&user.body),
        organisation: id_of(&organisation.body),
    };
    for id in [
        &f.event,
        &f.object,
        &f.location,
        &f.link,
        &f.user,
        &f.organisation,
    ] {
        assert_eq!(id.len(), 36, "a fixture was not made");
    }
    f
}

impl Fixtures {
    fn body_of_event() -> Value {
        json!({"occurred_at": "2026-11-01T10:00", "details": {"kind": "occurrence", "classification": "Theft", "officer_in_case": "PC 1"}})
    }
}

#[actix_web::test]
async fn every_route_answers_every_role_as_the_permission_map_says_with_and_without_a_justification()
 {
    let app = TestApp::spawn().await;
    let f = fixtures(&app).await;
    let mut tokens = Vec::new();
    for role in Role::ALL {
        tokens.push((role, app.token(role).await));
    }
    let operations = documented();
    let mut cells = 0;
    let mut wrong = Vec::new();
    // Destructive operations last, so the records the others act on exist
    // while they run (a 404 after an erasure would still be no success, but
    // it would prove less).
    let mut ordered = operations.clone();
    ordered.sort_by_key(|(m, p, _)| {
        (
            m == "DELETE" && p == "/api/v1/people/{id}",
            p.contains("merge"),
        )
    });
    for (method, template, needs) in &ordered {
        if *needs == Needs::Nothing {
            continue;
        }
        let uri = f.fill(template);
        // Signing out ends the session, so it gets a session of its own.
        let signs_out = template == "/api/v1/auth/sign-out";
        for (role, token) in &tokens {
            for justified in [false, true] {
                let token = if signs_out {
                    app.token(*role).await
                } else {
                    token.clone()
                };
                let mut req = TestRequest::default()
                    .method(Method::from_bytes(method.as_bytes()).unwrap())
                    .uri(&uri)
                    .insert_header(bearer(&token));
                if justified {
                    req = req.insert_header(justification());
                }
                if let Some(body) = f.body(method, template) {
                    req = req.set_json(body);
                } else if template.starts_with("/api/v1/imports/") && method == "POST" {
                    req = req
                        .insert_header(("content-type", "application/x-ndjson"))
                        .set_payload("{\"source_id\": \"M-1\", \"surname\": \"Imported\"}\n");
                }
                let res = app.send(req).await;
                let status = res.status.as_u16();
                cells += 1;
                let expected: &str = match needs {
                    Needs::Nothing => unreachable!(),
                    Needs::SignedIn => "served",
                    Needs::Permission(p) if !role.permissions().contains(p) => "403",
                    Needs::Permission(p) if !justified && p.needs_justification() => "428",
                    Needs::Permission(_) => "served",
                };
                let ok = match expected {
                    "403" => status == 403,
                    "428" => status == 428,
                    _ => !matches!(status, 401 | 403 | 428) && status < 500,
                };
                if !ok {
                    wrong.push(format!(
                        "{method} {template} as {role} {}: expected {expected}, got {status} {}",
                        if justified {
                            "with a justification"
                        } else {
                            "without"
                        },
                        res.body
                    ));
                }
            }
        }
        // And without any token, nothing but 401.
        let res = app
            .send(
                TestRequest::default()
                    .method(Method::from_bytes(method.as_bytes()).unwrap())
                    .uri(&uri),
            )
            .await;
        cells += 1;
        if res.status != 401 {
            wrong.push(format!("{method} {template} with no token: {}", res.status));
        }
    }
    println!(
        "route-by-role matrix: {} operations x {} roles x 2 (with and without a justification) + no token = {cells} requests",
        operations.iter().filter(|o| o.2 != Needs::Nothing).count(),
        Role::ALL.len()
    );
    assert!(
        wrong.is_empty(),
        "{} wrong answers:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(cells > 800, "{cells}");
}

#[actix_web::test]
async fn a_caller_without_the_permission_is_refused_before_a_bad_body_or_query_is_described() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let person = id_of(&create_person(&app, &officer, "Gated").await);
    // Found by this matrix: a parse error is ready at once, the permission
    // check waits on the database, and the first answer used to win.
    let res = app
        .send(
            TestRequest::post()
                .uri(&format!("/api/v1/people/{person}/merge"))
                .insert_header(bearer(&officer))
                .insert_header(justification())
                .insert_header(("content-type", "application/json"))
                .set_payload("{\"duplicate\": 42"),
        )
        .await;
    res.problem(403, "forbidden");
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/audit/export?format=xml")
                .insert_header(bearer(&officer))
                .insert_header(justification()),
        )
        .await;
    res.problem(403, "forbidden");
    // With no token at all, 401 rather than a description of the query.
    let res = app
        .send(TestRequest::get().uri("/api/v1/organisations?include_inactive=perhaps"))
        .await;
    res.problem(401, "unauthenticated");
    // Someone allowed still hears exactly what is wrong, field by field.
    let auditor = app.token(Role::Auditor).await;
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/audit/export?format=xml")
                .insert_header(bearer(&auditor))
                .insert_header(("Probity-Justification", "purpose=audit&reference=A-1")),
        )
        .await;
    assert_eq!(res.bad_fields(), ["from"], "{}", res.body);
}
