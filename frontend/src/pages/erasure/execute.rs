//! Erase: only once every passage is confirmed, and after a second tap
//! that says what erasing does. A refusal because the records changed
//! since the plan (a hold placed, a record linked) offers a new plan.

use super::passages::set_error;
use super::plan::{PlanState, SUMMARY};
use super::plural;
use crate::api::{self, ApiError};
use crate::components::error_summary::focus_later;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::error::{ErrorCode, FieldError};

/// The passages a 409 names as unconfirmed, by number.
fn unconfirmed(error: &ApiError) -> Vec<(usize, FieldError)> {
    let ApiError::Problem(p) = error else {
        return Vec::new();
    };
    if p.code != ErrorCode::Conflict {
        return Vec::new();
    }
    p.errors
        .iter()
        .filter_map(|e| {
            let n = e.field.strip_prefix("passages[")?.strip_suffix(']')?;
            Some((n.parse().ok()?, e.clone()))
        })
        .collect()
}

#[component]
pub fn Execute(state: PlanState) -> impl IntoView {
    let navigate = use_navigate();
    let confirming = RwSignal::new(false);
    // The records changed since the plan: it must be made again.
    let stale = RwSignal::new(false);
    let left = move || state.plan.with(|p| p.unconfirmed);
    let summary = StoredValue::new(state.plan.with_untracked(|p| {
        format!(
            "It deletes the person and {}, removes them from {}, redacts {} and restricts {} under a legal hold, in one transaction, then purges the search index and searches every table, index and file for what is left. It cannot be undone.",
            plural(p.delete.len(), "record", "records"),
            plural(p.unlink.len(), "kept record", "kept records"),
            plural(p.passages.len(), "passage", "passages"),
            plural(p.restrict.len(), "item", "items"),
        )
    }));
    let go = navigate.clone();
    let erase = Callback::new(move |()| {
        if state.busy.get_untracked() {
            return;
        }
        state.busy.set(true);
        state.banner.set(None);
        let request = state.request;
        let navigate = go.clone();
        spawn_local(async move {
            match api::erasure::execute(state.session, state.id()).await {
                Ok(issued) => {
                    let id = issued.certificate.id;
                    navigate(
                        &format!("/erasure-certificates/{id}?request={request}"),
                        Default::default(),
                    );
                }
                Err(error) => {
                    let passages = unconfirmed(&error);
                    if !passages.is_empty() {
                        for (n, e) in passages {
                            set_error(state, n, Some(e));
                        }
                        focus_later(SUMMARY);
                    } else if matches!(&error, ApiError::Problem(p) if p.code == ErrorCode::Conflict)
                    {
                        stale.try_set(true);
                    } else if let Ok(plan) = api::erasure::get_plan(state.session, state.id()).await
                    {
                        // A failure after the commit (the certificate not yet
                        // issued) leaves the plan run: show it so.
                        state.plan.try_set(plan);
                    }
                    state.banner.try_set(Some(error));
                }
            }
            confirming.try_set(false);
            state.busy.try_set(false);
        });
    });
    let replan = Callback::new(move |()| {
        if state.busy.get_untracked() {
            return;
        }
        state.busy.set(true);
        state.banner.set(None);
        let (request, person) = (state.request, state.plan.with_untracked(|p| p.person));
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::erasure::plan_for_request(state.session, request, person).await {
                Ok(plan) => {
                    navigate(
                        &format!("/rights/{request}/erasure/{}", plan.id),
                        Default::default(),
                    );
                }
                Err(error) => {
                    state.banner.try_set(Some(error));
                }
            }
            state.busy.try_set(false);
        });
    });
    view! {
        <Show when=move || !state.ran()>
            <section class="card erasure-section erasure-execute" data-testid="erasure-execute-section">
                <h2>"Erase"</h2>
                <Show when=move || stale.get()>
                    <button
                        type="button"
                        class="button button-primary"
                        data-testid="erasure-replan"
                        disabled=move || state.busy.get()
                        on:click=move |_| replan.run(())
                    >
                        "Make the plan again"
                    </button>
                </Show>
                {move || {
                    (left() > 0)
                        .then(|| {
                            view! {
                                <p class="field-error" data-testid="erasure-execute-blocked">
                                    {format!("Confirm every passage first: {} still to confirm.", plural(left(), "passage", "passages"))}
                                </p>
                            }
                        })
                }}
                <Show
                    when=move || confirming.get()
                    fallback=move || {
                        view! {
                            <button
                                type="button"
                                class="button button-danger"
                                data-testid="erasure-execute"
                                disabled=move || { left() > 0 || state.busy.get() || stale.get() }
                                on:click=move |_| confirming.set(true)
                            >
                                "Erase"
                            </button>
                        }
                    }
                >
                    <div class="banner banner-error" role="alert" data-testid="erasure-execute-confirm-panel">
                        <p class="banner-title">"Erase this person now?"</p>
                        <p>{summary.get_value()}</p>
                        <div class="form-actions">
                            <button
                                type="button"
                                class="button button-danger"
                                data-testid="erasure-execute-confirm"
                                disabled=move || state.busy.get()
                                on:click=move |_| erase.run(())
                            >
                                {move || if state.busy.get() { "Erasing…" } else { "Erase now" }}
                            </button>
                            <button type="button" class="button" data-testid="erasure-execute-cancel" on:click=move |_| confirming.set(false)>
                                "Not yet"
                            </button>
                        </div>
                    </div>
                </Show>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::error::Problem;

    #[test]
    fn the_passages_a_refusal_names_are_read_by_number() {
        let mut p = Problem::new(ErrorCode::Conflict);
        p.errors = vec![
            FieldError::new("passages[2]", "unconfirmed", "Confirm"),
            FieldError::new("legal_hold", "held", "Legal hold"),
        ];
        let found = unconfirmed(&ApiError::Problem(p));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 2);
    }
}
