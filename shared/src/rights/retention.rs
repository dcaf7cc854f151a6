//! Review, retention and disposal (DPA 2018 s.39; the College of Policing's
//! Management of Police Information, MoPI): each person's records fall in a
//! group by the most serious event about them, and the group sets when they
//! are next reviewed. A new event restarts the clear period. The grouping is
//! policy, not law: the force configures it (`PROBITY_RETENTION_RULES`);
//! these defaults follow the groups as `../shared/REQUIREMENTS.md` §5 puts
//! them and must be checked against the current APP.

use crate::error::FieldErrors;
use crate::rules::Checker;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

crate::code_list!(
    /// The MoPI group of a person's records.
    MopiGroup {
        One = ("1", "Group 1: certain public protection matters"),
        Two = ("2", "Group 2: other sexual, violent or serious offences"),
        Three = ("3", "Group 3: all other matters"),
    }
);

impl MopiGroup {
    pub fn from_number(n: i16) -> Self {
        match n {
            1 => Self::One,
            2 => Self::Two,
            _ => Self::Three,
        }
    }

    pub const fn number(self) -> i16 {
        match self {
            Self::One => 1,
            Self::Two => 2,
            Self::Three => 3,
        }
    }
}

/// One line of the force's grouping: events of these kinds (any, if none),
/// whose Home Office offence code starts with one of `offence_codes`, or
/// whose classification holds one of `words`, are in `group`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RetentionRule {
    pub group: MopiGroup,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub offence_codes: Vec<String>,
    #[serde(default)]
    pub words: Vec<String>,
}

/// The defaults: the gravest matters in group 1, other sexual, violent and
/// serious ones in group 2, everything else in group 3.
pub fn default_rules() -> Vec<RetentionRule> {
    let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect();
    vec![
        RetentionRule {
            group: MopiGroup::One,
            kinds: Vec::new(),
            // Homicide, attempted murder, rape, sexual offences against children.
            offence_codes: words(&[
                "001", "002", "004", "019", "020", "021", "022", "070", "071",
            ]),
            words: words(&[
                "murder",
                "manslaughter",
                "rape",
                "child sexual",
                "sexual assault on a child",
                "sexual activity with a child",
                "kidnap",
                "terrorism",
                "grievous bodily harm with intent",
            ]),
        },
        RetentionRule {
            group: MopiGroup::Two,
            kinds: Vec::new(),
            offence_codes: words(&[
                "005", "008", "017", "023", "024", "025", "026", "034", "010",
            ]),
            words: words(&[
                "sexual",
                "assault",
                "wounding",
                "robbery",
                "violence",
                "violent",
                "firearm",
                "weapon",
                "knife",
                "arson",
                "domestic abuse",
                "stalking",
            ]),
        },
    ]
}

/// The group of one event. Only events that record an offence or a
/// suspicion can be graver than group 3.
pub fn group_of(
    kind: &str,
    offence_code: &str,
    classification: &str,
    rules: &[RetentionRule],
) -> MopiGroup {
    let classification = classification.to_lowercase();
    let code = offence_code.trim();
    rules
        .iter()
        .filter(|r| r.kinds.is_empty() || r.kinds.iter().any(|k| k == kind))
        .filter(|r| {
            (!code.is_empty() && r.offence_codes.iter().any(|c| code.starts_with(c.as_str())))
                || r.words
                    .iter()
                    .any(|w| classification.contains(&w.to_lowercase()))
        })
        .map(|r| r.group)
        .min_by_key(|g| g.number())
        .unwrap_or(MopiGroup::Three)
}

/// What sets a person's next review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionFacts {
    pub group: MopiGroup,
    pub date_of_birth: Option<NaiveDate>,
    /// The day the record was made: the clear period runs from the latest
    /// event, or from this when there is none.
    pub recorded_on: NaiveDate,
    pub latest_event: Option<NaiveDate>,
    /// A review that retained the records, and the next review it set.
    pub retained_until: Option<NaiveDate>,
}

pub const GROUP_ONE_REVIEW_YEARS: u32 = 10;
pub const GROUP_TWO_CLEAR_YEARS: u32 = 10;
pub const GROUP_THREE_CLEAR_YEARS: u32 = 6;

fn years(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(12 * n))
        .unwrap_or(NaiveDate::MAX)
}

