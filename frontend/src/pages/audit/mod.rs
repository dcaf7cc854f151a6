//! The audit log, for auditors and data protection officers: who did what
//! to which records and why (DPA 2018 s.62), whether the hash chain is
//! intact, its signed checkpoints, and exports for the Information
//! Commissioner. Reading any of it is itself audited by the server.

mod checkpoints;
mod events;
mod export;
mod filter;
mod verify;

use crate::api;
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::field::{Field, described_by};
use crate::session::use_session;
use checkpoints::Checkpoints;
use events::Events;
use export::Export;
use filter::{FilterForm, OPERATIONS, OUTCOMES};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::audit::AuditEventView;
use shared::error::FieldErrors;
use shared::justification::Purpose;
use shared::page::Page;
use verify::Verify;

#[component]
pub fn AuditLog() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let in_address = Memo::new(move |_| query.with(FilterForm::from_query));
    let filter = Memo::new(move |_| in_address.with(FilterForm::parse));
    // Pages after the first, reset whenever the first page is fetched again.
    let more = RwSignal::new(Vec::<Page<AuditEventView>>::new());

    let first = LocalResource::new(move || {
        let filter = filter.get();
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        more.set(Vec::new());
        async move {
            match filter {
                Ok(filter) => api::audit_events(session, &filter, None).await.map(Some),
                // The form shows what is wrong; nothing is asked for.
                Err(_) => Ok(None),
            }
        }
    });

    view! {
        <section class="audit" data-testid="audit-page">
            <div class="page-heading">
                <h1>"Audit log"</h1>
            </div>
            <Verify />
            <FilterPanel in_address refetch=Callback::new(move |()| first.refetch()) />
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(Some(page)) => {
                            let filter = filter.get_untracked().unwrap_or_default();
                            view! { <Events first=page more filter /> }.into_any()
                        }
                        Ok(None) => {
                            view! {
                                <p class="empty" data-testid="audit-filter-invalid">
                                    "Correct the filter to see events."
                                </p>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    }
                })}
            </Suspense>
            <div class="audit-tools">
                <Checkpoints />
                <Export />
            </div>
        </section>
    }
}

/// The filter form. Searching writes the filter into the address, which
/// the page reads; searching again for the same filter fetches afresh.
#[component]
fn FilterPanel(in_address: Memo<FilterForm>, refetch: Callback<()>) -> impl IntoView {
    let navigate = use_navigate();
    let form = RwSignal::new(in_address.get_untracked());
    let errors = RwSignal::new(FieldErrors::default());
    // Following a link (or Back) to another filter shows it in the form.
    Effect::new(move |_| {
        let current = in_address.get();
        errors.set(current.parse().err().unwrap_or_default());
        form.set(current);
    });
    let error_for = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.for_field(field).map(|e| e.message.clone())))
    };
    let value = move |get: fn(&FilterForm) -> &String| move || form.with(|f| get(f).clone());
    let set = move |put: fn(&mut FilterForm, String)| {
        move |ev: leptos::ev::Event| form.update(|f| put(f, event_target_value(&ev)))
    };

    let go = navigate.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let wanted = form.get_untracked();
        if let Err(broken) = wanted.parse() {
            errors.set(broken);
            return;
        }
        errors.set(FieldErrors::default());
        if wanted.to_query() == in_address.get_untracked().to_query() {
            refetch.run(());
        } else {
            go(&format!("/audit{}", wanted.to_query()), Default::default());
        }
    };
    let clear = move |_| navigate("/audit", Default::default());

    let select = move |id: &'static str,
                       testid: &'static str,
                       any: &'static str,
                       options: Vec<(&'static str, &'static str)>,
                       get: fn(&FilterForm) -> &String,
                       put: fn(&mut FilterForm, String)| {
        view! {
            <select id=id data-testid=testid aria-describedby=described_by(id, false) on:change=set(put)>
                <option value="" selected=move || form.with(|f| get(f).is_empty())>
                    {any}
                </option>
                {options
                    .into_iter()
                    .map(|(code, label)| {
                        view! {
                            <option value=code selected=move || form.with(|f| get(f) == code)>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
    };
    let purposes: Vec<(&'static str, &'static str)> = Purpose::ALL
        .iter()
        .map(|p| (p.as_str(), p.label()))
        .collect();

    view! {
        <form class="card audit-filter" role="search" data-testid="audit-filter" novalidate on:submit=on_submit>
            <h2>"Find events"</h2>
            <div class="filter-grid">
                <Field label="Person id" id="audit-filter-person" error=error_for("person")>
                    <input
                        id="audit-filter-person"
                        data-testid="audit-filter-person"
                        type="text"
                        inputmode="text"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby=described_by("audit-filter-person", false)
                        prop:value=value(|f| &f.person)
                        on:input=set(|f, v| f.person = v)
                    />
                </Field>
                <Field label="User (sign-in name or id)" id="audit-filter-actor" error=error_for("actor")>
                    <input
                        id="audit-filter-actor"
                        data-testid="audit-filter-actor"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby=described_by("audit-filter-actor", false)
                        prop:value=value(|f| &f.actor)
                        on:input=set(|f, v| f.actor = v)
                    />
                </Field>
                <Field label="Operation" id="audit-filter-operation" error=error_for("operation")>
                    {select(
                        "audit-filter-operation",
                        "audit-filter-operation",
                        "Any operation",
                        OPERATIONS.to_vec(),
                        |f| &f.operation,
                        |f, v| f.operation = v,
                    )}
                </Field>
                <Field label="Purpose" id="audit-filter-purpose" error=error_for("purpose")>
                    {select(
                        "audit-filter-purpose",
                        "audit-filter-purpose",
                        "Any purpose",
                        purposes,
                        |f| &f.purpose,
                        |f, v| f.purpose = v,
                    )}
                </Field>
                <Field label="Outcome" id="audit-filter-outcome" error=error_for("outcome")>
                    {select(
                        "audit-filter-outcome",
                        "audit-filter-outcome",
                        "Allowed or refused",
                        OUTCOMES.to_vec(),
                        |f| &f.outcome,
                        |f, v| f.outcome = v,
                    )}
                </Field>
                <Field label="From (UTC day)" id="audit-filter-from" error=error_for("from")>
                    <input
                        id="audit-filter-from"
                        data-testid="audit-filter-from"
                        type="date"
                        aria-describedby=described_by("audit-filter-from", false)
                        prop:value=value(|f| &f.from)
                        on:input=set(|f, v| f.from = v)
                    />
                </Field>
                <Field label="To (UTC day, included)" id="audit-filter-to" error=error_for("to")>
                    <input
                        id="audit-filter-to"
                        data-testid="audit-filter-to"
                        type="date"
                        aria-describedby=described_by("audit-filter-to", false)
                        prop:value=value(|f| &f.to)
                        on:input=set(|f, v| f.to = v)
                    />
                </Field>
            </div>
            <div class="form-actions">
                <button type="submit" class="button button-primary" data-testid="audit-filter-submit">
                    "Search"
                </button>
                <button type="button" class="button" data-testid="audit-filter-clear" on:click=clear>
                    "Clear filters"
                </button>
            </div>
        </form>
    }
}
