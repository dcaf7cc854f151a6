//! The offer of people already recorded who may be the one being created.
//! A second record for the same person splits their history, so the user
//! is shown who matches and chooses; nothing is merged automatically.

use crate::pages::people_list::uk_date;
use leptos::prelude::*;
use shared::people::DuplicateCandidate;

/// Why the server offered a candidate, in words; the profile's list of
/// possible duplicates says it the same way.
pub fn reason_label(reason: &str) -> String {
    match reason {
        "same_name_and_date_of_birth" => "Same name and date of birth".to_owned(),
        "same_name_no_date_of_birth" => "Same name; no date of birth to compare".to_owned(),
        "alias_and_date_of_birth" => "An alias matches, with the same date of birth".to_owned(),
        other => crate::text::code_label(other),
    }
}

/// Lists the candidates, each linked to their profile, and a submit button
/// that saves the new person anyway.
#[component]
pub fn DuplicateOffer(
    candidates: RwSignal<Vec<DuplicateCandidate>>,
    not_a_duplicate: RwSignal<bool>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="banner banner-info duplicates" role="status" data-testid="duplicates">
            <p class="banner-title">"Possible duplicates"</p>
            <p>"These people are already recorded. Open one to check before recording a new person."</p>
            <ul class="duplicate-list">
                <For each=move || candidates.get() key=|c| c.person.id let(candidate)>
                    <li data-testid="duplicate-candidate">
                        <a href=format!("/people/{}", candidate.person.id) data-testid="duplicate-candidate-link">
                            <span class="person-name">{candidate.person.display_name()}</span>
                            ", born "
                            {uk_date(&candidate.person)}
                        </a>
                        <span class="duplicate-reason" data-testid="duplicate-candidate-reason">
                            {reason_label(&candidate.reason)}
                        </span>
                    </li>
                </For>
            </ul>
            <button
                type="submit"
                class="button"
                data-testid="duplicates-save-new"
                disabled=move || busy.get()
                on:click=move |_| not_a_duplicate.set(true)
            >
                "None of these — save new person"
            </button>
        </div>
    }
}
