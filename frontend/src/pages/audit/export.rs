//! Exporting a range of the log, with the proof that it is complete, for
//! the Information Commissioner. The download needs the bearer token and
//! the working context, so the app fetches it and offers the file from a
//! Blob object URL rather than linking to the API.

use super::filter::{end_of, parse_day, start_of};
use crate::api::{self, ApiError};
use crate::components::download::SavedFile;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{Field, described_by};
use crate::session::use_session;
use chrono::Days;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::error::{FieldError, FieldErrors};

#[component]
pub fn Export() -> impl IntoView {
    let session = use_session();
    let today = chrono::Utc::now().date_naive();
    let week_ago = today.checked_sub_days(Days::new(7)).unwrap_or(today);
    let from = RwSignal::new(week_ago.format("%Y-%m-%d").to_string());
    let to = RwSignal::new(today.format("%Y-%m-%d").to_string());
    let format = RwSignal::new("json");
    let errors = RwSignal::new(FieldErrors::default());
    let banner = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let ready = RwSignal::new(None::<SavedFile>);
    // An object URL holds its file in memory until revoked.
    let revoke = move || {
        if let Some(old) = ready.try_get_untracked().flatten() {
            old.revoke();
        }
    };
    on_cleanup(revoke);
    let error_for = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.for_field(field).map(|e| e.message.clone())))
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut broken = FieldErrors::default();
        let first = broken.check(parse_day("export-from", &from.get_untracked()));
        let last = broken.check(parse_day("export-to", &to.get_untracked()));
        let range = match (first.flatten(), last.flatten()) {
            (Some(first), Some(last)) if last >= first => Some((first, last)),
            (Some(_), Some(_)) => {
                broken.0.push(FieldError::new(
                    "export-to",
                    "before_from",
                    "The last day cannot be before the first",
                ));
                None
            }
            (first, last) => {
                for (field, day) in [("export-from", first), ("export-to", last)] {
                    if day.is_none() && broken.for_field(field).is_none() {
                        broken
                            .0
                            .push(FieldError::new(field, "required", "Enter a day"));
                    }
                }
                None
            }
        };
        errors.set(broken);
        let Some((first, last)) = range else { return };
        revoke();
        ready.set(None);
        banner.set(None);
        busy.set(true);
        let chosen = format.get_untracked();
        spawn_local(async move {
            let prepared = api::export_audit(session, start_of(first), end_of(last), chosen)
                .await
                .and_then(SavedFile::prepare);
            match prepared {
                Ok(file) => {
                    ready.try_set(Some(file));
                }
                Err(error) => {
                    banner.try_set(Some(error));
                }
            }
            busy.try_set(false);
        });
    };

    view! {
        <form class="card audit-export" data-testid="audit-export" novalidate on:submit=on_submit>
            <h2>"Export for the Information Commissioner"</h2>
            <p class="form-intro">
                "The events in the range with the chain links and signed checkpoint that prove it complete. "
                "The export is recorded as a disclosure."
            </p>
            <div class="filter-grid">
                <Field label="First day (UTC)" id="export-from" error=error_for("export-from")>
                    <input
                        id="export-from"
                        data-testid="audit-export-from"
                        type="date"
                        aria-describedby=described_by("export-from", false)
                        prop:value=move || from.get()
                        on:input=move |ev| from.set(event_target_value(&ev))
                    />
                </Field>
                <Field label="Last day (UTC, included)" id="export-to" error=error_for("export-to")>
                    <input
                        id="export-to"
                        data-testid="audit-export-to"
                        type="date"
                        aria-describedby=described_by("export-to", false)
                        prop:value=move || to.get()
                        on:input=move |ev| to.set(event_target_value(&ev))
                    />
                </Field>
                <div class="field">
                    <label for="export-format">"Format"</label>
                    <select
                        id="export-format"
                        data-testid="audit-export-format"
                        on:change=move |ev| {
                            format.set(if event_target_value(&ev) == "csv" { "csv" } else { "json" })
                        }
                    >
                        <option value="json" selected=move || format.get() == "json">
                            "JSON, with the proof"
                        </option>
                        <option value="csv" selected=move || format.get() == "csv">
                            "CSV, for a spreadsheet"
                        </option>
                    </select>
                </div>
            </div>
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="audit-export-submit"
                    disabled=move || busy.get()
                >
                    {move || if busy.get() { "Preparing…" } else { "Prepare export" }}
                </button>
                {move || {
                    ready
                        .get()
                        .map(|file| {
                            view! {
                                <a
                                    class="button"
                                    href=file.url
                                    download=file.filename.clone()
                                    data-testid="audit-export-download"
                                >
                                    {file.label()}
                                </a>
                            }
                        })
                }}
            </div>
        </form>
    }
}
