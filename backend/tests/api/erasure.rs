//! Erasure of every copy (DPA 2018 s.47): the plan's promises kept row by
//! row, records of others kept whole minus the person, nothing of them left
//! in any text or JSON column or in the search engine, legal holds, the
//! redaction check, and a restored backup brought back in line.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use shared::permissions::Role;

/// What marks the subject out, looked for everywhere afterwards.
const DISTINCTIVE: [&str; 5] = [
    "quillfeather",
    "zebedee",
    "1961-07-23",
    "23/07/1961",
    "23 july 1961",
];

pub struct Scene {
    pub subject: String,
    pub second: String,
    /// Records only about the subject.
    pub theirs: Vec<String>,
    /// Records shared with the second person.
    pub shared: Vec<String>,
    /// A record about the second person alone that mentions the subject.
    pub mentions: String,
    /// The second person's own record, which nothing touches.
    pub untouched: String,
}

async fn post(app: &TestApp, token: &str, uri: &str, body: Value) -> String {
    let res = as_user(app, token, TestRequest::post().uri(uri).set_json(body)).await;
    assert_eq!(res.status, 201, "{uri}: {}", res.body);
    id_of(&res.body)
}

fn at(person: &str, role: &str, category: &str) -> Value {
    json!({"to": {"type": "person", "id": person}, "role": role, "subject_category": category})
}

fn event(details: Value, links: Vec<Value>) -> Value {
    json!({"occurred_at": "2026-11-20T08:30", "details": details, "links": links})
}

/// A subject with a record of every kind, some shared with a second person,
/// read and disclosed, and named in a justification.
pub async fn scene(app: &TestApp) -> Scene {
    let analyst = app.token(Role::IntelligenceAnalyst).await;
    let investigator = app.token(Role::Investigator).await;
    let person = |forenames: &str, surname: &str, dob: &str| json!({"surname": surname, "forenames": forenames, "date_of_birth": dob, "gender": "male"});
    let subject = post(
        app,
        &analyst,
        "/api/v1/people",
        person("Zebedee", "Quillfeather", "1961-07-23"),
    )
    .await;
    let second = post(
        app,
        &analyst,
        "/api/v1/people",
        person("Amberly", "Thistlewood", "1975-02-14"),
    )
    .await;
    let mut theirs = Vec::new();
    theirs.push(post(app, &analyst, "/api/v1/events", event(
        json!({"kind": "custody", "custody_suite": "Elland Road", "arrested_at": "2026-11-20T08:30",
               "arrived_at": "2026-11-20T09:00", "arrest_reason": "Suspected theft", "detention_authorised_by": "PS 1",
               "rights_given_at": "2026-11-20T09:05"}),
        vec![at(&subject, "detainee", "suspect")],
    )).await);
    theirs.push(post(app, &analyst, "/api/v1/events", event(
        json!({"kind": "stop_search", "search_type": "standard", "legal_power": "pace_s1",
               "grounds": "Seen concealing an item after leaving the shop", "object_of_search": "stolen_property",
               "subject_date_of_birth": "1961-07-23", "self_defined_ethnicity": "W1", "place_type": "street",
               "address": "Briggate, Leeds", "outcome": "no_further_action"}),
        vec![at(&subject, "searched_person", "suspect")],
    )).await);
    theirs.push(
        post(
            app,
            &analyst,
            "/api/v1/events",
            event(
                json!({"kind": "case_file", "file_status": "in_preparation"}),
                vec![at(&subject, "defendant", "suspect")],
            ),
        )
        .await,
    );
    theirs.push(post(app, &analyst, "/api/v1/events", event(
        json!({"kind": "intelligence", "source_evaluation": "B", "intelligence_assessment": "2", "handling": "P",
               "content": [{"nature": "fact", "text": "Zebedee Quillfeather seen at the lock-up on Tuesdays"}],
               "source_identity": "Source 4471"}),
        vec![at(&subject, "subject_of_intelligence", "suspect")],
    )).await);
    let vehicle = post(
        app,
        &analyst,
        "/api/v1/objects",
        json!({"details": {"kind": "vehicle", "vrm": "QF61ZEB"}}),
    )
    .await;
    let home = post(app, &analyst, "/api/v1/locations", json!({"details": {"address": "7 Quarry Row, Leeds", "postcode": "LS6 2QR", "place_type": "dwelling"}})).await;
    let shop = post(app, &analyst, "/api/v1/locations", json!({"details": {"address": "Kirkgate Market, Leeds", "postcode": "LS2 7HY", "place_type": "shop"}})).await;
    for (id, kind, role, who) in [
        (&vehicle, "object", "owner", &subject),
        (&home, "location", "home_address", &subject),
        (&shop, "location", "other", &subject),
        (&shop, "location", "other", &second),
    ] {
        let res = as_user(
            app,
            &analyst,
            TestRequest::post().uri("/api/v1/links").set_json(json!({
            "from": {"type": "person", "id": who}, "to": {"type": kind, "id": id}, "role": role})),
        )
        .await;
        assert_eq!(res.status, 201, "{}", res.body);
    }
    theirs.push(vehicle);
    theirs.push(home);
    let fight = post(app, &analyst, "/api/v1/events", event(
        json!({"kind": "occurrence", "classification": "Assault", "officer_in_case": "PC 3 Hargreaves",
               "narrative": "Zebedee Quillfeather pushed Amberly Thistlewood outside the market. Quillfeather, born 23/07/1961, left on foot."}),
        vec![at(&subject, "suspect", "suspect"), at(&second, "victim", "victim")],
    )).await;
    let mentions = post(app, &analyst, "/api/v1/events", event(
        json!({"kind": "occurrence", "classification": "Theft from a shop", "officer_in_case": "PC 3 Hargreaves",
               "narrative": "Thistlewood said a man called Zebedee Quillfeather was nearby"}),
        vec![at(&second, "complainant", "victim")],
    )).await;
    let untouched = post(app, &analyst, "/api/v1/events", event(
        json!({"kind": "occurrence", "classification": "Criminal damage", "officer_in_case": "PC 9",
               "narrative": "Thistlewood reported a broken window"}),
        vec![at(&second, "complainant", "victim")],
    )).await;
    // Seen, shared, and named in a justification typed by an officer.
    let profile = app
        .send(
            TestRequest::get()
                .uri(&format!("/api/v1/people/{subject}/profile"))
                .insert_header(bearer(&investigator))
                .insert_header((
                    "Probity-Justification",
                    "purpose=investigation&reason=Checking+Zebedee+Quillfeather+whereabouts",
                )),
        )
        .await;
    assert_eq!(profile.status, 200, "{}", profile.body);
    let shared_with_cps = as_user(
        app,
        &investigator,
        TestRequest::post()
            .uri(&format!("/api/v1/people/{subject}/disclosures"))
            .set_json(json!({"recipient": CPS})),
    )
    .await;
    assert_eq!(shared_with_cps.status, 200, "{}", shared_with_cps.body);
    Scene {
        subject,
        second,
        theirs,
        shared: vec![fight, shop],
        mentions,
        untouched,
    }
}

