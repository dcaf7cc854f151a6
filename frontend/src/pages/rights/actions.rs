//! What the data protection officer may do next, as the case's state
//! allows: compile the pack, move the case on, pause or resume the clock,
//! extend the time limit, refuse (s.53), record a withdrawal, or answer
//! that the force neither confirms nor denies (s.45(5)). Each that needs a
//! reason asks for it in a panel under the buttons; the reasons stay with
//! the case and never enter the pack.

use super::panels::{ExtensionForm, Panel, ReasonForm, Reasoned};
use super::request::CaseState;
use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::error::FieldErrors;
use shared::rights::{RequestKind, RequestStatus, StatusInput};

fn moves_label(to: RequestStatus) -> &'static str {
    match to {
        RequestStatus::VerifyingIdentity => "Mark as verifying identity",
        RequestStatus::Compiling => "Back to compiling",
        RequestStatus::Reviewing => "Mark as reviewing",
        _ => to.label(),
    }
}

#[component]
pub fn Actions(state: CaseState) -> impl IntoView {
    let case = state.case;
    let panel = RwSignal::new(None::<Panel>);
    let errors = RwSignal::new(FieldErrors::default());
    let status = move || case.with(|c| c.status);
    let can_compile = move || {
        matches!(
            status(),
            RequestStatus::Compiling | RequestStatus::Reviewing
        )
    };
    let compile = move |_| {
        if state.busy.get_untracked() {
            return;
        }
        state.busy.set(true);
        state.banner.set(None);
        let id = state.id();
        spawn_local(async move {
            match api::rights::compile(state.session, id).await {
                // The case moves to reviewing and notes the compile; the
                // pack follows the case's compile number.
                Ok(_) => state.reload().await,
                Err(error) => {
                    state.banner.try_set(Some(error));
                }
            }
            state.busy.try_set(false);
        });
    };
    // Plain moves: refusal and withdrawal need their reasons, below, and
    // compiling needs proof of identity first.
    let moves = move || {
        case.with(|c| {
            c.status
                .next()
                .iter()
                .copied()
                .filter(|to| !matches!(to, RequestStatus::Refused | RequestStatus::Withdrawn))
                .filter(|to| *to != RequestStatus::Compiling || c.identity_proved_on.is_some())
                .collect::<Vec<_>>()
        })
    };
    let move_to = move |to: RequestStatus| {
        let input = StatusInput {
            status: to.as_str().to_owned(),
            reason: String::new(),
        };
        state.change(
            errors,
            move |session, id| async move { api::rights::change_status(session, id, &input).await },
            || (),
        );
    };
    let resume = move |_| {
        state.change(
            errors,
            |session, id| async move { api::rights::resume(session, id).await },
            || (),
        );
    };
    let say_what_is_held = move |_| {
        state.change(
            errors,
            |session, id| async move { api::rights::say_what_is_held(session, id).await },
            || (),
        );
    };
    let toggle = move |p: Panel| {
        errors.set(FieldErrors::default());
        panel.update(|open| *open = if *open == Some(p) { None } else { Some(p) });
    };
    let paused = move || case.with(|c| c.clock.paused);
    let clock_started = move || case.with(|c| c.clock.starts_on.is_some());
    let access = move || case.with(|c| c.kind == RequestKind::Access);
    let ncnd = move || case.with(|c| c.neither_confirm_nor_deny.is_some());
    let compiled = move || case.with(|c| c.compiled.is_some());
    let reason_button = move |r: Reasoned| {
        view! {
            <button
                type="button"
                class="button"
                data-testid=r.testid()
                aria-expanded=move || (panel.get() == Some(Panel::Reason(r))).to_string()
                disabled=move || state.busy.get()
                on:click=move |_| toggle(Panel::Reason(r))
            >
                {r.labels().0}
            </button>
        }
    };

    view! {
        <Show when=move || state.can_change()>
            <section class="card rights-actions" data-testid="rights-actions">
                <h2>"Next steps"</h2>
                <div class="form-actions">
                    <Show when=can_compile>
                        <button
                            type="button"
                            class="button button-primary"
                            data-testid="rights-compile"
                            disabled=move || state.busy.get()
                            on:click=compile
                        >
                            {move || if compiled() { "Compile again" } else { "Compile the pack" }}
                        </button>
                    </Show>
                    {move || {
                        moves()
                            .into_iter()
                            .map(|to| {
                                view! {
                                    <button
                                        type="button"
                                        class="button"
                                        data-testid=format!("rights-move-{}", to.as_str())
                                        disabled=move || state.busy.get()
                                        on:click=move |_| move_to(to)
                                    >
                                        {moves_label(to)}
                                    </button>
                                }
                            })
                            .collect_view()
                    }}
                    {move || {
                        if paused() {
                            view! {
                                <button
                                    type="button"
                                    class="button"
                                    data-testid="rights-resume"
                                    disabled=move || state.busy.get()
                                    on:click=resume
                                >
                                    "Resume the clock"
                                </button>
                            }
                                .into_any()
                        } else {
                            reason_button(Reasoned::Pause).into_any()
                        }
                    }}
                    <Show when=clock_started>
                        <button
                            type="button"
                            class="button"
                            data-testid="rights-extend"
                            aria-expanded=move || (panel.get() == Some(Panel::Extend)).to_string()
                            disabled=move || state.busy.get()
                            on:click=move |_| toggle(Panel::Extend)
                        >
                            "Extend the time limit"
                        </button>
                    </Show>
                    <Show when=move || access() && !ncnd()>
                        {reason_button(Reasoned::NeitherConfirmNorDeny)}
                    </Show>
                    <Show when=move || access() && ncnd()>
                        <button
                            type="button"
                            class="button"
                            data-testid="rights-ncnd-clear"
                            disabled=move || state.busy.get()
                            on:click=say_what_is_held
                        >
                            "Say what is held after all"
                        </button>
                    </Show>
                    {reason_button(Reasoned::Refuse)}
                    {reason_button(Reasoned::Withdraw)}
                </div>
                {move || {
                    errors
                        .with(|e| e.for_field("status").map(|e| e.message.clone()))
                        .map(|message| view! { <p class="field-error" data-testid="rights-status-error">{message}</p> })
                }}
                {move || match panel.get() {
                    Some(Panel::Reason(r)) => view! { <ReasonForm state reasoned=r panel errors /> }.into_any(),
                    Some(Panel::Extend) => view! { <ExtensionForm state panel errors /> }.into_any(),
                    None => ().into_any(),
                }}
            </section>
        </Show>
    }
}
