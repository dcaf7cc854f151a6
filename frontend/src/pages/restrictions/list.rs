//! Every restricted record, soonest review first as the server orders
//! them, each with the means to lift it (after a second tap).

use crate::api::{self, ApiError};
use crate::components::confirm::ConfirmTwice;
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::record_ref::RecordRef;
use crate::session::use_session;
use crate::text::uk_date;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::rights::restriction::Restriction;

#[component]
pub fn RestrictionList() -> impl IntoView {
    let session = use_session();
    let loaded = LocalResource::new(move || {
        let _ = session.working_context();
        api::restrictions::list(session)
    });
    view! {
        <section class="card restrictions-section" data-testid="restrictions-list">
            <h2>"Restricted records"</h2>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(list) => view! { <Rows list=RwSignal::new(list) /> }.into_any(),
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Rows(list: RwSignal<Vec<Restriction>>) -> impl IntoView {
    view! {
        <Show
            when=move || list.with(|l| !l.is_empty())
            fallback=|| view! { <p class="empty" data-testid="restrictions-empty">"No record is restricted."</p> }
        >
            <ul class="restriction-rows">
                <For each=move || list.get() key=|r| r.record let(r)>
                    <Row restriction=r list />
                </For>
            </ul>
        </Show>
    }
}

#[component]
fn Row(restriction: Restriction, list: RwSignal<Vec<Restriction>>) -> impl IntoView {
    let session = use_session();
    let busy = RwSignal::new(false);
    let banner = RwSignal::new(None::<ApiError>);
    let record = restriction.record;
    let lift = Callback::new(move |()| {
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            match api::restrictions::lift(session, record).await {
                Ok(()) => {
                    list.try_update(|l| l.retain(|r| r.record != record));
                }
                Err(error) => {
                    banner.try_set(Some(error));
                    busy.try_set(false);
                }
            }
        });
    });
    let review = restriction
        .review_on
        .map(uk_date)
        .unwrap_or_else(|| "Not set".to_owned());
    view! {
        <li class="restriction-row" data-testid="restriction" data-record-id=record.id.to_string()>
            <div class="restriction-what">
                <RecordRef record kind=restriction.kind.clone() />
                <span class="badge badge-restricted">"Restricted"</span>
            </div>
            <dl class="details">
                <dt>"Since"</dt>
                <dd>{restriction.restricted_at.format("%d/%m/%Y").to_string()}</dd>
                <dt>"Why"</dt>
                <dd class="multiline">{restriction.reason.clone().unwrap_or_else(|| "Not recorded".to_owned())}</dd>
                <dt>"Review on"</dt>
                <dd data-testid="restriction-review-on">{review}</dd>
                {restriction
                    .request
                    .map(|r| {
                        view! {
                            <dt>"Asked for by"</dt>
                            <dd>
                                <a class="inline-link" href=format!("/rights/{r}")>"The rights request"</a>
                            </dd>
                        }
                    })}
            </dl>
            <ConfirmTwice
                label="Lift the restriction"
                question="Lift this restriction?"
                explain="The record returns to ordinary processing: search, lists and profiles show it to everyone who may see it."
                confirm="Lift it now"
                testid="restriction-lift"
                busy
                on_confirm=lift
            />
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
        </li>
    }
}
