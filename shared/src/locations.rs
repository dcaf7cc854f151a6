//! Locations (POLE): an address or a point, with the type of place.

use crate::codes_police::PlaceType;
use crate::error::FieldErrors;
use crate::events::RuleContext;
use crate::links::{Link, NewLink, RecordKey, RecordType};
use crate::people::details::parse_postcode;
use crate::rules::Checker;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocationDetails {
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    pub place_type: PlaceType,
}

// Coordinates are compared exactly: they are stored as given.
impl Eq for LocationDetails {}

impl LocationDetails {
    pub fn summary(&self) -> String {
        match (self.address.is_empty(), self.postcode.is_empty()) {
            (false, false) => format!("{}, {}", self.address, self.postcode),
            (false, true) => self.address.clone(),
            (true, false) => self.postcode.clone(),
            (true, true) => match (self.latitude, self.longitude) {
                (Some(a), Some(o)) => format!("{a:.5}, {o:.5}"),
                _ => self.place_type.label().to_owned(),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    pub details: LocationDetails,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<NewLink>,
}

impl LocationInput {
    pub fn validate(&self, id: Uuid, _ctx: &RuleContext) -> Result<LocationInput, FieldErrors> {
        let mut c = Checker::default();
        let d = &self.details;
        let address = c.text("details.address", &d.address, 0, 300, "");
        let postcode = if d.postcode.trim().is_empty() {
            String::new()
        } else {
            parse_postcode(&d.postcode).unwrap_or_else(|| {
                c.fail(
                    "details.postcode",
                    "format",
                    "Enter a UK postcode such as LS1 4AP",
                );
                d.postcode.clone()
            })
        };
        match (d.latitude, d.longitude) {
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) {
                    c.fail(
                        "details.latitude",
                        "range",
                        "Latitude is between -90 and 90",
                    );
                }
                if !(-180.0..=180.0).contains(&lon) {
                    c.fail(
                        "details.longitude",
                        "range",
                        "Longitude is between -180 and 180",
                    );
                }
            }
            (None, None) => {}
            (None, Some(_)) => c.fail("details.latitude", "required", "Give both coordinates"),
            (Some(_), None) => c.fail("details.longitude", "required", "Give both coordinates"),
        }
        if address.is_empty() && postcode.is_empty() && d.latitude.is_none() {
            c.fail(
                "details.address",
                "required",
                "Enter an address, a postcode or coordinates",
            );
        }
        let me = RecordKey {
            record_type: RecordType::Location,
            id,
        };
        NewLink::check_on_create(&self.links, me, &mut c);
        c.finish(LocationInput {
            details: LocationDetails {
                address,
                postcode,
                latitude: d.latitude,
                longitude: d.longitude,
                place_type: d.place_type,
            },
            links: self.links.clone(),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Location {
    pub id: Uuid,
    pub summary: String,
    pub details: LocationDetails,
    #[serde(default)]
    pub links: Vec<Link>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Supplementary statements that complete it (DPA 2018 s.46), shown
    /// wherever it is shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<crate::rights::rectification::SupplementaryStatement>,
    /// Restricted (s.47(2)): only those who decide restriction see it.
    #[serde(default)]
    pub restricted: bool,
}
