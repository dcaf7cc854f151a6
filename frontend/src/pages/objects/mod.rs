//! Objects (POLE): vehicles, property and exhibits, phones and weapons.

mod form;
mod list;
mod view;

pub use form::{EditObject, NewObject};
pub use list::ObjectsList;
pub use view::ObjectView;

use crate::api::{self, ApiError};
use crate::session::Session;
use shared::error::{ErrorCode, Problem};
use shared::links::LinkRole;
use shared::objects::Object;
use uuid::Uuid;

/// The parts a person plays towards an object, most likely first.
pub const PERSON_ROLES: &[LinkRole] = &[
    LinkRole::Owner,
    LinkRole::Keeper,
    LinkRole::Driver,
    LinkRole::Passenger,
    LinkRole::Associate,
    LinkRole::Other,
];

/// Fetches the object named by the route's `:id`; a malformed id is
/// answered as the server would answer an unknown one.
pub async fn fetch_object(session: Session, id: String) -> Result<Object, ApiError> {
    let id = id
        .parse::<Uuid>()
        .map_err(|_| ApiError::Problem(Problem::new(ErrorCode::NotFound)))?;
    api::get_object(session, id).await
}
