//! Recording a location and correcting one. The form checks the same rules
//! as the server (`LocationInput::validate`) before anything is sent.

use super::{PERSON_ROLES, fetch_location};
use crate::api::{self, ApiError};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::form::{
    FormState, OnceKey, SelectInput, TextInput, person_from_query, save_banner,
};
use crate::components::record_links::{LinkOnCreate, link_to_person};
use crate::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::codes_police::PlaceType;
use shared::error::{FieldError, FieldErrors};
use shared::events::{RuleContext, SearchPolicy};
use shared::locations::{Location, LocationDetails, LocationInput};
use uuid::Uuid;

/// A coordinate as typed: empty is none, anything else must be a number.
fn coordinate(field: &str, raw: &str) -> Result<Option<f64>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .map(Some)
        .ok_or_else(|| FieldError::new(field, "format", "Enter a number such as 53.79648"))
}

fn shown(coordinate: Option<f64>) -> String {
    coordinate.map(|c| c.to_string()).unwrap_or_default()
}

#[component]
pub fn NewLocation() -> impl IntoView {
    view! { <LocationForm existing=None reload=Callback::new(|()| ()) /> }
}

#[component]
pub fn EditLocation() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let location = LocalResource::new(move || {
        let id = params.with(|p| p.get("id")).unwrap_or_default();
        fetch_location(session, id)
    });
    // After a 412 the form starts again from the record as it now stands.
    let reload = Callback::new(move |()| location.refetch());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match location.await {
                    Ok(location) => view! { <LocationForm existing=Some(location) reload /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LocationForm(existing: Option<Location>, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let id = existing.as_ref().map(|l| (l.id, l.version));
    // The location's own id, so a link to itself is caught.
    let own_id = id.map(|(id, _)| id).unwrap_or_else(Uuid::nil);
    let start = existing.as_ref().map(|l| l.details.clone());
    let address = RwSignal::new(
        start
            .as_ref()
            .map(|d| d.address.clone())
            .unwrap_or_default(),
    );
    let postcode = RwSignal::new(
        start
            .as_ref()
            .map(|d| d.postcode.clone())
            .unwrap_or_default(),
    );
    let latitude = RwSignal::new(shown(start.as_ref().and_then(|d| d.latitude)));
    let longitude = RwSignal::new(shown(start.as_ref().and_then(|d| d.longitude)));
    let place_type = RwSignal::new(start.map_or(PlaceType::ALL[0], |d| d.place_type));
    let person = if existing.is_none() {
        person_from_query()
    } else {
        None
    };
    let role = RwSignal::new(PERSON_ROLES[0]);
    let banner = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let key = OnceKey::<LocationInput>::new();

    // Coordinates are typed as text; one that is not a number is reported
    // here, the rest by the shared rules.
    let input = move || -> Result<LocationInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let lat = errors.check(coordinate("details.latitude", &latitude.get()));
        let lon = errors.check(coordinate("details.longitude", &longitude.get()));
        let input = LocationInput {
            details: LocationDetails {
                address: address.get(),
                postcode: postcode.get(),
                latitude: lat.flatten(),
                longitude: lon.flatten(),
                place_type: place_type.get(),
            },
            links: link_to_person(person, role.get()),
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    };
    let rules = Memo::new(move |_| {
        let ctx = RuleContext::new(chrono::Utc::now(), SearchPolicy::default());
        match input() {
            Ok(input) => input.validate(own_id, &ctx).err().unwrap_or_default(),
            Err(errors) => errors,
        }
    });
    let form = FormState::new(rules);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !form.submit() {
            return;
        }
        let Ok(input) = untrack(input) else { return };
        busy.set(true);
        banner.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let saved = match id {
                Some((id, version)) => api::update_location(session, id, version, &input).await,
                None => api::create_location(session, &input, key.for_input(&input)).await,
            };
            match saved {
                Ok(location) => {
                    navigate(&format!("/locations/{}", location.id), Default::default())
                }
                Err(error) => {
                    form.refused(&error);
                    banner.try_set(Some(error));
                    busy.try_set(false);
                }
            }
        });
    };

    let heading = if existing.is_some() {
        "Edit location"
    } else {
        "New location"
    };
    let cancel_href = id
        .map(|(id, _)| format!("/locations/{id}"))
        .unwrap_or_else(|| "/locations".to_owned());

    view! {
        <form class="card record-form" data-testid="location-form" novalidate on:submit=on_submit>
            <h1>{heading}</h1>
            {save_banner(banner, reload)}
            {person.map(|person| view! { <LinkOnCreate person role roles=PERSON_ROLES /> })}
            <SelectInput
                form
                label="Type of place"
                path="details.place_type"
                options=PlaceType::ALL.iter().map(|p| (p.as_str(), p.label())).collect()
                value=Signal::derive(move || place_type.get().as_str().to_owned())
                set=Callback::new(move |code: String| {
                    if let Some(p) = PlaceType::parse(&code) {
                        place_type.set(p);
                    }
                })
            />
            <TextInput
                form
                label="Address"
                path="details.address"
                hint="An address, a postcode or coordinates, at least one"
                multiline=true
                value=address
                set=Callback::new(move |v| address.set(v))
            />
            <TextInput
                form
                label="Postcode"
                path="details.postcode"
                upper=true
                value=postcode
                set=Callback::new(move |v| postcode.set(v))
            />
            <div class="field-pair">
                <TextInput
                    form
                    label="Latitude"
                    path="details.latitude"
                    hint="Decimal degrees, optional"
                    value=latitude
                    set=Callback::new(move |v| latitude.set(v))
                />
                <TextInput
                    form
                    label="Longitude"
                    path="details.longitude"
                    hint="Decimal degrees, optional"
                    value=longitude
                    set=Callback::new(move |v| longitude.set(v))
                />
            </div>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="location-submit"
                    disabled=move || busy.get()
                >
                    {move || if busy.get() { "Saving…" } else { "Save" }}
                </button>
                <a class="button" href=cancel_href data-testid="location-cancel">
                    "Cancel"
                </a>
            </div>
        </form>
    }
}
