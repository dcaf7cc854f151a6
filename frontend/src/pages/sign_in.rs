//! Signing in with a username and password.

use crate::api::{self, ApiError};
use crate::session::{home_path, use_session};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use shared::auth::SignInRequest;
use shared::error::ErrorCode;

/// The message for a refused sign-in. The wording for a bad password is
/// fixed here rather than taken from the server, and never says which of
/// username or password was wrong.
fn refusal(error: &ApiError) -> String {
    match error {
        // Throttling after repeated failures gets the same answer, so that
        // usernames cannot be probed; the hint covers both.
        ApiError::Problem(p) if p.code == ErrorCode::InvalidCredentials => match &p.detail {
            Some(detail) => format!("{}. {detail}", p.code.title()),
            None => format!(
                "{}. After several failed attempts, wait a few minutes before trying again.",
                p.code.title()
            ),
        },
        ApiError::Problem(p) => match &p.instance {
            Some(reference) => format!("{} (reference {reference})", p.title),
            None => p.title.clone(),
        },
        ApiError::Network(_) => {
            "Probity could not be reached. Check the connection and try again.".to_owned()
        }
        ApiError::SessionExpired => crate::session::SESSION_EXPIRED.to_owned(),
    }
}

#[component]
pub fn SignIn() -> impl IntoView {
    let session = use_session();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = SignInRequest {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        if request.username.is_empty() || request.password.is_empty() {
            error.set(Some("Enter your username and password".to_owned()));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::sign_in(&request).await {
                // Signed in: the redirect below takes the user on.
                Ok(pair) => session.store_tokens(pair),
                Err(refused) => {
                    error.try_set(Some(refusal(&refused)));
                    password.try_set(String::new());
                    busy.try_set(false);
                }
            }
        });
    };

    view! {
        <Show when=move || session.is_signed_in()>
            <Redirect path=home_path(session.user().as_ref()) />
        </Show>
        <section class="sign-in">
            <form class="card sign-in-form" data-testid="sign-in-form" novalidate on:submit=on_submit>
                <h1 class="sign-in-brand">"Probity"</h1>
                <p class="form-intro">"Sign in to police records."</p>
                {move || {
                    session
                        .notice()
                        .map(|notice| {
                            view! {
                                <p class="banner banner-info" role="status" data-testid="session-notice">
                                    {notice}
                                </p>
                            }
                        })
                }}
                {move || {
                    error
                        .get()
                        .map(|message| {
                            view! {
                                <p class="banner banner-error" role="alert" data-testid="sign-in-error">
                                    {message}
                                </p>
                            }
                        })
                }}
                <div class="field">
                    <label for="username">"Username"</label>
                    <input
                        id="username"
                        data-testid="sign-in-username"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input
                        id="password"
                        data-testid="sign-in-password"
                        type="password"
                        autocomplete="current-password"
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </div>
                <div class="form-actions">
                    <button
                        type="submit"
                        class="button button-primary button-wide"
                        data-testid="sign-in-submit"
                        disabled=move || busy.get()
                    >
                        {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
