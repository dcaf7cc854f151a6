//! The plan page (`/rights/:id/erasure/:plan`): what erasing the person
//! will do, item by item and why; the passages to confirm; and the act.
//! The lists are read once; confirming a passage answers with the plan as
//! it now stands, which replaces the one held here.

use super::execute::Execute;
use super::lists::PlanLists;
use super::passages::Passages;
use super::{plural, route_id};
use crate::api::{self, ApiError};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::error_summary::ErrorSummary;
use crate::components::form::FormState;
use crate::session::{Session, use_session};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::error::FieldErrors;
use shared::rights::erasure::ErasurePlan;
use uuid::Uuid;

pub(super) const SUMMARY: &str = "erasure-error-summary";
pub(super) const PREFIX: &str = "erasure-";

#[component]
pub fn ErasurePlanPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let loaded = LocalResource::new(move || {
        let (request, plan) = params.with(|p| (p.get("id"), p.get("plan")));
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        async move {
            let request = route_id(&request.unwrap_or_default())?;
            let plan = route_id(&plan.unwrap_or_default())?;
            Ok::<_, ApiError>((request, api::erasure::get_plan(session, plan).await?))
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok((request, plan)) => view! { <Plan request plan /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The plan as the page holds it, and what its parts share.
#[derive(Clone, Copy)]
pub(super) struct PlanState {
    pub session: Session,
    /// The erasure request the plan answers.
    pub request: Uuid,
    pub plan: RwSignal<ErasurePlan>,
    /// Refusals per passage, keyed `passages[n]` as the server keys them
    /// when it refuses to run: under each passage and in the summary.
    pub errors: RwSignal<FieldErrors>,
    pub form: FormState,
    /// A call is in flight: every control waits.
    pub busy: RwSignal<bool>,
    pub banner: RwSignal<Option<ApiError>>,
}

impl PlanState {
    pub fn id(self) -> Uuid {
        self.plan.with_untracked(|p| p.id)
    }

    pub fn ran(self) -> bool {
        self.plan.with(|p| p.executed_at.is_some())
    }

    /// Forgets the refusal shown for `field`, once the officer acts on it.
    pub fn clear(self, field: &str) {
        if self.errors.with_untracked(|e| e.for_field(field).is_some()) {
            self.errors.update(|e| e.0.retain(|x| x.field != field));
        }
    }
}

#[component]
fn Plan(request: Uuid, plan: ErasurePlan) -> impl IntoView {
    let errors = RwSignal::new(FieldErrors::default());
    let form = FormState::new(Memo::new(move |_| errors.get()));
    // Every refusal shows as soon as it is known: there is no rule to wait for.
    form.submit();
    let state = PlanState {
        session: use_session(),
        request,
        plan: RwSignal::new(plan.clone()),
        errors,
        form,
        busy: RwSignal::new(false),
        banner: RwSignal::new(None),
    };
    let merged = plan.people.len().saturating_sub(1);
    let who = if merged == 0 {
        "the person".to_owned()
    } else {
        format!(
            "the person and {} merged into them",
            plural(merged, "duplicate", "duplicates")
        )
    };
    let plan_id = plan.id.to_string();
    view! {
        <section class="erasure-plan" data-testid="erasure-plan" data-plan-id=plan_id>
            <div class="page-heading">
                <h1>"Erasure plan"</h1>
                <a class="button" href=format!("/rights/{request}") data-testid="erasure-back">
                    "Back to the request"
                </a>
            </div>
            <p class="form-intro">
                {format!(
                    "Erasing {who}, made {}. Nothing is erased until you confirm every passage and tap Erase. The search afterwards looks for {}.",
                    plan.created_at.format("%d/%m/%Y %H:%M"),
                    plural(plan.values_sought, "distinctive value", "distinctive values"),
                )}
            </p>
            <Ran state />
            {move || state.banner.get().map(|error| view! { <ErrorBanner error /> })}
            <ErrorSummary form id=SUMMARY prefix=PREFIX labels=Vec::new() />
            <PlanLists plan />
            <Passages state />
            <Execute state />
        </section>
    }
}

/// Once run: when, and the certificate.
#[component]
fn Ran(state: PlanState) -> impl IntoView {
    let request = state.request;
    move || {
        state.plan.with(|p| {
            p.executed_at.map(|at| {
                let certificate = p.certificate.map(|c| {
                    view! {
                        <a
                            class="button button-primary"
                            href=format!("/erasure-certificates/{c}?request={request}")
                            data-testid="erasure-certificate-link"
                        >
                            "Open the certificate"
                        </a>
                    }
                });
                view! {
                    <div class="banner banner-ok" role="status" data-testid="erasure-ran">
                        <p class="banner-title">{format!("Erased on {}", at.format("%d/%m/%Y %H:%M"))}</p>
                        {certificate}
                    </div>
                }
            })
        })
    }
}
