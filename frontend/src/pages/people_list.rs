//! Finding people: a surname filter and a list paged by cursor.

use crate::api;
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::loaded_pages::{LoadMore, loaded_pages};
use crate::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::page::Page;
use shared::people::Person;

/// Dates as officers in England and Wales write them.
pub fn uk_date(person: &Person) -> String {
    person
        .date_of_birth
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|| "Not known".to_owned())
}

#[component]
pub fn PeopleList() -> impl IntoView {
    let session = use_session();
    let typed = RwSignal::new(String::new());
    let surname = RwSignal::new(String::new());
    // Pages after the first, reset whenever the first page is fetched again.
    let more = RwSignal::new(Vec::<Page<Person>>::new());

    let first = LocalResource::new(move || {
        let surname = surname.get();
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        more.set(Vec::new());
        async move { api::list_people(session, Some(surname), None).await }
    });

    let on_search = move |ev: SubmitEvent| {
        ev.prevent_default();
        surname.set(typed.get_untracked().trim().to_owned());
    };

    view! {
        <section class="people">
            <div class="page-heading">
                <h1>"People"</h1>
                <div class="heading-actions">
                    // The surname filter needs the spelling right; search does not.
                    <a class="button" href="/search" data-testid="people-open-search">
                        "Search by name"
                    </a>
                    <a class="button button-primary" href="/people/new" data-testid="people-new">
                        "New person"
                    </a>
                </div>
            </div>
            <form class="search" role="search" data-testid="people-search" on:submit=on_search>
                <label for="surname-filter">"Surname begins with"</label>
                <div class="search-row">
                    <input
                        id="surname-filter"
                        data-testid="people-filter"
                        type="search"
                        autocomplete="off"
                        autocapitalize="words"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button" data-testid="people-filter-submit">
                        "Search"
                    </button>
                </div>
            </form>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(page) => view! { <Results first=page more surname /> }.into_any(),
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Results(
    first: Page<Person>,
    more: RwSignal<Vec<Page<Person>>>,
    surname: RwSignal<String>,
) -> impl IntoView {
    let session = use_session();
    let (next_cursor, people) = loaded_pages(first, more);
    let fetch = move |cursor: String| {
        let surname = surname.get_untracked();
        async move { api::list_people(session, Some(surname), Some(cursor)).await }
    };
    let count = people.clone();

    view! {
        <Show
            when=move || !count().is_empty()
            fallback=|| {
                view! {
                    <p class="empty" data-testid="people-empty">
                        "No people match."
                    </p>
                }
            }
        >
            <ul class="people-list" data-testid="people-list">
                <li class="people-row people-header" aria-hidden="true">
                    <span>"Name"</span>
                    <span>"Date of birth"</span>
                    <span>"Gender"</span>
                </li>
                <For each=people.clone() key=|p| (p.id, p.version) let(person)>
                    <li>
                        <a class="people-row" href=format!("/people/{}", person.id) data-testid="person-row">
                            <span class="person-name" data-testid="person-row-name">{person.display_name()}</span>
                            <span class="person-dob">
                                <span class="cell-label">"Date of birth: "</span>
                                {uk_date(&person)}
                            </span>
                            <span class="person-gender">
                                <span class="cell-label">"Gender: "</span>
                                {person.gender.label()}
                            </span>
                        </a>
                    </li>
                </For>
            </ul>
        </Show>
        <LoadMore next_cursor more fetch testid="people-load-more" />
    }
}
