//! Organisations that receive disclosures. The log names a recipient by the
//! id of an organisation from this maintained list, never by text someone
//! typed, so nothing typed for a disclosure becomes permanent (DPA 2018
//! s.62(3): who received the data, as an identifier).

use crate::error::{FieldError, FieldErrors};
use crate::ids::OrganisationId;
use crate::rules::{has_control_characters, tidy};
use serde::{Deserialize, Serialize};

crate::code_list!(
    /// What kind of body an organisation is.
    OrganisationKind {
        PoliceForce = ("police_force", "Police force"),
        LawEnforcement = ("law_enforcement", "Other law enforcement agency"),
        Prosecutor = ("prosecutor", "Prosecutor"),
        Court = ("court", "Court or tribunal"),
        Probation = ("probation", "Prison or probation service"),
        LocalAuthority = ("local_authority", "Local authority"),
        Health = ("health", "Health body"),
        Education = ("education", "School or college"),
        Regulator = ("regulator", "Regulator or oversight body"),
        Government = ("government", "Government department"),
        Charity = ("charity", "Charity or voluntary body"),
        Other = ("other", "Other"),
    }
);

/// The National bodies a new installation knows, with fixed ids.
pub const INFORMATION_COMMISSIONER: OrganisationId = OrganisationId(uuid::Uuid::from_u128(
    0x0000_0000_0000_4000_8000_0000_0000_0001,
));

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub kind: OrganisationKind,
    /// Inactive organisations stay named in old disclosures but are no
    /// longer offered as recipients.
    pub active: bool,
}

/// An organisation as an administrator adds or corrects it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    pub name: String,
    /// A kind code, e.g. `local_authority`.
    pub kind: String,
    #[serde(default = "active")]
    pub active: bool,
}

fn active() -> bool {
    true
}

/// An organisation input whose rules passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidOrganisation {
    pub name: String,
    pub kind: OrganisationKind,
    pub active: bool,
}

impl OrganisationInput {
    pub fn validate(&self) -> Result<ValidOrganisation, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = tidy(&self.name);
        if !(2..=120).contains(&name.chars().count()) {
            errors.0.push(FieldError::new(
                "name",
                "length",
                "Give the organisation's name (2 to 120 characters)",
            ));
        } else if has_control_characters(&name) {
            errors.0.push(FieldError::new(
                "name",
                "invalid_characters",
                "The name holds a character that cannot be stored",
            ));
        }
        let kind = OrganisationKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.0.push(FieldError::new(
                "kind",
                "unknown",
                "Choose a kind from the list",
            ));
        }
        match kind {
            Some(kind) if errors.0.is_empty() => Ok(ValidOrganisation {
                name,
                kind,
                active: self.active,
            }),
            _ => Err(errors),
        }
    }
}

/// How the log names an organisation that received a disclosure.
pub fn recipient_code(id: OrganisationId) -> String {
    format!("organisation:{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_needs_a_name_and_a_known_kind() {
        let ok = OrganisationInput {
            name: "  Leeds City Council   children's services ".into(),
            kind: "local_authority".into(),
            active: true,
        }
        .validate()
        .unwrap();
        assert_eq!(ok.name, "Leeds City Council children's services");
        let bad = OrganisationInput {
            name: "x".into(),
            kind: "friends".into(),
            active: true,
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "kind"]);
    }

    #[test]
    fn the_commissioner_keeps_the_id_the_migration_gave_it() {
        assert_eq!(
            INFORMATION_COMMISSIONER.to_string(),
            "00000000-0000-4000-8000-000000000001"
        );
    }
}
