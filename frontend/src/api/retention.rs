//! Review, retention and disposal (MoPI): the queue of people due for
//! review, one person's case, and the review itself. The queue names
//! people, so every call cites the working context (purpose retention
//! review).

use super::{ApiError, Call, Method, authed, decode};
use crate::session::Session;
use shared::ids::PersonId;
use shared::page::Page;
use shared::rights::retention::{DueReview, RetentionCase, ReviewInput, ReviewOutcome};

pub const DUE_PAGE_SIZE: u32 = 50;

async fn send_for<T: serde::de::DeserializeOwned>(
    session: Session,
    call: Call,
) -> Result<T, ApiError> {
    decode(authed(session, &call.consulting()).await?).await
}

/// Oldest due first; `after` is the cursor of the page before.
pub async fn due(session: Session, after: Option<String>) -> Result<Page<DueReview>, ApiError> {
    let mut call = Call::get("/retention/due".into());
    call.query.push(("limit", DUE_PAGE_SIZE.to_string()));
    if let Some(after) = after {
        call.query.push(("after", after));
    }
    send_for(session, call).await
}

pub async fn case(session: Session, person: PersonId) -> Result<RetentionCase, ApiError> {
    send_for(session, Call::get(format!("/retention/people/{person}"))).await
}

/// Retains (any yes) or disposes (all no: the person is erased and the
/// outcome names the certificate). 409 if the clear period restarted
/// since the case was read.
pub async fn review(
    session: Session,
    person: PersonId,
    input: &ReviewInput,
) -> Result<ReviewOutcome, ApiError> {
    let call = Call::with_body(
        Method::Post,
        format!("/retention/people/{person}/reviews"),
        input,
    )?;
    send_for(session, call).await
}
