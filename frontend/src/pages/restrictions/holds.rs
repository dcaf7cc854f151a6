//! Legal holds: what is held and why, until when, and the form that
//! places one on a record named by type and id (from the record's own
//! page). The form applies the server's rules before anything is sent.

use crate::api::{self, ApiError};
use crate::components::confirm::ConfirmTwice;
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::error_summary::{ErrorSummary, focus_later};
use crate::components::form::{FormState, SelectInput, TextInput};
use crate::components::record_ref::RecordRef;
use crate::session::use_session;
use crate::text::{today, uk_date};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::error::{FieldError, FieldErrors};
use shared::links::{RecordKey, RecordType};
use shared::rights::restriction::{LegalHold, LegalHoldInput};
use uuid::Uuid;

const PREFIX: &str = "hold-";
const SUMMARY: &str = "hold-error-summary";
const LABELS: [(&str, &str); 4] = [
    ("record_type", "Type of record"),
    ("record", "The record's id"),
    ("reason", "What it is needed for"),
    ("review_on", "Review on"),
];

/// The record the form names, or why it names none.
fn record_of(record_type: &str, id: &str) -> Result<RecordKey, FieldError> {
    let record_type = RecordType::parse(record_type)
        .ok_or_else(|| FieldError::new("record_type", "required", "Choose the type of record"))?;
    let id = id.trim().parse::<Uuid>().map_err(|_| {
        FieldError::new(
            "record",
            "invalid",
            "Paste the record's id, as in the address of its page",
        )
    })?;
    Ok(RecordKey { record_type, id })
}

