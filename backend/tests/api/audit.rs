//! DPA 2018 s.62: one event per operation, with every field, through the
//! auditor's own API; fail closed; no personal values; working contexts.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use shared::permissions::Role;

/// The newest event for `action`, as the auditor API returns it.
async fn last_event(app: &TestApp, action: &str) -> Value {
    let auditor = app.token(Role::Auditor).await;
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/audit/events?limit=200")
                .insert_header(bearer(&auditor))
                .insert_header(("Probity-Justification", "purpose=audit&reference=AUD-1")),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    res.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == action)
        .unwrap_or_else(|| panic!("no {action} event in {}", res.body))
        .clone()
}

fn user_id(app_token_user: &shared::auth::TokenPair) -> String {
    app_token_user.user.id.to_string()
}

/// Asserts the fields every allowed event by a signed-in user carries.
fn assert_common(e: &Value, operation: &str, actor: &str, role: &str) {
    assert_eq!(e["operation"], operation, "{e}");
    assert_eq!(e["outcome"], "allowed");
    assert_eq!(e["actor_type"], "user");
    assert_eq!(e["actor_id"], actor);
    assert_eq!(e["actor_roles"], json!([role]));
    assert!(e["id"].as_str().unwrap().len() == 36);
    assert!(!e["request_id"].as_str().unwrap().is_empty());
    assert_eq!(e["content_hash"].as_str().unwrap().len(), 64);
    // Only the product and its major version are kept.
    assert_eq!(e["user_agent"], "curl/8");
    // Microsecond UTC time, close to now.
    let at: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(e["occurred_at"].clone()).unwrap();
    assert!((chrono::Utc::now() - at).num_seconds().abs() < 60);
}

fn with_agent(req: TestRequest) -> TestRequest {
    req.insert_header(("User-Agent", "curl/8.5.0 (probity-tests)"))
}

/// The events an auditor's search of the log returns, newest first.
async fn search_log(app: &TestApp, auditor: &str, query: &str) -> Vec<Value> {
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!("/api/v1/audit/events?{query}"))
                .insert_header(bearer(auditor))
                .insert_header(("Probity-Justification", "purpose=audit&reference=AUD-9")),
        )
        .await;
    assert_eq!(res.status, 200, "{query}: {}", res.body);
    res.body["items"].as_array().unwrap().to_vec()
}

