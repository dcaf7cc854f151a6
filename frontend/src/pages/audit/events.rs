//! The events found, newest first: a table on a desktop, one card per event
//! on a tablet (the same markup; the style sheet lays it out), with "Load
//! more" following the server's cursor.

use super::filter::{OPERATIONS, OUTCOMES, label_of};
use crate::api::{self, AuditFilter};
use crate::components::loaded_pages::{LoadMore, loaded_pages};
use crate::session::use_session;
use leptos::prelude::*;
use shared::audit::AuditEventView;
use shared::justification::Purpose;
use shared::page::Page;
use shared::permissions::Role;

/// Why the data was processed, as the event recorded it.
fn why(event: &AuditEventView) -> String {
    let purpose = event.purpose.as_deref().map(|p| match Purpose::parse(p) {
        Ok(p) => p.label().to_owned(),
        Err(_) => p.to_owned(),
    });
    // A reference or reason naming a person is erased with them; the event
    // keeps only its hash.
    let detail = event
        .reference
        .clone()
        .or_else(|| event.reason.clone())
        .or_else(|| {
            event
                .texts_erased
                .then(|| "text erased with the person it named".to_owned())
        });
    match (purpose, detail) {
        (Some(p), Some(d)) => format!("{p} · {d}"),
        (Some(p), None) => p,
        (None, Some(d)) => d,
        (None, None) => "Not stated".to_owned(),
    }
}

#[component]
pub fn Events(
    first: Page<AuditEventView>,
    more: RwSignal<Vec<Page<AuditEventView>>>,
    filter: AuditFilter,
) -> impl IntoView {
    let session = use_session();
    let (next_cursor, events) = loaded_pages(first, more);
    let fetch = move |cursor: String| {
        let filter = filter.clone();
        async move { api::audit_events(session, &filter, Some(cursor)).await }
    };
    let count = events.clone();

    view! {
        <Show
            when=move || !count().is_empty()
            fallback=|| {
                view! {
                    <p class="empty" data-testid="audit-empty">
                        "No events match."
                    </p>
                }
            }
        >
            <table class="audit-events" data-testid="audit-events">
                <thead>
                    <tr>
                        <th scope="col">"Time (UTC)"</th>
                        <th scope="col">"Operation"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"Why"</th>
                        <th scope="col">"Records"</th>
                        <th scope="col">"Recipients"</th>
                        <th scope="col">"Request"</th>
                        <th scope="col">"Chain"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=events.clone() key=|e| e.seq let(event)>
                        <EventRow event />
                    </For>
                </tbody>
            </table>
        </Show>
        <LoadMore next_cursor more fetch testid="audit-load-more" />
    }
}

/// A cell with the label a card shows in front of it.
#[component]
fn Cell(label: &'static str, testid: &'static str, children: Children) -> impl IntoView {
    view! {
        <td data-testid=testid>
            <span class="audit-label">{label}</span>
            {children()}
        </td>
    }
}

#[component]
fn EventRow(event: AuditEventView) -> impl IntoView {
    let refused = event.outcome == "refused";
    let actor = match event.actor_id {
        Some(id) => {
            let shown = event.actor_name.clone().unwrap_or_else(|| id.to_string());
            view! {
                <a class="mono" href=format!("/audit?actor={id}") title=format!("Events by this user ({id})")>
                    {shown}
                </a>
            }
            .into_any()
        }
        None => view! { <span>{event.actor_type.clone()}</span> }.into_any(),
    };
    let roles = (!event.actor_roles.is_empty()).then(|| {
        event
            .actor_roles
            .iter()
            .map(|r| {
                r.parse::<Role>()
                    .map(|r| r.label().to_owned())
                    .unwrap_or_else(|_| r.clone())
            })
            .collect::<Vec<_>>()
            .join(", ")
    });
    let records = event
        .records
        .iter()
        .map(|r| {
            let id = r.id.to_string();
            let link = (r.record_type == "person").then(|| format!("/audit?person={id}"));
            view! {
                <li>
                    <span class="record-type">{r.record_type.clone()}</span>
                    " "
                    {match link {
                        Some(href) => view! { <a class="mono" href=href title="Events on this record">{id}</a> }.into_any(),
                        None => view! { <span class="mono">{id}</span> }.into_any(),
                    }}
                </li>
            }
        })
        .collect_view();
    let time = event.occurred_at.format("%d/%m/%Y %H:%M:%S").to_string();
    let operation = label_of(&OPERATIONS, &event.operation);
    let outcome = label_of(&OUTCOMES, &event.outcome);
    let fields = (!event.fields.is_empty()).then(|| format!("Fields: {}", event.fields.join(", ")));
    let why = why(&event);
    let record_count = match event.records.len() {
        1 => "1 record".to_owned(),
        n => format!("{n} records"),
    };
    let position = event
        .chain_position
        .map(|p| p.to_string())
        .unwrap_or_else(|| "Awaiting seal".to_owned());
    let on_behalf_of = event.on_behalf_of.map(|id| id.to_string());
    let recipients = if event.recipients.is_empty() {
        "None".to_owned()
    } else {
        event.recipients.join(", ")
    };
    view! {
        <tr class=if refused { "audit-event audit-refused" } else { "audit-event" } data-testid="audit-event">
            <Cell label="Time (UTC)" testid="audit-event-time">
                {time}
            </Cell>
            <Cell label="Operation" testid="audit-event-operation">
                <strong>{operation}</strong>
                <span class="mono action" data-testid="audit-event-action">{event.action}</span>
                {fields.map(|fields| view! { <span class="audit-fields">{fields}</span> })}
            </Cell>
            <Cell label="Outcome" testid="audit-event-outcome">
                <span class=if refused { "badge badge-refused" } else { "badge badge-allowed" }>
                    {outcome}
                </span>
            </Cell>
            <Cell label="Who" testid="audit-event-actor">
                {actor}
                {roles.map(|roles| view! { <span class="audit-roles">{roles}</span> })}
                {on_behalf_of
                    .map(|id| view! { <span class="audit-roles">"On behalf of " <span class="mono">{id}</span></span> })}
            </Cell>
            <Cell label="Why" testid="audit-event-why">
                {why}
            </Cell>
            <Cell label="Records" testid="audit-event-records">
                <span data-testid="audit-event-record-count">{record_count}</span>
                <ul class="audit-records">{records}</ul>
            </Cell>
            <Cell label="Recipients" testid="audit-event-recipients">
                {recipients}
            </Cell>
            <Cell label="Request" testid="audit-event-request">
                <span class="mono">{event.request_id}</span>
            </Cell>
            <Cell label="Chain position" testid="audit-event-position">
                {position}
            </Cell>
        </tr>
    }
}
