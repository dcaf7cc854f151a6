//! Objects, locations and events: create, read, update, list, link, the
//! rules, permissions by handling code, concurrency and idempotent retries.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use shared::permissions::Role;

async fn post(app: &TestApp, token: &str, uri: &str, body: Value) -> Response {
    as_user(app, token, TestRequest::post().uri(uri).set_json(body)).await
}

async fn get(app: &TestApp, token: &str, uri: &str) -> Response {
    as_user(app, token, TestRequest::get().uri(uri)).await
}

async fn actions(app: &TestApp, action: &str) -> i64 {
    app.count(&format!("audit_events WHERE action = '{action}'"))
        .await
}

#[actix_web::test]
async fn an_occurrence_is_recorded_with_its_victim_read_listed_and_updated() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let victim = id_of(&create_person(&app, &officer, "Victimson").await);
    let body = json!({
        "occurred_at": "2026-11-26T22:15",
        "details": {
            "kind": "occurrence", "offence_code": "008/01", "classification": "Theft from the person",
            "officer_in_case": "PC 1234", "narrative": "Phone snatched at the bus station"
        },
        "links": [{"to": {"type": "person", "id": victim}, "role": "victim", "subject_category": "victim"}]
    });
    let res = post(&app, &officer, "/api/v1/events", body.clone()).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let id = id_of(&res.body);
    assert!(res.body["reference"].as_str().unwrap().starts_with("OCC/"));
    assert_eq!(res.body["summary"], "Theft from the person (008/01)");
    assert_eq!(res.body["links"][0]["role"], "victim");
    assert_eq!(res.header("etag").as_deref(), Some("\"v1\""));
    assert_eq!(actions(&app, "event.create").await, 1);
    assert_eq!(actions(&app, "link.create").await, 1);

    let read = get(&app, &officer, &format!("/api/v1/events/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!(
        read.body["details"]["narrative"],
        "Phone snatched at the bus station"
    );
    assert_eq!(read.body["links"][0]["to"]["id"], victim.as_str());

    let list = get(&app, &officer, "/api/v1/events?kind=occurrence").await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    let none = get(&app, &officer, "/api/v1/events?kind=custody").await;
    assert_eq!(none.body["items"], json!([]));

    let mut changed = body.clone();
    changed["details"]["status"] = json!("under_investigation");
    changed.as_object_mut().unwrap().remove("links");
    let put = |etag: &'static str, body: Value| {
        TestRequest::put()
            .uri(&format!("/api/v1/events/{id}"))
            .insert_header(("If-Match", etag))
            .set_json(body)
    };
    let updated = as_user(&app, &officer, put("\"v1\"", changed.clone())).await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(updated.body["status"], "under_investigation");
    assert_eq!(updated.body["version"], 2);
    let e: Vec<String> = {
        let mut conn = app.db().await;
        use diesel_async::RunQueryDsl;
        diesel::sql_query("SELECT array_to_string(fields, ',') AS f FROM audit_events WHERE action = 'event.update'")
            .load::<Fields>(&mut conn)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.f)
            .collect()
    };
    assert_eq!(e, ["details.status"]);
    // A colleague's stale copy is refused rather than overwriting.
    as_user(&app, &officer, put("\"v1\"", changed))
        .await
        .problem(412, "precondition_failed");
}

#[derive(diesel::QueryableByName)]
struct Fields {
    #[diesel(sql_type = diesel::sql_types::Text)]
    f: String,
}