fn actions(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn collection_records_who_what_and_when() {
    let app = TestApp::spawn().await;
    let officer = app.sign_in(Role::Officer).await;
    let res = app
        .send(with_agent(
            TestRequest::post()
                .uri("/api/v1/people")
                .insert_header(bearer(&officer.access_token))
                .insert_header(justification())
                .set_json(person("Collected")),
        ))
        .await;
    let id = res.body["id"].as_str().unwrap().to_owned();
    let e = last_event(&app, "person.create").await;
    assert_common(&e, "collection", &user_id(&officer), "officer");
    assert_eq!(e["records"], json!([{"type": "person", "id": id}]));
    assert_eq!(e["request_id"], res.header("x-request-id").unwrap());
    // A collection states why, as a read does.
    assert_eq!(e["purpose"], "investigation");
    assert_eq!(e["reference"], "01/12345");
    assert_eq!(e["recipients"], json!([]));
}

#[actix_web::test]
async fn alteration_names_the_fields_changed() {
    let app = TestApp::spawn().await;
    let officer = app.sign_in(Role::Officer).await;
    let id = create_person(&app, &officer.access_token, "Altered").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut changed = person("Altered");
    changed["gender"] = json!("female");
    app.send(with_agent(
        TestRequest::put()
            .uri(&format!("/api/v1/people/{id}"))
            .insert_header(bearer(&officer.access_token))
            .insert_header(justification())
            .set_json(changed),
    ))
    .await;
    let e = last_event(&app, "person.update").await;
    assert_common(&e, "alteration", &user_id(&officer), "officer");
    assert_eq!(e["fields"], json!(["gender"]));
    assert_eq!(e["records"][0]["id"], id);
}

#[actix_web::test]
async fn consultation_records_the_justification_and_every_record_shown() {
    let app = TestApp::spawn().await;
    let officer = app.sign_in(Role::Officer).await;
    let a = create_person(&app, &officer.access_token, "Shownone").await["id"].clone();
    let b = create_person(&app, &officer.access_token, "Showntwo").await["id"].clone();
    app.send(with_agent(
        TestRequest::get()
            .uri("/api/v1/people?surname=shown")
            .insert_header(bearer(&officer.access_token))
            .insert_header((
                "Probity-Justification",
                "purpose=safeguarding&reason=School+raised+a+concern",
            )),
    ))
    .await;
    let e = last_event(&app, "person.list").await;
    assert_common(&e, "consultation", &user_id(&officer), "officer");
    assert_eq!(e["purpose"], "safeguarding");
    assert_eq!(e["reason"], "School raised a concern");
    assert_eq!(e["reference"], Value::Null);
    let ids: Vec<_> = e["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(ids, [a, b]);
}

#[actix_web::test]
async fn sharing_with_an_organisation_is_a_disclosure_naming_the_recipient() {
    let app = TestApp::spawn().await;
    let investigator = app.sign_in(Role::Investigator).await;
    let id = create_person(&app, &investigator.access_token, "Shared").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Recipients come from the maintained list, so nothing typed for the
    // disclosure enters the append-only log.
    let admin = app.token(Role::Admin).await;
    let org = app
        .send(
            TestRequest::post()
                .uri("/api/v1/organisations")
                .insert_header(bearer(&admin))
                .set_json(
                    json!({"name": "Northshire Children's Services", "kind": "local_authority"}),
                ),
        )
        .await;
    assert_eq!(org.status, 201, "{}", org.body);
    let org_id = id_of(&org.body);
    let disclose = |recipient: Value| {
        with_agent(
            TestRequest::post()
                .uri(&format!("/api/v1/people/{id}/disclosures"))
                .insert_header(bearer(&investigator.access_token))
                .insert_header(justification())
                .set_json(json!({ "recipient": recipient })),
        )
    };
    let typed = app
        .send(disclose(json!("Northshire Children's Services")))
        .await;
    assert_eq!(
        typed.problem(422, "validation")["errors"][0]["field"],
        "recipient"
    );
    let unknown = app.send(disclose(json!(uuid::Uuid::new_v4()))).await;
    assert_eq!(
        unknown.problem(422, "validation")["errors"][0]["code"],
        "unknown"
    );
    let res = app.send(disclose(json!(org_id))).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let e = last_event(&app, "person.disclose").await;
    assert_common(&e, "disclosure", &user_id(&investigator), "investigator");
    assert_eq!(e["recipients"], json!([format!("organisation:{org_id}")]));
    // An organisation no longer used is refused as a recipient.
    let retired = app
        .send(
            TestRequest::put()
                .uri(&format!("/api/v1/organisations/{org_id}"))
                .insert_header(bearer(&admin))
                .set_json(json!({"name": "Northshire Children's Services", "kind": "local_authority", "active": false})),
        )
        .await;
    assert_eq!(retired.status, 200, "{}", retired.body);
    let inactive = app.send(disclose(json!(org_id))).await;
    assert_eq!(
        inactive.problem(422, "validation")["errors"][0]["code"],
        "inactive"
    );
    assert_eq!(
        e["fields"],
        json!(["surname", "forenames", "date_of_birth", "gender", "details"])
    );
    assert_eq!(e["purpose"], "investigation");
    assert_eq!(e["reference"], "01/12345");
}

#[actix_web::test]
async fn printing_or_saving_a_profile_is_a_disclosure_of_every_record_in_it() {
    let app = TestApp::spawn().await;
    let officer = app.sign_in(Role::Officer).await;
    let token = &officer.access_token;
    let id = id_of(&create_person(&app, token, "Copied").await);
    let event = app
        .send(
            TestRequest::post()
                .uri("/api/v1/events")
                .insert_header(bearer(token))
                .insert_header(justification())
                .set_json(
                    json!({"occurred_at": "2026-11-01T10:00", "details": {"kind": "occurrence",
                    "classification": "Theft", "officer_in_case": "PC 1"}}),
                ),
        )
        .await;
    assert_eq!(event.status, 201, "{}", event.body);
    let event_id = id_of(&event.body);
    let linked = app
        .send(
            TestRequest::post()
                .uri("/api/v1/links")
                .insert_header(bearer(token))
                .insert_header(justification())
                .set_json(json!({"from": {"type": "person", "id": id},
                    "to": {"type": "event", "id": event_id},
                    "role": "suspect", "subject_category": "suspect"})),
        )
        .await;
    assert_eq!(linked.status, 201, "{}", linked.body);
    let copied_fields = json!([
        "surname",
        "forenames",
        "date_of_birth",
        "gender",
        "details",
        "warning_markers",
        "links"
    ]);
    let records = json!([
        {"type": "person", "id": id},
        {"type": "event", "id": event_id}
    ]);

    // Printed for the officer's own use: no recipient beyond the officer.
    let res = app
        .send(with_agent(
            TestRequest::get()
                .uri(&format!("/api/v1/people/{id}/print"))
                .insert_header(bearer(token))
                .insert_header(justification()),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["person"]["id"], id.as_str());
    assert_eq!(res.body["events"][0]["event"]["id"], event_id.as_str());
    let e = last_event(&app, "person.print").await;
    assert_common(&e, "disclosure", &user_id(&officer), "officer");
    assert_eq!(e["records"], records, "{e}");
    assert_eq!(e["fields"], copied_fields);
    assert_eq!(e["recipients"], json!([]));
    assert_eq!(e["purpose"], "investigation");
    assert_eq!(e["reference"], "01/12345");

    // Saved as a file for the prosecutor: the recipient is named, and the
    // file is named by the record's id, never by the person's name.
    let res = app
        .send(with_agent(
            TestRequest::get()
                .uri(&format!("/api/v1/people/{id}/export?recipient={CPS}"))
                .insert_header(bearer(token))
                .insert_header(justification()),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        res.header("content-disposition").as_deref(),
        Some(format!("attachment; filename=\"probity-person-{id}.json\"").as_str())
    );
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(res.body["person"]["id"], id.as_str());
    let e = last_event(&app, "person.export").await;
    assert_common(&e, "disclosure", &user_id(&officer), "officer");
    assert_eq!(e["records"], records, "{e}");
    assert_eq!(e["fields"], copied_fields);
    assert_eq!(e["recipients"], json!([format!("organisation:{CPS}")]));

    // A recipient typed rather than chosen from the list is refused by
    // name, and nothing is handed over or recorded as handed over.
    let before = app.count("audit_events").await;
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!(
                    "/api/v1/people/{id}/export?recipient=Crown+Prosecution+Service"
                ))
                .insert_header(bearer(token))
                .insert_header(justification()),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(res.bad_fields(), ["recipient"], "{}", res.body);
    assert_eq!(app.count("audit_events").await, before);
}

#[actix_web::test]
async fn merging_duplicates_is_a_combination_and_the_old_id_resolves() {
    let app = TestApp::spawn().await;
    let supervisor = app.sign_in(Role::Supervisor).await;
    let token = &supervisor.access_token;
    let keep = create_person(&app, token, "Kept").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let dup = create_person(&app, token, "Kept").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .send(with_agent(
            TestRequest::post()
                .uri(&format!("/api/v1/people/{keep}/merge"))
                .insert_header(bearer(token))
                .insert_header(justification())
                .set_json(json!({"duplicate": dup})),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let e = last_event(&app, "person.merge").await;
    assert_common(&e, "combination", &user_id(&supervisor), "supervisor");
    assert_eq!(
        e["records"],
        json!([{"type": "person", "id": keep}, {"type": "person", "id": dup}])
    );
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!("/api/v1/people/{dup}"))
                .insert_header(bearer(token))
                .insert_header(justification()),
        )
        .await;
    assert_eq!(res.body["id"], keep.as_str());
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/people?surname=kept")
                .insert_header(bearer(token))
                .insert_header(justification()),
        )
        .await;
    assert_eq!(res.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn restriction_hides_the_person_from_ordinary_processing_and_is_logged() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let dpo = app.sign_in(Role::DataProtectionOfficer).await;
    let id = create_person(&app, &officer, "Contested").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .send(with_agent(
            TestRequest::put()
                .uri(&format!("/api/v1/people/{id}/restriction"))
                .insert_header(bearer(&dpo.access_token))
                .insert_header(justification())
                .set_json(json!({"ground": "accuracy_contested"})),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["restricted"], true);
    let e = last_event(&app, "person.restrict").await;
    assert_common(&e, "restriction", &user_id(&dpo), "data_protection_officer");
    assert_eq!(
        e["fields"],
        json!(["restricted", "ground:accuracy_contested"])
    );
    // The officer no longer sees them, and the refused look is logged.
    app.send(
        TestRequest::get()
            .uri(&format!("/api/v1/people/{id}"))
            .insert_header(bearer(&officer))
            .insert_header(justification()),
    )
    .await
    .problem(404, "not_found");
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/people?surname=contested")
                .insert_header(bearer(&officer))
                .insert_header(justification()),
        )
        .await;
    assert_eq!(res.body["items"], json!([]));
    assert_eq!(
        app.count(&format!(
            "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
             WHERE e.action = 'person.read' AND e.outcome = 'refused' AND r.record_id = '{id}'"
        ))
        .await,
        1
    );
    // Sharing them is refused the same way, and recorded as refused.
    let supervisor = app.token(Role::Supervisor).await;
    app.send(
        TestRequest::post()
            .uri(&format!("/api/v1/people/{id}/disclosures"))
            .insert_header(bearer(&supervisor))
            .insert_header(justification())
            .set_json(json!({"recipient": CPS})),
    )
    .await
    .problem(404, "not_found");
    assert_eq!(
        app.count("audit_events WHERE action = 'person.disclose' AND outcome = 'refused'")
            .await,
        1
    );
    // The DPO still can.
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(&dpo.access_token))
                .insert_header(justification()),
        )
        .await;
    assert_eq!(res.status, 200);
}

#[actix_web::test]
async fn erasure_deletes_the_person_and_their_duplicates_and_the_log_keeps_only_ids() {
    let app = TestApp::spawn().await;
    let supervisor = app.token(Role::Supervisor).await;
    let dpo = app.sign_in(Role::DataProtectionOfficer).await;
    let keep = create_person(&app, &supervisor, "Quixotically").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let dup = create_person(&app, &supervisor, "Quixotically").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.send(
        TestRequest::post()
            .uri(&format!("/api/v1/people/{keep}/merge"))
            .insert_header(bearer(&supervisor))
            .insert_header(justification())
            .set_json(json!({"duplicate": dup})),
    )
    .await;
    let res = app
        .send(with_agent(
            TestRequest::delete()
                .uri(&format!("/api/v1/people/{keep}"))
                .insert_header(bearer(&dpo.access_token))
                .insert_header(justification()),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(app.count("people WHERE surname = 'Quixotically'").await, 0);
    let e = last_event(&app, "erasure.execute").await;
    assert_common(&e, "erasure", &user_id(&dpo), "data_protection_officer");
    let ids: Vec<_> = e["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, [keep.clone(), dup]);
    // The log outlived the erasure, never held the name, and still verifies.
    assert!(app.count("audit_events").await > 3);
    assert_eq!(
        app.count("audit_events e WHERE row_to_json(e)::text ILIKE '%quixotically%'")
            .await,
        0
    );
    probity::audit::seal::seal_once(&app.state).await.unwrap();
    let mut conn = app.state.pool.get().await.unwrap();
    let report = probity::audit::verify::verify(
        &mut conn,
        &app.state.keys,
        None,
        &[],
        probity::audit::verify::OtherLogs::Fail,
    )
    .await
    .unwrap();
    assert!(report.ok, "{report:?}");
}

#[actix_web::test]
async fn if_the_role_loses_its_audit_grant_reads_return_nothing_and_writes_leave_nothing() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let id = create_person(&app, &officer, "Failclosed").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut conn = app.db().await;
    use diesel_async::SimpleAsyncConnection;
    conn.batch_execute("REVOKE INSERT ON audit_events FROM probity_app")
        .await
        .unwrap();
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(&officer))
                .insert_header(justification()),
        )
        .await;
    res.problem(503, "audit_unavailable");
    assert!(!res.body.to_string().contains("Failclosed"));
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/people")
                .insert_header(bearer(&officer))
                .insert_header(justification())
                .set_json(person("Unwritten")),
        )
        .await;
    res.problem(503, "audit_unavailable");
    assert_eq!(app.count("people WHERE surname = 'Unwritten'").await, 0);
    conn.batch_execute("GRANT INSERT ON audit_events TO probity_app")
        .await
        .unwrap();
}

