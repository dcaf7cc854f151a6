//! The one client for Probity's API: typed calls using the `shared` types.
//!
//! Every authenticated call sends the bearer token and, once declared, cites
//! the working context by id in the `Probity-Working-Context` header: the
//! server holds its justification (DPA 2018 s.62). A 428 means the server no
//! longer accepts that context, so it is forgotten and the user asked again.
//! When the access token has expired (401 `unauthenticated`) the client
//! refreshes once and retries; if the refresh is refused the session ends
//! and the app returns to sign-in. Pages never see tokens.

use crate::session::{SESSION_EXPIRED, Session};
use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::auth::{RefreshRequest, SignInRequest, TokenPair};
use shared::error::{ErrorCode, FieldErrors, Problem};
use shared::ids::{PersonId, WorkingContextId};
use shared::justification::{Purpose, WORKING_CONTEXT_HEADER, WorkingContext, WorkingContextInput};
use shared::page::{DEFAULT_PAGE_SIZE, Page};
use shared::people::{Person, PersonInput};

mod audit;
pub mod erasure;
mod events;
mod records;
pub mod rectification;
pub mod restrictions;
pub mod retention;
pub mod rights;
mod search;

pub use audit::{
    AuditFilter, Download, audit_checkpoints, audit_events, export_audit, verify_audit,
};
pub use events::{create_event, get_event, list_events, search_policy, update_event};
pub use records::{
    create_link, create_location, create_object, delete_link, export_person, find_duplicates,
    get_location, get_object, list_locations, list_objects, merge_person, person_profile,
    print_person, update_location, update_object,
};
pub use search::{PeopleSearch, RecordFamily, search_people, search_records};

const BASE: &str = "/api/v1";

/// Why a call did not give what was asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server answered with a problem body.
    Problem(Problem),
    /// No usable answer: offline, server down, or a body we could not read.
    Network(String),
    /// The session could not be renewed; the app is returning to sign-in.
    SessionExpired,
}

impl ApiError {
    /// The per-field failures of a 422, to show under each field.
    pub fn field_errors(&self) -> FieldErrors {
        match self {
            ApiError::Problem(p) if p.code == ErrorCode::Validation => {
                FieldErrors(p.errors.clone())
            }
            _ => FieldErrors::default(),
        }
    }
}

/// A token refresh that several waiting requests share, so that the
/// single-use refresh token is presented once: presenting it twice would
/// revoke the whole session.
pub type RefreshInFlight = Shared<LocalBoxFuture<'static, Result<(), ApiError>>>;

#[derive(Clone, Copy)]
enum Method {
    Get,
    Post,
    Put,
    Delete,
}

/// One request, kept so that it can be sent again after a refresh.
struct Call {
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
    /// Returns or changes personal data, or returns the log, so the server
    /// will want a working context: without one the call is not sent at all.
    consults: bool,
}

impl Call {
    fn get(path: String) -> Self {
        Self {
            method: Method::Get,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            consults: false,
        }
    }

    fn delete(path: String) -> Self {
        Self {
            method: Method::Delete,
            ..Self::get(path)
        }
    }

    /// A POST whose path says it all (resume, compile, release).
    fn post(path: String) -> Self {
        Self {
            method: Method::Post,
            ..Self::get(path)
        }
    }

    fn with_body(method: Method, path: String, body: &impl Serialize) -> Result<Self, ApiError> {
        let body = serde_json::to_string(body).map_err(|e| ApiError::Network(e.to_string()))?;
        Ok(Self {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: Some(body),
            consults: false,
        })
    }

    /// A call that reads or changes personal data, or reads the audit log:
    /// the server wants a justification (DPA 2018 s.62), so without a
    /// working context the call is not sent and the user is asked for one.
    fn consulting(mut self) -> Self {
        self.consults = true;
        self
    }

