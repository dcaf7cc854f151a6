//! The case file part of the event form: charges, court and status.

use super::inputs::{FormState, Kind, bind, list_error};
use leptos::prelude::*;
use shared::events::case_file::{CaseFile, Charge};

#[component]
pub fn CaseFileSection(form: FormState, details: RwSignal<CaseFile>) -> impl IntoView {
    let count = move || details.with(|d| d.charges.len());
    let add = move |_| {
        details.update(|d| {
            d.charges.push(Charge {
                offence_code: String::new(),
                wording: String::new(),
            })
        });
        form.edited("details.charges");
    };
    view! {
        <fieldset class="form-section" data-testid="case-file-section">
            <legend>"The file"</legend>
            <div class="field-grid">
                {form.field("details.file_status", "File status").pick(bind!(copy details.file_status))}
                {form
                    .field("details.court", "Court")
                    .hint("Needed once listed at court")
                    .text(Kind::Text, bind!(details.court))}
                {form
                    .field("details.first_hearing", "First hearing")
                    .hint("Optional")
                    .text(Kind::Date, bind!(details.first_hearing))}
            </div>
        </fieldset>
        <fieldset class="form-section">
            <legend>"Charges"</legend>
            {list_error(form, "details.charges", "Charges")}
            <For each=move || 0..count() key=|i| *i let(i)>
                <ChargeRow form details i />
            </For>
            <button type="button" class="button" data-testid="details-charges-add" on:click=add>
                "Add a charge"
            </button>
        </fieldset>
    }
}

#[component]
fn ChargeRow(form: FormState, details: RwSignal<CaseFile>, i: usize) -> impl IntoView {
    let code = (
        move || {
            details.with(|d| {
                d.charges
                    .get(i)
                    .map(|c| c.offence_code.clone())
                    .unwrap_or_default()
            })
        },
        move |v| {
            details.update(|d| {
                if let Some(c) = d.charges.get_mut(i) {
                    c.offence_code = v;
                }
            })
        },
    );
    let wording = (
        move || {
            details.with(|d| {
                d.charges
                    .get(i)
                    .map(|c| c.wording.clone())
                    .unwrap_or_default()
            })
        },
        move |v| {
            details.update(|d| {
                if let Some(c) = d.charges.get_mut(i) {
                    c.wording = v;
                }
            })
        },
    );
    let remove = move |_| {
        details.update(|d| {
            if i < d.charges.len() {
                d.charges.remove(i);
            }
        })
    };
    let n = i + 1;
    view! {
        <div class="repeat-row repeat-row-wide" data-testid="charge-row">
            {form.field(format!("details.charges[{i}].offence_code"), format!("Charge {n}: offence code")).text(Kind::Text, code)}
            {form.field(format!("details.charges[{i}].wording"), format!("Charge {n}: wording")).text(Kind::Long, wording)}
            <button
                type="button"
                class="button repeat-remove"
                data-testid=format!("details-charges-{i}-remove")
                aria-label=format!("Remove charge {n}")
                on:click=remove
            >
                "Remove"
            </button>
        </div>
    }
}
