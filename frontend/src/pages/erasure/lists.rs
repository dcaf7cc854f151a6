//! The plan's lists, each with the reason in words: what is deleted, what
//! is kept without the person, what a legal hold keeps restricted instead,
//! and what is kept on purpose. Records are named by kind and reference,
//! never by what they say.

use super::reason_text;
use crate::components::record_ref::RecordRef;
use leptos::prelude::*;
use shared::rights::erasure::{ErasurePlan, HeldEntry, KeptEntry, PlanEntry};

#[component]
pub fn PlanLists(plan: ErasurePlan) -> impl IntoView {
    // Once the plan has run the deleted records are gone: no links to them.
    let ran = plan.executed_at.is_some();
    view! {
        <Entries
            heading="Deleted"
            intro="These records go entirely, with every copy."
            testid="erasure-delete"
            entries=plan.delete
            gone=true
        />
        <Entries
            heading="Kept without the person"
            intro="These records are about others too: they stay, but lose the link to the person and every copy of their data."
            testid="erasure-unlink"
            entries=plan.unlink
            gone=ran
        />
        <Held entries=plan.restrict />
        <Kept entries=plan.keep />
    }
}

#[component]
fn Entries(
    heading: &'static str,
    intro: &'static str,
    testid: &'static str,
    entries: Vec<PlanEntry>,
    gone: bool,
) -> impl IntoView {
    view! {
        <section class="card erasure-section" data-testid=format!("{testid}-section")>
            <h2>{format!("{heading} ({})", entries.len())}</h2>
            {if entries.is_empty() {
                view! { <p class="muted">"None."</p> }.into_any()
            } else {
                view! {
                    <p class="muted">{intro}</p>
                    <ul class="erasure-list">
                        {entries
                            .into_iter()
                            .map(|e| {
                                view! {
                                    <li
                                        class="erasure-entry"
                                        data-testid=testid
                                        data-record-type=e.record.record_type.as_str()
                                        data-record-id=e.record.id.to_string()
                                    >
                                        <RecordRef
                                            record=e.record
                                            kind=e.kind.clone()
                                            reference=e.reference.clone().unwrap_or_default()
                                            unlinked=gone
                                        />
                                        <span class="erasure-reason" data-testid="erasure-reason">
                                            {reason_text(&e.reason)}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn Held(entries: Vec<HeldEntry>) -> impl IntoView {
    (!entries.is_empty()).then(|| {
        view! {
            <section class="card erasure-section" data-testid="erasure-restrict-section">
                <h2>{format!("Restricted instead ({})", entries.len())}</h2>
                <p class="muted">
                    "A legal hold keeps these: they are restricted (s.47(2)), kept apart and out of ordinary processing, until the hold is lifted."
                </p>
                <ul class="erasure-list">
                    {entries
                        .into_iter()
                        .map(|h| {
                            view! {
                                <li class="erasure-entry" data-testid="erasure-restrict" data-record-id=h.record.id.to_string()>
                                    <RecordRef record=h.record kind=h.kind.clone() />
                                    <span class="erasure-reason">
                                        {format!(
                                            "Legal hold: {} (review on {})",
                                            h.hold_reason,
                                            h.review_on.format("%d/%m/%Y"),
                                        )}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn Kept(entries: Vec<KeptEntry>) -> impl IntoView {
    (!entries.is_empty()).then(|| {
        view! {
            <section class="card erasure-section" data-testid="erasure-keep-section">
                <h2>"Kept, and why"</h2>
                <dl class="kept-list">
                    {entries
                        .into_iter()
                        .map(|k| {
                            view! {
                                <dt data-testid="erasure-keep">{k.what}</dt>
                                <dd>{k.why}</dd>
                            }
                        })
                        .collect_view()}
                </dl>
            </section>
        }
    })
}
