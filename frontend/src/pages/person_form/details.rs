//! The person's details beyond name, date of birth and gender: aliases,
//! other dates of birth, ethnicity, PNC and CRO identifiers, warning
//! markers and addresses. Each input is named by the path the shared rules
//! report (`details.aliases[0].surname`), so their messages land under it.

use crate::components::form::{FormState, SelectInput, TextInput};
use leptos::prelude::*;
use shared::codes_police::{LegacyEthnicity, ObservedEthnicity, SelfDefinedEthnicity};
use shared::people::PersonDetails;
use shared::people::details::{
    AddressHistory, Alias, MAX_ALIASES, MAX_LIST, MarkerKind, WarningMarker,
};

/// The value and setter of one text field of row `$i` of list `$list`.
macro_rules! row_text {
    ($details:ident, $list:ident, $i:ident, $field:ident) => {
        (
            Signal::derive(move || {
                $details.with(|d| {
                    d.$list
                        .get($i)
                        .map(|r| r.$field.clone())
                        .unwrap_or_default()
                })
            }),
            Callback::new(move |value: String| {
                $details.update(|d| {
                    if let Some(r) = d.$list.get_mut($i) {
                        r.$field = value;
                    }
                })
            }),
        )
    };
}

/// The value and setter of one top-level text of the details.
macro_rules! top_text {
    ($details:ident, $field:ident) => {
        (
            Signal::derive(move || $details.with(|d| d.$field.clone())),
            Callback::new(move |value: String| $details.update(|d| d.$field = value)),
        )
    };
}

#[component]
pub fn DetailsFields(form: FormState, details: RwSignal<PersonDetails>) -> impl IntoView {
    view! {
        <Aliases form details />
        <AlternativeDatesOfBirth form details />
        <Ethnicity form details />
        <Identifiers form details />
        <WarningMarkers form details />
        <Addresses form details />
    }
}

