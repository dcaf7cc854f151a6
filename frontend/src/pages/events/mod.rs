//! Events: stop and search, custody, intelligence, occurrences and case
//! files. A list, one event's record, and one form whose middle part
//! follows the kind (one module per kind).

mod case_file;
mod custody;
mod draft;
mod form;
mod inputs;
mod intelligence;
mod list;
mod occurrence;
mod stop_search;
mod view;
mod when;

pub use form::{EditEvent, NewEvent};
pub use list::EventList;
pub use view::EventView;

use crate::api::{self, ApiError};
use crate::session::Session;
use inputs::{FormState, path_id};
use leptos::prelude::*;
use shared::error::{ErrorCode, Problem};
use shared::events::case_file::FileStatus;
use shared::events::custody::ReleaseOutcome;
use shared::events::occurrence::OccurrenceStatus;
use shared::events::stop_search::SearchOutcome;
use shared::events::{Event, EventKind};
use uuid::Uuid;
use wasm_bindgen::JsCast;

/// Fetches the event named by the route's `:id`; a malformed id is
/// answered as the server would answer an unknown one.
pub async fn fetch_event(session: Session, id: String) -> Result<Event, ApiError> {
    let id = id
        .parse::<Uuid>()
        .map_err(|_| ApiError::Problem(Problem::new(ErrorCode::NotFound)))?;
    api::get_event(session, id).await
}

/// A list's status code in words, from the kind's own code list.
pub fn status_label(kind: EventKind, status: &str) -> String {
    let label = match kind {
        EventKind::Occurrence => OccurrenceStatus::parse(status).map(|s| s.label()),
        EventKind::StopSearch => SearchOutcome::parse(status).map(|s| s.label()),
        EventKind::CaseFile => FileStatus::parse(status).map(|s| s.label()),
        EventKind::Custody if status == "in_custody" => Some("In custody"),
        EventKind::Custody => ReleaseOutcome::parse(status).map(|s| s.label()),
        EventKind::Intelligence => None,
    };
    label
        .map(str::to_owned)
        .unwrap_or_else(|| crate::text::code_label(status))
}

/// Moves focus to the element with `id`; a list as a whole has no input,
/// so its message is brought into view instead.
fn focus(id: &str) {
    let page = document();
    if let Some(element) = page.get_element_by_id(id)
        && let Ok(element) = element.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = element.focus();
    } else if let Some(message) = page.get_element_by_id(&format!("{id}-error")) {
        message.scroll_into_view();
    }
}

/// Every problem at the top of the form, each a link to its field: on a
/// long form on a tablet, the message under a field may be screens away.
#[component]
fn ErrorSummary(form: FormState) -> impl IntoView {
    let errors = move || form.all_errors();
    view! {
        <Show when=move || !errors().is_empty()>
            <div
                class="banner banner-error error-summary"
                id="event-error-summary"
                tabindex="-1"
                role="alert"
                data-testid="event-error-summary"
            >
                <p class="banner-title">"This cannot be saved yet. Correct these:"</p>
                <ul>
                    {move || {
                        errors()
                            .into_iter()
                            .map(|(path, message)| {
                                let id = path_id(&path);
                                let text = match form.label_of(&path) {
                                    Some(label) => format!("{label}: {message}"),
                                    None => message,
                                };
                                view! {
                                    <li>
                                        <a
                                            href=format!("#{id}")
                                            data-testid="event-error-summary-item"
                                            data-field=path
                                            on:click=move |ev| {
                                                ev.prevent_default();
                                                focus(&id);
                                            }
                                        >
                                            {text}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}
