//! Answering a rectification, erasure or restriction request once the work
//! is done: the answer names no one (ids and counts), and sending it closes
//! the case. Then the letter as a PDF to send the requester. After an
//! erasure the server clears the requester's own details from the case.

use super::request::CaseState;
use crate::api;
use crate::components::confirm::ConfirmTwice;
use crate::components::file_offer::{FetchFile, FileOffer};
use futures::FutureExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::error::FieldErrors;
use shared::rights::RequestKind;

fn before_sending(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Erasure => {
            "It lists the certificates of erasure and closes the request. The requester's name and contact are then cleared from the case: note where to send the letter first."
        }
        RequestKind::Rectification => {
            "It says how many records were rectified and how many earlier recipients were told, and closes the request."
        }
        _ => "It says how many records were restricted, and closes the request.",
    }
}

#[component]
pub fn Answer(state: CaseState) -> impl IntoView {
    let case = state.case;
    let id = state.id();
    let session = state.session;
    let answered = move || case.with(|c| c.released_at);
    let kind = move || case.with(|c| c.kind);
    let errors = RwSignal::new(FieldErrors::default());
    let respond = Callback::new(move |()| {
        if state.busy.get_untracked() {
            return;
        }
        state.busy.set(true);
        state.banner.set(None);
        errors.set(FieldErrors::default());
        spawn_local(async move {
            match api::rights::respond(state.session, id).await {
                // The case is now answered (and, after an erasure, holds no
                // requester): read it again.
                Ok(_) => state.reload().await,
                // "Nothing done yet" and the like: said at the top of the case.
                Err(error) => state.refused(error, errors),
            }
            state.busy.try_set(false);
        });
    });
    let pdf: FetchFile =
        Callback::new(move |()| api::rights::answer_pdf(session, id).boxed_local());
    view! {
        <section class="card rights-answer" data-testid="rights-answer">
            <h2>"Answer"</h2>
            {move || match answered() {
                Some(at) => {
                    view! {
                        <p data-testid="rights-answered">
                            {format!("Answered on {}. Send the requester the letter.", at.format("%d/%m/%Y %H:%M"))}
                        </p>
                        <div class="form-actions rights-files">
                            <FileOffer fetch=pdf testid="rights-answer-pdf" label="Prepare the letter (PDF)" />
                        </div>
                    }
                        .into_any()
                }
                None if state.can_change() => {
                    view! {
                        <p class="muted">"When the work is done, send the answer: a letter that names no one."</p>
                        <ConfirmTwice
                            label="Send the answer"
                            question="Send the answer now?"
                            explain=before_sending(kind())
                            confirm="Send it"
                            testid="rights-respond"
                            busy=state.busy
                            on_confirm=respond
                        />
                    }
                        .into_any()
                }
                None => view! { <p class="muted">"Not answered yet."</p> }.into_any(),
            }}
        </section>
    }
}
