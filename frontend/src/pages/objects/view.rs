//! One object: its details, an exhibit's chain of custody, and what it is
//! linked to.

use super::form::local_time;
use super::{PERSON_ROLES, fetch_object};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::record_links::RecordLinks;
use crate::components::statements::{Statements, restricted_badge};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::links::{RecordKey, RecordType};
use shared::objects::{Object, ObjectDetails};
use shared::permissions::Permission;

#[component]
pub fn ObjectView() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let object = LocalResource::new(move || {
        let id = params.with(|p| p.get("id")).unwrap_or_default();
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        fetch_object(session, id)
    });
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match object.await {
                    Ok(object) => view! { <Details object /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn or_not_recorded(value: &str) -> String {
    if value.is_empty() {
        "Not recorded".to_owned()
    } else {
        value.to_owned()
    }
}

/// Label and value pairs of the kind's details, with the test id suffix.
fn rows(details: &ObjectDetails) -> Vec<(&'static str, &'static str, String)> {
    match details {
        ObjectDetails::Vehicle(v) => vec![
            ("Registration mark", "vrm", v.vrm.clone()),
            ("Make", "make", v.make.clone()),
            ("Model", "model", v.model.clone()),
            ("Colour", "colour", v.colour.clone()),
        ],
        ObjectDetails::Property(p) => vec![
            ("Description", "description", p.description.clone()),
            (
                "Exhibit reference",
                "exhibit-reference",
                p.exhibit_reference.clone(),
            ),
            ("Seal number", "seal-number", p.seal_number.clone()),
        ],
        ObjectDetails::Phone(p) => vec![
            ("Make", "make", p.make.clone()),
            ("Model", "model", p.model.clone()),
            ("IMEI", "imei", p.imei.clone()),
            ("Phone number", "number", p.number.clone()),
        ],
        ObjectDetails::Weapon(w) => vec![
            ("Type of weapon", "weapon-type", w.weapon_type.clone()),
            ("Description", "description", w.description.clone()),
        ],
    }
}

#[component]
fn Details(object: Object) -> impl IntoView {
    let session = use_session();
    let edit_href = format!("/objects/{}/edit", object.id);
    let this = RecordKey {
        record_type: RecordType::Object,
        id: object.id,
    };
    let chain = match &object.details {
        ObjectDetails::Property(p) => Some(p.chain_of_custody.clone()),
        _ => None,
    };
    view! {
        <article class="card record" data-testid="object-view">
            <div class="page-heading">
                <h1 data-testid="object-summary">
                    {object.summary.clone()}
                    <span class="badge badge-kind" data-testid="object-kind">{object.kind.label()}</span>
                    {restricted_badge(object.restricted, "record-restricted")}
                </h1>
                <div class="heading-actions">
                    <Show when=move || session.can(Permission::RecordUpdate)>
                        <a class="button button-primary" href=edit_href.clone() data-testid="object-edit">
                            "Edit"
                        </a>
                    </Show>
                </div>
            </div>
            <Statements statements=object.statements.clone() />
            <dl class="details">
                {rows(&object.details)
                    .into_iter()
                    .map(|(label, name, value)| {
                        view! {
                            <dt>{label}</dt>
                            <dd data-testid=format!("object-view-{name}")>{or_not_recorded(&value)}</dd>
                        }
                    })
                    .collect_view()}
                <dt>"Last changed"</dt>
                <dd>{object.updated_at.format("%d/%m/%Y %H:%M UTC").to_string()}</dd>
            </dl>
            {chain
                .map(|chain| {
                    view! {
                        <section class="profile-section" aria-labelledby="custody-heading">
                            <h2 id="custody-heading">"Chain of custody"</h2>
                            {if chain.is_empty() {
                                view! { <p class="empty">"No hand-overs recorded."</p> }.into_any()
                            } else {
                                view! {
                                    <ol class="record-list custody" data-testid="object-custody">
                                        {chain
                                            .into_iter()
                                            .map(|t| {
                                                view! {
                                                    <li class="record-row" data-testid="object-custody-row">
                                                        <span class="record-title">{t.held_by.clone()}</span>
                                                        <span class="record-when">{local_time(&t.at)}</span>
                                                        <span class="record-summary">{t.location.clone()}</span>
                                                        <span class="record-role">{t.reason.clone()}</span>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ol>
                                }
                                    .into_any()
                            }}
                        </section>
                    }
                })}
            <RecordLinks this links=object.links.clone() roles=PERSON_ROLES />
            <a class="button" href="/objects" data-testid="back-to-objects">
                "Back to objects"
            </a>
        </article>
    }
}
