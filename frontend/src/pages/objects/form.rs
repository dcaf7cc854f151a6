//! Recording an object and correcting one. The form checks the same rules
//! as the server (`ObjectInput::validate`) before anything is sent.
//!
//! An exhibit's chain of custody may only grow: hand-overs already saved
//! are shown, not edited, and new ones are added after them.

use super::{PERSON_ROLES, fetch_object};
use crate::api::{self, ApiError};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::form::{
    FormState, OnceKey, SelectInput, TextInput, person_from_query, save_banner,
};
use crate::components::record_links::{LinkOnCreate, link_to_person};
use crate::session::use_session;
use chrono::{Local, NaiveDateTime, TimeZone};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::events::{RuleContext, SearchPolicy};
use shared::objects::{
    CustodyTransfer, Object, ObjectDetails, ObjectInput, ObjectKind, Phone, Property, Vehicle,
    Weapon,
};
use shared::rules::parse_datetime;
use uuid::Uuid;

/// The value and setter of one text of the `$variant` details.
macro_rules! kind_text {
    ($details:ident, $variant:ident, $field:ident) => {
        (
            Signal::derive(move || {
                $details.with(|d| match d {
                    ObjectDetails::$variant(v) => v.$field.clone(),
                    _ => String::new(),
                })
            }),
            Callback::new(move |value: String| {
                $details.update(|d| {
                    if let ObjectDetails::$variant(v) = d {
                        v.$field = value;
                    }
                })
            }),
        )
    };
}

fn empty(kind: ObjectKind) -> ObjectDetails {
    match kind {
        ObjectKind::Vehicle => ObjectDetails::Vehicle(Vehicle::default()),
        ObjectKind::Property => ObjectDetails::Property(Property::default()),
        ObjectKind::Phone => ObjectDetails::Phone(Phone::default()),
        ObjectKind::Weapon => ObjectDetails::Weapon(Weapon::default()),
    }
}

/// A `datetime-local` value, read as the tablet's local time, as RFC 3339
/// with its offset: the rules then store it in UTC. Anything else is left
/// for the rules to report.
fn local_to_rfc3339(raw: &str) -> String {
    NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M")
        .ok()
        .and_then(|n| Local.from_local_datetime(&n).earliest())
        .map(|at| at.to_rfc3339())
        .unwrap_or_else(|| raw.to_owned())
}