#[actix_web::test]
async fn a_strip_search_of_a_child_without_place_or_appropriate_adult_is_refused_and_nothing_is_written()
 {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let child = id_of(&create_person(&app, &officer, "Young").await);
    let mut body = child_strip_search(&child);
    body["details"]["place_type"] = Value::Null;
    body["details"]["address"] = json!("");
    body["details"]["appropriate_adult"] = json!("");
    let res = post(&app, &officer, "/api/v1/events", body).await;
    res.problem(422, "validation");
    let fields = res.bad_fields();
    for f in [
        "details.place_type",
        "details.address",
        "details.appropriate_adult",
        "details.officers_present",
    ] {
        assert!(
            fields.contains(&f.to_owned()),
            "{f} missing from {fields:?}"
        );
    }
    assert_eq!(app.count("records").await, 0);
    assert_eq!(app.count("links").await, 0);
    assert_eq!(actions(&app, "event.create").await, 0);

    let mut vehicle = child_strip_search(&child);
    vehicle["details"]["place_type"] = json!("police_vehicle");
    let res = post(&app, &officer, "/api/v1/events", vehicle).await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["details.place_type"]);
    assert_eq!(
        res.body["errors"][0]["code"],
        "not_permitted_for_intimate_search"
    );

    let ok = post(&app, &officer, "/api/v1/events", child_strip_search(&child)).await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    assert_eq!(ok.body["details"]["postcode"], "LS2 7HX");
    let profile = get(&app, &officer, &format!("/api/v1/people/{child}/profile")).await;
    assert_eq!(profile.status, 200, "{}", profile.body);
    assert_eq!(profile.body["events"][0]["event"]["kind"], "stop_search");
    assert_eq!(profile.body["events"][0]["role"], "searched_person");
}

#[actix_web::test]
async fn the_authorising_rank_for_a_childs_strip_search_is_configurable() {
    let app = TestApp::with_config(|c| {
        c.child_intimate_search_rank = shared::codes_police::Rank::Superintendent
    })
    .await;
    let officer = app.token(Role::Officer).await;
    let child = id_of(&create_person(&app, &officer, "Young").await);
    let res = post(&app, &officer, "/api/v1/events", child_strip_search(&child)).await;
    res.problem(422, "validation");
    assert_eq!(res.bad_fields(), ["details.authorising_rank"]);
    let policy = get(&app, &officer, "/api/v1/policy").await;
    assert_eq!(
        policy.body["child_intimate_exposure_rank"],
        "superintendent"
    );
}

#[actix_web::test]
async fn intelligence_handled_under_conditions_is_hidden_from_officers_and_the_source_only_shown_to_analysts()
 {
    let app = TestApp::spawn().await;
    let analyst = app.token(Role::IntelligenceAnalyst).await;
    let officer = app.token(Role::Officer).await;
    let investigator = app.token(Role::Investigator).await;
    let subject = id_of(&create_person(&app, &analyst, "Lockup").await);
    let c = post(
        &app,
        &analyst,
        "/api/v1/events",
        intelligence("C", &subject),
    )
    .await;
    assert_eq!(c.status, 201, "{}", c.body);
    assert_eq!(c.body["summary"], "Intelligence graded B2C");
    assert_eq!(
        c.body["details"]["source_identity"],
        "Source 4471 (handler DC Okafor)"
    );
    let p = post(
        &app,
        &analyst,
        "/api/v1/events",
        intelligence("P", &subject),
    )
    .await;
    let (c_id, p_id) = (id_of(&c.body), id_of(&p.body));

    // The source never sits in the report row.
    assert_eq!(
        app.count("records WHERE details::text LIKE '%Okafor%'")
            .await,
        0
    );
    assert_eq!(app.count("intelligence_sources").await, 2);

    get(&app, &officer, &format!("/api/v1/events/{c_id}"))
        .await
        .problem(404, "not_found");
    assert_eq!(
        app.count(&format!(
            "audit_events e JOIN audit_event_records r ON r.event_seq = e.seq \
             WHERE e.outcome = 'refused' AND e.action = 'event.read' AND r.record_id = '{c_id}'"
        ))
        .await,
        1
    );
    let seen = get(&app, &officer, &format!("/api/v1/events/{p_id}")).await;
    assert_eq!(seen.status, 200);
    assert!(
        seen.body["details"].get("source_identity").is_none(),
        "{}",
        seen.body
    );
    let list = get(&app, &officer, "/api/v1/events?kind=intelligence").await;
    let ids: Vec<_> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect();
    assert_eq!(ids, std::slice::from_ref(&p_id));
    let profile = get(&app, &officer, &format!("/api/v1/people/{subject}/profile")).await;
    assert_eq!(profile.body["events"].as_array().unwrap().len(), 1);

    let inv = get(&app, &investigator, &format!("/api/v1/events/{c_id}")).await;
    assert_eq!(inv.status, 200);
    assert!(inv.body["details"].get("source_identity").is_none());

    let mut bad = intelligence("C", &subject);
    bad["details"]["handling_conditions"] = json!("");
    bad["details"]["content"] = json!([]);
    let res = post(&app, &analyst, "/api/v1/events", bad).await;
    assert_eq!(
        res.bad_fields(),
        ["details.handling_conditions", "details.content"]
    );
}