#[actix_web::test]
async fn the_application_role_cannot_change_or_delete_audit_events() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    create_person(&app, &officer, "Logged").await;
    let mut conn = app.db().await;
    use diesel_async::SimpleAsyncConnection;
    for sql in [
        "SET ROLE probity_app; UPDATE audit_events SET action = 'x'",
        "SET ROLE probity_app; DELETE FROM audit_events",
        "SET ROLE probity_app; DELETE FROM audit_chain",
    ] {
        let err = conn.batch_execute(sql).await.unwrap_err();
        assert!(
            err.to_string().contains("permission denied"),
            "{sql}: {err}"
        );
        conn.batch_execute("RESET ROLE").await.unwrap();
    }
}

#[actix_web::test]
async fn after_a_workload_with_distinctive_names_no_audit_column_holds_any_of_them() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let investigator = app.token(Role::Investigator).await;
    let names = ["Xylophonia", "Quenterbury", "Zaphodelle", "Vortigernsson"];
    for name in names {
        let id = create_person(&app, &officer, name).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut body = person(name);
        body["forenames"] = json!(format!("{name}ina"));
        app.send(
            TestRequest::put()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(&officer))
                .insert_header(justification())
                .set_json(body),
        )
        .await;
        app.send(
            TestRequest::get()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(&officer))
                .insert_header(justification()),
        )
        .await;
        app.send(
            TestRequest::post()
                .uri(&format!("/api/v1/people/{id}/disclosures"))
                .insert_header(bearer(&investigator))
                .insert_header(justification())
                .set_json(json!({"recipient": CPS})),
        )
        .await;
    }
    app.send(
        TestRequest::get()
            .uri(&format!("/api/v1/people?surname={}", &names[0][..4]))
            .insert_header(bearer(&officer))
            .insert_header(justification()),
    )
    .await;
    // Searches by name and by mark, copies printed and saved, a vehicle
    // linked to a person, and a merge: every kind of event, none of them
    // holding what was typed or shown.
    let supervisor = app.token(Role::Supervisor).await;
    let ok = |res: &Response, what: &str| assert!(res.status.is_success(), "{what}: {}", res.body);
    let mark = "QZ19XYL";
    let vehicle = app
        .send(
            TestRequest::post()
                .uri("/api/v1/objects")
                .insert_header(bearer(&officer))
                .insert_header(justification())
                .set_json(json!({"details": {"kind": "vehicle", "vrm": mark}})),
        )
        .await;
    ok(&vehicle, "vehicle");
    app.search_caught_up().await;
    let ids: Vec<String> = {
        let res = app
            .send(
                TestRequest::get()
                    .uri(&format!("/api/v1/search/people?q={}", names[0]))
                    .insert_header(bearer(&officer))
                    .insert_header(justification()),
            )
            .await;
        ok(&res, "people search");
        assert_eq!(
            res.body["hits"].as_array().unwrap().len(),
            1,
            "{}",
            res.body
        );
        let mut ids = Vec::new();
        for name in names {
            let res = app
                .send(
                    TestRequest::get()
                        .uri(&format!("/api/v1/people?surname={name}"))
                        .insert_header(bearer(&officer))
                        .insert_header(justification()),
                )
                .await;
            ids.push(res.body["items"][0]["id"].as_str().unwrap().to_owned());
        }
        ids
    };
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!("/api/v1/search/records?q={}", &mark[..5]))
                .insert_header(bearer(&officer))
                .insert_header(justification()),
        )
        .await;
    ok(&res, "records search");
    assert_eq!(res.body["total"], 1, "{}", res.body);
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/links")
                .insert_header(bearer(&officer))
                .insert_header(justification())
                .set_json(json!({"from": {"type": "person", "id": ids[1]},
                    "to": {"type": "object", "id": id_of(&vehicle.body)},
                    "role": "driver"})),
        )
        .await;
    ok(&res, "link");
    for copy in [
        "print",
        "export?recipient=00000000-0000-4000-8000-000000000002",
    ] {
        let res = app
            .send(
                TestRequest::get()
                    .uri(&format!("/api/v1/people/{}/{copy}", ids[1]))
                    .insert_header(bearer(&investigator))
                    .insert_header(justification()),
            )
            .await;
        ok(&res, copy);
    }
    let res = app
        .send(
            TestRequest::post()
                .uri(&format!("/api/v1/people/{}/merge", ids[3]))
                .insert_header(bearer(&supervisor))
                .insert_header(justification())
                .set_json(json!({"duplicate": ids[2]})),
        )
        .await;
    ok(&res, "merge");
    probity::audit::seal::seal_once(&app.state).await.unwrap();
    assert!(app.count("audit_events").await >= 25);
    for action in [
        "person.search",
        "record.search",
        "person.print",
        "person.export",
        "person.merge",
    ] {
        assert!(
            app.count(&format!("audit_events WHERE action = '{action}'"))
                .await
                >= 1,
            "{action} was logged"
        );
    }
    for value in [&mark[..5], &mark[2..]] {
        let found = app
            .count(&format!(
                "audit_events t WHERE row_to_json(t)::text ILIKE '%{value}%'"
            ))
            .await;
        assert_eq!(found, 0, "the mark {value} found in the log");
    }
    for name in names {
        for table in [
            "audit_events",
            "audit_event_records",
            "audit_chain",
            "audit_checkpoints",
        ] {
            let found = app
                .count(&format!(
                    "{table} t WHERE row_to_json(t)::text ILIKE '%{}%'",
                    &name[..6]
                ))
                .await;
            assert_eq!(found, 0, "{name} found in {table}");
        }
    }
}

