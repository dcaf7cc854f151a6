//! What a "Load more" list has loaded so far: the first page, then any
//! further pages fetched by following the server's cursor.

use leptos::prelude::*;
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
