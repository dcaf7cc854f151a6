//! The passages of kept records that name the person: the text as held,
//! and an editable redaction (Probity's proposal to start from) that the
//! officer confirms one by one. The server checks each confirmed text
//! still names no one it looks for, and says where it does.

use super::plan::{PREFIX, PlanState};
use super::plural;
use crate::api;
use crate::components::error_summary::focus;
use crate::components::field::{Field, described_by, field_id};
use crate::components::record_ref::RecordRef;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::error::FieldError;
use shared::rights::erasure::PassageInput;

#[component]
pub fn Passages(state: PlanState) -> impl IntoView {
    let count = state.plan.with_untracked(|p| p.passages.len());
    let unconfirmed = move || state.plan.with(|p| p.unconfirmed);
    if count == 0 {
        return view! {
            <section class="card erasure-section" data-testid="erasure-passages">
                <h2>"Passages to redact"</h2>
                <p class="muted">"No kept record's text names the person."</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card erasure-section" data-testid="erasure-passages">
            <h2>{format!("Passages to redact ({count})")}</h2>
            <p class="muted">
                "Each passage of a kept record that names the person, as held, and the text it will hold. Read each, correct it if it does not read well, and confirm it."
            </p>
            <p class="erasure-count" role="status" aria-live="polite" data-testid="erasure-unconfirmed">
                {move || match unconfirmed() {
                    0 => "Every passage is confirmed.".to_owned(),
                    n => format!("{} still to confirm.", plural(n, "passage", "passages")),
                }}
            </p>
            <ol class="erasure-passages">
                {(0..count).map(|n| view! { <PassageEditor state n /> }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

#[component]
fn PassageEditor(state: PlanState, n: usize) -> impl IntoView {
    let (passage, kind, reference) = state.plan.with_untracked(|p| {
        let passage = p.passages[n].clone();
        // The record's kind and reference, from the list that keeps it.
        let entry = p
            .unlink
            .iter()
            .chain(&p.delete)
            .find(|e| e.record == passage.record);
        let kind = entry.map_or_else(
            || passage.record.record_type.label().to_owned(),
            |e| e.kind.clone(),
        );
        let reference = entry.and_then(|e| e.reference.clone()).unwrap_or_default();
        (passage, kind, reference)
    });
    let draft = RwSignal::new(
        passage
            .confirmed
            .clone()
            .unwrap_or_else(|| passage.proposed.clone()),
    );
    let path = format!("passages[{n}]");
    let id = format!("{PREFIX}{}", field_id(&path));
    let confirmed = move || {
        state
            .plan
            .with(|p| p.passages.get(n).and_then(|x| x.confirmed.clone()))
    };
    // Confirmed, and the text shown is the text confirmed.
    let settled = move || confirmed().is_some_and(|c| draft.with(|d| *d == c));
    let error = state.form.error_for(path.clone());
    let edited = path.clone();
    let refused = path.clone();
    let textarea = id.clone();
    let confirm = move |_| {
        if state.busy.get_untracked() || state.ran() {
            return;
        }
        let text = draft.get_untracked();
        let at = refused.clone();
        let focus_on = textarea.clone();
        // The length rule here; whether it still names the person, there.
        if let Err(broken) = (PassageInput { text: text.clone() }).validate() {
            set_error(state, n, broken.0.into_iter().next());
            return;
        }
        state.busy.set(true);
        state.banner.set(None);
        spawn_local(async move {
            match api::erasure::confirm_passage(state.session, state.id(), n, text).await {
                Ok(plan) => {
                    state.clear(&at);
                    state.plan.try_set(plan);
                }
                Err(error) => match error.field_errors().0.into_iter().next() {
                    Some(e) => {
                        set_error(state, n, Some(e));
                        request_animation_frame(move || focus(&focus_on));
                    }
                    None => {
                        state.banner.try_set(Some(error));
                    }
                },
            }
            state.busy.try_set(false);
        });
    };
    view! {
        <li
            class=move || if settled() { "erasure-passage erasure-passage-confirmed" } else { "erasure-passage" }
            data-testid="erasure-passage"
            data-index=n.to_string()
        >
            <h3 class="erasure-passage-title">
                <RecordRef record=passage.record kind reference />
                <span class="muted">{format!(" · {}", passage.field)}</span>
                <Show when=settled>
                    <span class="badge badge-allowed" data-testid="erasure-passage-confirmed">"Confirmed"</span>
                </Show>
            </h3>
            <p class="erasure-label">"As held"</p>
            <blockquote class="erasure-held multiline" data-testid="erasure-passage-held">{passage.held.clone()}</blockquote>
            <Field label="Will read" id=id.clone() error>
                <textarea
                    id=id.clone()
                    data-testid="erasure-passage-text"
                    rows="4"
                    aria-describedby=described_by(&id, false)
                    disabled=move || state.ran()
                    prop:value=move || draft.get()
                    on:input=move |ev| {
                        draft.set(event_target_value(&ev));
                        state.clear(&edited);
                    }
                ></textarea>
            </Field>
            <Show when=move || !state.ran() && !settled()>
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="erasure-passage-confirm"
                    disabled=move || state.busy.get()
                    on:click=confirm.clone()
                >
                    {move || if confirmed().is_some() { "Confirm the new text" } else { "Confirm" }}
                </button>
            </Show>
        </li>
    }
}

/// Shows `error` (the server names it `text`) under passage `n`, named by
/// its number so the summary at the top says which.
pub(super) fn set_error(state: PlanState, n: usize, error: Option<FieldError>) {
    let Some(error) = error else { return };
    let path = format!("passages[{n}]");
    let message = format!("Passage {}: {}", n + 1, error.message);
    state.errors.update(|e| {
        e.0.retain(|x| x.field != path);
        e.0.push(FieldError::new(&path, &error.code, message));
    });
}