/// A fieldset of rows the user adds and removes. `name` prefixes the test
/// ids: `{name}-row`, `{name}-add`, `{name}-remove`.
#[component]
fn Repeating(
    legend: &'static str,
    name: &'static str,
    /// What one row is, for the buttons: "alias".
    noun: &'static str,
    #[prop(into)] len: Signal<usize>,
    max: usize,
    add: Callback<()>,
    remove: Callback<usize>,
    row: Callback<usize, AnyView>,
) -> impl IntoView {
    view! {
        <fieldset class="repeating" data-testid=name>
            <legend>{legend}</legend>
            {move || {
                (0..len.get())
                    .map(|i| {
                        view! {
                            <div class="repeat-row" data-testid=format!("{name}-row")>
                                <div class="repeat-fields">{row.run(i)}</div>
                                <button
                                    type="button"
                                    class="button repeat-remove"
                                    data-testid=format!("{name}-remove")
                                    aria-label=format!("Remove {noun} {}", i + 1)
                                    on:click=move |_| remove.run(i)
                                >
                                    "Remove"
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button
                type="button"
                class="button"
                data-testid=format!("{name}-add")
                disabled=move || { len.get() >= max }
                on:click=move |_| add.run(())
            >
                {format!("Add {noun}")}
            </button>
        </fieldset>
    }
}

#[component]
fn Aliases(form: FormState, details: RwSignal<PersonDetails>) -> impl IntoView {
    let row = Callback::new(move |i: usize| {
        let (surname, set_surname) = row_text!(details, aliases, i, surname);
        let (forenames, set_forenames) = row_text!(details, aliases, i, forenames);
        view! {
            <TextInput
                form
                label="Alias surname"
                path=format!("details.aliases[{i}].surname")
                value=surname
                set=set_surname
            />
            <TextInput
                form
                label="Alias forenames"
                path=format!("details.aliases[{i}].forenames")
                value=forenames
                set=set_forenames
            />
        }
        .into_any()
    });
    view! {
        <Repeating
            legend="Aliases"
            name="aliases"
            noun="alias"
            len=Signal::derive(move || details.with(|d| d.aliases.len()))
            max=MAX_ALIASES
            add=Callback::new(move |()| details.update(|d| d.aliases.push(Alias::default())))
            remove=Callback::new(move |i: usize| details.update(|d| drop(d.aliases.remove(i))))
            row
        />
    }
}

#[component]
fn AlternativeDatesOfBirth(form: FormState, details: RwSignal<PersonDetails>) -> impl IntoView {
    let row = Callback::new(move |i: usize| {
        let value = Signal::derive(move || {
            details.with(|d| {
                d.alternative_dates_of_birth
                    .get(i)
                    .cloned()
                    .unwrap_or_default()
            })
        });
        let set = Callback::new(move |v: String| {
            details.update(|d| {
                if let Some(date) = d.alternative_dates_of_birth.get_mut(i) {
                    *date = v;
                }
            })
        });
        view! {
            <TextInput
                form
                label="Other date of birth given"
                path=format!("details.alternative_dates_of_birth[{i}]")
                kind="date"
                value
                set
            />
        }
        .into_any()
    });
    view! {
        <Repeating
            legend="Other dates of birth"
            name="alternative-dates-of-birth"
            noun="date of birth"
            len=Signal::derive(move || details.with(|d| d.alternative_dates_of_birth.len()))
            max=MAX_LIST
            add=Callback::new(move |()| details.update(|d| d.alternative_dates_of_birth.push(String::new())))
            remove=Callback::new(move |i: usize| {
                details.update(|d| drop(d.alternative_dates_of_birth.remove(i)))
            })
            row
        />
    }
}

/// Self-defined (2011 census) and officer-observed ethnicity. A 2001 code
/// kept from a legacy system is shown as recorded and never converted: its
/// O1 meant Chinese, the 2011 O1 means Arab.
#[component]
fn Ethnicity(form: FormState, details: RwSignal<PersonDetails>) -> impl IntoView {
    let legacy = details.with_untracked(|d| LegacyEthnicity::parse(&d.self_defined_ethnicity));
    let self_defined = Signal::derive(move || {
        details.with(|d| {
            SelfDefinedEthnicity::parse(&d.self_defined_ethnicity)
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default()
        })
    });
    // Choosing nothing keeps the legacy code, if there was one.
    let set_self_defined = Callback::new(move |code: String| {
        details.update(|d| {
            d.self_defined_ethnicity = if code.is_empty() {
                legacy.map(|l| l.as_str().to_owned()).unwrap_or_default()
            } else {
                code
            }
        })
    });
    let (observed, set_observed) = top_text!(details, observed_ethnicity);
    view! {
        <fieldset class="group">
            <legend>"Ethnicity"</legend>
            {legacy
                .map(|legacy| {
                    view! {
                        <p class="legacy-code" data-testid="person-legacy-ethnicity">
                            "Recorded under the 2001 census codes: "
                            <strong>{legacy.label()}</strong>
                            ". Kept as recorded; choose a 2011 code below only if the person states one."
                        </p>
                    }
                })}
            <SelectInput
                form
                label="Self-defined ethnicity"
                path="details.self_defined_ethnicity"
                hint="As the person states it (2011 census categories)"
                options=SelfDefinedEthnicity::ALL.iter().map(|e| (e.as_str(), e.label())).collect()
                blank=if legacy.is_some() { "Keep the 2001 code" } else { "Not recorded" }
                value=self_defined
                set=set_self_defined
            />
            <SelectInput
                form
                label="Observed ethnicity"
                path="details.observed_ethnicity"
                hint="The officer's view (IC code)"
                options=ObservedEthnicity::ALL
                    .iter()
                    .map(|e| (e.as_str(), e.label()))
                    .collect()
                blank="Not recorded"
                value=observed
                set=set_observed
            />
        </fieldset>
    }
}

#[component]
fn Identifiers(form: FormState, details: RwSignal<PersonDetails>) -> impl IntoView {
    let (pnc, set_pnc) = top_text!(details, pnc_id);
    let (cro, set_cro) = top_text!(details, cro_number);
    view! {
        <fieldset class="group">
            <legend>"National identifiers"</legend>
            <div class="field-pair">
                <TextInput
                    form
                    label="PNC id"
                    path="details.pnc_id"
                    hint="YYYY/NNNNNNNL, if known"
                    upper=true
                    value=pnc
                    set=set_pnc
                />
                <TextInput
                    form
                    label="CRO number"
                    path="details.cro_number"
                    hint="NNNNNN/YYL, if known"
                    upper=true
                    value=cro
                    set=set_cro
                />
            </div>
        </fieldset>
    }
}

#[component]
fn WarningMarkers(form: FormState, details: RwSignal<PersonDetails>) -> impl IntoView {
    let row = Callback::new(move |i: usize| {
        let kind = Signal::derive(move || {
            details.with(|d| {
                d.warning_markers
                    .get(i)
                    .map(|m| m.kind.as_str().to_owned())
                    .unwrap_or_default()
            })
        });
        let set_kind = Callback::new(move |code: String| {
            details.update(|d| {
                if let (Some(m), Some(kind)) =
                    (d.warning_markers.get_mut(i), MarkerKind::parse(&code))
                {
                    m.kind = kind;
                }
            })
        });
        let (review, set_review) = row_text!(details, warning_markers, i, review_date);
        let (note, set_note) = row_text!(details, warning_markers, i, note);
        view! {
            <SelectInput
                form
                label="Marker"
                path=format!("details.warning_markers[{i}].kind")
                options=MarkerKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect()
                value=kind
                set=set_kind
            />
            <TextInput
                form
                label="Review by"
                path=format!("details.warning_markers[{i}].review_date")
                kind="date"
                value=review
                set=set_review
            />
            <TextInput
                form
                label="Note"
                path=format!("details.warning_markers[{i}].note")
                hint="What an officer needs to know"
                value=note
                set=set_note
            />
        }
        .into_any()
    });
    view! {
        <Repeating
            legend="Warning markers"
            name="warning-markers"
            noun="warning marker"
            len=Signal::derive(move || details.with(|d| d.warning_markers.len()))
            max=MAX_LIST
            // No marker is assumed: the first kind is offered, the review
            // date must be entered.
            add=Callback::new(move |()| {
                details
                    .update(|d| {
                        d.warning_markers
                            .push(WarningMarker {
                                kind: MarkerKind::ALL[0],
                                review_date: String::new(),
                                note: String::new(),
                            })
                    })
            })
            remove=Callback::new(move |i: usize| details.update(|d| drop(d.warning_markers.remove(i))))
            row
        />
    }
}

#[component]
fn Addresses(form: FormState, details: RwSignal<PersonDetails>) -> impl IntoView {
    let row = Callback::new(move |i: usize| {
        let (address, set_address) = row_text!(details, addresses, i, address);
        let (postcode, set_postcode) = row_text!(details, addresses, i, postcode);
        let (from, set_from) = row_text!(details, addresses, i, from);
        let (to, set_to) = row_text!(details, addresses, i, to);
        view! {
            <TextInput
                form
                label="Address"
                path=format!("details.addresses[{i}].address")
                value=address
                set=set_address
            />
            <TextInput
                form
                label="Postcode"
                path=format!("details.addresses[{i}].postcode")
                upper=true
                value=postcode
                set=set_postcode
            />
            <div class="field-pair">
                <TextInput
                    form
                    label="Lived there from"
                    path=format!("details.addresses[{i}].from")
                    kind="date"
                    value=from
                    set=set_from
                />
                <TextInput
                    form
                    label="Until"
                    path=format!("details.addresses[{i}].to")
                    hint="Empty if they still live there"
                    kind="date"
                    value=to
                    set=set_to
                />
            </div>
        }
        .into_any()
    });
    view! {
        <Repeating
            legend="Addresses"
            name="addresses"
            noun="address"
            len=Signal::derive(move || details.with(|d| d.addresses.len()))
            max=MAX_LIST
            add=Callback::new(move |()| details.update(|d| d.addresses.push(AddressHistory::default())))
            remove=Callback::new(move |i: usize| details.update(|d| drop(d.addresses.remove(i))))
            row
        />
    }
}