#[actix_web::test]
async fn a_declared_working_context_justifies_later_reads_and_is_cited_in_the_log() {
    let app = TestApp::spawn().await;
    let officer = app.sign_in(Role::Officer).await;
    let other = app.token(Role::Investigator).await;
    let id = create_person(&app, &officer.access_token, "Contextual").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/working-contexts")
                .insert_header(bearer(&officer.access_token))
                .set_json(json!({"purpose": "investigation", "reference": "OCC/2026/777"})),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let context = res.body["id"].as_str().unwrap().to_owned();
    let read = |token: String, ctx: String| {
        TestRequest::get()
            .uri(&format!("/api/v1/people/{id}"))
            .insert_header(bearer(&token))
            .insert_header(("Probity-Working-Context", ctx))
    };
    assert_eq!(
        app.send(read(officer.access_token.clone(), context.clone()))
            .await
            .status,
        200
    );
    let e = last_event(&app, "person.read").await;
    assert_eq!(e["working_context"], context.as_str());
    assert_eq!(e["purpose"], "investigation");
    assert_eq!(e["reference"], "OCC/2026/777");
    // Someone else cannot cite it, nor can anyone cite a made-up one.
    let res = app.send(read(other, context)).await;
    res.problem(428, "justification_required");
    assert_eq!(res.bad_fields(), ["working_context"]);
    app.send(read(
        officer.access_token.clone(),
        uuid::Uuid::new_v4().to_string(),
    ))
    .await
    .problem(428, "justification_required");
    // A bad declaration names its fields.
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/working-contexts")
                .insert_header(bearer(&officer.access_token))
                .set_json(json!({"purpose": "nosiness"})),
        )
        .await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["purpose", "reference"]);
}

