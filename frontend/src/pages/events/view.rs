//! One event's record: every field of its kind in words, and what it is
//! linked to.

use super::inputs::{Code, path_id};
use super::when::{uk, uk_date, uk_stored};
use super::{fetch_event, status_label};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::statements::{Statements, restricted_badge};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::events::{
    CaseFile, CustodyRecord, Event, EventDetails, IntelligenceReport, Occurrence, StopSearch,
};
use shared::links::{Link, RecordType};
use shared::permissions::Permission;

#[component]
pub fn EventView() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let event = LocalResource::new(move || {
        let id = params.with(|p| p.get("id")).unwrap_or_default();
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        fetch_event(session, id)
    });
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match event.await {
                    Ok(event) => view! { <Record event /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One line of the record; `path` names it for tests as the form does.
fn row(path: &str, label: &'static str, value: String) -> impl IntoView + use<> {
    let value = if value.trim().is_empty() {
        "Not recorded".to_owned()
    } else {
        value
    };
    view! {
        <dt>{label}</dt>
        <dd data-testid=format!("event-{}", path_id(path))>{value}</dd>
    }
}

fn code<T: Code>(value: Option<T>) -> String {
    value.map(|v| v.name().to_owned()).unwrap_or_default()
}

fn yes_no(value: bool) -> String {
    if value { "Yes" } else { "No" }.to_owned()
}

#[component]
fn Record(event: Event) -> impl IntoView {
    let session = use_session();
    // Imported 5x5x5 reports are kept exactly as they came.
    let read_only =
        matches!(&event.details, EventDetails::Intelligence(r) if r.legacy_grading.is_some());
    let can_edit = move || session.can(Permission::RecordUpdate) && !read_only;
    let edit_href = format!("/events/{}/edit", event.id);
    let details = match &event.details {
        EventDetails::Occurrence(o) => occurrence(o).into_any(),
        EventDetails::Intelligence(r) => intelligence(r).into_any(),
        EventDetails::Custody(c) => custody(c).into_any(),
        EventDetails::StopSearch(s) => stop_search(s, &event).into_any(),
        EventDetails::CaseFile(f) => case_file(f).into_any(),
    };
    let me = event.id;
    view! {
        <article class="card event" data-testid="event-view" data-kind=event.kind.as_str()>
            <div class="page-heading">
                <h1>
                    <span data-testid="event-reference">{event.reference.clone()}</span>
                    <span class="badge badge-kind" data-testid="event-kind">{event.kind.label()}</span>
                    {restricted_badge(event.restricted, "record-restricted")}
                </h1>
                <div class="heading-actions">
                    <Show when=can_edit>
                        <a class="button button-primary" href=edit_href.clone() data-testid="event-edit">
                            "Edit"
                        </a>
                    </Show>
                </div>
            </div>
            <p class="event-summary-line" data-testid="event-summary">{event.summary.clone()}</p>
            <Statements statements=event.statements.clone() />
            <dl class="details">
                {row("occurred_at", "When", uk(event.occurred_at))}
                {row("status", "Status", status_label(event.kind, &event.status))}
                {details}
                <dt>"Last changed"</dt>
                <dd>{uk(event.updated_at)}</dd>
            </dl>
            <Links links=event.links.clone() me />
            <a class="button" href="/events" data-testid="back-to-events">
                "Back to events"
            </a>
        </article>
    }
}

fn occurrence(o: &Occurrence) -> impl IntoView + use<> {
    view! {
        {row("details.classification", "Offence or incident", o.classification.clone())}
        {row("details.offence_code", "Home Office code", o.offence_code.clone())}
        {row("details.officer_in_case", "Officer in case", o.officer_in_case.clone())}
        {row("details.narrative", "What happened", o.narrative.clone())}
    }
}

fn intelligence(r: &IntelligenceReport) -> impl IntoView + use<> {
    let grading = match &r.legacy_grading {
        Some(g) => format!(
            "{}/{}/{} (5x5x5, imported)",
            g.source, g.intelligence, g.handling
        ),
        None => r.grading(),
    };
    let content = r
        .content
        .iter()
        .map(|item| {
            view! {
                <li>
                    <span class="badge badge-kind">{item.nature.label()}</span>
                    " "
                    {item.text.clone()}
                </li>
            }
        })
        .collect_view();
    view! {
        {row("details.grading", "Grading", grading)}
        {row("details.source_evaluation", "Source evaluation", r.source_evaluation.label().to_owned())}
        {row("details.intelligence_assessment", "Intelligence assessment", r.intelligence_assessment.label().to_owned())}
        {row("details.handling", "Handling code", r.handling.label().to_owned())}
        {row("details.handling_conditions", "Handling conditions", r.handling_conditions.clone())}
        <dt>"The intelligence"</dt>
        <dd data-testid="event-details-content">
            <ul class="plain-list">{content}</ul>
        </dd>
        // Present only for those who may know sources.
        {r.source_identity.clone().map(|s| row("details.source_identity", "Source identity", s))}
    }
}

fn custody(c: &CustodyRecord) -> impl IntoView + use<> {
    let clock = c.clock_expires_at().map(uk).unwrap_or_default();
    let reviews = c
        .reviews
        .iter()
        .map(|r| {
            let outcome = if r.continued { "detention continued" } else { "release ordered" };
            view! { <li>{format!("{}: {}, {}", uk_stored(&r.at), r.reviewing_officer, outcome)}</li> }
        })
        .collect_view();
    view! {
        {row("details.custody_suite", "Custody suite", c.custody_suite.clone())}
        {row("details.arrested_at", "Arrested at", uk_stored(&c.arrested_at))}
        {row("details.arrived_at", "Arrived at", uk_stored(&c.arrived_at))}
        {row("details.clock", "Detention clock ends", clock)}
        {row("details.arrest_reason", "Reason for arrest", c.arrest_reason.clone())}
        {row("details.detention_authorised_by", "Detention authorised by", c.detention_authorised_by.clone())}
        {row("details.rights_given_at", "Rights given at", uk_stored(&c.rights_given_at))}
        {row("details.appropriate_adult", "Appropriate adult", c.appropriate_adult.clone())}
        {row("details.search", "Search", code(c.search))}
        {row("details.search_authorised_by", "Search authorised by", c.search_authorised_by.clone())}
        <dt>"Reviews of detention"</dt>
        <dd data-testid="event-details-reviews">
            {if c.reviews.is_empty() {
                "None recorded".into_any()
            } else {
                view! { <ul class="plain-list">{reviews}</ul> }.into_any()
            }}
        </dd>
        {row("details.released_at", "Released at", uk_stored(&c.released_at))}
        {row("details.release_outcome", "Release outcome", code(c.release_outcome))}
    }
}

fn stop_search(s: &StopSearch, event: &Event) -> impl IntoView + use<> {
    let child = s.is_child(event.occurred_at);
    let officers = s
        .officers_present
        .iter()
        .map(|o| {
            let sex = o.sex.map(|s| s.label()).unwrap_or("sex not recorded");
            view! { <li>{format!("{} ({sex})", o.identity)}</li> }
        })
        .collect_view();
    let authorised = match (s.authorising_officer.is_empty(), s.authorising_rank) {
        (true, None) => String::new(),
        (_, Some(rank)) => format!("{} ({})", s.authorising_officer, rank.label()),
        (false, None) => s.authorising_officer.clone(),
    };
    let absence = match s.adult_absence_ground {
        Some(ground) => format!("{}: {}", ground.label(), s.adult_absence_reason),
        None => String::new(),
    };
    view! {
        {row("details.search_type", "Type of search", code(s.search_type))}
        {row("details.legal_power", "Legal power", code(s.legal_power))}
        {row("details.object_of_search", "Object of search", code(s.object_of_search))}
        {row("details.grounds", "Grounds", s.grounds.clone())}
        <dt>"Date of birth"</dt>
        <dd data-testid="event-details-subject-date-of-birth">
            {uk_date(&s.subject_date_of_birth)}
            {child
                .then(|| {
                    view! {
                        " "
                        <span class="badge badge-child" data-testid="event-child">
                            "Child (under 18 on the date of the search)"
                        </span>
                    }
                })}
        </dd>
        {row("details.subject_sex", "Sex", code(s.subject_sex))}
        {row("details.self_defined_ethnicity", "Self-defined ethnicity", code(s.self_defined_ethnicity))}
        {row("details.place_type", "Type of place", code(s.place_type))}
        {row("details.address", "Address", s.address.clone())}
        {row("details.postcode", "Postcode", s.postcode.clone())}
        <dt>"Officers present"</dt>
        <dd data-testid="event-details-officers-present">
            {if s.officers_present.is_empty() {
                "None recorded".into_any()
            } else {
                view! { <ul class="plain-list">{officers}</ul> }.into_any()
            }}
        </dd>
        {row("details.authorising_officer", "Authorised by", authorised)}
        {row("details.appropriate_adult", "Appropriate adult", s.appropriate_adult.clone())}
        {(!absence.is_empty()).then(|| row("details.adult_absence_ground", "No appropriate adult because", absence))}
        {row("details.parent_notified_at", "Parent or guardian told at", uk_stored(&s.parent_notified_at))}
        {row("details.outcome", "Outcome", code(s.outcome))}
        {row("details.outcome_detail", "Outcome detail", s.outcome_detail.clone())}
        {row("details.safeguarding_referral", "Safeguarding referral", yes_no(s.safeguarding_referral))}
    }
}

fn case_file(f: &CaseFile) -> impl IntoView + use<> {
    let charges = f
        .charges
        .iter()
        .map(|c| view! { <li>{format!("{}: {}", c.offence_code, c.wording)}</li> })
        .collect_view();
    view! {
        {row("details.file_status", "File status", f.file_status.label().to_owned())}
        <dt>"Charges"</dt>
        <dd data-testid="event-details-charges">
            {if f.charges.is_empty() {
                "None yet".into_any()
            } else {
                view! { <ul class="plain-list">{charges}</ul> }.into_any()
            }}
        </dd>
        {row("details.court", "Court", f.court.clone())}
        {row("details.first_hearing", "First hearing", uk_date(&f.first_hearing))}
    }
}

/// Where the far end of a link is read, if it has a screen.
fn href(record_type: RecordType, id: uuid::Uuid) -> String {
    match record_type {
        RecordType::Person => format!("/people/{id}"),
        RecordType::Event => format!("/events/{id}"),
        RecordType::Object => format!("/objects/{id}"),
        RecordType::Location => format!("/locations/{id}"),
    }
}

#[component]
fn Links(links: Vec<Link>, me: uuid::Uuid) -> impl IntoView {
    if links.is_empty() {
        return view! {
            <section class="event-links">
                <h2>"Linked records"</h2>
                <p class="empty" data-testid="event-links-empty">"Nothing linked yet."</p>
            </section>
        }
        .into_any();
    }
    let rows = links
        .into_iter()
        .map(|link| {
            // The link is seen from this event: show its other end.
            let other = if link.from.id == me && link.from.record_type == RecordType::Event {
                link.to
            } else {
                link.from
            };
            let category = link
                .subject_category
                .map(|c| format!(" · recorded as {}", c.label().to_lowercase()))
                .unwrap_or_default();
            view! {
                <li class="link-row" data-testid="event-link" data-type=other.record_type.as_str()>
                    <a href=href(other.record_type, other.id) data-testid="event-link-record">
                        {format!("{}: {}", other.record_type.label(), link.role.label())}
                    </a>
                    <span class="link-meta">{category}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="event-links">
            <h2>"Linked records"</h2>
            <ul class="link-list" data-testid="event-links">{rows}</ul>
        </section>
    }
    .into_any()
}