impl RetentionFacts {
    /// The start of the clear period: the latest event (a new one restarts
    /// it), or the day the record was made when there is none. An event
    /// recorded long after it happened (a legacy import) counts from when
    /// it happened.
    pub fn clear_from(&self) -> NaiveDate {
        self.latest_event.unwrap_or(self.recorded_on)
    }

    /// When the records are next reviewed: group 1 every 10 years and when
    /// the person would be 100; group 2 after a 10-year clear period; group
    /// 3 after 6. A retain decision sets its own date, which a later event
    /// can only push back.
    pub fn next_review(&self) -> NaiveDate {
        let from = self.clear_from();
        let by_rule = match self.group {
            MopiGroup::One => {
                let every = years(from, GROUP_ONE_REVIEW_YEARS);
                match self.date_of_birth {
                    Some(dob) => every.min(years(dob, 100)),
                    None => every,
                }
            }
            MopiGroup::Two => years(from, GROUP_TWO_CLEAR_YEARS),
            MopiGroup::Three => years(from, GROUP_THREE_CLEAR_YEARS),
        };
        // Retained at a review: the next is the one it set, unless an event
        // since puts the rule's date later.
        self.retained_until
            .map_or(by_rule, |until| until.max(by_rule))
    }
}

crate::code_list!(
    /// The six questions a review asks (MoPI): any "yes" means retain.
    RiskQuestion {
        SeriousHarm = ("serious_harm", "Is there evidence of a capacity to inflict serious harm?"),
        Children = ("children_or_vulnerable", "Are there concerns about children or vulnerable adults?"),
        BreachOfTrust = ("breach_of_trust", "Did the behaviour involve a breach of trust?"),
        Associations = ("links_or_associations", "Are there links or associations that might increase the risk of harm?"),
        SubstanceMisuse = ("substance_misuse", "Are there concerns about substance misuse?"),
        MentalState = ("mental_state", "Are there concerns that the person's mental state might worsen the risk?"),
    }
);

/// A reviewer's answers and decision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// The question codes answered "yes"; the rest are "no".
    pub yes: Vec<String>,
    /// Required to retain: why the records are still needed.
    #[serde(default)]
    pub rationale: String,
    /// `YYYY-MM-DD`, to retain: when to review again (default: the group's period).
    #[serde(default)]
    pub next_review_on: String,
    /// The review date the reviewer saw in the queue: if a new event has
    /// moved it since, the review is refused so it is made on what is held.
    pub due_on: String,
}

/// What a review decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewDecision {
    Retain {
        yes: Vec<RiskQuestion>,
        rationale: String,
        next_review_on: Option<NaiveDate>,
    },
    Dispose,
}

impl ReviewInput {
    pub fn validate(&self, today: NaiveDate) -> Result<(ReviewDecision, NaiveDate), FieldErrors> {
        let mut c = Checker::default();
        let mut yes = Vec::new();
        for (i, code) in self.yes.iter().enumerate() {
            match RiskQuestion::parse(code.trim()) {
                Some(q) => yes.push(q),
                None => c.fail(
                    &format!("yes[{i}]"),
                    "unknown",
                    "Not one of the six questions",
                ),
            }
        }
        let (_, due_on) = c.date("due_on", &self.due_on, true);
        let retain = !yes.is_empty();
        let rationale = c.text(
            "rationale",
            &self.rationale,
            if retain { 20 } else { 0 },
            4_000,
            "why the records are still needed",
        );
        let (_, next) = c.date("next_review_on", &self.next_review_on, false);
        if next.is_some_and(|n| n <= today) {
            c.fail(
                "next_review_on",
                "not_in_future",
                "The next review must be after today",
            );
        }
        let decision = if retain {
            ReviewDecision::Retain {
                yes,
                rationale,
                next_review_on: next,
            }
        } else {
            ReviewDecision::Dispose
        };
        match due_on {
            Some(due) if c.errors.0.is_empty() => Ok((decision, due)),
            _ => Err(c.errors),
        }
    }
}

/// A person whose records are due for review, as the queue lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DueReview {
    pub person: crate::ids::PersonId,
    pub surname: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forenames: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<NaiveDate>,
    /// The MoPI group number (1 gravest).
    pub group: i16,
    pub clear_from: NaiveDate,
    pub next_review_on: NaiveDate,
    /// Reviews made before, newest first.
    pub reviews: usize,
}

