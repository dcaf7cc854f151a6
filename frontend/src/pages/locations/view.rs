//! One location: where it is, what kind of place, and what it is linked to.

use super::{PERSON_ROLES, fetch_location};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::record_links::RecordLinks;
use crate::components::statements::{Statements, restricted_badge};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::links::{RecordKey, RecordType};
use shared::locations::Location;
use shared::permissions::Permission;

#[component]
pub fn LocationView() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let location = LocalResource::new(move || {
        let id = params.with(|p| p.get("id")).unwrap_or_default();
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        fetch_location(session, id)
    });
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match location.await {
                    Ok(location) => view! { <Details location /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn or_not_recorded(value: String) -> String {
    if value.is_empty() {
        "Not recorded".to_owned()
    } else {
        value
    }
}

#[component]
fn Details(location: Location) -> impl IntoView {
    let session = use_session();
    let edit_href = format!("/locations/{}/edit", location.id);
    let this = RecordKey {
        record_type: RecordType::Location,
        id: location.id,
    };
    let d = location.details.clone();
    let point = match (d.latitude, d.longitude) {
        (Some(lat), Some(lon)) => format!("{lat:.5}, {lon:.5}"),
        _ => String::new(),
    };
    view! {
        <article class="card record" data-testid="location-view">
            <div class="page-heading">
                <h1 data-testid="location-summary">
                    {location.summary.clone()}
                    {restricted_badge(location.restricted, "record-restricted")}
                </h1>
                <div class="heading-actions">
                    <Show when=move || session.can(Permission::RecordUpdate)>
                        <a class="button button-primary" href=edit_href.clone() data-testid="location-edit">
                            "Edit"
                        </a>
                    </Show>
                </div>
            </div>
            <Statements statements=location.statements.clone() />
            <dl class="details">
                <dt>"Type of place"</dt>
                <dd data-testid="location-view-place-type">{d.place_type.label()}</dd>
                <dt>"Address"</dt>
                <dd class="multiline" data-testid="location-view-address">{or_not_recorded(d.address)}</dd>
                <dt>"Postcode"</dt>
                <dd data-testid="location-view-postcode">{or_not_recorded(d.postcode)}</dd>
                <dt>"Coordinates"</dt>
                <dd data-testid="location-view-coordinates">{or_not_recorded(point)}</dd>
                <dt>"Last changed"</dt>
                <dd>{location.updated_at.format("%d/%m/%Y %H:%M UTC").to_string()}</dd>
            </dl>
            <RecordLinks this links=location.links.clone() roles=PERSON_ROLES />
            <a class="button" href="/locations" data-testid="back-to-locations">
                "Back to locations"
            </a>
        </article>
    }
}
