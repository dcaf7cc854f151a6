//! The custody record part of the event form: arrest, the detention clock
//! and its reviews, rights, searches and release.

use super::inputs::{FormState, Kind, bind, list_error};
use super::when::{input_to_wire, stored_to_input, uk};
use leptos::prelude::*;
use shared::events::custody::{CustodyRecord, DetentionReview};

/// The form keeps times as the tablet shows them.
pub fn for_form(r: &CustodyRecord) -> CustodyRecord {
    map_times(r, stored_to_input)
}

pub fn for_wire(r: &CustodyRecord) -> CustodyRecord {
    map_times(r, input_to_wire)
}

fn map_times(r: &CustodyRecord, f: fn(&str) -> String) -> CustodyRecord {
    CustodyRecord {
        arrested_at: f(&r.arrested_at),
        arrived_at: f(&r.arrived_at),
        rights_given_at: f(&r.rights_given_at),
        released_at: f(&r.released_at),
        reviews: r
            .reviews
            .iter()
            .map(|v| DetentionReview {
                at: f(&v.at),
                ..v.clone()
            })
            .collect(),
        ..r.clone()
    }
}

#[component]
pub fn CustodySection(form: FormState, details: RwSignal<CustodyRecord>) -> impl IntoView {
    // PACE s.41: shown as soon as arrival is known, so the reviews can be
    // planned against it.
    let clock = move || {
        details.with(|d| for_wire(d).clock_expires_at()).map(|at| {
            view! {
                <p class="banner banner-info" role="status" data-testid="custody-clock">
                    "Detention without charge ends at " <strong>{uk(at)}</strong>
                    " unless extended by a superintendent."
                </p>
            }
        })
    };
    let count = move || details.with(|d| d.reviews.len());
    let add = move |_| {
        details.update(|d| {
            d.reviews.push(DetentionReview {
                at: String::new(),
                reviewing_officer: String::new(),
                continued: true,
            })
        })
    };
    view! {
        <fieldset class="form-section" data-testid="custody-section">
            <legend>"Arrest and detention"</legend>
            <div class="field-grid">
                {form.field("details.custody_suite", "Custody suite").text(Kind::Text, bind!(details.custody_suite))}
                {form.field("details.arrested_at", "Arrested at").text(Kind::DateTime, bind!(details.arrested_at))}
                {form
                    .field("details.arrived_at", "Arrived at the station")
                    .hint("The relevant time: the detention clock starts here")
                    .text(Kind::DateTime, bind!(details.arrived_at))}
                {form
                    .field("details.detention_authorised_by", "Detention authorised by")
                    .hint("The custody officer")
                    .text(Kind::Text, bind!(details.detention_authorised_by))}
                {form.field("details.rights_given_at", "Rights given at").text(Kind::DateTime, bind!(details.rights_given_at))}
                {form
                    .field("details.appropriate_adult", "Appropriate adult")
                    .hint("Optional")
                    .text(Kind::Text, bind!(details.appropriate_adult))}
            </div>
            {clock}
            {form.field("details.arrest_reason", "Reason for arrest").text(Kind::Long, bind!(details.arrest_reason))}
        </fieldset>
        <fieldset class="form-section">
            <legend>"Search in custody"</legend>
            <div class="field-grid">
                {form.field("details.search", "Search").choice(bind!(copy details.search))}
                {form
                    .field("details.search_authorised_by", "Search authorised by")
                    .hint("Needed for a strip or intimate search")
                    .text(Kind::Text, bind!(details.search_authorised_by))}
            </div>
        </fieldset>
        <fieldset class="form-section">
            <legend>"Reviews of detention"</legend>
            {list_error(form, "details.reviews", "Reviews of detention")}
            <For each=move || 0..count() key=|i| *i let(i)>
                <ReviewRow form details i />
            </For>
            <button type="button" class="button" data-testid="details-reviews-add" on:click=add>
                "Add a review"
            </button>
        </fieldset>
        <fieldset class="form-section">
            <legend>"Release"</legend>
            <div class="field-grid">
                {form.field("details.released_at", "Released at").hint("Empty while in custody").text(Kind::DateTime, bind!(details.released_at))}
                {form.field("details.release_outcome", "Outcome").choice(bind!(copy details.release_outcome))}
            </div>
        </fieldset>
    }
}

#[component]
fn ReviewRow(form: FormState, details: RwSignal<CustodyRecord>, i: usize) -> impl IntoView {
    let at = (
        move || details.with(|d| d.reviews.get(i).map(|r| r.at.clone()).unwrap_or_default()),
        move |v| {
            details.update(|d| {
                if let Some(r) = d.reviews.get_mut(i) {
                    r.at = v;
                }
            })
        },
    );
    let officer = (
        move || {
            details.with(|d| {
                d.reviews
                    .get(i)
                    .map(|r| r.reviewing_officer.clone())
                    .unwrap_or_default()
            })
        },
        move |v| {
            details.update(|d| {
                if let Some(r) = d.reviews.get_mut(i) {
                    r.reviewing_officer = v;
                }
            })
        },
    );
    let continued = (
        move || details.with(|d| d.reviews.get(i).is_some_and(|r| r.continued)),
        move |v| {
            details.update(|d| {
                if let Some(r) = d.reviews.get_mut(i) {
                    r.continued = v;
                }
            })
        },
    );
    let remove = move |_| {
        details.update(|d| {
            if i < d.reviews.len() {
                d.reviews.remove(i);
            }
        })
    };
    let n = i + 1;
    view! {
        <div class="repeat-row" data-testid="review-row">
            {form.field(format!("details.reviews[{i}].at"), format!("Review {n}: at")).text(Kind::DateTime, at)}
            {form.field(format!("details.reviews[{i}].reviewing_officer"), format!("Review {n}: reviewing officer")).text(Kind::Text, officer)}
            {form.field(format!("details.reviews[{i}].continued"), "Detention continued").checkbox(continued)}
            <button
                type="button"
                class="button repeat-remove"
                data-testid=format!("details-reviews-{i}-remove")
                aria-label=format!("Remove review {n}")
                on:click=remove
            >
                "Remove"
            </button>
        </div>
    }
}
