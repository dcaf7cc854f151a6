//! A record's links to others (POLE), and linking it to a person: on an
//! object or location page the user names the person by id, pasted from
//! their profile or chosen by surname, and says what part they play.

use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{Field, described_by};
use crate::pages::people_list::uk_date;
use crate::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::error::{FieldError, FieldErrors};
use shared::ids::PersonId;
use shared::links::{Link, LinkRole, NewLink, RecordKey, RecordType, SubjectCategory};
use shared::people::Person;
use shared::permissions::Permission;
use uuid::Uuid;

/// Where a record of any type is shown.
pub fn record_href(record_type: RecordType, id: Uuid) -> String {
    match record_type {
        RecordType::Person => format!("/people/{id}"),
        RecordType::Object => format!("/objects/{id}"),
        RecordType::Location => format!("/locations/{id}"),
        RecordType::Event => format!("/events/{id}"),
    }
}

/// The links of the record `this`, each with a remove button, and the form
/// that links it to a person. `roles` are the parts offered, most likely
/// first.
#[component]
pub fn RecordLinks(this: RecordKey, links: Vec<Link>, roles: &'static [LinkRole]) -> impl IntoView {
    let session = use_session();
    let links = RwSignal::new(links);
    let failed = RwSignal::new(None::<ApiError>);
    let can_link = move || session.can(Permission::RecordLink);
    let remove = move |id: Uuid| {
        failed.set(None);
        spawn_local(async move {
            match api::delete_link(session, id).await {
                Ok(()) => {
                    links.try_update(|l| l.retain(|x| x.id != id));
                }
                Err(error) => {
                    failed.try_set(Some(error));
                }
            }
        });
    };
    view! {
        <section class="profile-section" aria-labelledby="links-heading" data-testid="record-links">
            <h2 id="links-heading">"Linked records"</h2>
            {move || failed.get().map(|error| view! { <ErrorBanner error /> })}
            <Show
                when=move || links.with(|l| !l.is_empty())
                fallback=|| view! { <p class="empty" data-testid="record-links-empty">"Not linked to anything yet."</p> }
            >
                <ul class="record-list">
                    <For each=move || links.get() key=|l| l.id let(link)>
                        {
                            let other = if link.from == this { link.to } else { link.from };
                            let part = match link.subject_category {
                                Some(category) => format!("{} · {}", link.role.label(), category.label()),
                                None => link.role.label().to_owned(),
                            };
                            let id = link.id;
                            view! {
                                <li class="record-link-row" data-testid="record-link">
                                    <a class="record-row" href=record_href(other.record_type, other.id)>
                                        <span class="record-title">{other.record_type.label()}</span>
                                        <span class="record-role" data-testid="record-link-role">{part}</span>
                                        <span class="mono-value">{other.id.to_string()}</span>
                                    </a>
                                    <Show when=can_link>
                                        <button
                                            type="button"
                                            class="button"
                                            data-testid="record-link-remove"
                                            on:click=move |_| remove(id)
                                        >
                                            "Remove link"
                                        </button>
                                    </Show>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
            <Show when=can_link>
                <LinkToPerson this roles links />
            </Show>
        </section>
    }
}

/// The person id typed or pasted, checked as the server will check it.
fn person_key(raw: &str) -> Result<RecordKey, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::new(
            "to",
            "required",
            "Enter or choose the person",
        ));
    }
    raw.parse::<PersonId>()
        .map(|id| RecordKey {
            record_type: RecordType::Person,
            id: id.0,
        })
        .map_err(|_| {
            FieldError::new(
                "to",
                "invalid_id",
                "A person id looks like 0f8e…-…: copy it from the end of their profile's address",
            )
        })
}

