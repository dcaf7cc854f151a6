//! One person's profile: warning markers first, then who they are, then
//! everything linked to them across events, objects, locations and other
//! people. The whole profile is one audited consultation on the server.
//! Supervisors also see other records that may be the same person and can
//! merge them into this one.

mod copies;
mod duplicates;
mod identity;
mod linked;
mod markers;

use crate::api::{self, ApiError};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::statements::{Statements, restricted_badge};
use crate::session::{Session, use_session};
use copies::Copies;
use duplicates::{Merged, PossibleDuplicates};
use identity::Identity;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use linked::{LinkedEvents, LinkedRecords};
use markers::WarningMarkers;
use shared::error::{ErrorCode, Problem};
use shared::ids::PersonId;
use shared::links::RecordType;
use shared::people::Person;
use shared::permissions::Permission;
use shared::profile::PersonProfile;

fn parse_id(id: &str) -> Result<PersonId, ApiError> {
    id.parse::<PersonId>()
        .map_err(|_| ApiError::Problem(Problem::new(ErrorCode::NotFound)))
}

/// Fetches the person named by the route's `:id`; a malformed id is
/// answered as the server would answer an unknown one.
pub async fn fetch_person(session: Session, id: String) -> Result<Person, ApiError> {
    api::get_person(session, parse_id(&id)?).await
}

async fn fetch_profile(session: Session, id: String) -> Result<PersonProfile, ApiError> {
    api::person_profile(session, parse_id(&id)?).await
}

#[component]
pub fn PersonView() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let profile = LocalResource::new(move || {
        let id = params.with(|p| p.get("id")).unwrap_or_default();
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        fetch_profile(session, id)
    });
    // Kept outside the profile, which is rebuilt when it reloads.
    let merged = RwSignal::new(None::<Merged>);
    // A message about one profile is not carried to the next one opened.
    Effect::new(move |_| {
        params.with(|p| p.get("id"));
        merged.set(None);
    });
    // The survivor now holds the duplicate's history: show it as it stands.
    let on_merged = Callback::new(move |made: Merged| {
        merged.set(Some(made));
        profile.refetch();
    });

    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => view! { <Profile profile merged on_merged /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Profile(
    profile: PersonProfile,
    merged: RwSignal<Option<Merged>>,
    on_merged: Callback<Merged>,
) -> impl IntoView {
    let session = use_session();
    let can_merge = move || session.can(Permission::PersonMerge);
    let can_edit = move || session.can(Permission::PersonUpdate);
    let can_audit = move || session.can(Permission::AuditRead);
    let can_record = move || session.can(Permission::RecordCreate);
    let can_copy = move || session.can(Permission::PersonExport);
    let PersonProfile {
        person,
        warning_markers,
        events,
        objects,
        locations,
        people,
    } = profile;
    let id = person.id;
    let edit_href = format!("/people/{id}/edit");
    let audit_href = format!("/audit?person={id}");
    let merged_here = move || merged.get().filter(|m| m.survivor == id);
    let duplicates_of = person.clone();
    view! {
        // The id of the record shown, which after a merge is not always the
        // one in the address.
        <article class="card person profile" data-testid="person-view" data-person-id=id.to_string()>
            <div class="page-heading">
                <h1 data-testid="person-name">
                    {person.display_name()}
                    // DPA 2018 s.47(2): kept, but out of ordinary processing.
                    {restricted_badge(person.restricted, "person-restricted")}
                </h1>
                <div class="heading-actions">
                    <Show when=can_audit>
                        <a class="button" href=audit_href.clone() data-testid="person-audit-link">
                            "Who has seen this record"
                        </a>
                    </Show>
                    <Show when=can_edit>
                        <a class="button button-primary" href=edit_href.clone() data-testid="person-edit">
                            "Edit"
                        </a>
                    </Show>
                </div>
            </div>
            {move || {
                merged_here()
                    .map(|m| {
                        view! {
                            <p class="banner banner-ok" role="status" data-testid="person-merged">
                                {m.message()}
                            </p>
                        }
                    })
            }}
            // Read with the record, never after it (s.46).
            <Statements statements=person.statements.clone() />
            // Before anything else: what an officer must know before approaching.
            <WarningMarkers markers=warning_markers />
            <Show when=can_record>
                <div class="profile-actions">
                    <a
                        class="button button-primary"
                        href=format!("/events/new?kind=stop_search&person={id}")
                        data-testid="person-record-stop-search"
                    >
                        "Record stop and search"
                    </a>
                    <a class="button" href=format!("/events/new?person={id}") data-testid="person-record-event">
                        "Record event"
                    </a>
                </div>
            </Show>
            <Identity person />
            <Show when=can_merge>
                <PossibleDuplicates person=duplicates_of.clone() merged=on_merged />
            </Show>
            <LinkedEvents events />
            <LinkedRecords
                heading="Objects"
                name="object"
                record_type=RecordType::Object
                person=id
                records=objects
            />
            <LinkedRecords
                heading="Locations"
                name="location"
                record_type=RecordType::Location
                person=id
                records=locations
            />
            <LinkedRecords
                heading="People"
                name="associate"
                record_type=RecordType::Person
                person=id
                records=people
            />
            <Show when=can_copy>
                <Copies person=id />
            </Show>
            <a class="button" href="/people" data-testid="back-to-people">
                "Back to people"
            </a>
        </article>
    }
}
