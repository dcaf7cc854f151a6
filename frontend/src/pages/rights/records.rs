//! Choosing one of the subjects' records: the person record itself, or an
//! event, object or location from their profile (read through the profile
//! API, one audited consultation per subject). Used to rectify a record
//! and to restrict one.

use super::request::CaseState;
use crate::api;
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::field::described_by;
use leptos::prelude::*;
use shared::links::{RecordKey, RecordType};
use shared::profile::PersonProfile;

/// One choice: the record and how it reads in the list.
fn choices(profile: &PersonProfile) -> Vec<(RecordKey, String)> {
    let key = |record_type, id| RecordKey { record_type, id };
    let mut out = vec![(
        key(RecordType::Person, profile.person.id.0),
        format!("Person record: {}", profile.person.display_name()),
    )];
    out.extend(profile.events.iter().map(|e| {
        let e = &e.event;
        (
            key(RecordType::Event, e.id),
            format!(
                "{} {} · {} · {}",
                e.kind.label(),
                e.reference,
                e.occurred_at.format("%d/%m/%Y"),
                e.summary
            ),
        )
    }));
    for (list, what) in [
        (&profile.objects, "Object"),
        (&profile.locations, "Location"),
    ] {
        out.extend(
            list.iter()
                .map(|l| (key(l.record_type, l.id), format!("{what}: {}", l.summary))),
        );
    }
    out
}

/// A radio list of every subject's records; `chosen` holds the pick.
/// `id` names the group for its label and error (`{id}-error`).
#[component]
pub fn RecordPicker(
    state: CaseState,
    chosen: RwSignal<Option<RecordKey>>,
    id: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let session = state.session;
    // Only a change of subjects reads the profiles again, not every change
    // to the case.
    let subjects = Memo::new(move |_| {
        state
            .case
            .with(|c| c.subjects.iter().map(|s| s.person_id).collect::<Vec<_>>())
    });
    let profiles = LocalResource::new(move || {
        let people = subjects.get();
        let _ = session.working_context();
        async move {
            let mut out = Vec::new();
            for person in people {
                out.push(api::person_profile(session, person).await?);
            }
            Ok::<_, api::ApiError>(out)
        }
    });
    view! {
        <fieldset
            class=move || if error.with(Option::is_some) { "record-picker field-invalid" } else { "record-picker" }
            id=id
            tabindex="-1"
            aria-describedby=described_by(id, false)
            data-testid=id
        >
            <legend>"Which record"</legend>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match profiles.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="muted">"Attach the subject first: their records are listed here."</p> }
                                .into_any()
                        }
                        Ok(list) => {
                            list.iter()
                                .map(|profile| {
                                    view! {
                                        <p class="record-picker-subject">{profile.person.display_name()}</p>
                                        {choices(profile)
                                            .into_iter()
                                            .map(|(key, text)| view! { <Choice id key text chosen /> })
                                            .collect_view()}
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    }
                })}
            </Suspense>
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="field-error" id=format!("{id}-error") data-testid=format!("{id}-error")>
                                {message}
                            </p>
                        }
                    })
            }}
        </fieldset>
    }
}

#[component]
fn Choice(
    id: &'static str,
    key: RecordKey,
    text: String,
    chosen: RwSignal<Option<RecordKey>>,
) -> impl IntoView {
    view! {
        <label
            class="rights-check record-choice"
            data-testid=format!("{id}-choice")
            data-record-type=key.record_type.as_str()
            data-record-id=key.id.to_string()
        >
            <input
                type="radio"
                name=id
                prop:checked=move || chosen.get() == Some(key)
                on:change=move |_| chosen.set(Some(key))
            />
            <span>{text}</span>
        </label>
    }
}
