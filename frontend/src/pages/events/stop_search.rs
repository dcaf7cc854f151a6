//! The stop and search part of the event form.
//!
//! Searches exposing intimate parts carry rules that officers have been
//! allowed to skip before (REQUIREMENTS §7): where it happened, who was
//! present, who authorised it, the appropriate adult for a child. So while
//! such a search is being recorded, the form says what is still missing,
//! says plainly when the person is a child (derived from the date of birth,
//! never ticked), and refuses a police vehicle the moment it is chosen.

use super::inputs::{FormState, Kind, bind, list_error};
use super::when::{input_to_wire, stored_to_input};
use leptos::prelude::*;
use shared::codes_police::PlaceType;
use shared::events::SearchPolicy;
use shared::events::stop_search::{PersonPresent, SearchType, StopSearch};
use shared::rules::parse_datetime;

/// The form keeps times as the tablet shows them.
pub fn for_form(s: &StopSearch) -> StopSearch {
    StopSearch {
        parent_notified_at: stored_to_input(&s.parent_notified_at),
        ..s.clone()
    }
}

pub fn for_wire(s: &StopSearch) -> StopSearch {
    StopSearch {
        parent_notified_at: input_to_wire(&s.parent_notified_at),
        ..s.clone()
    }
}

/// The paths the strip-search rules speak about.
const INTIMATE_FIELDS: &[&str] = &[
    "details.subject_date_of_birth",
    "details.subject_sex",
    "details.self_defined_ethnicity",
    "details.place_type",
    "details.address",
    "details.officers_present",
    "details.authorising_officer",
    "details.authorising_rank",
    "details.appropriate_adult",
    "details.adult_absence_ground",
    "details.adult_absence_reason",
    "details.parent_notified_at",
    "details.outcome",
];

fn about_intimate_search(path: &str) -> bool {
    INTIMATE_FIELDS
        .iter()
        .any(|f| path == *f || path.starts_with(&format!("{f}[")))
}

