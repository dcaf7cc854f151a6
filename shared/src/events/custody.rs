//! A custody record: arrest, the detention clock and its reviews, rights,
//! appropriate adult, searches and release.

use super::RuleContext;
use crate::code_list;
use crate::rules::{Checker, parse_datetime};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// PACE s.41: detention without charge is limited to 24 hours from the
/// relevant time unless extended by a superintendent.
pub const DETENTION_LIMIT_HOURS: i64 = 24;

code_list!(
    ReleaseOutcome {
        Charged = ("charged", "Charged"),
        Bailed = ("bailed", "Released on bail"),
        UnderInvestigation = ("under_investigation", "Released under investigation"),
        NoFurtherAction = ("no_further_action", "No further action"),
        Cautioned = ("cautioned", "Cautioned"),
        Transferred = ("transferred", "Transferred"),
    }
);

code_list!(
    CustodySearch {
        None = ("none", "Not searched"),
        Routine = ("routine", "Routine search"),
        StripSearch = ("strip", "Strip search (custody officer's authority)"),
        Intimate = ("intimate", "Intimate search (inspector's authority)"),
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DetentionReview {
    pub at: String,
    pub reviewing_officer: String,
    pub continued: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct CustodyRecord {
    pub custody_suite: String,
    pub arrested_at: String,
    /// The relevant time that starts the detention clock (arrival).
    pub arrived_at: String,
    pub arrest_reason: String,
    pub detention_authorised_by: String,
    pub rights_given_at: String,
    pub appropriate_adult: String,
    pub search: Option<CustodySearch>,
    pub search_authorised_by: String,
    pub reviews: Vec<DetentionReview>,
    pub released_at: String,
    pub release_outcome: Option<ReleaseOutcome>,
}

impl CustodyRecord {
    pub fn summary_line(&self) -> String {
        format!(
            "Custody at {}: {}",
            self.custody_suite,
            self.status().replace('_', " ")
        )
    }

    pub fn status(&self) -> &'static str {
        match self.release_outcome {
            Some(o) => o.as_str(),
            None => "in_custody",
        }
    }

    /// When detention without charge must end unless extended.
    pub fn clock_expires_at(&self) -> Option<DateTime<Utc>> {
        parse_datetime(&self.arrived_at).map(|t| t + Duration::hours(DETENTION_LIMIT_HOURS))
    }

    pub fn clean(&self, c: &mut Checker, ctx: &RuleContext) -> CustodyRecord {
        let p = |f: &str| format!("details.{f}");
        let now = ctx.now;
        let (arrested_at, arrested) = c.datetime(&p("arrested_at"), &self.arrested_at, true, now);
        let (arrived_at, arrived) = c.datetime(&p("arrived_at"), &self.arrived_at, true, now);
        if let (Some(a), Some(b)) = (arrested, arrived)
            && b < a
        {
            c.fail(
                &p("arrived_at"),
                "before_arrest",
                "Arrival cannot be before the arrest",
            );
        }
        let (rights_given_at, _) =
            c.datetime(&p("rights_given_at"), &self.rights_given_at, true, now);
        let (released_at, released) = c.datetime(&p("released_at"), &self.released_at, false, now);
        if released.is_some() != self.release_outcome.is_some() {
            c.fail(
                &p("release_outcome"),
                "incomplete",
                "Record both the release time and its outcome",
            );
        }
        if let (Some(r), Some(b)) = (released, arrived)
            && r < b
        {
            c.fail(
                &p("released_at"),
                "before_arrival",
                "Release cannot be before arrival",
            );
        }
        let search_authorised_by = c.text(
            &p("search_authorised_by"),
            &self.search_authorised_by,
            0,
            100,
            "",
        );
        if matches!(
            self.search,
            Some(CustodySearch::StripSearch | CustodySearch::Intimate)
        ) && search_authorised_by.is_empty()
        {
            c.fail(
                &p("search_authorised_by"),
                "required",
                "Name who authorised the search",
            );
        }
        let mut reviews = Vec::new();
        for (i, r) in self.reviews.iter().enumerate() {
            let (at, _) = c.datetime(&p(&format!("reviews[{i}].at")), &r.at, true, now);
            let officer = c.text(
                &p(&format!("reviews[{i}].reviewing_officer")),
                &r.reviewing_officer,
                1,
                100,
                "the reviewing officer",
            );
            reviews.push(DetentionReview {
                at,
                reviewing_officer: officer,
                continued: r.continued,
            });
        }
        CustodyRecord {
            custody_suite: c.text(
                &p("custody_suite"),
                &self.custody_suite,
                2,
                100,
                "the custody suite",
            ),
            arrested_at,
            arrived_at,
            arrest_reason: c.text(
                &p("arrest_reason"),
                &self.arrest_reason,
                5,
                1000,
                "the reason for arrest",
            ),
            detention_authorised_by: c.text(
                &p("detention_authorised_by"),
                &self.detention_authorised_by,
                1,
                100,
                "the custody officer who authorised detention",
            ),
            rights_given_at,
            appropriate_adult: c.text(&p("appropriate_adult"), &self.appropriate_adult, 0, 200, ""),
            search: self.search,
            search_authorised_by,
            reviews,
            released_at,
            release_outcome: self.release_outcome,
        }
    }
}