#[actix_web::test]
async fn custody_case_file_object_and_location_rules_are_enforced_field_by_field() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::CustodyOfficer).await;
    let custody = json!({
        "occurred_at": "2026-11-27T01:00",
        "details": {
            "kind": "custody", "custody_suite": "Elland Road", "arrested_at": "2026-11-27T01:00",
            "arrived_at": "2026-11-27T00:30", "arrest_reason": "Suspected burglary",
            "detention_authorised_by": "PS 55", "rights_given_at": "2026-11-27T01:40",
            "search": "strip", "released_at": "2026-11-27T09:00"
        }
    });
    let res = post(&app, &officer, "/api/v1/events", custody).await;
    assert_eq!(
        res.bad_fields(),
        [
            "details.arrived_at",
            "details.release_outcome",
            "details.search_authorised_by"
        ]
    );
    let case = json!({"occurred_at": "2026-11-27T01:00", "details": {"kind": "case_file", "file_status": "at_court"}});
    let res = post(&app, &officer, "/api/v1/events", case).await;
    assert_eq!(res.bad_fields(), ["details.charges", "details.court"]);

    let exhibit = json!({"details": {"kind": "property", "description": "Crowbar", "exhibit_reference": "JB/1"}});
    let res = post(&app, &officer, "/api/v1/objects", exhibit).await;
    assert_eq!(res.bad_fields(), ["details.chain_of_custody"]);
    let car = post(
        &app,
        &officer,
        "/api/v1/objects",
        json!({"details": {"kind": "vehicle", "vrm": "ab12 cde", "make": "Ford", "model": "Fiesta", "colour": "Blue"}}),
    )
    .await;
    assert_eq!(car.status, 201, "{}", car.body);
    assert_eq!(car.body["details"]["vrm"], "AB12CDE");
    let found = get(&app, &officer, "/api/v1/objects?kind=vehicle&lookup=AB12").await;
    assert_eq!(
        found.body["items"][0]["summary"],
        "AB12CDE Blue Ford Fiesta"
    );
    let none = get(&app, &officer, "/api/v1/objects?lookup=ZZ").await;
    assert_eq!(none.body["items"], json!([]));

    let place = post(
        &app,
        &officer,
        "/api/v1/locations",
        json!({"details": {"address": "1 Park Row, Leeds", "postcode": "ls14ap", "place_type": "shop"}}),
    )
    .await;
    assert_eq!(place.status, 201, "{}", place.body);
    assert_eq!(place.body["summary"], "1 Park Row, Leeds, LS1 4AP");
    let near = get(&app, &officer, "/api/v1/locations?postcode=LS1%204").await;
    assert_eq!(near.body["items"].as_array().unwrap().len(), 1);
    let bad = post(
        &app,
        &officer,
        "/api/v1/locations",
        json!({"details": {"postcode": "nonsense", "place_type": "shop"}}),
    )
    .await;
    assert_eq!(bad.bad_fields(), ["details.postcode"]);
    let empty = post(
        &app,
        &officer,
        "/api/v1/locations",
        json!({"details": {"place_type": "street"}}),
    )
    .await;
    assert_eq!(empty.bad_fields(), ["details.address"]);
}

