//! Every route, in one place: the whole API surface reads in one screen.
//! Each handler's signature names the permission it needs.

use crate::error::ApiError;
use crate::records::{self, events, links, locations, objects, policy};
use crate::state::AppState;
use crate::{
    api_clients, audit_log, auth, erasure, health, imports, openapi, organisations, oversight,
    people, retention, rights, search, telemetry, users,
};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, web};
use shared::error::{ErrorCode, FieldError};

fn api(cfg: &mut web::ServiceConfig) {
    let method_not_allowed =
        || web::to(|| async { Err::<HttpResponse, _>(ApiError::new(ErrorCode::MethodNotAllowed)) });
    cfg.route("/openapi.json", web::get().to(openapi::document))
        .route("/docs", web::get().to(openapi::docs_page))
        // Authentication
        .service(
            web::resource("/auth/sign-in")
                .post(auth::sign_in::sign_in)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/auth/refresh")
                .post(auth::refresh::refresh)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/auth/sign-out")
                .post(auth::refresh::sign_out)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/auth/me")
                .get(auth::me::me)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/auth/jwks.json")
                .get(auth::me::jwks)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/oauth/token")
                .post(auth::client_token::client_token)
                .default_service(method_not_allowed()),
        )
        // Search
        .service(
            web::resource("/search/people")
                .get(search::http::people)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/search/records")
                .get(search::http::records)
                .default_service(method_not_allowed()),
        )
        // People
        .service(
            web::resource("/people")
                .get(people::list::list)
                .post(people::create::create)
                .default_service(method_not_allowed()),
        )
        // Before /people/{id}, which would otherwise take "duplicates" as an id.
        .service(
            web::resource("/people/duplicates")
                .get(people::duplicates::check)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/people/{id}/profile")
                .get(people::profile::read)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/people/{id}")
                .get(people::read::read)
                .put(people::update::update)
                .delete(people::erase::erase)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/people/{id}/print")
                .get(people::copies::print)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/people/{id}/export")
                .get(people::copies::export)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/people/{id}/disclosures")
                .post(people::disclose::disclose)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/people/{id}/merge")
                .post(people::merge::merge)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/people/{id}/restriction")
                .put(people::restrict::restrict)
                .delete(people::restrict::lift)
                .default_service(method_not_allowed()),
        )
        // Objects, locations and events, and the links between any records
        .service(
            web::resource("/events")
                .get(events::list)
                .post(events::create)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/events/{id}")
                .get(events::read)
                .put(events::update)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/objects")
                .get(objects::list)
                .post(objects::create)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/objects/{id}")
                .get(objects::read)
                .put(objects::update)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/locations")
                .get(locations::list)
                .post(locations::create)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/locations/{id}")
                .get(locations::read)
                .put(locations::update)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/links")
                .post(links::http::create)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/links/{id}")
                .delete(links::http::delete)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/policy")
                .get(policy::policy)
                .default_service(method_not_allowed()),
        )
        // Bulk import from legacy systems (NDJSON)
        .service(
            web::resource("/imports/{record_type}")
                .post(imports::http::upload)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/imports/{record_type}/{id}")
                .get(imports::http::progress)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/purposes")
                .get(crate::justification::purposes)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/working-contexts")
                .post(crate::justification::declare)
                .default_service(method_not_allowed()),
        )
        // The audit log (auditors and data protection officers)
        .service(
            web::resource("/audit/events")
                .get(audit_log::events::list)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/audit/verify")
                .get(audit_log::verify::verify)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/audit/checkpoints")
                .get(audit_log::checkpoints::list)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/audit/export")
                .get(audit_log::export::export)
                .default_service(method_not_allowed()),
        )
        // Administration
        .service(
            web::resource("/users")
                .get(users::admin::list)
                .post(users::admin::create)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/users/{id}/disable")
                .post(users::admin::disable)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/users/{id}/enable")
                .post(users::admin::enable)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/api-clients")
                .post(api_clients::admin::create)
                .default_service(method_not_allowed()),
        )
        // Data subjects' rights (DPA 2018 ss.45-48)
        .service(
            web::resource("/rights/requests")
                .get(rights::http::list)
                .post(rights::http::create)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}")
                .get(rights::http::read)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/identity")
                .put(rights::http::identity)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/status")
                .post(rights::http::status)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/extension")
                .post(rights::http::extend)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/pause")
                .post(rights::http::pause)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/resume")
                .post(rights::http::resume)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/subjects")
                .post(rights::http::attach)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/subjects/{person}")
                .delete(rights::http::detach)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/compile")
                .post(rights::http::compile)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/pack")
                .get(rights::http::pack)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/decisions")
                .put(rights::http::decisions)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/neither-confirm-nor-deny")
                .put(rights::http::ncnd)
                .delete(rights::http::confirm)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/preview")
                .get(rights::http::preview)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/preview.pdf")
                .get(rights::http::preview_pdf)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/release")
                .post(rights::http::release)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/response.json")
                .get(rights::http::response_json)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/response.pdf")
                .get(rights::http::response_pdf)
                .default_service(method_not_allowed()),
        )
        // Rectification (s.46), letters to earlier recipients (s.48), answers
        .service(
            web::resource("/rights/requests/{id}/rectifications")
                .post(rights::changes_http::rectify)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/notifications")
                .get(rights::changes_http::notifications)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/respond")
                .post(rights::changes_http::respond)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/rights/requests/{id}/answer.pdf")
                .get(rights::changes_http::answer_pdf)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/notifications/{id}/letter.pdf")
                .get(rights::changes_http::letter_pdf)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/notifications/{id}/letter.json")
                .get(rights::changes_http::letter_json)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/notifications/{id}/send")
                .post(rights::changes_http::send)
                .default_service(method_not_allowed()),
        )
        // Restriction of any record and legal holds (s.47(2))
        .service(
            web::resource("/restrictions")
                .get(records::restriction_http::list)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/restrictions/{type}/{id}")
                .put(records::restriction_http::restrict)
                .delete(records::restriction_http::lift)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/legal-holds")
                .get(records::restriction_http::holds)
                .post(records::restriction_http::place)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/legal-holds/{id}")
                .delete(records::restriction_http::lift_hold)
                .default_service(method_not_allowed()),
        )
        // Review, retention and disposal (s.39, MoPI)
        .service(
            web::resource("/retention/due")
                .get(retention::http::due)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/retention/people/{id}")
                .get(retention::http::case)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/retention/people/{id}/reviews")
                .post(retention::http::decide)
                .default_service(method_not_allowed()),
        )
        // Erasure of every copy (s.47): plan, confirm, run, certificate
        .service(
            web::resource("/rights/requests/{id}/erasure-plan")
                .post(erasure::http::plan_for_request)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/erasure-plans")
                .post(erasure::http::plan_alone)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/erasure-plans/{id}")
                .get(erasure::http::read)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/erasure-plans/{id}/passages/{n}")
                .put(erasure::http::confirm)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/erasure-plans/{id}/execute")
                .post(erasure::http::run)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/erasure-certificates/{id}")
                .get(erasure::http::read_certificate)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/erasure-certificates/{id}/certificate.pdf")
                .get(erasure::http::certificate_pdf)
                .default_service(method_not_allowed()),
        )
        // Aggregates for oversight: counts that name no one
        .service(
            web::resource("/oversight/rights")
                .get(oversight::rights)
                .default_service(method_not_allowed()),
        )
        // The organisations disclosures may name as recipients
        .service(
            web::resource("/organisations")
                .get(organisations::http::list)
                .post(organisations::http::create)
                .default_service(method_not_allowed()),
        )
        .service(
            web::resource("/organisations/{id}")
                .put(organisations::http::update)
                .default_service(method_not_allowed()),
        )
        .default_service(web::to(|| async {
            Err::<HttpResponse, _>(ApiError::new(ErrorCode::RouteNotFound))
        }));
}

