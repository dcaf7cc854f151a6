//! Recording a new person and correcting an existing one.
//!
//! The form applies the same rules as the server (`PersonInput::validate`)
//! before anything is sent, and shows the server's own per-field messages
//! the same way if it still refuses. Before a new person is created the
//! server is asked who already matches, so that one person does not become
//! two records (REQUIREMENTS §8).

mod details;
mod duplicates;

use crate::api::{self, ApiError};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::field::{Field, described_by};
use crate::components::form::{FormState, OnceKey};
use crate::pages::person_view::fetch_person;
use crate::session::use_session;
use details::DetailsFields;
use duplicates::DuplicateOffer;
pub use duplicates::reason_label;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::error::ErrorCode;
use shared::people::{DuplicateCandidate, Gender, Person, PersonInput};

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

#[component]
pub fn NewPerson() -> impl IntoView {
    view! { <PersonForm existing=None reload=Callback::new(|()| ()) /> }
}

#[component]
pub fn EditPerson() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let person = LocalResource::new(move || {
        let id = params.with(|p| p.get("id")).unwrap_or_default();
        fetch_person(session, id)
    });
    // After a 412 the user reloads: the form starts again from the record as
    // it now stands.
    let reload = Callback::new(move |()| person.refetch());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match person.await {
                    Ok(person) => view! { <PersonForm existing=Some(person) reload /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PersonForm(existing: Option<Person>, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    // The version the edit started from, sent as If-Match so that a change
    // saved by someone else meanwhile is never silently overwritten.
    let id = existing.as_ref().map(|p| (p.id, p.version));
    let start = existing.as_ref().map(Person::to_input).unwrap_or_default();
    let surname = RwSignal::new(start.surname);
    let forenames = RwSignal::new(start.forenames);
    let date_of_birth = RwSignal::new(start.date_of_birth);
    let gender = RwSignal::new(start.gender);
    let details = RwSignal::new(start.details);
    let banner = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    // Who may already be this person, once the server has been asked.
    let candidates = RwSignal::new(Vec::<DuplicateCandidate>::new());
    // The user has seen the candidates and says none of them is this person.
    let not_a_duplicate = RwSignal::new(false);
    let key = OnceKey::<PersonInput>::new();

    let input = move || PersonInput {
        surname: surname.get(),
        forenames: forenames.get(),
        date_of_birth: date_of_birth.get(),
        gender: gender.get(),
        details: details.get(),
    };
    let rules = Memo::new(move |_| input().validate(today()).err().unwrap_or_default());
    let form = FormState::new(rules);
    let error_for = move |field: &'static str| form.error_for(field);
    let touch = move |field: &'static str| form.touch(field);
    let edited = move |field: &'static str| form.edited(field);

    let finish = move |saved: Result<Person, ApiError>| match saved {
        Ok(person) => navigate(&format!("/people/{}", person.id), Default::default()),
        Err(error) => {
            form.refused(&error);
            banner.try_set(Some(error));
            busy.try_set(false);
        }
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let confirmed = not_a_duplicate.get_untracked();
        not_a_duplicate.set(false);
        if busy.get_untracked() || !form.submit() {
            return;
        }
        busy.set(true);
        banner.set(None);
        let input = untrack(input);
        let finish = finish.clone();
        spawn_local(async move {
            let saved = match id {
                Some((id, version)) => api::update_person(session, id, version, &input).await,
                None => {
                    if !confirmed {
                        // Without a working context (or any answer) the check
                        // cannot be made: the person is recorded anyway, as
                        // recording needs no context.
                        let found = api::find_duplicates(
                            session,
                            &input.surname,
                            &input.forenames,
                            &input.date_of_birth,
                        )
                        .await
                        .unwrap_or_default();
                        if !found.is_empty() {
                            candidates.try_set(found);
                            busy.try_set(false);
                            return;
                        }
                    }
                    api::create_person(session, &input, key.for_input(&input)).await
                }
            };
            finish(saved);
        });
    };

    let heading = if existing.is_some() {
        "Edit person"
    } else {
        "New person"
    };
    let cancel_href = id
        .map(|(id, _)| format!("/people/{id}"))
        .unwrap_or_else(|| "/people".to_owned());
    let max_date = today().format("%Y-%m-%d").to_string();

    view! {
        <form class="card person-form" data-testid="person-form" novalidate on:submit=on_submit>
            <h1>{heading}</h1>
            {move || {
                banner
                    .get()
                    .map(|error| match error {
                        ApiError::Problem(p) if p.code == ErrorCode::PreconditionFailed => {
                            view! { <Conflict reload /> }.into_any()
                        }
                        error => view! { <ErrorBanner error /> }.into_any(),
                    })
            }}
            <Field label="Surname" id="person-surname" error=error_for("surname")>
                <input
                    id="person-surname"
                    data-testid="person-surname"
                    type="text"
                    autocomplete="off"
                    autocapitalize="words"
                    aria-describedby=described_by("person-surname", false)
                    prop:value=move || surname.get()
                    on:input=move |ev| {
                        surname.set(event_target_value(&ev));
                        edited("surname");
                    }
                    on:blur=move |_| touch("surname")
                />
            </Field>
            <Field label="Forenames" id="person-forenames" hint="Optional, in order" error=error_for("forenames")>
                <input
                    id="person-forenames"
                    data-testid="person-forenames"
                    type="text"
                    autocomplete="off"
                    autocapitalize="words"
                    aria-describedby=described_by("person-forenames", true)
                    prop:value=move || forenames.get()
                    on:input=move |ev| {
                        forenames.set(event_target_value(&ev));
                        edited("forenames");
                    }
                    on:blur=move |_| touch("forenames")
                />
            </Field>
            <Field
                label="Date of birth"
                id="person-date-of-birth"
                hint="Optional"
                error=error_for("date_of_birth")
            >
                <input
                    id="person-date-of-birth"
                    data-testid="person-date-of-birth"
                    type="date"
                    max=max_date
                    aria-describedby=described_by("person-date-of-birth", true)
                    prop:value=move || date_of_birth.get()
                    on:input=move |ev| {
                        date_of_birth.set(event_target_value(&ev));
                        edited("date_of_birth");
                    }
                    on:blur=move |_| touch("date_of_birth")
                />
            </Field>
            <Field label="Gender" id="person-gender" error=error_for("gender")>
                <select
                    id="person-gender"
                    data-testid="person-gender"
                    aria-describedby=described_by("person-gender", false)
                    on:change=move |ev| {
                        gender.set(Gender::parse(&event_target_value(&ev)).unwrap_or_default());
                        edited("gender");
                    }
                >
                    {Gender::ALL
                        .into_iter()
                        .map(|g| {
                            view! {
                                <option value=g.as_str() selected=move || gender.get() == g>
                                    {g.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            <DetailsFields form details />
            <Show when=move || candidates.with(|c| !c.is_empty())>
                <DuplicateOffer candidates not_a_duplicate busy />
            </Show>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="person-submit"
                    disabled=move || busy.get()
                >
                    {move || if busy.get() { "Saving…" } else { "Save" }}
                </button>
                <a class="button" href=cancel_href data-testid="person-cancel">
                    "Cancel"
                </a>
            </div>
        </form>
    }
}

/// Someone else saved the record after this form was opened (412): say so
/// plainly and offer to start again from their version.
#[component]
fn Conflict(reload: Callback<()>) -> impl IntoView {
    view! {
        <div class="banner banner-error" role="alert" data-testid="person-conflict">
            <p class="banner-title">"This record was changed by someone else while you were editing it"</p>
            <p>"Your changes have not been saved. Reload to see the record as it now stands, then make your changes again."</p>
            <button type="button" class="button" data-testid="person-reload" on:click=move |_| reload.run(())>
                "Reload the record"
            </button>
        </div>
    }
}
