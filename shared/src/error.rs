//! Stable error codes and the RFC 9457 problem body.
//!
//! The code is the contract: clients (our own front end included) match on
//! `code`, never on the human-readable `title` or `detail`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a request failed, as a stable machine-readable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// One or more fields broke a rule; see `errors`.
    Validation,
    /// The body was not well-formed JSON of the expected shape.
    MalformedBody,
    /// The body was not sent as `application/json`.
    UnsupportedMediaType,
    /// The body was larger than the server accepts.
    PayloadTooLarge,
    /// No valid access token was presented.
    Unauthenticated,
    /// Sign-in failed: unknown account, wrong password, disabled account, or
    /// throttled after repeated failures (one answer for all, so usernames
    /// cannot be probed).
    InvalidCredentials,
    /// The refresh token is unknown, expired, revoked or was reused.
    InvalidRefreshToken,
    /// The caller is authenticated but lacks the permission.
    Forbidden,
    /// Reading personal data needs a stated justification (DPA 2018 s.62).
    JustificationRequired,
    /// No such record, or the caller may not know it exists.
    NotFound,
    /// No such route or method.
    RouteNotFound,
    MethodNotAllowed,
    /// The record already exists (for example a username in use).
    Conflict,
    /// The record changed since it was read (If-Match did not match).
    PreconditionFailed,
    /// The audit event could not be written, so nothing was done.
    AuditUnavailable,
    /// The database or another dependency is unavailable.
    ServiceUnavailable,
    /// Something went wrong inside the server; the request id helps support.
    Internal,
}

impl ErrorCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Validation => "validation",
            Self::MalformedBody => "malformed_body",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InvalidRefreshToken => "invalid_refresh_token",
            Self::Forbidden => "forbidden",
            Self::JustificationRequired => "justification_required",
            Self::NotFound => "not_found",
            Self::RouteNotFound => "route_not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::PreconditionFailed => "precondition_failed",
            Self::AuditUnavailable => "audit_unavailable",
            Self::ServiceUnavailable => "service_unavailable",
            Self::Internal => "internal",
        }
    }

    /// The HTTP status that goes with the code.
    pub const fn status(self) -> u16 {
        match self {
            Self::Validation => 422,
            Self::MalformedBody => 400,
            Self::UnsupportedMediaType => 415,
            Self::PayloadTooLarge => 413,
            Self::Unauthenticated | Self::InvalidCredentials | Self::InvalidRefreshToken => 401,
            Self::Forbidden => 403,
            Self::JustificationRequired => 428,
            Self::NotFound | Self::RouteNotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict => 409,
            Self::PreconditionFailed => 412,
            Self::AuditUnavailable | Self::ServiceUnavailable => 503,
            Self::Internal => 500,
        }
    }

    pub const fn title(self) -> &'static str {
        match self {
            Self::Validation => "Some fields need correcting",
            Self::MalformedBody => "The request body could not be read",
            Self::UnsupportedMediaType => "The request body must be application/json",
            Self::PayloadTooLarge => "The request body is too large",
            Self::Unauthenticated => "Sign-in required",
            Self::InvalidCredentials => "Username or password not recognised",
            Self::InvalidRefreshToken => "Session expired; sign in again",
            Self::Forbidden => "Your role does not permit this",
            Self::JustificationRequired => "State why you need this information",
            Self::NotFound => "Not found",
            Self::RouteNotFound => "No such endpoint",
            Self::MethodNotAllowed => "Method not allowed on this endpoint",
            Self::Conflict => "Conflicts with an existing record",
            Self::PreconditionFailed => "The record was changed by someone else; reload it",
            Self::AuditUnavailable => "The audit log could not be written; nothing was done",
            Self::ServiceUnavailable => "Service temporarily unavailable",
            Self::Internal => "Internal error",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule broken by one field. `field` is the JSON path of the field as sent
/// (`surname`, `date_of_birth`); `code` is stable, `message` is for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// The collected failures of a whole form, so every bad field is reported at once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Runs one parser, keeping its value or remembering its error.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }
}

/// An RFC 9457 problem details body (`application/problem+json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI reference naming the kind of problem: `/api/v1/problems/{code}`.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request id, to quote to support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    pub code: ErrorCode,
    /// One entry per bad field, for validation problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

impl Problem {
    pub fn new(code: ErrorCode) -> Self {
        Self {
            problem_type: format!("/api/v1/problems/{}", code.as_str()),
            title: code.title().to_owned(),
            status: code.status(),
            detail: None,
            instance: None,
            code,
            errors: Vec::new(),
        }
    }
}
