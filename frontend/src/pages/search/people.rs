//! Finding a person from whatever the officer has: a name as heard, perhaps
//! misspelt, in either order, with or without a date of birth; and, when
//! that is not enough, separate fields for each part and where they live.

use super::as_you_type::search_as_you_type;
use super::draft::SearchDraft;
use super::score::MatchScore;
use crate::api::{self, ApiError, PeopleSearch};
use crate::components::field::{Field, described_by};
use crate::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use shared::search::{PersonHit, PersonResults};

/// The parameters shown as fields, by the name the server gives them in a
/// 422: a message goes under its own field.
const FIELDS: [&str; 6] = [
    "q",
    "forenames",
    "surname",
    "date_of_birth",
    "postcode",
    "town",
];

/// Whether a refusal can be shown under the fields rather than as a banner.
fn names_a_field(error: &ApiError) -> bool {
    error
        .field_errors()
        .0
        .iter()
        .any(|e| FIELDS.contains(&e.field.as_str()))
}

/// Whether a refusal names one of the fields under "More fields", which
/// must then be opened or the officer would not see why.
fn names_a_more_field(error: &ApiError) -> bool {
    error
        .field_errors()
        .0
        .iter()
        .any(|e| e.field != "q" && FIELDS.contains(&e.field.as_str()))
}

#[component]
pub fn PeopleSearchPanel(draft: SearchDraft) -> impl IntoView {
    let session = use_session();
    let start = draft.take();
    let q = RwSignal::new(start.people.q);
    let forenames = RwSignal::new(start.people.forenames);
    let surname = RwSignal::new(start.people.surname);
    let date_of_birth = RwSignal::new(start.people.date_of_birth);
    let postcode = RwSignal::new(start.people.postcode);
    let town = RwSignal::new(start.people.town);
    let more_open = RwSignal::new(start.more_fields);
    // The officer came here to type: the box is ready for it.
    let search_box = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(input) = search_box.get() {
            let _ = input.focus();
        }
    });

    let typed = move || PeopleSearch {
        q: q.get(),
        forenames: forenames.get(),
        surname: surname.get(),
        date_of_birth: date_of_birth.get(),
        postcode: postcode.get(),
        town: town.get(),
    };
    Effect::new(move |_| {
        let (people, more_fields) = (typed(), more_open.get());
        draft.keep(|d| {
            d.people = people;
            d.more_fields = more_fields;
        });
    });
    let search = search_as_you_type(
        move || Some(typed().trimmed()).filter(|s| !s.is_empty()),
        move |wanted: PeopleSearch| async move { api::search_people(session, &wanted).await },
    );

    let refusal = move || {
        search
            .answer
            .with(|a| a.as_ref().and_then(|r| r.as_ref().err().cloned()))
    };
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            refusal().and_then(|e| e.field_errors().for_field(field).map(|f| f.message.clone()))
        })
    };
    // A field named in a refusal is never left hidden.
    Effect::new(move |_| {
        if refusal().is_some_and(|e| names_a_more_field(&e)) {
            more_open.set(true);
        }
    });

    view! {
        <div class="search-panel" data-testid="people-search-panel">
            // Results come as the officer types; Enter must not reload the page.
            <form class="search-form" role="search" on:submit=|ev: SubmitEvent| ev.prevent_default()>
                <Field
                    label="Name, and date of birth if known"
                    id="search-q"
                    error=error_for("q")
                    hint="For example: john smith 12/05/1980, or SMITH John. Misspellings are found too."
                >
                    <input
                        id="search-q"
                        class="search-box"
                        data-testid="search-q"
                        type="search"
                        autocomplete="off"
                        autocapitalize="words"
                        spellcheck="false"
                        node_ref=search_box
                        aria-describedby=described_by("search-q", true)
                        prop:value=move || q.get()
                        on:input=move |ev| q.set(event_target_value(&ev))
                    />
                </Field>
                <button
                    type="button"
                    class="button more-fields-toggle"
                    data-testid="search-more-fields"
                    aria-expanded=move || more_open.get().to_string()
                    aria-controls="search-more"
                    on:click=move |_| more_open.update(|open| *open = !*open)
                >
                    {move || if more_open.get() { "Fewer fields" } else { "More fields" }}
                </button>
                <div id="search-more" class="more-fields" hidden=move || !more_open.get()>
                    <div class="field-pair">
                        <TextField id="search-forenames" label="Forenames" value=forenames error=error_for("forenames") />
                        <TextField id="search-surname" label="Surname" value=surname error=error_for("surname") />
                    </div>
                    <Field
                        label="Date of birth"
                        id="search-date-of-birth"
                        error=error_for("date_of_birth")
                        hint="A full date such as 07/03/1984, or just the year"
                    >
                        <input
                            id="search-date-of-birth"
                            data-testid="search-date-of-birth"
                            type="text"
                            autocomplete="off"
                            aria-describedby=described_by("search-date-of-birth", true)
                            prop:value=move || date_of_birth.get()
                            on:input=move |ev| date_of_birth.set(event_target_value(&ev))
                        />
                    </Field>
                    <div class="field-pair">
                        <TextField id="search-postcode" label="Postcode" value=postcode error=error_for("postcode") />
                        <TextField id="search-town" label="Town" value=town error=error_for("town") />
                    </div>
                </div>
            </form>
            {search.outcome(|results| view! { <PersonHits results /> }, names_a_field)}
        </div>
    }
}

