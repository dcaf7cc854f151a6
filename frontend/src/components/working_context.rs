//! The working context: why the user is consulting records for this task.
//!
//! DPA 2018 s.62 requires the consultation log to show the justification
//! for each consultation. The user declares it once per task: the form
//! checks it with the same rules as the server, the server records it and
//! returns its id, and the API client cites that id with every request.

use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{Field, described_by};
use crate::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::error::FieldErrors;
use shared::justification::{Justification, Purpose, WorkingContextInput};

/// A short statement of the context, for the header.
fn summary(justification: &Justification) -> String {
    let detail = justification
        .reference
        .clone()
        .or_else(|| {
            justification.reason.as_ref().map(|reason| {
                let short: String = reason.chars().take(32).collect();
                if short.len() < reason.len() {
                    format!("{short}…")
                } else {
                    short
                }
            })
        })
        .unwrap_or_default();
    format!("{} · {detail}", justification.purpose.label())
}

/// The context as the header shows it, with a one-tap control to change it.
#[component]
pub fn ContextBar() -> impl IntoView {
    let session = use_session();
    let until = move || {
        session.working_context().map(|c| {
            format!(
                "Declared until {} UTC",
                c.expires_at.format("%d/%m/%Y %H:%M")
            )
        })
    };
    view! {
        <div class="context-bar" data-testid="working-context" title=until>
            <span class="context-caption">"Working context"</span>
            <span class="context-summary" data-testid="working-context-summary">
                {move || {
                    session
                        .working_context()
                        .map(|c| summary(&c.justification))
                        .unwrap_or_else(|| "None declared".to_owned())
                }}
            </span>
            <button
                type="button"
                class="button button-small"
                data-testid="working-context-change"
                on:click=move |_| session.set_editing_context(true)
            >
                {move || if session.has_context() { "Change" } else { "Declare" }}
            </button>
        </div>
    }
}

/// The form that declares (or changes) the working context.
#[component]
pub fn WorkingContextForm(#[prop(optional)] cancellable: bool) -> impl IntoView {
    let session = use_session();
    let current = session.working_context_untracked().map(|c| c.justification);
    let purpose = RwSignal::new(
        current
            .as_ref()
            .map(|j| j.purpose.as_str().to_owned())
            .unwrap_or_default(),
    );
    let reference = RwSignal::new(
        current
            .as_ref()
            .and_then(|j| j.reference.clone())
            .unwrap_or_default(),
    );
    let reason = RwSignal::new(current.and_then(|j| j.reason).unwrap_or_default());
    let errors = RwSignal::new(FieldErrors::default());
    let banner = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    // The force may accept fewer purposes than the fixed list; until it
    // says, offer the list (the server refuses any it does not accept).
    let offered = RwSignal::new(Purpose::ALL.to_vec());
    spawn_local(async move {
        if let Ok(accepted) = api::purposes(session).await {
            offered.try_set(accepted);
        }
    });
    let error_for = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.for_field(field).map(|e| e.message.clone())))
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // The server's rules, applied before anything is sent.
        let parsed = Justification::parse(
            &purpose.get_untracked(),
            &reference.get_untracked(),
            &reason.get_untracked(),
        );
        let justification = match parsed {
            Ok(justification) => justification,
            Err(broken) => {
                errors.set(broken);
                return;
            }
        };
        errors.set(FieldErrors::default());
        banner.set(None);
        busy.set(true);
        let input = WorkingContextInput {
            purpose: justification.purpose.as_str().to_owned(),
            reference: justification.reference.unwrap_or_default(),
            reason: justification.reason.unwrap_or_default(),
        };
        spawn_local(async move {
            match api::declare_working_context(session, &input).await {
                Ok(context) => session.declare(context),
                Err(error) => {
                    let fields = error.field_errors();
                    if fields.is_empty() {
                        banner.try_set(Some(error));
                    } else {
                        errors.try_set(fields);
                    }
                }
            }
            busy.try_set(false);
        });
    };

    view! {
        <form class="card context-form" data-testid="working-context-form" novalidate on:submit=on_submit>
            <h2>"Declare your working context"</h2>
            <p class="form-intro">
                "Say why you need to consult records for this task. It is recorded with each record you open "
                "(Data Protection Act 2018, section 62)."
            </p>
            {move || {
                session
                    .context_notice()
                    .map(|notice| {
                        view! {
                            <p class="banner banner-info" role="status" data-testid="context-notice">
                                {notice}
                            </p>
                        }
                    })
            }}
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
            <Field label="Purpose" id="context-purpose" error=error_for("purpose")>
                <select
                    id="context-purpose"
                    data-testid="context-purpose"
                    aria-describedby=described_by("context-purpose", false)
                    on:change=move |ev| purpose.set(event_target_value(&ev))
                >
                    <option value="" selected=move || purpose.with(String::is_empty)>
                        "Choose a purpose"
                    </option>
                    {move || {
                        offered
                            .get()
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <option value=p.as_str() selected=move || purpose.with(|v| v == p.as_str())>
                                        {p.label()}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </Field>
            <Field
                label="Reference"
                id="context-reference"
                hint="Occurrence, case, intelligence report or task number, such as 01/12345"
                error=error_for("reference")
            >
                <input
                    id="context-reference"
                    data-testid="context-reference"
                    type="text"
                    autocomplete="off"
                    aria-describedby=described_by("context-reference", true)
                    prop:value=move || reference.get()
                    on:input=move |ev| reference.set(event_target_value(&ev))
                />
            </Field>
            <Field
                label="Or a reason"
                id="context-reason"
                hint="When there is no reference: at least 10 characters. It is kept in the audit log for good, so describe the task, never name the person"
                error=error_for("reason")
            >
                <textarea
                    id="context-reason"
                    data-testid="context-reason"
                    rows="2"
                    aria-describedby=described_by("context-reason", true)
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))
                ></textarea>
            </Field>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="context-submit"
                    disabled=move || busy.get()
                >
                    {move || if busy.get() { "Declaring…" } else { "Declare working context" }}
                </button>
                {cancellable
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button"
                                data-testid="context-cancel"
                                on:click=move |_| session.set_editing_context(false)
                            >
                                "Cancel"
                            </button>
                        }
                    })}
            </div>
        </form>
    }
}

/// Shows its children only once a working context is declared; until
/// then, the form that declares it. No personal data is fetched before.
#[component]
pub fn RequireContext(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    view! {
        <Show
            when=move || session.has_context()
            fallback=move || {
                view! {
                    <section class="context-required" data-testid="context-required">
                        {move || {
                            if session.is_editing_context() {
                                view! { <p>"Declare your working context above to see records."</p> }.into_any()
                            } else {
                                view! { <WorkingContextForm /> }.into_any()
                            }
                        }}
                    </section>
                }
            }
        >
            {children()}
        </Show>
    }
}
