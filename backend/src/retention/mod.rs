//! Review, retention and disposal (DPA 2018 s.39; MoPI): each person's next
//! review worked out from their records (`schedule`, by the force's
//! `rules`), the queue of reviews due and the review itself (`review`):
//! retain with a rationale, or dispose, which is an erasure with its
//! certificate.

pub mod cli;
pub mod http;
pub mod review;
pub mod rules;
pub mod schedule;
