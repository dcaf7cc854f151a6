//! The occurrence (crime report) part of the event form.

use super::inputs::{FormState, Kind, bind};
use leptos::prelude::*;
use shared::events::occurrence::Occurrence;

#[component]
pub fn OccurrenceSection(form: FormState, details: RwSignal<Occurrence>) -> impl IntoView {
    view! {
        <fieldset class="form-section" data-testid="occurrence-section">
            <legend>"What was reported"</legend>
            <div class="field-grid">
                {form
                    .field("details.classification", "Offence or incident")
                    .hint("In words, such as Theft from the person")
                    .text(Kind::Text, bind!(details.classification))}
                {form
                    .field("details.offence_code", "Home Office offence code")
                    .hint("Such as 008/01; empty if not a crime")
                    .text(Kind::Text, bind!(details.offence_code))}
                {form.field("details.status", "Status").pick(bind!(copy details.status))}
                {form
                    .field("details.officer_in_case", "Officer in case")
                    .hint("Collar number or name")
                    .text(Kind::Text, bind!(details.officer_in_case))}
            </div>
            {form
                .field("details.narrative", "What happened")
                .hint("In the reporting officer's words")
                .text(Kind::Long, bind!(details.narrative))}
        </fieldset>
    }
}
