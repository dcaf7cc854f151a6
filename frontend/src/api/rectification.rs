//! Rectification on a request case (DPA 2018 s.46) and the letters owed to
//! earlier recipients of a changed record (s.48). Each call names records
//! or recipients, so each cites the working context.

use super::audit::{Download, download};
use super::{ApiError, Call, Method, authed, decode};
use crate::session::Session;
use shared::rights::rectification::{RecipientNotification, RectificationInput, Rectified};
use uuid::Uuid;

async fn send_for<T: serde::de::DeserializeOwned>(
    session: Session,
    call: Call,
) -> Result<T, ApiError> {
    decode(authed(session, &call.consulting()).await?).await
}

/// Corrects a field through the record's own rules, or appends a
/// supplementary statement; answers with the letters now owed.
pub async fn rectify(
    session: Session,
    request: Uuid,
    input: &RectificationInput,
) -> Result<Rectified, ApiError> {
    let call = Call::with_body(
        Method::Post,
        format!("/rights/requests/{request}/rectifications"),
        input,
    )?;
    send_for(session, call).await
}

/// Every letter owed on the request, sent or not.
pub async fn notifications(
    session: Session,
    request: Uuid,
) -> Result<Vec<RecipientNotification>, ApiError> {
    let call = Call::get(format!("/rights/requests/{request}/notifications"));
    send_for(session, call).await
}

pub async fn letter_pdf(session: Session, id: Uuid) -> Result<Download, ApiError> {
    let call = Call::get(format!("/notifications/{id}/letter.pdf")).consulting();
    download(session, &call, format!("notification-{id}.pdf")).await
}

/// Records the letter as sent: a disclosure to the recipient. 409 if sent.
pub async fn send(session: Session, id: Uuid) -> Result<RecipientNotification, ApiError> {
    send_for(session, Call::post(format!("/notifications/{id}/send"))).await
}
