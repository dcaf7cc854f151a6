//! Any address the app does not know.

use crate::session::{home_path, use_session};
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="card" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <a class="button" href=move || home_path(session.user().as_ref())>
                "Go to your start page"
            </a>
        </section>
    }
}