#[actix_web::test]
async fn auditors_find_who_consulted_a_person_and_their_own_search_is_logged() {
    let app = TestApp::spawn().await;
    let officer = app.sign_in(Role::Officer).await;
    let investigator = app.sign_in(Role::Investigator).await;
    let id = create_person(&app, &officer.access_token, "Looked").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = create_person(&app, &officer.access_token, "Ignored").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for token in [
        &officer.access_token,
        &investigator.access_token,
        &investigator.access_token,
    ] {
        app.send(
            TestRequest::get()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(token))
                .insert_header(justification()),
        )
        .await;
    }
    app.send(
        TestRequest::get()
            .uri(&format!("/api/v1/people/{other}"))
            .insert_header(bearer(&officer.access_token))
            .insert_header(justification()),
    )
    .await;
    let auditor = app.sign_in(Role::Auditor).await;
    let query = |q: String| {
        TestRequest::get()
            .uri(&format!("/api/v1/audit/events?{q}"))
            .insert_header(bearer(&auditor.access_token))
            .insert_header(("Probity-Justification", "purpose=audit&reference=AUD-7"))
    };
    let res = app
        .send(query(format!("person={id}&operation=consultation&limit=2")))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let first: Vec<_> = res.body["items"].as_array().unwrap().to_vec();
    assert_eq!(first.len(), 2);
    let cursor = res.body["next_cursor"].as_str().unwrap().to_owned();
    let res = app
        .send(query(format!(
            "person={id}&operation=consultation&limit=2&cursor={cursor}"
        )))
        .await;
    let second = res.body["items"].as_array().unwrap().to_vec();
    assert_eq!(second.len(), 1);
    assert!(res.body["next_cursor"].is_null());
    // Newest first, and the investigator's two reads are there.
    let actors: Vec<_> = first
        .iter()
        .chain(&second)
        .map(|e| e["actor_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        actors,
        [
            user_id(&investigator),
            user_id(&investigator),
            user_id(&officer)
        ]
    );
    // Everything one user did, named by id or by sign-in name, and each
    // event says who in words.
    let res = app
        .send(query(format!("actor={}", user_id(&investigator))))
        .await;
    assert_eq!(res.body["items"].as_array().unwrap().len(), 2);
    let by_name = app.send(query("actor=Investigator".into())).await;
    assert_eq!(by_name.body["items"], res.body["items"]);
    assert_eq!(by_name.body["items"][0]["actor_name"], "investigator");
    let unknown = app.send(query("actor=nobody-here".into())).await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert_eq!(unknown.bad_fields(), ["actor"]);
    // The auditor's own searches are consultations of the log, citing the person.
    let n = app
        .count(&format!(
            "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
             WHERE e.action = 'audit.search' AND e.purpose = 'audit' AND r.record_id = '{id}'"
        ))
        .await;
    assert_eq!(n, 2);
    // Refused attempts: none yet, then an officer's try at the log itself.
    let res = app.send(query("outcome=refused".into())).await;
    assert_eq!(res.body["items"], json!([]));
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/audit/events")
                .insert_header(bearer(&officer.access_token))
                .insert_header(justification()),
        )
        .await;
    assert_eq!(res.status, 403);
    let res = app.send(query("outcome=refused".into())).await;
    let refused = res.body["items"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{}", res.body);
    assert_eq!(refused[0]["actor_id"], user_id(&officer).as_str());
    assert_eq!(refused[0]["outcome"], "refused");
    // A period: everything the investigator did in the last hour, and
    // nothing in an hour that has not come yet.
    let at = |hours: i64| {
        (chrono::Utc::now() + chrono::Duration::hours(hours))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let investigator_id = user_id(&investigator);
    let res = app
        .send(query(format!(
            "actor={investigator_id}&from={}&to={}",
            at(-1),
            at(1)
        )))
        .await;
    assert_eq!(
        res.body["items"].as_array().unwrap().len(),
        2,
        "{}",
        res.body
    );
    let res = app
        .send(query(format!("actor={investigator_id}&from={}", at(1))))
        .await;
    assert_eq!(res.body["items"], json!([]));
    app.send(query("limit=1000".into()))
        .await
        .problem(422, "validation");
}

#[actix_web::test]
async fn verifying_the_log_and_listing_its_checkpoints_are_themselves_logged() {
    let app = TestApp::with_config(|c| c.checkpoint_every_events = 2).await;
    let officer = app.token(Role::Officer).await;
    // Sealed a few at a time, so that several checkpoints are signed.
    for i in 0..6 {
        create_person(&app, &officer, &format!("Checked{}", (b'a' + i) as char)).await;
        while probity::audit::seal::seal_once(&app.state)
            .await
            .unwrap()
            .sealed
            > 0
        {}
    }
    let auditor = app.token(Role::Auditor).await;
    let get = |uri: &str| {
        TestRequest::get()
            .uri(uri)
            .insert_header(bearer(&auditor))
            .insert_header(("Probity-Justification", "purpose=audit&reference=AUD-3"))
    };
    let res = app.send(get("/api/v1/audit/verify")).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["ok"], true, "{}", res.body);
    assert!(res.body["checkpoints_verified"].as_i64().unwrap() >= 2);
    assert_eq!(
        app.count("audit_events WHERE action = 'audit.verify' AND purpose = 'audit'")
            .await,
        1
    );

    // The latest checkpoint alone, then every one from the first, paged.
    let res = app.send(get("/api/v1/audit/checkpoints?limit=1")).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let latest = res.body.as_array().unwrap().clone();
    assert_eq!(latest.len(), 1);
    let res = app
        .send(get("/api/v1/audit/checkpoints?from=0&limit=1000"))
        .await;
    let all = res.body.as_array().unwrap().clone();
    assert!(all.len() >= 2, "{}", res.body);
    assert_eq!(all.last(), latest.first());
    let second = all[1]["position"].as_i64().unwrap();
    let res = app
        .send(get(&format!(
            "/api/v1/audit/checkpoints?from={second}&limit=1"
        )))
        .await;
    assert_eq!(res.body.as_array().unwrap()[0], all[1]);
    assert_eq!(
        app.count("audit_events WHERE action = 'audit.checkpoints'")
            .await,
        3
    );
    app.send(get("/api/v1/audit/checkpoints?limit=0"))
        .await
        .problem(422, "validation");

    // Verifying from a checkpoint starts after it and reaches the head.
    let first = all[0]["position"].as_i64().unwrap();
    let res = app
        .send(get(&format!(
            "/api/v1/audit/verify?from_checkpoint={first}"
        )))
        .await;
    assert_eq!(res.body["ok"], true, "{}", res.body);
    assert_eq!(res.body["from_position"], first + 1);
    assert!(res.body["to_position"].as_i64().unwrap() >= latest[0]["position"].as_i64().unwrap());
    app.send(get("/api/v1/audit/verify?from_checkpoint=999999"))
        .await
        .problem(422, "validation");
}