/// One labelled text input of "More fields".
#[component]
fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <Field label id error>
            <input
                id=id
                data-testid=id
                type="text"
                autocomplete="off"
                spellcheck="false"
                aria-describedby=described_by(id, false)
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </Field>
    }
}

/// "1 strong match", "3 strong matches".
fn count_line(results: &PersonResults) -> String {
    let n = results.total;
    let noun = if n == 1 { "match" } else { "matches" };
    let shown = results.hits.len();
    if usize::try_from(n).is_ok_and(|n| n > shown) {
        format!("{n} strong {noun}, showing the best {shown}. Add a date of birth to narrow them.")
    } else {
        format!("{n} strong {noun}")
    }
}

#[component]
fn PersonHits(results: PersonResults) -> impl IntoView {
    if results.hits.is_empty() {
        return view! {
            <p class="empty search-empty" role="status" data-testid="person-hits-empty">
                "No strong match. Check the spelling or add a date of birth."
            </p>
        }
        .into_any();
    }
    let count = count_line(&results);
    view! {
        <p class="search-count" role="status" data-testid="person-hits-count">
            {count}
        </p>
        <ul class="hit-list" data-testid="person-hits">
            {results.hits.into_iter().map(|hit| view! { <PersonCard hit /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Reasons as a short line: "Surname sounds alike · date of birth exact".
fn reasons_line(reasons: &[String]) -> String {
    crate::text::sentence_case(&reasons.join(" · "))
}

#[component]
fn PersonCard(hit: PersonHit) -> impl IntoView {
    let href = format!("/people/{}", hit.id);
    let name = hit.display_name();
    let born = hit
        .date_of_birth
        .map(|d| format!("Born {}", d.format("%d/%m/%Y")))
        .unwrap_or_else(|| "Date of birth not known".to_owned());
    let warned = !hit.warning_markers.is_empty();
    view! {
        <li>
            <a
                class=if warned { "hit-card hit-card-warned" } else { "hit-card" }
                href=href
                data-testid="person-hit"
                data-person-id=hit.id.to_string()
            >
                // Before the name: what an officer must know before approaching.
                {warned
                    .then(|| {
                        view! {
                            <span class="hit-markers">
                                {hit
                                    .warning_markers
                                    .iter()
                                    .map(|m| {
                                        view! {
                                            <span class="badge badge-marker" data-testid="person-hit-marker">
                                                {m.label()}
                                            </span>
                                        }
                                    })
                                    .collect_view()}
                            </span>
                        }
                    })}
                <span class="hit-title" data-testid="person-hit-name">
                    {name}
                </span>
                <span class="hit-facts">
                    <span data-testid="person-hit-date-of-birth">{born}</span>
                    {hit
                        .postcode
                        .clone()
                        .map(|postcode| view! { <span data-testid="person-hit-postcode">{postcode}</span> })}
                </span>
                <span class="hit-reasons" data-testid="person-hit-reasons">
                    {reasons_line(&hit.reasons)}
                </span>
                <MatchScore score=hit.score />
            </a>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::{count_line, reasons_line};
    use shared::ids::PersonId;
    use shared::search::{PersonHit, PersonResults};

    #[test]
    fn reasons_read_as_one_short_line() {
        let reasons = [
            "surname sounds alike".to_owned(),
            "date of birth exact".to_owned(),
        ];
        assert_eq!(
            reasons_line(&reasons),
            "Surname sounds alike · date of birth exact"
        );
        assert_eq!(reasons_line(&[]), "");
    }

    #[test]
    fn the_count_says_when_more_matched_than_are_shown() {
        let hit = PersonHit {
            id: PersonId::new(),
            score: 0.9,
            reasons: Vec::new(),
            surname: "Smith".into(),
            forenames: Some("John".into()),
            date_of_birth: None,
            warning_markers: Vec::new(),
            postcode: None,
        };
        let results = |total| PersonResults {
            hits: vec![hit.clone()],
            total,
        };
        assert_eq!(count_line(&results(1)), "1 strong match");
        assert!(count_line(&results(23)).starts_with("23 strong matches, showing the best 1."));
    }
}
