//! What every record form shares: when a rule's message shows, the
//! server's refusals per field, the key that makes a retried create safe,
//! and inputs named by the rule's field path.

use crate::api::ApiError;
use crate::components::field::{Field, described_by, field_id};
use leptos::prelude::*;
use shared::error::FieldErrors;
use uuid::Uuid;

/// A form's messages. A rule's message shows once its field was left or
/// the form submitted; the server's shows until the field is edited.
#[derive(Clone, Copy)]
pub struct FormState {
    rules: Memo<FieldErrors>,
    touched: RwSignal<Vec<String>>,
    submitted: RwSignal<bool>,
    server: RwSignal<FieldErrors>,
}

impl FormState {
    /// `rules` is the shared validation run over the current input.
    pub fn new(rules: Memo<FieldErrors>) -> Self {
        Self {
            rules,
            touched: RwSignal::new(Vec::new()),
            submitted: RwSignal::new(false),
            server: RwSignal::new(FieldErrors::default()),
        }
    }

    pub fn error_for(self, field: impl Into<String>) -> Signal<Option<String>> {
        let field = field.into();
        Signal::derive(move || {
            let shown = self.submitted.get() || self.touched.with(|t| t.contains(&field));
            shown
                .then(|| {
                    self.rules
                        .with(|e| e.for_field(&field).map(|e| e.message.clone()))
                })
                .flatten()
                .or_else(|| {
                    self.server
                        .with(|e| e.for_field(&field).map(|e| e.message.clone()))
                })
        })
    }

    pub fn touch(self, field: &str) {
        if !self
            .touched
            .with_untracked(|t| t.iter().any(|f| f == field))
        {
            self.touched.update(|t| t.push(field.to_owned()));
        }
    }

    pub fn edited(self, field: &str) {
        if self.server.with_untracked(|e| e.for_field(field).is_some()) {
            self.server.update(|e| e.0.retain(|x| x.field != field));
        }
    }

    /// Marks the form submitted (so every message shows) and says whether
    /// it may be sent: nothing is sent while a rule is broken.
    pub fn submit(self) -> bool {
        self.submitted.set(true);
        self.rules.with_untracked(FieldErrors::is_empty)
    }

    /// A fresh form again after a save that empties it (a form that stays
    /// for the next entry), so its empty fields are not reported missing.
    pub fn reset(self) {
        self.submitted.set(false);
        self.touched.set(Vec::new());
        self.server.set(FieldErrors::default());
    }

    /// Keeps the server's per-field messages of a refusal.
    pub fn refused(self, error: &ApiError) {
        let fields = error.field_errors();
        if !fields.is_empty() {
            self.server.try_set(fields);
        }
    }

    /// Every message showing now, the rules' first, one per field: what
    /// an error summary at the top of the form lists.
    pub fn all_errors(self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        if self.submitted.get() {
            self.rules.with(|e| {
                for e in &e.0 {
                    if !out.iter().any(|(p, _)| p == &e.field) {
                        out.push((e.field.clone(), e.message.clone()));
                    }
                }
            });
        }
        self.server.with(|e| {
            for e in &e.0 {
                if !out.iter().any(|(p, _)| p == &e.field) {
                    out.push((e.field.clone(), e.message.clone()));
                }
            }
        });
        out
    }
}

/// One key per submission: the same input sent again (after a lost answer)
/// reuses its key, so the server makes the record once; a changed input is
/// a new submission with a new key.
pub struct OnceKey<T>(StoredValue<Option<(T, Uuid)>>);

impl<T> Clone for OnceKey<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for OnceKey<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> OnceKey<T> {
    pub fn new() -> Self {
        Self(StoredValue::new(None))
    }

    pub fn for_input(self, input: &T) -> Uuid {
        if let Some(key) = self
            .0
            .with_value(|k| k.as_ref().filter(|(i, _)| i == input).map(|(_, k)| *k))
        {
            return key;
        }
        let key = Uuid::new_v4();
        self.0.set_value(Some((input.clone(), key)));
        key
    }
}

