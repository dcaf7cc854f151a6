//! The one error type of the API, rendered as RFC 9457 problem+json.
//!
//! When to use what: domain and handler code returns `ApiError` built from a
//! stable `ErrorCode`; validation failures carry every bad field; anything
//! unexpected becomes `ApiError::internal`, which logs the cause with the
//! request id and shows the client only the code and the id. Internals
//! (SQL, paths, stack) never reach a response.

use crate::telemetry::current_request_id;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};
use shared::error::{ErrorCode, FieldError, FieldErrors, PROBLEM_CONTENT_TYPE, Problem};
use std::fmt;

#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub detail: Option<String>,
    pub fields: Vec<FieldError>,
    /// Logged, never shown.
    cause: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode) -> Self {
        Self {
            code,
            detail: None,
            fields: Vec::new(),
            cause: None,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn validation(errors: FieldErrors) -> Self {
        Self {
            fields: errors.0,
            ..Self::new(ErrorCode::Validation)
        }
    }

    pub fn field(field: FieldError) -> Self {
        Self::validation(FieldErrors(vec![field]))
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound)
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden)
    }

    pub fn unauthenticated(detail: &str) -> Self {
        Self::new(ErrorCode::Unauthenticated).detail(detail)
    }

    /// Something unexpected: the cause is logged with the request id.
    pub fn internal(cause: impl fmt::Display) -> Self {
        Self {
            cause: Some(cause.to_string()),
            ..Self::new(ErrorCode::Internal)
        }
    }

    pub fn unavailable(cause: impl fmt::Display) -> Self {
        Self {
            cause: Some(cause.to_string()),
            ..Self::new(ErrorCode::ServiceUnavailable)
        }
    }

    pub fn with_cause(mut self, cause: impl fmt::Display) -> Self {
        self.cause = Some(cause.to_string());
        self
    }

    pub fn problem(&self) -> Problem {
        let mut problem = Problem::new(self.code);
        problem.detail = self.detail.clone();
        problem.errors = self.fields.clone();
        problem.instance = current_request_id();
        problem
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error.code = %self.code, error.cause = self.cause.as_deref().unwrap_or(""), "request failed");
        } else if let Some(cause) = &self.cause {
            tracing::debug!(error.code = %self.code, error.cause = %cause, "request refused");
        }
        let body = serde_json::to_string(&self.problem()).unwrap_or_default();
        let mut response = HttpResponse::build(status);
        if self.code == ErrorCode::Unauthenticated {
            response.insert_header(("WWW-Authenticate", "Bearer realm=\"probity\""));
        }
        response
            .insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE))
            .body(body)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => ApiError::not_found(),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                ApiError::new(ErrorCode::Conflict).with_cause(info.message())
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                ApiError::unavailable(info.message())
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        ApiError::unavailable(format!("database pool: {e}"))
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

impl std::error::Error for ApiError {}
