//! What a record carries because of a data subject's rights: the
//! supplementary statements that complete it (DPA 2018 s.46), shown above
//! its fields so nobody reads the record without them, and the badge of a
//! restricted record (s.47(2)).

use leptos::prelude::*;
use shared::rights::rectification::SupplementaryStatement;

/// The "Restricted" badge, for a heading; nothing when not restricted.
pub fn restricted_badge(restricted: bool, testid: &'static str) -> impl IntoView {
    restricted.then(|| {
        view! {
            <span
                class="badge badge-restricted"
                data-testid=testid
                title="Restricted under DPA 2018 s.47: kept, but not for ordinary processing"
            >
                "Restricted"
            </span>
        }
    })
}

/// Every statement, oldest first, each labelled; nothing when there are none.
#[component]
pub fn Statements(statements: Vec<SupplementaryStatement>) -> impl IntoView {
    (!statements.is_empty()).then(|| {
        view! {
            <section class="statements" data-testid="record-statements" aria-label="Supplementary statements">
                {statements
                    .into_iter()
                    .map(|s| {
                        view! {
                            <div class="banner banner-warning statement" data-testid="record-statement">
                                <p class="banner-title">"Supplementary statement (DPA 2018 s.46)"</p>
                                <p class="multiline" data-testid="record-statement-text">{s.statement}</p>
                                <p class="statement-added">
                                    {format!("Added {}", s.added_at.format("%d/%m/%Y %H:%M UTC"))}
                                </p>
                            </div>
                        }
                    })
                    .collect_view()}
            </section>
        }
    })
}