#[actix_web::test]
async fn a_tablet_retry_with_the_same_idempotency_key_never_creates_a_duplicate() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let body = json!({"details": {"kind": "weapon", "weapon_type": "Knife", "description": "Kitchen knife, 20cm"}});
    let send = |key: &'static str, body: Value| {
        TestRequest::post()
            .uri("/api/v1/objects")
            .insert_header(("Idempotency-Key", key))
            .set_json(body)
    };
    // Two at once, as a tablet's retry can overlap the original.
    let (a, b) = tokio::join!(
        as_user(&app, &officer, send("tablet-7-submit-1", body.clone())),
        as_user(&app, &officer, send("tablet-7-submit-1", body.clone()))
    );
    assert_eq!(
        (a.status.as_u16(), b.status.as_u16()),
        (201, 201),
        "{} {}",
        a.body,
        b.body
    );
    assert_eq!(id_of(&a.body), id_of(&b.body));
    let replays: Vec<_> = [&a, &b]
        .iter()
        .map(|r| r.header("idempotent-replayed").unwrap())
        .collect();
    assert!(replays.contains(&"true".to_owned()) && replays.contains(&"false".to_owned()));
    assert_eq!(app.count("records").await, 1);
    let mut other = body.clone();
    other["details"]["description"] = json!("A different knife");
    as_user(&app, &officer, send("tablet-7-submit-1", other))
        .await
        .problem(409, "conflict");
    // People too.
    let p = |key: &'static str| {
        TestRequest::post()
            .uri("/api/v1/people")
            .insert_header(("Idempotency-Key", key))
            .set_json(person("Retry"))
    };
    let first = as_user(&app, &officer, p("person-1")).await;
    let again = as_user(&app, &officer, p("person-1")).await;
    assert_eq!(id_of(&first.body), id_of(&again.body));
    assert_eq!(app.count("people").await, 1);
}

#[actix_web::test]
async fn links_are_combinations_that_need_a_subject_category_between_people_and_events() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let person_id = id_of(&create_person(&app, &officer, "Linked").await);
    let car = post(
        &app,
        &officer,
        "/api/v1/objects",
        json!({"details": {"kind": "vehicle", "vrm": "XY99ZZZ"}}),
    )
    .await;
    let event = post(
        &app,
        &officer,
        "/api/v1/events",
        json!({"occurred_at": "2026-11-01T12:00", "details": {"kind": "occurrence", "classification": "Criminal damage", "officer_in_case": "PC 9"}}),
    )
    .await;
    let link = |to_type: &str, to: &str, role: &str, category: Option<&str>| {
        let mut body = json!({"from": {"type": "person", "id": person_id}, "to": {"type": to_type, "id": to}, "role": role});
        if let Some(c) = category {
            body["subject_category"] = json!(c);
        }
        body
    };
    let res = post(
        &app,
        &officer,
        "/api/v1/links",
        link("event", &id_of(&event.body), "witness", None),
    )
    .await;
    assert_eq!(res.bad_fields(), ["subject_category"]);
    let ok = post(
        &app,
        &officer,
        "/api/v1/links",
        link("event", &id_of(&event.body), "witness", Some("witness")),
    )
    .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    post(
        &app,
        &officer,
        "/api/v1/links",
        link("event", &id_of(&event.body), "witness", Some("witness")),
    )
    .await
    .problem(409, "conflict");
    let owner = post(
        &app,
        &officer,
        "/api/v1/links",
        link("object", &id_of(&car.body), "keeper", None),
    )
    .await;
    assert_eq!(owner.status, 201, "{}", owner.body);
    let ghost = post(
        &app,
        &officer,
        "/api/v1/links",
        link("object", &uuid::Uuid::new_v4().to_string(), "owner", None),
    )
    .await;
    assert_eq!(ghost.bad_fields(), ["to"]);
    assert_eq!(actions(&app, "link.create").await, 2);

    let profile = get(
        &app,
        &officer,
        &format!("/api/v1/people/{person_id}/profile"),
    )
    .await;
    assert_eq!(profile.body["events"][0]["subject_category"], "witness");
    assert_eq!(profile.body["objects"][0]["summary"], "XY99ZZZ");
    let del = as_user(
        &app,
        &officer,
        TestRequest::delete().uri(&format!("/api/v1/links/{}", id_of(&ok.body))),
    )
    .await;
    assert_eq!(del.status, 204);
    assert_eq!(app.count("links").await, 1);
}

