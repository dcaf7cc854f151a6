//! The response as the subject would receive it under the decisions made:
//! the letter, the records with their released fields, who received them,
//! who has seen them, and what the law says the subject must be told. A
//! page to read before release and to print; printing hides the app.

use super::response::{Release, ResponseFiles};
use super::{case_id, uk};
use crate::api::{self, ApiError};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::error::ErrorCode;
use shared::permissions::Permission;
use shared::rights::RightsRequest;
use shared::rights::pack::{
    ConsultationHistory, DisclosureEntry, ProcessingInformation, ReleasedRecord, SubjectAccessPack,
};

#[component]
pub fn ResponsePreview() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let loaded = LocalResource::new(move || {
        let raw = params.with(|p| p.get("id")).unwrap_or_default();
        let _ = session.working_context();
        async move {
            let id = case_id(&raw)?;
            let case = api::rights::get_request(session, id).await?;
            let pack = api::rights::preview(session, id).await;
            Ok::<_, ApiError>((case, pack))
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok((case, Ok(pack))) => view! { <Preview case pack /> }.into_any(),
                    Ok((case, Err(error))) => view! { <NotReady case error /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The pack cannot be built yet: say why, naming the undecided items.
#[component]
fn NotReady(case: RightsRequest, error: ApiError) -> impl IntoView {
    let undecided: Vec<String> = match &error {
        ApiError::Problem(p) if p.code == ErrorCode::Conflict => {
            p.errors.iter().map(|e| e.message.clone()).collect()
        }
        _ => Vec::new(),
    };
    view! {
        <section class="rights-preview" data-testid="rights-preview-page">
            <div class="page-heading">
                <h1>{format!("Response to {}", case.reference)}</h1>
                <a class="button" href=format!("/rights/{}", case.id) data-testid="rights-preview-back">
                    "Back to the request"
                </a>
            </div>
            <ErrorBanner error />
            {(!undecided.is_empty())
                .then(|| {
                    view! {
                        <ul data-testid="rights-preview-undecided">
                            {undecided.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                        </ul>
                    }
                })}
        </section>
    }
}

#[component]
fn Preview(case: RightsRequest, pack: SubjectAccessPack) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let id = case.id;
    let releasable = session.can(Permission::RightsManage) && case.status.is_open();
    let released = case.released_at.is_some();
    let on_released =
        Callback::new(move |()| navigate(&format!("/rights/{id}"), Default::default()));
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    let requester = case.requester_name.clone();
    // The page shows what would go out, so it is decided: nothing blocks.
    let blocked: Signal<Option<String>> = Signal::derive(|| None);
    view! {
        <section class="rights-preview" data-testid="rights-preview-page">
            <div class="page-heading rights-preview-controls">
                <h1>{if released { "Response as released" } else { "Preview of the response" }}</h1>
                <div class="heading-actions">
                    <button type="button" class="button" data-testid="rights-print" on:click=print>
                        "Print"
                    </button>
                    <a class="button" href=format!("/rights/{id}") data-testid="rights-preview-back">
                        "Back to the request"
                    </a>
                </div>
            </div>
            <article class="card rights-pack" data-testid="rights-pack">
                <header class="rights-pack-head">
                    <p class="rights-pack-controller">{pack.controller.clone()}</p>
                    <p>{format!("Our reference: {}", pack.reference)}</p>
                    <p>{pack.generated_at.format("%-d %B %Y").to_string()}</p>
                    <p class="multiline">{format!("{}\n{}", pack.requester_name, pack.requester_contact)}</p>
                </header>
                <section class="rights-letter" data-testid="rights-letter">
                    {pack.letter.iter().map(|p| view! { <p class="multiline">{p.clone()}</p> }).collect_view()}
                </section>
                {(!pack.records.is_empty()).then(|| view! { <Records records=pack.records.clone() /> })}
                {(!pack.recipients.is_empty()).then(|| view! { <Recipients recipients=pack.recipients.clone() /> })}
                {pack.consultations.clone().map(|history| view! { <WhoHasSeen history /> })}
                {pack.processing.clone().map(|info| view! { <Processing info /> })}
                <footer class="rights-pack-foot">{format!("Reference {} · received {}", pack.reference, uk(pack.received_on))}</footer>
            </article>
            <div class="rights-preview-controls">
                {(releasable && !released)
                    .then(|| {
                        view! {
                            <Release id requester=requester.clone() blocked on_released />
                        }
                    })}
                {released.then(|| view! { <ResponseFiles id /> })}
            </div>
        </section>
    }
}

#[component]
fn Records(records: Vec<ReleasedRecord>) -> impl IntoView {
    view! {
        <section class="rights-pack-section" data-testid="rights-pack-records">
            <h2>"The personal data we hold about you"</h2>
            {records
                .into_iter()
                .map(|r| {
                    let part = match (r.role, r.subject_category) {
                        (Some(role), Some(category)) => Some(format!("Your part: {role} (recorded as {category})")),
                        (Some(role), None) => Some(format!("Your part: {role}")),
                        _ => None,
                    };
                    view! {
                        <section class="rights-pack-record" data-testid="rights-pack-record">
                            <h3>{r.title}</h3>
                            {part.map(|p| view! { <p>{p}</p> })}
                            <p class="muted">{format!("Where it came from: {}", r.source)}</p>
                            <dl class="details">
                                {r.fields
                                    .into_iter()
                                    .map(|(label, value)| view! { <dt>{label}</dt> <dd class="multiline">{value}</dd> })
                                    .collect_view()}
                            </dl>
                        </section>
                    }
                })
                .collect_view()}
        </section>
    }
}

#[component]
fn Recipients(recipients: Vec<DisclosureEntry>) -> impl IntoView {
    view! {
        <section class="rights-pack-section" data-testid="rights-pack-recipients">
            <h2>"Who your records were disclosed to"</h2>
            <ul>
                {recipients
                    .into_iter()
                    .map(|r| {
                        let purpose = r.purpose.map(|p| format!(" ({})", crate::text::code_label(&p))).unwrap_or_default();
                        view! { <li>{format!("{}: {}{purpose}", r.occurred_at.format("%d/%m/%Y"), r.recipient)}</li> }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn WhoHasSeen(history: ConsultationHistory) -> impl IntoView {
    view! {
        <section class="rights-pack-section" data-testid="rights-pack-consultations">
            <h2>"Who has seen your records"</h2>
            <ul>
                {history
                    .entries
                    .into_iter()
                    .map(|e| {
                        let purpose = e.purpose.map(|p| format!(" · for {}", crate::text::code_label(&p))).unwrap_or_default();
                        view! {
                            <li>
                                {format!("{} · {} · {}{purpose}", e.occurred_at.format("%d/%m/%Y %H:%M"), crate::text::sentence_case(&e.operation), e.by)}
                                <span class="muted">{format!(" · log position {}", e.position)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="muted">{history.how_to_verify}</p>
        </section>
    }
}

#[component]
fn Processing(info: ProcessingInformation) -> impl IntoView {
    let parts = [
        ("Why we process it", info.purposes),
        ("Our legal basis", info.legal_basis),
        ("What kinds of data", info.categories),
        ("How long we keep it", info.retention),
        ("Your other rights", info.your_rights),
        ("How to complain", info.complaints),
    ];
    view! {
        <section class="rights-pack-section" data-testid="rights-pack-processing">
            <h2>"About our processing"</h2>
            <dl class="details rights-processing">
                {parts.into_iter().map(|(label, text)| view! { <dt>{label}</dt> <dd>{text}</dd> }).collect_view()}
            </dl>
        </section>
    }
}
