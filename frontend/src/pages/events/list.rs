//! Finding events: a kind filter and a list paged by cursor, newest first.

use super::status_label;
use super::when::uk;
use crate::api;
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::loaded_pages::{LoadMore, loaded_pages};
use crate::session::use_session;
use leptos::prelude::*;
use shared::events::{EventKind, EventSummary};
use shared::page::Page;
use shared::permissions::Permission;

#[component]
pub fn EventList() -> impl IntoView {
    let session = use_session();
    let kind = RwSignal::new(None::<EventKind>);
    let oldest_first = RwSignal::new(false);
    // Pages after the first, reset whenever the first page is fetched again.
    let more = RwSignal::new(Vec::<Page<EventSummary>>::new());

    let first = LocalResource::new(move || {
        let kind = kind.get();
        let oldest_first = oldest_first.get();
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        more.set(Vec::new());
        async move { api::list_events(session, kind, oldest_first, None).await }
    });

    view! {
        <section class="events">
            <div class="page-heading">
                <h1>"Events"</h1>
                <Show when=move || session.can(Permission::RecordCreate)>
                    <a class="button button-primary" href="/events/new" data-testid="events-new">
                        "Record an event"
                    </a>
                </Show>
            </div>
            <div class="search filter-row" data-testid="events-filter">
                <div class="field">
                    <label for="events-kind">"Kind"</label>
                    <select
                        id="events-kind"
                        data-testid="events-kind"
                        on:change=move |ev| kind.set(EventKind::parse(&event_target_value(&ev)))
                    >
                        <option value="" selected=move || kind.get().is_none()>
                            "All kinds"
                        </option>
                        {EventKind::ALL
                            .iter()
                            .copied()
                            .map(|k| {
                                view! {
                                    <option value=k.as_str() selected=move || kind.get() == Some(k)>
                                        {k.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="events-order">"Order"</label>
                    <select
                        id="events-order"
                        data-testid="events-order"
                        on:change=move |ev| oldest_first.set(event_target_value(&ev) == "oldest")
                    >
                        <option value="newest" selected=move || !oldest_first.get()>
                            "Newest first"
                        </option>
                        <option value="oldest" selected=move || oldest_first.get()>
                            "Oldest first"
                        </option>
                    </select>
                </div>
            </div>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(page) => view! { <Results first=page more kind oldest_first /> }.into_any(),
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Results(
    first: Page<EventSummary>,
    more: RwSignal<Vec<Page<EventSummary>>>,
    kind: RwSignal<Option<EventKind>>,
    oldest_first: RwSignal<bool>,
) -> impl IntoView {
    let session = use_session();
    let (next_cursor, events) = loaded_pages(first, more);
    let fetch = move |cursor: String| {
        let (kind, oldest_first) = (kind.get_untracked(), oldest_first.get_untracked());
        async move { api::list_events(session, kind, oldest_first, Some(cursor)).await }
    };
    let count = events.clone();

    view! {
        <Show
            when=move || !count().is_empty()
            fallback=|| {
                view! {
                    <p class="empty" data-testid="events-empty">
                        "No events match."
                    </p>
                }
            }
        >
            <ul class="events-list" data-testid="events-list">
                <li class="event-row events-header" aria-hidden="true">
                    <span>"Reference"</span>
                    <span>"Kind"</span>
                    <span>"When"</span>
                    <span>"Summary"</span>
                    <span>"Status"</span>
                </li>
                <For each=events.clone() key=|e| e.id let(event)>
                    <li>
                        <a class="event-row" href=format!("/events/{}", event.id) data-testid="event-row">
                            <span class="event-reference" data-testid="event-row-reference">{event.reference.clone()}</span>
                            <span class="event-kind">
                                <span class="cell-label">"Kind: "</span>
                                {event.kind.label()}
                            </span>
                            <span class="event-when">
                                <span class="cell-label">"When: "</span>
                                {uk(event.occurred_at)}
                            </span>
                            <span class="event-summary" data-testid="event-row-summary">{event.summary.clone()}</span>
                            <span class="event-status">
                                <span class="cell-label">"Status: "</span>
                                {status_label(event.kind, &event.status)}
                            </span>
                        </a>
                    </li>
                </For>
            </ul>
        </Show>
        <LoadMore next_cursor more fetch testid="events-load-more" />
    }
}
