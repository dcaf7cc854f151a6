//! Erasure (DPA 2018 s.47) for the data protection officer: the plan of an
//! erasure request (what goes, what is kept without the person, what is
//! restricted instead, what is kept and why), the passages of kept records
//! to redact, the act itself, and the certificate it issues.

mod certificate;
mod execute;
mod lists;
mod passages;
mod plan;

pub use certificate::CertificatePage;
pub use plan::ErasurePlanPage;

use crate::api::ApiError;
use shared::error::{ErrorCode, Problem};
use shared::rights::erasure::PlanReason;
use uuid::Uuid;

/// An id from the route; a malformed one is answered as an unknown one.
fn route_id(raw: &str) -> Result<Uuid, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::Problem(Problem::new(ErrorCode::NotFound)))
}

/// Why an item is in the plan, in words.
fn reason_text(code: &str) -> String {
    PlanReason::parse(code)
        .map(|r| r.label().to_owned())
        .unwrap_or_else(|| crate::text::code_label(code))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_in_words_even_when_unknown() {
        assert_eq!(
            reason_text("only_subject"),
            "A record whose only subject is the person"
        );
        assert_eq!(reason_text("new_reason"), "New reason");
        assert_eq!(plural(1, "passage", "passages"), "1 passage");
        assert_eq!(plural(2, "passage", "passages"), "2 passages");
    }
}
