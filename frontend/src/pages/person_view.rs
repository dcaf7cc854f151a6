//! One person's record.

use crate::api::{self, ApiError};
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::pages::people_list::uk_date;
use crate::session::{Session, use_session};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::error::{ErrorCode, Problem};
use shared::ids::PersonId;
use shared::people::Person;
use shared::permissions::Permission;

/// Fetches the person named by the route's `:id`; a malformed id is
/// answered as the server would answer an unknown one.
pub async fn fetch_person(session: Session, id: String) -> Result<Person, ApiError> {
    let id = id
        .parse::<PersonId>()
        .map_err(|_| ApiError::Problem(Problem::new(ErrorCode::NotFound)))?;
    api::get_person(session, id).await
}

#[component]
pub fn PersonView() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let person = LocalResource::new(move || {
        let id = params.with(|p| p.get("id")).unwrap_or_default();
        // A changed working context is a new consultation: fetch again.
        let _ = session.working_context();
        fetch_person(session, id)
    });

    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match person.await {
                    Ok(person) => view! { <Details person /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Details(person: Person) -> impl IntoView {
    let session = use_session();
    let can_edit = move || session.can(Permission::PersonUpdate);
    let can_audit = move || session.can(Permission::AuditRead);
    let edit_href = format!("/people/{}/edit", person.id);
    let audit_href = format!("/audit?person={}", person.id);
    view! {
        <article class="card person" data-testid="person-view">
            <div class="page-heading">
                <h1 data-testid="person-name">
                    {person.display_name()}
                    // DPA 2018 s.47(2): kept, but out of ordinary processing.
                    {person
                        .restricted
                        .then(|| {
                            view! {
                                <span
                                    class="badge badge-restricted"
                                    data-testid="person-restricted"
                                    title="Restricted under DPA 2018 s.47: kept, but not for ordinary processing"
                                >
                                    "Restricted"
                                </span>
                            }
                        })}
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
            <dl class="details">
                <dt>"Surname"</dt>
                <dd data-testid="person-view-surname">{person.surname.clone()}</dd>
                <dt>"Forenames"</dt>
                <dd data-testid="person-view-forenames">{person.forenames.clone().unwrap_or_else(|| "Not known".to_owned())}</dd>
                <dt>"Date of birth"</dt>
                <dd data-testid="person-view-date-of-birth">{uk_date(&person)}</dd>
                <dt>"Gender"</dt>
                <dd data-testid="person-view-gender">{person.gender.label()}</dd>
                <dt>"Last changed"</dt>
                <dd>{person.updated_at.format("%d/%m/%Y %H:%M UTC").to_string()}</dd>
            </dl>
            <a class="button" href="/people" data-testid="back-to-people">
                "Back to people"
            </a>
        </article>
    }
}
