//! Roles, the permissions named per action, and the one map between them.
//!
//! Deny by default: a role has exactly the permissions listed here and no
//! others. Handlers name the permission they need; they never test roles.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A job a member of staff does. A user may hold several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Officer,
    Investigator,
    IntelligenceAnalyst,
    CustodyOfficer,
    Supervisor,
    DataProtectionOfficer,
    Auditor,
    Oversight,
    Admin,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Officer,
        Role::Investigator,
        Role::IntelligenceAnalyst,
        Role::CustodyOfficer,
        Role::Supervisor,
        Role::DataProtectionOfficer,
        Role::Auditor,
        Role::Oversight,
        Role::Admin,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Investigator => "investigator",
            Role::IntelligenceAnalyst => "intelligence_analyst",
            Role::CustodyOfficer => "custody_officer",
            Role::Supervisor => "supervisor",
            Role::DataProtectionOfficer => "data_protection_officer",
            Role::Auditor => "auditor",
            Role::Oversight => "oversight",
            Role::Admin => "admin",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Role::Officer => "Officer",
            Role::Investigator => "Investigator",
            Role::IntelligenceAnalyst => "Intelligence analyst",
            Role::CustodyOfficer => "Custody officer",
            Role::Supervisor => "Supervisor",
            Role::DataProtectionOfficer => "Data protection officer",
            Role::Auditor => "Auditor",
            Role::Oversight => "Oversight",
            Role::Admin => "Administrator",
        }
    }

    /// The permissions this role grants. The single source of truth.
    pub const fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            // Front-line roles record and consult nominals and events for
            // their work, and read intelligence cleared for policing use.
            Role::Officer | Role::CustodyOfficer => &[
                PersonCreate,
                PersonRead,
                PersonList,
                PersonUpdate,
                PersonExport,
                RecordCreate,
                RecordRead,
                RecordList,
                RecordUpdate,
                RecordLink,
                IntelligenceRead,
            ],
            // Investigators also share records with partner agencies (a
            // disclosure) and read intelligence handled under conditions.
            Role::Investigator => &[
                PersonCreate,
                PersonRead,
                PersonList,
                PersonUpdate,
                PersonDisclose,
                PersonExport,
                RecordCreate,
                RecordRead,
                RecordList,
                RecordUpdate,
                RecordLink,
                IntelligenceRead,
                IntelligenceConditioned,
            ],
            // Analysts alone may know who a source is.
            Role::IntelligenceAnalyst => &[
                PersonCreate,
                PersonRead,
                PersonList,
                PersonUpdate,
                PersonDisclose,
                PersonExport,
                RecordCreate,
                RecordRead,
                RecordList,
                RecordUpdate,
                RecordLink,
                IntelligenceRead,
                IntelligenceConditioned,
                IntelligenceSource,
            ],
            // Supervisors also merge duplicate people (a combination) and run
            // legacy imports.
            Role::Supervisor => &[
                PersonCreate,
                PersonRead,
                PersonList,
                PersonUpdate,
                PersonDisclose,
                PersonExport,
                PersonMerge,
                RecordCreate,
                RecordRead,
                RecordList,
                RecordUpdate,
                RecordLink,
                RecordImport,
                IntelligenceRead,
                IntelligenceConditioned,
                RetentionReview,
            ],
            // The DPO consults records to answer rights requests and reads the
            // audit log, but does not create or alter records.
            // It alone restricts, holds and erases (DPA 2018 s.47), and it
            // reviews what is kept (s.39) with supervisors.
            Role::DataProtectionOfficer => &[
                PersonRead,
                PersonList,
                PersonDisclose,
                PersonExport,
                PersonRestrict,
                PersonErase,
                RecordRead,
                RecordList,
                RecordRestrict,
                RetentionReview,
                OversightRead,
                IntelligenceRead,
                IntelligenceConditioned,
                AuditRead,
                OrganisationAdmin,
                RightsManage,
                RightsRead,
            ],
            // Auditors see the log, never the records themselves.
            // They may also read rights cases, to check the force answers
            // them lawfully and on time.
            Role::Auditor => &[AuditRead, RightsRead, OversightRead],
            // Oversight sees only aggregates without personal data.
            Role::Oversight => &[OversightRead],
            // Administrators manage accounts but see no personal data:
            // separation of duties.
            // They also keep the list of organisations records are disclosed to.
            Role::Admin => &[UserAdmin, ApiClientAdmin, OrganisationAdmin],
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role `{s}`"))
    }
}

