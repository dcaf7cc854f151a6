//! Objects (POLE): vehicles, property and exhibits with their chain of
//! custody, phones and weapons.

use crate::code_list;
use crate::error::FieldErrors;
use crate::events::RuleContext;
use crate::links::{Link, NewLink, RecordKey, RecordType};
use crate::rules::Checker;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

code_list!(
    ObjectKind {
        Vehicle = ("vehicle", "Vehicle"),
        Property = ("property", "Property or exhibit"),
        Phone = ("phone", "Phone"),
        Weapon = ("weapon", "Weapon"),
    }
);

/// A UK vehicle registration mark, upper case without spaces (`AB12CDE`).
pub fn normalise_vrm(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_uppercase()
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Vehicle {
    pub vrm: String,
    pub make: String,
    pub model: String,
    pub colour: String,
}

/// One hand-over in an exhibit's chain of custody.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CustodyTransfer {
    /// Who took it (collar number, name or store).
    pub held_by: String,
    pub at: String,
    /// Where it was kept.
    pub location: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Property {
    pub description: String,
    /// The exhibit label (`JB/1`) once it is an exhibit.
    pub exhibit_reference: String,
    pub seal_number: String,
    /// Every hand-over, oldest first; the chain may only grow.
    pub chain_of_custody: Vec<CustodyTransfer>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Phone {
    pub make: String,
    pub model: String,
    pub imei: String,
    pub number: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Weapon {
    pub weapon_type: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ObjectDetails {
    Vehicle(Vehicle),
    Property(Property),
    Phone(Phone),
    Weapon(Weapon),
}

impl ObjectDetails {
    pub fn kind(&self) -> ObjectKind {
        match self {
            ObjectDetails::Vehicle(_) => ObjectKind::Vehicle,
            ObjectDetails::Property(_) => ObjectKind::Property,
            ObjectDetails::Phone(_) => ObjectKind::Phone,
            ObjectDetails::Weapon(_) => ObjectKind::Weapon,
        }
    }

    pub fn summary(&self) -> String {
        match self {
            ObjectDetails::Vehicle(v) => format!("{} {} {} {}", v.vrm, v.colour, v.make, v.model)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            ObjectDetails::Property(p) if p.exhibit_reference.is_empty() => p.description.clone(),
            ObjectDetails::Property(p) => {
                format!("Exhibit {}: {}", p.exhibit_reference, p.description)
            }
            ObjectDetails::Phone(p) => format!("Phone {} {} {}", p.make, p.model, p.number)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            ObjectDetails::Weapon(w) => format!("{}: {}", w.weapon_type, w.description),
        }
    }

    fn clean(&self, c: &mut Checker, ctx: &RuleContext) -> ObjectDetails {
        let p = |f: &str| format!("details.{f}");
        match self {
            ObjectDetails::Vehicle(v) => {
                let vrm = normalise_vrm(&v.vrm);
                if !(2..=8).contains(&vrm.len()) {
                    c.fail(
                        &p("vrm"),
                        "format",
                        "Enter the registration mark (2 to 8 letters and digits)",
                    );
                }
                ObjectDetails::Vehicle(Vehicle {
                    vrm,
                    make: c.text(&p("make"), &v.make, 0, 50, ""),
                    model: c.text(&p("model"), &v.model, 0, 50, ""),
                    colour: c.text(&p("colour"), &v.colour, 0, 30, ""),
                })
            }
            ObjectDetails::Property(pr) => {
                let mut chain = Vec::new();
                let mut last = None;
                for (i, t) in pr.chain_of_custody.iter().enumerate() {
                    let q = |f: &str| p(&format!("chain_of_custody[{i}].{f}"));
                    let (at, when) = c.datetime(&q("at"), &t.at, true, ctx.now);
                    if let (Some(prev), Some(w)) = (last, when)
                        && w < prev
                    {
                        c.fail(
                            &q("at"),
                            "out_of_order",
                            "Hand-overs are recorded in time order",
                        );
                    }
                    last = when.or(last);
                    chain.push(CustodyTransfer {
                        held_by: c.text(&q("held_by"), &t.held_by, 1, 100, "who took it"),
                        at,
                        location: c.text(&q("location"), &t.location, 1, 200, "where it was kept"),
                        reason: c.text(&q("reason"), &t.reason, 0, 500, ""),
                    });
                }
                let exhibit_reference =
                    c.text(&p("exhibit_reference"), &pr.exhibit_reference, 0, 30, "");
                if !exhibit_reference.is_empty() && chain.is_empty() {
                    c.fail(
                        &p("chain_of_custody"),
                        "required",
                        "An exhibit needs its chain of custody from seizure",
                    );
                }
                ObjectDetails::Property(Property {
                    description: c.text(
                        &p("description"),
                        &pr.description,
                        3,
                        500,
                        "a description",
                    ),
                    exhibit_reference,
                    seal_number: c.text(&p("seal_number"), &pr.seal_number, 0, 30, ""),
                    chain_of_custody: chain,
                })
            }
            ObjectDetails::Phone(ph) => {
                let imei: String = ph.imei.chars().filter(|c| !c.is_whitespace()).collect();
                let well_formed = imei.len() == 15 && imei.chars().all(|c| c.is_ascii_digit());
                if !imei.is_empty() && !well_formed {
                    c.fail(&p("imei"), "format", "An IMEI is 15 digits");
                }
                ObjectDetails::Phone(Phone {
                    make: c.text(&p("make"), &ph.make, 0, 50, ""),
                    model: c.text(&p("model"), &ph.model, 0, 50, ""),
                    imei,
                    number: c.text(&p("number"), &ph.number, 0, 20, ""),
                })
            }
            ObjectDetails::Weapon(w) => ObjectDetails::Weapon(Weapon {
                weapon_type: c.text(
                    &p("weapon_type"),
                    &w.weapon_type,
                    2,
                    50,
                    "the type of weapon",
                ),
                description: c.text(&p("description"), &w.description, 0, 500, ""),
            }),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ObjectInput {
    pub details: ObjectDetails,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<NewLink>,
}

impl ObjectInput {
    pub fn validate(&self, id: Uuid, ctx: &RuleContext) -> Result<ObjectInput, FieldErrors> {
        let mut c = Checker::default();
        let details = self.details.clean(&mut c, ctx);
        let me = RecordKey {
            record_type: RecordType::Object,
            id,
        };
        NewLink::check_on_create(&self.links, me, &mut c);
        c.finish(ObjectInput {
            details,
            links: self.links.clone(),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Object {
    pub id: Uuid,
    pub kind: ObjectKind,
    pub summary: String,
    pub details: ObjectDetails,
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