#[component]
fn LinkToPerson(
    this: RecordKey,
    roles: &'static [LinkRole],
    links: RwSignal<Vec<Link>>,
) -> impl IntoView {
    let session = use_session();
    let person = RwSignal::new(String::new());
    let role = RwSignal::new(roles.first().copied().unwrap_or(LinkRole::Other));
    // Only a person's link to an event has a category of data subject.
    let needs_category = this.record_type == RecordType::Event;
    let category = RwSignal::new(None::<SubjectCategory>);
    let submitted = RwSignal::new(false);
    let server = RwSignal::new(FieldErrors::default());
    let banner = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    let link = move || -> Result<NewLink, FieldErrors> {
        let to = person_key(&person.get()).map_err(|e| FieldErrors(vec![e]))?;
        let link = NewLink {
            from: Some(this),
            to,
            role: role.get(),
            subject_category: category.get(),
        };
        link.validate().map(|(_, link)| link)
    };
    let rules = Memo::new(move |_| link().err().unwrap_or_default());
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            submitted
                .get()
                .then(|| rules.with(|e| e.for_field(field).map(|e| e.message.clone())))
                .flatten()
                .or_else(|| server.with(|e| e.for_field(field).map(|e| e.message.clone())))
        })
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if busy.get_untracked() {
            return;
        }
        let Ok(new_link) = untrack(link) else { return };
        busy.set(true);
        banner.set(None);
        server.set(FieldErrors::default());
        spawn_local(async move {
            match api::create_link(session, &new_link).await {
                Ok(made) => {
                    links.try_update(|l| l.push(made));
                    person.try_set(String::new());
                    submitted.try_set(false);
                }
                Err(error) => {
                    let fields = error.field_errors();
                    if !fields.is_empty() {
                        server.try_set(fields);
                    }
                    banner.try_set(Some(error));
                }
            }
            busy.try_set(false);
        });
    };

    view! {
        <form class="link-form" data-testid="link-form" novalidate on:submit=on_submit>
            <h3>"Link to a person"</h3>
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
            <FindPerson chosen=person />
            <Field
                label="Person id"
                id="link-person"
                hint="Paste it from the person's profile, or find them above"
                error=error_for("to")
            >
                <input
                    id="link-person"
                    data-testid="link-person"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby=described_by("link-person", true)
                    prop:value=move || person.get()
                    on:input=move |ev| person.set(event_target_value(&ev))
                />
            </Field>
            <Field label="Their part" id="link-role" error=error_for("role")>
                <select
                    id="link-role"
                    data-testid="link-role"
                    aria-describedby=described_by("link-role", false)
                    on:change=move |ev| {
                        if let Some(r) = LinkRole::parse(&event_target_value(&ev)) {
                            role.set(r);
                            if needs_category {
                                category.set(Some(r.default_category()));
                            }
                        }
                    }
                >
                    {roles
                        .iter()
                        .map(|r| {
                            let r = *r;
                            view! {
                                <option value=r.as_str() selected=move || role.get() == r>
                                    {r.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            {needs_category
                .then(|| {
                    view! {
                        <Field label="Category of data subject" id="link-subject-category" error=error_for("subject_category")>
                            <select
                                id="link-subject-category"
                                data-testid="link-subject-category"
                                aria-describedby=described_by("link-subject-category", false)
                                on:change=move |ev| category.set(SubjectCategory::parse(&event_target_value(&ev)))
                            >
                                <option value="" selected=move || category.get().is_none()>
                                    "Choose…"
                                </option>
                                {SubjectCategory::ALL
                                    .iter()
                                    .map(|c| {
                                        let c = *c;
                                        view! {
                                            <option value=c.as_str() selected=move || category.get() == Some(c)>
                                                {c.label()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </Field>
                    }
                })}
            <div class="form-actions">
                <button type="submit" class="button button-primary" data-testid="link-submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Linking…" } else { "Link" }}
                </button>
            </div>
        </form>
    }
}

/// Finds people by surname, so the user can choose one instead of
/// pasting an id. A search is a consultation like the people list.
#[component]
fn FindPerson(chosen: RwSignal<String>) -> impl IntoView {
    let session = use_session();
    let surname = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Result<Vec<Person>, ApiError>>);
    let find = move |_| {
        let surname = surname.get_untracked();
        if surname.trim().is_empty() {
            return;
        }
        spawn_local(async move {
            let result = api::list_people(session, Some(surname), None)
                .await
                .map(|page| page.items);
            found.try_set(Some(result));
        });
    };
    view! {
        <div class="find-person">
            <label for="link-person-search">"Find the person by surname"</label>
            <div class="search-row">
                <input
                    id="link-person-search"
                    data-testid="link-person-search"
                    type="search"
                    autocomplete="off"
                    autocapitalize="words"
                    prop:value=move || surname.get()
                    on:input=move |ev| surname.set(event_target_value(&ev))
                />
                <button type="button" class="button" data-testid="link-person-find" on:click=find>
                    "Find"
                </button>
            </div>
            {move || {
                found
                    .get()
                    .map(|result| match result {
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                        Ok(people) if people.is_empty() => {
                            view! { <p class="empty">"No people match."</p> }.into_any()
                        }
                        Ok(people) => {
                            view! {
                                <ul class="choices">
                                    {people
                                        .into_iter()
                                        .map(|p| {
                                            let id = p.id.to_string();
                                            view! {
                                                <li>
                                                    <button
                                                        type="button"
                                                        class="button choice"
                                                        data-testid="link-person-choice"
                                                        aria-pressed=move || (chosen.get() == id).to_string()
                                                        on:click={
                                                            let id = p.id.to_string();
                                                            move |_| chosen.set(id.clone())
                                                        }
                                                    >
                                                        {format!("{} · born {}", p.display_name(), uk_date(&p))}
                                                    </button>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                    })
            }}
        </div>
    }
}

/// On a new record's form opened from a person's profile: the record will
/// be created linked to them, in the same transaction, as `role`.
#[component]
pub fn LinkOnCreate(
    person: PersonId,
    role: RwSignal<LinkRole>,
    roles: &'static [LinkRole],
) -> impl IntoView {
    view! {
        <div class="banner banner-info" data-testid="link-on-create">
            <p>
                "It will be linked to "
                <a href=format!("/people/{person}")>"the person you came from"</a>
                "."
            </p>
            <Field label="Their part" id="link-on-create-role" error=Signal::derive(|| None::<String>)>
                <select
                    id="link-on-create-role"
                    data-testid="link-on-create-role"
                    on:change=move |ev| {
                        if let Some(r) = LinkRole::parse(&event_target_value(&ev)) {
                            role.set(r);
                        }
                    }
                >
                    {roles
                        .iter()
                        .map(|r| {
                            let r = *r;
                            view! {
                                <option value=r.as_str() selected=move || role.get() == r>
                                    {r.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
        </div>
    }
}

/// The link a new record is created with, `from` left out: the server
/// fills in the new record.
pub fn link_to_person(person: Option<PersonId>, role: LinkRole) -> Vec<NewLink> {
    person
        .map(|p| NewLink {
            from: None,
            to: RecordKey {
                record_type: RecordType::Person,
                id: p.0,
            },
            role,
            subject_category: None,
        })
        .into_iter()
        .collect()
}