/// An event about the person and the group it falls in: why the person
/// is in the group they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct GroupedEvent {
    pub id: uuid::Uuid,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_on: Option<NaiveDate>,
    pub group: i16,
}

/// A review made before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PastReview {
    pub id: uuid::Uuid,
    pub reviewed_at: chrono::DateTime<chrono::Utc>,
    pub reviewed_by: Option<uuid::Uuid>,
    pub due_on: NaiveDate,
    pub group: i16,
    pub yes: Vec<String>,
    pub decision: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_review_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<uuid::Uuid>,
}

/// Everything a reviewer needs about one person's retention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RetentionCase {
    pub due: DueReview,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retained_until: Option<NaiveDate>,
    pub events: Vec<GroupedEvent>,
    pub past: Vec<PastReview>,
    /// Legal holds on the person or their records, which disposal would
    /// restrict instead of erasing.
    pub holds: usize,
}

/// What a review decided and did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReviewOutcome {
    pub review: uuid::Uuid,
    /// `retain` or `dispose`.
    pub decision: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_review_on: Option<NaiveDate>,
    /// The erasure certificate of a disposal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<uuid::Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_gravest_event_sets_the_group() {
        let rules = default_rules();
        assert_eq!(group_of("occurrence", "", "Murder", &rules), MopiGroup::One);
        assert_eq!(
            group_of("occurrence", "019/07", "Other", &rules),
            MopiGroup::One
        );
        assert_eq!(
            group_of("occurrence", "", "Assault occasioning ABH", &rules),
            MopiGroup::Two
        );
        assert_eq!(
            group_of("occurrence", "", "Theft from a shop", &rules),
            MopiGroup::Three
        );
        assert_eq!(group_of("stop_search", "", "", &rules), MopiGroup::Three);
    }

    fn facts(group: MopiGroup, latest: Option<NaiveDate>) -> RetentionFacts {
        RetentionFacts {
            group,
            date_of_birth: Some(d(1980, 6, 1)),
            recorded_on: d(2020, 1, 1),
            latest_event: latest,
            retained_until: None,
        }
    }

    #[test]
    fn each_group_has_its_period_and_a_new_event_restarts_it() {
        assert_eq!(
            facts(MopiGroup::Three, Some(d(2021, 3, 4))).next_review(),
            d(2027, 3, 4)
        );
        assert_eq!(
            facts(MopiGroup::Two, Some(d(2021, 3, 4))).next_review(),
            d(2031, 3, 4)
        );
        assert_eq!(
            facts(MopiGroup::One, Some(d(2021, 3, 4))).next_review(),
            d(2031, 3, 4)
        );
        // A new event in 2025 restarts the clear period.
        assert_eq!(
            facts(MopiGroup::Three, Some(d(2025, 7, 1))).next_review(),
            d(2031, 7, 1)
        );
        // No events: from the day the record was made.
        assert_eq!(facts(MopiGroup::Three, None).next_review(), d(2026, 1, 1));
    }

    #[test]
    fn group_one_is_reviewed_at_the_latest_when_the_person_would_be_100() {
        let mut f = facts(MopiGroup::One, Some(d(2075, 1, 1)));
        assert_eq!(f.next_review(), d(2080, 6, 1));
        f.date_of_birth = None;
        assert_eq!(f.next_review(), d(2085, 1, 1));
    }

    #[test]
    fn a_retain_decision_sets_the_next_review_until_an_event_moves_it_later() {
        let mut f = facts(MopiGroup::Three, Some(d(2021, 3, 4)));
        f.retained_until = Some(d(2029, 1, 1));
        assert_eq!(f.next_review(), d(2029, 1, 1));
        f.latest_event = Some(d(2030, 5, 5));
        assert_eq!(f.next_review(), d(2036, 5, 5));
    }

    #[test]
    fn any_yes_retains_and_needs_a_rationale() {
        let today = d(2027, 1, 1);
        let retain = ReviewInput {
            yes: vec!["substance_misuse".into()],
            rationale: String::new(),
            next_review_on: String::new(),
            due_on: "2026-12-01".into(),
        };
        let e = retain.validate(today).unwrap_err();
        assert_eq!(e.0[0].field, "rationale");
        let dispose = ReviewInput {
            yes: Vec::new(),
            due_on: "2026-12-01".into(),
            ..ReviewInput::default()
        };
        assert_eq!(dispose.validate(today).unwrap().0, ReviewDecision::Dispose);
    }
}
