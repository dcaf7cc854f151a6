//! One item of the pack: what it is, where it came from, the subject's part
//! in it, its fields as they would be released, and the decision on it.

use super::decisions::ItemState;
use super::fields::Fields;
use super::request::CaseState;
use crate::components::field::{Field, described_by};
use leptos::prelude::*;
use shared::rights::pack::{Decision, DecisionInput, PackItem};
use shared::rights::{ItemDecision, WithholdingGround};

/// The decision being made on an item, as the controls hold it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub decision: Option<ItemDecision>,
    pub redactions: Vec<String>,
    pub unredact: Vec<String>,
    /// a to e, or empty.
    pub ground: String,
    pub reason: String,
}

impl Draft {
    /// The officer's saved decision, or nothing yet (a default is not a
    /// decision the officer made, so it is shown, not pre-filled).
    pub fn from_item(item: &PackItem) -> Self {
        item.decision
            .as_ref()
            .map(|d| Self {
                decision: Some(d.decision),
                redactions: d.redactions.clone(),
                unredact: d.unredacted.clone(),
                ground: d.ground.map(|g| g.as_str().to_owned()).unwrap_or_default(),
                reason: d.reason.clone().unwrap_or_default(),
            })
            .unwrap_or_default()
    }

    /// What is sent for the item; nothing while undecided.
    pub fn to_input(&self, key: &str) -> Option<DecisionInput> {
        let decision = self.decision?;
        let restricting = decision != ItemDecision::Release;
        Some(DecisionInput {
            item: key.to_owned(),
            decision: decision.as_str().to_owned(),
            redactions: if decision == ItemDecision::Redact {
                self.redactions.clone()
            } else {
                Vec::new()
            },
            unredact: if decision == ItemDecision::Withhold {
                Vec::new()
            } else {
                self.unredact.clone()
            },
            ground: if restricting {
                self.ground.clone()
            } else {
                String::new()
            },
            reason: self.reason.clone(),
        })
    }

    /// The decision the fields are shown under: this one, else the item's
    /// default, else a plain release (what releasing would show).
    pub fn shown_under(&self, default: Option<&Decision>) -> Decision {
        let plain = |decision| Decision {
            decision,
            redactions: Vec::new(),
            unredacted: Vec::new(),
            ground: None,
            reason: None,
            decided_by: None,
            decided_at: None,
        };
        match self.decision {
            Some(decision) => Decision {
                redactions: if decision == ItemDecision::Redact {
                    self.redactions.clone()
                } else {
                    Vec::new()
                },
                unredacted: self.unredact.clone(),
                ..plain(decision)
            },
            None => default
                .cloned()
                .unwrap_or_else(|| plain(ItemDecision::Release)),
        }
    }
}

fn default_line(default: &Decision) -> String {
    match (default.decision, default.ground) {
        (ItemDecision::Withhold, Some(ground)) => {
            format!(
                "Unless you decide otherwise: withheld under {}",
                ground.label()
            )
        }
        (decision, _) => format!(
            "Unless you decide otherwise: {}",
            decision.label().to_lowercase()
        ),
    }
}

