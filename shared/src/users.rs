//! Staff accounts and third-party API clients, as administrators manage them.

use crate::error::{FieldError, FieldErrors};
use crate::ids::{ApiClientId, UserId};
use crate::permissions::{Permission, Role};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;

/// Lower-case letters, digits, dot, dash and underscore; 3 to 64 characters.
pub fn parse_username(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim().to_lowercase();
    let len = name.chars().count();
    if !(3..=64).contains(&len) {
        return Err(FieldError::new(
            "username",
            "length",
            "Use 3 to 64 characters",
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
    {
        return Err(FieldError::new(
            "username",
            "invalid_characters",
            "Use letters, digits, dot, dash and underscore only",
        ));
    }
    Ok(name)
}

/// Length is what makes a password strong; NCSC advice is against
/// composition rules, so there are none.
pub fn check_password(raw: &str) -> Result<(), FieldError> {
    let len = raw.chars().count();
    if len < PASSWORD_MIN {
        return Err(FieldError::new(
            "password",
            "too_short",
            format!("Use at least {PASSWORD_MIN} characters"),
        ));
    }
    if len > PASSWORD_MAX {
        return Err(FieldError::new(
            "password",
            "too_long",
            format!("Use at most {PASSWORD_MAX} characters"),
        ));
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub roles: Vec<Role>,
}

/// A validated new account.
pub struct ValidNewUser {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
}

impl NewUser {
    pub fn validate(&self) -> Result<ValidNewUser, FieldErrors> {
        let mut errors = FieldErrors::default();
        let username = errors.check(parse_username(&self.username));
        errors.check(check_password(&self.password));
        let display_name = self
            .display_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if display_name.is_empty() || display_name.chars().count() > 100 {
            errors.0.push(FieldError::new(
                "display_name",
                "length",
                "Enter a name of 1 to 100 characters",
            ));
        }
        if self.roles.is_empty() {
            errors.0.push(FieldError::new(
                "roles",
                "required",
                "Give the account at least one role",
            ));
        }
        match username {
            Some(username) if errors.is_empty() => {
                let mut roles = self.roles.clone();
                roles.sort();
                roles.dedup();
                Ok(ValidNewUser {
                    username,
                    display_name,
                    roles,
                })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewApiClient {
    /// What the application is, for the audit log and administrators.
    pub name: String,
    pub scopes: Vec<Permission>,
}

impl NewApiClient {
    pub fn validate(&self) -> Result<(String, Vec<Permission>), FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            errors.0.push(FieldError::new(
                "name",
                "length",
                "Enter a name of 1 to 100 characters",
            ));
        }
        if self.scopes.is_empty() {
            errors.0.push(FieldError::new(
                "scopes",
                "required",
                "Grant at least one scope",
            ));
        }
        if let Some(p) = self.scopes.iter().find(|p| !p.grantable_to_clients()) {
            errors.0.push(FieldError::new(
                "scopes",
                "not_grantable",
                format!("`{p}` cannot be granted to an API client"),
            ));
        }
        if errors.is_empty() {
            let mut scopes = self.scopes.clone();
            scopes.sort();
            scopes.dedup();
            Ok((name, scopes))
        } else {
            Err(errors)
        }
    }
}

/// Returned once, when the client is created: the secret is never shown again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApiClientCreated {
    pub id: ApiClientId,
    pub client_id: String,
    pub client_secret: String,
    pub name: String,
    pub scopes: Vec<Permission>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_cased_and_checked() {
        assert_eq!(parse_username(" PC.Smith ").unwrap(), "pc.smith");
        assert!(parse_username("a b").is_err());
        assert!(parse_username("ab").is_err());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough passphrase").is_ok());
    }

    #[test]
    fn clients_cannot_be_given_account_administration() {
        let c = NewApiClient {
            name: "Case system".into(),
            scopes: vec![Permission::UserAdmin],
        };
        assert_eq!(c.validate().unwrap_err().0[0].code, "not_grantable");
    }
}
