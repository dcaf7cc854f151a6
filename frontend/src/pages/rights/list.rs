//! Every rights request, in the server's order: open ones first, fewest
//! days left (overdue) first, so the one most at risk of going late is at
//! the top; then the answered ones.

use super::{days_left_text, status_badge, uk};
use crate::api;
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::session::use_session;
use leptos::prelude::*;
use shared::permissions::Permission;
use shared::rights::RequestSummary;

#[component]
pub fn RightsRequests() -> impl IntoView {
    let session = use_session();
    let requests = LocalResource::new(move || {
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        api::rights::list_requests(session)
    });
    view! {
        <section class="rights" data-testid="rights-list-page">
            <div class="page-heading">
                <h1>"Rights requests"</h1>
                <Show when=move || session.can(Permission::RightsManage)>
                    <a class="button button-primary" href="/rights/new" data-testid="rights-new">
                        "New request"
                    </a>
                </Show>
            </div>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match requests.await {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <p class="empty" data-testid="rights-empty">
                                    "No rights requests have been recorded."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(list) => view! { <Requests list /> }.into_any(),
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Requests(list: Vec<RequestSummary>) -> impl IntoView {
    view! {
        <ul class="rights-list" data-testid="rights-requests">
            <li class="rights-row rights-header" aria-hidden="true">
                <span>"Reference"</span>
                <span>"Requester"</span>
                <span>"Kind"</span>
                <span>"Status"</span>
                <span>"Received"</span>
                <span>"Due"</span>
                <span>"Days left"</span>
            </li>
            {list.into_iter().map(|r| view! { <Row request=r /> }).collect_view()}
        </ul>
    }
}

#[component]
fn Row(request: RequestSummary) -> impl IntoView {
    let open = request.status.is_open();
    let late = open && request.overdue;
    let days = days_left_text(open, request.days_left, request.overdue, request.paused);
    let due = request
        .due_on
        .map(uk)
        .unwrap_or_else(|| "Not yet set".to_owned());
    let class = if late {
        "rights-row rights-row-overdue"
    } else {
        "rights-row"
    };
    view! {
        <li>
            <a
                class=class
                href=format!("/rights/{}", request.id)
                data-testid="rights-request"
                data-reference=request.reference.clone()
            >
                <span class="rights-reference" data-testid="rights-reference">
                    {request.reference.clone()}
                </span>
                <span data-testid="rights-requester">
                    <span class="cell-label">"Requester: "</span>
                    {request.requester_name.clone()}
                </span>
                <span>
                    <span class="cell-label">"Kind: "</span>
                    {request.kind.label()}
                </span>
                <span>
                    <span class="cell-label">"Status: "</span>
                    {status_badge(request.status)}
                </span>
                <span>
                    <span class="cell-label">"Received: "</span>
                    {uk(request.received_on)}
                </span>
                <span>
                    <span class="cell-label">"Due: "</span>
                    {due}
                </span>
                <span class="rights-days">
                    {late
                        .then(|| {
                            view! {
                                <span class="badge badge-overdue" data-testid="rights-overdue">
                                    "Overdue"
                                </span>
                            }
                        })}
                    {(open && request.paused)
                        .then(|| {
                            view! {
                                <span class="badge badge-paused" data-testid="rights-paused">
                                    "Paused"
                                </span>
                            }
                        })}
                    <span data-testid="rights-days-left">{days}</span>
                </span>
            </a>
        </li>
    }
}
