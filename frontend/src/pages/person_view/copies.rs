//! Printing or saving a copy of the profile. A copy leaves Probity, so the
//! server records it as a disclosure before it answers; the page prints or
//! offers the file only after that.

use crate::api::{self, ApiError};
use crate::components::download::SavedFile;
use crate::components::error_banner::ErrorBanner;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ids::PersonId;

#[component]
pub fn Copies(person: PersonId) -> impl IntoView {
    let session = use_session();
    let banner = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(None::<SavedFile>);
    let revoke = move || {
        if let Some(old) = saved.try_get_untracked().flatten() {
            old.revoke();
        }
    };
    on_cleanup(revoke);

    let print = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            match api::print_person(session, person).await {
                Ok(_) => {
                    if let Some(window) = web_sys::window() {
                        let _ = window.print();
                    }
                }
                Err(error) => {
                    banner.try_set(Some(error));
                }
            }
            busy.try_set(false);
        });
    };
    let export = move |_| {
        if busy.get_untracked() {
            return;
        }
        revoke();
        saved.set(None);
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            let prepared = api::export_person(session, person)
                .await
                .and_then(SavedFile::prepare);
            match prepared {
                Ok(file) => {
                    saved.try_set(Some(file));
                }
                Err(error) => {
                    banner.try_set(Some(error));
                }
            }
            busy.try_set(false);
        });
    };

    view! {
        <div class="profile-copies" data-testid="person-copies">
            <p class="form-intro">"A printed or saved copy is recorded as a disclosure."</p>
            <div class="form-actions">
                <button
                    type="button"
                    class="button"
                    data-testid="person-print"
                    disabled=move || busy.get()
                    on:click=print
                >
                    "Print"
                </button>
                <button
                    type="button"
                    class="button"
                    data-testid="person-export"
                    disabled=move || busy.get()
                    on:click=export
                >
                    "Save as file"
                </button>
                {move || {
                    saved
                        .get()
                        .map(|file| {
                            view! {
                                <a
                                    class="button button-primary"
                                    href=file.url
                                    download=file.filename.clone()
                                    data-testid="person-export-download"
                                >
                                    {file.label()}
                                </a>
                            }
                        })
                }}
            </div>
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
        </div>
    }
}