/// A stored instant as the tablet's local time, for display.
pub fn local_time(raw: &str) -> String {
    parse_datetime(raw)
        .map(|at| {
            at.with_timezone(&Local)
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| raw.to_owned())
}

#[component]
pub fn NewObject() -> impl IntoView {
    view! { <ObjectForm existing=None reload=Callback::new(|()| ()) /> }
}

#[component]
pub fn EditObject() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let object = LocalResource::new(move || {
        let id = params.with(|p| p.get("id")).unwrap_or_default();
        fetch_object(session, id)
    });
    // After a 412 the form starts again from the record as it now stands.
    let reload = Callback::new(move |()| object.refetch());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match object.await {
                    Ok(object) => view! { <ObjectForm existing=Some(object) reload /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ObjectForm(existing: Option<Object>, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let id = existing.as_ref().map(|o| (o.id, o.version));
    // The object's own id, so a link to itself is caught; a new one has none yet.
    let own_id = id.map(|(id, _)| id).unwrap_or_else(Uuid::nil);
    let details = RwSignal::new(
        existing
            .as_ref()
            .map(|o| o.details.clone())
            .unwrap_or_else(|| empty(ObjectKind::Vehicle)),
    );
    // Hand-overs saved before this edit: kept exactly as stored.
    let saved_transfers = existing.as_ref().map_or(0, |o| match &o.details {
        ObjectDetails::Property(p) => p.chain_of_custody.len(),
        _ => 0,
    });
    let person = if existing.is_none() {
        person_from_query()
    } else {
        None
    };
    let role = RwSignal::new(PERSON_ROLES[0]);
    let banner = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let key = OnceKey::<ObjectInput>::new();

    let input = move || {
        let mut details = details.get();
        if let ObjectDetails::Property(p) = &mut details {
            for t in p.chain_of_custody.iter_mut().skip(saved_transfers) {
                t.at = local_to_rfc3339(&t.at);
            }
        }
        ObjectInput {
            details,
            links: link_to_person(person, role.get()),
        }
    };
    let rules = Memo::new(move |_| {
        let ctx = RuleContext::new(chrono::Utc::now(), SearchPolicy::default());
        input().validate(own_id, &ctx).err().unwrap_or_default()
    });
    let form = FormState::new(rules);
    let kind = Memo::new(move |_| details.with(ObjectDetails::kind));

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !form.submit() {
            return;
        }
        busy.set(true);
        banner.set(None);
        let input = untrack(input);
        let navigate = navigate.clone();
        spawn_local(async move {
            let saved = match id {
                Some((id, version)) => api::update_object(session, id, version, &input).await,
                None => api::create_object(session, &input, key.for_input(&input)).await,
            };
            match saved {
                Ok(object) => navigate(&format!("/objects/{}", object.id), Default::default()),
                Err(error) => {
                    form.refused(&error);
                    banner.try_set(Some(error));
                    busy.try_set(false);
                }
            }
        });
    };

    let heading = if existing.is_some() {
        "Edit object"
    } else {
        "New object"
    };
    let cancel_href = id
        .map(|(id, _)| format!("/objects/{id}"))
        .unwrap_or_else(|| "/objects".to_owned());
    let editing = existing.is_some();

    view! {
        <form class="card record-form" data-testid="object-form" novalidate on:submit=on_submit>
            <h1>{heading}</h1>
            {save_banner(banner, reload)}
            {person.map(|person| view! { <LinkOnCreate person role roles=PERSON_ROLES /> })}
            // The kind is chosen once: a vehicle does not become a phone.
            <Show when=move || !editing>
                <SelectInput
                    form
                    label="Kind"
                    path="details.kind"
                    options=ObjectKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect()
                    value=Signal::derive(move || kind.get().as_str().to_owned())
                    set=Callback::new(move |code: String| {
                        if let Some(k) = ObjectKind::parse(&code)
                            && k != kind.get_untracked()
                        {
                            details.set(empty(k));
                        }
                    })
                />
            </Show>
            {move || match kind.get() {
                ObjectKind::Vehicle => view! { <VehicleFields form details /> }.into_any(),
                ObjectKind::Property => {
                    view! { <PropertyFields form details saved_transfers /> }.into_any()
                }
                ObjectKind::Phone => view! { <PhoneFields form details /> }.into_any(),
                ObjectKind::Weapon => view! { <WeaponFields form details /> }.into_any(),
            }}
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="object-submit"
                    disabled=move || busy.get()
                >
                    {move || if busy.get() { "Saving…" } else { "Save" }}
                </button>
                <a class="button" href=cancel_href data-testid="object-cancel">
                    "Cancel"
                </a>
            </div>
        </form>
    }
}

#[component]
fn VehicleFields(form: FormState, details: RwSignal<ObjectDetails>) -> impl IntoView {
    let (vrm, set_vrm) = kind_text!(details, Vehicle, vrm);
    let (make, set_make) = kind_text!(details, Vehicle, make);
    let (model, set_model) = kind_text!(details, Vehicle, model);
    let (colour, set_colour) = kind_text!(details, Vehicle, colour);
    view! {
        <TextInput form label="Registration mark" path="details.vrm" upper=true value=vrm set=set_vrm />
        <div class="field-pair">
            <TextInput form label="Make" path="details.make" value=make set=set_make />
            <TextInput form label="Model" path="details.model" value=model set=set_model />
        </div>
        <TextInput form label="Colour" path="details.colour" value=colour set=set_colour />
    }
}

#[component]
fn PhoneFields(form: FormState, details: RwSignal<ObjectDetails>) -> impl IntoView {
    let (make, set_make) = kind_text!(details, Phone, make);
    let (model, set_model) = kind_text!(details, Phone, model);
    let (imei, set_imei) = kind_text!(details, Phone, imei);
    let (number, set_number) = kind_text!(details, Phone, number);
    view! {
        <div class="field-pair">
            <TextInput form label="Make" path="details.make" value=make set=set_make />
            <TextInput form label="Model" path="details.model" value=model set=set_model />
        </div>
        <TextInput form label="IMEI" path="details.imei" hint="15 digits, if known" value=imei set=set_imei />
        <TextInput form label="Phone number" path="details.number" kind="tel" value=number set=set_number />
    }
}

#[component]
fn WeaponFields(form: FormState, details: RwSignal<ObjectDetails>) -> impl IntoView {
    let (weapon_type, set_weapon_type) = kind_text!(details, Weapon, weapon_type);
    let (description, set_description) = kind_text!(details, Weapon, description);
    view! {
        <TextInput
            form
            label="Type of weapon"
            path="details.weapon_type"
            hint="Knife, firearm, bat…"
            value=weapon_type
            set=set_weapon_type
        />
        <TextInput
            form
            label="Description"
            path="details.description"
            multiline=true
            value=description
            set=set_description
        />
    }
}

#[component]
fn PropertyFields(
    form: FormState,
    details: RwSignal<ObjectDetails>,
    saved_transfers: usize,
) -> impl IntoView {
    let (description, set_description) = kind_text!(details, Property, description);
    let (exhibit, set_exhibit) = kind_text!(details, Property, exhibit_reference);
    let (seal, set_seal) = kind_text!(details, Property, seal_number);
    let transfers = Signal::derive(move || {
        details.with(|d| match d {
            ObjectDetails::Property(p) => p.chain_of_custody.len(),
            _ => 0,
        })
    });
    let chain_error = form.error_for("details.chain_of_custody");
    let add = move |_| {
        details.update(|d| {
            if let ObjectDetails::Property(p) = d {
                p.chain_of_custody.push(CustodyTransfer {
                    held_by: String::new(),
                    at: String::new(),
                    location: String::new(),
                    reason: String::new(),
                });
            }
        })
    };
    view! {
        <TextInput
            form
            label="Description"
            path="details.description"
            multiline=true
            value=description
            set=set_description
        />
        <div class="field-pair">
            <TextInput
                form
                label="Exhibit reference"
                path="details.exhibit_reference"
                hint="Once it is an exhibit, e.g. JB/1"
                upper=true
                value=exhibit
                set=set_exhibit
            />
            <TextInput form label="Seal number" path="details.seal_number" value=seal set=set_seal />
        </div>
        <fieldset class="repeating" data-testid="chain-of-custody">
            <legend>"Chain of custody"</legend>
            {move || {
                chain_error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="field-error" data-testid="details-chain-of-custody-error">
                                {message}
                            </p>
                        }
                    })
            }}
            {move || {
                (0..transfers.get())
                    .map(|i| {
                        if i < saved_transfers {
                            view! { <SavedTransfer details i /> }.into_any()
                        } else {
                            view! { <NewTransfer form details i /> }.into_any()
                        }
                    })
                    .collect_view()
            }}
            <button type="button" class="button" data-testid="chain-of-custody-add" on:click=add>
                "Add hand-over"
            </button>
        </fieldset>
    }
}

