//! The signed checkpoints of the chain head, which outside parties hold so
//! that a rewritten log cannot match them. Fetched on request: every
//! reading of the log is itself an audited consultation.

use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::audit::CheckpointView;

#[component]
pub fn Checkpoints() -> impl IntoView {
    let session = use_session();
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<Vec<CheckpointView>, ApiError>>);
    let load = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let list = api::audit_checkpoints(session).await;
            result.try_set(Some(list));
            busy.try_set(false);
        });
    };
    view! {
        <section class="card audit-checkpoints" data-testid="audit-checkpoints-panel">
            <div class="page-heading">
                <h2>"Signed checkpoints"</h2>
                <button
                    type="button"
                    class="button"
                    data-testid="audit-checkpoints-load"
                    disabled=move || busy.get()
                    on:click=load
                >
                    {move || match (busy.get(), result.with(Option::is_some)) {
                        (true, _) => "Loading…",
                        (false, true) => "Refresh",
                        (false, false) => "Show checkpoints",
                    }}
                </button>
            </div>
            <p class="muted">
                "The latest 100. Every one, for an outside party to hold: "
                <code>"GET /api/v1/audit/checkpoints?from=0"</code>
                ", paged."
            </p>
            {move || {
                result
                    .get()
                    .map(|list| match list {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <p class="empty" data-testid="audit-checkpoints-empty">
                                    "No checkpoints signed yet."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="checkpoints" data-testid="audit-checkpoints">
                                    {list.into_iter().map(|c| view! { <Checkpoint checkpoint=c /> }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    })
            }}
        </section>
    }
}

#[component]
fn Checkpoint(checkpoint: CheckpointView) -> impl IntoView {
    view! {
        <li class="checkpoint" data-testid="audit-checkpoint">
            <dl class="details">
                <dt>"Position"</dt>
                <dd data-testid="audit-checkpoint-position">{checkpoint.position}</dd>
                <dt>"Signed"</dt>
                <dd>{checkpoint.signed_at.format("%d/%m/%Y %H:%M:%S UTC").to_string()}</dd>
                <dt>"Key"</dt>
                <dd class="mono">{checkpoint.key_id}</dd>
                <dt>"Chain hash"</dt>
                <dd>
                    <code class="hash">{checkpoint.chain_hash}</code>
                </dd>
            </dl>
            <details>
                <summary>"Signature and signed text"</summary>
                <dl class="details">
                    <dt>"Public key"</dt>
                    <dd>
                        <code class="hash">{checkpoint.public_key}</code>
                    </dd>
                    <dt>"Signature"</dt>
                    <dd>
                        <code class="hash">{checkpoint.signature}</code>
                    </dd>
                    <dt>"Message"</dt>
                    <dd>
                        <pre class="hash">{checkpoint.message}</pre>
                    </dd>
                </dl>
            </details>
        </li>
    }
}
