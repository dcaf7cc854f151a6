//! "Reviews due": the people whose records are due for review, the longest
//! overdue first as the server orders them. A table on a desktop, one card
//! per person on a tablet (the same markup; the style sheet lays it out),
//! with "Load more" following the server's cursor.

use super::{group_text, name_of};
use crate::api;
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::loaded_pages::{LoadMore, loaded_pages};
use crate::session::use_session;
use crate::text::{today, uk_date};
use leptos::prelude::*;
use shared::page::Page;
use shared::rights::retention::DueReview;

#[component]
pub fn ReviewsDue() -> impl IntoView {
    let session = use_session();
    let first = LocalResource::new(move || {
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        api::retention::due(session, None)
    });
    view! {
        <section class="retention" data-testid="retention-queue">
            <div class="page-heading">
                <h1>"Reviews due"</h1>
            </div>
            <p class="form-intro">
                "People whose records have reached their review date under MoPI, the longest overdue first. Open one to review it."
            </p>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(page) if page.items.is_empty() => {
                            view! { <p class="empty" data-testid="retention-empty">"No one is due for review."</p> }
                                .into_any()
                        }
                        Ok(page) => view! { <DueList first=page /> }.into_any(),
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// "12/01/2026 (40 days ago)".
fn due_text(on: chrono::NaiveDate) -> String {
    let late = (today() - on).num_days();
    match late {
        n if n > 1 => format!("{} ({n} days ago)", uk_date(on)),
        1 => format!("{} (yesterday)", uk_date(on)),
        0 => format!("{} (today)", uk_date(on)),
        _ => uk_date(on),
    }
}

#[component]
fn DueList(first: Page<DueReview>) -> impl IntoView {
    let session = use_session();
    let more = RwSignal::new(Vec::<Page<DueReview>>::new());
    let (next_cursor, items) = loaded_pages(first, more);
    let fetch = move |cursor: String| api::retention::due(session, Some(cursor));
    view! {
        <table class="retention-due" data-testid="retention-due-list">
            <thead>
                <tr>
                    <th scope="col">"Person"</th>
                    <th scope="col">"Born"</th>
                    <th scope="col">"Group"</th>
                    <th scope="col">"Clear since"</th>
                    <th scope="col">"Review due"</th>
                    <th scope="col">"Reviews before"</th>
                </tr>
            </thead>
            <tbody>
                <For each=items key=|d| d.person let(due)>
                    <Row due />
                </For>
            </tbody>
        </table>
        <LoadMore next_cursor more fetch testid="retention-load-more" />
    }
}

#[component]
fn Row(due: DueReview) -> impl IntoView {
    let person = due.person;
    let cell = |label: &'static str, text: String| {
        view! {
            <td>
                <span class="retention-label">{label}</span>
                {text}
            </td>
        }
    };
    view! {
        <tr data-testid="retention-due-row" data-person-id=person.to_string()>
            <td>
                <a class="retention-open" href=format!("/retention/{person}") data-testid="retention-due-person">
                    {name_of(&due)}
                </a>
            </td>
            {cell("Born", due.date_of_birth.map(uk_date).unwrap_or_else(|| "Not known".to_owned()))}
            {cell("Group", group_text(due.group).to_owned())}
            {cell("Clear since", uk_date(due.clear_from))}
            <td data-testid="retention-due-on">
                <span class="retention-label">"Review due"</span>
                {due_text(due.next_review_on)}
            </td>
            {cell("Reviews before", due.reviews.to_string())}
        </tr>
    }
}
