//! The panels that ask for a reason before a change: pausing the clock,
//! refusing (s.53), recording a withdrawal, neither confirming nor denying
//! (s.45(5)), and extending the time limit (s.54(3)). Each applies the
//! server's rule before anything is sent; the reasons stay with the case.

use super::request::CaseState;
use super::today;
use crate::api::{self, ApiError};
use crate::components::field::{Field, described_by};
use crate::session::Session;
use futures::FutureExt;
use futures::future::LocalBoxFuture;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::error::FieldErrors;
use shared::rights::{ExtensionInput, ReasonInput, RequestStatus, RightsRequest, StatusInput};
use uuid::Uuid;

/// A change that needs a reason.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reasoned {
    Pause,
    Refuse,
    Withdraw,
    NeitherConfirmNorDeny,
}

impl Reasoned {
    pub const fn testid(self) -> &'static str {
        match self {
            Self::Pause => "rights-pause",
            Self::Refuse => "rights-refuse",
            Self::Withdraw => "rights-withdraw",
            Self::NeitherConfirmNorDeny => "rights-ncnd",
        }
    }

    /// The button that opens the panel, and the one that confirms.
    pub const fn labels(self) -> (&'static str, &'static str) {
        match self {
            Self::Pause => ("Pause the clock", "Pause: waiting for clarification"),
            Self::Refuse => (
                "Refuse (s.53)",
                "Refuse as manifestly unfounded or excessive",
            ),
            Self::Withdraw => ("Record withdrawal", "Record that the requester withdrew it"),
            Self::NeitherConfirmNorDeny => (
                "Neither confirm nor deny",
                "Answer: neither confirm nor deny",
            ),
        }
    }

    const fn hint(self) -> &'static str {
        match self {
            Self::Pause => "What clarification is awaited: at least 10 characters",
            Self::Refuse => {
                "Why the request is manifestly unfounded or excessive: the requester is told"
            }
            Self::Withdraw => "Optional: how and when the requester withdrew it",
            Self::NeitherConfirmNorDeny => {
                "Why saying whether data is held would itself defeat the purpose: kept for the Commissioner"
            }
        }
    }

    fn send(
        self,
        session: Session,
        id: Uuid,
        reason: String,
    ) -> LocalBoxFuture<'static, Result<RightsRequest, ApiError>> {
        let status = |to: RequestStatus| StatusInput {
            status: to.as_str().to_owned(),
            reason: reason.clone(),
        };
        match self {
            Self::Pause => {
                async move { api::rights::pause(session, id, &ReasonInput { reason }).await }
                    .boxed_local()
            }
            Self::Refuse => {
                let input = status(RequestStatus::Refused);
                async move { api::rights::change_status(session, id, &input).await }.boxed_local()
            }
            Self::Withdraw => {
                let input = status(RequestStatus::Withdrawn);
                async move { api::rights::change_status(session, id, &input).await }.boxed_local()
            }
            Self::NeitherConfirmNorDeny => async move {
                api::rights::neither_confirm_nor_deny(session, id, &ReasonInput { reason }).await
            }
            .boxed_local(),
        }
    }
}

/// Which panel is open under the buttons.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Reason(Reasoned),
    Extend,
}

#[component]
pub fn ReasonForm(
    state: CaseState,
    reasoned: Reasoned,
    panel: RwSignal<Option<Panel>>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let id = format!("{}-reason", reasoned.testid());
    let required = reasoned != Reasoned::Withdraw;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let raw = reason.get_untracked();
        // The server's rule for a reason, applied before anything is sent.
        if (required || !raw.trim().is_empty())
            && let Err(broken) = shared::rights::reason("reason", &raw)
        {
            errors.set(broken);
            return;
        }
        state.change(
            errors,
            move |session, id| reasoned.send(session, id, raw),
            move || panel.set(None),
        );
    };
    let error =
        Signal::derive(move || errors.with(|e| e.for_field("reason").map(|e| e.message.clone())));
    let (_, confirm) = reasoned.labels();
    view! {
        <form class="rights-panel" data-testid=format!("{}-form", reasoned.testid()) novalidate on:submit=on_submit>
            <Field label="Reason" id=id.clone() hint=reasoned.hint() error>
                <textarea
                    id=id.clone()
                    data-testid=id.clone()
                    rows="3"
                    aria-describedby=described_by(&id, true)
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))
                ></textarea>
            </Field>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid=format!("{}-confirm", reasoned.testid())
                    disabled=move || state.busy.get()
                >
                    {confirm}
                </button>
                <button type="button" class="button" on:click=move |_| panel.set(None)>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

#[component]
pub fn ExtensionForm(
    state: CaseState,
    panel: RwSignal<Option<Panel>>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let months = RwSignal::new(1_u32);
    let reason = RwSignal::new(String::new());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let input = ExtensionInput {
            months: months.get_untracked(),
            reason: reason.get_untracked(),
        };
        // Only inside the first month, which the clock names.
        let first_month = state.case.with_untracked(|c| c.clock.extension_deadline);
        if let Err(broken) = input.validate(first_month, today()) {
            errors.set(broken);
            return;
        }
        state.change(
            errors,
            move |session, id| async move { api::rights::extend(session, id, &input).await },
            move || panel.set(None),
        );
    };
    let error_for = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.for_field(field).map(|e| e.message.clone())))
    };
    view! {
        <form class="rights-panel" data-testid="rights-extend-form" novalidate on:submit=on_submit>
            <Field label="Extend by" id="rights-extend-months" error=error_for("months")>
                <select
                    id="rights-extend-months"
                    data-testid="rights-extend-months"
                    aria-describedby=described_by("rights-extend-months", false)
                    on:change=move |ev| months.set(if event_target_value(&ev) == "2" { 2 } else { 1 })
                >
                    <option value="1" selected=move || months.get() == 1>"One month"</option>
                    <option value="2" selected=move || months.get() == 2>"Two months"</option>
                </select>
            </Field>
            <Field
                label="Why the request is complex or numerous"
                id="rights-extend-reason"
                hint="Sent to the requester with the notice of extension (s.54(3))"
                error=error_for("reason")
            >
                <textarea
                    id="rights-extend-reason"
                    data-testid="rights-extend-reason"
                    rows="3"
                    aria-describedby=described_by("rights-extend-reason", true)
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))
                ></textarea>
            </Field>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="rights-extend-confirm"
                    disabled=move || state.busy.get()
                >
                    "Record the extension"
                </button>
                <button type="button" class="button" on:click=move |_| panel.set(None)>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}