#[component]
pub fn Holds() -> impl IntoView {
    let session = use_session();
    let loaded = LocalResource::new(move || {
        let _ = session.working_context();
        api::restrictions::holds(session)
    });
    view! {
        <section class="card restrictions-section" data-testid="holds">
            <h2>"Legal holds"</h2>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(list) => {
                            let list = RwSignal::new(list);
                            view! {
                                <HoldList list />
                                <PlaceHold list />
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn HoldList(list: RwSignal<Vec<LegalHold>>) -> impl IntoView {
    view! {
        <Show
            when=move || list.with(|l| !l.is_empty())
            fallback=|| view! { <p class="empty" data-testid="holds-empty">"No legal hold is in force."</p> }
        >
            <ul class="restriction-rows">
                <For each=move || list.get() key=|h| h.id let(hold)>
                    <Hold hold list />
                </For>
            </ul>
        </Show>
    }
}

#[component]
fn Hold(hold: LegalHold, list: RwSignal<Vec<LegalHold>>) -> impl IntoView {
    let session = use_session();
    let busy = RwSignal::new(false);
    let banner = RwSignal::new(None::<ApiError>);
    let id = hold.id;
    let lift = Callback::new(move |()| {
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            match api::restrictions::lift_hold(session, id).await {
                Ok(_) => {
                    list.try_update(|l| l.retain(|h| h.id != id));
                }
                Err(error) => {
                    banner.try_set(Some(error));
                    busy.try_set(false);
                }
            }
        });
    });
    view! {
        <li class="restriction-row" data-testid="hold" data-hold-id=id.to_string()>
            <div class="restriction-what">
                <RecordRef record=hold.record kind="" />
            </div>
            <dl class="details">
                <dt>"Needed for"</dt>
                <dd class="multiline" data-testid="hold-needed-for">{hold.reason.clone()}</dd>
                <dt>"Review on"</dt>
                <dd>{uk_date(hold.review_on)}</dd>
                <dt>"Placed"</dt>
                <dd>{hold.placed_at.format("%d/%m/%Y").to_string()}</dd>
            </dl>
            <ConfirmTwice
                label="Lift the hold"
                question="Lift this legal hold?"
                explain="An erasure of the person it concerns will then erase the record instead of restricting it."
                confirm="Lift it now"
                testid="hold-lift"
                busy
                on_confirm=lift
            />
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
        </li>
    }
}

#[component]
fn PlaceHold(list: RwSignal<Vec<LegalHold>>) -> impl IntoView {
    let session = use_session();
    let record_type = RwSignal::new(RecordType::Event.as_str().to_owned());
    let record = RwSignal::new(String::new());
    let input = RwSignal::new(LegalHoldInput::default());
    let rules = Memo::new(move |_| {
        let mut errors = FieldErrors::default();
        if let Err(e) = record.with(|id| record_type.with(|t| record_of(t, id))) {
            errors.0.push(e);
        }
        if let Err(e) = input.with(|i| i.validate(today())) {
            errors.0.extend(e.0);
        }
        errors
    });
    let form = FormState::new(rules);
    let busy = RwSignal::new(false);
    let banner = RwSignal::new(None::<ApiError>);
    let placed = RwSignal::new(false);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        placed.set(false);
        let key = record.with_untracked(|id| record_type.with_untracked(|t| record_of(t, id)));
        let (true, Ok(key)) = (form.submit(), key) else {
            focus_later(SUMMARY);
            return;
        };
        busy.set(true);
        banner.set(None);
        let hold = input.get_untracked();
        spawn_local(async move {
            match api::restrictions::place_hold(session, key, &hold).await {
                Ok(made) => {
                    list.try_update(|l| l.insert(0, made));
                    record.try_set(String::new());
                    input.try_set(LegalHoldInput::default());
                    form.reset();
                    placed.try_set(true);
                }
                Err(error) => {
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
    let types: Vec<(&'static str, &'static str)> = RecordType::ALL
        .iter()
        .map(|t| (t.as_str(), t.label()))
        .collect();
    let label = |path: &str| {
        LABELS
            .iter()
            .find(|(p, _)| *p == path)
            .map_or("", |(_, l)| *l)
    };
    view! {
        <form class="rights-panel hold-form" data-testid="hold-form" novalidate on:submit=on_submit>
            <h3>"Place a legal hold"</h3>
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
            <Show when=move || placed.get()>
                <p class="banner banner-ok" role="status" data-testid="hold-placed">"The hold is placed."</p>
            </Show>
            <ErrorSummary form id=SUMMARY prefix=PREFIX labels=LABELS.to_vec() />
            <SelectInput
                form
                label=label("record_type")
                path="record_type"
                options=types
                value=record_type
                set=Callback::new(move |v| record_type.set(v))
                prefix=PREFIX
            />
            <TextInput
                form
                label=label("record")
                path="record"
                value=record
                set=Callback::new(move |v| record.set(v))
                hint="The id in the address of the record's page"
                prefix=PREFIX
            />
            <TextInput
                form
                label=label("reason")
                path="reason"
                value=Signal::derive(move || input.with(|i| i.reason.clone()))
                set=Callback::new(move |v| input.update(|i| i.reason = v))
                hint="The proceedings, order or inquiry: at least 10 characters"
                multiline=true
                prefix=PREFIX
            />
            <TextInput
                form
                label=label("review_on")
                path="review_on"
                value=Signal::derive(move || input.with(|i| i.review_on.clone()))
                set=Callback::new(move |v| input.update(|i| i.review_on = v))
                hint="When to decide whether it is still needed: within five years"
                kind="date"
                prefix=PREFIX
            />
            <div class="form-actions">
                <button type="submit" class="button button-primary" data-testid="hold-submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Placing…" } else { "Place the hold" }}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::record_of;

    #[test]
    fn a_hold_names_a_record_by_type_and_id() {
        let id = "7f3e1a52-96a4-4c3b-9a55-0e0f6c1d2b3a";
        assert!(record_of("event", id).is_ok());
        assert_eq!(record_of("event", "not-an-id").unwrap_err().field, "record");
        assert_eq!(record_of("", id).unwrap_err().field, "record_type");
    }
}
