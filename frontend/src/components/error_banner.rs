//! The banner for a failure that belongs to no single field.

use crate::api::ApiError;
use crate::session::SESSION_EXPIRED;
use leptos::prelude::*;

/// Shows the problem's title and its `instance`, the request id that
/// support needs to find the failure in the logs.
#[component]
pub fn ErrorBanner(error: ApiError) -> impl IntoView {
    let (title, detail, reference) = match error {
        ApiError::Problem(problem) => (problem.title, problem.detail, problem.instance),
        ApiError::Network(_) => (
            "Probity could not be reached".to_owned(),
            Some("Check the connection and try again.".to_owned()),
            None,
        ),
        ApiError::SessionExpired => (SESSION_EXPIRED.to_owned(), None, None),
    };
    view! {
        <div class="banner banner-error" role="alert" data-testid="error-banner">
            <p class="banner-title" data-testid="error-title">{title}</p>
            {detail.map(|detail| view! { <p>{detail}</p> })}
            {reference
                .map(|reference| {
                    view! {
                        <p class="banner-reference">
                            "Reference to quote: " <code data-testid="error-reference">{reference}</code>
                        </p>
                    }
                })}
        </div>
    }
}

/// What the screen shows while it waits for the server.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status" data-testid="loading">
            "Loading…"
        </p>
    }
}