    fn builder(&self) -> RequestBuilder {
        let url = format!("{BASE}{}", self.path);
        let builder = match self.method {
            Method::Get => Request::get(&url),
            Method::Post => Request::post(&url),
            Method::Put => Request::put(&url),
            Method::Delete => Request::delete(&url),
        };
        let mut builder = builder
            .header("Accept", "application/json, application/problem+json")
            .query(self.query.iter().map(|(k, v)| (*k, v.as_str())));
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        builder
    }

    async fn send(
        &self,
        bearer: Option<&str>,
        context: Option<WorkingContextId>,
    ) -> Result<Response, ApiError> {
        let mut builder = self.builder();
        if let Some(token) = bearer {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        if let Some(id) = context {
            builder = builder.header(WORKING_CONTEXT_HEADER, &id.to_string());
        }
        let request = match &self.body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body.as_str()),
            None => builder.build(),
        }
        .map_err(network)?;
        request.send().await.map_err(network)
    }
}

fn network(error: gloo_net::Error) -> ApiError {
    ApiError::Network(error.to_string())
}

/// Reads a problem body, or makes one up when the answer was not one
/// (a proxy's HTML error page, say).
async fn problem(response: Response) -> Problem {
    let status = response.status();
    match response.json::<Problem>().await {
        Ok(problem) => problem,
        Err(_) => {
            let code = match status {
                401 => ErrorCode::Unauthenticated,
                403 => ErrorCode::Forbidden,
                404 => ErrorCode::NotFound,
                412 => ErrorCode::PreconditionFailed,
                428 => ErrorCode::JustificationRequired,
                502..=504 => ErrorCode::ServiceUnavailable,
                _ => ErrorCode::Internal,
            };
            let mut problem = Problem::new(code);
            problem.status = status;
            problem
        }
    }
}

/// An answer with no body (204): only whether it succeeded.
async fn no_content(response: Response) -> Result<(), ApiError> {
    if response.ok() {
        Ok(())
    } else {
        Err(ApiError::Problem(problem(response).await))
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        response
            .json::<T>()
            .await
            .map_err(|e| ApiError::Network(format!("The answer could not be read: {e}")))
    } else {
        Err(ApiError::Problem(problem(response).await))
    }
}

/// Sends a call as the signed-in user, refreshing the access token once if
/// it has expired.
async fn authed(session: Session, call: &Call) -> Result<Response, ApiError> {
    // After a reload only the refresh token is known.
    if session.access_token().is_none() {
        refresh(session).await?;
    }
    let context = session.context_id_untracked();
    // The server would refuse it and log the refusal: ask the user instead.
    if call.consults && context.is_none() {
        return Err(ApiError::Problem(Problem::new(
            ErrorCode::JustificationRequired,
        )));
    }
    let token = session.access_token();
    let response = call.send(token.as_deref(), context).await?;
    let response = if response.status() == 401 {
        let refused = problem(response).await;
        if refused.code != ErrorCode::Unauthenticated {
            return Err(ApiError::Problem(refused));
        }
        // Another request may have refreshed while this one was in flight.
        if session.access_token() == token {
            refresh(session).await?;
        }
        call.send(session.access_token().as_deref(), context)
            .await?
    } else {
        response
    };
    if response.status() == 428 {
        let refused = problem(response).await;
        let why = refused
            .errors
            .iter()
            .find(|e| e.field == "working_context")
            .map(|e| e.message.clone());
        session.forget_context(context, why);
        return Err(ApiError::Problem(refused));
    }
    Ok(response)
}

/// Renews the access token, sharing one refresh among concurrent callers.
async fn refresh(session: Session) -> Result<(), ApiError> {
    let in_flight = match session.refresh_in_flight() {
        Some(in_flight) => in_flight,
        None => {
            let in_flight = refresh_now(session).boxed_local().shared();
            session.set_refresh_in_flight(Some(in_flight.clone()));
            in_flight
        }
    };
    let result = in_flight.await;
    session.set_refresh_in_flight(None);
    result
}

