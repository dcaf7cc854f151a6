//! Who the person is: names, dates of birth, ethnicity, national
//! identifiers and addresses over time.

use super::markers::uk_day;
use crate::pages::people_list::uk_date;
use leptos::prelude::*;
use shared::codes_police::{LegacyEthnicity, ObservedEthnicity, SelfDefinedEthnicity};
use shared::people::Person;

const NOT_RECORDED: &str = "Not recorded";

/// A self-defined ethnicity's label, 2011 or (kept from import) 2001.
fn self_defined_label(code: &str) -> String {
    SelfDefinedEthnicity::parse(code)
        .map(|e| format!("{} ({code})", e.label()))
        .or_else(|| LegacyEthnicity::parse(code).map(|e| e.label().to_owned()))
        .unwrap_or_else(|| or_not_recorded(code))
}

fn observed_label(code: &str) -> String {
    ObservedEthnicity::parse(code)
        .map(|e| format!("{code}: {}", e.label()))
        .unwrap_or_else(|| or_not_recorded(code))
}

fn or_not_recorded(value: &str) -> String {
    if value.is_empty() {
        NOT_RECORDED.to_owned()
    } else {
        value.to_owned()
    }
}

#[component]
pub fn Identity(person: Person) -> impl IntoView {
    let d = person.details.clone();
    let aliases = d
        .aliases
        .iter()
        .map(|a| {
            if a.forenames.is_empty() {
                a.surname.to_uppercase()
            } else {
                format!("{}, {}", a.surname.to_uppercase(), a.forenames)
            }
        })
        .collect::<Vec<_>>();
    let other_dobs = d
        .alternative_dates_of_birth
        .iter()
        .map(|dob| uk_day(dob))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <section class="profile-section" aria-labelledby="identity-heading">
            <h2 id="identity-heading">"Identity"</h2>
            <dl class="details">
                <dt>"Surname"</dt>
                <dd data-testid="person-view-surname">{person.surname.clone()}</dd>
                <dt>"Forenames"</dt>
                <dd data-testid="person-view-forenames">{person.forenames.clone().unwrap_or_else(|| "Not known".to_owned())}</dd>
                <dt>"Date of birth"</dt>
                <dd data-testid="person-view-date-of-birth">{uk_date(&person)}</dd>
                <dt>"Gender"</dt>
                <dd data-testid="person-view-gender">{person.gender.label()}</dd>
                <dt>"Aliases"</dt>
                <dd data-testid="person-view-aliases">
                    {if aliases.is_empty() {
                        view! { {NOT_RECORDED} }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {aliases
                                    .into_iter()
                                    .map(|a| view! { <li data-testid="person-view-alias">{a}</li> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }}
                </dd>
                <dt>"Other dates of birth"</dt>
                <dd data-testid="person-view-alternative-dates-of-birth">{or_not_recorded(&other_dobs)}</dd>
                <dt>"Self-defined ethnicity"</dt>
                <dd data-testid="person-view-self-defined-ethnicity">{self_defined_label(&d.self_defined_ethnicity)}</dd>
                <dt>"Observed ethnicity"</dt>
                <dd data-testid="person-view-observed-ethnicity">{observed_label(&d.observed_ethnicity)}</dd>
                <dt>"PNC id"</dt>
                <dd class="mono-value" data-testid="person-view-pnc-id">{or_not_recorded(&d.pnc_id)}</dd>
                <dt>"CRO number"</dt>
                <dd class="mono-value" data-testid="person-view-cro-number">{or_not_recorded(&d.cro_number)}</dd>
                <dt>"Addresses"</dt>
                <dd data-testid="person-view-addresses">
                    {if d.addresses.is_empty() {
                        view! { {NOT_RECORDED} }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {d
                                    .addresses
                                    .iter()
                                    .map(|a| {
                                        let place = if a.postcode.is_empty() {
                                            a.address.clone()
                                        } else {
                                            format!("{}, {}", a.address, a.postcode)
                                        };
                                        let when = match (a.from.is_empty(), a.to.is_empty()) {
                                            (true, true) => String::new(),
                                            (false, true) => format!("from {}", uk_day(&a.from)),
                                            (true, false) => format!("until {}", uk_day(&a.to)),
                                            (false, false) => {
                                                format!("{} to {}", uk_day(&a.from), uk_day(&a.to))
                                            }
                                        };
                                        view! {
                                            <li data-testid="person-view-address">
                                                {place}
                                                {(!when.is_empty())
                                                    .then(|| view! { <span class="muted">{format!(" ({when})")}</span> })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }}
                </dd>
                <dt>"Last changed"</dt>
                <dd>{person.updated_at.format("%d/%m/%Y %H:%M UTC").to_string()}</dd>
            </dl>
        </section>
    }
}
