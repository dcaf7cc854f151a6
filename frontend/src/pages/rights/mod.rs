//! Data subjects' rights requests (DPA 2018 ss.45, 53, 54), for the data
//! protection officer, who answers them, and auditors, who check they are
//! answered lawfully and on time: the list by days left, recording a
//! request, the case with its clock, subjects and timeline, the decision on
//! each item of the pack, the printable preview and the released files.

mod actions;
mod answer;
mod decisions;
mod erasure;
mod fields;
mod identity;
mod item;
mod list;
mod new;
mod notifications;
mod panels;
mod preview;
mod records;
mod rectify;
mod request;
mod response;
mod restrict;
mod subjects;
mod timeline;

pub use list::RightsRequests;
pub use new::NewRightsRequest;
pub use preview::ResponsePreview;
pub use request::RightsRequestPage;

use crate::api::ApiError;
use chrono::NaiveDate;
use leptos::prelude::*;
use shared::error::{ErrorCode, Problem};
use shared::rights::RequestStatus;
use uuid::Uuid;

/// The case named by the route's `:id`; a malformed id is answered as the
/// server would answer an unknown one.
fn case_id(raw: &str) -> Result<Uuid, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::Problem(Problem::new(ErrorCode::NotFound)))
}

fn uk(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// How the clock reads in words, so "overdue" is never told by colour alone.
fn days_left_text(open: bool, days_left: Option<i64>, overdue: bool, paused: bool) -> String {
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    match days_left {
        _ if !open => "Closed".to_owned(),
        None => "Not started: identity not proved".to_owned(),
        Some(n) if overdue || n < 0 => {
            let late = n.abs();
            format!("Overdue by {late} day{}", plural(late))
        }
        Some(0) if !paused => "Due today".to_owned(),
        Some(n) if paused => format!("{n} day{} left (clock paused)", plural(n)),
        Some(n) => format!("{n} day{} left", plural(n)),
    }
}

/// A case's state as a badge, with its own words.
fn status_badge(status: RequestStatus) -> impl IntoView {
    let tone = match status {
        RequestStatus::Responded => "badge badge-allowed",
        RequestStatus::Refused | RequestStatus::Withdrawn => "badge badge-closed",
        _ => "badge badge-kind",
    };
    view! {
        <span class=tone data-testid="rights-status" data-status=status.as_str()>
            {status.label()}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::days_left_text;

    #[test]
    fn the_clock_reads_in_words_overdue_first() {
        assert_eq!(
            days_left_text(true, Some(-3), true, false),
            "Overdue by 3 days"
        );
        assert_eq!(
            days_left_text(true, Some(-1), true, false),
            "Overdue by 1 day"
        );
        assert_eq!(days_left_text(true, Some(0), false, false), "Due today");
        assert_eq!(days_left_text(true, Some(1), false, false), "1 day left");
        assert_eq!(
            days_left_text(true, Some(12), false, true),
            "12 days left (clock paused)"
        );
        assert_eq!(
            days_left_text(true, None, false, false),
            "Not started: identity not proved"
        );
        assert_eq!(days_left_text(false, Some(-9), true, false), "Closed");
    }
}
