//! An item's fields, shown as they would be released under the decision
//! being made (the shared `PackField::released`, as the server builds the
//! pack), so another person stays redacted on screen unless the officer
//! asks to see the record as held. Under a release the officer may lift a
//! default redaction; under "release with redactions", choose the fields.

use super::item::Draft;
use super::request::CaseState;
use leptos::prelude::*;
use shared::rights::ItemDecision;
use shared::rights::pack::{Decision, PackField};

/// Adds `path` to `list`, or takes it out.
fn toggle(list: &mut Vec<String>, path: &str, on: bool) {
    list.retain(|p| p != path);
    if on {
        list.push(path.to_owned());
    }
}

#[component]
pub fn Fields(
    state: CaseState,
    draft: RwSignal<Draft>,
    fields: Vec<PackField>,
    default: Option<Decision>,
) -> impl IntoView {
    let as_held = RwSignal::new(false);
    let default = StoredValue::new(default);
    let under = move || draft.with(|d| default.with_value(|def| d.shown_under(def.as_ref())));
    let decision = move || draft.with(|d| d.decision);
    if fields.is_empty() {
        return view! { <p class="muted">"Nothing recorded."</p> }.into_any();
    }
    view! {
        <button
            type="button"
            class="button button-small rights-as-held"
            data-testid="rights-item-show-held"
            aria-pressed=move || as_held.get().to_string()
            on:click=move |_| as_held.update(|h| *h = !*h)
        >
            {move || if as_held.get() { "Show as released" } else { "Show as held" }}
        </button>
        <dl class="details rights-fields">
            {fields
                .into_iter()
                .map(|field| {
                    let path = field.path.clone();
                    let shown_field = field.clone();
                    let shown = move || {
                        if as_held.get() {
                            return shown_field.value.clone();
                        }
                        let d = under();
                        if d.decision == ItemDecision::Withhold {
                            "[withheld]".to_owned()
                        } else {
                            shown_field.released(&d)
                        }
                    };
                    let names_others = field.redacted_by_default || field.release_value.is_some();
                    let note = if field.redacted_by_default {
                        Some("Names another person: withheld unless released as held")
                    } else if field.release_value.is_some() {
                        Some("Other people's names are replaced by \"[another person]\"")
                    } else {
                        None
                    };
                    // Copied into every control without cloning the text.
                    let key = StoredValue::new(path.clone());
                    let unredacted = move || draft.with(|d| key.with_value(|k| d.unredact.contains(k)));
                    let redacted = move || draft.with(|d| key.with_value(|k| d.redactions.contains(k)));
                    let set = move |list: fn(&mut Draft) -> &mut Vec<String>, on: bool| {
                        key.with_value(|k| draft.update(|d| toggle(list(d), k, on)));
                    };
                    view! {
                        <dt>{field.label.clone()}</dt>
                        <dd data-testid="rights-field" data-path=path.clone()>
                            <span class="multiline rights-field-value" data-testid="rights-field-value">{shown}</span>
                            {note.map(|n| view! { <span class="field-hint rights-field-note">{n}</span> })}
                            <div class="rights-field-controls">
                            <Show when=move || state.can_change()>
                                <Show when=move || {
                                    names_others
                                        && matches!(decision(), Some(ItemDecision::Release | ItemDecision::Redact))
                                }>
                                    <label class="rights-check">
                                        <input
                                            type="checkbox"
                                            data-testid="rights-field-unredact"
                                            prop:checked=unredacted
                                            on:change=move |ev| set(|d| &mut d.unredact, event_target_checked(&ev))
                                        />
                                        "Release as held"
                                    </label>
                                </Show>
                                <Show when=move || decision() == Some(ItemDecision::Redact)>
                                    <label class="rights-check">
                                        <input
                                            type="checkbox"
                                            data-testid="rights-field-redact"
                                            prop:checked=redacted
                                            on:change=move |ev| set(|d| &mut d.redactions, event_target_checked(&ev))
                                        />
                                        "Redact"
                                    </label>
                                </Show>
                            </Show>
                            </div>
                        </dd>
                    }
                })
                .collect_view()}
        </dl>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::toggle;

    #[test]
    fn a_field_is_listed_once_or_not_at_all() {
        let mut list = vec!["details.narrative".to_owned()];
        toggle(&mut list, "details.narrative", true);
        assert_eq!(list, ["details.narrative"]);
        toggle(&mut list, "summary", true);
        toggle(&mut list, "details.narrative", false);
        assert_eq!(list, ["summary"]);
    }
}
