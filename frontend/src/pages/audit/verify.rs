//! Checking the hash chain and its signed checkpoints now, on request.
//! A break is shown first and loudest: it means the log may have been
//! altered and the data protection officer must be told.

use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::audit::{VerifyFailure, VerifyReport};

#[component]
pub fn Verify() -> impl IntoView {
    let session = use_session();
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<VerifyReport, ApiError>>);
    let run = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        result.set(None);
        spawn_local(async move {
            let report = api::verify_audit(session).await;
            result.try_set(Some(report));
            busy.try_set(false);
        });
    };
    view! {
        <section class="card audit-verify" data-testid="audit-verify-panel">
            <div class="page-heading">
                <h2>"Integrity of the log"</h2>
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="audit-verify"
                    disabled=move || busy.get()
                    on:click=run
                >
                    {move || if busy.get() { "Verifying…" } else { "Verify the chain" }}
                </button>
            </div>
            <p class="form-intro">
                "Recomputes every link of the hash chain and checks each signed checkpoint."
            </p>
            {move || {
                result
                    .get()
                    .map(|outcome| match outcome {
                        Ok(report) => view! { <Report report /> }.into_any(),
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    })
            }}
        </section>
    }
}

#[component]
fn Report(report: VerifyReport) -> impl IntoView {
    let waiting = (report.awaiting_seal > 0).then(|| {
        view! {
            <p data-testid="audit-verify-awaiting">
                {format!(
                    "{} newer event{} not yet sealed into the chain (normal for a second or so).",
                    report.awaiting_seal,
                    if report.awaiting_seal == 1 { " is" } else { "s are" },
                )}
            </p>
        }
    });
    if !report.ok {
        return view! {
            <div class="banner banner-error verify-broken" role="alert" data-testid="audit-verify-failure">
                <p class="banner-title">"The chain is broken: the log may have been altered"</p>
                {match report.first_failure {
                    Some(failure) => view! { <Failure failure /> }.into_any(),
                    None => view! { <p>"The server gave no detail of the failure."</p> }.into_any(),
                }}
                <p>"Tell the data protection officer now, and keep this result."</p>
                {waiting}
            </div>
        }
        .into_any();
    }
    let summary = if report.events_verified == 0 {
        "Chain intact: no sealed events yet".to_owned()
    } else {
        format!(
            "Chain intact: positions {}–{}, {} event{}, {} checkpoint{}",
            report.from_position,
            report.to_position,
            report.events_verified,
            if report.events_verified == 1 { "" } else { "s" },
            report.checkpoints_verified,
            if report.checkpoints_verified == 1 {
                ""
            } else {
                "s"
            },
        )
    };
    view! {
        <div class="banner banner-ok" role="status" data-testid="audit-verify-ok">
            <p class="banner-title" data-testid="audit-verify-summary">{summary}</p>
            {report
                .head_hash
                .map(|hash| {
                    view! {
                        <p>
                            "Head " <code class="hash" data-testid="audit-verify-head">{hash}</code>
                        </p>
                    }
                })}
            {waiting}
        </div>
    }
    .into_any()
}

#[component]
fn Failure(failure: VerifyFailure) -> impl IntoView {
    let position = failure
        .position
        .map(|p| p.to_string())
        .unwrap_or_else(|| "unknown".to_owned());
    let event = match (failure.event_seq, failure.event_id) {
        (Some(seq), Some(id)) => format!("event {seq} ({id})"),
        (Some(seq), None) => format!("event {seq}"),
        (None, Some(id)) => format!("event {id}"),
        (None, None) => "no single event".to_owned(),
    };
    view! {
        <dl class="details verify-failure">
            <dt>"Position"</dt>
            <dd data-testid="audit-verify-failure-position">{position}</dd>
            <dt>"Event"</dt>
            <dd data-testid="audit-verify-failure-event">{event}</dd>
            <dt>"Reason"</dt>
            <dd data-testid="audit-verify-failure-reason">{failure.reason}</dd>
        </dl>
    }
}
