//! Data subjects' rights (DPA 2018 ss.45-48, 53-54): requests as cases with
//! the legal clock, and the subject access pack. One kind of case for every
//! right, so rectification, erasure and restriction follow on the same
//! cases; this module holds the rules the form and the server share.

pub mod clock;
pub mod erasure;
pub mod pack;
pub mod rectification;
pub mod restriction;
pub mod retention;

use crate::error::{FieldError, FieldErrors};
use crate::ids::PersonId;
use crate::rules::Checker;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

crate::code_list!(
    /// Which right the subject exercises.
    RequestKind {
        Access = ("access", "Access (s.45)"),
        Rectification = ("rectification", "Rectification (s.46)"),
        Erasure = ("erasure", "Erasure (s.47)"),
        Restriction = ("restriction", "Restriction (s.47)"),
    }
);

crate::code_list!(
    /// Where a case stands.
    RequestStatus {
        Received = ("received", "Received"),
        VerifyingIdentity = ("verifying_identity", "Verifying identity"),
        Compiling = ("compiling", "Compiling"),
        Reviewing = ("reviewing", "Reviewing"),
        Responded = ("responded", "Responded"),
        Refused = ("refused", "Refused (s.53)"),
        Withdrawn = ("withdrawn", "Withdrawn"),
    }
);

impl RequestStatus {
    /// Still to be answered, so its clock counts.
    pub const fn is_open(self) -> bool {
        !matches!(self, Self::Responded | Self::Refused | Self::Withdrawn)
    }

    /// The states a case may move to from this one by a plain transition.
    /// Responding is the release of the pack, not a transition; refusal and
    /// withdrawal need a reason and are open from any open state.
    pub const fn next(self) -> &'static [RequestStatus] {
        use RequestStatus::*;
        match self {
            Received => &[VerifyingIdentity, Compiling, Refused, Withdrawn],
            VerifyingIdentity => &[Compiling, Refused, Withdrawn],
            Compiling => &[Reviewing, Refused, Withdrawn],
            Reviewing => &[Compiling, Refused, Withdrawn],
            Responded | Refused | Withdrawn => &[],
        }
    }
}

crate::code_list!(
    /// The grounds on which s.45(4) lets information be withheld.
    WithholdingGround {
        Inquiry = ("a", "s.45(4)(a): avoid obstructing an official or legal inquiry, investigation or procedure"),
        Crime = ("b", "s.45(4)(b): avoid prejudicing the prevention, detection, investigation or prosecution of offences"),
        PublicSecurity = ("c", "s.45(4)(c): protect public security"),
        NationalSecurity = ("d", "s.45(4)(d): protect national security"),
        OthersRights = ("e", "s.45(4)(e): protect the rights and freedoms of others"),
    }
);

crate::code_list!(
    /// What happens to one item of the pack.
    ItemDecision {
        Release = ("release", "Release"),
        Redact = ("redact", "Release with redactions"),
        Withhold = ("withhold", "Withhold"),
    }
);

pub const NAME_MAX: usize = 200;
pub const CONTACT_MAX: usize = 300;
pub const NOTES_MAX: usize = 4_000;
pub const REASON_MIN: usize = 10;
pub const REASON_MAX: usize = 2_000;

/// A new request as the data protection officer records it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// access, rectification, erasure or restriction.
    pub kind: String,
    /// The requester: kept in the case only, never a searchable nominal.
    pub requester_name: String,
    /// How to reach them: postal address, email or both.
    pub requester_contact: String,
    /// `YYYY-MM-DD`: the day the request arrived.
    pub received_on: String,
    /// `YYYY-MM-DD`, once identity is proved.
    #[serde(default)]
    pub identity_proved_on: String,
    /// What proved it (passport seen, known address…).
    #[serde(default)]
    pub identity_means: String,
    #[serde(default)]
    pub notes: String,
}

/// A request whose rules passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRequest {
    pub kind: RequestKind,
    pub requester_name: String,
    pub requester_contact: String,
    pub received_on: NaiveDate,
    pub identity: Option<Identity>,
    pub notes: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub proved_on: NaiveDate,
    pub means: String,
}

fn identity(
    c: &mut Checker,
    proved_on: &str,
    means: &str,
    received_on: Option<NaiveDate>,
    today: NaiveDate,
    required: bool,
) -> Option<Identity> {
    let (_, proved) = c.date("identity_proved_on", proved_on, required);
    let means = c.text(
        "identity_means",
        means,
        if proved.is_some() { 3 } else { 0 },
        300,
        "what proved the requester's identity",
    );
    let proved = proved?;
    if proved > today {
        c.fail(
            "identity_proved_on",
            "in_future",
            "This cannot be in the future",
        );
        return None;
    }
    if received_on.is_some_and(|r| proved < r) {
        c.fail(
            "identity_proved_on",
            "before_receipt",
            "Identity cannot be proved before the request was received: the clock starts at the later of the two",
        );
        return None;
    }
    (!means.is_empty()).then_some(Identity {
        proved_on: proved,
        means,
    })
}

