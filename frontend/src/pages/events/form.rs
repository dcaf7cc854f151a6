//! Recording a new event and correcting one.
//!
//! The form applies the same rules as the server (`EventInput::validate`,
//! with the force's search policy) before anything is sent, shows each
//! message under its field and all of them at the top, and sends nothing
//! while any remain. The server's own per-field messages land the same way.

use super::draft::{Draft, subject_roles};
use super::inputs::{FormState, Kind};
use super::when::{input_to_wire, now_input, to_input};
use super::{ErrorSummary, fetch_event};
use crate::api::{self, ApiError};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::working_context::RequireContext;
use crate::session::{Session, use_session};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::error::{ErrorCode, FieldErrors, Problem};
use shared::events::{Event, EventInput, EventKind, RuleContext, SearchPolicy};
use shared::ids::PersonId;
use shared::links::{LinkRole, NewLink, RecordKey, RecordType, SubjectCategory};
use shared::people::Person;
use uuid::Uuid;

/// The force's policy; the defaults are the safe ones if it cannot be had.
async fn policy(session: Session) -> SearchPolicy {
    api::search_policy(session).await.unwrap_or_default()
}

/// `/events/new?kind=stop_search&person=<id>`: the kind chooser until a
/// kind is given; opened from a person's record, the event is linked to
/// them.
#[component]
pub fn NewEvent() -> impl IntoView {
    let query = use_query_map();
    let kind = move || {
        query
            .with(|q| q.get("kind"))
            .and_then(|k| EventKind::parse(&k))
    };
    let person = move || query.with(|q| q.get("person")).filter(|p| !p.is_empty());
    move || match (kind(), person()) {
        (None, person) => view! { <KindChooser person /> }.into_any(),
        (Some(kind), None) => view! { <NewEventForm kind person=None /> }.into_any(),
        // Looking up who the subject is consults their record.
        (Some(kind), Some(person)) => view! {
            <RequireContext>
                <NewEventForm kind person=Some(person.clone()) />
            </RequireContext>
        }
        .into_any(),
    }
}

