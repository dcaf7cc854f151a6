//! How strongly a hit matches, shown modestly: a ranking aid, not a
//! probability that it is the person or record wanted.

use leptos::prelude::*;

/// A short bar and "87% match" for a score from 0 to 1.
#[component]
pub fn MatchScore(score: f32) -> impl IntoView {
    // Whole percentages only: finer would suggest a precision it lacks.
    let percent = format!("{:.0}", score.clamp(0.0, 1.0) * 100.0);
    view! {
        <span class="hit-score" data-testid="hit-score" title="How much of what was typed this matches">
            <span class="score-bar" aria-hidden="true">
                <span class="score-fill" style=format!("width: {percent}%")></span>
            </span>
            <span class="score-text">{format!("{percent}% match")}</span>
        </span>
    }
}