#[component]
pub fn ItemCard(state: CaseState, index: usize, item: ItemState) -> impl IntoView {
    let ItemState {
        item,
        draft,
        errors,
        ..
    } = item;
    let has_default = item.default.is_some();
    let pending = move || !has_default && draft.with(|d| d.decision.is_none());
    let decided = item.decision.as_ref().and_then(|d| {
        Some(format!(
            "Decided by {} on {}",
            d.decided_by.clone()?,
            d.decided_at?.format("%d/%m/%Y %H:%M")
        ))
    });
    let part = match (&item.role, &item.subject_category) {
        (Some(role), Some(category)) => {
            Some(format!("Their part: {role} (recorded as {category})"))
        }
        (Some(role), None) => Some(format!("Their part: {role}")),
        _ => None,
    };
    let choose = move |d: ItemDecision| draft.update(|x| x.decision = Some(d));
    let restricting = move || {
        draft.with(|d| {
            matches!(
                d.decision,
                Some(ItemDecision::Redact | ItemDecision::Withhold)
            )
        })
    };
    let error_for = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.for_field(field).map(|e| e.message.clone())))
    };
    // Ids the labels point at, kept where the controls can copy them.
    let ground_id = StoredValue::new(format!("rights-item-{index}-ground"));
    let reason_id = StoredValue::new(format!("rights-item-{index}-reason"));
    let fields = item.fields.clone();
    let item_default = item.default.clone();
    view! {
        <li
            class=move || if pending() { "card rights-item rights-item-undecided" } else { "card rights-item" }
            data-testid="rights-item"
            data-key=item.key.clone()
            data-category=item.category.clone()
        >
            <h3 class="rights-item-title" data-testid="rights-item-title">
                {item.title.clone()}
                <span class="badge badge-kind">{crate::text::code_label(&item.category)}</span>
                <Show when=pending>
                    <span class="badge badge-undecided" data-testid="rights-item-undecided">"Undecided"</span>
                </Show>
            </h3>
            <p class="rights-item-facts">
                {part.map(|p| view! { <span>{p}</span> })}
                <span data-testid="rights-item-source">{format!("Source: {}", item.source)}</span>
            </p>
            {item.default.as_ref().map(|d| view! { <p class="rights-default" data-testid="rights-item-default">{default_line(d)}</p> })}
            {decided.map(|d| view! { <p class="muted">{d}</p> })}
            <Fields state draft fields default=item_default />
            <Show when=move || state.can_change()>
                <div class="rights-decision" role="group" aria-label="Decision">
                    {ItemDecision::ALL
                        .iter()
                        .copied()
                        .map(|d| {
                            view! {
                                <button
                                    type="button"
                                    class="button choice-inline"
                                    data-testid=format!("rights-item-{}", d.as_str())
                                    aria-pressed=move || draft.with(|x| x.decision == Some(d)).to_string()
                                    on:click=move |_| choose(d)
                                >
                                    {d.label()}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                {move || errors.with(|e| e.for_field("redactions").map(|e| e.message.clone())).map(|m| view! { <p class="field-error">{m}</p> })}
                <Show when=restricting>
                    <div class="field-pair rights-ground">
                        <Field label="Ground (s.45(4))" id=ground_id.get_value() error=error_for("ground")>
                            <select
                                id=ground_id.get_value()
                                data-testid="rights-item-ground"
                                aria-describedby=ground_id.with_value(|id| described_by(id, false))
                                on:change=move |ev| draft.update(|d| d.ground = event_target_value(&ev))
                            >
                                <option value="" selected=move || draft.with(|d| d.ground.is_empty())>"Choose the ground"</option>
                                {WithholdingGround::ALL
                                    .iter()
                                    .map(|g| {
                                        let code = g.as_str();
                                        view! {
                                            <option value=code selected=move || draft.with(|d| d.ground == code)>
                                                {g.label()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </Field>
                        <Field
                            label="Reason, for the Commissioner"
                            id=reason_id.get_value()
                            hint="Never sent to the requester"
                            error=error_for("reason")
                        >
                            <textarea
                                id=reason_id.get_value()
                                data-testid="rights-item-reason"
                                rows="2"
                                aria-describedby=reason_id.with_value(|id| described_by(id, true))
                                prop:value=move || draft.with(|d| d.reason.clone())
                                on:input=move |ev| draft.update(|d| d.reason = event_target_value(&ev))
                            ></textarea>
                        </Field>
                    </div>
                </Show>
            </Show>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::Draft;
    use shared::rights::ItemDecision;

    #[test]
    fn an_undecided_draft_sends_nothing_and_a_release_sends_no_ground() {
        assert_eq!(Draft::default().to_input("event:1"), None);
        let draft = Draft {
            decision: Some(ItemDecision::Release),
            ground: "b".into(),
            redactions: vec!["details.narrative".into()],
            ..Draft::default()
        };
        let input = draft.to_input("event:1").unwrap_or_default();
        assert_eq!(input.decision, "release");
        assert!(input.ground.is_empty() && input.redactions.is_empty());
    }
}