#[component]
pub fn StopSearchSection(
    form: FormState,
    details: RwSignal<StopSearch>,
    /// When the search happened, as the form shows it.
    occurred_at: RwSignal<String>,
    policy: SearchPolicy,
) -> impl IntoView {
    let intimate =
        Memo::new(move |_| details.with(|d| d.search_type == Some(SearchType::IntimateExposure)));
    let child = Memo::new(move |_| {
        let at =
            parse_datetime(&input_to_wire(&occurred_at.get())).unwrap_or_else(chrono::Utc::now);
        details.with(|d| d.is_child(at))
    });
    // An adult-only field with something in it stays in view.
    let show_adult_fields = move || {
        intimate.get()
            || details.with(|d| {
                !d.appropriate_adult.is_empty()
                    || d.adult_absence_ground.is_some()
                    || !d.adult_absence_reason.is_empty()
                    || !d.authorising_officer.is_empty()
                    || d.authorising_rank.is_some()
                    || !d.parent_notified_at.is_empty()
            })
    };
    let rank_hint = format!(
        "For a search exposing intimate parts: {} or above; for a child, {} or above",
        policy.intimate_exposure_rank.label().to_lowercase(),
        policy.child_intimate_exposure_rank.label().to_lowercase()
    );

    view! {
        <fieldset class="form-section" data-testid="stop-search-section">
            <legend>"The search"</legend>
            <div class="field-grid">
                {form.field("details.search_type", "Type of search").choice(bind!(copy details.search_type))}
                {form.field("details.legal_power", "Legal power").choice(bind!(copy details.legal_power))}
                {form.field("details.object_of_search", "Object of search").choice(bind!(copy details.object_of_search))}
            </div>
            {form
                .field("details.grounds", "Grounds")
                .hint("Why you suspected you would find it: at least 10 characters")
                .text(Kind::Long, bind!(details.grounds))}
            <Show when=move || intimate.get()>
                <StripSearchRules form details child policy=policy.clone() />
            </Show>
        </fieldset>
        <fieldset class="form-section">
            <legend>"The person searched"</legend>
            <div class="field-grid">
                {form
                    .field("details.subject_date_of_birth", "Date of birth")
                    .hint("Needed for a more thorough or intimate search")
                    .text(Kind::Date, bind!(details.subject_date_of_birth))}
                {form.field("details.subject_sex", "Sex").choice(bind!(copy details.subject_sex))}
            </div>
            <Show when=move || child.get()>
                <p class="banner banner-warning notice-child" role="status" data-testid="stop-search-child">
                    <strong>"Child (under 18 on the date of the search)"</strong>
                    " An appropriate adult must be present, or an exception recorded with its reason, and a parent or guardian told."
                </p>
            </Show>
            {form
                .field("details.self_defined_ethnicity", "Self-defined ethnicity")
                .hint("The person's own answer; Not stated if they would not say")
                .choice(bind!(copy details.self_defined_ethnicity))}
        </fieldset>
        <fieldset class="form-section">
            <legend>"Where"</legend>
            {form.field("details.place_type", "Type of place").choice(bind!(copy details.place_type))}
            <div class="field-grid">
                {form.field("details.address", "Address or description of the place").text(Kind::Text, bind!(details.address))}
                {form.field("details.postcode", "Postcode").hint("Optional").text(Kind::Text, bind!(details.postcode))}
            </div>
        </fieldset>
        <fieldset class="form-section">
            <legend>"Officers present"</legend>
            <p class="form-intro">"The officers present at the search, with their sex. An appropriate adult is recorded below."</p>
            <OfficersPresent form details />
        </fieldset>
        <Show when=show_adult_fields>
            <fieldset class="form-section" data-testid="stop-search-authority">
                <legend>"Authority and appropriate adult"</legend>
                <div class="field-grid">
                    {form
                        .field("details.authorising_officer", "Authorising officer")
                        .hint("Collar number and name")
                        .text(Kind::Text, bind!(details.authorising_officer))}
                    {form
                        .field("details.authorising_rank", "Authorising officer's rank")
                        .choice(bind!(copy details.authorising_rank))}
                </div>
                <p class="field-hint">{rank_hint.clone()}</p>
                {form
                    .field("details.appropriate_adult", "Appropriate adult present")
                    .hint("Name, and organisation or relationship to the child")
                    .text(Kind::Text, bind!(details.appropriate_adult))}
                {form
                    .field("details.adult_absence_ground", "Or: why no appropriate adult was present")
                    .choice(bind!(copy details.adult_absence_ground))}
                {form
                    .field("details.adult_absence_reason", "Reason the appropriate adult was not present")
                    .hint("Only with an exception: at least 10 characters")
                    .text(Kind::Long, bind!(details.adult_absence_reason))}
                {form
                    .field("details.parent_notified_at", "Parent or guardian told at")
                    .hint("Date and time, for a child")
                    .text(Kind::DateTime, bind!(details.parent_notified_at))}
            </fieldset>
        </Show>
        <fieldset class="form-section">
            <legend>"Outcome"</legend>
            {form.field("details.outcome", "Outcome").choice(bind!(copy details.outcome))}
            {form
                .field("details.outcome_detail", "Outcome detail")
                .hint("Optional")
                .text(Kind::Long, bind!(details.outcome_detail))}
            {form
                .field("details.safeguarding_referral", "Safeguarding referral made")
                .checkbox(bind!(copy details.safeguarding_referral))}
        </fieldset>
    }
}

