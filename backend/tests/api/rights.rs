//! Subject access (DPA 2018 ss.45, 53, 54): requests as cases with the
//! legal clock, a pack compiled from PostgreSQL with every kind of record,
//! decisions item by item, third parties redacted, and the history of who
//! has seen the subject's records checked from the pack alone.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use shared::permissions::Role;

const SAR: (&str, &str) = (
    "Probity-Justification",
    "purpose=subject_access&reference=SAR-TEST",
);

async fn dpo_send(app: &TestApp, dpo: &str, req: TestRequest) -> Response {
    app.send(req.insert_header(bearer(dpo)).insert_header(SAR))
        .await
}

fn request_body(received_on: &str) -> Value {
    json!({
        "kind": "access",
        "requester_name": "Dana Requester",
        "requester_contact": "12 Albion Street, Leeds LS1 6AB",
        "received_on": received_on,
    })
}

async fn new_request(app: &TestApp, dpo: &str, received_on: &str) -> String {
    let res = dpo_send(
        app,
        dpo,
        TestRequest::post()
            .uri("/api/v1/rights/requests")
            .set_json(request_body(received_on)),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert!(res.body["reference"].as_str().unwrap().starts_with("SAR/"));
    id_of(&res.body)
}

async fn act(app: &TestApp, dpo: &str, req: TestRequest) -> Value {
    let res = dpo_send(app, dpo, req).await;
    assert!(res.status.is_success(), "{}", res.body);
    res.body
}

/// A subject with a record of every kind linked to them, some shared with a
/// second person, a third person with records of their own, and the
/// subject's records read and disclosed. Returns (subject, co-linked
/// person's surname, other subject's record ids).
async fn subject_with_every_kind(app: &TestApp) -> (String, String, Vec<String>) {
    let analyst = app.token(Role::IntelligenceAnalyst).await;
    let investigator = app.token(Role::Investigator).await;
    let subject = id_of(&create_person(app, &analyst, "Quillington").await);
    let third = id_of(&create_person(app, &analyst, "Zebrowski").await);
    let stranger = id_of(&create_person(app, &analyst, "Unrelatedson").await);
    let post = |uri: &'static str, body: Value| {
        let analyst = analyst.clone();
        async move {
            let res = as_user(app, &analyst, TestRequest::post().uri(uri).set_json(body)).await;
            assert_eq!(res.status, 201, "{uri}: {}", res.body);
            id_of(&res.body)
        }
    };
    let at = |person: &str, role: &str, category: &str| json!({"to": {"type": "person", "id": person}, "role": role, "subject_category": category});
    let event = |details: Value, links: Vec<Value>| json!({"occurred_at": "2026-11-20T08:30", "details": details, "links": links});
    // An occurrence shared with Zebrowski, named in its narrative.
    post("/api/v1/events", event(
        json!({"kind": "occurrence", "classification": "Assault", "officer_in_case": "PC 3 Hargreaves",
               "narrative": "Quillington says Zebrowski struck him outside the market"}),
        vec![at(&subject, "victim", "victim"), at(&third, "suspect", "suspect")],
    )).await;
    post("/api/v1/events", event(
        json!({"kind": "custody", "custody_suite": "Elland Road", "arrested_at": "2026-11-20T08:30",
               "arrived_at": "2026-11-20T09:00", "arrest_reason": "Suspected theft", "detention_authorised_by": "PS 1",
               "rights_given_at": "2026-11-20T09:05"}),
        vec![at(&subject, "detainee", "suspect")],
    )).await;
    post("/api/v1/events", event(
        json!({"kind": "stop_search", "search_type": "standard", "legal_power": "pace_s1",
               "grounds": "Seen concealing an item after leaving the shop", "object_of_search": "stolen_property",
               "self_defined_ethnicity": "W1", "place_type": "street", "address": "Briggate, Leeds",
               "outcome": "no_further_action"}),
        vec![at(&subject, "searched_person", "suspect")],
    )).await;
    post(
        "/api/v1/events",
        event(
            json!({"kind": "case_file", "file_status": "in_preparation"}),
            vec![at(&subject, "defendant", "suspect")],
        ),
    )
    .await;
    post("/api/v1/events", event(
        json!({"kind": "intelligence", "source_evaluation": "B", "intelligence_assessment": "2", "handling": "P",
               "content": [{"nature": "fact", "text": "Subject seen at the lock-up on Tuesdays"}],
               "source_identity": "Source 4471"}),
        vec![at(&subject, "subject_of_intelligence", "suspect")],
    )).await;
    let vehicle = post(
        "/api/v1/objects",
        json!({"details": {"kind": "vehicle", "vrm": "LS12ABC"}}),
    )
    .await;
    let property = post("/api/v1/objects", json!({"details": {"kind": "property", "description": "Bicycle, red", "exhibit_reference": "AB/1",
        "chain_of_custody": [{"held_by": "PC 3", "at": "2026-11-20T09:00", "location": "Property store 2"}]}})).await;
    let home = post("/api/v1/locations", json!({"details": {"address": "12 Albion Street, Leeds", "postcode": "LS1 6AB", "place_type": "dwelling"}})).await;
    for (id, kind, role) in [
        (&vehicle, "object", "owner"),
        (&property, "object", "owner"),
        (&home, "location", "home_address"),
    ] {
        let res = as_user(app, &analyst, TestRequest::post().uri("/api/v1/links").set_json(json!({
            "from": {"type": "person", "id": subject}, "to": {"type": kind, "id": id}, "role": role}))).await;
        assert_eq!(res.status, 201, "{}", res.body);
    }
    // The stranger's own record, which must never appear.
    let theirs = post(
        "/api/v1/events",
        event(
            json!({"kind": "occurrence", "classification": "Burglary", "officer_in_case": "PC 9",
               "narrative": "Unrelatedson reported a break-in"}),
            vec![at(&stranger, "complainant", "victim")],
        ),
    )
    .await;
    // The subject's records seen and shared.
    as_user(
        app,
        &investigator,
        TestRequest::get().uri(&format!("/api/v1/people/{subject}/profile")),
    )
    .await;
    let shared_with_cps = as_user(
        app,
        &investigator,
        TestRequest::post()
            .uri(&format!("/api/v1/people/{subject}/disclosures"))
            .set_json(json!({"recipient": CPS})),
    )
    .await;
    assert_eq!(shared_with_cps.status, 200, "{}", shared_with_cps.body);
    (subject, "Zebrowski".into(), vec![stranger, theirs])
}

