//! Finding vehicles, places and occurrences: a registration mark or the
//! first few characters of one, a postcode or a street, or words from what
//! was recorded.

use super::as_you_type::search_as_you_type;
use super::draft::SearchDraft;
use super::score::MatchScore;
use crate::api::{self, ApiError, RecordFamily};
use crate::components::field::{Field, described_by};
use crate::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use shared::codes_police::PlaceType;
use shared::events::EventKind;
use shared::objects::ObjectKind;
use shared::search::{RecordHit, RecordResults};

/// Whether a refusal can be shown under the box or the family choice
/// rather than as a banner.
fn names_a_field(error: &ApiError) -> bool {
    error
        .field_errors()
        .0
        .iter()
        .any(|e| e.field == "q" || e.field == "family")
}

#[component]
pub fn RecordsSearchPanel(draft: SearchDraft) -> impl IntoView {
    let session = use_session();
    let start = draft.take();
    let q = RwSignal::new(start.records);
    let family = RwSignal::new(start.family);
    let search_box = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(input) = search_box.get() {
            let _ = input.focus();
        }
    });
    Effect::new(move |_| {
        let (typed, chosen) = (q.get(), family.get());
        draft.keep(|d| {
            d.records = typed;
            d.family = chosen;
        });
    });
    let search = search_as_you_type(
        move || {
            let typed = q.get().trim().to_owned();
            (!typed.is_empty()).then(|| (typed, family.get()))
        },
        move |(typed, family): (String, Option<RecordFamily>)| async move {
            api::search_records(session, &typed, family).await
        },
    );
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            search.answer.with(|a| match a {
                Some(Err(e)) => e.field_errors().for_field(field).map(|f| f.message.clone()),
                _ => None,
            })
        })
    };

    view! {
        <div class="search-panel" data-testid="records-search-panel">
            // Results come as the officer types; Enter must not reload the page.
            <form class="search-form" role="search" on:submit=|ev: SubmitEvent| ev.prevent_default()>
                <Field
                    label="Registration mark, postcode, street or words"
                    id="search-records-q"
                    error=error_for("q")
                    hint="Part of a registration mark is enough, for example YK70."
                >
                    <input
                        id="search-records-q"
                        class="search-box"
                        data-testid="search-records-q"
                        type="search"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        node_ref=search_box
                        aria-describedby=described_by("search-records-q", true)
                        prop:value=move || q.get()
                        on:input=move |ev| q.set(event_target_value(&ev))
                    />
                </Field>
                <Field label="Look in" id="search-records-family" error=error_for("family")>
                    <select
                        id="search-records-family"
                        data-testid="search-records-family"
                        aria-describedby=described_by("search-records-family", false)
                        on:change=move |ev| family.set(RecordFamily::parse(&event_target_value(&ev)))
                    >
                        <option value="" selected=move || family.get().is_none()>
                            "Vehicles, places and occurrences"
                        </option>
                        {RecordFamily::ALL
                            .into_iter()
                            .map(|f| {
                                view! {
                                    <option value=f.as_str() selected=move || family.get() == Some(f)>
                                        {f.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </Field>
            </form>
            {search.outcome(|results| view! { <RecordHits results /> }, names_a_field)}
        </div>
    }
}

#[component]
fn RecordHits(results: RecordResults) -> impl IntoView {
    if results.hits.is_empty() {
        return view! {
            <p class="empty search-empty" role="status" data-testid="record-hits-empty">
                "No record matches. Try fewer characters of the registration mark, or the postcode alone."
            </p>
        }
        .into_any();
    }
    let n = results.total;
    let count = if n == 1 {
        "1 match".to_owned()
    } else {
        format!("{n} matches")
    };
    view! {
        <p class="search-count" role="status" data-testid="record-hits-count">
            {count}
        </p>
        <ul class="hit-list" data-testid="record-hits">
            {results.hits.into_iter().map(|hit| view! { <RecordCard hit /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// "Vehicle", "Dwelling", "Occurrence / crime report": the kind as the
/// record's own screens name it, or the code tidied when it is new to us.
fn kind_label(family: Option<RecordFamily>, kind: &str) -> String {
    let known = match family {
        Some(RecordFamily::Object) => ObjectKind::parse(kind).map(ObjectKind::label),
        Some(RecordFamily::Location) => PlaceType::parse(kind).map(PlaceType::label),
        Some(RecordFamily::Event) => EventKind::parse(kind).map(EventKind::label),
        None => None,
    };
    known
        .map(str::to_owned)
        .unwrap_or_else(|| crate::text::code_label(kind))
}

#[component]
fn RecordCard(hit: RecordHit) -> impl IntoView {
    let family = RecordFamily::parse(&hit.family);
    let kind = kind_label(family, &hit.kind);
    let body = view! {
        <span class="hit-kind">
            <span class="badge badge-kind" data-testid="record-hit-kind">
                {kind}
            </span>
            {hit
                .handling_code
                .clone()
                .map(|code| {
                    view! {
                        <span class="badge badge-handling" data-testid="record-hit-handling-code">
                            {format!("Handling code {code}")}
                        </span>
                    }
                })}
        </span>
        {hit
            .reference
            .clone()
            .map(|reference| {
                view! {
                    <span class="hit-title" data-testid="record-hit-reference">
                        {reference}
                    </span>
                }
            })}
        // An event is known by its reference; a vehicle or a place by the
        // summary, which leads with the registration mark or the address.
        <span
            class=if hit.reference.is_some() { "hit-summary" } else { "hit-title" }
            data-testid="record-hit-summary"
        >
            {hit.summary.clone()}
        </span>
        <MatchScore score=hit.score />
    };
    let id = hit.id.to_string();
    view! {
        <li>
            {match family {
                Some(family) => {
                    view! {
                        <a class="hit-card" href=family.href(hit.id) data-testid="record-hit" data-record-id=id>
                            {body}
                        </a>
                    }
                        .into_any()
                }
                // A family this screen does not know how to open: shown, not linked.
                None => {
                    view! {
                        <div class="hit-card" data-testid="record-hit" data-record-id=id>
                            {body}
                        </div>
                    }
                        .into_any()
                }
            }}
        </li>
    }
}
