//! The people the request is about: the person records attached to the
//! case, and the person search (cited under the working context, purpose
//! subject access) to find more. Tapping a hit attaches it; a merged
//! duplicate is attached as its survivor by the server.

use super::request::CaseState;
use super::uk;
use crate::api::{self, PeopleSearch};
use crate::pages::search::as_you_type::search_as_you_type;
use leptos::prelude::*;
use shared::error::FieldErrors;
use shared::ids::PersonId;
use shared::rights::Subject;
use shared::search::{PersonHit, PersonResults};

#[component]
pub fn Subjects(state: CaseState) -> impl IntoView {
    let subjects = move || state.case.with(|c| c.subjects.clone());
    view! {
        <section class="card rights-subjects" data-testid="rights-subjects">
            <h2>"Subjects"</h2>
            {move || {
                let list = subjects();
                if list.is_empty() {
                    let how = if state.can_change() { " Find the subject below and tap them to attach." } else { "" };
                    view! {
                        <p class="muted" data-testid="rights-subjects-empty">
                            {format!("No person record attached yet.{how}")}
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <ul class="rights-subject-list">
                            {list.into_iter().map(|subject| view! { <Attached state subject /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
            <Show when=move || state.can_change()>
                <FindSubject state />
            </Show>
        </section>
    }
}

#[component]
fn Attached(state: CaseState, subject: Subject) -> impl IntoView {
    let errors = RwSignal::new(FieldErrors::default());
    let person = subject.person_id;
    let born = subject
        .date_of_birth
        .map(|d| format!("born {}", uk(d)))
        .unwrap_or_else(|| "date of birth not known".to_owned());
    let detach = move |_| {
        state.change(
            errors,
            move |session, id| async move { api::rights::detach_subject(session, id, person).await },
            || (),
        );
    };
    view! {
        <li class="rights-subject" data-testid="rights-subject" data-person-id=person.to_string()>
            <span class="rights-subject-name">
                <a href=format!("/people/{person}") data-testid="rights-subject-name">
                    {subject.name.clone()}
                </a>
                <span class="muted">{format!(" · {born}")}</span>
            </span>
            <Show when=move || state.can_change()>
                <button
                    type="button"
                    class="button"
                    data-testid="rights-subject-detach"
                    disabled=move || state.busy.get()
                    on:click=detach
                >
                    "Detach"
                </button>
            </Show>
        </li>
    }
}

#[component]
fn FindSubject(state: CaseState) -> impl IntoView {
    let session = state.session;
    let q = RwSignal::new(String::new());
    let search = search_as_you_type(
        move || {
            let typed = PeopleSearch {
                q: q.get(),
                ..PeopleSearch::default()
            }
            .trimmed();
            (!typed.is_empty()).then_some(typed)
        },
        move |wanted: PeopleSearch| async move { api::search_people(session, &wanted).await },
    );
    view! {
        <div class="find-person rights-find" data-testid="rights-find-subject">
            <label for="rights-subject-search">"Find the subject: name, and date of birth if known"</label>
            <input
                id="rights-subject-search"
                data-testid="rights-subject-search"
                type="search"
                autocomplete="off"
                autocapitalize="words"
                spellcheck="false"
                prop:value=move || q.get()
                on:input=move |ev| q.set(event_target_value(&ev))
            />
            {search.outcome(move |results| view! { <Hits state results /> }, |_| false)}
        </div>
    }
}

#[component]
fn Hits(state: CaseState, results: PersonResults) -> impl IntoView {
    if results.hits.is_empty() {
        return view! {
            <p class="empty" role="status" data-testid="rights-subject-hits-empty">
                "No strong match. Check the spelling or add a date of birth."
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="choices" data-testid="rights-subject-hits">
            {results.hits.into_iter().map(|hit| view! { <Hit state hit /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Hit(state: CaseState, hit: PersonHit) -> impl IntoView {
    let errors = RwSignal::new(FieldErrors::default());
    let person: PersonId = hit.id;
    let attached = move || {
        state
            .case
            .with(|c| c.subjects.iter().any(|s| s.person_id == person))
    };
    let born = hit
        .date_of_birth
        .map(|d| format!("born {}", uk(d)))
        .unwrap_or_else(|| "date of birth not known".to_owned());
    let text = format!("{} · {born}", hit.display_name());
    let attach = move |_| {
        if attached() {
            return;
        }
        state.change(
            errors,
            move |session, id| async move { api::rights::attach_subject(session, id, person).await },
            || (),
        );
    };
    view! {
        <li>
            <button
                type="button"
                class="button choice"
                data-testid="rights-subject-hit"
                data-person-id=person.to_string()
                aria-pressed=move || attached().to_string()
                disabled=move || state.busy.get()
                on:click=attach
            >
                {text}
                {move || attached().then_some(" · attached")}
            </button>
            {move || {
                errors
                    .with(|e| e.for_field("person").map(|e| e.message.clone()))
                    .map(|message| view! { <p class="field-error">{message}</p> })
            }}
        </li>
    }
}
