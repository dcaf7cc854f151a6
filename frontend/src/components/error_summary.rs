//! Every problem of a form at its top, each a link to its field: on a
//! tablet the message under a field may be a screen away, and a screen
//! reader user lands here first.

use crate::components::field::field_id;
use crate::components::form::FormState;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Moves focus to the element with `id`, or brings its message into view
/// when nothing there takes focus.
pub fn focus(id: &str) {
    let page = document();
    if let Some(element) = page.get_element_by_id(id)
        && let Ok(element) = element.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = element.focus();
    } else if let Some(message) = page.get_element_by_id(&format!("{id}-error")) {
        message.scroll_into_view();
    }
}

/// Focuses `id` once the view has caught up with the signals just set.
pub fn focus_later(id: &'static str) {
    request_animation_frame(move || focus(id));
}

/// The summary, `id` on its element (focus it after a failed submit).
/// Fields are the inputs' `prefix` plus their path's id, as
/// [`crate::components::form::TextInput`] names them; `labels` names each
/// path for the list.
#[component]
pub fn ErrorSummary(
    form: FormState,
    id: &'static str,
    #[prop(optional)] prefix: &'static str,
    labels: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let errors = move || form.all_errors();
    let labels = StoredValue::new(labels);
    view! {
        <Show when=move || !errors().is_empty()>
            <div class="banner banner-error error-summary" id=id tabindex="-1" role="alert" data-testid=id>
                <p class="banner-title">"This cannot be saved yet. Correct these:"</p>
                <ul>
                    {move || {
                        errors()
                            .into_iter()
                            .map(|(path, message)| {
                                let target = format!("{prefix}{}", field_id(&path));
                                let label = labels
                                    .with_value(|l| l.iter().find(|(p, _)| *p == path).map(|(_, l)| *l));
                                let text = match label {
                                    Some(label) => format!("{label}: {message}"),
                                    None => message,
                                };
                                view! {
                                    <li>
                                        <a
                                            href=format!("#{target}")
                                            data-testid=format!("{id}-item")
                                            data-field=path
                                            on:click=move |ev| {
                                                ev.prevent_default();
                                                focus(&target);
                                            }
                                        >
                                            {text}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}