#[actix_web::test]
async fn an_export_carries_a_proof_an_outsider_can_check() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    for i in 0..5 {
        create_person(&app, &officer, &format!("Exported{}", (b'a' + i) as char)).await;
    }
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let from = (chrono::Utc::now() - chrono::Duration::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let to = (chrono::Utc::now() + chrono::Duration::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!("/api/v1/audit/export?from={from}&to={to}"))
                .insert_header(bearer(&dpo))
                .insert_header((
                    "Probity-Justification",
                    "purpose=audit&reference=ICO-2026-01",
                )),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let export = res.body;
    let events = export["events"].as_array().unwrap();
    assert!(events.len() >= 14, "{} events", events.len());
    // Recompute the chain from the previous hash through every link.
    use sha2::{Digest, Sha256};
    let mut prev = hex::decode(export["previous_chain_hash"].as_str().unwrap()).unwrap();
    for link in export["links"].as_array().unwrap() {
        let mut h = Sha256::new();
        h.update(b"probity-audit-chain-v1\n");
        h.update(&prev);
        h.update(hex::decode(link["content_hash"].as_str().unwrap()).unwrap());
        h.update(link["position"].as_i64().unwrap().to_be_bytes());
        h.update(link["event_seq"].as_i64().unwrap().to_be_bytes());
        prev = h.finalize().to_vec();
        assert_eq!(hex::encode(&prev), link["chain_hash"].as_str().unwrap());
    }
    let checkpoint = &export["checkpoint"];
    assert_eq!(
        hex::encode(&prev),
        checkpoint["chain_hash"].as_str().unwrap()
    );
    use ed25519_dalek::Verifier;
    let key = ed25519_dalek::VerifyingKey::from_bytes(
        &hex::decode(checkpoint["public_key"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap(),
    )
    .unwrap();
    let sig = ed25519_dalek::Signature::from_bytes(
        &hex::decode(checkpoint["signature"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap(),
    );
    key.verify(checkpoint["message"].as_str().unwrap().as_bytes(), &sig)
        .unwrap();
    // Each event's content hash is recomputed from the canonical text it
    // carries, that text holds the event's own values, and its link agrees.
    let event_hash = |canonical: &str| {
        let mut h = Sha256::new();
        h.update(b"probity-audit-event-v2\n");
        h.update(canonical.as_bytes());
        hex::encode(h.finalize())
    };
    let mut texts_checked = 0;
    for e in events {
        let canonical = e["canonical"].as_str().unwrap();
        assert_eq!(e["canonical_version"], 2);
        assert_eq!(event_hash(canonical), e["content_hash"].as_str().unwrap());
        let fields: serde_json::Value = serde_json::from_str(canonical).unwrap();
        // The justification's texts are named by keyed hashes, and each
        // text handed over checks against its hash with its key.
        assert!(fields.get("reference").is_none() && fields.get("reason").is_none());
        for t in e["texts"].as_array().into_iter().flatten() {
            use hmac::Mac;
            let mut mac = hmac::Hmac::<Sha256>::new_from_slice(
                &hex::decode(t["key"].as_str().unwrap()).unwrap(),
            )
            .unwrap();
            mac.update(b"probity-audit-text-v1\n");
            mac.update(t["text"].as_str().unwrap().as_bytes());
            let hash = hex::encode(mac.finalize().into_bytes());
            assert_eq!(t["hash"].as_str().unwrap(), hash);
            let field = format!("{}_hash", t["field"].as_str().unwrap());
            assert_eq!(fields[field.as_str()], hash.as_str());
            assert_eq!(e[t["field"].as_str().unwrap()], t["text"]);
            texts_checked += 1;
        }
        for name in [
            "id",
            "operation",
            "action",
            "outcome",
            "actor_id",
            "purpose",
        ] {
            assert_eq!(fields[name], e[name], "{name} in {canonical}");
        }
        assert_eq!(
            fields["records"].as_array().unwrap().len(),
            e["records"].as_array().unwrap().len()
        );
        let link = export["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["event_seq"] == e["seq"])
            .unwrap();
        assert_eq!(link["content_hash"], e["content_hash"]);
    }
    // The same as CSV, and the export itself is a logged disclosure.
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!(
                    "/api/v1/audit/export?from={from}&to={to}&format=csv"
                ))
                .insert_header(bearer(&dpo))
                .insert_header((
                    "Probity-Justification",
                    "purpose=audit&reference=ICO-2026-01",
                )),
        )
        .await;
    assert_eq!(res.status, 200);
    let csv = res.body.as_str().unwrap();
    assert!(csv.starts_with("chain_position,chain_hash,content_hash,seq,id,occurred_at"));
    assert!(csv.contains("# checkpoint,"));
    // Every row's hash is recomputed from its last cell, the canonical text
    // (quoted as CSV: the JSON holds commas and doubled quotes).
    let rows: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('#'))
        .collect();
    // (The JSON export above is itself an event in this range now.)
    assert_eq!(rows.len(), events.len() + 1);
    for row in rows {
        let content_hash = row.split(',').nth(2).unwrap();
        let start = row.find(",\"{").unwrap() + 2;
        let canonical = row[start..row.len() - 1].replace("\"\"", "\"");
        assert_eq!(event_hash(&canonical), content_hash, "{row}");
    }
    assert!(
        texts_checked >= 5,
        "each person.create here carries the reference"
    );
    // A recipient typed rather than chosen from the list is refused by name.
    let res = app
        .send(
            TestRequest::get()
                .uri(&format!(
                    "/api/v1/audit/export?from={from}&to={to}&recipient=x"
                ))
                .insert_header(bearer(&dpo))
                .insert_header((
                    "Probity-Justification",
                    "purpose=audit&reference=ICO-2026-01",
                )),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(res.bad_fields(), ["recipient"], "{}", res.body);
    assert_eq!(
        app.count("audit_events WHERE action = 'audit.export' AND operation = 'disclosure' AND recipients = ARRAY['organisation:00000000-0000-4000-8000-000000000001']").await,
        2
    );
}

#[actix_web::test]
async fn an_unknown_operation_purpose_or_outcome_is_named_rather_than_an_empty_page() {
    let app = TestApp::spawn().await;
    let auditor = app.token(Role::Auditor).await;
    let res = app
        .send(
            TestRequest::get()
                .uri("/api/v1/audit/events?operation=deletion&purpose=curiosity&outcome=maybe")
                .insert_header(bearer(&auditor))
                .insert_header(("Probity-Justification", "purpose=audit&reference=AUD-2")),
        )
        .await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["operation", "purpose", "outcome"]);
}

#[actix_web::test]
async fn auditors_filter_the_log_by_purpose_and_by_operation() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let id = id_of(&create_person(&app, &officer, "Purposeful").await);
    let other = id_of(&create_person(&app, &officer, "Bystander").await);
    let mut changed = person("Purposeful");
    changed["gender"] = json!("female");
    let res = app
        .send(
            TestRequest::put()
                .uri(&format!("/api/v1/people/{id}"))
                .insert_header(bearer(&officer))
                .insert_header(justification())
                .set_json(changed),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let res = as_user(
        &app,
        &officer,
        TestRequest::get().uri(&format!("/api/v1/people/{id}")),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let safeguarding = (
        "Probity-Justification",
        "purpose=safeguarding&reason=School+raised+a+concern",
    );
    for uri in [
        format!("/api/v1/people/{id}"),
        "/api/v1/people?surname=purposeful".to_owned(),
    ] {
        let res = app
            .send(
                TestRequest::get()
                    .uri(&uri)
                    .insert_header(bearer(&officer))
                    .insert_header(safeguarding),
            )
            .await;
        assert_eq!(res.status, 200, "{uri}: {}", res.body);
    }
    let auditor = app.token(Role::Auditor).await;

    let found = search_log(&app, &auditor, "purpose=safeguarding").await;
    assert_eq!(actions(&found), ["person.list", "person.read"]);
    for e in &found {
        assert_eq!(e["purpose"], "safeguarding", "{e}");
        assert_eq!(e["reason"], "School raised a concern", "{e}");
        assert_eq!(e["records"], json!([{"type": "person", "id": id}]), "{e}");
    }
    // Writes state why too, so they are found by purpose like reads.
    let found = search_log(&app, &auditor, "purpose=investigation").await;
    assert_eq!(
        actions(&found),
        [
            "person.read",
            "person.update",
            "person.create",
            "person.create"
        ]
    );
    assert_eq!(found[0]["purpose"], "investigation");
    assert_eq!(found[0]["reference"], "01/12345");
    assert_eq!(found[0]["records"], json!([{"type": "person", "id": id}]));

    let found = search_log(&app, &auditor, "operation=alteration").await;
    assert_eq!(actions(&found), ["person.update"]);
    assert_eq!(found[0]["fields"], json!(["gender"]));
    let found = search_log(&app, &auditor, "operation=collection").await;
    assert_eq!(actions(&found), ["person.create", "person.create"]);
    let created: Vec<_> = found
        .iter()
        .map(|e| e["records"][0]["id"].clone())
        .collect();
    assert_eq!(created, [json!(other), json!(id)]);
    // The auditor's own searches so far are consultations too.
    let found = search_log(&app, &auditor, "operation=consultation").await;
    assert!(found.iter().all(|e| e["operation"] == "consultation"));
    let (searches, reads): (Vec<Value>, Vec<Value>) = found
        .into_iter()
        .partition(|e| e["action"] == "audit.search");
    assert_eq!(
        actions(&reads),
        ["person.list", "person.read", "person.read"]
    );
    assert_eq!(searches.len(), 4);

    // Filters combine: the alteration stated another purpose.
    let found = search_log(&app, &auditor, "purpose=safeguarding&operation=alteration").await;
    assert_eq!(found, Vec::<Value>::new());
    // And the auditor's own searches are found by the purpose they stated.
    let found = search_log(&app, &auditor, "purpose=audit").await;
    assert_eq!(actions(&found), vec!["audit.search"; 6]);
}

#[actix_web::test]
async fn the_client_address_is_the_socket_peer_and_the_time_keeps_its_microseconds() {
    use chrono::SubsecRound;
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let id = id_of(&create_person(&app, &officer, "Addressed").await);
    for (peer, ip) in [
        ("203.0.113.7:51234", "203.0.113.7"),
        ("[2001:db8::7]:443", "2001:db8::7"),
    ] {
        let before = chrono::Utc::now().trunc_subsecs(6);
        let res = app
            .send(
                TestRequest::get()
                    .uri(&format!("/api/v1/people/{id}"))
                    .insert_header(bearer(&officer))
                    .insert_header(justification())
                    // Any caller can send this header, so it must not be
                    // what the log believes.
                    .insert_header(("X-Forwarded-For", "198.51.100.99"))
                    .peer_addr(peer.parse().unwrap()),
            )
            .await;
        let after = chrono::Utc::now();
        assert_eq!(res.status, 200, "{}", res.body);
        let e = last_event(&app, "person.read").await;
        assert_eq!(e["request_id"], res.header("x-request-id").unwrap());
        assert_eq!(e["client_addr"], ip, "{e}");
        let at: chrono::DateTime<chrono::Utc> =
            serde_json::from_value(e["occurred_at"].clone()).unwrap();
        assert!(before <= at && at <= after, "{before} <= {at} <= {after}");
        // The API shows exactly the instant stored, to the microsecond.
        let stored = app
            .count(&format!(
                "audit_events WHERE id = '{}' AND client_addr = '{ip}' AND occurred_at = '{}'",
                e["id"].as_str().unwrap(),
                at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
            ))
            .await;
        assert_eq!(stored, 1, "{e}");
    }
    // Any one time may fall on a whole millisecond, but not every one of the
    // dozen or more written by now unless microseconds are being dropped.
    let finer_than_milliseconds = app
        .count("audit_events WHERE extract(microseconds FROM occurred_at)::bigint % 1000 <> 0")
        .await;
    assert!(finer_than_milliseconds > 0);
    // Each hash was taken over the time with six decimals, so the chain
    // verifies only if the stored times kept all six.
    let report = app.seal_and_verify().await;
    assert!(report.ok, "{report:?}");
}

#[actix_web::test]
async fn an_import_writes_a_full_collection_event_for_each_person_written() {
    let app = TestApp::spawn().await;
    let supervisor = app.sign_in(Role::Supervisor).await;
    let token = &supervisor.access_token;
    // Up to eight events go in one statement each, more in one statement
    // together: both ways must keep every field.
    let mut uploads = Vec::new();
    for (system, n) in [("AUDIT-SMALL", 3), ("AUDIT-LARGE", 12)] {
        let body: String = (0..n)
            .map(|i| format!("{{\"source_id\": \"{i}\", \"surname\": \"Importee\"}}\n"))
            .collect();
        let res = app
            .send(with_agent(
                TestRequest::post()
                    .uri(&format!("/api/v1/imports/people?source_system={system}"))
                    .insert_header(bearer(token))
                    .insert_header(justification())
                    .insert_header(("content-type", "application/x-ndjson"))
                    .set_payload(body),
            ))
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        assert_eq!(res.body["written"], n, "{}", res.body);
        uploads.push((id_of(&res.body), res.header("x-request-id").unwrap(), n));
    }
    let res = as_user(
        &app,
        token,
        TestRequest::get().uri("/api/v1/people?surname=importee&limit=100"),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let mut imported: Vec<String> = res.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect();
    assert_eq!(imported.len(), 15);

    let auditor = app.token(Role::Auditor).await;
    let events = search_log(
        &app,
        &auditor,
        &format!(
            "operation=collection&actor={}&limit=200",
            user_id(&supervisor)
        ),
    )
    .await;
    let mut collected = Vec::new();
    for e in &events {
        assert_common(e, "collection", &user_id(&supervisor), "supervisor");
        assert_eq!(e["action"], "person.import", "{e}");
        assert_eq!(e["fields"], json!([]), "{e}");
        assert_eq!(e["purpose"], "investigation", "{e}");
        assert_eq!(e["recipients"], json!([]), "{e}");
        let records = e["records"].as_array().unwrap();
        assert_eq!(records.len(), 2, "{e}");
        assert_eq!(records[0]["type"], "person", "{e}");
        assert_eq!(records[1]["type"], "import_batch", "{e}");
        let batch = records[1]["id"].as_str().unwrap();
        let (_, request_id, _) = uploads
            .iter()
            .find(|(id, _, _)| id.as_str() == batch)
            .expect("the event cites one of the uploads");
        assert_eq!(e["request_id"], request_id.as_str(), "{e}");
        collected.push(records[0]["id"].as_str().unwrap().to_owned());
    }
    for (batch, _, n) in &uploads {
        let cited = events
            .iter()
            .filter(|e| e["records"][1]["id"] == batch.as_str())
            .count();
        assert_eq!(cited, *n as usize, "batch {batch}");
    }
    // One event for each person written, and none for anyone else.
    collected.sort();
    imported.sort();
    assert_eq!(collected, imported);
}

#[actix_web::test]
async fn linking_two_records_is_a_combination_naming_both() {
    let app = TestApp::spawn().await;
    let officer = app.sign_in(Role::Officer).await;
    let token = &officer.access_token;
    let person_id = id_of(&create_person(&app, token, "Witnessed").await);
    let occurrence = json!({
        "occurred_at": "2026-11-01T12:00",
        "details": {"kind": "occurrence", "classification": "Criminal damage", "officer_in_case": "PC 9"}
    });
    let event = as_user(
        &app,
        token,
        TestRequest::post()
            .uri("/api/v1/events")
            .set_json(occurrence),
    )
    .await;
    assert_eq!(event.status, 201, "{}", event.body);
    let event_id = id_of(&event.body);
    let link = json!({
        "from": {"type": "person", "id": person_id},
        "to": {"type": "event", "id": event_id},
        "role": "witness",
        "subject_category": "witness"
    });
    let res = app
        .send(with_agent(
            TestRequest::post()
                .uri("/api/v1/links")
                .insert_header(bearer(token))
                .insert_header(justification())
                .set_json(link),
        ))
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let e = last_event(&app, "link.create").await;
    assert_common(&e, "combination", &user_id(&officer), "officer");
    assert_eq!(
        e["records"],
        json!([{"type": "person", "id": person_id}, {"type": "event", "id": event_id}])
    );
    assert_eq!(
        e["fields"],
        json!(["role:witness", "subject_category:witness"])
    );
    assert_eq!(e["request_id"], res.header("x-request-id").unwrap());
    assert_eq!(e["purpose"], "investigation");
    // Who joined what to this person is found from the person.
    let auditor = app.token(Role::Auditor).await;
    let found = search_log(
        &app,
        &auditor,
        &format!("person={person_id}&operation=combination"),
    )
    .await;
    assert_eq!(actions(&found), ["link.create"]);
    assert_eq!(found[0]["id"], e["id"]);
}
