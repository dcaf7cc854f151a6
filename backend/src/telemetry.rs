//! Logs for operators: tracing with a request id on every line and response.
//!
//! Never log names, addresses, narratives, passwords or tokens. Paths are
//! logged as their route pattern, and query strings not at all, because a
//! search box's text is personal data.

use crate::config::{Config, LogFormat};
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};
use std::time::Instant;
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served on this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// The request id, as handlers and extractors read it.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

pub fn init(config: &Config) {
    let filter = EnvFilter::try_new(&config.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    // A second init (tests, CLI) is harmless: the first subscriber stays.
    let _ = match config.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Accepts a caller's request id so a third-party system can correlate its
/// logs with ours, but only an opaque one: a UUID or up to 64 hex digits (a
/// W3C trace id). The id goes into the append-only audit log, so an id a
/// person could spell a name in ("smith-enquiry") is replaced with one of
/// our own.
fn request_id_from(req: &ServiceRequest) -> String {
    req.headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| opaque(v))
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

fn opaque(id: &str) -> bool {
    uuid::Uuid::parse_str(id).is_ok()
        || (!id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Request id, span, access log line and HTTP metrics for every request.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = request_id_from(&req);
    req.extensions_mut().insert(RequestId(id.clone()));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().to_string();
    let span = tracing::info_span!("request", request_id = %id, http.method = %method);
    let started = Instant::now();
    let result = REQUEST_ID
        .scope(id.clone(), next.call(req).instrument(span.clone()))
        .await;
    let elapsed = started.elapsed();
    let mut response = result?;
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let status = response.status().as_u16();
    span.in_scope(|| {
        tracing::info!(
            http.route = %route,
            http.status = status,
            latency_ms = elapsed.as_secs_f64() * 1000.0,
            "served"
        );
    });
    if let Some(state) = state {
        state.metrics.observe_http(&method, &route, status, elapsed);
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    Ok(response)
}
