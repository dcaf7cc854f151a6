//! Any address the app does not know.

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <a class="button" href="/people">
                "Go to people"
            </a>
        </section>
    }
}