#[component]
fn KindChooser(person: Option<String>) -> impl IntoView {
    let suffix = person.map(|p| format!("&person={p}")).unwrap_or_default();
    view! {
        <section class="card kind-chooser" data-testid="event-kind-chooser">
            <h1>"Record an event"</h1>
            <p class="form-intro">"What are you recording?"</p>
            <ul class="kind-list">
                {EventKind::ALL
                    .iter()
                    .map(|k| {
                        view! {
                            <li>
                                <a
                                    class="button kind-option"
                                    href=format!("/events/new?kind={}{suffix}", k.as_str())
                                    data-testid=format!("event-kind-{}", k.as_str())
                                >
                                    {k.label()}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn NewEventForm(kind: EventKind, person: Option<String>) -> impl IntoView {
    let session = use_session();
    let loaded = LocalResource::new(move || {
        let person = person.clone();
        async move {
            let subject = match person {
                Some(id) => {
                    let id = id
                        .parse::<PersonId>()
                        .map_err(|_| ApiError::Problem(Problem::new(ErrorCode::NotFound)))?;
                    Some(api::get_person(session, id).await?)
                }
                None => None,
            };
            Ok::<_, ApiError>((subject, policy(session).await))
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok((subject, policy)) => {
                        view! { <EventForm kind existing=None subject policy reload=Callback::new(|()| ()) /> }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditEvent() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let loaded = LocalResource::new(move || {
        let id = params.with(|p| p.get("id")).unwrap_or_default();
        async move {
            let event = fetch_event(session, id).await?;
            Ok::<_, ApiError>((event, policy(session).await))
        }
    });
    // After a 412 the user reloads: the form starts again from the record as
    // it now stands.
    let reload = Callback::new(move |()| loaded.refetch());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok((event, policy)) => {
                        let kind = event.kind;
                        view! { <EventForm kind existing=Some(event) subject=None policy reload /> }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EventForm(
    kind: EventKind,
    existing: Option<Event>,
    subject: Option<Person>,
    policy: SearchPolicy,
    reload: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    // The version the edit started from, sent as If-Match so that a change
    // saved by someone else meanwhile is never silently overwritten.
    let editing = existing.as_ref().map(|e| (e.id, e.version));
    let event_id = editing.map(|(id, _)| id).unwrap_or_else(Uuid::new_v4);
    let occurred_at = RwSignal::new(
        existing
            .as_ref()
            .map(|e| to_input(e.occurred_at))
            .unwrap_or_else(now_input),
    );
    let draft = Draft::new(
        kind,
        existing.as_ref().map(|e| &e.details),
        subject.as_ref(),
    );
    let roles = subject_roles(kind);
    let role = RwSignal::new(roles[0]);
    let category = RwSignal::new(Some(roles[0].default_category()));
    let subject_id = subject.as_ref().map(|p| p.id);

    let input = move || {
        let (details, missing) = draft.details();
        let links = subject_id
            .map(|id| {
                vec![NewLink {
                    from: None,
                    to: RecordKey {
                        record_type: RecordType::Person,
                        id: id.0,
                    },
                    role: role.get(),
                    subject_category: category.get(),
                }]
            })
            .unwrap_or_default();
        let input = EventInput {
            occurred_at: input_to_wire(&occurred_at.get()),
            details,
            links,
        };
        (input, missing)
    };
    let rule_policy = policy.clone();
    let check = move |input: &EventInput, mut missing: FieldErrors| {
        let ctx = RuleContext::new(chrono::Utc::now(), rule_policy.clone());
        if let Err(broken) = input.validate(event_id, &ctx) {
            missing.0.extend(broken.0);
        }
        missing
    };
    let rules = Memo::new({
        let check = check.clone();
        move |_| {
            let (input, missing) = input();
            check(&input, missing)
        }
    });
    let form = FormState::new(rules);
    let banner = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    // One key per submission: sending the same form again after a lost
    // answer reuses it, so the server makes the event once.
    let attempt = StoredValue::new(None::<(EventInput, Uuid)>);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        form.submitted.set(true);
        if busy.get_untracked() {
            return;
        }
        let (input, missing) = untrack(input);
        if !check(&input, missing).is_empty() {
            focus_later("event-error-summary");
            return;
        }
        busy.set(true);
        banner.set(None);
        let key = attempt
            .with_value(|a| {
                a.as_ref()
                    .filter(|(sent, _)| *sent == input)
                    .map(|(_, k)| *k)
            })
            .unwrap_or_else(Uuid::new_v4);
        attempt.set_value(Some((input.clone(), key)));
        let navigate = navigate.clone();
        spawn_local(async move {
            let saved = match editing {
                Some((id, version)) => api::update_event(session, id, version, &input).await,
                None => api::create_event(session, &input, key).await,
            };
            match saved {
                Ok(event) => {
                    let next = match subject_id {
                        Some(person) if editing.is_none() => format!("/people/{person}"),
                        _ => format!("/events/{}", event.id),
                    };
                    navigate(&next, Default::default());
                }
                Err(error) => {
                    let fields = error.field_errors();
                    if !fields.is_empty() {
                        form.server.try_set(fields);
                        focus_later("event-error-summary");
                    }
                    banner.try_set(Some(error));
                    busy.try_set(false);
                }
            }
        });
    };

    let heading = match &existing {
        Some(e) => format!("Edit {}", e.reference),
        None => format!("New {}", kind.label().to_lowercase()),
    };
    let cancel_href = match (&existing, subject_id) {
        (Some(e), _) => format!("/events/{}", e.id),
        (None, Some(person)) => format!("/people/{person}"),
        (None, None) => "/events".to_owned(),
    };
    let section = draft.section(form, occurred_at, policy);

    view! {
        <form class="card event-form" data-testid="event-form" data-kind=kind.as_str() novalidate on:submit=on_submit>
            <h1>{heading}</h1>
            {move || {
                banner
                    .get()
                    .and_then(|error| match error {
                        ApiError::Problem(p) if p.code == ErrorCode::PreconditionFailed => {
                            Some(view! { <Conflict reload /> }.into_any())
                        }
                        // The summary below lists them field by field.
                        ApiError::Problem(p) if p.code == ErrorCode::Validation => None,
                        error => Some(view! { <ErrorBanner error /> }.into_any()),
                    })
            }}
            <ErrorSummary form />
            {subject.map(|person| view! { <Subject form person kind role category /> })}
            <fieldset class="form-section">
                <legend>"When"</legend>
                {form
                    .field("occurred_at", "When it happened")
                    .hint("Date and time, on this device's clock")
                    .text(Kind::DateTime, (move || occurred_at.get(), move |v| occurred_at.set(v)))}
            </fieldset>
            {section}
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="event-submit"
                    disabled=move || busy.get()
                >
                    {move || if busy.get() { "Saving…" } else { "Save" }}
                </button>
                <a class="button" href=cancel_href data-testid="event-cancel">
                    "Cancel"
                </a>
            </div>
        </form>
    }
}

/// Who the event is about, when it was opened from their record, and the
/// part they play: the category of data subject lives on this link.
#[component]
fn Subject(
    form: FormState,
    person: Person,
    kind: EventKind,
    role: RwSignal<LinkRole>,
    category: RwSignal<Option<SubjectCategory>>,
) -> impl IntoView {
    let roles = subject_roles(kind);
    let choose_role = move |r: LinkRole| {
        role.set(r);
        category.set(Some(r.default_category()));
    };
    view! {
        <section class="subject" data-testid="event-subject">
            <p class="subject-name">
                "Subject: " <strong data-testid="event-subject-name">{person.display_name()}</strong>
            </p>
            <div class="field-grid">
                {(roles.len() > 1)
                    .then(|| {
                        form.field("links[0].role", "Their part in it")
                            .pick_from(roles, (move || role.get(), choose_role))
                    })}
                {form
                    .field("links[0].subject_category", "Recorded as")
                    .hint("Category of data subject (DPA 2018 s.38(3))")
                    .choice((move || category.get(), move |v| category.set(v)))}
            </div>
        </section>
    }
}

/// Someone else saved the event after this form was opened (412): say so
/// plainly and offer to start again from their version.
#[component]
fn Conflict(reload: Callback<()>) -> impl IntoView {
    view! {
        <div class="banner banner-error" role="alert" data-testid="event-conflict">
            <p class="banner-title">"This record was changed by someone else while you were editing it"</p>
            <p>"Your changes have not been saved. Reload to see the record as it now stands, then make your changes again."</p>
            <button type="button" class="button" data-testid="event-reload" on:click=move |_| reload.run(())>
                "Reload the record"
            </button>
        </div>
    }
}

/// Moves focus once the view has caught up, so a screen reader (and the
/// eye) lands on the summary of what to correct.
fn focus_later(id: &'static str) {
    request_animation_frame(move || super::focus(id));
}
