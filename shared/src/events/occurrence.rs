//! An occurrence or crime report.

use super::RuleContext;
use crate::code_list;
use crate::rules::Checker;
use serde::{Deserialize, Serialize};

code_list!(
    #[derive(Default)]
    OccurrenceStatus {
        #[default]
        Reported = ("reported", "Reported"),
        UnderInvestigation = ("under_investigation", "Under investigation"),
        Charged = ("charged", "Charged"),
        Filed = ("filed", "Filed: no further lines of enquiry"),
        NoCrime = ("no_crime", "Cancelled (no crime)"),
    }
);

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Occurrence {
    /// Home Office offence classification (`008/01`), empty if not a crime.
    pub offence_code: String,
    /// The offence or incident in words (`Theft from the person`).
    pub classification: String,
    pub status: OccurrenceStatus,
    /// Collar number or name of the officer in case.
    pub officer_in_case: String,
    /// What happened, in the reporting officer's words.
    pub narrative: String,
}

impl Occurrence {
    pub fn summary_line(&self) -> String {
        match self.offence_code.is_empty() {
            true => self.classification.clone(),
            false => format!("{} ({})", self.classification, self.offence_code),
        }
    }

    pub fn clean(&self, c: &mut Checker, _ctx: &RuleContext) -> Occurrence {
        let p = |f: &str| format!("details.{f}");
        let code = self.offence_code.trim().to_owned();
        let code_ok = code.is_empty()
            || code.split('/').count() == 2
                && code.split('/').all(|part| {
                    !part.is_empty()
                        && part.len() <= 3
                        && part.chars().all(|ch| ch.is_ascii_digit())
                });
        if !code_ok {
            c.fail(
                &p("offence_code"),
                "format",
                "Enter a Home Office code such as 008/01",
            );
        }
        Occurrence {
            offence_code: code,
            classification: c.text(
                &p("classification"),
                &self.classification,
                3,
                200,
                "what was reported",
            ),
            status: self.status,
            officer_in_case: c.text(
                &p("officer_in_case"),
                &self.officer_in_case,
                1,
                100,
                "the officer in case",
            ),
            narrative: c.text(&p("narrative"), &self.narrative, 0, 10_000, ""),
        }
    }
}
