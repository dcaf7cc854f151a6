//! `TestApp`: a database of its own, a user per role, and helpers to call
//! the API as any of them.

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::web;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use probity::audit;
use probity::auth::RequestContext;
use probity::config::{Config, Secret};
use probity::state::AppState;
use serde_json::Value;
use sha2::{Digest, Sha256};
use shared::auth::TokenPair;
use shared::justification::{Justification, Purpose};
use shared::permissions::{Permission, Role};
use shared::users::NewUser;
use std::sync::OnceLock;

pub const PASSWORD: &str = "a long test passphrase";

fn server_url() -> String {
    std::env::var("PROBITY_TEST_DATABASE_SERVER")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// Builds (once per migration set) the template database every test clones.
fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
        let mut files: Vec<_> = walk(&dir);
        files.sort();
        let mut hasher = Sha256::new();
        for f in &files {
            hasher.update(f.to_string_lossy().as_bytes());
            hasher.update(std::fs::read(f).unwrap());
        }
        let name = format!("probity_tpl_{}", &hex::encode(hasher.finalize())[..16]);
        let tpl = name.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let mut admin = AsyncPgConnection::establish(&format!("{}/postgres", server_url()))
                    .await
                    .expect("PostgreSQL must be running for the integration tests");
                // Several test processes may race to build the same template.
                diesel::sql_query("SELECT pg_advisory_lock(7410001)")
                    .execute(&mut admin)
                    .await
                    .unwrap();
                let exists: i64 = diesel::sql_query(format!(
                    "SELECT count(*) AS n FROM pg_database WHERE datname = '{tpl}'"
                ))
                .get_result::<Count>(&mut admin)
                .await
                .unwrap()
                .n;
                if exists == 0 {
                    let building = format!("{tpl}_building");
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS {building}"))
                        .execute(&mut admin)
                        .await
                        .unwrap();
                    diesel::sql_query(format!("CREATE DATABASE {building}"))
                        .execute(&mut admin)
                        .await
                        .unwrap();
                    probity::db::migrate(&format!("{}/{building}", server_url())).unwrap();
                    diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {tpl}"))
                        .execute(&mut admin)
                        .await
                        .unwrap();
                }
                diesel::sql_query("SELECT pg_advisory_unlock(7410001)")
                    .execute(&mut admin)
                    .await
                    .unwrap();
            });
        })
        .join()
        .unwrap();
        name
    })
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: Value,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Asserts a problem+json with this status and code, and returns it.
    pub fn problem(&self, status: u16, code: &str) -> &Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json"),
            "body: {}",
            self.body
        );
        assert_eq!(self.body["code"], code, "body: {}", self.body);
        assert_eq!(self.body["status"], status);
        self.body
            .get("type")
            .and_then(Value::as_str)
            .expect("problem has a type");
        &self.body
    }

    /// The names of the fields a validation problem reports.
    pub fn bad_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub struct TestApp {
    pub state: web::Data<AppState>,
    pub database_url: String,
    db_name: String,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::with_config(|_| {}).await
    }

    /// A fresh database and application; `adjust` may change the config.
    pub async fn with_config(adjust: impl FnOnce(&mut Config)) -> Self {
        let template = template();
        let db_name = format!("probity_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = AsyncPgConnection::establish(&format!("{}/postgres", server_url()))
            .await
            .unwrap();
        diesel::sql_query(format!("CREATE DATABASE {db_name} TEMPLATE {template}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let database_url = format!("{}/{db_name}", server_url());
        let data_dir = std::env::temp_dir().join(format!("probity-test-{db_name}"));
        let mut config = Config {
            database_url: Secret::new(database_url.clone()),
            data_dir,
            db_pool_size: 4,
            // Fast hashing keeps tests quick; the algorithm is the real one.
            argon2_memory_kib: 1024,
            argon2_iterations: 1,
            ..Config::default()
        };
        adjust(&mut config);
        let state = web::Data::new(AppState::build(config).unwrap());
        let app = Self {
            state,
            database_url,
            db_name,
        };
        app.create_users().await;
        app
    }

    /// Takes a backup of this database as an operator would (`pg_dump
    /// --format=custom`) into `file`.
    pub fn backup(&self, file: &std::path::Path) {
        let status = std::process::Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(file)
            .arg(&self.database_url)
            .status()
            .expect("pg_dump runs (postgresql-client)");
        assert!(status.success(), "pg_dump failed");
    }

    /// A second server on a fresh database restored from `file` with
    /// `pg_restore`: its own data directory (a copy of this one's signing
    /// keys), and this server's erasure ledger file, which lives outside
    /// the database and its backups. The ledger is not yet applied.
    pub async fn restored(&self, file: &std::path::Path) -> TestApp {
        let db_name = format!("probity_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = AsyncPgConnection::establish(&format!("{}/postgres", server_url()))
            .await
            .unwrap();
        diesel::sql_query(format!("CREATE DATABASE {db_name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let database_url = format!("{}/{db_name}", server_url());
        let status = std::process::Command::new("pg_restore")
            .args(["--no-owner", "--exit-on-error", "--dbname"])
            .arg(&database_url)
            .arg(file)
            .status()
            .expect("pg_restore runs (postgresql-client)");
        assert!(status.success(), "pg_restore failed");
        let data_dir = std::env::temp_dir().join(format!("probity-test-{db_name}"));
        let keys = data_dir.join("keys");
        std::fs::create_dir_all(&keys).unwrap();
        for entry in std::fs::read_dir(self.state.config.data_dir.join("keys")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), keys.join(entry.file_name())).unwrap();
        }
        let config = Config {
            database_url: Secret::new(database_url.clone()),
            data_dir,
            erasure_ledger_file: self
                .state
                .config
                .erasure_ledger_path()
                .display()
                .to_string(),
            // The witness is the deployment's, kept apart from the database.
            audit_witness_file: self
                .state
                .config
                .audit_witness_path()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "none".into()),
            ..(*self.state.config).clone()
        };
        TestApp {
            state: web::Data::new(AppState::build(config).unwrap()),
            database_url,
            db_name,
        }
    }

    async fn create_users(&self) {
        let ctx = RequestContext::system("test-setup", vec![Permission::UserAdmin]);
        for role in Role::ALL {
            let new = NewUser {
                username: role.as_str().to_owned(),
                display_name: format!("Test {}", role.label()),
                password: PASSWORD.to_owned(),
                roles: vec![role],
            };
            let valid = new.validate().unwrap();
            let hash = self.state.passwords.hash(PASSWORD).unwrap();
            audit::run(&self.state, &ctx, |tx| {
                Box::pin(probity::users::store::create(tx, valid, hash))
            })
            .await
            .unwrap();
        }
    }

    pub async fn send(&self, req: TestRequest) -> Response {
        let service = test::init_service(probity::routes::app(self.state.clone())).await;
        let res = test::call_service(&service, req.to_request()).await;
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = test::read_body(res).await;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Response {
            status,
            headers,
            body,
        }
    }

    /// The raw bytes of an answer (a PDF, say).
    pub async fn send_bytes(&self, req: TestRequest) -> (StatusCode, Vec<u8>) {
        let service = test::init_service(probity::routes::app(self.state.clone())).await;
        let res = test::call_service(&service, req.to_request()).await;
        let status = res.status();
        (status, test::read_body(res).await.to_vec())
    }

    pub async fn sign_in(&self, role: Role) -> TokenPair {
        let res = self
            .send(
                TestRequest::post()
                    .uri("/api/v1/auth/sign-in")
                    .set_json(serde_json::json!({"username": role.as_str(), "password": PASSWORD})),
            )
            .await;
        assert_eq!(res.status, 200, "sign-in as {role}: {}", res.body);
        serde_json::from_value(res.body).unwrap()
    }

    pub async fn token(&self, role: Role) -> String {
        self.sign_in(role).await.access_token
    }

    /// Waits for the search index: rebuilds it if new, then applies the
    /// whole outbox, as the background worker would.
    pub async fn search_caught_up(&self) {
        probity::search::outbox::catch_up(&self.state)
            .await
            .unwrap();
    }

    /// A raw connection for assertions about what was (not) written.
    pub async fn db(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.database_url)
            .await
            .unwrap()
    }

    /// Seals everything committed into the chain, then verifies the whole log.
    pub async fn seal_and_verify(&self) -> shared::audit::VerifyReport {
        while probity::audit::seal::seal_once(&self.state)
            .await
            .unwrap()
            .sealed
            > 0
        {}
        let mut conn = self.db().await;
        probity::audit::verify::verify(
            &mut conn,
            &self.state.keys,
            None,
            &[],
            probity::audit::verify::OtherLogs::Fail,
        )
        .await
        .unwrap()
    }

    pub async fn count(&self, sql_from_where: &str) -> i64 {
        let mut conn = self.db().await;
        diesel::sql_query(format!("SELECT count(*) AS n FROM {sql_from_where}"))
            .get_result::<Count>(&mut conn)
            .await
            .unwrap()
            .n
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let name = self.db_name.clone();
        let dir = self.state.config.data_dir.clone();
        // Best effort: the test command also sweeps leftovers before a run.
        let _ = std::thread::spawn(move || {
            let _ = std::fs::remove_dir_all(dir);
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut admin = AsyncPgConnection::establish(&format!("{}/postgres", server_url()))
                    .await
                    .ok()?;
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await
                    .ok()
            })
        })
        .join();
    }
}

