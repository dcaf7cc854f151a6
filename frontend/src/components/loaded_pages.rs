//! What a "Load more" list has loaded so far: the first page, then any
//! further pages fetched by following the server's cursor.

use crate::api::ApiError;
use crate::components::error_banner::ErrorBanner;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::page::Page;

/// The cursor for the next page (none on the last page) and every item
/// loaded so far, as closures for a view to call.
pub fn loaded_pages<T: Clone + Send + Sync + 'static>(
    first: Page<T>,
    more: RwSignal<Vec<Page<T>>>,
) -> (
    impl Fn() -> Option<String> + Clone + 'static,
    impl Fn() -> Vec<T> + Clone + 'static,
) {
    let first_cursor = first.next_cursor;
    let first_items = first.items;
    let next_cursor = move || {
        more.with(|pages| match pages.last() {
            Some(page) => page.next_cursor.clone(),
            None => first_cursor.clone(),
        })
    };
    let items = move || {
        let mut all = first_items.clone();
        more.with(|pages| all.extend(pages.iter().flat_map(|p| p.items.iter().cloned())));
        all
    };
    (next_cursor, items)
}

/// The "Load more" button under a list paged by cursor: fetches the page
/// after `next_cursor` with `fetch`, adds it to `more`, and shows a failure
/// under the list. Hidden on the last page.
#[component]
pub fn LoadMore<T, N, F, Fut>(
    next_cursor: N,
    more: RwSignal<Vec<Page<T>>>,
    fetch: F,
    testid: &'static str,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    N: Fn() -> Option<String> + Clone + Send + Sync + 'static,
    F: Fn(String) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Page<T>, ApiError>> + 'static,
{
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(None::<ApiError>);
    let next = next_cursor.clone();
    let load_more = move |_| {
        let Some(cursor) = next() else { return };
        loading.set(true);
        failed.set(None);
        // Filters are read now, when the officer asks, not when it arrives.
        let page = fetch(cursor);
        spawn_local(async move {
            match page.await {
                Ok(page) => {
                    more.try_update(|pages| pages.push(page));
                }
                Err(error) => {
                    failed.try_set(Some(error));
                }
            }
            loading.try_set(false);
        });
    };
    view! {
        {move || failed.get().map(|error| view! { <ErrorBanner error /> })}
        <Show when=move || next_cursor().is_some()>
            <div class="load-more">
                <button
                    type="button"
                    class="button"
                    data-testid=testid
                    disabled=move || loading.get()
                    on:click=load_more.clone()
                >
                    {move || if loading.get() { "Loading…" } else { "Load more" }}
                </button>
            </div>
        </Show>
    }
}
