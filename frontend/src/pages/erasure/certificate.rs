//! The certificate of an erasure (`/erasure-certificates/:id`): what went
//! by kind and number, what was kept without the person, restricted or
//! kept and why, and first what a search of every table, index and file
//! found afterwards. Ids and counts only: it names no one.

use super::{plural, route_id};
use crate::api;
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::file_offer::{FetchFile, FileOffer};
use crate::components::record_ref::short_id;
use crate::session::use_session;
use crate::text::code_label;
use futures::FutureExt;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::rights::erasure::{ErasureCertificate, IssuedCertificate, ProbeReport};
use uuid::Uuid;

#[component]
pub fn CertificatePage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let loaded = LocalResource::new(move || {
        let raw = params.with(|p| p.get("id")).unwrap_or_default();
        let _ = session.working_context();
        async move { api::erasure::get_certificate(session, route_id(&raw)?).await }
    });
    // Where the officer came from, to go back to.
    let request = use_query_map()
        .with_untracked(|q| q.get("request"))
        .and_then(|r| r.parse::<Uuid>().ok());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(issued) => view! { <Certificate issued request /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%d/%m/%Y %H:%M:%S UTC").to_string()
}

#[component]
fn Certificate(issued: IssuedCertificate, request: Option<Uuid>) -> impl IntoView {
    let session = use_session();
    let c = issued.certificate;
    let id = c.id;
    let pdf: FetchFile =
        Callback::new(move |()| api::erasure::certificate_pdf(session, id).boxed_local());
    let back = match request {
        Some(r) => (format!("/rights/{r}"), "Back to the request"),
        None => ("/rights".to_owned(), "Rights requests"),
    };
    view! {
        <article class="card erasure-certificate" data-testid="erasure-certificate">
            <div class="page-heading">
                <h1>"Certificate of erasure"</h1>
                <a class="button" href=back.0 data-testid="certificate-back">{back.1}</a>
            </div>
            <p class="certificate-id">
                "Certificate " <code data-testid="certificate-id">{id.to_string()}</code>
            </p>
            <Probe probe=c.probe.clone() />
            <div class="form-actions">
                <FileOffer fetch=pdf testid="certificate-pdf" label="Prepare the certificate PDF" />
            </div>
            <Facts c=c.clone() sha256=issued.sha256 />
            <Erased c />
        </article>
    }
}

/// The search afterwards: the line an auditor reads first.
#[component]
fn Probe(probe: ProbeReport) -> impl IntoView {
    let clean = probe.traces.is_empty();
    let class = if clean {
        "banner banner-ok certificate-probe"
    } else {
        "banner banner-error certificate-probe"
    };
    view! {
        <div class=class data-testid="certificate-probe">
            <p class="banner-title">
                "Search afterwards: " <span data-testid="certificate-probe-result">{probe.result.clone()}</span>
            </p>
            <p>
                {format!(
                    "Looked for {} in {} ({}), {} and {} under the data directory, in {} ms on {}.",
                    plural(probe.values_sought, "distinctive value", "distinctive values"),
                    plural(probe.tables, "table", "tables"),
                    plural(probe.columns, "column", "columns"),
                    plural(probe.indexes.len(), "search index", "search indexes"),
                    plural(probe.files, "file", "files"),
                    probe.took_ms,
                    when(probe.ran_at),
                )}
            </p>
            {(!clean)
                .then(|| {
                    view! {
                        <ul data-testid="certificate-traces">
                            {probe
                                .traces
                                .into_iter()
                                .map(|t| view! { <li>{format!("{}: {}", t.place, t.count)}</li> })
                                .collect_view()}
                        </ul>
                    }
                })}
        </div>
    }
}

#[component]
fn Facts(c: ErasureCertificate, sha256: String) -> impl IntoView {
    let roles = if c.authorised_roles.is_empty() {
        "Not recorded".to_owned()
    } else {
        c.authorised_roles
            .iter()
            .map(|r| code_label(r))
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <dl class="details" data-testid="certificate-facts">
            <dt>"Controller"</dt>
            <dd>{c.controller}</dd>
            {c.request.map(|r| view! { <dt>"Request"</dt> <dd data-testid="certificate-request">{r}</dd> })}
            {c.review.map(|r| view! { <dt>"Review"</dt> <dd>{r.to_string()}</dd> })}
            <dt>"Person (id)"</dt>
            <dd><code>{c.person.to_string()}</code></dd>
            <dt>"Authorised by"</dt>
            <dd>{roles}</dd>
            <dt>"Started"</dt>
            <dd>{when(c.started_at)}</dd>
            <dt>"Erased"</dt>
            <dd>{when(c.erased_at)}</dd>
            <dt>"Search index purged"</dt>
            <dd>{when(c.index_purged_at)}</dd>
            {c.audit_position.map(|p| view! { <dt>"Audit log position"</dt> <dd>{p.to_string()}</dd> })}
            <dt>"SHA-256"</dt>
            <dd><code class="hash" data-testid="certificate-sha256">{sha256}</code></dd>
        </dl>
    }
}

/// What went, and what stayed and why.
#[component]
fn Erased(c: ErasureCertificate) -> impl IntoView {
    view! {
        <section class="erasure-section" data-testid="certificate-erased">
            <h2>"Erased"</h2>
            <ul class="erasure-list">
                {c.erased
                    .into_iter()
                    .map(|k| {
                        view! {
                            <li class="erasure-entry" data-testid="certificate-erased-kind">
                                {format!("{} ({}): {}", code_label(&k.kind), k.record_type, k.count)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p data-testid="certificate-unlinked">
                {format!(
                    "Kept without the person: {}. Passages redacted: {}.",
                    plural(c.unlinked.len(), "record", "records"),
                    c.passages_redacted,
                )}
            </p>
            {(!c.unlinked.is_empty())
                .then(|| {
                    view! {
                        <ul class="erasure-ids">
                            {c.unlinked
                                .into_iter()
                                .map(|r| view! { <li>{format!("{} {}", r.record_type.label(), short_id(r.id))}</li> })
                                .collect_view()}
                        </ul>
                    }
                })}
        </section>
        {(!c.restricted.is_empty())
            .then(|| {
                view! {
                    <section class="erasure-section" data-testid="certificate-restricted">
                        <h2>"Restricted instead (legal hold)"</h2>
                        <ul class="erasure-list">
                            {c.restricted
                                .into_iter()
                                .map(|h| {
                                    view! {
                                        <li class="erasure-entry">
                                            {format!(
                                                "{} {} ({}): {}, review on {}",
                                                code_label(&h.kind),
                                                short_id(h.record.id),
                                                h.record.record_type.label(),
                                                h.hold_reason,
                                                h.review_on.format("%d/%m/%Y"),
                                            )}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
        <section class="erasure-section" data-testid="certificate-copies">
            <h2>"Other copies removed"</h2>
            <ul class="erasure-list">
                {c.copies
                    .into_iter()
                    .map(|t| view! { <li class="erasure-entry">{format!("{}: {}", code_label(&t.place), t.count)}</li> })
                    .collect_view()}
            </ul>
        </section>
        {(!c.kept.is_empty())
            .then(|| {
                view! {
                    <section class="erasure-section" data-testid="certificate-kept">
                        <h2>"Kept, and why"</h2>
                        <dl class="kept-list">
                            {c.kept
                                .into_iter()
                                .map(|k| view! { <dt>{k.what}</dt> <dd>{k.why}</dd> })
                                .collect_view()}
                        </dl>
                    </section>
                }
            })}
    }
}
