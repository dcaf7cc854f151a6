//! Searching as the officer types: one request once typing pauses, and only
//! the answer to the newest request is ever shown.

use crate::api::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::session::use_session;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// How long typing must pause before a search is sent: short enough to
/// feel immediate, long enough not to send one request per key.
const PAUSE_MS: u32 = 250;

/// What the screen shows for a search run as the officer types.
#[derive(Clone, Copy)]
pub struct AsYouType<T: Send + Sync + 'static> {
    /// The answer to the newest search, kept while the next one runs so the
    /// hits do not flicker; none while there is nothing to search for.
    pub answer: RwSignal<Option<Result<T, ApiError>>>,
    /// A search is waiting for typing to pause or for the server.
    pub searching: RwSignal<bool>,
}

/// Runs `fetch` whenever `query` changes to something worth searching for
/// (`None` means the boxes are empty: nothing is sent and the hits clear),
/// and again when the working context changes, since that is a new
/// consultation.
pub fn search_as_you_type<Q, T, F, Fut>(
    query: impl Fn() -> Option<Q> + Send + Sync + 'static,
    fetch: F,
) -> AsYouType<T>
where
    Q: Clone + PartialEq + Send + Sync + 'static,
    T: Send + Sync + 'static,
    F: Fn(Q) -> Fut + Clone + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let session = use_session();
    let answer = RwSignal::new(None);
    let searching = RwSignal::new(false);
    // Changes only when what would be sent changes: a trailing space or a
    // field typed and rubbed out again does not search twice.
    let query = Memo::new(move |_| query());
    // Numbers each search; a search whose number is no longer the latest
    // has been overtaken and its answer is dropped, so a slow reply to
    // "smi" never replaces the reply to "smith".
    let latest = StoredValue::new(0_u64);

    Effect::new(move |_| {
        let query = query.get();
        let _ = session.working_context();
        let this = latest.get_value() + 1;
        latest.set_value(this);
        let Some(query) = query else {
            answer.set(None);
            searching.set(false);
            return;
        };
        searching.set(true);
        let fetch = fetch.clone();
        spawn_local(async move {
            TimeoutFuture::new(PAUSE_MS).await;
            // Still typing: a later search will run instead.
            if latest.try_get_value() != Some(this) {
                return;
            }
            let result = fetch(query).await;
            if latest.try_get_value() != Some(this) {
                return;
            }
            answer.try_set(Some(result));
            searching.try_set(false);
        });
    });

    AsYouType { answer, searching }
}

impl<T: Clone + Send + Sync + 'static> AsYouType<T> {
    /// "Searching…" while a search runs, then the hits or why there are
    /// none. A refusal `under_a_field` says is shown under that field, by
    /// the form, not here.
    pub fn outcome<V: IntoView + 'static>(
        self,
        hits: impl Fn(T) -> V + Send + Sync + 'static,
        under_a_field: fn(&ApiError) -> bool,
    ) -> impl IntoView {
        let (answer, searching) = (self.answer, self.searching);
        view! {
            <Show when=move || searching.get()>
                <p class="search-searching" data-testid="search-searching">
                    "Searching…"
                </p>
            </Show>
            {move || {
                answer
                    .get()
                    .map(|answer| match answer {
                        Ok(results) => hits(results).into_any(),
                        Err(error) if under_a_field(&error) => ().into_any(),
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    })
            }}
        }
    }
}
