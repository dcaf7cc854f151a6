//! Restriction of any record and legal holds (DPA 2018 s.47(2)), for
//! those who decide restriction. Each names records, so each is a
//! consultation and cites the working context.

use super::{ApiError, Call, Method, authed, decode, no_content};
use crate::session::Session;
use serde::Serialize;
use shared::links::RecordKey;
use shared::rights::restriction::{LegalHold, LegalHoldInput, RestrictInput, Restriction};
use uuid::Uuid;

async fn send_for<T: serde::de::DeserializeOwned>(
    session: Session,
    call: Call,
) -> Result<T, ApiError> {
    decode(authed(session, &call.consulting()).await?).await
}

fn at(record: RecordKey) -> String {
    format!(
        "/restrictions/{}/{}",
        record.record_type.as_str(),
        record.id
    )
}

/// Every restricted record and person, soonest review first.
pub async fn list(session: Session) -> Result<Vec<Restriction>, ApiError> {
    send_for(session, Call::get("/restrictions".into())).await
}

pub async fn restrict(
    session: Session,
    record: RecordKey,
    input: &RestrictInput,
) -> Result<Restriction, ApiError> {
    let call = Call::with_body(Method::Put, at(record), input)?;
    send_for(session, call).await
}

/// Back into ordinary processing.
pub async fn lift(session: Session, record: RecordKey) -> Result<(), ApiError> {
    no_content(authed(session, &Call::delete(at(record)).consulting()).await?).await
}

/// Holds in force, soonest review first.
pub async fn holds(session: Session) -> Result<Vec<LegalHold>, ApiError> {
    send_for(session, Call::get("/legal-holds".into())).await
}

/// The body of a new hold: the record, and the hold's own fields beside it.
#[derive(Serialize)]
struct NewHold<'a> {
    record: RecordKey,
    #[serde(flatten)]
    hold: &'a LegalHoldInput,
}

pub async fn place_hold(
    session: Session,
    record: RecordKey,
    hold: &LegalHoldInput,
) -> Result<LegalHold, ApiError> {
    let call = Call::with_body(
        Method::Post,
        "/legal-holds".into(),
        &NewHold { record, hold },
    )?;
    send_for(session, call).await
}

pub async fn lift_hold(session: Session, id: Uuid) -> Result<LegalHold, ApiError> {
    send_for(session, Call::delete(format!("/legal-holds/{id}"))).await
}
