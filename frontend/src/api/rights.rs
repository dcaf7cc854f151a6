//! Data subjects' rights requests and the subject access pack. A case holds
//! the requester's details and the subject's records, so every call, the
//! list included, is a consultation and cites the working context.

use super::audit::{Download, download};
use super::{ApiError, Call, Method, authed, decode};
use crate::session::Session;
use shared::ids::PersonId;
use shared::rights::pack::{CompileSummary, DecisionInput, SubjectAccessPack, WorkingPack};
use shared::rights::{
    AttachInput, ExtensionInput, IdentityInput, ReasonInput, RequestInput, RequestSummary,
    RightsRequest, RightsResponse, StatusInput,
};
use uuid::Uuid;

fn at(id: Uuid, rest: &str) -> String {
    format!("/rights/requests/{id}{rest}")
}

async fn send_for<T: serde::de::DeserializeOwned>(
    session: Session,
    call: Call,
) -> Result<T, ApiError> {
    decode(authed(session, &call.consulting()).await?).await
}

/// Open requests first, fewest days left (overdue) first, as the server
/// orders them; then the answered ones, newest first.
pub async fn list_requests(session: Session) -> Result<Vec<RequestSummary>, ApiError> {
    send_for(session, Call::get("/rights/requests".into())).await
}

pub async fn create_request(
    session: Session,
    input: &RequestInput,
) -> Result<RightsRequest, ApiError> {
    let call = Call::with_body(Method::Post, "/rights/requests".into(), input)?;
    send_for(session, call).await
}

pub async fn get_request(session: Session, id: Uuid) -> Result<RightsRequest, ApiError> {
    send_for(session, Call::get(at(id, ""))).await
}

/// Proof of the requester's identity: the clock runs from the later of
/// receipt and this.
pub async fn record_identity(
    session: Session,
    id: Uuid,
    input: &IdentityInput,
) -> Result<RightsRequest, ApiError> {
    let call = Call::with_body(Method::Put, at(id, "/identity"), input)?;
    send_for(session, call).await
}

/// Moves the case on; refusing (s.53) needs the reasons.
pub async fn change_status(
    session: Session,
    id: Uuid,
    input: &StatusInput,
) -> Result<RightsRequest, ApiError> {
    let call = Call::with_body(Method::Post, at(id, "/status"), input)?;
    send_for(session, call).await
}

/// Extends the time limit by one or two months (s.54(3)); only inside the
/// first month.
pub async fn extend(
    session: Session,
    id: Uuid,
    input: &ExtensionInput,
) -> Result<RightsRequest, ApiError> {
    let call = Call::with_body(Method::Post, at(id, "/extension"), input)?;
    send_for(session, call).await
}

/// Stops the clock while waiting for the requester to clarify.
pub async fn pause(
    session: Session,
    id: Uuid,
    input: &ReasonInput,
) -> Result<RightsRequest, ApiError> {
    let call = Call::with_body(Method::Post, at(id, "/pause"), input)?;
    send_for(session, call).await
}

/// Starts the clock again, the days already used kept.
pub async fn resume(session: Session, id: Uuid) -> Result<RightsRequest, ApiError> {
    send_for(session, Call::post(at(id, "/resume"))).await
}

/// Attaches a person record as the subject (a merged duplicate as its
/// survivor).
pub async fn attach_subject(
    session: Session,
    id: Uuid,
    person: PersonId,
) -> Result<RightsRequest, ApiError> {
    let call = Call::with_body(Method::Post, at(id, "/subjects"), &AttachInput { person })?;
    send_for(session, call).await
}

pub async fn detach_subject(
    session: Session,
    id: Uuid,
    person: PersonId,
) -> Result<RightsRequest, ApiError> {
    send_for(
        session,
        Call::delete(at(id, &format!("/subjects/{person}"))),
    )
    .await
}

/// Builds the pack from the database afresh; says what changed since the
/// last compile.
pub async fn compile(session: Session, id: Uuid) -> Result<CompileSummary, ApiError> {
    send_for(session, Call::post(at(id, "/compile"))).await
}

/// The latest compile, unredacted, with the decisions so far.
pub async fn working_pack(session: Session, id: Uuid) -> Result<WorkingPack, ApiError> {
    send_for(session, Call::get(at(id, "/pack"))).await
}

pub async fn decide(
    session: Session,
    id: Uuid,
    decisions: &[DecisionInput],
) -> Result<WorkingPack, ApiError> {
    let call = Call::with_body(Method::Put, at(id, "/decisions"), &decisions)?;
    send_for(session, call).await
}

/// The response will neither confirm nor deny that data is held (s.45(5)).
pub async fn neither_confirm_nor_deny(
    session: Session,
    id: Uuid,
    input: &ReasonInput,
) -> Result<RightsRequest, ApiError> {
    let call = Call::with_body(Method::Put, at(id, "/neither-confirm-nor-deny"), input)?;
    send_for(session, call).await
}

/// Withdraws "neither confirm nor deny": the response says what is held.
pub async fn say_what_is_held(session: Session, id: Uuid) -> Result<RightsRequest, ApiError> {
    send_for(session, Call::delete(at(id, "/neither-confirm-nor-deny"))).await
}

/// The pack as the subject would receive it under the decisions so far.
pub async fn preview(session: Session, id: Uuid) -> Result<SubjectAccessPack, ApiError> {
    send_for(session, Call::get(at(id, "/preview"))).await
}

/// Releases the response: a disclosure to the subject; the case is answered.
pub async fn release(session: Session, id: Uuid) -> Result<SubjectAccessPack, ApiError> {
    send_for(session, Call::post(at(id, "/release"))).await
}

/// The released response as the PDF the requester is sent.
pub async fn response_pdf(session: Session, id: Uuid) -> Result<Download, ApiError> {
    let call = Call::get(at(id, "/response.pdf")).consulting();
    download(session, &call, format!("subject-access-{id}.pdf")).await
}

/// The released response as JSON, described in the OpenAPI document.
pub async fn response_json(session: Session, id: Uuid) -> Result<Download, ApiError> {
    let call = Call::get(at(id, "/response.json")).consulting();
    download(session, &call, format!("subject-access-{id}.json")).await
}

/// Answers a rectification, erasure or restriction request once the work
/// is done (409 saying what is missing otherwise). After an erasure the
/// server clears the requester's details from the case.
pub async fn respond(session: Session, id: Uuid) -> Result<RightsResponse, ApiError> {
    send_for(session, Call::post(at(id, "/respond"))).await
}

/// The answer to a rectification, erasure or restriction request as sent.
pub async fn answer_pdf(session: Session, id: Uuid) -> Result<Download, ApiError> {
    let call = Call::get(at(id, "/answer.pdf")).consulting();
    download(session, &call, format!("answer-{id}.pdf")).await
}