async fn refresh_now(session: Session) -> Result<(), ApiError> {
    let Some(refresh_token) = session.refresh_token() else {
        session.end(Some(SESSION_EXPIRED));
        return Err(ApiError::SessionExpired);
    };
    let call = Call::with_body(
        Method::Post,
        "/auth/refresh".into(),
        &RefreshRequest { refresh_token },
    )?;
    match decode::<TokenPair>(call.send(None, None).await?).await {
        Ok(pair) => {
            session.store_tokens(pair);
            Ok(())
        }
        // Refused: expired, revoked or reused. A network failure is not a
        // refusal, so the session survives it.
        Err(ApiError::Problem(_)) => {
            session.end(Some(SESSION_EXPIRED));
            Err(ApiError::SessionExpired)
        }
        Err(other) => Err(other),
    }
}

pub async fn sign_in(request: &SignInRequest) -> Result<TokenPair, ApiError> {
    let call = Call::with_body(Method::Post, "/auth/sign-in".into(), request)?;
    decode(call.send(None, None).await?).await
}

/// Revokes the refresh token on the server, then forgets the session here
/// whatever the server said: signing out must always work.
pub async fn sign_out(session: Session) {
    // After a reload there is no access token to authorise the revocation.
    if session.access_token().is_none() && session.refresh_token().is_some() {
        let _ = refresh(session).await;
    }
    if let (Some(token), Some(refresh_token)) = (session.access_token(), session.refresh_token())
        && let Ok(call) = Call::with_body(
            Method::Post,
            "/auth/sign-out".into(),
            &RefreshRequest { refresh_token },
        )
    {
        let _ = call.send(Some(&token), None).await;
    }
    session.end(None);
}

pub async fn list_people(
    session: Session,
    surname: Option<String>,
    cursor: Option<String>,
) -> Result<Page<Person>, ApiError> {
    let mut call = Call::get("/people".into()).consulting();
    call.query.push(("limit", DEFAULT_PAGE_SIZE.to_string()));
    if let Some(surname) = surname.filter(|s| !s.trim().is_empty()) {
        call.query.push(("surname", surname.trim().to_owned()));
    }
    if let Some(cursor) = cursor {
        call.query.push(("cursor", cursor));
    }
    decode(authed(session, &call).await?).await
}

pub async fn get_person(session: Session, id: PersonId) -> Result<Person, ApiError> {
    decode(authed(session, &Call::get(format!("/people/{id}")).consulting()).await?).await
}

/// `idempotency_key` names this submission: a retry after a lost answer
/// gets the person the first attempt made, never a second record.
pub async fn create_person(
    session: Session,
    input: &PersonInput,
    idempotency_key: uuid::Uuid,
) -> Result<Person, ApiError> {
    let mut call = Call::with_body(Method::Post, "/people".into(), input)?.consulting();
    call.headers
        .push(("Idempotency-Key", idempotency_key.to_string()));
    decode(authed(session, &call).await?).await
}

/// Saves a correction made to `version` of the record; if someone else has
/// saved since, the server refuses with 412 `precondition_failed`.
pub async fn update_person(
    session: Session,
    id: PersonId,
    version: i32,
    input: &PersonInput,
) -> Result<Person, ApiError> {
    let mut call = Call::with_body(Method::Put, format!("/people/{id}"), input)?.consulting();
    call.headers.push(("If-Match", format!("\"v{version}\"")));
    decode(authed(session, &call).await?).await
}

/// Declares the working context for a task; later calls cite its id.
/// The purposes this force accepts in a justification.
pub async fn purposes(session: Session) -> Result<Vec<Purpose>, ApiError> {
    decode(authed(session, &Call::get("/purposes".into())).await?).await
}

pub async fn declare_working_context(
    session: Session,
    input: &WorkingContextInput,
) -> Result<WorkingContext, ApiError> {
    let call = Call::with_body(Method::Post, "/working-contexts".into(), input)?;
    decode(authed(session, &call).await?).await
}
