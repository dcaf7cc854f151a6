//! What operators and third-party developers rely on: health, readiness,
//! metrics, request ids, the OpenAPI document and its browsable page.

use crate::support::*;
use actix_web::test::TestRequest;
use shared::permissions::Role;

#[actix_web::test]
async fn health_readiness_and_metrics_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.send(TestRequest::get().uri("/healthz")).await.body["status"],
        "ok"
    );
    let ready = app.send(TestRequest::get().uri("/readyz")).await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.body["database"], "ok");
    let officer = app.token(Role::Officer).await;
    create_person(&app, &officer, "Counted").await;
    let metrics = app.send(TestRequest::get().uri("/metrics")).await;
    let text = metrics.body.as_str().unwrap().to_owned();
    assert!(
        text.contains(
            "probity_http_requests_total{method=\"POST\",route=\"/api/v1/people\",status=\"201\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains("probity_audit_events_total{operation=\"collection\",outcome=\"allowed\"}")
    );
}

#[actix_web::test]
async fn a_callers_opaque_request_id_is_kept_and_any_other_replaced() {
    let app = TestApp::spawn().await;
    for kept in [
        "6f1c2b1e-8d4a-4e55-9a0b-1c2d3e4f5a6b",
        "4bf92f3577b34da6a3ce929d0e0e4736",
    ] {
        let res = app
            .send(
                TestRequest::get()
                    .uri("/healthz")
                    .insert_header(("X-Request-Id", kept)),
            )
            .await;
        assert_eq!(res.header("x-request-id").unwrap(), kept);
    }
    // It goes into the append-only log, so nothing a name could be spelt in.
    let res = app
        .send(
            TestRequest::get()
                .uri("/healthz")
                .insert_header(("X-Request-Id", "thorncroft-enquiry")),
        )
        .await;
    assert_ne!(res.header("x-request-id").unwrap(), "thorncroft-enquiry");
    let res = app
        .send(
            TestRequest::get()
                .uri("/healthz")
                .insert_header(("X-Request-Id", "no spaces <allowed>")),
        )
        .await;
    let id = res.header("x-request-id").unwrap();
    assert_eq!(id.len(), 36, "{id}");
    // Problems quote the request id as their instance.
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/people")
                .insert_header(("X-Request-Id", "7ace07")),
        )
        .await;
    assert_eq!(res.problem(401, "unauthenticated")["instance"], "7ace07");
}

#[actix_web::test]
async fn the_openapi_document_describes_every_route_and_the_justification_header() {
    let app = TestApp::spawn().await;
    let doc = app
        .send(TestRequest::get().uri("/api/v1/openapi.json"))
        .await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc.body["paths"].as_object().unwrap();
    // Every resource the router serves, read from the router's own source,
    // so a route added without its documentation fails here.
    let routes: Vec<String> = include_str!("../../src/routes.rs")
        .split("web::resource(\"")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once('"')
                .map(|(path, _)| format!("/api/v1{path}"))
        })
        .collect();
    assert!(routes.len() > 30, "{routes:?}");
    let undocumented: Vec<&String> = routes.iter().filter(|r| !paths.contains_key(*r)).collect();
    assert!(
        undocumented.is_empty(),
        "not in the OpenAPI document: {undocumented:?}"
    );
    let read = &doc.body["paths"]["/api/v1/people/{id}"]["get"];
    assert!(
        read["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Probity-Justification")
    );
    assert!(doc.body["components"]["securitySchemes"]["bearer"].is_object());
    let page = app.send(TestRequest::get().uri("/api/v1/docs")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .as_str()
            .unwrap()
            .contains("/api/v1/people/{id}/disclosures")
    );
}
