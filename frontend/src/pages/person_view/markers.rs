//! Warning markers, shown before anything else on the profile: an officer
//! reads them before approaching. A marker past its review date is still
//! shown, flagged, because an unreviewed warning may still be true.

use chrono::NaiveDate;
use leptos::prelude::*;
use shared::people::details::WarningMarker;

/// `YYYY-MM-DD` as officers write dates; anything else as it was stored.
pub fn uk_day(raw: &str) -> String {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| raw.to_owned())
}

fn overdue(review_date: &str) -> bool {
    NaiveDate::parse_from_str(review_date, "%Y-%m-%d")
        .is_ok_and(|d| d < chrono::Utc::now().date_naive())
}

#[component]
pub fn WarningMarkers(markers: Vec<WarningMarker>) -> impl IntoView {
    if markers.is_empty() {
        return view! {
            <p class="no-warnings" data-testid="person-no-warnings">
                "No warning markers."
            </p>
        }
        .into_any();
    }
    view! {
        <section class="warnings" role="alert" aria-label="Warning markers" data-testid="person-warnings">
            <h2>"Warning markers"</h2>
            <ul>
                {markers
                    .into_iter()
                    .map(|marker| {
                        let late = overdue(&marker.review_date);
                        view! {
                            <li class="warning" data-testid="person-warning">
                                <span class="warning-kind" data-testid="person-warning-kind">
                                    {marker.kind.label()}
                                </span>
                                <span class="warning-review" data-testid="person-warning-review">
                                    {format!("Review by {}", uk_day(&marker.review_date))}
                                    {late
                                        .then(|| {
                                            view! {
                                                <span class="badge badge-refused" data-testid="person-warning-overdue">
                                                    "Review overdue"
                                                </span>
                                            }
                                        })}
                                </span>
                                {(!marker.note.is_empty())
                                    .then(|| view! { <span class="warning-note">{marker.note.clone()}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
