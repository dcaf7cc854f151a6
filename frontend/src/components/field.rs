//! A labelled form field with its inline error message underneath.

use leptos::prelude::*;

/// Wraps one input. `id` must be the input's own id, so the label points at
/// it; the message is `{id}-error` (also its `data-testid`), which the input
/// names in `aria-describedby` so a screen reader reads it with the field.
#[component]
pub fn Field(
    label: &'static str,
    #[prop(into)] id: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class=move || if error.with(Option::is_some) { "field field-invalid" } else { "field" }>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=format!("{id}-hint")>{hint}</p> })}
            {children()}
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="field-error" id=format!("{id}-error") data-testid=format!("{id}-error")>
                                {message}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// The `aria-describedby` value for an input inside a [`Field`].
pub fn described_by(id: &str, has_hint: bool) -> String {
    if has_hint {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-error")
    }
}

/// The element id for a rule's field path, so the browser and the server
/// name the same field: `details.aliases[0].surname` becomes
/// `details-aliases-0-surname`.
pub fn field_id(path: &str) -> String {
    let mut id = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}
