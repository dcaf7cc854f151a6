//! Request bodies: read within the size limit, parsed with the path of every
//! bad field, answered with problem+json. Used instead of `web::Json` so that
//! wrong types and unknown fields are named field by field.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use shared::error::{ErrorCode, FieldError, FieldErrors};
use std::ops::Deref;

/// A JSON body of type `T`.
pub struct ValidJson<T>(pub T);

/// Query parameters of type `T`, read like `web::Query` but answered with a
/// problem naming the field, and only after the caller's permission has
/// been checked (see [`AuthGate`]).
pub struct Query<T>(pub T);

impl<T> Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// Why a bad body or query waits for the permission check: actix-web polls
/// a handler's extractors together and answers with the first error ready,
/// and a parse error is ready at once while the permission check waits on
/// the database. A caller without the permission would get a 422 describing
/// the route instead of the 403 it is owed. `Authorised` puts a gate in the
/// request when extraction starts and opens it when it has decided; a body
/// or query that fails to parse waits for the gate before it answers, so a
/// refusal always comes first.
#[derive(Clone, Default)]
pub struct AuthGate(std::rc::Rc<GateInner>);

#[derive(Default)]
pub struct GateInner {
    decided: std::cell::Cell<bool>,
    notify: tokio::sync::Notify,
}

impl AuthGate {
    /// The permission check has finished (either way).
    pub fn open(&self) {
        self.0.decided.set(true);
        self.0.notify.notify_waiters();
    }

    async fn passed(&self) {
        loop {
            let notified = self.0.notify.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            if self.0.decided.get() {
                return;
            }
            notified.await;
        }
    }
}

/// Opens the gate when the permission check ends, however it ends.
pub struct OpenOnDrop(pub AuthGate);

impl Drop for OpenOnDrop {
    fn drop(&mut self) {
        self.0.open();
    }
}

/// An extraction error, held back until the permission check has answered.
async fn after_authorisation<T>(
    gate: Option<AuthGate>,
    result: Result<T, ApiError>,
) -> Result<T, ApiError> {
    if result.is_err()
        && let Some(gate) = gate
    {
        gate.passed().await;
    }
    result
}

/// An `application/x-www-form-urlencoded` body (the OAuth2 token endpoint).
pub struct ValidForm<T>(pub T);

impl<T> Deref for ValidJson<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

async fn read_limited(req: &HttpRequest, payload: &mut Payload) -> Result<Vec<u8>, ApiError> {
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.config.max_body_bytes)
        .unwrap_or(256 * 1024);
    let too_large =
        || ApiError::new(ErrorCode::PayloadTooLarge).detail(format!("at most {limit} bytes"));
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(1024).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::new(ErrorCode::MalformedBody).with_cause(e))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn content_type_is(req: &HttpRequest, wanted: &str) -> bool {
    req.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|essence| {
            essence == wanted || (wanted == "application/json" && essence.ends_with("+json"))
        })
}

/// The field a serde error is about: its path, plus the name inside
/// backticks for "unknown field `x`" and "missing field `x`".
pub(crate) fn field_error(path: &str, message: &str) -> FieldError {
    let named = message
        .split('`')
        .nth(1)
        .filter(|_| message.starts_with("unknown field") || message.starts_with("missing field"));
    let field = match (path, named) {
        (".", Some(name)) | ("", Some(name)) => name.to_owned(),
        // Unknown fields already end their path; missing ones do not.
        (path, Some(name)) if path.rsplit('.').next() == Some(name) => path.to_owned(),
        (path, Some(name)) => format!("{path}.{name}"),
        (path, None) => path.to_owned(),
    };
    let code = if message.starts_with("unknown field") {
        "unknown_field"
    } else if message.starts_with("missing field") {
        "required"
    } else {
        "invalid_type"
    };
    // Serde's message may quote the offending value; say only what was
    // expected, so a problem body never echoes personal data.
    let message = match code {
        "invalid_type" => match message.split(", expected ").nth(1) {
            Some(expected) => format!(
                "wrong type or value: expected {}",
                expected.split(" at line").next().unwrap_or(expected)
            ),
            None => "wrong type or value".to_owned(),
        },
        _ => message
            .split(" at line")
            .next()
            .unwrap_or(message)
            .split(", expected")
            .next()
            .unwrap_or(message)
            .to_owned(),
    };
    FieldError::new(&field, code, message)
}

fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let malformed = |e: &serde_json::Error| {
        ApiError::new(ErrorCode::MalformedBody).detail(format!(
            "not well-formed JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(value) => value,
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_syntax() || inner.is_eof() || inner.is_io() {
                return Err(malformed(&inner));
            }
            return Err(ApiError::validation(FieldErrors(vec![field_error(
                &path,
                &inner.to_string(),
            )])));
        }
    };
    // Anything after the value (a second object, stray text) is malformed.
    de.end().map_err(|e| malformed(&e))?;
    Ok(value)
}

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        let gate = req.extensions().get::<AuthGate>().cloned();
        Box::pin(async move {
            let parsed = async {
                if !content_type_is(&req, "application/json") {
                    return Err(ApiError::new(ErrorCode::UnsupportedMediaType));
                }
                let body = read_limited(&req, &mut payload).await?;
                parse_json(&body).map(ValidJson)
            }
            .await;
            after_authorisation(gate, parsed).await
        })
    }
}

/// The query string's problem, naming the field where serde says which.
fn query_error(e: serde_urlencoded::de::Error) -> ApiError {
    let message = e.to_string();
    let named = message
        .split('`')
        .nth(1)
        .filter(|_| message.starts_with("unknown field") || message.starts_with("missing field"));
    let (field, code) = match named {
        Some(name) if message.starts_with("missing field") => (name, "required"),
        Some(name) => (name, "unknown_field"),
        None => ("query", "invalid"),
    };
    ApiError::field(FieldError::new(
        field,
        code,
        message
            .split(':')
            .next_back()
            .unwrap_or("invalid query")
            .trim()
            .to_owned(),
    ))
}

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parsed = serde_urlencoded::from_str::<T>(req.query_string())
            .map(Query)
            .map_err(query_error);
        let gate = req.extensions().get::<AuthGate>().cloned();
        Box::pin(after_authorisation(gate, parsed))
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ValidForm<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            if !content_type_is(&req, "application/x-www-form-urlencoded") {
                return Err(ApiError::new(ErrorCode::UnsupportedMediaType)
                    .detail("send application/x-www-form-urlencoded"));
            }
            let body = read_limited(&req, &mut payload).await?;
            serde_urlencoded::from_bytes(&body)
                .map(ValidForm)
                .map_err(|e| {
                    ApiError::validation(FieldErrors(vec![field_error("", &e.to_string())]))
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code)]
    struct Sample {
        name: String,
        age: u8,
    }

    #[test]
    fn an_unknown_field_is_named() {
        let e = parse_json::<Sample>(br#"{"name":"a","age":1,"colour":"red"}"#).unwrap_err();
        assert_eq!(e.fields[0].field, "colour");
        assert_eq!(e.fields[0].code, "unknown_field");
    }

    #[test]
    fn a_wrong_type_is_named_without_echoing_the_value() {
        let e = parse_json::<Sample>(br#"{"name":"Secret Name","age":"old"}"#).unwrap_err();
        assert_eq!(e.fields[0].field, "age");
        assert_eq!(e.fields[0].code, "invalid_type");
        assert!(!e.fields[0].message.contains("old"));
    }

    #[test]
    fn a_missing_field_is_named() {
        let e = parse_json::<Sample>(br#"{"age":3}"#).unwrap_err();
        assert_eq!(e.fields[0].field, "name");
        assert_eq!(e.fields[0].code, "required");
    }

    #[test]
    fn broken_json_is_malformed_not_a_field_problem() {
        let e = parse_json::<Sample>(br#"{"name": "#).unwrap_err();
        assert_eq!(e.code, ErrorCode::MalformedBody);
        let e = parse_json::<Sample>(br#"{"name":"a","age":1} trailing"#).unwrap_err();
        assert_eq!(e.code, ErrorCode::MalformedBody);
    }
}