/// One action a caller may be allowed to take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum Permission {
    #[serde(rename = "person.create")]
    PersonCreate,
    #[serde(rename = "person.read")]
    PersonRead,
    #[serde(rename = "person.list")]
    PersonList,
    #[serde(rename = "person.update")]
    PersonUpdate,
    #[serde(rename = "person.disclose")]
    PersonDisclose,
    /// Take a copy of a person's profile out of Probity, printed or as a
    /// file (a disclosure).
    #[serde(rename = "person.export")]
    PersonExport,
    #[serde(rename = "person.merge")]
    PersonMerge,
    #[serde(rename = "person.restrict")]
    PersonRestrict,
    #[serde(rename = "person.erase")]
    PersonErase,
    /// Record objects, locations and events (collection).
    #[serde(rename = "record.create")]
    RecordCreate,
    #[serde(rename = "record.read")]
    RecordRead,
    #[serde(rename = "record.list")]
    RecordList,
    #[serde(rename = "record.update")]
    RecordUpdate,
    /// Link two records (a combination).
    #[serde(rename = "record.link")]
    RecordLink,
    /// Bulk import from legacy systems.
    #[serde(rename = "record.import")]
    RecordImport,
    /// Read intelligence with handling code P.
    #[serde(rename = "intelligence.read")]
    IntelligenceRead,
    /// Read intelligence with handling code C (shared with conditions).
    #[serde(rename = "intelligence.conditioned")]
    IntelligenceConditioned,
    /// Know who an intelligence source is.
    #[serde(rename = "intelligence.source")]
    IntelligenceSource,
    #[serde(rename = "user.admin")]
    UserAdmin,
    #[serde(rename = "api_client.admin")]
    ApiClientAdmin,
    #[serde(rename = "audit.read")]
    AuditRead,
    /// Keep the list of organisations that receive disclosures.
    #[serde(rename = "organisation.admin")]
    OrganisationAdmin,
    /// Record and answer data subjects' rights requests (ss.45-48).
    #[serde(rename = "rights.manage")]
    RightsManage,
    /// Read rights requests and their packs.
    #[serde(rename = "rights.read")]
    RightsRead,
    /// Restrict any record or place a legal hold on it (s.47(2)).
    #[serde(rename = "record.restrict")]
    RecordRestrict,
    /// Review what is kept and decide to retain or dispose (s.39, MoPI).
    #[serde(rename = "retention.review")]
    RetentionReview,
    /// Read aggregates that name no one (counts, rates, timeliness).
    #[serde(rename = "oversight.read")]
    OversightRead,
}

impl Permission {
    pub const ALL: [Permission; 27] = [
        Permission::PersonCreate,
        Permission::PersonRead,
        Permission::PersonList,
        Permission::PersonUpdate,
        Permission::PersonDisclose,
        Permission::PersonExport,
        Permission::PersonMerge,
        Permission::PersonRestrict,
        Permission::PersonErase,
        Permission::RecordCreate,
        Permission::RecordRead,
        Permission::RecordList,
        Permission::RecordUpdate,
        Permission::RecordLink,
        Permission::RecordImport,
        Permission::IntelligenceRead,
        Permission::IntelligenceConditioned,
        Permission::IntelligenceSource,
        Permission::UserAdmin,
        Permission::ApiClientAdmin,
        Permission::AuditRead,
        Permission::OrganisationAdmin,
        Permission::RightsManage,
        Permission::RightsRead,
        Permission::RecordRestrict,
        Permission::RetentionReview,
        Permission::OversightRead,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Permission::PersonCreate => "person.create",
            Permission::PersonRead => "person.read",
            Permission::PersonList => "person.list",
            Permission::PersonUpdate => "person.update",
            Permission::PersonDisclose => "person.disclose",
            Permission::PersonExport => "person.export",
            Permission::PersonMerge => "person.merge",
            Permission::PersonRestrict => "person.restrict",
            Permission::PersonErase => "person.erase",
            Permission::RecordCreate => "record.create",
            Permission::RecordRead => "record.read",
            Permission::RecordList => "record.list",
            Permission::RecordUpdate => "record.update",
            Permission::RecordLink => "record.link",
            Permission::RecordImport => "record.import",
            Permission::IntelligenceRead => "intelligence.read",
            Permission::IntelligenceConditioned => "intelligence.conditioned",
            Permission::IntelligenceSource => "intelligence.source",
            Permission::UserAdmin => "user.admin",
            Permission::ApiClientAdmin => "api_client.admin",
            Permission::AuditRead => "audit.read",
            Permission::OrganisationAdmin => "organisation.admin",
            Permission::RightsManage => "rights.manage",
            Permission::RightsRead => "rights.read",
            Permission::RecordRestrict => "record.restrict",
            Permission::RetentionReview => "retention.review",
            Permission::OversightRead => "oversight.read",
        }
    }

    /// Whether exercising it returns or changes personal data (or reads the
    /// log of who did), so that the caller must state why (DPA 2018 s.62):
    /// every permission but the administration of accounts, API clients and
    /// organisations, which touch no subject's data. A write answers with the record it wrote, so
    /// a write without a justification would be a read without one.
    pub const fn needs_justification(self) -> bool {
        !matches!(
            self,
            Permission::UserAdmin | Permission::ApiClientAdmin | Permission::OrganisationAdmin
        )
    }

    /// Whether a third-party API client may be granted it as a scope.
    /// Account administration and the audit log stay with people.
    pub const fn grantable_to_clients(self) -> bool {
        matches!(
            self,
            Permission::PersonCreate
                | Permission::PersonRead
                | Permission::PersonList
                | Permission::PersonUpdate
                | Permission::RecordCreate
                | Permission::RecordRead
                | Permission::RecordList
                | Permission::RecordUpdate
                | Permission::RecordLink
                | Permission::IntelligenceRead
        )
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Permission {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Permission::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("unknown permission `{s}`"))
    }
}

/// Whether any of the roles grants the permission.
pub fn roles_grant(roles: &[Role], permission: Permission) -> bool {
    roles.iter().any(|r| r.permissions().contains(&permission))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_and_permission_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            let json = serde_json::to_string(&role).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        for p in Permission::ALL {
            assert_eq!(p.as_str().parse::<Permission>(), Ok(p));
            let json = serde_json::to_string(&p).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", p.as_str()));
        }
    }

    #[test]
    fn auditors_and_admins_cannot_read_people() {
        assert!(!roles_grant(&[Role::Auditor], Permission::PersonRead));
        assert!(!roles_grant(&[Role::Admin], Permission::PersonRead));
        assert!(!roles_grant(&[Role::Oversight], Permission::PersonList));
        assert!(roles_grant(&[Role::Officer], Permission::PersonRead));
    }

    #[test]
    fn account_administration_is_never_grantable_to_clients() {
        assert!(!Permission::UserAdmin.grantable_to_clients());
        assert!(!Permission::AuditRead.grantable_to_clients());
    }
}