#[actix_web::test]
async fn the_profile_puts_warning_markers_first_and_events_newest_first_in_one_audited_consultation()
 {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let mut p = person("Marked");
    p["details"] = json!({
        "aliases": [{"surname": "Marks", "forenames": "Al"}],
        "warning_markers": [
            {"kind": "weapons", "review_date": "2027-06-01"},
            {"kind": "violent", "review_date": "2027-01-01", "note": "Assaulted staff in custody"}
        ],
        "pnc_id": shared::people::details::make_pnc_id(2019, 123456),
    });
    let created = post(&app, &officer, "/api/v1/people", p).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = id_of(&created.body);
    for day in ["01", "15", "08"] {
        let res = post(
            &app,
            &officer,
            "/api/v1/events",
            json!({
                "occurred_at": format!("2026-10-{day}T12:00"),
                "details": {"kind": "occurrence", "classification": format!("Incident on {day}"), "officer_in_case": "PC 1"},
                "links": [{"to": {"type": "person", "id": id}, "role": "suspect", "subject_category": "suspect"}]
            }),
        )
        .await;
        assert_eq!(res.status, 201, "{}", res.body);
    }
    let before = actions(&app, "person.profile").await;
    let profile = get(&app, &officer, &format!("/api/v1/people/{id}/profile")).await;
    assert_eq!(profile.status, 200, "{}", profile.body);
    assert_eq!(profile.body["warning_markers"][0]["kind"], "violent");
    let days: Vec<_> = profile.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["summary"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(days, ["Incident on 15", "Incident on 08", "Incident on 01"]);
    assert_eq!(
        profile.body["person"]["details"]["aliases"][0]["surname"],
        "Marks"
    );
    assert_eq!(actions(&app, "person.profile").await, before + 1);
    // One event, naming the person and all three events shown.
    assert_eq!(
        app.count("audit_event_records r JOIN audit_events e ON e.seq = r.event_seq WHERE e.action = 'person.profile'").await,
        4
    );
}

#[actix_web::test]
async fn likely_duplicates_are_offered_by_name_key_date_of_birth_and_alias() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let first = id_of(&create_person(&app, &officer, "McDonald").await);
    let mut aliased = person("Stewart");
    aliased["details"] = json!({"aliases": [{"surname": "MacDonald"}]});
    let second = id_of(&post(&app, &officer, "/api/v1/people", aliased).await.body);
    create_person(&app, &officer, "Donaldson").await;
    let res = get(
        &app,
        &officer,
        "/api/v1/people/duplicates?surname=Mac%20Donald&forenames=Alex&date_of_birth=1990-04-01",
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let found: Vec<(String, String)> = res
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                id_of(&c["person"]),
                c["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (first, "same_name_and_date_of_birth".to_owned()),
            (second, "alias_and_date_of_birth".to_owned())
        ]
    );
    assert_eq!(actions(&app, "person.duplicate_check").await, 1);
    let none = get(
        &app,
        &officer,
        "/api/v1/people/duplicates?surname=McDonald&date_of_birth=1991-04-01",
    )
    .await;
    assert_eq!(none.body, json!([]));
}

