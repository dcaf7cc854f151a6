//! Intelligence reports with the mandatory 3x5x2 grading (REQUIREMENTS §6).
//! The source's identity is kept apart from the sanitised text: it is stored
//! in its own table and returned only to those permitted to know it.

use super::RuleContext;
use crate::code_list;
use crate::rules::Checker;
use serde::{Deserialize, Serialize};

code_list!(
    SourceEvaluation {
        A = ("A", "A: reliable"),
        B = ("B", "B: untested"),
        C = ("C", "C: not reliable"),
    }
);

code_list!(
    IntelligenceAssessment {
        Direct = ("1", "1: known directly to the source"),
        IndirectCorroborated = ("2", "2: known indirectly, corroborated"),
        Indirect = ("3", "3: known indirectly"),
        NotKnown = ("4", "4: not known"),
        SuspectedFalse = ("5", "5: suspected false or malicious"),
    }
);

code_list!(
    HandlingCode {
        P = ("P", "P: may be shared lawfully for a policing purpose"),
        C = ("C", "C: may be shared with conditions"),
    }
);

code_list!(
    /// Each piece of content is fact or the writer's assessment (s.38(2)).
    ContentNature {
        Fact = ("fact", "Fact"),
        Assessment = ("assessment", "Assessment"),
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IntelligenceItem {
    pub nature: ContentNature,
    pub text: String,
}

/// A 5x5x5 grading from a legacy system: kept exactly, never converted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LegacyGrading {
    pub source: String,
    pub intelligence: String,
    pub handling: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IntelligenceReport {
    pub source_evaluation: SourceEvaluation,
    pub intelligence_assessment: IntelligenceAssessment,
    pub handling: HandlingCode,
    /// Required with handling code C.
    #[serde(default)]
    pub handling_conditions: String,
    /// The sanitised content, each item marked fact or assessment.
    pub content: Vec<IntelligenceItem>,
    /// Who the source is. Write-only for most: returned only to roles that
    /// may know sources, and stored apart from the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
    /// Set only on imported 5x5x5 reports, which are then read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_grading: Option<LegacyGrading>,
}

impl IntelligenceReport {
    pub fn grading(&self) -> String {
        format!(
            "{}{}{}",
            self.source_evaluation.as_str(),
            self.intelligence_assessment.as_str(),
            self.handling.as_str()
        )
    }

    pub fn summary_line(&self) -> String {
        match &self.legacy_grading {
            Some(g) => format!(
                "Intelligence graded {}/{}/{} (5x5x5)",
                g.source, g.intelligence, g.handling
            ),
            None => format!("Intelligence graded {}", self.grading()),
        }
    }

    pub fn clean(&self, c: &mut Checker, ctx: &RuleContext) -> IntelligenceReport {
        let p = |f: &str| format!("details.{f}");
        let mut out = self.clone();
        out.handling_conditions = c.text(
            &p("handling_conditions"),
            &self.handling_conditions,
            0,
            1000,
            "",
        );
        if self.handling == HandlingCode::C && out.handling_conditions.is_empty() {
            c.fail(
                &p("handling_conditions"),
                "required",
                "Handling code C needs its conditions attached",
            );
        }
        if self.content.is_empty() {
            c.fail(&p("content"), "required", "Enter the intelligence");
        }
        for (i, item) in self.content.iter().enumerate() {
            out.content[i].text = c.text(
                &p(&format!("content[{i}].text")),
                &item.text,
                5,
                5000,
                "the intelligence",
            );
        }
        out.source_identity = self
            .source_identity
            .as_deref()
            .map(|s| c.text(&p("source_identity"), s, 0, 200, ""))
            .filter(|s| !s.is_empty());
        match &self.legacy_grading {
            Some(_) if !ctx.importing => c.fail(
                &p("legacy_grading"),
                "read_only",
                "5x5x5 grades come only from legacy imports and are never edited",
            ),
            // Kept exactly as graded, but only as short codes.
            Some(g) => {
                for (name, code) in [
                    ("source", &g.source),
                    ("intelligence", &g.intelligence),
                    ("handling", &g.handling),
                ] {
                    if code.is_empty()
                        || code.len() > 2
                        || !code.chars().all(|ch| ch.is_ascii_alphanumeric())
                    {
                        c.fail(
                            &p(&format!("legacy_grading.{name}")),
                            "format",
                            "A 5x5x5 code is one or two letters or digits",
                        );
                    }
                }
            }
            None => {}
        }
        out
    }
}
