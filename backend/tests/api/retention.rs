//! Review, retention and disposal (DPA 2018 s.39, MoPI): each group's
//! review date and its restart, the queue, retain with a rationale,
//! dispose through erasure, and a decision on stale facts refused.

use crate::support::*;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use shared::permissions::Role;

const WHY: (&str, &str) = (
    "Probity-Justification",
    "purpose=retention_review&reference=MOPI-2026",
);

async fn reviewer(app: &TestApp, token: &str, req: TestRequest) -> Response {
    app.send(req.insert_header(bearer(token)).insert_header(WHY))
        .await
}

async fn person_with(
    app: &TestApp,
    token: &str,
    surname: &str,
    dob: &str,
    events: &[(&str, &str, &str)],
) -> String {
    let res = as_user(
        app,
        token,
        TestRequest::post().uri("/api/v1/people").set_json(json!({
        "surname": surname, "forenames": "Pat", "date_of_birth": dob, "gender": "not_known"})),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let id = id_of(&res.body);
    for (at, code, what) in events {
        add_event(app, token, &id, at, code, what).await;
    }
    id
}

async fn add_event(app: &TestApp, token: &str, person: &str, at: &str, code: &str, what: &str) {
    let res = as_user(app, token, TestRequest::post().uri("/api/v1/events").set_json(json!({
        "occurred_at": at,
        "details": {"kind": "occurrence", "offence_code": code, "classification": what,
                    "officer_in_case": "PC 1", "narrative": "Filed"},
        "links": [{"to": {"type": "person", "id": person}, "role": "suspect", "subject_category": "suspect"}]}))).await;
    assert_eq!(res.status, 201, "{}", res.body);
}

async fn schedule(app: &TestApp, person: &str) -> (i64, String) {
    probity::retention::schedule::catch_up(&app.state)
        .await
        .unwrap();
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        g: i64,
        #[diesel(sql_type = diesel::sql_types::Text)]
        next: String,
    }
    use diesel_async::RunQueryDsl;
    let mut conn = app.db().await;
    let r: Row = diesel::sql_query(format!(
        "SELECT mopi_group::bigint AS g, next_review_on::text AS next FROM retention_schedule WHERE person_id = '{person}'"
    ))
    .get_result(&mut conn)
    .await
    .unwrap();
    (r.g, r.next)
}

#[actix_web::test]
async fn each_group_has_its_review_date_and_a_new_event_restarts_the_clear_period() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let theft = person_with(
        &app,
        &officer,
        "Grouptheft",
        "1970-01-01",
        &[("2018-05-01T10:00", "049/01", "Theft from a shop")],
    )
    .await;
    let assault = person_with(
        &app,
        &officer,
        "Groupassault",
        "1970-01-01",
        &[
            ("2012-01-01T10:00", "049/01", "Theft from a shop"),
            ("2015-03-01T10:00", "105/01", "Assault with injury"),
        ],
    )
    .await;
    let grave = person_with(
        &app,
        &officer,
        "Groupgrave",
        "1950-06-01",
        &[("2020-01-01T10:00", "001/01", "Murder")],
    )
    .await;
    let old = person_with(
        &app,
        &officer,
        "Groupcentury",
        "1925-02-11",
        &[("2022-01-01T10:00", "019/07", "Rape")],
    )
    .await;
    let nothing = person_with(&app, &officer, "Groupnone", "1970-01-01", &[]).await;
    assert_eq!(
        schedule(&app, &theft).await,
        (3, "2024-05-01".into()),
        "six clear years"
    );
    assert_eq!(
        schedule(&app, &assault).await,
        (2, "2025-03-01".into()),
        "the gravest event, ten clear years from the latest"
    );
    assert_eq!(
        schedule(&app, &grave).await,
        (1, "2030-01-01".into()),
        "reviewed every ten years"
    );
    assert_eq!(
        schedule(&app, &old).await,
        (1, "2025-02-11".into()),
        "when they would be 100"
    );
    let today = app.state.today();
    let six_on = today
        .checked_add_months(chrono::Months::new(72))
        .unwrap()
        .to_string();
    assert_eq!(
        schedule(&app, &nothing).await,
        (3, six_on),
        "from the day recorded"
    );
    // A new event restarts the clear period.
    add_event(
        &app,
        &officer,
        &theft,
        "2026-11-01T10:00",
        "049/01",
        "Theft from a shop",
    )
    .await;
    assert_eq!(schedule(&app, &theft).await, (3, "2032-11-01".into()));
}

async fn review(app: &TestApp, token: &str, person: &str, body: Value) -> Response {
    reviewer(
        app,
        token,
        TestRequest::post()
            .uri(&format!("/api/v1/retention/people/{person}/reviews"))
            .set_json(body),
    )
    .await
}