#[actix_web::test]
async fn a_merged_duplicates_events_show_on_the_survivor_and_erasure_takes_the_links() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let supervisor = app.token(Role::Supervisor).await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let keep = id_of(&create_person(&app, &officer, "Keeper").await);
    let dup = id_of(&create_person(&app, &officer, "Keeper").await);
    let child_search = child_strip_search(&dup);
    assert_eq!(
        post(&app, &officer, "/api/v1/events", child_search)
            .await
            .status,
        201
    );
    let merged = post(
        &app,
        &supervisor,
        &format!("/api/v1/people/{keep}/merge"),
        json!({"duplicate": dup}),
    )
    .await;
    assert_eq!(merged.status, 200, "{}", merged.body);
    // Merging the other way now says where the record went.
    let back = post(
        &app,
        &supervisor,
        &format!("/api/v1/people/{dup}/merge"),
        json!({"duplicate": keep}),
    )
    .await;
    back.problem(409, "conflict");
    assert!(
        back.body["detail"].as_str().unwrap().contains(&keep),
        "{}",
        back.body
    );
    let profile = get(&app, &officer, &format!("/api/v1/people/{dup}/profile")).await;
    assert_eq!(id_of(&profile.body["person"]), keep);
    assert_eq!(profile.body["events"].as_array().unwrap().len(), 1);
    let erased = as_user(
        &app,
        &dpo,
        TestRequest::delete().uri(&format!("/api/v1/people/{keep}")),
    )
    .await;
    assert_eq!(erased.status, 200, "{}", erased.body);
    assert_eq!(app.count("links").await, 0);
    assert_eq!(app.count("people").await, 0);
}

#[actix_web::test]
async fn person_details_are_checked_and_their_changes_named_without_values() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let mut p = person("Checked");
    p["details"] = json!({"pnc_id": "2019/0123456A", "self_defined_ethnicity": "Z9", "addresses": [{"address": "x", "postcode": "nope"}]});
    let res = post(&app, &officer, "/api/v1/people", p).await;
    assert_eq!(
        res.bad_fields(),
        [
            "details.self_defined_ethnicity",
            "details.pnc_id",
            "details.addresses[0].address",
            "details.addresses[0].postcode"
        ]
    );
    let id = id_of(&create_person(&app, &officer, "Checked").await);
    let mut changed = person("Checked");
    changed["details"] =
        json!({"aliases": [{"surname": "Chequered"}], "self_defined_ethnicity": "A1"});
    let res = as_user(
        &app,
        &officer,
        TestRequest::put()
            .uri(&format!("/api/v1/people/{id}"))
            .set_json(changed),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let mut conn = app.db().await;
    use diesel_async::RunQueryDsl;
    let fields: Vec<Fields> = diesel::sql_query(
        "SELECT array_to_string(fields, ',') AS f FROM audit_events WHERE action = 'person.update'",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        fields[0].f,
        "details.aliases,details.self_defined_ethnicity"
    );
}

#[actix_web::test]
async fn lists_sort_both_ways_page_by_cursor_and_refuse_unknown_filters() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    for day in 1..=5 {
        post(
            &app,
            &officer,
            "/api/v1/events",
            json!({"occurred_at": format!("2026-09-0{day}T08:00"), "details": {"kind": "occurrence", "classification": format!("Day {day}"), "officer_in_case": "PC 2"}}),
        )
        .await;
    }
    let first = get(&app, &officer, "/api/v1/events?sort=occurred_at&limit=2").await;
    let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
    let second = get(
        &app,
        &officer,
        &format!("/api/v1/events?sort=occurred_at&limit=2&cursor={cursor}"),
    )
    .await;
    let summaries = |r: &Response| -> Vec<String> {
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["summary"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(summaries(&first), ["Day 1", "Day 2"]);
    assert_eq!(summaries(&second), ["Day 3", "Day 4"]);
    let newest = get(&app, &officer, "/api/v1/events?limit=1").await;
    assert_eq!(summaries(&newest), ["Day 5"]);
    assert_eq!(
        get(&app, &officer, "/api/v1/events?sort=colour")
            .await
            .bad_fields(),
        ["sort"]
    );
    assert_eq!(
        get(&app, &officer, "/api/v1/events?kind=picnic")
            .await
            .bad_fields(),
        ["kind"]
    );
}