/// A hand-over already saved: part of the record, never edited.
#[component]
fn SavedTransfer(details: RwSignal<ObjectDetails>, i: usize) -> impl IntoView {
    let transfer = details.with_untracked(|d| match d {
        ObjectDetails::Property(p) => p.chain_of_custody.get(i).cloned(),
        _ => None,
    });
    transfer.map(|t| {
        view! {
            <p class="repeat-row saved-transfer" data-testid="chain-of-custody-saved">
                {format!("{} · {} · {}", local_time(&t.at), t.held_by, t.location)}
                {(!t.reason.is_empty()).then(|| format!(" · {}", t.reason))}
            </p>
        }
    })
}

/// The value and setter of one text of hand-over `i`.
fn transfer_text(
    details: RwSignal<ObjectDetails>,
    i: usize,
    field: fn(&mut CustodyTransfer) -> &mut String,
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || {
            details.with(|d| match d {
                ObjectDetails::Property(p) => p
                    .chain_of_custody
                    .get(i)
                    .map(|t| field(&mut t.clone()).clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
        }),
        Callback::new(move |value: String| {
            details.update(|d| {
                if let ObjectDetails::Property(p) = d
                    && let Some(t) = p.chain_of_custody.get_mut(i)
                {
                    *field(t) = value;
                }
            })
        }),
    )
}

/// A hand-over being added: removable until the record is saved.
#[component]
fn NewTransfer(form: FormState, details: RwSignal<ObjectDetails>, i: usize) -> impl IntoView {
    let path = |f: &str| format!("details.chain_of_custody[{i}].{f}");
    let (held_by, set_held_by) = transfer_text(details, i, |t| &mut t.held_by);
    let (at, set_at) = transfer_text(details, i, |t| &mut t.at);
    let (location, set_location) = transfer_text(details, i, |t| &mut t.location);
    let (reason, set_reason) = transfer_text(details, i, |t| &mut t.reason);
    let remove = move |_| {
        details.update(|d| {
            if let ObjectDetails::Property(p) = d
                && i < p.chain_of_custody.len()
            {
                p.chain_of_custody.remove(i);
            }
        })
    };
    view! {
        <div class="repeat-row" data-testid="chain-of-custody-row">
            <div class="repeat-fields">
                <div class="field-pair">
                    <TextInput
                        form
                        label="Taken by"
                        path=path("held_by")
                        hint="Collar number, name or store"
                        value=held_by
                        set=set_held_by
                    />
                    <TextInput
                        form
                        label="When"
                        path=path("at")
                        hint="Local time"
                        kind="datetime-local"
                        value=at
                        set=set_at
                    />
                </div>
                <TextInput form label="Kept at" path=path("location") value=location set=set_location />
                <TextInput form label="Reason" path=path("reason") value=reason set=set_reason />
            </div>
            <button
                type="button"
                class="button repeat-remove"
                data-testid="chain-of-custody-remove"
                aria-label=format!("Remove hand-over {}", i + 1)
                on:click=remove
            >
                "Remove"
            </button>
        </div>
    }
}
