//! `GET /api/v1/policy`: the force's configurable rule choices, so that forms
//! check exactly what the server will.

use crate::auth::Authenticated;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use shared::error::Problem;
use shared::events::SearchPolicy;

#[utoipa::path(
    get, path = "/api/v1/policy", tag = "events",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The rule settings in force (no personal data)", body = SearchPolicy),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn policy(_auth: Authenticated, state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(state.search_policy())
}