pub async fn dpo_send(app: &TestApp, dpo: &str, req: TestRequest) -> Response {
    app.send(req.insert_header(bearer(dpo)).insert_header((
        "Probity-Justification",
        "purpose=data_subject_rights&reference=ERA-TEST",
    )))
    .await
}

/// Every text, JSON and array column of every table, searched for the
/// subject's values: (table.column, rows) for each hit.
pub async fn scan(app: &TestApp, values: &[&str]) -> Vec<(String, i64)> {
    #[derive(diesel::QueryableByName)]
    struct Col {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        c: String,
    }
    use diesel_async::RunQueryDsl;
    let mut conn = app.db().await;
    let cols: Vec<Col> = diesel::sql_query(
        "SELECT c.table_name::text AS t, c.column_name::text AS c FROM information_schema.columns c \
         JOIN information_schema.tables x USING (table_schema, table_name) \
         WHERE c.table_schema = 'public' AND x.table_type = 'BASE TABLE' \
           AND (c.data_type IN ('text', 'character varying', 'json', 'jsonb') OR c.data_type = 'ARRAY')",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert!(cols.len() > 60, "every table's columns: {}", cols.len());
    let mut found = Vec::new();
    for col in cols {
        let any: Vec<String> = values
            .iter()
            .map(|v| format!("\"{}\"::text ILIKE '%{}%'", col.c, v))
            .collect();
        let n = app
            .count(&format!("\"{}\" WHERE {}", col.t, any.join(" OR ")))
            .await;
        if n > 0 {
            found.push((format!("{}.{}", col.t, col.c), n));
        }
    }
    found
}

async fn engine_traces(app: &TestApp, ids: Vec<String>) -> Vec<probity::search::traces::Trace> {
    let probe = probity::search::traces::TraceProbe {
        ids: ids.iter().map(|i| i.parse().unwrap()).collect(),
        words: vec!["quillfeather".into(), "zebedee".into()],
        values: vec!["quillfeather".into(), "1961-07-23".into()],
    };
    app.state.search.engine.traces(probe).await.unwrap()
}

fn ids_in(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["record"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn erasure_keeps_its_plan_row_by_row_and_leaves_no_trace_anywhere() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let s = scene(&app).await;
    app.search_caught_up().await;
    let before = scan(&app, &DISTINCTIVE).await;
    assert!(
        before.iter().any(|(p, _)| p == "people.surname")
            && before.iter().any(|(p, _)| p == "records.details")
            && before.iter().any(|(p, _)| p == "audit_texts.text"),
        "the scan sees the subject where they are: {before:?}"
    );
    let mut everything = vec![s.subject.clone()];
    everything.extend(s.theirs.clone());
    assert!(
        !engine_traces(&app, everything.clone()).await.is_empty(),
        "the engine's own probe finds the subject before the erasure"
    );

    let plan = dpo_send(
        &app,
        &dpo,
        TestRequest::post()
            .uri("/api/v1/erasure-plans")
            .set_json(json!({"person": s.subject})),
    )
    .await;
    assert_eq!(plan.status, 201, "{}", plan.body);
    let plan = plan.body;
    let pid = id_of(&plan);
    let mut delete = ids_in(&plan["delete"]);
    delete.sort();
    let mut expected = everything.clone();
    expected.sort();
    assert_eq!(
        delete, expected,
        "the person and every record only about them"
    );
    let unlink = ids_in(&plan["unlink"]);
    for id in s.shared.iter().chain([&s.mentions]) {
        assert!(
            unlink.contains(id),
            "{id} kept without the person: {unlink:?}"
        );
    }
    assert!(!unlink.contains(&s.untouched));
    let passages = plan["passages"].as_array().unwrap().clone();
    assert!(passages.len() >= 2, "{passages:?}");
    assert_eq!(plan["unconfirmed"], passages.len());
    assert!(plan["values_sought"].as_u64().unwrap() >= 4);
    assert!(
        plan.get("values").is_none(),
        "values are counted, never listed"
    );

    // Unconfirmed passages block the run, and nothing moves.
    let early = dpo_send(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/erasure-plans/{pid}/execute")),
    )
    .await;
    early.problem(409, "conflict");
    assert_eq!(early.bad_fields().len(), passages.len());
    assert_eq!(app.count("people WHERE surname = 'Quillfeather'").await, 1);

    for (n, p) in passages.iter().enumerate() {
        // The held text itself still names them: refused, showing where.
        let refused = dpo_send(
            &app,
            &dpo,
            TestRequest::put()
                .uri(&format!("/api/v1/erasure-plans/{pid}/passages/{n}"))
                .set_json(json!({"text": p["held"]})),
        )
        .await;
        refused.problem(422, "validation");
        assert_eq!(refused.bad_fields(), ["text"]);
        assert!(
            refused.body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("characters"),
            "{}",
            refused.body
        );
        let ok = dpo_send(
            &app,
            &dpo,
            TestRequest::put()
                .uri(&format!("/api/v1/erasure-plans/{pid}/passages/{n}"))
                .set_json(json!({"text": p["proposed"]})),
        )
        .await;
        assert_eq!(ok.status, 200, "{}", ok.body);
    }
    let fight_proposed = passages
        .iter()
        .find(|p| p["record"]["id"] == s.shared[0].as_str() && p["field"] == "details.narrative")
        .expect("the shared occurrence's narrative is a passage");
    assert_eq!(
        fight_proposed["proposed"],
        "[erased] pushed Amberly Thistlewood outside the market. [erased], born [erased], left on foot."
    );

    let done = dpo_send(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/erasure-plans/{pid}/execute")),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let cert = &done.body["certificate"];
    assert_eq!(cert["probe"]["result"], "0 traces", "{}", cert["probe"]);
    assert!(cert["probe"]["tables"].as_u64().unwrap() > 20);
    let erased: usize = cert["erased"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["count"].as_u64().unwrap() as usize)
        .sum();
    assert_eq!(erased, everything.len());
    let certificate = cert["id"].as_str().unwrap().to_owned();

    // Row by row: what the plan said would go is gone.
    for id in &everything {
        assert_eq!(
            app.count(&format!("people WHERE id = '{id}'")).await
                + app.count(&format!("records WHERE id = '{id}'")).await
                + app
                    .count(&format!("links WHERE from_id = '{id}' OR to_id = '{id}'"))
                    .await,
            0,
            "{id}"
        );
    }
    // The second person's records stay whole, minus the subject.
    for id in s.shared.iter().chain([&s.mentions, &s.untouched]) {
        assert_eq!(app.count(&format!("records WHERE id = '{id}'")).await, 1);
        assert!(
            app.count(&format!(
                "links WHERE (from_id = '{id}' OR to_id = '{id}') AND (from_id = '{0}' OR to_id = '{0}')",
                s.second
            ))
            .await
                == 1
        );
    }
    assert_eq!(
        app.count(&format!(
            "records WHERE id = '{}' AND details->>'narrative' = '[erased] pushed Amberly Thistlewood outside the market. [erased], born [erased], left on foot.'",
            s.shared[0]
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "records WHERE id = '{}' AND version = 1",
            s.untouched
        ))
        .await,
        1,
        "a record that never named them is not touched"
    );
    assert_eq!(
        app.count(&format!("people WHERE id = '{}'", s.second))
            .await,
        1
    );

    // Nothing of the subject in any text or JSON column, nor in the engine.
    let after = scan(&app, &DISTINCTIVE).await;
    assert!(after.is_empty(), "left behind: {after:?}");
    assert!(
        engine_traces(&app, everything).await.is_empty(),
        "the engine holds nothing of them, deleted documents included"
    );
    let officer = app.token(Role::Officer).await;
    for uri in [
        "/api/v1/search/people?q=zebedee+quillfeather",
        "/api/v1/search/records?q=quillfeather",
    ] {
        let found = as_user(&app, &officer, TestRequest::get().uri(uri)).await;
        assert_eq!(found.status, 200, "{}", found.body);
        assert!(
            !found
                .body
                .to_string()
                .to_lowercase()
                .contains("quillfeather")
        );
        assert!(!found.body.to_string().contains(&s.subject));
    }

    // The certificate's hash is in the log, and the log still verifies.
    let report = app.seal_and_verify().await;
    assert!(report.ok, "{report:?}");
    let issued = dpo_send(
        &app,
        &dpo,
        TestRequest::get().uri(&format!("/api/v1/erasure-certificates/{certificate}")),
    )
    .await;
    assert_eq!(issued.status, 200, "{}", issued.body);
    let sha = issued.body["sha256"].as_str().unwrap();
    assert_eq!(
        app.count(&format!(
            "audit_events WHERE action = 'erasure.certificate' AND 'sha256:{sha}' = ANY(fields)"
        ))
        .await,
        1
    );
    assert!(
        issued.body["certificate"]["audit_position"]
            .as_i64()
            .is_some()
    );
    let (status, pdf) = app
        .send_bytes(
            TestRequest::get()
                .uri(&format!(
                    "/api/v1/erasure-certificates/{certificate}/certificate.pdf"
                ))
                .insert_header(bearer(&dpo))
                .insert_header(justification()),
        )
        .await;
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF"));
    // The plan, once certified, holds ids only.
    assert_eq!(
        app.count(&format!(
            "erasure_plans WHERE id = '{pid}' AND plan::text ILIKE '%thistlewood%'"
        ))
        .await,
        0
    );
}

#[actix_web::test]
async fn a_held_person_is_refused_and_a_hold_placed_after_the_plan_stops_it_naming_the_hold() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let s = scene(&app).await;
    // A hold on the person: no plan, 409 naming it.
    let hold = dpo_send(
        &app,
        &dpo,
        TestRequest::post()
            .uri("/api/v1/legal-holds")
            .set_json(json!({
            "record": {"type": "person", "id": s.subject},
            "reason": "Evidence in R v Thistlewood, trial listed",
            "review_on": "2027-06-01"})),
    )
    .await;
    assert_eq!(hold.status, 201, "{}", hold.body);
    let hold_id = id_of(&hold.body);
    let refused = dpo_send(
        &app,
        &dpo,
        TestRequest::delete().uri(&format!("/api/v1/people/{}", s.subject)),
    )
    .await;
    refused.problem(409, "conflict");
    assert!(refused.body["detail"].as_str().unwrap().contains(&hold_id));
    assert_eq!(app.count("people WHERE surname = 'Quillfeather'").await, 1);
    let lifted = dpo_send(
        &app,
        &dpo,
        TestRequest::delete().uri(&format!("/api/v1/legal-holds/{hold_id}")),
    )
    .await;
    assert_eq!(lifted.status, 200, "{}", lifted.body);

    // Planned; then a hold on the custody record; the run is refused whole.
    let plan = dpo_send(
        &app,
        &dpo,
        TestRequest::post()
            .uri("/api/v1/erasure-plans")
            .set_json(json!({"person": s.subject})),
    )
    .await;
    let pid = id_of(&plan.body);
    for (n, p) in plan.body["passages"].as_array().unwrap().iter().enumerate() {
        let ok = dpo_send(
            &app,
            &dpo,
            TestRequest::put()
                .uri(&format!("/api/v1/erasure-plans/{pid}/passages/{n}"))
                .set_json(json!({"text": p["proposed"]})),
        )
        .await;
        assert_eq!(ok.status, 200, "{}", ok.body);
    }
    let custody = &s.theirs[0];
    let late = dpo_send(
        &app,
        &dpo,
        TestRequest::post()
            .uri("/api/v1/legal-holds")
            .set_json(json!({
            "record": {"type": "event", "id": custody},
            "reason": "Custody record needed for the IOPC inquiry",
            "review_on": "2027-03-01"})),
    )
    .await;
    let late_id = id_of(&late.body);
    let stopped = dpo_send(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/erasure-plans/{pid}/execute")),
    )
    .await;
    stopped.problem(409, "conflict");
    assert!(
        stopped.body["detail"].as_str().unwrap().contains(&late_id),
        "{}",
        stopped.body
    );
    assert_eq!(app.count("people WHERE surname = 'Quillfeather'").await, 1);
    assert_eq!(
        app.count(&format!("records WHERE id IN ('{}')", s.theirs.join("','")))
            .await,
        s.theirs.len() as i64,
        "nothing half-done"
    );

    // A new plan restricts the held record (and the person it names)
    // instead of erasing them; everything else goes.
    let plan = dpo_send(
        &app,
        &dpo,
        TestRequest::post()
            .uri("/api/v1/erasure-plans")
            .set_json(json!({"person": s.subject})),
    )
    .await;
    let restrict = ids_in(&plan.body["restrict"]);
    assert!(
        restrict.contains(custody) && restrict.contains(&s.subject),
        "{restrict:?}"
    );
    let pid = id_of(&plan.body);
    for (n, p) in plan.body["passages"].as_array().unwrap().iter().enumerate() {
        dpo_send(
            &app,
            &dpo,
            TestRequest::put()
                .uri(&format!("/api/v1/erasure-plans/{pid}/passages/{n}"))
                .set_json(json!({"text": p["proposed"]})),
        )
        .await;
    }
    let done = dpo_send(
        &app,
        &dpo,
        TestRequest::post().uri(&format!("/api/v1/erasure-plans/{pid}/execute")),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(
        app.count(&format!(
            "records WHERE id = '{custody}' AND restricted_at IS NOT NULL AND restriction_reason LIKE 'Legal hold {late_id}%'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("people WHERE surname = 'Quillfeather' AND restricted_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        done.body["certificate"]["restricted"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    for id in &s.theirs[1..] {
        assert_eq!(
            app.count(&format!("records WHERE id = '{id}'")).await,
            0,
            "{id}"
        );
    }
}

/// Plans the erasure of `person`, confirms every proposed redaction and
/// runs it; the certificate.
pub async fn erase_confirmed(app: &TestApp, dpo: &str, person: &str) -> Value {
    let plan = dpo_send(
        app,
        dpo,
        TestRequest::post()
            .uri("/api/v1/erasure-plans")
            .set_json(json!({"person": person})),
    )
    .await;
    assert_eq!(plan.status, 201, "{}", plan.body);
    let pid = id_of(&plan.body);
    for (n, p) in plan.body["passages"].as_array().unwrap().iter().enumerate() {
        let ok = dpo_send(
            app,
            dpo,
            TestRequest::put()
                .uri(&format!("/api/v1/erasure-plans/{pid}/passages/{n}"))
                .set_json(json!({"text": p["proposed"]})),
        )
        .await;
        assert_eq!(ok.status, 200, "{}", ok.body);
    }
    let done = dpo_send(
        app,
        dpo,
        TestRequest::post().uri(&format!("/api/v1/erasure-plans/{pid}/execute")),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    done.body["certificate"].clone()
}
