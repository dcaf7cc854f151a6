//! Why the person is in their group (each event with the group it falls
//! in, the gravest setting the group) and the reviews made before.

use super::group_text;
use crate::text::{code_label, uk_date};
use leptos::prelude::*;
use shared::rights::retention::{GroupedEvent, PastReview, RiskQuestion};

#[component]
pub fn GroupedEvents(events: Vec<GroupedEvent>) -> impl IntoView {
    view! {
        <section class="card retention-section" data-testid="retention-events">
            <h2>{format!("Events ({})", events.len())}</h2>
            {if events.is_empty() {
                view! { <p class="muted">"No event: the clear period runs from the day the record was made."</p> }
                    .into_any()
            } else {
                view! {
                    <ul class="erasure-list">
                        {events
                            .into_iter()
                            .map(|e| {
                                let title = format!(
                                    "{} {}",
                                    code_label(&e.kind),
                                    e.reference.clone().unwrap_or_default(),
                                );
                                view! {
                                    <li class="erasure-entry" data-testid="retention-event" data-group=e.group.to_string()>
                                        <a class="record-ref" href=format!("/events/{}", e.id)>{title}</a>
                                        <span class="erasure-reason">
                                            {format!(
                                                "{} · {}",
                                                e.occurred_on.map(uk_date).unwrap_or_else(|| "Date not recorded".to_owned()),
                                                group_text(e.group),
                                            )}
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

fn answers(yes: &[String]) -> String {
    if yes.is_empty() {
        return "Every answer no".to_owned();
    }
    let labels: Vec<&str> = yes
        .iter()
        .map(|code| RiskQuestion::parse(code).map_or(code.as_str(), |q| q.label()))
        .collect();
    format!("Yes to: {}", labels.join(" "))
}

#[component]
pub fn PastReviews(past: Vec<PastReview>) -> impl IntoView {
    (!past.is_empty()).then(|| {
        view! {
            <section class="card retention-section" data-testid="retention-past">
                <h2>{format!("Reviews before ({})", past.len())}</h2>
                <ul class="restriction-rows">
                    {past
                        .into_iter()
                        .map(|r| {
                            view! {
                                <li class="restriction-row" data-testid="retention-past-review">
                                    <dl class="details">
                                        <dt>"Reviewed"</dt>
                                        <dd>{r.reviewed_at.format("%d/%m/%Y").to_string()}</dd>
                                        <dt>"Decision"</dt>
                                        <dd>{code_label(&r.decision)}</dd>
                                        <dt>"Group then"</dt>
                                        <dd>{group_text(r.group)}</dd>
                                        <dt>"Answers"</dt>
                                        <dd>{answers(&r.yes)}</dd>
                                        {r.rationale.map(|why| view! { <dt>"Why"</dt> <dd class="multiline">{why}</dd> })}
                                        {r.next_review_on.map(|on| view! { <dt>"Next review set"</dt> <dd>{uk_date(on)}</dd> })}
                                    </dl>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}
