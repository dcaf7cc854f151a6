//! What the person is linked to: events newest first with the part they
//! played, then objects, locations and other people.

use crate::components::record_links::record_href;
use crate::session::use_session;
use leptos::prelude::*;
use shared::ids::PersonId;
use shared::links::RecordType;
use shared::permissions::Permission;
use shared::profile::{ProfileEvent, ProfileLink};

#[component]
pub fn LinkedEvents(mut events: Vec<ProfileEvent>) -> impl IntoView {
    // The server sends them newest first; sorting again costs nothing and
    // keeps the order whatever it sends.
    events.sort_by_key(|e| std::cmp::Reverse(e.event.occurred_at));
    view! {
        <section class="profile-section" aria-labelledby="events-heading">
            <h2 id="events-heading">"Events"</h2>
            {if events.is_empty() {
                view! {
                    <p class="empty" data-testid="person-events-empty">
                        "No events linked."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="record-list" data-testid="person-events">
                        {events
                            .into_iter()
                            .map(|linked| {
                                let event = linked.event;
                                let part = match linked.subject_category {
                                    Some(category) => {
                                        format!("{} · {}", linked.role.label(), category.label())
                                    }
                                    None => linked.role.label().to_owned(),
                                };
                                view! {
                                    <li>
                                        <a
                                            class="record-row"
                                            href=format!("/events/{}", event.id)
                                            data-testid="person-event"
                                        >
                                            <span class="record-title">
                                                <span class="mono-value" data-testid="person-event-reference">
                                                    {event.reference.clone()}
                                                </span>
                                                " "
                                                {event.kind.label()}
                                            </span>
                                            <span class="record-when">
                                                {event.occurred_at.format("%d/%m/%Y %H:%M").to_string()}
                                            </span>
                                            <span class="record-summary">{event.summary.clone()}</span>
                                            <span class="record-role" data-testid="person-event-role">
                                                {part}
                                            </span>
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// Objects, locations or people linked to the person. `name` makes the
/// test ids: `person-{name}s` for the list, `person-{name}` for a row.
#[component]
pub fn LinkedRecords(
    heading: &'static str,
    name: &'static str,
    record_type: RecordType,
    person: PersonId,
    records: Vec<ProfileLink>,
) -> impl IntoView {
    let session = use_session();
    // A new object or location can be recorded already linked to the person.
    let new_href = match record_type {
        RecordType::Object => Some(format!("/objects/new?person={person}")),
        RecordType::Location => Some(format!("/locations/new?person={person}")),
        _ => None,
    };
    let heading_id = format!("{name}s-heading");
    view! {
        <section class="profile-section" aria-labelledby=heading_id.clone()>
            <div class="section-heading">
                <h2 id=heading_id.clone()>{heading}</h2>
                {new_href
                    .map(|href| {
                        view! {
                            <Show when=move || session.can(Permission::RecordCreate)>
                                <a class="button button-small" href=href.clone() data-testid=format!("person-add-{name}")>
                                    {format!("Add {}", name)}
                                </a>
                            </Show>
                        }
                    })}
            </div>
            {if records.is_empty() {
                view! {
                    <p class="empty" data-testid=format!("person-{name}s-empty")>
                        {format!("No {} linked.", heading.to_lowercase())}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="record-list" data-testid=format!("person-{name}s")>
                        {records
                            .into_iter()
                            .map(|linked| {
                                view! {
                                    <li>
                                        <a
                                            class="record-row"
                                            href=record_href(linked.record_type, linked.id)
                                            data-testid=format!("person-{name}")
                                        >
                                            <span class="record-title">{linked.summary.clone()}</span>
                                            <span class="record-role">{linked.role.label()}</span>
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
