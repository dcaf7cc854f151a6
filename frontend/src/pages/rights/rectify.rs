//! Rectifying one of the subjects' records (s.46): a field corrected
//! through the record's own rules, or, where the record must stay as it
//! was (it is evidence), a supplementary statement shown wherever it is.
//! The form applies `RectificationInput::validate` before sending; the
//! record's own rules answer from the server under "Correct value".

use super::notifications::Notifications;
use super::records::RecordPicker;
use super::request::CaseState;
use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::components::error_summary::{ErrorSummary, focus_later};
use crate::components::form::{FormState, TextInput};
use crate::components::record_ref::short_id;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::links::RecordKey;
use shared::rights::rectification::{RectificationInput, Rectified};

const PREFIX: &str = "rectify-";
const SUMMARY: &str = "rectify-error-summary";
const LABELS: [(&str, &str); 5] = [
    ("record", "Record"),
    ("field", "Field to correct"),
    ("value", "Correct value"),
    ("statement", "Supplementary statement"),
    ("reason", "Why"),
];

fn label(path: &str) -> &'static str {
    LABELS
        .iter()
        .find(|(p, _)| *p == path)
        .map_or("", |(_, l)| *l)
}

/// The record's own rules name its fields (`details.narrative`); the form
/// shows them under "Correct value", saying which field broke which rule.
fn onto_form(error: ApiError) -> ApiError {
    match error {
        ApiError::Problem(mut p) => {
            for e in &mut p.errors {
                if !LABELS.iter().any(|(path, _)| *path == e.field) {
                    e.message = format!("{}: {}", e.field, e.message);
                    e.field = "value".to_owned();
                }
            }
            ApiError::Problem(p)
        }
        other => other,
    }
}

fn done_text(r: &Rectified) -> String {
    let what = format!(
        "the {} {}",
        r.record.record_type.label().to_lowercase(),
        short_id(r.record.id)
    );
    let did = match &r.field {
        Some(field) => format!("{field} of {what} corrected."),
        None => format!("Supplementary statement added to {what}."),
    };
    match r.notifications.len() {
        0 => did,
        n => format!("{did} {n} earlier recipient(s) to tell: see the letters below."),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Correct,
    Statement,
}

#[component]
pub fn RectificationSection(state: CaseState) -> impl IntoView {
    // Bumped after each rectification: the letters owed may have grown.
    let letters = RwSignal::new(0_u32);
    view! {
        <Show when=move || state.can_change()>
            <RectifyForm state letters />
        </Show>
        <Notifications state letters />
    }
}

#[component]
fn RectifyForm(state: CaseState, letters: RwSignal<u32>) -> impl IntoView {
    let chosen = RwSignal::new(None::<RecordKey>);
    let mode = RwSignal::new(Mode::Correct);
    let field = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let statement = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let input = Memo::new(move |_| {
        let correct = mode.get() == Mode::Correct;
        RectificationInput {
            record: chosen.get(),
            field: if correct { field.get() } else { String::new() },
            // As the form would send it: the server fits it to the field.
            value: (correct && !value.with(String::is_empty))
                .then(|| serde_json::Value::String(value.get())),
            statement: if correct {
                String::new()
            } else {
                statement.get()
            },
            reason: reason.get(),
        }
    });
    let rules = Memo::new(move |_| input.with(|i| i.validate().err().unwrap_or_default()));
    let form = FormState::new(rules);
    let busy = RwSignal::new(false);
    let banner = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        done.set(None);
        if !form.submit() {
            focus_later(SUMMARY);
            return;
        }
        busy.set(true);
        banner.set(None);
        let sent = input.get_untracked();
        spawn_local(async move {
            match api::rectification::rectify(state.session, state.id(), &sent).await {
                Ok(rectified) => {
                    done.try_set(Some(done_text(&rectified)));
                    for s in [field, value, statement, reason] {
                        s.try_set(String::new());
                    }
                    form.reset();
                    letters.try_update(|n| *n += 1);
                    state.reload().await;
                }
                Err(error) => {
                    let error = onto_form(error);
                    form.refused(&error);
                    if error.field_errors().is_empty() {
                        banner.try_set(Some(error));
                    } else {
                        focus_later(SUMMARY);
                    }
                }
            }
            busy.try_set(false);
        });
    };
    let text = |s: RwSignal<String>| {
        (
            Signal::derive(move || s.get()),
            Callback::new(move |v: String| s.set(v)),
        )
    };
    let (field_v, set_field) = text(field);
    let (value_v, set_value) = text(value);
    let (statement_v, set_statement) = text(statement);
    let (reason_v, set_reason) = text(reason);
    let mode_button = move |m: Mode, testid: &'static str, words: &'static str| {
        view! {
            <button
                type="button"
                class="button choice-inline"
                data-testid=testid
                aria-pressed=move || (mode.get() == m).to_string()
                on:click=move |_| mode.set(m)
            >
                {words}
            </button>
        }
    };
    view! {
        <form class="card rights-rectify" data-testid="rectify-form" novalidate on:submit=on_submit>
            <h2>"Rectify a record"</h2>
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
            {move || done.get().map(|text| view! { <p class="banner banner-ok" role="status" data-testid="rectify-done">{text}</p> })}
            <ErrorSummary form id=SUMMARY prefix=PREFIX labels=LABELS.to_vec() />
            <RecordPicker state chosen id="rectify-record" error=form.error_for("record") />
            <div class="rights-decision" role="group" aria-label="What to do">
                {mode_button(Mode::Correct, "rectify-mode-correct", "Correct a field")}
                {mode_button(Mode::Statement, "rectify-mode-statement", "Add a supplementary statement")}
            </div>
            <Show
                when=move || mode.get() == Mode::Correct
                fallback=move || {
                    view! {
                        <TextInput
                            form
                            label=label("statement")
                            path="statement"
                            value=statement_v
                            set=set_statement
                            hint="Kept with the record as it was, and shown wherever it is shown"
                            multiline=true
                            prefix=PREFIX
                        />
                    }
                }
            >
                <TextInput
                    form
                    label=label("field")
                    path="field"
                    value=field_v
                    set=set_field
                    hint="As the record's form names it: surname, date_of_birth, details.narrative, details.address"
                    prefix=PREFIX
                />
                <TextInput form label=label("value") path="value" value=value_v set=set_value multiline=true prefix=PREFIX />
            </Show>
            <TextInput
                form
                label=label("reason")
                path="reason"
                value=reason_v
                set=set_reason
                hint="What the subject showed to be inaccurate or incomplete: at least 10 characters"
                multiline=true
                prefix=PREFIX
            />
            <div class="form-actions">
                <button type="submit" class="button button-primary" data-testid="rectify-submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Saving…" } else { "Rectify" }}
                </button>
            </div>
        </form>
    }
}
