//! The review itself: the six MoPI questions as yes/no pairs (any yes
//! retains, all no disposes), why the records are still needed (required
//! to retain), and when to review again. `ReviewInput::validate` runs
//! before anything is sent. Disposal erases the person, so it asks twice.

use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::components::error_summary::{ErrorSummary, focus_later};
use crate::components::form::{FormState, TextInput};
use crate::session::use_session;
use crate::text::today;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::error::ErrorCode;
use shared::rights::retention::{DueReview, ReviewInput, ReviewOutcome, RiskQuestion};

const PREFIX: &str = "retention-";
const SUMMARY: &str = "retention-error-summary";
const LABELS: [(&str, &str); 3] = [
    ("rationale", "Why the records are still needed"),
    ("next_review_on", "Next review on"),
    ("due_on", "Review due"),
];

/// Where a disposal stands: asked once, twice, or not yet.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Asking {
    No,
    Once,
    Twice,
}

#[component]
pub fn ReviewForm(
    due: DueReview,
    holds: usize,
    outcome: RwSignal<Option<ReviewOutcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let person = due.person;
    // The review date the reviewer saw: the server refuses if it moved.
    let due_on = due.next_review_on.format("%Y-%m-%d").to_string();
    let yes = RwSignal::new(vec![false; RiskQuestion::ALL.len()]);
    let rationale = RwSignal::new(String::new());
    let next = RwSignal::new(String::new());
    let input = Memo::new(move |_| ReviewInput {
        yes: yes.with(|y| {
            RiskQuestion::ALL
                .iter()
                .zip(y)
                .filter(|(_, on)| **on)
                .map(|(q, _)| q.as_str().to_owned())
                .collect()
        }),
        rationale: rationale.get(),
        next_review_on: next.get(),
        due_on: due_on.clone(),
    });
    let retain = move || input.with(|i| !i.yes.is_empty());
    let rules = Memo::new(move |_| input.with(|i| i.validate(today()).err().unwrap_or_default()));
    let form = FormState::new(rules);
    let asking = RwSignal::new(Asking::No);
    let busy = RwSignal::new(false);
    let banner = RwSignal::new(None::<ApiError>);
    let moved = RwSignal::new(false);
    let send = Callback::new(move |()| {
        busy.set(true);
        banner.set(None);
        asking.set(Asking::No);
        let sent = input.get_untracked();
        spawn_local(async move {
            match api::retention::review(session, person, &sent).await {
                Ok(done) => {
                    outcome.try_set(Some(done));
                }
                Err(error) => {
                    form.refused(&error);
                    if !error.field_errors().is_empty() {
                        focus_later(SUMMARY);
                    } else {
                        let conflict =
                            matches!(&error, ApiError::Problem(p) if p.code == ErrorCode::Conflict);
                        moved.try_set(conflict);
                        banner.try_set(Some(error));
                    }
                }
            }
            busy.try_set(false);
        });
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if !form.submit() {
            focus_later(SUMMARY);
            return;
        }
        if retain() {
            send.run(());
        } else {
            asking.set(Asking::Once);
        }
    };
    let name = super::name_of(&due);
    let dispose_text = format!(
        "Every answer is no: {name} and every record only about them will be erased, with every copy, and a certificate issued. {}It cannot be undone.",
        if holds > 0 {
            format!("{holds} item(s) under a legal hold will be restricted instead. ")
        } else {
            String::new()
        }
    );
    view! {
        <form class="card retention-form" data-testid="retention-form" novalidate on:submit=on_submit>
            <h2>"Review"</h2>
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
            <Show when=move || moved.get()>
                <button type="button" class="button button-primary" data-testid="retention-reload" on:click=move |_| reload.run(())>
                    "Read the case again"
                </button>
            </Show>
            <ErrorSummary form id=SUMMARY prefix=PREFIX labels=LABELS.to_vec() />
            {RiskQuestion::ALL
                .iter()
                .enumerate()
                .map(|(n, q)| view! { <Question n question=*q yes /> })
                .collect_view()}
            <p class="retention-decision" role="status" data-testid="retention-decision">
                {move || {
                    if retain() {
                        "Decision: retain. A yes means the records are still needed: say why."
                    } else {
                        "Decision: dispose. Every answer is no: the records will be erased."
                    }
                }}
            </p>
            // Only a decision to retain needs its reasons and a date.
            <Show when=retain>
                <TextInput
                    form
                    label=LABELS[0].1
                    path="rationale"
                    value=rationale
                    set=Callback::new(move |v| rationale.set(v))
                    hint="Required to retain: at least 20 characters"
                    multiline=true
                    prefix=PREFIX
                />
                <TextInput
                    form
                    label=LABELS[1].1
                    path="next_review_on"
                    value=next
                    set=Callback::new(move |v| next.set(v))
                    hint="Optional: leave empty for the group's period"
                    kind="date"
                    prefix=PREFIX
                />
            </Show>
            {move || match asking.get() {
                Asking::No => {
                    view! {
                        <div class="form-actions">
                            <button type="submit" class="button button-primary" data-testid="retention-submit" disabled=move || busy.get()>
                                {move || if busy.get() { "Recording…" } else { "Record the review" }}
                            </button>
                        </div>
                    }
                        .into_any()
                }
                stage => {
                    let (title, button) = if stage == Asking::Once {
                        ("Dispose of these records?", "Dispose of them")
                    } else {
                        ("Are you sure? The erasure cannot be undone.", "Erase now")
                    };
                    let then = move |_| if stage == Asking::Once { asking.set(Asking::Twice) } else { send.run(()) };
                    view! {
                        <div class="banner banner-error" role="alert" data-testid="retention-dispose-panel">
                            <p class="banner-title">{title}</p>
                            <p>{dispose_text.clone()}</p>
                            <div class="form-actions">
                                <button type="button" class="button button-danger" data-testid="retention-dispose-confirm" disabled=move || busy.get() on:click=then>
                                    {button}
                                </button>
                                <button type="button" class="button" data-testid="retention-dispose-cancel" on:click=move |_| asking.set(Asking::No)>
                                    "Not yet"
                                </button>
                            </div>
                        </div>
                    }
                        .into_any()
                }
            }}
        </form>
    }
}

/// One question as a yes/no pair; the whole label row is the target.
#[component]
fn Question(n: usize, question: RiskQuestion, yes: RwSignal<Vec<bool>>) -> impl IntoView {
    let code = question.as_str();
    let is_yes = move || yes.with(|y| y[n]);
    let set = move |on: bool| yes.update(|y| y[n] = on);
    view! {
        <fieldset class="retention-question" data-testid="retention-question" data-code=code>
            <legend>{question.label()}</legend>
            <div class="retention-answers">
                <label class="rights-check" data-testid="retention-answer-yes">
                    <input
                        type="radio"
                        name=format!("retention-{code}")
                        prop:checked=is_yes
                        on:change=move |_| set(true)
                    />
                    "Yes"
                </label>
                <label class="rights-check" data-testid="retention-answer-no">
                    <input
                        type="radio"
                        name=format!("retention-{code}")
                        prop:checked=move || !is_yes()
                        on:change=move |_| set(false)
                    />
                    "No"
                </label>
            </div>
        </fieldset>
    }
}