pub fn justification() -> (&'static str, String) {
    let j = Justification {
        purpose: Purpose::Investigation,
        reference: Some("01/12345".into()),
        reason: None,
    };
    ("Probity-Justification", j.to_header())
}

pub fn bearer(token: &str) -> (&'static str, String) {
    ("Authorization", format!("Bearer {token}"))
}

/// A person as a client would send them.
pub fn person(surname: &str) -> Value {
    serde_json::json!({
        "surname": surname,
        "forenames": "Alex",
        "date_of_birth": "1990-04-01",
        "gender": "not_known",
    })
}

pub async fn create_person(app: &TestApp, token: &str, surname: &str) -> Value {
    let res = app
        .send(
            TestRequest::post()
                .uri("/api/v1/people")
                .insert_header(bearer(token))
                .insert_header(justification())
                .set_json(person(surname)),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    res.body
}

/// Sends a request as the given token with the standard justification.
pub async fn as_user(app: &TestApp, token: &str, req: TestRequest) -> Response {
    app.send(
        req.insert_header(bearer(token))
            .insert_header(justification()),
    )
    .await
}

/// A complete search exposing the intimate parts of a 15-year-old boy.
pub fn child_strip_search(person_id: &str) -> Value {
    serde_json::json!({
        "occurred_at": "2026-11-27T10:30",
        "details": {
            "kind": "stop_search",
            "search_type": "intimate_exposure",
            "legal_power": "misuse_of_drugs_s23",
            "grounds": "Seen passing small wraps to others outside the school gates",
            "object_of_search": "drugs",
            "subject_date_of_birth": "2011-03-02",
            "subject_sex": "male",
            "self_defined_ethnicity": "NS",
            "place_type": "police_station",
            "address": "Millgarth Police Station, Leeds",
            "postcode": "ls2 7hx",
            "officers_present": [{"identity": "PC 1234", "sex": "male"}],
            "authorising_officer": "Insp 77 Patel",
            "authorising_rank": "inspector",
            "appropriate_adult": "J. Brown, Leeds Youth Offending Service",
            "parent_notified_at": "2026-11-27T10:45",
            "outcome": "no_further_action"
        },
        "links": [{
            "to": {"type": "person", "id": person_id},
            "role": "searched_person",
            "subject_category": "suspect"
        }]
    })
}

/// An intelligence report graded B2 with the given handling code.
pub fn intelligence(handling: &str, person_id: &str) -> Value {
    serde_json::json!({
        "occurred_at": "2026-11-20T09:00",
        "details": {
            "kind": "intelligence",
            "source_evaluation": "B",
            "intelligence_assessment": "2",
            "handling": handling,
            "handling_conditions": if handling == "C" { "Not to be shared outside the force" } else { "" },
            "content": [
                {"nature": "fact", "text": "Subject seen at the lock-up on Tuesdays"},
                {"nature": "assessment", "text": "Probably storing stolen bikes there"}
            ],
            "source_identity": "Source 4471 (handler DC Okafor)"
        },
        "links": [{
            "to": {"type": "person", "id": person_id},
            "role": "subject_of_intelligence",
            "subject_category": "suspect"
        }]
    })
}

pub fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_owned()
}

/// The Crown Prosecution Service, on the list of recipients from the start.
pub const CPS: &str = "00000000-0000-4000-8000-000000000002";

/// The text of a PDF as poppler's `pdftotext` extracts it (what a reader's
/// copy and paste would give).
pub fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let path = std::env::temp_dir().join(format!("probity-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect(
            "pdftotext (Debian's poppler-utils) must be installed: cargo xtask test installs it",
        );
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
