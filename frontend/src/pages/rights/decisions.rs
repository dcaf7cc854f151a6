//! The decision on each item of the latest compile: release, release with
//! fields redacted, or withhold on a ground of s.45(4) with a reason. The
//! officer decides on the page and saves; only the items changed are sent,
//! each checked first by the rule the server applies
//! (`DecisionInput::validate`). Undecided items block release.

use super::item::{Draft, ItemCard};
use super::request::CaseState;
use crate::api::{self, ApiError};
use crate::components::error_banner::{ErrorBanner, Loading};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::error::{FieldError, FieldErrors};
use shared::rights::ItemDecision;
use shared::rights::pack::{PackItem, WorkingPack};

/// One item with the decision being made on it and the one saved.
#[derive(Clone)]
pub struct ItemState {
    pub item: PackItem,
    pub draft: RwSignal<Draft>,
    pub saved: Draft,
    pub errors: RwSignal<FieldErrors>,
}

impl ItemState {
    fn new(item: PackItem) -> Self {
        let saved = Draft::from_item(&item);
        Self {
            draft: RwSignal::new(saved.clone()),
            saved,
            errors: RwSignal::new(FieldErrors::default()),
            item,
        }
    }

    fn changed(&self) -> bool {
        self.draft.with(|d| *d != self.saved)
    }

    /// Nothing decided, by the officer or by default.
    fn undecided(&self) -> bool {
        self.item.default.is_none() && self.draft.with(|d| d.decision.is_none())
    }
}

#[component]
pub fn Decisions(state: CaseState) -> impl IntoView {
    let compile_number =
        Memo::new(move |_| state.case.with(|c| c.compiled.as_ref().map(|s| s.number)));
    let loaded = LocalResource::new(move || {
        let _ = compile_number.get();
        let (session, id) = (state.session, state.id());
        async move { api::rights::working_pack(session, id).await }
    });
    view! {
        <section class="card rights-decisions" data-testid="rights-decisions">
            <h2>"What is held, item by item"</h2>
            <p class="form-intro">
                "Values show as they would be released. Other people are redacted by default, even inside free text. "
                "Reasons stay with the case for the Commissioner and never enter the pack."
            </p>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(pack) => view! { <Items state pack /> }.into_any(),
                        Err(error) => view! { <ErrorBanner error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Items(state: CaseState, pack: WorkingPack) -> impl IntoView {
    let items = RwSignal::new(
        pack.items
            .iter()
            .cloned()
            .map(ItemState::new)
            .collect::<Vec<_>>(),
    );
    state.pack.set(Some(pack));
    let undecided = move || items.with(|i| i.iter().filter(|s| s.undecided()).count());
    let unsaved = move || items.with(|i| i.iter().filter(|s| s.changed()).count());
    // The response section must not release what is only decided here.
    Effect::new(move |_| state.unsaved.set(unsaved()));
    let release_rest = move |_| {
        items.with_untracked(|all| {
            for s in all.iter().filter(|s| s.undecided()) {
                s.draft.update(|d| d.decision = Some(ItemDecision::Release));
            }
        });
    };
    let save = move |_| {
        if state.busy.get_untracked() {
            return;
        }
        let changed: Vec<ItemState> =
            items.with_untracked(|all| all.iter().filter(|s| s.changed()).cloned().collect());
        let mut inputs = Vec::new();
        let mut broken = false;
        for s in &changed {
            let input = s.draft.with_untracked(|d| d.to_input(&s.item.key));
            // The server's rule for a decision, applied before anything is sent.
            match input.as_ref().map(|i| i.validate(&s.item.fields)) {
                Some(Ok(_)) => s.errors.set(FieldErrors::default()),
                Some(Err(e)) => {
                    s.errors.set(e);
                    broken = true;
                }
                None => {}
            }
            inputs.extend(input);
        }
        if broken || inputs.is_empty() {
            return;
        }
        state.busy.set(true);
        state.banner.set(None);
        let (session, id) = (state.session, state.id());
        spawn_local(async move {
            match api::rights::decide(session, id, &inputs).await {
                Ok(pack) => {
                    items.try_set(pack.items.iter().cloned().map(ItemState::new).collect());
                    state.pack.try_set(Some(pack));
                    // The timeline notes the decisions.
                    state.reload().await;
                }
                Err(error) => refused(error, &changed, state),
            }
            state.busy.try_set(false);
        });
    };
    view! {
        <p class="rights-counts" role="status" data-testid="rights-undecided">
            {move || match undecided() {
                0 => "Every item is decided.".to_owned(),
                1 => "1 item is still undecided: it blocks release.".to_owned(),
                n => format!("{n} items are still undecided: they block release."),
            }}
            {move || match unsaved() {
                0 => String::new(),
                n => format!(" {n} unsaved change{}.", if n == 1 { "" } else { "s" }),
            }}
        </p>
        <div class="form-actions rights-bulk">
            <Show when=move || { state.can_change() && undecided() > 0 }>
                <button type="button" class="button" data-testid="rights-release-rest" on:click=release_rest>
                    "Release the rest as shown"
                </button>
            </Show>
        </div>
        <ol class="rights-items">
            {move || {
                items
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(index, item)| view! { <ItemCard state index item /> })
                    .collect_view()
            }}
        </ol>
        <Show when=move || state.can_change()>
            <div class="form-actions rights-save">
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="rights-save-decisions"
                    disabled=move || state.busy.get() || unsaved() == 0
                    on:click=save
                >
                    {move || match unsaved() {
                        0 => "No changes to save".to_owned(),
                        n => format!("Save {n} decision{}", if n == 1 { "" } else { "s" }),
                    }}
                </button>
            </div>
        </Show>
    }
}

/// Puts the server's per-field messages (`[i].ground`) under the items
/// sent, in the order they were sent; anything else goes to the banner.
fn refused(error: ApiError, sent: &[ItemState], state: CaseState) {
    let fields = error.field_errors();
    if fields.is_empty() {
        state.banner.try_set(Some(error));
        return;
    }
    for (i, s) in sent.iter().enumerate() {
        let prefix = format!("[{i}].");
        let mine: Vec<FieldError> = fields
            .0
            .iter()
            .filter_map(|e| {
                let field = e.field.strip_prefix(&prefix)?;
                Some(FieldError::new(field, &e.code, e.message.clone()))
            })
            .collect();
        s.errors.try_set(FieldErrors(mine));
    }
}
