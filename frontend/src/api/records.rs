//! Objects, locations, the links between records, the person profile, the
//! duplicate check and merging duplicates. Reading any of them is a
//! consultation and needs the working context; recording one does not.

use super::audit::{Download, download};
use super::{ApiError, Call, Method, authed, decode, problem};
use crate::session::Session;
use shared::ids::PersonId;
use shared::links::{Link, NewLink};
use shared::locations::{Location, LocationInput};
use shared::objects::{Object, ObjectInput, ObjectKind};
use shared::page::{DEFAULT_PAGE_SIZE, Page};
use shared::people::{DuplicateCandidate, MergeRequest, Person};
use shared::profile::PersonProfile;
use uuid::Uuid;

/// People already recorded who may be the one about to be created.
pub async fn find_duplicates(
    session: Session,
    surname: &str,
    forenames: &str,
    date_of_birth: &str,
) -> Result<Vec<DuplicateCandidate>, ApiError> {
    let mut call = Call::get("/people/duplicates".into()).consulting();
    call.query.push(("surname", surname.trim().to_owned()));
    if !forenames.trim().is_empty() {
        call.query.push(("forenames", forenames.trim().to_owned()));
    }
    if !date_of_birth.trim().is_empty() {
        call.query
            .push(("date_of_birth", date_of_birth.trim().to_owned()));
    }
    decode(authed(session, &call).await?).await
}

/// Folds `duplicate` into `survivor` (a supervisor's decision, audited as a
/// combination): the duplicate's id resolves to the survivor from then on.
/// Answers with the survivor as it now stands.
pub async fn merge_person(
    session: Session,
    survivor: PersonId,
    duplicate: PersonId,
) -> Result<Person, ApiError> {
    let call = Call::with_body(
        Method::Post,
        format!("/people/{survivor}/merge"),
        &MergeRequest { duplicate },
    )?
    .consulting();
    decode(authed(session, &call).await?).await
}

/// The profile to print. The server records the print as a disclosure
/// before it answers, so the page prints only what was recorded.
pub async fn print_person(session: Session, id: PersonId) -> Result<PersonProfile, ApiError> {
    let call = Call::get(format!("/people/{id}/print")).consulting();
    decode(authed(session, &call).await?).await
}

/// The profile as a file to save, recorded as a disclosure.
pub async fn export_person(session: Session, id: PersonId) -> Result<Download, ApiError> {
    let call = Call::get(format!("/people/{id}/export")).consulting();
    download(session, &call, format!("probity-person-{id}.json")).await
}

/// Everything linked to a person, in one audited consultation.
pub async fn person_profile(session: Session, id: PersonId) -> Result<PersonProfile, ApiError> {
    let call = Call::get(format!("/people/{id}/profile")).consulting();
    decode(authed(session, &call).await?).await
}

/// `kind` of `None` lists every kind.
pub async fn list_objects(
    session: Session,
    kind: Option<ObjectKind>,
    cursor: Option<String>,
) -> Result<Page<Object>, ApiError> {
    let mut call = Call::get("/objects".into()).consulting();
    if let Some(kind) = kind {
        call.query.push(("kind", kind.as_str().to_owned()));
    }
    call.query.push(("limit", DEFAULT_PAGE_SIZE.to_string()));
    if let Some(cursor) = cursor {
        call.query.push(("cursor", cursor));
    }
    decode(authed(session, &call).await?).await
}

pub async fn get_object(session: Session, id: Uuid) -> Result<Object, ApiError> {
    decode(authed(session, &Call::get(format!("/objects/{id}")).consulting()).await?).await
}

/// `idempotency_key` names this submission, so a retry after a lost answer
/// gets the object the first attempt made, never a second one.
pub async fn create_object(
    session: Session,
    input: &ObjectInput,
    idempotency_key: Uuid,
) -> Result<Object, ApiError> {
    let mut call = Call::with_body(Method::Post, "/objects".into(), input)?.consulting();
    call.headers
        .push(("Idempotency-Key", idempotency_key.to_string()));
    decode(authed(session, &call).await?).await
}

/// Saves a correction made to `version`; 412 if someone saved since.
pub async fn update_object(
    session: Session,
    id: Uuid,
    version: i32,
    input: &ObjectInput,
) -> Result<Object, ApiError> {
    let mut call = Call::with_body(Method::Put, format!("/objects/{id}"), input)?.consulting();
    call.headers.push(("If-Match", format!("\"v{version}\"")));
    decode(authed(session, &call).await?).await
}

/// `postcode` matches by prefix, so "LS1" finds every LS1 address.
pub async fn list_locations(
    session: Session,
    postcode: Option<String>,
    cursor: Option<String>,
) -> Result<Page<Location>, ApiError> {
    let mut call = Call::get("/locations".into()).consulting();
    if let Some(postcode) = postcode.filter(|p| !p.trim().is_empty()) {
        call.query
            .push(("postcode", postcode.trim().to_uppercase()));
    }
    call.query.push(("limit", DEFAULT_PAGE_SIZE.to_string()));
    if let Some(cursor) = cursor {
        call.query.push(("cursor", cursor));
    }
    decode(authed(session, &call).await?).await
}

pub async fn get_location(session: Session, id: Uuid) -> Result<Location, ApiError> {
    decode(authed(session, &Call::get(format!("/locations/{id}")).consulting()).await?).await
}

pub async fn create_location(
    session: Session,
    input: &LocationInput,
    idempotency_key: Uuid,
) -> Result<Location, ApiError> {
    let mut call = Call::with_body(Method::Post, "/locations".into(), input)?.consulting();
    call.headers
        .push(("Idempotency-Key", idempotency_key.to_string()));
    decode(authed(session, &call).await?).await
}

pub async fn update_location(
    session: Session,
    id: Uuid,
    version: i32,
    input: &LocationInput,
) -> Result<Location, ApiError> {
    let mut call = Call::with_body(Method::Put, format!("/locations/{id}"), input)?.consulting();
    call.headers.push(("If-Match", format!("\"v{version}\"")));
    decode(authed(session, &call).await?).await
}

/// Links two existing records; `link.from` must be set.
pub async fn create_link(session: Session, link: &NewLink) -> Result<Link, ApiError> {
    let call = Call::with_body(Method::Post, "/links".into(), link)?.consulting();
    decode(authed(session, &call).await?).await
}

/// Removes a link; the records at both ends stay.
pub async fn delete_link(session: Session, id: Uuid) -> Result<(), ApiError> {
    let call = Call::delete(format!("/links/{id}")).consulting();
    let response = authed(session, &call).await?;
    if response.ok() {
        Ok(())
    } else {
        Err(ApiError::Problem(problem(response).await))
    }
}
