//! The case's history (who, when, what: each an audited alteration) and
//! what the latest compile found compared with the one before.

use leptos::prelude::*;
use shared::rights::RightsRequest;

#[component]
pub fn Timeline(case: RwSignal<RightsRequest>) -> impl IntoView {
    view! {
        <section class="card rights-timeline" data-testid="rights-timeline">
            <h2>"Timeline"</h2>
            <ol class="timeline">
                {move || {
                    case.with(|c| c.timeline.clone())
                        .into_iter()
                        .rev()
                        .map(|entry| {
                            view! {
                                <li class="timeline-entry" data-testid="rights-timeline-entry">
                                    <span class="timeline-when">{entry.at.format("%d/%m/%Y %H:%M").to_string()}</span>
                                    <span class="timeline-who">{entry.by}</span>
                                    <span class="timeline-what" data-testid="rights-timeline-what">{entry.what}</span>
                                    {entry.detail.map(|d| view! { <span class="timeline-detail multiline">{d}</span> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </section>
    }
}

/// "3 new: A, B, C", or nothing when the list is empty.
fn changes_line(what: &str, titles: &[String]) -> Option<String> {
    (!titles.is_empty()).then(|| format!("{} {what}: {}", titles.len(), titles.join("; ")))
}

#[component]
pub fn CompileSummaryView(case: RwSignal<RightsRequest>) -> impl IntoView {
    move || {
        case.with(|c| c.compiled.clone()).map(|s| {
            let first = s.number == 1;
            let lines: Vec<String> = [
                changes_line("new since the last compile", &s.added),
                changes_line("gone since the last compile", &s.removed),
                changes_line("changed since the last compile", &s.changed),
            ]
            .into_iter()
            .flatten()
            .collect();
            let unchanged = !first && lines.is_empty();
            view! {
                <section class="card rights-compiled" data-testid="rights-compile-summary">
                    <h2>{format!("Compile {}", s.number)}</h2>
                    <p>
                        {format!(
                            "Compiled {} from the records held: {} item{}.",
                            s.compiled_at.format("%d/%m/%Y %H:%M"),
                            s.items,
                            if s.items == 1 { "" } else { "s" },
                        )}
                    </p>
                    {(!first)
                        .then(|| {
                            view! {
                                <ul class="rights-changes" data-testid="rights-compile-changes">
                                    {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                                    {unchanged.then(|| view! { <li>"Nothing changed since the last compile."</li> })}
                                </ul>
                            }
                        })}
                </section>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::changes_line;

    #[test]
    fn a_change_line_counts_and_names_the_items() {
        assert_eq!(changes_line("new", &[]), None);
        assert_eq!(
            changes_line(
                "new",
                &["Occurrence OC/1".into(), "Vehicle: LS12ABC".into()]
            )
            .as_deref(),
            Some("2 new: Occurrence OC/1; Vehicle: LS12ABC")
        );
    }
}
