//! Recording a request as it arrives. The form applies the rules the
//! server applies (`RequestInput::validate`) before anything is sent, lists
//! what is wrong at the top with a link to each field, and opens the case
//! once it is recorded.

use super::today;
use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::components::error_summary::{ErrorSummary, focus_later};
use crate::components::form::{FormState, SelectInput, TextInput};
use crate::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::error::ErrorCode;
use shared::rights::{RequestInput, RequestKind};

const PREFIX: &str = "rights-";
const SUMMARY: &str = "rights-error-summary";

const LABELS: [(&str, &str); 7] = [
    ("kind", "Right exercised"),
    ("requester_name", "Requester's name"),
    ("requester_contact", "How to reach them"),
    ("received_on", "Received on"),
    ("identity_proved_on", "Identity proved on"),
    ("identity_means", "What proved it"),
    ("notes", "Notes"),
];

fn label(path: &str) -> &'static str {
    LABELS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// One field of the request as an input takes it: its value, and how
/// typing changes it.
fn bind(
    input: RwSignal<RequestInput>,
    get: fn(&RequestInput) -> &String,
    put: fn(&mut RequestInput, String),
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || input.with(|i| get(i).clone())),
        Callback::new(move |v: String| input.update(|i| put(i, v))),
    )
}

#[component]
pub fn NewRightsRequest() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let input = RwSignal::new(RequestInput {
        kind: RequestKind::Access.as_str().to_owned(),
        ..RequestInput::default()
    });
    let rules = Memo::new(move |_| input.with(|i| i.validate(today()).err().unwrap_or_default()));
    let form = FormState::new(rules);
    let banner = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if !form.submit() {
            focus_later(SUMMARY);
            return;
        }
        busy.set(true);
        banner.set(None);
        let sent = input.get_untracked();
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::rights::create_request(session, &sent).await {
                Ok(case) => navigate(&format!("/rights/{}", case.id), Default::default()),
                Err(error) => {
                    form.refused(&error);
                    if !error.field_errors().is_empty() {
                        focus_later(SUMMARY);
                    }
                    banner.try_set(Some(error));
                    busy.try_set(false);
                }
            }
        });
    };

    let (kind, set_kind) = bind(input, |i| &i.kind, |i, v| i.kind = v);
    let (name, set_name) = bind(input, |i| &i.requester_name, |i, v| i.requester_name = v);
    let (contact, set_contact) = bind(
        input,
        |i| &i.requester_contact,
        |i, v| i.requester_contact = v,
    );
    let (received, set_received) = bind(input, |i| &i.received_on, |i, v| i.received_on = v);
    let (proved, set_proved) = bind(
        input,
        |i| &i.identity_proved_on,
        |i, v| i.identity_proved_on = v,
    );
    let (means, set_means) = bind(input, |i| &i.identity_means, |i, v| i.identity_means = v);
    let (notes, set_notes) = bind(input, |i| &i.notes, |i, v| i.notes = v);
    let kinds: Vec<(&'static str, &'static str)> = RequestKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect();

    view! {
        <form class="card rights-form" data-testid="rights-request-form" novalidate on:submit=on_submit>
            <h1>"New rights request"</h1>
            <p class="form-intro">
                "The requester's details stay with the case: they never become a record anyone can search."
            </p>
            {move || {
                banner
                    .get()
                    .filter(|e| !matches!(e, ApiError::Problem(p) if p.code == ErrorCode::Validation))
                    .map(|error| view! { <ErrorBanner error /> })
            }}
            <ErrorSummary form id=SUMMARY prefix=PREFIX labels=LABELS.to_vec() />
            <SelectInput form label=label("kind") path="kind" options=kinds value=kind set=set_kind prefix=PREFIX />
            <fieldset>
                <legend>"The requester"</legend>
                <TextInput form label=label("requester_name") path="requester_name" value=name set=set_name prefix=PREFIX />
                <TextInput
                    form
                    label=label("requester_contact")
                    path="requester_contact"
                    value=contact
                    set=set_contact
                    hint="Postal address, email or both: where the response goes"
                    multiline=true
                    prefix=PREFIX
                />
                <TextInput
                    form
                    label=label("received_on")
                    path="received_on"
                    value=received
                    set=set_received
                    hint="The day it arrived: with proof of identity, it starts the month the law allows"
                    kind="date"
                    prefix=PREFIX
                />
            </fieldset>
            <fieldset>
                <legend>"Proof of identity, if already seen"</legend>
                <TextInput
                    form
                    label=label("identity_proved_on")
                    path="identity_proved_on"
                    value=proved
                    set=set_proved
                    hint="Optional: leave empty until it arrives"
                    kind="date"
                    prefix=PREFIX
                />
                <TextInput
                    form
                    label=label("identity_means")
                    path="identity_means"
                    value=means
                    set=set_means
                    hint="Such as: passport seen at the front counter"
                    prefix=PREFIX
                />
            </fieldset>
            <TextInput form label=label("notes") path="notes" value=notes set=set_notes multiline=true prefix=PREFIX />
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="rights-request-submit"
                    disabled=move || busy.get()
                >
                    {move || if busy.get() { "Recording…" } else { "Record the request" }}
                </button>
                <a class="button" href="/rights" data-testid="rights-request-cancel">
                    "Cancel"
                </a>
            </div>
        </form>
    }
}
