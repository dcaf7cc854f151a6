//! Finding objects: a filter by kind and a list paged by cursor.

use crate::api;
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::loaded_pages::{LoadMore, loaded_pages};
use crate::session::use_session;
use leptos::prelude::*;
use shared::objects::{Object, ObjectKind};
use shared::page::Page;
use shared::permissions::Permission;

#[component]
pub fn ObjectsList() -> impl IntoView {
    let session = use_session();
    let kind = RwSignal::new(None::<ObjectKind>);
    // Pages after the first, reset whenever the first page is fetched again.
    let more = RwSignal::new(Vec::<Page<Object>>::new());
    let first = LocalResource::new(move || {
        let kind = kind.get();
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        more.set(Vec::new());
        async move { api::list_objects(session, kind, None).await }
    });

    view! {
        <section class="records">
            <div class="page-heading">
                <h1>"Objects"</h1>
                <Show when=move || session.can(Permission::RecordCreate)>
                    <a class="button button-primary" href="/objects/new" data-testid="objects-new">
                        "New object"
                    </a>
                </Show>
            </div>
            <div class="search">
                <label for="objects-kind-filter">"Kind"</label>
                <select
                    id="objects-kind-filter"
                    data-testid="objects-kind-filter"
                    on:change=move |ev| kind.set(ObjectKind::parse(&event_target_value(&ev)))
                >
                    <option value="">"All kinds"</option>
                    {ObjectKind::ALL
                        .iter()
                        .map(|k| view! { <option value=k.as_str()>{k.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(page) => view! { <Results first=page more kind /> }.into_any(),
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Results(
    first: Page<Object>,
    more: RwSignal<Vec<Page<Object>>>,
    kind: RwSignal<Option<ObjectKind>>,
) -> impl IntoView {
    let session = use_session();
    let (next_cursor, objects) = loaded_pages(first, more);
    let fetch = move |cursor: String| {
        let kind = kind.get_untracked();
        async move { api::list_objects(session, kind, Some(cursor)).await }
    };
    let count = objects.clone();

    view! {
        <Show
            when=move || !count().is_empty()
            fallback=|| view! { <p class="empty" data-testid="objects-empty">"No objects match."</p> }
        >
            <ul class="record-list" data-testid="objects-list">
                <For each=objects.clone() key=|o| (o.id, o.version) let(object)>
                    <li>
                        <a class="record-row" href=format!("/objects/{}", object.id) data-testid="object-row">
                            <span class="record-title" data-testid="object-row-summary">{object.summary.clone()}</span>
                            <span class="record-role">{object.kind.label()}</span>
                            <span class="record-when">
                                {format!("Changed {}", object.updated_at.format("%d/%m/%Y"))}
                            </span>
                        </a>
                    </li>
                </For>
            </ul>
        </Show>
        <LoadMore next_cursor more fetch testid="objects-load-more" />
    }
}