impl RequestInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidRequest, FieldErrors> {
        let mut c = Checker::default();
        let kind = RequestKind::parse(self.kind.trim());
        if kind.is_none() {
            c.fail(
                "kind",
                "unknown",
                "Choose the right the requester exercises",
            );
        }
        let requester_name = c.text(
            "requester_name",
            &self.requester_name,
            2,
            NAME_MAX,
            "the requester's name",
        );
        let requester_contact = c.text(
            "requester_contact",
            &self.requester_contact,
            3,
            CONTACT_MAX,
            "how to reach the requester",
        );
        let (_, received_on) = c.date("received_on", &self.received_on, true);
        if received_on.is_some_and(|r| r > today) {
            c.fail("received_on", "in_future", "This cannot be in the future");
        }
        let identity = identity(
            &mut c,
            &self.identity_proved_on,
            &self.identity_means,
            received_on,
            today,
            false,
        );
        let notes = c.text("notes", &self.notes, 0, NOTES_MAX, "notes");
        let (Some(kind), Some(received_on)) = (kind, received_on) else {
            return Err(c.errors);
        };
        c.finish(ValidRequest {
            kind,
            requester_name,
            requester_contact,
            received_on,
            identity,
            notes: (!notes.is_empty()).then_some(notes),
        })
    }
}

/// Proof of the requester's identity, recorded when it arrives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IdentityInput {
    /// `YYYY-MM-DD`.
    pub proved_on: String,
    pub means: String,
}

impl IdentityInput {
    pub fn validate(
        &self,
        received_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Identity, FieldErrors> {
        let mut c = Checker::default();
        let found = identity(
            &mut c,
            &self.proved_on,
            &self.means,
            Some(received_on),
            today,
            true,
        );
        // Report under this form's own field names.
        for e in &mut c.errors.0 {
            e.field = match e.field.as_str() {
                "identity_proved_on" => "proved_on".into(),
                "identity_means" => "means".into(),
                other => other.into(),
            };
        }
        match found {
            Some(found) if c.errors.0.is_empty() => Ok(found),
            _ => Err(c.errors),
        }
    }
}

/// A reason the data protection officer records: for a refusal, an
/// extension, a pause, a decision to withhold.
pub fn reason(field: &str, raw: &str) -> Result<String, FieldErrors> {
    let mut c = Checker::default();
    let reason = c.text(field, raw, REASON_MIN, REASON_MAX, "the reason");
    c.finish(reason)
}

/// An extension of the time limit by one or two months (s.54(3)).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtensionInput {
    /// 1 or 2.
    pub months: u32,
    /// Why the request is complex or numerous: sent to the requester.
    pub reason: String,
}

impl ExtensionInput {
    /// Valid only inside the first month (`first_month_ends`).
    pub fn validate(
        &self,
        first_month_ends: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<(u32, String), FieldErrors> {
        let mut errors = FieldErrors::default();
        if !(1..=2).contains(&self.months) {
            errors.0.push(FieldError::new(
                "months",
                "out_of_range",
                "Extend by one or two months",
            ));
        }
        match first_month_ends {
            None => errors.0.push(FieldError::new(
                "months",
                "clock_not_started",
                "The clock has not started: record proof of identity first",
            )),
            Some(end) if today > end => errors.0.push(FieldError::new(
                "months",
                "too_late",
                format!(
                    "An extension must be given inside the first month, which ended on {}",
                    end.format("%d/%m/%Y")
                ),
            )),
            Some(_) => {}
        }
        let reason = match reason("reason", &self.reason) {
            Ok(r) => Some(r),
            Err(e) => {
                errors.0.extend(e.0);
                None
            }
        };
        match reason {
            Some(r) if errors.0.is_empty() => Ok((self.months, r)),
            _ => Err(errors),
        }
    }
}

/// A move to another state, with the reason where one is needed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// verifying_identity, compiling, reviewing, refused or withdrawn.
    pub status: String,
    /// Required to refuse (s.53: manifestly unfounded or excessive, and why).
    #[serde(default)]
    pub reason: String,
}

/// A reason given for a pause or a response that confirms nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    pub reason: String,
}

/// A person record to attach to a case as its subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttachInput {
    pub person: PersonId,
}

/// The clock as a case shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Clock {
    pub starts_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub days_left: Option<i64>,
    pub overdue: bool,
    pub paused: bool,
    pub paused_since: Option<NaiveDate>,
    /// The last day an extension may be given.
    pub extension_deadline: Option<NaiveDate>,
    pub extension_months: u32,
    pub extension_reason: Option<String>,
}

