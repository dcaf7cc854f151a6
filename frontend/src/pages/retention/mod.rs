//! Review, retention and disposal under MoPI, for supervisors and the data
//! protection officer: the people whose records are due for review, oldest
//! due first, and the review of one person (the six questions; any yes
//! retains, all no disposes by erasure).

mod form;
mod history;
mod queue;
mod review;

pub use queue::ReviewsDue;
pub use review::ReviewPage;

use shared::rights::retention::{DueReview, MopiGroup};

/// "Group 2: other sexual, violent or serious offences".
fn group_text(n: i16) -> &'static str {
    MopiGroup::from_number(n).label()
}

/// "SURNAME, Forenames", as officers read nominals.
fn name_of(due: &DueReview) -> String {
    match &due.forenames {
        Some(f) if !f.is_empty() => format!("{}, {f}", due.surname.to_uppercase()),
        _ => due.surname.to_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_reads_in_words() {
        assert!(group_text(1).starts_with("Group 1"));
        assert!(group_text(7).starts_with("Group 3"));
    }
}
