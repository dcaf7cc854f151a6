//! For supervisors: other records that may be this same person, and
//! merging one into this record. A merge moves the duplicate's history here
//! and its id opens this record from then on, so it is never done on one
//! tap: the first shows "Confirm merge", the second merges.

use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::pages::people_list::uk_date;
use crate::pages::person_form::reason_label;
use crate::session::{Session, use_session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::error::ErrorCode;
use shared::ids::PersonId;
use shared::people::{DuplicateCandidate, Person};

/// A merge just made, for the message shown once the profile has reloaded.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    pub survivor: PersonId,
    /// The duplicate as it was named before the merge: afterwards its id
    /// shows the survivor, so nothing else could name it.
    pub duplicate: String,
}

impl Merged {
    pub fn message(&self) -> String {
        format!("Merged: {} now resolves to this record.", self.duplicate)
    }
}

/// Asks the server who matches the person as the form's check would, and
/// leaves the person out: every record matches itself.
async fn others_like(
    session: Session,
    person: Person,
) -> Result<Vec<DuplicateCandidate>, ApiError> {
    let date_of_birth = person
        .date_of_birth
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let found = api::find_duplicates(
        session,
        &person.surname,
        person.forenames.as_deref().unwrap_or_default(),
        &date_of_birth,
    )
    .await?;
    Ok(found
        .into_iter()
        .filter(|c| c.person.id != person.id)
        .collect())
}

/// `merged` runs once the server has merged a candidate into `person`.
#[component]
pub fn PossibleDuplicates(person: Person, merged: Callback<Merged>) -> impl IntoView {
    let session = use_session();
    let survivor = person.id;
    let found = LocalResource::new(move || others_like(session, person.clone()));
    // The candidate whose merge waits for its second tap.
    let confirming = RwSignal::new(None::<PersonId>);
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<ApiError>);

    let merge = move |duplicate: Person| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failed.set(None);
        spawn_local(async move {
            match api::merge_person(session, survivor, duplicate.id).await {
                Ok(_) => merged.run(Merged {
                    survivor,
                    duplicate: format!(
                        "{}, born {}",
                        duplicate.display_name(),
                        uk_date(&duplicate)
                    ),
                }),
                Err(error) => {
                    failed.try_set(Some(error));
                }
            }
            confirming.try_set(None);
            busy.try_set(false);
        });
    };

    view! {
        <section class="profile-section" aria-labelledby="duplicates-heading" data-testid="person-duplicates">
            <h2 id="duplicates-heading">"Possible duplicates"</h2>
            <p class="muted">
                "Other records with this name and date of birth. Merge one only when you are sure it is the same person: "
                "its history moves to this record and its id will open this record."
            </p>
            {move || failed.get().map(|error| view! { <MergeRefused error /> })}
            <Suspense fallback=|| view! { <p class="loading">"Checking for other records…"</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                        Ok(candidates) if candidates.is_empty() => {
                            view! {
                                <p class="empty" data-testid="person-duplicates-empty">
                                    "No other records match."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(candidates) => {
                            view! {
                                <ul class="record-list">
                                    {candidates
                                        .into_iter()
                                        .map(|candidate| view! { <Candidate candidate confirming busy merge /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Candidate(
    candidate: DuplicateCandidate,
    confirming: RwSignal<Option<PersonId>>,
    busy: RwSignal<bool>,
    merge: impl Fn(Person) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let DuplicateCandidate { person, reason } = candidate;
    let id = person.id;
    let asked = move || confirming.get() == Some(id);
    view! {
        <li class="record-link-row" data-testid="person-duplicate">
            <a class="record-row" href=format!("/people/{id}") data-testid="person-duplicate-link">
                <span class="record-title">{person.display_name()}</span>
                <span class="record-when">{format!("Born {}", uk_date(&person))}</span>
                <span class="record-role" data-testid="person-duplicate-reason">{reason_label(&reason)}</span>
            </a>
            <div class="duplicate-actions">
                <Show
                    when=asked
                    fallback=move || {
                        view! {
                            <button
                                type="button"
                                class="button"
                                data-testid="person-duplicate-merge"
                                disabled=move || busy.get()
                                on:click=move |_| confirming.set(Some(id))
                            >
                                "Merge into this record"
                            </button>
                        }
                    }
                >
                    <button
                        type="button"
                        class="button button-danger"
                        data-testid="person-duplicate-confirm"
                        disabled=move || busy.get()
                        on:click={
                            let person = person.clone();
                            move |_| merge(person.clone())
                        }
                    >
                        {move || if busy.get() { "Merging…" } else { "Confirm merge" }}
                    </button>
                    <button
                        type="button"
                        class="button"
                        data-testid="person-duplicate-cancel"
                        disabled=move || busy.get()
                        on:click=move |_| confirming.set(None)
                    >
                        "Cancel"
                    </button>
                </Show>
            </div>
        </li>
    }
}

/// A refused merge: the problem, and what the server said of the
/// duplicate (gone, or this same person).
#[component]
fn MergeRefused(error: ApiError) -> impl IntoView {
    let reasons = error.field_errors().0;
    // The server's 404 names no record: most often one of the two was
    // merged or erased by someone else after this page was opened.
    let gone = matches!(&error, ApiError::Problem(p) if p.code == ErrorCode::NotFound);
    view! {
        <div data-testid="person-merge-refused">
            <ErrorBanner error />
            {gone
                .then(|| {
                    view! {
                        <p class="field-error" data-testid="person-merge-gone">
                            "One of these records has changed since this page was opened, perhaps merged or erased by someone else. "
                            "Reload the page to see them as they now stand."
                        </p>
                    }
                })}
            {reasons
                .into_iter()
                .map(|e| view! { <p class="field-error">{e.message}</p> })
                .collect_view()}
        </div>
    }
}
