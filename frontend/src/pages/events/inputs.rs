//! The event forms' fields, addressed by the JSON path the shared rules
//! report errors under (`details.officers_present[0].sex`), so a message
//! from the browser's check or from the server lands under the same input.
//!
//! An input's id (and `data-testid`) is its path with every separator
//! turned into a dash (`details-officers-present-0-sex`); its message is
//! `{id}-error`, as in `components::field`.

use leptos::prelude::*;
use shared::error::FieldErrors;

/// `details.officers_present[0].sex` → `details-officers-present-0-sex`.
pub use crate::components::field::field_id as path_id;

/// A code list from `shared`, as a select needs it. The `code_list!` macro
/// gives inherent methods only, so each list used here is named below.
pub trait Code: Copy + PartialEq + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn name(self) -> &'static str;
}

macro_rules! codes {
    ($($t:ty),+ $(,)?) => {
        $(impl Code for $t {
            fn all() -> &'static [Self] { <$t>::ALL }
            fn code(self) -> &'static str { self.as_str() }
            fn name(self) -> &'static str { self.label() }
        })+
    };
}

codes!(
    shared::events::EventKind,
    shared::events::stop_search::SearchType,
    shared::events::stop_search::LegalPower,
    shared::events::stop_search::ObjectOfSearch,
    shared::events::stop_search::SearchOutcome,
    shared::events::stop_search::AdultAbsenceGround,
    shared::events::occurrence::OccurrenceStatus,
    shared::events::intelligence::SourceEvaluation,
    shared::events::intelligence::IntelligenceAssessment,
    shared::events::intelligence::HandlingCode,
    shared::events::intelligence::ContentNature,
    shared::events::custody::ReleaseOutcome,
    shared::events::custody::CustodySearch,
    shared::events::case_file::FileStatus,
    shared::codes_police::PlaceType,
    shared::codes_police::Rank,
    shared::codes_police::Sex,
    shared::codes_police::SelfDefinedEthnicity,
    shared::links::LinkRole,
    shared::links::SubjectCategory,
);

/// Binds a form field to one field of the struct in a signal, as the
/// getter and setter pair the inputs below take. `copy` for code lists.
macro_rules! bind {
    ($signal:ident . $field:ident) => {
        (
            move || $signal.with(|d| d.$field.clone()),
            move |v| $signal.update(|d| d.$field = v),
        )
    };
    (copy $signal:ident . $field:ident) => {
        (
            move || $signal.with(|d| d.$field),
            move |v| $signal.update(|d| d.$field = v),
        )
    };
}
pub(crate) use bind;

