//! Erasure (DPA 2018 s.47): a plan made on an erasure request, the
//! passages of kept records the officer confirms redacted, running the
//! plan, and the certificate it issues. The plan holds the person's data
//! until it runs, so every call cites the working context.

use super::audit::{Download, download};
use super::{ApiError, Call, Method, authed, decode};
use crate::session::Session;
use shared::ids::PersonId;
use shared::rights::erasure::{ErasurePlan, IssuedCertificate, PassageInput, PlanInput};
use uuid::Uuid;

async fn send_for<T: serde::de::DeserializeOwned>(
    session: Session,
    call: Call,
) -> Result<T, ApiError> {
    decode(authed(session, &call.consulting()).await?).await
}

/// Plans the erasure of `person`, a subject of erasure request `request`:
/// nothing is erased yet. 409 names a legal hold that stops it.
pub async fn plan_for_request(
    session: Session,
    request: Uuid,
    person: PersonId,
) -> Result<ErasurePlan, ApiError> {
    let call = Call::with_body(
        Method::Post,
        format!("/rights/requests/{request}/erasure-plan"),
        &PlanInput { person },
    )?;
    send_for(session, call).await
}

pub async fn get_plan(session: Session, id: Uuid) -> Result<ErasurePlan, ApiError> {
    send_for(session, Call::get(format!("/erasure-plans/{id}"))).await
}

/// Confirms passage `n` with the text it will hold; 422 on `text` if it
/// still names the person (the server alone knows what to look for).
pub async fn confirm_passage(
    session: Session,
    id: Uuid,
    n: usize,
    text: String,
) -> Result<ErasurePlan, ApiError> {
    let call = Call::with_body(
        Method::Put,
        format!("/erasure-plans/{id}/passages/{n}"),
        &PassageInput { text },
    )?;
    send_for(session, call).await
}

/// Runs the plan in one transaction and issues the certificate. 409 while
/// passages are unconfirmed, or if the records changed since the plan.
pub async fn execute(session: Session, id: Uuid) -> Result<IssuedCertificate, ApiError> {
    send_for(session, Call::post(format!("/erasure-plans/{id}/execute"))).await
}

pub async fn get_certificate(session: Session, id: Uuid) -> Result<IssuedCertificate, ApiError> {
    send_for(session, Call::get(format!("/erasure-certificates/{id}"))).await
}

/// The certificate as the PDF to keep or send; named by its id.
pub async fn certificate_pdf(session: Session, id: Uuid) -> Result<Download, ApiError> {
    let call = Call::get(format!("/erasure-certificates/{id}/certificate.pdf")).consulting();
    download(session, &call, format!("erasure-certificate-{id}.pdf")).await
}
