//! Finding locations: a postcode filter (by prefix) and a list paged by cursor.

use crate::api;
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::loaded_pages::{LoadMore, loaded_pages};
use crate::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::locations::Location;
use shared::page::Page;
use shared::permissions::Permission;

#[component]
pub fn LocationsList() -> impl IntoView {
    let session = use_session();
    let typed = RwSignal::new(String::new());
    let postcode = RwSignal::new(String::new());
    // Pages after the first, reset whenever the first page is fetched again.
    let more = RwSignal::new(Vec::<Page<Location>>::new());
    let first = LocalResource::new(move || {
        let postcode = postcode.get();
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        more.set(Vec::new());
        async move { api::list_locations(session, Some(postcode), None).await }
    });

    let on_search = move |ev: SubmitEvent| {
        ev.prevent_default();
        postcode.set(typed.get_untracked().trim().to_owned());
    };

    view! {
        <section class="records">
            <div class="page-heading">
                <h1>"Locations"</h1>
                <Show when=move || session.can(Permission::RecordCreate)>
                    <a class="button button-primary" href="/locations/new" data-testid="locations-new">
                        "New location"
                    </a>
                </Show>
            </div>
            <form class="search" role="search" data-testid="locations-search" on:submit=on_search>
                <label for="postcode-filter">"Postcode begins with"</label>
                <div class="search-row">
                    <input
                        id="postcode-filter"
                        data-testid="locations-filter"
                        type="search"
                        autocomplete="off"
                        autocapitalize="characters"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button" data-testid="locations-filter-submit">
                        "Search"
                    </button>
                </div>
            </form>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(page) => view! { <Results first=page more postcode /> }.into_any(),
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Results(
    first: Page<Location>,
    more: RwSignal<Vec<Page<Location>>>,
    postcode: RwSignal<String>,
) -> impl IntoView {
    let session = use_session();
    let (next_cursor, locations) = loaded_pages(first, more);
    let fetch = move |cursor: String| {
        let postcode = postcode.get_untracked();
        async move { api::list_locations(session, Some(postcode), Some(cursor)).await }
    };
    let count = locations.clone();

    view! {
        <Show
            when=move || !count().is_empty()
            fallback=|| view! { <p class="empty" data-testid="locations-empty">"No locations match."</p> }
        >
            <ul class="record-list" data-testid="locations-list">
                <For each=locations.clone() key=|l| (l.id, l.version) let(location)>
                    <li>
                        <a class="record-row" href=format!("/locations/{}", location.id) data-testid="location-row">
                            <span class="record-title" data-testid="location-row-summary">{location.summary.clone()}</span>
                            <span class="record-role">{location.details.place_type.label()}</span>
                            <span class="record-when">
                                {format!("Changed {}", location.updated_at.format("%d/%m/%Y"))}
                            </span>
                        </a>
                    </li>
                </For>
            </ul>
        </Show>
        <LoadMore next_cursor more fetch testid="locations-load-more" />
    }
}