/// What a text input holds.
#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    /// Several lines: grounds, narratives.
    Long,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DDTHH:MM` in the tablet's local time; see `when`.
    DateTime,
}

/// Which messages a form shows, shared by every field in it.
#[derive(Clone, Copy)]
pub struct FormState {
    /// The shared rules' verdict on the form as it stands.
    pub rules: Memo<FieldErrors>,
    /// The server's own refusal, shown until the field is edited.
    pub server: RwSignal<FieldErrors>,
    touched: RwSignal<Vec<String>>,
    pub submitted: RwSignal<bool>,
    /// Each field's label by path, for the summary at the top.
    labels: StoredValue<Vec<(String, String)>>,
}

impl FormState {
    pub fn new(rules: Memo<FieldErrors>) -> Self {
        Self {
            rules,
            server: RwSignal::new(FieldErrors::default()),
            touched: RwSignal::new(Vec::new()),
            submitted: RwSignal::new(false),
            labels: StoredValue::new(Vec::new()),
        }
    }

    /// A rule's message shows once the field was left or the form
    /// submitted, so an officer is not scolded for fields not reached yet.
    pub fn error(self, path: &str) -> Option<String> {
        let shown = self.submitted.get() || self.touched.with(|t| t.iter().any(|p| p == path));
        shown
            .then(|| {
                self.rules
                    .with(|e| e.for_field(path).map(|e| e.message.clone()))
            })
            .flatten()
            .or_else(|| {
                self.server
                    .with(|e| e.for_field(path).map(|e| e.message.clone()))
            })
    }

    pub fn touch(self, path: &str) {
        if !self.touched.with_untracked(|t| t.iter().any(|p| p == path)) {
            self.touched.update(|t| t.push(path.to_owned()));
        }
    }

    pub fn edited(self, path: &str) {
        if self.server.with_untracked(|e| e.for_field(path).is_some()) {
            self.server.update(|e| e.0.retain(|x| x.field != path));
        }
    }

    /// Names a path for the summary when no input carries it (a list as a
    /// whole: "Officers present").
    pub fn name(self, path: &str, label: &str) {
        self.labels
            .update_value(|labels| match labels.iter_mut().find(|(p, _)| p == path) {
                Some(entry) => entry.1 = label.to_owned(),
                None => labels.push((path.to_owned(), label.to_owned())),
            });
    }

    pub fn label_of(self, path: &str) -> Option<String> {
        self.labels.with_value(|labels| {
            labels
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, l)| l.clone())
        })
    }

    /// Every message to show now, rules first, for the summary.
    pub fn all_errors(self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        if self.submitted.get() {
            self.rules.with(|e| {
                out.extend(e.0.iter().map(|e| (e.field.clone(), e.message.clone())));
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

    /// Starts a field at `path` with its visible label.
    pub fn field(self, path: impl Into<String>, label: impl Into<String>) -> Spec {
        let path = path.into();
        let label = label.into();
        self.name(&path, &label);
        Spec {
            form: self,
            id: path_id(&path),
            path,
            label,
            hint: None,
        }
    }
}

/// One field being built: its path, label and hint.
pub struct Spec {
    form: FormState,
    path: String,
    id: String,
    label: String,
    hint: Option<&'static str>,
}

impl Spec {
    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    fn error(&self) -> Signal<Option<String>> {
        let (form, path) = (self.form, self.path.clone());
        Signal::derive(move || form.error(&path))
    }

    fn described_by(&self) -> String {
        match self.hint {
            Some(_) => format!("{0}-hint {0}-error", self.id),
            None => format!("{}-error", self.id),
        }
    }

    /// The label, hint, control and message, as `components::field::Field`
    /// lays them out.
    fn wrap(self, control: AnyView) -> AnyView {
        let error = self.error();
        let id = self.id;
        view! {
            <div class=move || if error.with(Option::is_some) { "field field-invalid" } else { "field" }>
                <label for=id.clone()>{self.label}</label>
                {self.hint.map(|hint| view! { <p class="field-hint" id=format!("{id}-hint")>{hint}</p> })}
                {control}
                <ErrorLine id=id.clone() error />
            </div>
        }
        .into_any()
    }

    pub fn text<G, S>(self, kind: Kind, (get, set): (G, S)) -> AnyView
    where
        G: Fn() -> String + Send + Sync + 'static,
        S: Fn(String) + Send + Sync + 'static,
    {
        let (form, path, id) = (self.form, self.path.clone(), self.id.clone());
        let invalid = self.error();
        let described = self.described_by();
        let blur_path = path.clone();
        let on_input = move |ev| {
            set(event_target_value(&ev));
            form.edited(&path);
        };
        let on_blur = move |_| form.touch(&blur_path);
        let control = match kind {
            Kind::Long => view! {
                <textarea
                    id=id.clone()
                    data-testid=id.clone()
                    rows="4"
                    aria-describedby=described
                    aria-invalid=move || invalid.with(Option::is_some).then_some("true")
                    prop:value=get
                    on:input=on_input
                    on:blur=on_blur
                ></textarea>
            }
            .into_any(),
            _ => {
                let input_type = match kind {
                    Kind::Date => "date",
                    Kind::DateTime => "datetime-local",
                    _ => "text",
                };
                view! {
                    <input
                        id=id.clone()
                        data-testid=id.clone()
                        type=input_type
                        autocomplete="off"
                        aria-describedby=described
                        aria-invalid=move || invalid.with(Option::is_some).then_some("true")
                        prop:value=get
                        on:input=on_input
                        on:blur=on_blur
                    />
                }
                .into_any()
            }
        };
        self.wrap(control)
    }

    /// A choice from a code list that may still be unmade; choosing shows
    /// the rule's verdict at once (a police vehicle is refused on the spot).
    pub fn choice<T, G, S>(self, (get, set): (G, S)) -> AnyView
    where
        T: Code,
        G: Fn() -> Option<T> + Send + Sync + 'static,
        S: Fn(Option<T>) + Send + Sync + 'static,
    {
        let value = Signal::derive(get);
        let (form, path, id) = (self.form, self.path.clone(), self.id.clone());
        let invalid = self.error();
        let control = view! {
            <select
                id=id.clone()
                data-testid=id
                aria-describedby=self.described_by()
                aria-invalid=move || invalid.with(Option::is_some).then_some("true")
                // Rows shift when one above is removed: the select follows.
                prop:value=move || value.get().map(T::code).unwrap_or_default()
                on:change=move |ev| {
                    let raw = event_target_value(&ev);
                    set(T::all().iter().copied().find(|t| t.code() == raw));
                    form.edited(&path);
                    form.touch(&path);
                }
            >
                <option value="" selected=move || value.get().is_none()>
                    "Choose…"
                </option>
                {T::all()
                    .iter()
                    .copied()
                    .map(|t| {
                        view! {
                            <option value=t.code() selected=move || value.get() == Some(t)>
                                {t.name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
        .into_any();
        self.wrap(control)
    }

    /// A choice that always has a value (a status that starts somewhere).
    pub fn pick<T, G, S>(self, (get, set): (G, S)) -> AnyView
    where
        T: Code,
        G: Fn() -> T + Send + Sync + 'static,
        S: Fn(T) + Send + Sync + 'static,
    {
        self.pick_from(T::all(), (get, set))
    }

    /// As `pick`, offering only `options`.
    pub fn pick_from<T, G, S>(self, options: &'static [T], (get, set): (G, S)) -> AnyView
    where
        T: Code,
        G: Fn() -> T + Send + Sync + 'static,
        S: Fn(T) + Send + Sync + 'static,
    {
        let value = Signal::derive(get);
        let (form, path, id) = (self.form, self.path.clone(), self.id.clone());
        let control = view! {
            <select
                id=id.clone()
                data-testid=id
                aria-describedby=self.described_by()
                prop:value=move || value.get().code()
                on:change=move |ev| {
                    let raw = event_target_value(&ev);
                    if let Some(t) = options.iter().copied().find(|t| t.code() == raw) {
                        set(t);
                    }
                    form.edited(&path);
                    form.touch(&path);
                }
            >
                {options
                    .iter()
                    .copied()
                    .map(|t| {
                        view! {
                            <option value=t.code() selected=move || value.get() == t>
                                {t.name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
        .into_any();
        self.wrap(control)
    }

    /// A yes/no, with the whole row as its touch target.
    pub fn checkbox<G, S>(self, (get, set): (G, S)) -> AnyView
    where
        G: Fn() -> bool + Send + Sync + 'static,
        S: Fn(bool) + Send + Sync + 'static,
    {
        let error = self.error();
        let (form, path, id) = (self.form, self.path.clone(), self.id.clone());
        view! {
            <div class=move || if error.with(Option::is_some) { "field field-check field-invalid" } else { "field field-check" }>
                <label for=id.clone()>
                    <input
                        id=id.clone()
                        data-testid=id.clone()
                        type="checkbox"
                        aria-describedby=format!("{id}-error")
                        prop:checked=get
                        on:change=move |ev| {
                            set(event_target_checked(&ev));
                            form.edited(&path);
                        }
                    />
                    <span>{self.label}</span>
                </label>
                <ErrorLine id error />
            </div>
        }
        .into_any()
    }
}

/// The message under a field, or under a list as a whole.
#[component]
pub fn ErrorLine(id: String, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <p class="field-error" id=format!("{id}-error") data-testid=format!("{id}-error")>
                    {message}
                </p>
            }
        })
    }
}

/// The message for a path that has no input of its own (a whole list).
pub fn list_error(form: FormState, path: &'static str, label: &str) -> impl IntoView {
    form.name(path, label);
    view! { <ErrorLine id=path_id(path) error=Signal::derive(move || form.error(path)) /> }
}

#[cfg(test)]
mod tests {
    use super::path_id;

    #[test]
    fn ids_follow_the_field_path() {
        assert_eq!(path_id("details.place_type"), "details-place-type");
        assert_eq!(
            path_id("details.officers_present[0].sex"),
            "details-officers-present-0-sex"
        );
        assert_eq!(path_id("occurred_at"), "occurred-at");
    }
}