#[actix_web::test]
async fn a_review_retains_with_a_rationale_or_disposes_and_refuses_stale_facts() {
    let app = TestApp::spawn().await;
    let officer = app.token(Role::Officer).await;
    let supervisor = app.token(Role::Supervisor).await;
    let dpo = app.token(Role::DataProtectionOfficer).await;
    let keep = person_with(
        &app,
        &officer,
        "Reviewkeep",
        "1970-01-01",
        &[("2017-01-10T10:00", "049/01", "Theft from a shop")],
    )
    .await;
    let moved = person_with(
        &app,
        &officer,
        "Reviewmoved",
        "1970-01-01",
        &[("2018-02-10T10:00", "049/01", "Theft from a shop")],
    )
    .await;
    let gone = person_with(
        &app,
        &officer,
        "Reviewgone",
        "1970-01-01",
        &[("2019-03-10T10:00", "049/01", "Theft from a shop")],
    )
    .await;
    let later = person_with(
        &app,
        &officer,
        "Reviewlater",
        "1970-01-01",
        &[("2025-01-10T10:00", "049/01", "Theft from a shop")],
    )
    .await;
    probity::retention::schedule::catch_up(&app.state)
        .await
        .unwrap();

    // The queue: due only, the longest overdue first; officers may not see it.
    let refused = reviewer(
        &app,
        &officer,
        TestRequest::get().uri("/api/v1/retention/due"),
    )
    .await;
    refused.problem(403, "forbidden");
    let queue = reviewer(
        &app,
        &supervisor,
        TestRequest::get().uri("/api/v1/retention/due?limit=2"),
    )
    .await;
    assert_eq!(queue.status, 200, "{}", queue.body);
    let first: Vec<String> = queue.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["person"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(first, [keep.clone(), moved.clone()]);
    let cursor = queue.body["next_cursor"].as_str().unwrap();
    let rest = reviewer(
        &app,
        &supervisor,
        TestRequest::get().uri(&format!("/api/v1/retention/due?after={cursor}")),
    )
    .await;
    let rest = rest.body["items"].to_string();
    assert!(rest.contains(&gone) && !rest.contains(&later), "{rest}");

    // The command line lists what is due by id, never by name.
    let report = probity::retention::cli::due_report(&app.state, app.state.today(), 10)
        .await
        .unwrap();
    assert!(report.starts_with("3 review(s) due"), "{report}");
    for id in [&keep, &moved, &gone] {
        assert!(report.contains(id.as_str()), "{report}");
    }
    assert!(
        !report.contains(&later) && !report.contains("Review"),
        "{report}"
    );

    // Retain: any yes needs a rationale.
    let case = reviewer(
        &app,
        &supervisor,
        TestRequest::get().uri(&format!("/api/v1/retention/people/{keep}")),
    )
    .await;
    assert_eq!(case.status, 200, "{}", case.body);
    assert_eq!(case.body["due"]["next_review_on"], "2023-01-10");
    assert_eq!(case.body["events"][0]["group"], 3);
    let no_reason = review(
        &app,
        &supervisor,
        &keep,
        json!({"yes": ["substance_misuse"], "due_on": "2023-01-10"}),
    )
    .await;
    assert_eq!(no_reason.bad_fields(), ["rationale"]);
    let kept = review(&app, &supervisor, &keep, json!({"yes": ["substance_misuse"],
        "rationale": "Recent intelligence of continued drug supply in the area", "due_on": "2023-01-10"})).await;
    assert_eq!(kept.status, 201, "{}", kept.body);
    assert_eq!(kept.body["decision"], "retain");
    let next = kept.body["next_review_on"].as_str().unwrap().to_owned();
    assert!(next > app.state.today().to_string(), "{next}");
    assert_eq!(app.count(&format!("retention_reviews WHERE person_id = '{keep}' AND decision = 'retain' AND rationale IS NOT NULL")).await, 1);
    let queue = reviewer(
        &app,
        &supervisor,
        TestRequest::get().uri("/api/v1/retention/due?limit=100"),
    )
    .await;
    assert!(
        !queue.body.to_string().contains(&keep),
        "retained: off the queue"
    );

    // The clear period restarted after the queue was read: refused whole.
    add_event(
        &app,
        &officer,
        &moved,
        "2026-11-15T10:00",
        "049/01",
        "Theft from a shop",
    )
    .await;
    let stale = review(
        &app,
        &dpo,
        &moved,
        json!({"yes": [], "due_on": "2024-02-10"}),
    )
    .await;
    stale.problem(409, "conflict");
    assert!(
        stale.body["detail"]
            .as_str()
            .unwrap()
            .contains("2032-11-15"),
        "{}",
        stale.body
    );
    assert_eq!(app.count(&format!("people WHERE id = '{moved}'")).await, 1);
    assert_eq!(app.count("retention_reviews").await, 1);

    // Dispose: the person is erased, with a certificate naming the review.
    let disposed = review(
        &app,
        &dpo,
        &gone,
        json!({"yes": [], "due_on": "2025-03-10"}),
    )
    .await;
    assert_eq!(disposed.status, 201, "{}", disposed.body);
    assert_eq!(disposed.body["decision"], "dispose");
    let certificate = disposed.body["certificate"].as_str().unwrap().to_owned();
    assert_eq!(app.count(&format!("people WHERE id = '{gone}'")).await, 0);
    let cert = reviewer(
        &app,
        &dpo,
        TestRequest::get().uri(&format!("/api/v1/erasure-certificates/{certificate}")),
    )
    .await;
    assert_eq!(cert.status, 200, "{}", cert.body);
    assert_eq!(cert.body["certificate"]["review"], disposed.body["review"]);
    assert_eq!(
        cert.body["certificate"]["probe"]["result"], "0 traces",
        "{}",
        cert.body
    );
    // Not due yet: no review.
    let early = review(
        &app,
        &dpo,
        &later,
        json!({"yes": [], "due_on": "2031-01-10"}),
    )
    .await;
    early.problem(409, "conflict");
}
