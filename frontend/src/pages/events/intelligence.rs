//! The intelligence report part of the event form, with its 3x5x2 grading.
//!
//! The grades have no default: a report must never be graded "reliable"
//! because nobody changed a select. So the form keeps them unset until
//! chosen and says so under each, before the shared rules run.

use super::inputs::{FormState, Kind, bind, list_error};
use leptos::prelude::*;
use shared::error::{FieldError, FieldErrors};
use shared::events::intelligence::{
    ContentNature, HandlingCode, IntelligenceAssessment, IntelligenceItem, IntelligenceReport,
    LegacyGrading, SourceEvaluation,
};

#[derive(Clone, Debug, PartialEq)]
pub struct ItemDraft {
    pub nature: Option<ContentNature>,
    pub text: String,
}

/// A report as it is being written: grades may still be unchosen.
#[derive(Clone, Debug, PartialEq)]
pub struct IntelligenceDraft {
    pub source_evaluation: Option<SourceEvaluation>,
    pub intelligence_assessment: Option<IntelligenceAssessment>,
    pub handling: Option<HandlingCode>,
    pub handling_conditions: String,
    pub content: Vec<ItemDraft>,
    pub source_identity: String,
    /// Kept as imported; the rules refuse any edit of such a report.
    pub legacy_grading: Option<LegacyGrading>,
}

impl Default for IntelligenceDraft {
    fn default() -> Self {
        Self {
            source_evaluation: None,
            intelligence_assessment: None,
            handling: None,
            handling_conditions: String::new(),
            content: vec![ItemDraft {
                nature: None,
                text: String::new(),
            }],
            source_identity: String::new(),
            legacy_grading: None,
        }
    }
}

impl IntelligenceDraft {
    pub fn from_report(r: &IntelligenceReport) -> Self {
        Self {
            source_evaluation: Some(r.source_evaluation),
            intelligence_assessment: Some(r.intelligence_assessment),
            handling: Some(r.handling),
            handling_conditions: r.handling_conditions.clone(),
            content: r
                .content
                .iter()
                .map(|i| ItemDraft {
                    nature: Some(i.nature),
                    text: i.text.clone(),
                })
                .collect(),
            source_identity: r.source_identity.clone().unwrap_or_default(),
            legacy_grading: r.legacy_grading.clone(),
        }
    }

    /// The report to check and send, and what is unchosen. Unchosen grades
    /// stand in as the most cautious value only so the other rules can
    /// run: the form never sends while anything is unchosen.
    pub fn build(&self) -> (IntelligenceReport, FieldErrors) {
        let mut missing = FieldErrors::default();
        let mut need = |present: bool, field: &str, message: &str| {
            if !present {
                missing.0.push(FieldError::new(field, "required", message));
            }
        };
        need(
            self.source_evaluation.is_some(),
            "details.source_evaluation",
            "Choose the source evaluation",
        );
        need(
            self.intelligence_assessment.is_some(),
            "details.intelligence_assessment",
            "Choose the intelligence assessment",
        );
        need(
            self.handling.is_some(),
            "details.handling",
            "Choose the handling code",
        );
        for (i, item) in self.content.iter().enumerate() {
            need(
                item.nature.is_some(),
                &format!("details.content[{i}].nature"),
                "Say whether this is fact or the writer's assessment",
            );
        }
        let report = IntelligenceReport {
            source_evaluation: self.source_evaluation.unwrap_or(SourceEvaluation::C),
            intelligence_assessment: self
                .intelligence_assessment
                .unwrap_or(IntelligenceAssessment::NotKnown),
            handling: self.handling.unwrap_or(HandlingCode::C),
            handling_conditions: self.handling_conditions.clone(),
            content: self
                .content
                .iter()
                .map(|i| IntelligenceItem {
                    nature: i.nature.unwrap_or(ContentNature::Assessment),
                    text: i.text.clone(),
                })
                .collect(),
            source_identity: Some(self.source_identity.clone()).filter(|s| !s.trim().is_empty()),
            legacy_grading: self.legacy_grading.clone(),
        };
        (report, missing)
    }
}

#[component]
pub fn IntelligenceSection(form: FormState, details: RwSignal<IntelligenceDraft>) -> impl IntoView {
    let count = move || details.with(|d| d.content.len());
    let add = move |_| {
        details.update(|d| {
            d.content.push(ItemDraft {
                nature: None,
                text: String::new(),
            })
        });
        form.edited("details.content");
    };
    let legacy = move || {
        details.with(|d| {
            d.legacy_grading.as_ref().map(|g| {
                view! {
                    <p class="banner banner-info" data-testid="intelligence-legacy">
                        {format!(
                            "Imported with a 5x5x5 grading ({}/{}/{}): kept as it was and never edited.",
                            g.source,
                            g.intelligence,
                            g.handling,
                        )}
                    </p>
                }
            })
        })
    };
    view! {
        <fieldset class="form-section" data-testid="intelligence-section">
            <legend>"Grading (3x5x2)"</legend>
            {legacy}
            <div class="field-grid">
                {form.field("details.source_evaluation", "Source evaluation").choice(bind!(copy details.source_evaluation))}
                {form
                    .field("details.intelligence_assessment", "Intelligence assessment")
                    .choice(bind!(copy details.intelligence_assessment))}
                {form.field("details.handling", "Handling code").choice(bind!(copy details.handling))}
            </div>
            {form
                .field("details.handling_conditions", "Handling conditions")
                .hint("Required with handling code C")
                .text(Kind::Long, bind!(details.handling_conditions))}
        </fieldset>
        <fieldset class="form-section">
            <legend>"The intelligence"</legend>
            <p class="form-intro">"Sanitised: nothing that identifies the source. Mark each part fact or assessment."</p>
            {list_error(form, "details.content", "The intelligence")}
            <For each=move || 0..count() key=|i| *i let(i)>
                <ItemRow form details i />
            </For>
            <button type="button" class="button" data-testid="details-content-add" on:click=add>
                "Add a part"
            </button>
        </fieldset>
        <fieldset class="form-section">
            <legend>"Source"</legend>
            {form
                .field("details.source_identity", "Source identity")
                .hint("Kept apart from the report and shown only to those who may know sources")
                .text(Kind::Text, bind!(details.source_identity))}
        </fieldset>
    }
}

#[component]
fn ItemRow(form: FormState, details: RwSignal<IntelligenceDraft>, i: usize) -> impl IntoView {
    let nature = (
        move || details.with(|d| d.content.get(i).and_then(|c| c.nature)),
        move |v| {
            details.update(|d| {
                if let Some(c) = d.content.get_mut(i) {
                    c.nature = v;
                }
            })
        },
    );
    let text = (
        move || details.with(|d| d.content.get(i).map(|c| c.text.clone()).unwrap_or_default()),
        move |v| {
            details.update(|d| {
                if let Some(c) = d.content.get_mut(i) {
                    c.text = v;
                }
            })
        },
    );
    let remove = move |_| {
        details.update(|d| {
            if i < d.content.len() {
                d.content.remove(i);
            }
        })
    };
    let n = i + 1;
    view! {
        <div class="repeat-row repeat-row-wide" data-testid="content-row">
            {form.field(format!("details.content[{i}].nature"), format!("Part {n}: fact or assessment")).choice(nature)}
            {form.field(format!("details.content[{i}].text"), format!("Part {n}: text")).text(Kind::Long, text)}
            <button
                type="button"
                class="button repeat-remove"
                data-testid=format!("details-content-{i}-remove")
                aria-label=format!("Remove part {n}")
                on:click=remove
            >
                "Remove"
            </button>
        </div>
    }
}
