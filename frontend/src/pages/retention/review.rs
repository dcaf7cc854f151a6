//! One person's review (`/retention/:person`): who, their group and why,
//! the clear period and review date, reviews before and legal holds; then
//! the six questions, and afterwards what the review decided.

use super::form::ReviewForm;
use super::history::{GroupedEvents, PastReviews};
use super::{group_text, name_of};
use crate::api::{self, ApiError};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::session::use_session;
use crate::text::uk_date;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::error::{ErrorCode, Problem};
use shared::ids::PersonId;
use shared::rights::retention::{RetentionCase, ReviewOutcome};

#[component]
pub fn ReviewPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let loaded = LocalResource::new(move || {
        let raw = params.with(|p| p.get("person")).unwrap_or_default();
        let _ = session.working_context();
        async move {
            let person: PersonId = raw
                .parse()
                .map_err(|_| ApiError::Problem(Problem::new(ErrorCode::NotFound)))?;
            api::retention::case(session, person).await
        }
    });
    // The queue moved on since it was read (a new event restarted the
    // clear period): read the case again.
    let reload = Callback::new(move |()| loaded.refetch());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(case) => view! { <Review case reload /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Review(case: RetentionCase, reload: Callback<()>) -> impl IntoView {
    let outcome = RwSignal::new(None::<ReviewOutcome>);
    let due = case.due.clone();
    let holds = case.holds;
    let person = due.person.to_string();
    let for_form = StoredValue::new(due.clone());
    view! {
        <section class="retention-review" data-testid="retention-review" data-person-id=person>
            <div class="page-heading">
                <h1 data-testid="retention-name">{name_of(&due)}</h1>
                <a class="button" href="/retention" data-testid="retention-back">"Reviews due"</a>
            </div>
            <dl class="details card" data-testid="retention-summary">
                <dt>"Born"</dt>
                <dd>{due.date_of_birth.map(uk_date).unwrap_or_else(|| "Not known".to_owned())}</dd>
                <dt>"Group"</dt>
                <dd data-testid="retention-group">{group_text(due.group)}</dd>
                <dt>"Clear period from"</dt>
                <dd>{uk_date(due.clear_from)}</dd>
                <dt>"Review due"</dt>
                <dd data-testid="retention-due">{uk_date(due.next_review_on)}</dd>
                {case.retained_until.map(|on| view! { <dt>"Retained until"</dt> <dd>{uk_date(on)}</dd> })}
                <dt>"Legal holds"</dt>
                <dd data-testid="retention-holds">
                    {match holds {
                        0 => "None".to_owned(),
                        n => format!("{n}: disposal would restrict what they hold instead of erasing it"),
                    }}
                </dd>
            </dl>
            <GroupedEvents events=case.events />
            <PastReviews past=case.past />
            {move || match outcome.get() {
                Some(done) => view! { <Outcome done /> }.into_any(),
                None => {
                    let due = for_form.get_value();
                    view! { <ReviewForm due holds outcome reload /> }.into_any()
                }
            }}
        </section>
    }
}

/// What the review decided: retained until a date, or disposed of, with
/// the certificate of the erasure.
#[component]
fn Outcome(done: ReviewOutcome) -> impl IntoView {
    let retained = done.decision == "retain";
    let text = if retained {
        "Retained: the records are still needed."
    } else {
        "Disposed of: the person and every record only about them were erased."
    };
    view! {
        <div class="banner banner-ok" role="status" data-testid="retention-outcome" data-decision=done.decision.clone()>
            <p class="banner-title">{text}</p>
            {done
                .next_review_on
                .map(|on| {
                    view! {
                        <p>
                            "Next review due on " <strong data-testid="retention-next-review">{uk_date(on)}</strong>
                        </p>
                    }
                })}
            <div class="form-actions">
                {done
                    .certificate
                    .map(|c| {
                        view! {
                            <a class="button button-primary" href=format!("/erasure-certificates/{c}") data-testid="retention-certificate-link">
                                "Open the certificate of erasure"
                            </a>
                        }
                    })}
                <a class="button" href="/retention" data-testid="retention-back-to-queue">"Back to reviews due"</a>
            </div>
        </div>
    }
}