#[actix_web::test]
async fn a_dpo_answers_a_request_with_everything_held_third_parties_redacted_and_intelligence_withheld()
 {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let (subject, third, strangers) = subject_with_every_kind(&app).await;
    let id = new_request(&app, &dpo, "2026-12-01").await;
    // Compiling before identity is proved is refused.
    let early = dpo_send(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{id}/compile")),
    )
    .await;
    early.problem(409, "conflict");
    let case = act(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/rights/requests/{id}/identity"))
            .set_json(
                json!({"proved_on": "2026-12-02", "means": "Passport seen at the front counter"}),
            ),
    )
    .await;
    assert_eq!(case["status"], "compiling");
    assert_eq!(case["clock"]["due_on"], "2027-01-02");
    // An unknown person is refused by name.
    let unknown = dpo_send(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{id}/subjects"))
            .set_json(json!({"person": uuid::Uuid::new_v4()})),
    )
    .await;
    assert_eq!(unknown.bad_fields(), ["person"]);
    act(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{id}/subjects"))
            .set_json(json!({"person": subject})),
    )
    .await;
    let summary = act(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{id}/compile")),
    )
    .await;
    assert_eq!(summary["number"], 1);
    let pack = act(
        &app,
        &dpo,
        TestRequest::get().uri(&format!("/api/v1/rights/requests/{id}/pack")),
    )
    .await;
    let items = pack["items"].as_array().unwrap();
    let categories: Vec<&str> = items
        .iter()
        .map(|i| i["category"].as_str().unwrap())
        .collect();
    for (category, n) in [
        ("person", 1),
        ("event", 5),
        ("object", 2),
        ("location", 1),
        ("recipients", 1),
        ("consultations", 1),
    ] {
        assert_eq!(
            categories.iter().filter(|c| **c == category).count(),
            n,
            "{category}: {categories:?}"
        );
    }
    let text = pack.to_string();
    for stranger in &strangers {
        assert!(
            !text.contains(stranger.as_str()),
            "another person's record is in the pack"
        );
    }
    assert!(!text.contains("Unrelatedson"));
    assert!(
        !text.contains("Source 4471"),
        "a source's identity is never in a pack"
    );
    // Intelligence is withheld by default under (b); everything else waits.
    let intel = items
        .iter()
        .find(|i| i["title"].as_str().unwrap().starts_with("Intelligence"))
        .unwrap();
    assert_eq!(intel["default"]["decision"], "withhold");
    assert_eq!(intel["default"]["ground"], "b");
    assert_eq!(pack["summary"]["undecided"], 8);
    // Release with undecided items: 409 listing them.
    let refused = dpo_send(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{id}/release")),
    )
    .await;
    refused.problem(409, "conflict");
    assert_eq!(refused.body["errors"].as_array().unwrap().len(), 8);
    // Withholding needs a ground and a reason.
    let bad = dpo_send(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/rights/requests/{id}/decisions"))
            .set_json(json!([{"item": intel["key"], "decision": "withhold"}])),
    )
    .await;
    assert_eq!(bad.bad_fields(), ["[0].ground", "[0].reason"]);
    // The officer withholds the intelligence under (b) with a reason, and
    // releases everything else, third parties staying redacted.
    let mut decisions = vec![
        json!({"item": intel["key"], "decision": "withhold", "ground": "b",
        "reason": "Disclosure would reveal an active intelligence operation"}),
    ];
    for item in items.iter().filter(|i| i["key"] != intel["key"]) {
        decisions.push(json!({"item": item["key"], "decision": "release"}));
    }
    let decided = act(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/rights/requests/{id}/decisions"))
            .set_json(decisions),
    )
    .await;
    assert_eq!(decided["summary"]["undecided"], 0);
    let released = act(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{id}/release")),
    )
    .await;
    assert_eq!(released["outcome"], "data_enclosed");
    assert_eq!(released["withheld"], true);
    let body = released.to_string();
    assert!(
        body.contains("Quillington"),
        "the subject's own name is there"
    );
    assert!(
        !body.contains(&third),
        "a third party's name is in the released JSON"
    );
    assert!(
        !body.contains("Hargreaves"),
        "an officer's name is in the released JSON"
    );
    assert!(
        !body.contains("active intelligence operation"),
        "a reason entered the pack"
    );
    assert!(body.contains("[another person]"), "{body}");
    assert_eq!(released["records"].as_array().unwrap().len(), 8);
    assert!(
        released["recipients"][0]["recipient"]
            .as_str()
            .unwrap()
            .contains("Crown Prosecution Service")
    );
    // The case is answered; the release is a disclosure to the subject of
    // every record released, the compile a consultation for subject access.
    let case = act(
        &app,
        &dpo,
        TestRequest::get().uri(&format!("/api/v1/rights/requests/{id}")),
    )
    .await;
    assert_eq!(case["status"], "responded");
    assert_eq!(
        app.count(&format!(
            "audit_events e WHERE e.action = 'rights.release' AND e.operation = 'disclosure' \
                            AND e.recipients = ARRAY['data_subject:{id}']"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
                   WHERE e.action = 'rights.release' AND r.record_type IN ('person', 'event', 'object', 'location')").await,
        8
    );
    assert_eq!(
        app.count(&format!("audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
                            WHERE e.action = 'rights.compile' AND e.purpose = 'subject_access' AND r.record_id = '{subject}'")).await,
        1
    );
    // The PDF: fonts embedded, the subject named, the third party not.
    let (status, pdf) = app
        .send_bytes(
            TestRequest::get()
                .uri(&format!("/api/v1/rights/requests/{id}/response.pdf"))
                .insert_header(bearer(&dpo))
                .insert_header(SAR),
        )
        .await;
    assert_eq!(status, 200);
    let fonts = String::from_utf8_lossy(&pdf);
    assert!(fonts.contains("/FontFile2"), "the fonts are embedded");
    let text = pdf_text(&pdf);
    assert!(text.contains("Quillington"), "{text}");
    assert!(text.contains("Page 1 of"), "{text}");
    assert!(text.contains(case["reference"].as_str().unwrap()));
    assert!(!text.contains(&third), "a third party's name is in the PDF");
}

#[actix_web::test]
async fn who_has_seen_the_subject_is_checked_from_the_pack_alone() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let officer = app.token(Role::Officer).await;
    let subject = id_of(&create_person(&app, &officer, "Verifiable").await);
    for _ in 0..5 {
        as_user(
            &app,
            &officer,
            TestRequest::get().uri(&format!("/api/v1/people/{subject}")),
        )
        .await;
    }
    let id = new_request(&app, &dpo, "2026-12-01").await;
    act(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/rights/requests/{id}/identity"))
            .set_json(json!({"proved_on": "2026-12-01", "means": "Known address"})),
    )
    .await;
    act(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{id}/subjects"))
            .set_json(json!({"person": subject})),
    )
    .await;
    act(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{id}/compile")),
    )
    .await;
    let pack = act(
        &app,
        &dpo,
        TestRequest::get().uri(&format!("/api/v1/rights/requests/{id}/pack")),
    )
    .await;
    let decisions: Vec<Value> = pack["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| json!({"item": i["key"], "decision": "release"}))
        .collect();
    act(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/rights/requests/{id}/decisions"))
            .set_json(decisions),
    )
    .await;
    let released = act(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{id}/release")),
    )
    .await;
    let history = &released["consultations"];
    let entries = history["entries"].as_array().unwrap();
    // Five reads and the creation's... the reads of the record: at least five.
    assert!(entries.len() >= 5, "{history}");
    check_independently(history);
    // A single byte changed in one entry breaks its proof.
    let mut forged = history.clone();
    let canonical = forged["entries"][0]["canonical"]
        .as_str()
        .unwrap()
        .replace("investigation", "safeguarding");
    forged["entries"][0]["canonical"] = json!(canonical);
    let result = std::panic::catch_unwind(|| check_independently(&forged));
    assert!(result.is_err(), "a forged entry passed the check");
}

/// Checks every entry as a subject or the Commissioner would, with nothing
/// but SHA-256, Ed25519 and RFC 6962: no Probity code.
fn check_independently(history: &Value) {
    use ed25519_dalek::Verifier;
    use sha2::{Digest, Sha256};
    let cp = &history["checkpoint"];
    let message = cp["message"].as_str().unwrap();
    let key = ed25519_dalek::VerifyingKey::from_bytes(
        &hex::decode(cp["public_key"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap(),
    )
    .unwrap();
    let sig = ed25519_dalek::Signature::from_bytes(
        &hex::decode(cp["signature"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap(),
    );
    key.verify(message.as_bytes(), &sig)
        .expect("the checkpoint's signature");
    let root = cp["merkle_root"].as_str().unwrap();
    assert!(
        message.contains(&format!("\nmerkle_root={root}\n")),
        "the root is what was signed"
    );
    let size: u64 = cp["position"].as_u64().unwrap();
    assert!(message.contains(&format!("\nposition={size}\n")));
    let h = |parts: &[&[u8]]| -> Vec<u8> {
        let mut d = Sha256::new();
        for p in parts {
            d.update(p);
        }
        d.finalize().to_vec()
    };
    for e in history["entries"].as_array().unwrap() {
        let canonical = e["canonical"].as_str().unwrap();
        let prefix = format!("probity-audit-event-v{}\n", e["canonical_version"]);
        let content = h(&[prefix.as_bytes(), canonical.as_bytes()]);
        assert_eq!(
            hex::encode(&content),
            e["content_hash"].as_str().unwrap(),
            "content hash"
        );
        let position = e["position"].as_i64().unwrap();
        let mut r = h(&[&[0u8], &position.to_be_bytes(), &content]);
        // RFC 9162, section 2.1.3.2.
        let (mut f_n, mut s_n) = (position as u64 - 1, size - 1);
        for p in e["audit_path"].as_array().unwrap() {
            let p = hex::decode(p.as_str().unwrap()).unwrap();
            assert!(s_n != 0, "path too long");
            if f_n & 1 == 1 || f_n == s_n {
                r = h(&[&[1u8], &p, &r]);
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            } else {
                r = h(&[&[1u8], &r, &p]);
            }
            f_n >>= 1;
            s_n >>= 1;
        }
        assert_eq!(s_n, 0);
        assert_eq!(
            hex::encode(r),
            root,
            "entry at {position} does not lead to the signed root"
        );
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

#[actix_web::test]
async fn the_list_puts_overdue_first_and_metrics_count_open_and_overdue_by_kind() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let old = new_request(&app, &dpo, "2026-01-31").await;
    let case = act(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/rights/requests/{old}/identity"))
            .set_json(json!({"proved_on": "2026-01-31", "means": "Passport"})),
    )
    .await;
    // Received 31 January: due on the last day of February.
    assert_eq!(case["clock"]["due_on"], "2026-02-28");
    assert_eq!(case["clock"]["overdue"], true);
    let recent = new_request(&app, &dpo, &today().to_string()).await;
    act(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/rights/requests/{recent}/identity"))
            .set_json(json!({"proved_on": today().to_string(), "means": "Known address"})),
    )
    .await;
    let waiting = new_request(&app, &dpo, &today().to_string()).await;
    let list = act(
        &app,
        &dpo,
        TestRequest::get().uri("/api/v1/rights/requests"),
    )
    .await;
    let order: Vec<String> = list.as_array().unwrap().iter().map(id_of).collect();
    assert_eq!(
        order,
        [old.clone(), recent.clone(), waiting.clone()],
        "overdue, then by days left, then waiting for identity"
    );
    assert_eq!(list[0]["overdue"], true);
    assert!(list[0]["days_left"].as_i64().unwrap() < 0);
    probity::rights::timeliness::measure(&app.state)
        .await
        .unwrap();
    let metrics = app.send(TestRequest::get().uri("/metrics")).await;
    let text = metrics.body.as_str().unwrap().to_owned();
    assert!(
        text.contains("probity_rights_requests_open{kind=\"access\"} 3"),
        "{text}"
    );
    assert!(
        text.contains("probity_rights_requests_overdue{kind=\"access\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("probity_rights_requests_open{kind=\"erasure\"} 0"),
        "{text}"
    );
    // Oversight sees the same counts and never a case.
    let oversight = app.token(Role::Oversight).await;
    let counts = as_user(
        &app,
        &oversight,
        TestRequest::get().uri("/api/v1/oversight/rights"),
    )
    .await;
    assert_eq!(counts.status, 200, "{}", counts.body);
    let access = counts.body["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "access")
        .unwrap();
    assert_eq!(
        (access["open"].as_i64(), access["overdue"].as_i64()),
        (Some(3), Some(1))
    );
    assert!(!counts.body.to_string().contains("Dana Requester"));
    for uri in [
        "/api/v1/rights/requests".to_owned(),
        format!("/api/v1/rights/requests/{old}"),
    ] {
        let refused = as_user(&app, &oversight, TestRequest::get().uri(&uri)).await;
        assert_eq!(refused.status, 403, "{uri}");
    }
}

#[actix_web::test]
async fn bad_requests_are_refused_by_field_and_change_nothing() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let post = |body: Value| {
        TestRequest::post()
            .uri("/api/v1/rights/requests")
            .set_json(body)
    };
    let mut no_date = request_body("");
    no_date["received_on"] = json!("");
    let res = dpo_send(&app, &dpo, post(no_date)).await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["received_on"]);
    let mut early = request_body("2026-11-10");
    early["identity_proved_on"] = json!("2026-11-09");
    early["identity_means"] = json!("Passport");
    let res = dpo_send(&app, &dpo, post(early)).await;
    assert_eq!(res.bad_fields(), ["identity_proved_on"]);
    assert_eq!(res.body["errors"][0]["code"], "before_receipt");
    assert_eq!(
        app.count("rights_requests").await,
        0,
        "nothing half-written"
    );
    // An extension after the first month: refused, saying why.
    let id = new_request(&app, &dpo, "2026-01-31").await;
    act(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/rights/requests/{id}/identity"))
            .set_json(json!({"proved_on": "2026-02-01", "means": "Passport"})),
    )
    .await;
    let res = dpo_send(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{id}/extension"))
            .set_json(json!({"months": 2, "reason": "Records held in three legacy systems"})),
    )
    .await;
    assert_eq!(res.body["errors"][0]["code"], "too_late", "{}", res.body);
    assert!(
        res.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("01/03/2026")
    );
    // A refusal (s.53) needs its reasons; with them it closes the case.
    let res = dpo_send(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{id}/status"))
            .set_json(json!({"status": "refused"})),
    )
    .await;
    assert_eq!(res.bad_fields(), ["reason"]);
    let refused = act(&app, &dpo, TestRequest::post().uri(&format!("/api/v1/rights/requests/{id}/status"))
        .set_json(json!({"status": "refused", "reason": "The fortieth identical request this month: manifestly excessive"}))).await;
    assert_eq!(refused["status"], "refused");
    assert_eq!(
        refused["clock"]["overdue"], false,
        "a closed case is not overdue"
    );
    let res = dpo_send(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{id}/subjects"))
            .set_json(json!({"person": uuid::Uuid::new_v4()})),
    )
    .await;
    res.problem(409, "conflict");
}

#[actix_web::test]
async fn an_extension_in_time_moves_the_date_and_a_pause_stops_the_clock() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let received = today() - chrono::Duration::days(3);
    let id = new_request(&app, &dpo, &received.to_string()).await;
    act(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/rights/requests/{id}/identity"))
            .set_json(json!({"proved_on": received.to_string(), "means": "Passport"})),
    )
    .await;
    let extended = act(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{id}/extension"))
            .set_json(json!({"months": 2, "reason": "Records held in three legacy systems"})),
    )
    .await;
    let due = shared::rights::clock::months_after(received, 3);
    assert_eq!(extended["clock"]["due_on"], due.to_string());
    assert_eq!(extended["clock"]["extension_months"], 2);
    let paused = act(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{id}/pause"))
            .set_json(json!({"reason": "Asked which of two incidents the request means"})),
    )
    .await;
    assert_eq!(paused["clock"]["paused"], true);
    let days = paused["clock"]["days_left"].clone();
    let again = dpo_send(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{id}/pause"))
            .set_json(json!({"reason": "Asked which of two incidents the request means"})),
    )
    .await;
    again.problem(409, "conflict");
    let resumed = act(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{id}/resume")),
    )
    .await;
    assert_eq!(resumed["clock"]["paused"], false);
    assert_eq!(resumed["clock"]["days_left"], days);
    let whats: Vec<&str> = resumed["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["what"].as_str().unwrap())
        .collect();
    assert!(
        whats
            .iter()
            .any(|w| w.starts_with("Time limit extended by 2 months")),
        "{whats:?}"
    );
    assert!(whats.contains(&"Clock paused: waiting for clarification"));
    assert!(
        resumed["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["by"] == "data_protection_officer")
    );
    // Every change is an audited alteration of the case.
    assert!(
        app.count(&format!(
            "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
        WHERE e.operation = 'alteration' AND r.record_id = '{id}'"
        ))
        .await
            >= 4
    );
}

#[actix_web::test]
async fn only_the_dpo_manages_requests_auditors_read_them_and_everyone_else_is_refused() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let id = new_request(&app, &dpo, "2026-11-01").await;
    for role in Role::ALL {
        let token = app.token(role).await;
        let read = app
            .send(
                TestRequest::get()
                    .uri(&format!("/api/v1/rights/requests/{id}"))
                    .insert_header(bearer(&token))
                    .insert_header(SAR),
            )
            .await;
        let create = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/rights/requests")
                    .set_json(request_body("2026-11-01"))
                    .insert_header(bearer(&token))
                    .insert_header(SAR),
            )
            .await;
        match role {
            Role::DataProtectionOfficer => {
                assert_eq!((read.status.as_u16(), create.status.as_u16()), (200, 201));
            }
            Role::Auditor => {
                assert_eq!(read.status, 200, "auditors read cases");
                create.problem(403, "forbidden");
            }
            _ => {
                read.problem(403, "forbidden");
                create.problem(403, "forbidden");
            }
        }
    }
    // Reading a case is a consultation of it.
    assert!(
        app.count(&format!(
            "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
        WHERE e.action = 'rights.read' AND r.record_id = '{id}'"
        ))
        .await
            >= 2
    );
}

#[actix_web::test]
async fn no_records_gets_a_letter_saying_so_and_neither_confirm_nor_deny_says_nothing_more() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let id = new_request(&app, &dpo, "2026-11-01").await;
    act(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/rights/requests/{id}/identity"))
            .set_json(json!({"proved_on": "2026-11-02", "means": "Passport"})),
    )
    .await;
    let none = act(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{id}/release")),
    )
    .await;
    assert_eq!(none["outcome"], "no_data_held");
    assert!(
        none["letter"]
            .to_string()
            .contains("we do not hold any personal data about you")
    );
    let officer = app.token(Role::Officer).await;
    let subject = id_of(&create_person(&app, &officer, "Secretive").await);
    let other = new_request(&app, &dpo, "2026-11-01").await;
    act(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/rights/requests/{other}/identity"))
            .set_json(json!({"proved_on": "2026-11-02", "means": "Passport"})),
    )
    .await;
    act(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{other}/subjects"))
            .set_json(json!({"person": subject})),
    )
    .await;
    act(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{other}/compile")),
    )
    .await;
    act(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!(
                "/api/v1/rights/requests/{other}/neither-confirm-nor-deny"
            ))
            .set_json(
                json!({"reason": "Confirming would alert the subject to a covert investigation"}),
            ),
    )
    .await;
    let ncnd = act(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{other}/release")),
    )
    .await;
    assert_eq!(ncnd["outcome"], "neither_confirm_nor_deny");
    assert_eq!(ncnd["records"], json!([]));
    let text = ncnd.to_string();
    assert!(
        !text.contains("Secretive") && !text.contains("covert"),
        "{text}"
    );
}

#[actix_web::test]
async fn a_merged_duplicate_follows_its_survivor_and_a_recompile_says_what_changed() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let supervisor = app.token(Role::Supervisor).await;
    let survivor = id_of(&create_person(&app, &supervisor, "Doubleday").await);
    let duplicate = id_of(&create_person(&app, &supervisor, "Doubleday").await);
    let id = new_request(&app, &dpo, "2026-11-01").await;
    act(
        &app,
        &dpo,
        TestRequest::put()
            .uri(&format!("/api/v1/rights/requests/{id}/identity"))
            .set_json(json!({"proved_on": "2026-11-02", "means": "Passport"})),
    )
    .await;
    // Attached as the duplicate, then merged: the case follows the survivor.
    act(
        &app,
        &dpo,
        TestRequest::post()
            .uri(&format!("/api/v1/rights/requests/{id}/subjects"))
            .set_json(json!({"person": duplicate})),
    )
    .await;
    let merged = as_user(
        &app,
        &supervisor,
        TestRequest::post()
            .uri(&format!("/api/v1/people/{survivor}/merge"))
            .set_json(json!({"duplicate": duplicate})),
    )
    .await;
    assert_eq!(merged.status, 200, "{}", merged.body);
    let first = act(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{id}/compile")),
    )
    .await;
    let pack = act(
        &app,
        &dpo,
        TestRequest::get().uri(&format!("/api/v1/rights/requests/{id}/pack")),
    )
    .await;
    let people: Vec<&Value> = pack["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["category"] == "person")
        .collect();
    assert_eq!(
        people.len(),
        2,
        "the survivor and the duplicate merged into it"
    );
    assert_eq!(
        first["added"].as_array().unwrap().len(),
        first["items"].as_u64().unwrap() as usize
    );
    // A record linked since is new on the next compile.
    let event = as_user(&app, &supervisor, TestRequest::post().uri("/api/v1/events").set_json(json!({
        "occurred_at": "2026-11-20T08:30",
        "details": {"kind": "occurrence", "classification": "Theft", "officer_in_case": "PC 1"},
        "links": [{"to": {"type": "person", "id": survivor}, "role": "witness", "subject_category": "witness"}]}))).await;
    assert_eq!(event.status, 201, "{}", event.body);
    let second = act(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/rights/requests/{id}/compile")),
    )
    .await;
    assert_eq!(second["number"], 2);
    assert_eq!(second["added"].as_array().unwrap().len(), 1, "{second}");
    assert!(
        second["added"][0]
            .as_str()
            .unwrap()
            .starts_with("Occurrence"),
        "{second}"
    );
    // The consultation history changed too (the merge and the reads since).
    assert!(
        second["changed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "Who has seen your records"),
        "{second}"
    );
}
