//! Locations (POLE): an address or a point, with the type of place.

mod form;
mod list;
mod view;

pub use form::{EditLocation, NewLocation};
pub use list::LocationsList;
pub use view::LocationView;

use crate::api::{self, ApiError};
use crate::session::Session;
use shared::error::{ErrorCode, Problem};
use shared::links::LinkRole;
use shared::locations::Location;
use uuid::Uuid;

/// The parts a person plays towards a place, most likely first.
pub const PERSON_ROLES: &[LinkRole] =
    &[LinkRole::HomeAddress, LinkRole::Associate, LinkRole::Other];

/// Fetches the location named by the route's `:id`; a malformed id is
/// answered as the server would answer an unknown one.
pub async fn fetch_location(session: Session, id: String) -> Result<Location, ApiError> {
    let id = id
        .parse::<Uuid>()
        .map_err(|_| ApiError::Problem(Problem::new(ErrorCode::NotFound)))?;
    api::get_location(session, id).await
}
