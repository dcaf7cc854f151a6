//! An erasure request on the case page: for each subject, the means to
//! plan their erasure (nothing is erased until the plan is confirmed on
//! its own page), and the certificates issued on the request so far.

use super::request::CaseState;
use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::ids::PersonId;
use shared::permissions::Permission;
use shared::rights::TimelineEntry;
use uuid::Uuid;

/// The certificates the timeline names ("erasure carried out",
/// "Certificate <id>"): the case keeps no other list of them.
fn certificates(timeline: &[TimelineEntry]) -> Vec<Uuid> {
    timeline
        .iter()
        .filter(|e| e.what == "erasure carried out")
        .filter_map(|e| {
            e.detail
                .as_deref()?
                .strip_prefix("Certificate ")?
                .trim()
                .parse()
                .ok()
        })
        .collect()
}

#[component]
pub fn ErasureSection(state: CaseState) -> impl IntoView {
    let navigate = use_navigate();
    let banner = RwSignal::new(None::<ApiError>);
    let issued = move || state.case.with(|c| certificates(&c.timeline));
    let may_plan = move || state.can_change() && state.session.can(Permission::PersonErase);
    let plan = Callback::new(move |person: PersonId| {
        if state.busy.get_untracked() {
            return;
        }
        state.busy.set(true);
        banner.set(None);
        let request = state.id();
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::erasure::plan_for_request(state.session, request, person).await {
                Ok(plan) => {
                    navigate(
                        &format!("/rights/{request}/erasure/{}", plan.id),
                        Default::default(),
                    );
                }
                // A legal hold (409, named) or a person not attached (422).
                Err(error) => {
                    banner.try_set(Some(error));
                }
            }
            state.busy.try_set(false);
        });
    });
    view! {
        <section class="card rights-erasure" data-testid="rights-erasure">
            <h2>"Erasure"</h2>
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
            <Show when=may_plan>
                <p class="muted">
                    "Plan the erasure of each subject: the plan shows what will be deleted, kept without them, restricted instead and kept, before anything is erased."
                </p>
                <div class="form-actions">
                    {move || {
                        state
                            .case
                            .with(|c| c.subjects.clone())
                            .into_iter()
                            .map(|s| {
                                let person = s.person_id;
                                view! {
                                    <button
                                        type="button"
                                        class="button button-primary"
                                        data-testid="rights-plan-erasure"
                                        data-person-id=person.to_string()
                                        disabled=move || state.busy.get()
                                        on:click=move |_| plan.run(person)
                                    >
                                        {format!("Plan the erasure of {}", s.name)}
                                    </button>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </Show>
            {move || {
                let list = issued();
                (!list.is_empty())
                    .then(|| {
                        let request = state.id();
                        view! {
                            <h3>"Certificates of erasure"</h3>
                            <ul class="erasure-list">
                                {list
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <li>
                                                <a
                                                    class="button"
                                                    href=format!("/erasure-certificates/{c}?request={request}")
                                                    data-testid="rights-certificate-link"
                                                >
                                                    {format!("Certificate {c}")}
                                                </a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn certificates_are_read_from_the_timeline() {
        let id = Uuid::new_v4();
        let entry = |what: &str, detail: Option<String>| TimelineEntry {
            at: Utc::now(),
            by: "dpo".into(),
            what: what.into(),
            detail,
        };
        let timeline = vec![
            entry("Subject attached", None),
            entry("erasure carried out", Some(format!("Certificate {id}"))),
        ];
        assert_eq!(certificates(&timeline), vec![id]);
    }
}
