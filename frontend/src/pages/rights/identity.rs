//! The requester's identity: when and how it was proved, or, until it is,
//! the form to record it. The clock runs from the later of receipt and
//! proof, so nothing is compiled before it.

use super::request::CaseState;
use super::{today, uk};
use crate::api;
use crate::components::field::{Field, described_by};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::error::FieldErrors;
use shared::rights::IdentityInput;

#[component]
pub fn IdentitySection(state: CaseState) -> impl IntoView {
    let case = state.case;
    let proved = move || {
        case.with(|c| {
            c.identity_proved_on
                .map(|on| (on, c.identity_means.clone().unwrap_or_default()))
        })
    };
    view! {
        <section class="card rights-identity" data-testid="rights-identity">
            <h2>"Identity"</h2>
            {move || match proved() {
                Some((on, means)) => {
                    view! {
                        <dl class="details">
                            <dt>"Proved on"</dt>
                            <dd data-testid="rights-identity-proved-on">{uk(on)}</dd>
                            <dt>"By"</dt>
                            <dd data-testid="rights-identity-means">{means}</dd>
                        </dl>
                    }
                        .into_any()
                }
                None if state.can_change() => view! { <IdentityForm state /> }.into_any(),
                None => {
                    view! {
                        <p class="muted" data-testid="rights-identity-missing">
                            "Not proved yet: the clock has not started."
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn IdentityForm(state: CaseState) -> impl IntoView {
    let proved_on = RwSignal::new(today().format("%Y-%m-%d").to_string());
    let means = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let error_for = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.for_field(field).map(|e| e.message.clone())))
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let input = IdentityInput {
            proved_on: proved_on.get_untracked(),
            means: means.get_untracked(),
        };
        // The rules the server applies, against this case's receipt.
        let received = state.case.with_untracked(|c| c.received_on);
        if let Err(broken) = input.validate(received, today()) {
            errors.set(broken);
            return;
        }
        state.change(
            errors,
            move |session, id| async move { api::rights::record_identity(session, id, &input).await },
            || (),
        );
    };
    view! {
        <form class="rights-identity-form" data-testid="rights-identity-form" novalidate on:submit=on_submit>
            <p class="muted">"Not proved yet: the clock starts once it is."</p>
            <Field label="Proved on" id="rights-identity-proved-on-input" error=error_for("proved_on")>
                <input
                    id="rights-identity-proved-on-input"
                    data-testid="rights-identity-proved-on-input"
                    type="date"
                    max=today().format("%Y-%m-%d").to_string()
                    aria-describedby=described_by("rights-identity-proved-on-input", false)
                    prop:value=move || proved_on.get()
                    on:input=move |ev| proved_on.set(event_target_value(&ev))
                />
            </Field>
            <Field
                label="What proved it"
                id="rights-identity-means-input"
                hint="Such as: passport seen at the front counter"
                error=error_for("means")
            >
                <input
                    id="rights-identity-means-input"
                    data-testid="rights-identity-means-input"
                    type="text"
                    autocomplete="off"
                    aria-describedby=described_by("rights-identity-means-input", true)
                    prop:value=move || means.get()
                    on:input=move |ev| means.set(event_target_value(&ev))
                />
            </Field>
            <button
                type="submit"
                class="button button-primary"
                data-testid="rights-identity-submit"
                disabled=move || state.busy.get()
            >
                "Record proof of identity"
            </button>
        </form>
    }
}
