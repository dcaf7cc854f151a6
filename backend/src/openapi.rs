//! The OpenAPI 3 document, generated from the handlers' annotations, and a
//! browsable page rendered from it with no outside assets (the force's
//! network may have no internet).

use actix_web::HttpResponse;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Probity API",
        version = "1",
        description = "Police records management, lawful by construction. Every read of personal data needs a `Probity-Justification` header (purpose, from `GET /api/v1/purposes`, and reference or reason) and is audited; a signed-in user may instead cite a working context in `Probity-Working-Context`. A third-party application acting for a member of staff names them in `Probity-On-Behalf-Of` (their user id), and its every read is logged as a disclosure to the application. Errors are RFC 9457 problem+json with a stable `code`.",
        license(name = "AGPL-3.0-or-later"),
    ),
    paths(
        crate::auth::sign_in::sign_in,
        crate::auth::refresh::refresh,
        crate::auth::refresh::sign_out,
        crate::auth::me::me,
        crate::auth::me::jwks,
        crate::auth::client_token::client_token,
        crate::people::create::create,
        crate::people::read::read,
        crate::people::update::update,
        crate::people::list::list,
        crate::people::disclose::disclose,
        crate::people::merge::merge,
        crate::people::restrict::restrict,
        crate::people::restrict::lift,
        crate::people::erase::erase,
        crate::people::profile::read,
        crate::people::copies::print,
        crate::people::copies::export,
        crate::people::duplicates::check,
        crate::search::http::people,
        crate::search::http::records,
        crate::records::events::create,
        crate::records::events::read,
        crate::records::events::update,
        crate::records::events::list,
        crate::records::objects::create,
        crate::records::objects::read,
        crate::records::objects::update,
        crate::records::objects::list,
        crate::records::locations::create,
        crate::records::locations::read,
        crate::records::locations::update,
        crate::records::locations::list,
        crate::records::links::http::create,
        crate::records::links::http::delete,
        crate::records::policy::policy,
        crate::imports::http::upload,
        crate::imports::http::progress,
        crate::justification::declare,
        crate::justification::purposes,
        crate::audit_log::events::list,
        crate::audit_log::verify::verify,
        crate::audit_log::checkpoints::list,
        crate::audit_log::export::export,
        crate::users::admin::create,
        crate::users::admin::list,
        crate::users::admin::disable,
        crate::users::admin::enable,
        crate::api_clients::admin::create,
        crate::organisations::http::list,
        crate::organisations::http::create,
        crate::organisations::http::update,
        crate::rights::http::list,
        crate::rights::http::create,
        crate::rights::http::read,
        crate::rights::http::identity,
        crate::rights::http::status,
        crate::rights::http::extend,
        crate::rights::http::pause,
        crate::rights::http::resume,
        crate::rights::http::attach,
        crate::rights::http::detach,
        crate::rights::http::compile,
        crate::rights::http::pack,
        crate::rights::http::decisions,
        crate::rights::http::ncnd,
        crate::rights::http::confirm,
        crate::rights::http::preview,
        crate::rights::http::preview_pdf,
        crate::rights::http::release,
        crate::rights::http::response_json,
        crate::rights::http::response_pdf,
        crate::oversight::rights,
        crate::rights::changes_http::rectify,
        crate::rights::changes_http::notifications,
        crate::rights::changes_http::respond,
        crate::rights::changes_http::answer_pdf,
        crate::rights::changes_http::letter_pdf,
        crate::rights::changes_http::letter_json,
        crate::rights::changes_http::send,
        crate::records::restriction_http::list,
        crate::records::restriction_http::restrict,
        crate::records::restriction_http::lift,
        crate::records::restriction_http::holds,
        crate::records::restriction_http::place,
        crate::records::restriction_http::lift_hold,
        crate::retention::http::due,
        crate::retention::http::case,
        crate::retention::http::decide,
        crate::erasure::http::plan_for_request,
        crate::erasure::http::plan_alone,
        crate::erasure::http::read,
        crate::erasure::http::confirm,
        crate::erasure::http::run,
        crate::erasure::http::read_certificate,
        crate::erasure::http::certificate_pdf,
    ),
    components(schemas(shared::error::ErrorCode, shared::error::FieldError, shared::justification::Purpose)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in, tokens and third-party client credentials"),
        (name = "people", description = "Nominals: people known to the force"),
        (name = "events", description = "Occurrences, intelligence (3x5x2), custody, stop and search, case files"),
        (name = "objects", description = "Vehicles, property and exhibits, phones, weapons"),
        (name = "locations", description = "Addresses and places"),
        (name = "search", description = "Find people by name and date of birth (typos, sounds, nicknames, near dates, with reasons), and records by words, registration mark or postcode"),
        (name = "links", description = "Links between any two records, with roles and subject categories"),
        (name = "imports", description = "Bulk NDJSON import from legacy systems"),
        (name = "users", description = "Staff accounts"),
        (name = "api clients", description = "Third-party applications"),
        (name = "organisations", description = "The organisations records may be disclosed to, named in the log by id"),
        (name = "rights", description = "Data subjects' rights requests (DPA 2018 ss.45-48, 53-54): cases with the legal clock, and the subject access pack with who has seen the subject's records, each entry provable against the signed log"),
        (name = "retention", description = "Review, retention and disposal (DPA 2018 s.39, MoPI): the reviews due and the decisions"),
        (name = "restriction", description = "Restriction of any record and legal holds (DPA 2018 s.47(2))"),
        (name = "erasure", description = "Erasure of every copy (DPA 2018 s.47): a plan, the passages to confirm, the act, and its certificate"),
        (name = "oversight", description = "Aggregates that name no one, for those who hold the force to account"),
        (name = "audit", description = "The DPA 2018 s.62 log: search, verify, checkpoints, export (auditors and DPOs)"),
    )
)]
pub struct ApiDoc;

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A plain HTML reference of every operation, its parameters and responses.
pub async fn docs_page() -> HttpResponse {
    let doc = ApiDoc::openapi();
    let mut html = String::from(
        "<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width'>\
         <title>Probity API</title><style>body{font:16px/1.5 system-ui;max-width:60rem;margin:2rem auto;padding:0 1rem}\
         code{background:#eef;padding:0 .2em}h3{margin-bottom:.2em}.m{font-weight:bold;text-transform:uppercase}</style>",
    );
    html.push_str(&format!(
        "<h1>{}</h1><p>{}</p><p>Machine-readable: <a href='/api/v1/openapi.json'>openapi.json</a></p>",
        escape(&doc.info.title),
        escape(doc.info.description.as_deref().unwrap_or(""))
    ));
    for (path, item) in &doc.paths.paths {
        let ops = [
            ("get", &item.get),
            ("post", &item.post),
            ("put", &item.put),
            ("delete", &item.delete),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            html.push_str(&format!(
                "<h3><span class=m>{method}</span> <code>{}</code></h3>",
                escape(path)
            ));
            if let Some(tags) = &op.tags {
                html.push_str(&format!("<div>Tag: {}</div>", escape(&tags.join(", "))));
            }
            if let Some(params) = &op.parameters {
                html.push_str("<ul>");
                for p in params {
                    html.push_str(&format!(
                        "<li><code>{}</code> {}</li>",
                        escape(&p.name),
                        escape(p.description.as_deref().unwrap_or(""))
                    ));
                }
                html.push_str("</ul>");
            }
            html.push_str("<ul>");
            for (status, response) in &op.responses.responses {
                let description = match response {
                    utoipa::openapi::RefOr::T(r) => r.description.clone(),
                    utoipa::openapi::RefOr::Ref(r) => r.ref_location.clone(),
                };
                html.push_str(&format!(
                    "<li><b>{}</b> {}</li>",
                    escape(status),
                    escape(&description)
                ));
            }
            html.push_str("</ul>");
        }
    }
    html.push_str("</html>");
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html)
}
