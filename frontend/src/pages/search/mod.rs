//! The search screen: people by name and date of birth, and, on a second
//! tab, vehicles, places and occurrences. Both search as the officer types
//! and show a few strong hits as cards to tap.

pub(crate) mod as_you_type;
mod draft;
mod people;
mod records;
mod score;

pub use draft::SearchDraft;

use crate::session::use_session;
use draft::{Tab, use_search_draft};
use leptos::prelude::*;
use people::PeopleSearchPanel;
use records::RecordsSearchPanel;
use shared::permissions::Permission;

#[component]
pub fn Search() -> impl IntoView {
    let session = use_session();
    let draft = use_search_draft();
    let tab = RwSignal::new(draft.take().tab);
    Effect::new(move |_| {
        let chosen = tab.get();
        draft.keep(|d| d.tab = chosen);
    });
    let can_search_records = move || session.can(Permission::RecordList);

    view! {
        <section class="search-page" data-testid="search-page">
            <div class="page-heading">
                <h1>"Search"</h1>
            </div>
            <Show when=can_search_records>
                <div class="search-tabs" role="tablist" aria-label="What to search for">
                    <TabButton tab current=Tab::People testid="search-tab-people" label="People" />
                    <TabButton
                        tab
                        current=Tab::Records
                        testid="search-tab-records"
                        label="Vehicles, places and occurrences"
                    />
                </div>
            </Show>
            <div class="search-tab-panel" role="tabpanel" id="search-tab-panel">
                {move || match tab.get() {
                    Tab::Records if can_search_records() => view! { <RecordsSearchPanel draft /> }.into_any(),
                    _ => view! { <PeopleSearchPanel draft /> }.into_any(),
                }}
            </div>
        </section>
    }
}

#[component]
fn TabButton(
    tab: RwSignal<Tab>,
    current: Tab,
    testid: &'static str,
    label: &'static str,
) -> impl IntoView {
    view! {
        <button
            type="button"
            role="tab"
            class="search-tab"
            data-testid=testid
            aria-controls="search-tab-panel"
            aria-selected=move || (tab.get() == current).to_string()
            on:click=move |_| tab.set(current)
        >
            {label}
        </button>
    }
}
