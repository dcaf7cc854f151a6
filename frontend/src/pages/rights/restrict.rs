//! A restriction request (s.47(2)): restrict the subjects' records the
//! requester names, each with its ground, reason and review date, and the
//! request cited so the answer counts them; then the records restricted on
//! this request so far.

use super::records::RecordPicker;
use super::request::CaseState;
use crate::api::{self, ApiError};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::error_summary::{ErrorSummary, focus_later};
use crate::components::form::{FormState, SelectInput, TextInput};
use crate::components::record_ref::RecordRef;
use crate::text::{today, uk_date};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::error::{FieldError, FieldErrors};
use shared::links::RecordKey;
use shared::people::RestrictionGround;
use shared::permissions::Permission;
use shared::rights::restriction::RestrictInput;

const PREFIX: &str = "restrict-";
const SUMMARY: &str = "restrict-error-summary";
const LABELS: [(&str, &str); 4] = [
    ("record", "Record"),
    ("ground", "Ground"),
    ("reason", "Why"),
    ("review_on", "Review on"),
];
const GROUNDS: [(&str, &str); 2] = [
    (
        "accuracy_contested",
        "The subject contests its accuracy and it cannot be settled",
    ),
    ("needed_as_evidence", "It must be kept as evidence"),
];

fn ground(code: &str) -> RestrictionGround {
    if code == RestrictionGround::NeededAsEvidence.as_str() {
        RestrictionGround::NeededAsEvidence
    } else {
        RestrictionGround::AccuracyContested
    }
}

#[component]
pub fn RestrictionSection(state: CaseState) -> impl IntoView {
    let done = RwSignal::new(0_u32);
    view! {
        <Show when=move || state.can_change()>
            <RestrictForm state done />
        </Show>
        // The list of restrictions is for those who decide restriction.
        <Show when=move || state.session.can(Permission::RecordRestrict)>
            <Restricted state done />
        </Show>
    }
}

#[component]
fn RestrictForm(state: CaseState, done: RwSignal<u32>) -> impl IntoView {
    let chosen = RwSignal::new(None::<RecordKey>);
    let code = RwSignal::new(GROUNDS[0].0.to_owned());
    let reason = RwSignal::new(String::new());
    let review_on = RwSignal::new(String::new());
    let request = state.id();
    let input = Memo::new(move |_| RestrictInput {
        ground: ground(&code.get()),
        reason: reason.get(),
        review_on: review_on.get(),
        request: Some(request),
    });
    let rules = Memo::new(move |_| {
        let mut errors = FieldErrors::default();
        if chosen.with(Option::is_none) {
            errors.0.push(FieldError::new(
                "record",
                "required",
                "Choose the record to restrict",
            ));
        }
        if let Err(e) = input.with(|i| i.validate(today())) {
            errors.0.extend(e.0);
        }
        errors
    });
    let form = FormState::new(rules);
    let busy = RwSignal::new(false);
    let banner = RwSignal::new(None::<ApiError>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (true, Some(record)) = (form.submit(), chosen.get_untracked()) else {
            focus_later(SUMMARY);
            return;
        };
        busy.set(true);
        banner.set(None);
        let sent = input.get_untracked();
        spawn_local(async move {
            match api::restrictions::restrict(state.session, record, &sent).await {
                Ok(_) => {
                    reason.try_set(String::new());
                    chosen.try_set(None);
                    form.reset();
                    done.try_update(|n| *n += 1);
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
    let label = |path: &str| {
        LABELS
            .iter()
            .find(|(p, _)| *p == path)
            .map_or("", |(_, l)| *l)
    };
    view! {
        <form class="card rights-restrict" data-testid="restrict-form" novalidate on:submit=on_submit>
            <h2>"Restrict a record"</h2>
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
            <ErrorSummary form id=SUMMARY prefix=PREFIX labels=LABELS.to_vec() />
            <RecordPicker state chosen id="restrict-record" error=form.error_for("record") />
            <SelectInput
                form
                label=label("ground")
                path="ground"
                options=GROUNDS.to_vec()
                value=code
                set=Callback::new(move |v| code.set(v))
                prefix=PREFIX
            />
            <TextInput
                form
                label=label("reason")
                path="reason"
                value=reason
                set=Callback::new(move |v| reason.set(v))
                hint="In words a reviewer will understand: at least 10 characters"
                multiline=true
                prefix=PREFIX
            />
            <TextInput
                form
                label=label("review_on")
                path="review_on"
                value=review_on
                set=Callback::new(move |v| review_on.set(v))
                hint="When to decide whether it should stay restricted: within five years"
                kind="date"
                prefix=PREFIX
            />
            <div class="form-actions">
                <button type="submit" class="button button-primary" data-testid="restrict-submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Restricting…" } else { "Restrict" }}
                </button>
            </div>
        </form>
    }
}

/// What this request has restricted, from the list of every restriction.
#[component]
fn Restricted(state: CaseState, done: RwSignal<u32>) -> impl IntoView {
    let session = state.session;
    let id = state.id();
    let loaded = LocalResource::new(move || {
        done.track();
        let _ = session.working_context();
        async move {
            let all = api::restrictions::list(session).await?;
            Ok::<_, ApiError>(
                all.into_iter()
                    .filter(|r| r.request == Some(id))
                    .collect::<Vec<_>>(),
            )
        }
    });
    view! {
        <section class="card" data-testid="rights-restricted">
            <h2>"Restricted on this request"</h2>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">"Nothing yet."</p> }.into_any(),
                        Ok(list) => {
                            view! {
                                <ul class="erasure-list">
                                    {list
                                        .into_iter()
                                        .map(|r| {
                                            let review = r.review_on.map(uk_date).unwrap_or_default();
                                            view! {
                                                <li class="erasure-entry" data-testid="rights-restricted-record">
                                                    <RecordRef record=r.record kind=r.kind.clone() />
                                                    <span class="erasure-reason">{format!("Review on {review}")}</span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
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
