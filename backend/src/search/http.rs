//! `GET /api/v1/search/people` and `GET /api/v1/search/records`.

use super::engine::RecordLookup;
use super::hits;
use super::query::{PersonQuery, Typed};
use crate::audit;
use crate::auth::{Authorised, perm};
use crate::error::ApiError;
use crate::records::visibility;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use shared::error::{FieldError, FieldErrors, Problem};
use shared::search::{DEFAULT_LIMIT, MAX_LIMIT, PersonResults, RecordResults};
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PeopleParams {
    /// One box: names in any order, a date of birth, a postcode, e.g.
    /// `john smith 12/05/1980` or `SMITH, John SW1A 1AA`. The last word of
    /// each name may be unfinished, as when searching while typing
    /// (`john feath`): names that begin with it are found too, with the
    /// reason "starts the same".
    pub q: Option<String>,
    /// Forenames; the last may be unfinished, as in `q`.
    pub forenames: Option<String>,
    /// Surname; the last word may be unfinished, as in `q`.
    pub surname: Option<String>,
    /// `YYYY-MM-DD`; day first as `DD/MM/YYYY`, `DD-MM-YYYY` or
    /// `DD.MM.YYYY` (a two-digit year is the latest such year not in the
    /// future); `MM/YYYY`, `YYYY-MM` or `YYYY`.
    pub date_of_birth: Option<String>,
    /// Whole, or the outward part (`SW1A`).
    pub postcode: Option<String>,
    pub town: Option<String>,
    /// Most hits to return, 1 to 50 (default 10).
    pub limit: Option<u32>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RecordParams {
    /// Words, a registration mark or postcode (whole or in part); the
    /// first ten words are used.
    pub q: String,
    /// `object`, `location` or `event`; all when absent.
    pub family: Option<String>,
    /// Most hits to return, 1 to 50 (default 10).
    pub limit: Option<u32>,
}

fn limit(raw: Option<u32>) -> Result<usize, FieldError> {
    let limit = raw.unwrap_or(DEFAULT_LIMIT);
    if (1..=MAX_LIMIT).contains(&limit) {
        Ok(limit as usize)
    } else {
        Err(FieldError::new(
            "limit",
            "out_of_range",
            format!("Use 1 to {MAX_LIMIT}"),
        ))
    }
}

fn ready(state: &AppState) -> Result<(), ApiError> {
    if state.search.rebuilding() {
        return Err(ApiError::unavailable("search index rebuilding")
            .detail("The search index is being rebuilt from the records; try again shortly"));
    }
    Ok(())
}

fn engine_failed(e: anyhow::Error) -> ApiError {
    ApiError::unavailable(format!("search engine: {e:#}"))
        .detail("Search is unavailable; the records themselves are unaffected")
}

#[utoipa::path(
    get, path = "/api/v1/search/people", tag = "search",
    params(
        PeopleParams,
        ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
    ),
    security(("bearer" = ["person.list"])),
    responses(
        (status = 200, description = "Strong hits, best first, each with its reasons; one consultation event lists them", body = PersonResults),
        (status = 403, description = "Requires person.list", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nothing to search by, or a bad date of birth or limit", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The index is being rebuilt", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn people(
    auth: Authorised<perm::PersonList>,
    state: web::Data<AppState>,
    params: crate::body::Query<PeopleParams>,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let typed = Typed {
        q: p.q.as_deref(),
        forenames: p.forenames.as_deref(),
        surname: p.surname.as_deref(),
        date_of_birth: p.date_of_birth.as_deref(),
        postcode: p.postcode.as_deref(),
        town: p.town.as_deref(),
    };
    let (query, limit) = match (PersonQuery::read(&typed), limit(p.limit)) {
        (Ok(q), Ok(l)) => (q, l),
        (q, l) => {
            let mut errors = q.err().unwrap_or_default();
            errors.extend(l.err());
            return Err(ApiError::validation(FieldErrors(errors)));
        }
    };
    ready(&state)?;
    let cards = state
        .search
        .engine
        .people(query.lookup())
        .await
        .map_err(engine_failed)?;
    let mut ranked = hits::rank(&query, cards);
    let total = ranked.len();
    ranked.truncate(limit);
    let results = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(hits::people(tx, ranked, total))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(results))
}

const FAMILIES: [&str; 3] = ["object", "location", "event"];

#[utoipa::path(
    get, path = "/api/v1/search/records", tag = "search",
    params(
        RecordParams,
        ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
    ),
    security(("bearer" = ["record.list"])),
    responses(
        (status = 200, description = "Hits and a total, counting only records the caller may see", body = RecordResults),
        (status = 403, description = "Requires record.list", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No words, an unknown family or a bad limit", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The index is being rebuilt", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn records(
    auth: Authorised<perm::RecordList>,
    state: web::Data<AppState>,
    params: crate::body::Query<RecordParams>,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let mut errors = Vec::new();
    // Letters and digits only: what the index's tokenizer keeps. Ten
    // words at most, since Meilisearch reads no more, and every engine
    // must answer the same question.
    let words: Vec<String> =
        p.q.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(10)
            .map(str::to_lowercase)
            .collect();
    if words.is_empty() {
        errors.push(FieldError::new("q", "required", "Type what to look for"));
    }
    let family = p.family.filter(|f| !f.is_empty());
    if let Some(f) = &family
        && !FAMILIES.contains(&f.as_str())
    {
        errors.push(FieldError::new(
            "family",
            "unknown",
            "Use object, location or event",
        ));
    }
    let limit = limit(p.limit).map_err(|e| errors.push(e)).unwrap_or(0);
    if !errors.is_empty() {
        return Err(ApiError::validation(FieldErrors(errors)));
    }
    ready(&state)?;
    let found = state
        .search
        .engine
        .records(RecordLookup {
            words,
            family,
            handling_codes: visibility::visible_codes(&auth.ctx),
            limit,
        })
        .await
        .map_err(engine_failed)?;
    let results = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(hits::records(tx, found.hits, found.total))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(results))
}