/// What the law asks of a search exposing intimate parts, and what this
/// record still lacks, kept in view while it is filled in.
#[component]
fn StripSearchRules(
    form: FormState,
    details: RwSignal<StopSearch>,
    child: Memo<bool>,
    policy: SearchPolicy,
) -> impl IntoView {
    let in_vehicle = move || details.with(|d| d.place_type == Some(PlaceType::PoliceVehicle));
    let outstanding = move || {
        form.rules.with(|errors| {
            errors
                .0
                .iter()
                .filter(|e| about_intimate_search(&e.field))
                .map(|e| {
                    let label = form.label_of(&e.field).unwrap_or_default();
                    (e.field.clone(), label, e.message.clone())
                })
                .collect::<Vec<_>>()
        })
    };
    let rank = move || {
        let needed = if child.get() {
            policy.child_intimate_exposure_rank
        } else {
            policy.intimate_exposure_rank
        };
        format!(
            "Authorised by a {} or above, named with their rank",
            needed.label().to_lowercase()
        )
    };
    view! {
        <section class="banner banner-info strip-rules" aria-live="polite" data-testid="strip-search-rules">
            <p class="banner-title">"Search exposing intimate parts"</p>
            <ul>
                <li>"At a police station or other private place out of public view: never in a police vehicle"</li>
                <li>{rank}</li>
                <li>"Two people besides the person searched, of the same sex as them"</li>
                <Show when=move || child.get()>
                    <li>"A child: the appropriate adult present (or an exception with its reason), and a parent or guardian told"</li>
                </Show>
            </ul>
            <Show when=in_vehicle>
                <p class="field-error" role="alert" data-testid="strip-search-vehicle">
                    "A search exposing intimate parts may never take place in a police vehicle"
                </p>
            </Show>
            {move || {
                let missing = outstanding();
                if missing.is_empty() {
                    view! {
                        <p data-testid="strip-search-complete">"Everything these rules need is recorded."</p>
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="strip-rules-caption">"Still needed before it can be saved:"</p>
                        <ul class="strip-rules-missing" data-testid="strip-search-outstanding">
                            {missing
                                .into_iter()
                                .map(|(path, label, message)| {
                                    view! {
                                        <li data-testid="strip-search-outstanding-item" data-field=path>
                                            {if label.is_empty() { message } else { format!("{label}: {message}") }}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// The officers present, a row each, with add and remove.
#[component]
fn OfficersPresent(form: FormState, details: RwSignal<StopSearch>) -> impl IntoView {
    let count = move || details.with(|d| d.officers_present.len());
    let add = move |_| {
        details.update(|d| {
            d.officers_present.push(PersonPresent {
                identity: String::new(),
                sex: None,
            })
        });
        form.edited("details.officers_present");
    };
    view! {
        {list_error(form, "details.officers_present", "Officers present")}
        <For each=move || 0..count() key=|i| *i let(i)>
            <OfficerRow form details i />
        </For>
        <button
            type="button"
            class="button"
            data-testid="details-officers-present-add"
            on:click=add
        >
            "Add an officer"
        </button>
    }
}

#[component]
fn OfficerRow(form: FormState, details: RwSignal<StopSearch>, i: usize) -> impl IntoView {
    let identity = (
        move || {
            details.with(|d| {
                d.officers_present
                    .get(i)
                    .map(|o| o.identity.clone())
                    .unwrap_or_default()
            })
        },
        move |v| {
            details.update(|d| {
                if let Some(o) = d.officers_present.get_mut(i) {
                    o.identity = v;
                }
            })
        },
    );
    let sex = (
        move || details.with(|d| d.officers_present.get(i).and_then(|o| o.sex)),
        move |v| {
            details.update(|d| {
                if let Some(o) = d.officers_present.get_mut(i) {
                    o.sex = v;
                }
            })
        },
    );
    let remove = move |_| {
        details.update(|d| {
            if i < d.officers_present.len() {
                d.officers_present.remove(i);
            }
        })
    };
    let n = i + 1;
    view! {
        <div class="repeat-row" data-testid="officer-present-row">
            {form
                .field(format!("details.officers_present[{i}].identity"), format!("Officer {n}: collar number or name"))
                .text(Kind::Text, identity)}
            {form.field(format!("details.officers_present[{i}].sex"), format!("Officer {n}: sex")).choice(sex)}
            <button
                type="button"
                class="button repeat-remove"
                data-testid=format!("details-officers-present-{i}-remove")
                aria-label=format!("Remove officer {n}")
                on:click=remove
            >
                "Remove"
            </button>
        </div>
    }
}