/// A person attached to a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Subject {
    pub person_id: PersonId,
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub attached_at: DateTime<Utc>,
}

/// One step in a case's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// The member of staff's sign-in name.
    pub by: String,
    pub what: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A case, as the data protection officer reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RightsRequest {
    pub id: Uuid,
    /// `SAR/000012/26` for access, `RR/…` for the other rights.
    pub reference: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub requester_name: String,
    pub requester_contact: String,
    pub received_on: NaiveDate,
    pub identity_proved_on: Option<NaiveDate>,
    pub identity_means: Option<String>,
    pub notes: Option<String>,
    pub clock: Clock,
    /// Why it was refused (s.53), or withdrawn.
    pub closing_reason: Option<String>,
    /// Set when the response will neither confirm nor deny (s.45(5)).
    pub neither_confirm_nor_deny: Option<String>,
    pub subjects: Vec<Subject>,
    pub timeline: Vec<TimelineEntry>,
    pub compiled: Option<pack::CompileSummary>,
    pub released_at: Option<DateTime<Utc>>,
    pub version: i32,
    /// Erasure plans made on the case, newest first, run or not.
    #[serde(default)]
    pub erasure_plans: Vec<PlanSummary>,
}

/// An erasure plan on a case, and its certificate once it has run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PlanSummary {
    pub id: Uuid,
    pub person: PersonId,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<Uuid>,
}

/// A case in the list, ordered by days left, overdue first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RequestSummary {
    pub id: Uuid,
    pub reference: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub requester_name: String,
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub days_left: Option<i64>,
    pub overdue: bool,
    pub paused: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn input() -> RequestInput {
        RequestInput {
            kind: "access".into(),
            requester_name: "Jo Requester".into(),
            requester_contact: "1 High Street, Leeds".into(),
            received_on: "2027-01-31".into(),
            ..RequestInput::default()
        }
    }

    #[test]
    fn a_request_needs_its_received_date_and_identity_cannot_precede_it() {
        let today = d("2027-02-10");
        assert!(input().validate(today).is_ok());
        let mut no_date = input();
        no_date.received_on = String::new();
        let e = no_date.validate(today).unwrap_err();
        assert_eq!(e.0[0].field, "received_on");
        let mut early = input();
        early.identity_proved_on = "2027-01-30".into();
        early.identity_means = "Passport seen".into();
        let e = early.validate(today).unwrap_err();
        assert_eq!(e.0[0].field, "identity_proved_on");
        assert_eq!(e.0[0].code, "before_receipt");
    }

    #[test]
    fn an_extension_is_refused_after_the_first_month_and_without_a_reason() {
        let input = ExtensionInput {
            months: 2,
            reason: "Records held in three legacy systems".into(),
        };
        assert!(
            input
                .validate(Some(d("2027-02-28")), d("2027-02-28"))
                .is_ok()
        );
        let late = input
            .validate(Some(d("2027-02-28")), d("2027-03-01"))
            .unwrap_err();
        assert_eq!(late.0[0].code, "too_late");
        let bad = ExtensionInput {
            months: 3,
            reason: "x".into(),
        }
        .validate(Some(d("2027-02-28")), d("2027-02-01"))
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["months", "reason"]);
    }

    #[test]
    fn only_open_states_move_and_refusal_is_always_open() {
        for s in RequestStatus::ALL {
            assert_eq!(s.is_open(), !s.next().is_empty(), "{s:?}");
            if s.is_open() {
                assert!(s.next().contains(&RequestStatus::Refused));
            }
        }
    }
}

/// Open and overdue requests of one kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct KindCounts {
    pub kind: String,
    pub open: i64,
    pub overdue: i64,
}

/// Whether the force answers rights requests on time: counts only, for
/// oversight, never a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RightsTimeliness {
    pub as_of: NaiveDate,
    pub kinds: Vec<KindCounts>,
}

/// The answer to a rectification, erasure or restriction request: what was
/// done, by id, and the letter. Holds no one's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RightsResponse {
    pub request: Uuid,
    pub reference: String,
    pub kind: String,
    pub responded_at: DateTime<Utc>,
    /// Erasure certificates issued on the request.
    #[serde(default)]
    pub certificates: Vec<Uuid>,
    #[serde(default)]
    pub rectifications: usize,
    #[serde(default)]
    pub restrictions: usize,
    /// Letters owed to earlier recipients (s.48), and how many are sent.
    #[serde(default)]
    pub notifications: usize,
    #[serde(default)]
    pub notifications_sent: usize,
    pub controller: String,
    pub letter: Vec<String>,
}