/// A text input for the field at `path` (`details.vrm`), with its message
/// underneath; its id and test id derive from the path.
#[component]
pub fn TextInput(
    form: FormState,
    label: &'static str,
    #[prop(into)] path: String,
    #[prop(into)] value: Signal<String>,
    set: Callback<String>,
    #[prop(optional)] hint: Option<&'static str>,
    /// `text` unless given: `date`, `datetime-local`, `number`.
    #[prop(optional)]
    kind: Option<&'static str>,
    /// Upper-cased as typed: registration marks, postcodes.
    #[prop(optional)]
    upper: bool,
    #[prop(optional)] multiline: bool,
    /// Put before the id (and test id) where the path alone is too plain
    /// to name the field on its page: `rights-` + `notes`.
    #[prop(optional)]
    prefix: &'static str,
) -> impl IntoView {
    let id = format!("{prefix}{}", field_id(&path));
    let described = described_by(&id, hint.is_some());
    let error = form.error_for(path.clone());
    let edited_path = path.clone();
    let on_input = move |ev| {
        let raw = event_target_value(&ev);
        set.run(if upper { raw.to_uppercase() } else { raw });
        form.edited(&edited_path);
    };
    let on_blur = move |_| form.touch(&path);
    let input = if multiline {
        view! {
            <textarea
                id=id.clone()
                data-testid=id.clone()
                rows="3"
                aria-describedby=described
                prop:value=move || value.get()
                on:input=on_input
                on:blur=on_blur
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                data-testid=id.clone()
                type=kind.unwrap_or("text")
                autocomplete="off"
                autocapitalize=if upper { "characters" } else { "sentences" }
                aria-describedby=described
                prop:value=move || value.get()
                on:input=on_input
                on:blur=on_blur
            />
        }
        .into_any()
    };
    labelled(label, id, hint, error, input)
}

/// A [`Field`] with or without a hint.
fn labelled(
    label: &'static str,
    id: String,
    hint: Option<&'static str>,
    error: Signal<Option<String>>,
    input: AnyView,
) -> AnyView {
    match hint {
        Some(hint) => view! { <Field label id hint error>{input}</Field> }.into_any(),
        None => view! { <Field label id error>{input}</Field> }.into_any(),
    }
}

/// A select for the field at `path`; `options` are (code, label), and
/// `blank` (when given) is the label of the empty choice.
#[component]
pub fn SelectInput(
    form: FormState,
    label: &'static str,
    #[prop(into)] path: String,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] value: Signal<String>,
    set: Callback<String>,
    #[prop(optional)] blank: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    /// As [`TextInput`]'s.
    #[prop(optional)]
    prefix: &'static str,
) -> impl IntoView {
    let id = format!("{prefix}{}", field_id(&path));
    let described = described_by(&id, hint.is_some());
    let error = form.error_for(path.clone());
    let edited_path = path.clone();
    let select = view! {
            <select
                id=id.clone()
                data-testid=id.clone()
                aria-describedby=described
                on:change=move |ev| {
                    set.run(event_target_value(&ev));
                    form.edited(&edited_path);
                }
                on:blur=move |_| form.touch(&path)
            >
                {blank
                    .map(|blank| {
                        view! {
                            <option value="" selected=move || value.with(String::is_empty)>
                                {blank}
                            </option>
                        }
                    })}
                {options
                    .into_iter()
                    .map(|(code, text)| {
                        view! {
                            <option value=code selected=move || value.with(|v| v == code)>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
    }
    .into_any();
    labelled(label, id, hint, error, select)
}

/// Someone else saved the record after this form was opened (412): say so
/// plainly and offer to start again from their version.
#[component]
pub fn Conflict(reload: Callback<()>) -> impl IntoView {
    view! {
        <div class="banner banner-error" role="alert" data-testid="record-conflict">
            <p class="banner-title">"This record was changed by someone else while you were editing it"</p>
            <p>"Your changes have not been saved. Reload to see the record as it now stands, then make your changes again."</p>
            <button type="button" class="button" data-testid="record-reload" on:click=move |_| reload.run(())>
                "Reload the record"
            </button>
        </div>
    }
}

/// The banner for a refused save: the 412 conflict, or the problem itself.
pub fn save_banner(banner: RwSignal<Option<ApiError>>, reload: Callback<()>) -> impl IntoView {
    move || {
        banner.get().map(|error| match error {
            ApiError::Problem(p) if p.code == shared::error::ErrorCode::PreconditionFailed => {
                view! { <Conflict reload /> }.into_any()
            }
            error => view! { <crate::components::error_banner::ErrorBanner error /> }.into_any(),
        })
    }
}

/// The person a new record is made from (`?person=` on its address), so it
/// is created already linked to them.
pub fn person_from_query() -> Option<shared::ids::PersonId> {
    leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("person"))
        .and_then(|id| id.parse().ok())
}
