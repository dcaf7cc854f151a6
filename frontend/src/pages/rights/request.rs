//! One case: its reference, state and clock first (a late answer is the
//! failure this screen exists to prevent), then the requester and their
//! identity, the subjects, what may be done next, the pack item by item,
//! the response, and the timeline of who did what.

use super::actions::Actions;
use super::answer::Answer;
use super::decisions::Decisions;
use super::erasure::ErasureSection;
use super::identity::IdentitySection;
use super::rectify::RectificationSection;
use super::response::Response;
use super::restrict::RestrictionSection;
use super::subjects::Subjects;
use super::timeline::{CompileSummaryView, Timeline};
use super::{case_id, days_left_text, status_badge, today, uk};
use crate::api::{self, ApiError};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::session::{Session, use_session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::error::FieldErrors;
use shared::permissions::Permission;
use shared::rights::pack::WorkingPack;
use shared::rights::{RequestKind, RightsRequest};
use std::future::Future;
use uuid::Uuid;

#[component]
pub fn RightsRequestPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let loaded = LocalResource::new(move || {
        let raw = params.with(|p| p.get("id")).unwrap_or_default();
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        async move { api::rights::get_request(session, case_id(&raw)?).await }
    });
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(case) => view! { <Case case /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The case as the page shows it, and the means to change it: each change
/// answers with the case as the server now holds it, which replaces this.
#[derive(Clone, Copy)]
pub(super) struct CaseState {
    pub session: Session,
    pub case: RwSignal<RightsRequest>,
    /// A change is in flight: every control waits.
    pub busy: RwSignal<bool>,
    /// A refusal that belongs to no one field.
    pub banner: RwSignal<Option<ApiError>>,
    /// The latest compile with its decisions saved, once fetched.
    pub pack: RwSignal<Option<WorkingPack>>,
    /// Decisions made on the page and not yet saved: release waits.
    pub unsaved: RwSignal<usize>,
}

impl CaseState {
    pub fn id(self) -> Uuid {
        self.case.with_untracked(|c| c.id)
    }

    /// The data protection officer may still change the case.
    pub fn can_change(self) -> bool {
        self.session.can(Permission::RightsManage) && self.case.with(|c| c.status.is_open())
    }

    /// Sends one change. Per-field refusals go to `errors`, anything else
    /// to the page's banner; `done` runs once the change is made.
    pub fn change<Fut>(
        self,
        errors: RwSignal<FieldErrors>,
        call: impl FnOnce(Session, Uuid) -> Fut + 'static,
        done: impl FnOnce() + 'static,
    ) where
        Fut: Future<Output = Result<RightsRequest, ApiError>> + 'static,
    {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.banner.set(None);
        errors.set(FieldErrors::default());
        let id = self.id();
        spawn_local(async move {
            match call(self.session, id).await {
                Ok(case) => {
                    self.case.try_set(case);
                    done();
                }
                Err(error) => self.refused(error, errors),
            }
            self.busy.try_set(false);
        });
    }

    pub fn refused(self, error: ApiError, errors: RwSignal<FieldErrors>) {
        let fields = error.field_errors();
        if fields.is_empty() {
            self.banner.try_set(Some(error));
        } else {
            errors.try_set(fields);
        }
    }

    /// Fetches the case again, after an action that answers with something
    /// else (a compile, a release, decisions).
    pub async fn reload(self) {
        match api::rights::get_request(self.session, self.id()).await {
            Ok(case) => {
                self.case.try_set(case);
            }
            Err(error) => {
                self.banner.try_set(Some(error));
            }
        }
    }
}

#[component]
fn Case(case: RightsRequest) -> impl IntoView {
    let session = use_session();
    let state = CaseState {
        session,
        case: RwSignal::new(case),
        busy: RwSignal::new(false),
        banner: RwSignal::new(None),
        pack: RwSignal::new(None),
        unsaved: RwSignal::new(0),
    };
    let case = state.case;
    let kind = move || case.with(|c| c.kind);
    let access = move || kind() == RequestKind::Access;
    let compiled = move || case.with(|c| c.compiled.is_some());
    let released = move || case.with(|c| c.released_at.is_some());
    view! {
        <section class="rights-case" data-testid="rights-case">
            <div class="page-heading">
                <h1>
                    <span data-testid="rights-case-reference">{move || case.with(|c| c.reference.clone())}</span>
                    {move || status_badge(case.with(|c| c.status))}
                </h1>
                <a class="button" href="/rights" data-testid="rights-back">
                    "All requests"
                </a>
            </div>
            <p class="rights-kind" data-testid="rights-case-kind">
                {move || case.with(|c| c.kind.label())}
            </p>
            {move || state.banner.get().map(|error| view! { <ErrorBanner error /> })}
            <ClockView case />
            <div class="rights-columns">
                <Requester case />
                <IdentitySection state />
            </div>
            <Subjects state />
            // The other rights: the work on the subjects' records, then the answer.
            <Show when=move || kind() == RequestKind::Erasure>
                <ErasureSection state />
            </Show>
            <Show when=move || kind() == RequestKind::Rectification>
                <RectificationSection state />
            </Show>
            <Show when=move || kind() == RequestKind::Restriction>
                <RestrictionSection state />
            </Show>
            <Show when=move || !access()>
                <Answer state />
            </Show>
            // Once released, what is left to do is send the files: first.
            <Show when=move || access() && released()>
                <Response state />
            </Show>
            <Actions state />
            <Show when=compiled>
                <CompileSummaryView case />
            </Show>
            <Show when=move || access() && compiled()>
                <Decisions state />
            </Show>
            <Show when=move || access() && !released()>
                <Response state />
            </Show>
            <Timeline case />
        </section>
    }
}

/// Due date and days left, marked overdue or paused in words.
#[component]
fn ClockView(case: RwSignal<RightsRequest>) -> impl IntoView {
    move || {
        let c = case.get();
        let open = c.status.is_open();
        let clock = c.clock;
        let late = open && clock.overdue;
        let class = if late {
            "rights-clock rights-clock-overdue"
        } else {
            "rights-clock"
        };
        let extension = (clock.extension_months > 0).then(|| {
            let months = clock.extension_months;
            format!(
                "Extended by {months} month{}: {}",
                if months == 1 { "" } else { "s" },
                clock.extension_reason.clone().unwrap_or_default()
            )
        });
        view! {
            <div class=class data-testid="rights-clock">
                <dl class="details">
                    <dt>"Due"</dt>
                    <dd data-testid="rights-due">
                        {clock.due_on.map(uk).unwrap_or_else(|| "Not yet: the clock starts once identity is proved".to_owned())}
                    </dd>
                    <dt>"Days left"</dt>
                    <dd>
                        {late.then(|| view! { <span class="badge badge-overdue" data-testid="rights-overdue">"Overdue"</span> " " })}
                        {(open && clock.paused)
                            .then(|| view! { <span class="badge badge-paused" data-testid="rights-paused">"Paused"</span> " " })}
                        <span data-testid="rights-days-left">
                            {days_left_text(open, clock.days_left, clock.overdue, clock.paused)}
                        </span>
                    </dd>
                    <dt>"Clock started"</dt>
                    <dd>{clock.starts_on.map(uk).unwrap_or_else(|| "Not yet".to_owned())}</dd>
                    {clock.paused_since.map(|since| view! { <dt>"Paused since"</dt> <dd>{uk(since)}</dd> })}
                    {(open && clock.extension_months == 0)
                        .then_some(clock.extension_deadline)
                        .flatten()
                        .map(|last| {
                            // Only inside the first month (s.54(3)): say when that passed.
                            let (term, text) = if last >= today() {
                                ("Extension possible until", uk(last))
                            } else {
                                ("Extension", format!("No longer possible: the first month ended on {}", uk(last)))
                            };
                            view! { <dt>{term}</dt> <dd>{text}</dd> }
                        })}
                    {extension.map(|text| view! { <dt>"Extension"</dt> <dd data-testid="rights-extension">{text}</dd> })}
                    {c.released_at
                        .map(|at| view! { <dt>"Released"</dt> <dd>{at.format("%d/%m/%Y %H:%M").to_string()}</dd> })}
                    {c.closing_reason.map(|why| view! { <dt>"Why closed"</dt> <dd class="multiline">{why}</dd> })}
                    {c.neither_confirm_nor_deny
                        .map(|why| {
                            view! {
                                <dt>"Response"</dt>
                                <dd data-testid="rights-ncnd">{format!("Neither confirm nor deny (s.45(5)): {why}")}</dd>
                            }
                        })}
                </dl>
            </div>
        }
    }
}

#[component]
fn Requester(case: RwSignal<RightsRequest>) -> impl IntoView {
    move || {
        let c = case.get();
        view! {
            <section class="card rights-requester" data-testid="rights-requester">
                <h2>"Requester"</h2>
                <dl class="details">
                    <dt>"Name"</dt>
                    <dd data-testid="rights-requester-name">{c.requester_name}</dd>
                    <dt>"Contact"</dt>
                    <dd class="multiline">{c.requester_contact}</dd>
                    <dt>"Received"</dt>
                    <dd data-testid="rights-received">{uk(c.received_on)}</dd>
                    {c.notes.map(|notes| view! { <dt>"Notes"</dt> <dd class="multiline">{notes}</dd> })}
                </dl>
            </section>
        }
    }
}