/// The browser app: static files, and `index.html` for any other path so
/// that client-side routes survive a reload.
fn spa(cfg: &mut web::ServiceConfig, static_dir: std::path::PathBuf) {
    let index = static_dir.join("index.html");
    cfg.service(
        actix_files::Files::new("/", static_dir)
            .index_file("index.html")
            .default_handler(web::to(move |req: HttpRequest| {
                let index = index.clone();
                async move {
                    match actix_files::NamedFile::open_async(&index).await {
                        Ok(file) => file.into_response(&req),
                        Err(_) => HttpResponse::NotFound()
                            .content_type("text/plain")
                            .body("The browser app is not built. Run `cargo xtask run`."),
                    }
                }
            })),
    );
}

/// The application: middleware, configuration of extractors, routes.
pub fn app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let static_dir = state.config.static_dir.clone();
    App::new()
        .app_data(state)
        .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::not_found().into()))
        .app_data(web::QueryConfig::default().error_handler(|e, _| {
            let message = e.to_string();
            ApiError::field(FieldError::new(
                "query",
                "invalid",
                message
                    .split(':')
                    .next_back()
                    .unwrap_or("invalid query")
                    .trim()
                    .to_owned(),
            ))
            .into()
        }))
        .wrap(
            DefaultHeaders::new()
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("X-Frame-Options", "DENY"))
                .add(("Referrer-Policy", "no-referrer")),
        )
        .wrap(from_fn(telemetry::observe))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(health::metrics))
        .service(web::scope("/api/v1").configure(api))
        .configure(move |cfg| spa(cfg, static_dir))
}
