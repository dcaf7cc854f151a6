//! The letters owed to organisations that received a record before it
//! changed (s.48): who, what changed, which records (by reference), and
//! whether it has gone. The letter is a PDF to send; recording it as sent
//! is a disclosure to that organisation, so it asks twice.

use super::request::CaseState;
use crate::api::{self, ApiError};
use crate::components::confirm::ConfirmTwice;
use crate::components::error_banner::{ErrorBanner, Loading};
use crate::components::file_offer::{FetchFile, FileOffer};
use crate::components::record_ref::short_id;
use crate::session::use_session;
use futures::FutureExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::permissions::Permission;
use shared::rights::rectification::{ChangeKind, RecipientNotification};

#[component]
pub fn Notifications(state: CaseState, letters: RwSignal<u32>) -> impl IntoView {
    let session = state.session;
    let id = state.id();
    let loaded = LocalResource::new(move || {
        letters.track();
        let _ = session.working_context();
        api::rectification::notifications(session, id)
    });
    view! {
        <section class="card rights-notifications" data-testid="rights-notifications">
            <h2>"Letters to earlier recipients (s.48)"</h2>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <p class="muted" data-testid="rights-notifications-empty">
                                    "None owed: no changed record had been disclosed to another organisation."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="restriction-rows">
                                    {list.into_iter().map(|n| view! { <Letter state n /> }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Letter(state: CaseState, n: RecipientNotification) -> impl IntoView {
    let session = use_session();
    let id = n.id;
    let sent_at = RwSignal::new(n.sent_at);
    let busy = RwSignal::new(false);
    let banner = RwSignal::new(None::<ApiError>);
    let pdf: FetchFile =
        Callback::new(move |()| api::rectification::letter_pdf(session, id).boxed_local());
    let send = Callback::new(move |()| {
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            match api::rectification::send(session, id).await {
                Ok(sent) => {
                    sent_at.try_set(sent.sent_at);
                }
                Err(error) => {
                    banner.try_set(Some(error));
                }
            }
            busy.try_set(false);
        });
    });
    let change = ChangeKind::parse(&n.change)
        .map(|c| c.label().to_owned())
        .unwrap_or_else(|| n.change.clone());
    let records = n
        .records
        .iter()
        .map(|r| {
            let name = r.reference.clone().unwrap_or_else(|| {
                format!("{} {}", r.record.record_type.label(), short_id(r.record.id))
            });
            format!("{name} (disclosed {})", r.disclosed_at.format("%d/%m/%Y"))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let recipient = n.recipient_name.clone();
    view! {
        <li class="restriction-row" data-testid="rights-notification" data-notification-id=id.to_string()>
            <dl class="details">
                <dt>"To"</dt>
                <dd data-testid="rights-notification-recipient">{recipient}</dd>
                <dt>"What changed"</dt>
                <dd>{change}</dd>
                <dt>"Records"</dt>
                <dd>{records}</dd>
                <dt>"Sent"</dt>
                <dd data-testid="rights-notification-sent">
                    {move || match sent_at.get() {
                        Some(at) => at.format("%d/%m/%Y %H:%M").to_string(),
                        None => "Not yet".to_owned(),
                    }}
                </dd>
            </dl>
            <Show when=move || state.session.can(Permission::RightsManage)>
                <div class="form-actions">
                    <FileOffer fetch=pdf testid="rights-letter-pdf" label="Prepare the letter" />
                    <Show when=move || sent_at.with(Option::is_none)>
                        <ConfirmTwice
                            label="Send the letter"
                            question="Send this letter?"
                            explain="Probity records it as sent: a disclosure to the recipient, logged with the records it names. Post or email them the PDF."
                            confirm="Send it now"
                            testid="rights-notification-send"
                            busy
                            on_confirm=send
                        />
                    </Show>
                </div>
            </Show>
            {move || banner.get().map(|error| view! { <ErrorBanner error /> })}
        </li>
    }
}
