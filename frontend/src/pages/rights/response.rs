//! The response: a preview of the pack as the subject would receive it,
//! its release (a disclosure to the subject of every record in it, which
//! answers the case), and afterwards the PDF and JSON to send. The files
//! need the bearer token and the working context, so the app fetches them
//! and offers each from a Blob object URL.

use super::request::CaseState;
use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::components::file_offer::{FetchFile, FileOffer};
use crate::session::use_session;
use futures::FutureExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

#[component]
pub fn Response(state: CaseState) -> impl IntoView {
    let case = state.case;
    let id = state.id();
    let released = move || case.with(|c| c.released_at);
    let ncnd = move || case.with(|c| c.neither_confirm_nor_deny.is_some());
    let ready = move || case.with(|c| c.compiled.is_some()) || ncnd();
    // Why release would be refused now, said before the officer tries.
    let blocked = Signal::derive(move || {
        if ncnd() {
            return None;
        }
        let undecided = state
            .pack
            .with(|p| p.as_ref().map(|p| p.summary.undecided).unwrap_or(0));
        let unsaved = state.unsaved.get();
        if unsaved > 0 {
            Some("Save your decisions before releasing.".to_owned())
        } else if undecided > 0 {
            Some(format!(
                "{undecided} item{} still undecided.",
                if undecided == 1 { " is" } else { "s are" }
            ))
        } else {
            None
        }
    });
    let requester = Signal::derive(move || case.with(|c| c.requester_name.clone()));
    let on_released = Callback::new(move |()| spawn_local(state.reload()));
    view! {
        <section class="card rights-response" data-testid="rights-response">
            <h2>"Response"</h2>
            {move || match released() {
                Some(at) => {
                    view! {
                        <p data-testid="rights-released">
                            {format!("Released on {}. Send the requester the PDF; the JSON is the same response for a computer to read.", at.format("%d/%m/%Y %H:%M"))}
                        </p>
                        <ResponseFiles id />
                    }
                        .into_any()
                }
                None if !ready() => {
                    view! { <p class="muted">"Attach the subject and compile the pack first."</p> }.into_any()
                }
                None => {
                    view! {
                        <div class="form-actions">
                            <a class="button" href=format!("/rights/{id}/preview") data-testid="rights-preview">
                                "Preview the response"
                            </a>
                        </div>
                        <Show when=move || state.can_change()>
                            <Release id requester blocked on_released />
                        </Show>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// Release, after a second tap that says what releasing does.
#[component]
pub fn Release(
    id: Uuid,
    #[prop(into)] requester: Signal<String>,
    #[prop(into)] blocked: Signal<Option<String>>,
    on_released: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let banner = RwSignal::new(None::<ApiError>);
    let release = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            match api::rights::release(session, id).await {
                Ok(_) => on_released.run(()),
                Err(error) => {
                    banner.try_set(Some(error));
                }
            }
            confirming.try_set(false);
            busy.try_set(false);
        });
    };
    view! {
        <div class="rights-release" data-testid="rights-release-panel">
            {move || blocked.get().map(|why| view! { <p class="field-error" data-testid="rights-release-blocked">{why}</p> })}
            <Show
                when=move || confirming.get()
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            class="button button-primary"
                            data-testid="rights-release"
                            disabled=move || blocked.with(Option::is_some)
                            on:click=move |_| confirming.set(true)
                        >
                            "Release the response"
                        </button>
                    }
                }
            >
                <div class="banner banner-info" role="alert" data-testid="rights-release-confirm-panel">
                    <p class="banner-title">{move || format!("Release the response to {}?", requester.get())}</p>
                    <p>"It is recorded as a disclosure to the subject of every record released, and the request is answered: it can no longer change."</p>
                    <div class="form-actions">
                        <button
                            type="button"
                            class="button button-primary"
                            data-testid="rights-release-confirm"
                            disabled=move || busy.get()
                            on:click=release
                        >
                            {move || if busy.get() { "Releasing…" } else { "Release now" }}
                        </button>
                        <button type="button" class="button" on:click=move |_| confirming.set(false)>
                            "Not yet"
                        </button>
                    </div>
                </div>
            </Show>
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
        </div>
    }
}

/// The PDF and the JSON, each prepared on a tap (each fetch is audited).
#[component]
pub fn ResponseFiles(id: Uuid) -> impl IntoView {
    let session = use_session();
    let pdf: FetchFile =
        Callback::new(move |()| api::rights::response_pdf(session, id).boxed_local());
    let json: FetchFile =
        Callback::new(move |()| api::rights::response_json(session, id).boxed_local());
    view! {
        <div class="form-actions rights-files">
            <FileOffer fetch=pdf testid="rights-pdf" label="Prepare the PDF" />
            <FileOffer fetch=json testid="rights-json" label="Prepare the JSON" />
        </div>
    }
}
