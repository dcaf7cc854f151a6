//! A file the server makes (a PDF letter, a certificate), offered in two
//! taps: the first fetches it (each fetch is audited, so nothing is
//! fetched until asked), the second saves it from a Blob object URL.

use crate::api::{ApiError, Download};
use crate::components::download::SavedFile;
use crate::components::error_banner::ErrorBanner;
use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How to fetch the file: called once per tap on the prepare button.
pub type FetchFile = Callback<(), LocalBoxFuture<'static, Result<Download, ApiError>>>;

/// The prepare button (`testid`), then the download link (`{testid}-download`).
#[component]
pub fn FileOffer(fetch: FetchFile, testid: &'static str, label: &'static str) -> impl IntoView {
    let busy = RwSignal::new(false);
    let banner = RwSignal::new(None::<ApiError>);
    let ready = RwSignal::new(None::<SavedFile>);
    // An object URL holds its file in memory until revoked.
    let revoke = move || {
        if let Some(old) = ready.try_get_untracked().flatten() {
            old.revoke();
        }
    };
    on_cleanup(revoke);
    let prepare = move |_| {
        if busy.get_untracked() {
            return;
        }
        revoke();
        ready.set(None);
        busy.set(true);
        banner.set(None);
        let fetched = fetch.run(());
        spawn_local(async move {
            match fetched.await.and_then(SavedFile::prepare) {
                Ok(saved) => {
                    ready.try_set(Some(saved));
                }
                Err(error) => {
                    banner.try_set(Some(error));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <div class="rights-file">
            {move || match ready.get() {
                Some(saved) => {
                    view! {
                        <a
                            class="button button-primary"
                            href=saved.url.clone()
                            download=saved.filename.clone()
                            data-testid=format!("{testid}-download")
                        >
                            {saved.label()}
                        </a>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <button
                            type="button"
                            class="button"
                            data-testid=testid
                            disabled=move || busy.get()
                            on:click=prepare
                        >
                            {move || if busy.get() { "Preparing…" } else { label }}
                        </button>
                    }
                        .into_any()
                }
            }}
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
        </div>
    }
}
