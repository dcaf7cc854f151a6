//! Every record type round-trips the same way: created once however often a
//! tablet retries, read with its ETag, updated with If-Match, refused when
//! stale, listed, and audited at each step.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use shared::permissions::Role;

/// (collection, a valid body, the same body with one field changed, the
/// field's name in the alteration event)
fn kinds() -> Vec<(&'static str, Value, Value, &'static str)> {
    let event = |details: Value| json!({"occurred_at": "2026-11-20T08:30", "details": details});
    let pair = |uri, a: Value, field: &'static str, value: Value| {
        let mut b = a.clone();
        b["details"][field] = value;
        (uri, a, b, field)
    };
    vec![
        pair(
            "events",
            event(
                json!({"kind": "occurrence", "classification": "Shoplifting", "officer_in_case": "PC 3"}),
            ),
            "status",
            json!("filed"),
        ),
        pair(
            "events",
            event(
                json!({"kind": "intelligence", "source_evaluation": "A", "intelligence_assessment": "1", "handling": "P",
                         "content": [{"nature": "fact", "text": "Van parked at the yard every night"}]}),
            ),
            "intelligence_assessment",
            json!("2"),
        ),
        pair(
            "events",
            event(
                json!({"kind": "custody", "custody_suite": "Elland Road", "arrested_at": "2026-11-20T08:30",
                         "arrived_at": "2026-11-20T09:00", "arrest_reason": "Suspected theft", "detention_authorised_by": "PS 1",
                         "rights_given_at": "2026-11-20T09:05"}),
            ),
            "appropriate_adult",
            json!("Duty scheme"),
        ),
        pair(
            "events",
            event(
                json!({"kind": "stop_search", "search_type": "standard", "legal_power": "pace_s1",
                         "grounds": "Seen concealing an item after leaving the shop", "object_of_search": "stolen_property",
                         "self_defined_ethnicity": "W1", "place_type": "street", "address": "Briggate, Leeds",
                         "outcome": "no_further_action"}),
            ),
            "outcome",
            json!("arrest"),
        ),
        pair(
            "events",
            event(json!({"kind": "case_file", "file_status": "in_preparation"})),
            "court",
            json!("Leeds Crown Court"),
        ),
        pair(
            "objects",
            json!({"details": {"kind": "vehicle", "vrm": "LS12ABC"}}),
            "colour",
            json!("Green"),
        ),
        pair(
            "objects",
            json!({"details": {"kind": "property", "description": "Bicycle, red", "exhibit_reference": "AB/1",
                               "chain_of_custody": [{"held_by": "PC 3", "at": "2026-11-20T09:00", "location": "Property store 2"}]}}),
            "seal_number",
            json!("S123456"),
        ),
        pair(
            "objects",
            json!({"details": {"kind": "phone", "imei": "490154203237518"}}),
            "number",
            json!("07700900123"),
        ),
        pair(
            "objects",
            json!({"details": {"kind": "weapon", "weapon_type": "Knife"}}),
            "description",
            json!("Lock knife"),
        ),
        pair(
            "locations",
            json!({"details": {"address": "Kirkgate Market, Leeds", "postcode": "LS2 7HY", "place_type": "shop"}}),
            "latitude",
            json!(53.797),
        ),
    ]
}

#[actix_web::test]
async fn every_record_type_is_created_once_read_updated_refused_when_stale_and_listed() {
    let app = TestApp::spawn().await;
    let analyst = app.token(Role::IntelligenceAnalyst).await;
    for (n, (collection, body, changed, field)) in kinds().into_iter().enumerate() {
        let mut changed = changed;
        if field == "latitude" {
            changed["details"]["longitude"] = json!(-1.541);
        }
        let uri = format!("/api/v1/{collection}");
        let key = format!("kind-{n}");
        let create = || {
            TestRequest::post()
                .uri(&uri)
                .insert_header(("Idempotency-Key", key.clone()))
                .set_json(&body)
        };
        let first = as_user(&app, &analyst, create()).await;
        assert_eq!(first.status, 201, "{collection} {n}: {}", first.body);
        let retry = as_user(&app, &analyst, create()).await;
        assert_eq!(id_of(&retry.body), id_of(&first.body), "{collection} {n}");
        let id = id_of(&first.body);
        let at = format!("{uri}/{id}");

        let read = as_user(&app, &analyst, TestRequest::get().uri(&at)).await;
        assert_eq!(
            read.header("etag").as_deref(),
            Some("\"v1\""),
            "{collection} {n}"
        );
        let update = |etag: &'static str| {
            TestRequest::put()
                .uri(&at)
                .insert_header(("If-Match", etag))
                .set_json(&changed)
        };
        let updated = as_user(&app, &analyst, update("\"v1\"")).await;
        assert_eq!(updated.status, 200, "{collection} {n}: {}", updated.body);
        assert_eq!(
            updated.body["details"][field], changed["details"][field],
            "{collection} {n}"
        );
        as_user(&app, &analyst, update("\"v1\""))
            .await
            .problem(412, "precondition_failed");

        let list = as_user(
            &app,
            &analyst,
            TestRequest::get().uri(&format!("{uri}?limit=100")),
        )
        .await;
        assert!(
            list.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| id_of(i) == id),
            "{collection} {n} not listed"
        );
        let fields = app
            .count(&format!(
                "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
                 WHERE r.record_id = '{id}' AND e.operation = 'alteration' AND 'details.{field}' = ANY(e.fields)"
            ))
            .await;
        assert_eq!(fields, 1, "{collection} {n}: alteration of {field}");
    }
    // One record per kind despite the retries.
    assert_eq!(app.count("records").await, kinds().len() as i64);
}
