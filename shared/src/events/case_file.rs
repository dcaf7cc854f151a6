//! A case file for prosecution.

use super::RuleContext;
use crate::code_list;
use crate::rules::Checker;
use serde::{Deserialize, Serialize};

code_list!(
    #[derive(Default)]
    FileStatus {
        #[default]
        InPreparation = ("in_preparation", "In preparation"),
        SubmittedToCps = ("submitted_to_cps", "Submitted to the CPS"),
        Charged = ("charged", "Charged"),
        AtCourt = ("at_court", "Listed at court"),
        Concluded = ("concluded", "Concluded"),
        Discontinued = ("discontinued", "Discontinued"),
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Charge {
    pub offence_code: String,
    pub wording: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct CaseFile {
    pub charges: Vec<Charge>,
    pub court: String,
    /// `YYYY-MM-DD`
    pub first_hearing: String,
    pub file_status: FileStatus,
}

impl CaseFile {
    pub fn summary_line(&self) -> String {
        format!(
            "Case file, {} charge(s): {}",
            self.charges.len(),
            self.file_status.label()
        )
    }

    pub fn clean(&self, c: &mut Checker, _ctx: &RuleContext) -> CaseFile {
        let p = |f: &str| format!("details.{f}");
        let charged = matches!(
            self.file_status,
            FileStatus::Charged | FileStatus::AtCourt | FileStatus::Concluded
        );
        if charged && self.charges.is_empty() {
            c.fail(
                &p("charges"),
                "required",
                "A charged file lists its charges",
            );
        }
        let charges = self
            .charges
            .iter()
            .enumerate()
            .map(|(i, ch)| Charge {
                offence_code: c.text(
                    &p(&format!("charges[{i}].offence_code")),
                    &ch.offence_code,
                    1,
                    20,
                    "the offence code",
                ),
                wording: c.text(
                    &p(&format!("charges[{i}].wording")),
                    &ch.wording,
                    10,
                    2000,
                    "the charge wording",
                ),
            })
            .collect();
        let court = c.text(&p("court"), &self.court, 0, 200, "");
        if self.file_status == FileStatus::AtCourt && court.is_empty() {
            c.fail(&p("court"), "required", "Name the court");
        }
        let (first_hearing, _) = c.date(&p("first_hearing"), &self.first_hearing, false);
        CaseFile {
            charges,
            court,
            first_hearing,
            file_status: self.file_status,
        }
    }
}
