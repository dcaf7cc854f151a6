//! A released pack as a PDF the force can post, every page footed with the
//! request's reference (layout in `crate::pdf`).

use crate::pdf::{Layout, Weight};
use shared::rights::pack::{Outcome, SubjectAccessPack};

/// The PDF of a released pack.
pub fn render(pack: &SubjectAccessPack) -> Result<Vec<u8>, String> {
    let mut l = Layout::new().ok_or("the embedded fonts could not be measured")?;
    l.text(&pack.controller, 15.0, Weight::Bold, 0.0, 2.0);
    l.text(
        "Response to a subject access request",
        12.0,
        Weight::Regular,
        0.0,
        2.0,
    );
    l.text(
        &format!(
            "Our reference {} · {}",
            pack.reference,
            pack.generated_at.format("%-d %B %Y")
        ),
        10.0,
        Weight::Regular,
        0.0,
        10.0,
    );
    l.text(&pack.requester_name, 10.5, Weight::Regular, 0.0, 0.0);
    l.text(&pack.requester_contact, 10.5, Weight::Regular, 0.0, 12.0);
    for paragraph in &pack.letter {
        l.text(paragraph, 10.5, Weight::Regular, 0.0, 7.0);
    }
    if pack.outcome == Outcome::DataEnclosed {
        l.heading("The personal data we hold about you");
        for r in &pack.records {
            l.text(&r.title, 11.0, Weight::Bold, 0.0, 1.0);
            let mut about = Vec::new();
            if let Some(role) = &r.role {
                about.push(format!("Your role: {role}"));
            }
            if let Some(c) = &r.subject_category {
                about.push(format!("Recorded as: {c}"));
            }
            about.push(format!("Source: {}", r.source));
            l.text(&about.join(" · "), 9.0, Weight::Regular, 0.0, 2.0);
            for (label, value) in &r.fields {
                l.text(
                    &format!("{label}: {value}"),
                    9.5,
                    Weight::Regular,
                    10.0,
                    0.5,
                );
            }
            l.y += 6.0;
        }
        l.heading("Who your records were disclosed to");
        if pack.recipients.is_empty() {
            l.text(
                "Your records have not been disclosed outside the force.",
                9.5,
                Weight::Regular,
                0.0,
                4.0,
            );
        }
        for d in &pack.recipients {
            l.text(
                &format!(
                    "{} · {} · purpose: {}",
                    d.occurred_at.format("%d/%m/%Y"),
                    d.recipient,
                    d.purpose.clone().unwrap_or_else(|| "not stated".into())
                ),
                9.5,
                Weight::Regular,
                0.0,
                1.0,
            );
        }
        if let Some(history) = &pack.consultations {
            l.heading("Who has seen your records");
            l.text(
                "Each line is one entry of the force's audit log: when, for what purpose and in what role. Staff names are withheld (section 45(4)(e)). The position and hash let each entry be checked against the signed log; the full proof of each is in the JSON version of this pack.",
                9.0,
                Weight::Regular,
                0.0,
                4.0,
            );
            for e in &history.entries {
                l.text(
                    &format!(
                        "{} · {} · {} · {} · position {} · {}",
                        e.occurred_at.format("%d/%m/%Y %H:%M"),
                        e.operation,
                        e.purpose.clone().unwrap_or_else(|| "not stated".into()),
                        e.by,
                        e.position,
                        &e.content_hash[..16.min(e.content_hash.len())]
                    ),
                    8.5,
                    Weight::Regular,
                    0.0,
                    0.5,
                );
            }
            if let Some(cp) = &history.checkpoint {
                l.heading("Checking the list");
                l.text(&history.how_to_verify, 8.5, Weight::Regular, 0.0, 4.0);
                l.text("The signed checkpoint:", 8.5, Weight::Bold, 0.0, 1.0);
                l.text(&cp.message, 8.0, Weight::Regular, 10.0, 2.0);
                l.text(
                    &format!("Signature: {}", cp.signature),
                    8.0,
                    Weight::Regular,
                    10.0,
                    1.0,
                );
                l.text(
                    &format!("Public key: {}", cp.public_key),
                    8.0,
                    Weight::Regular,
                    10.0,
                    4.0,
                );
            }
        }
    }
    if let Some(p) = &pack.processing {
        l.heading("How and why we process personal data");
        for (title, text) in [
            ("Purposes", &p.purposes),
            ("Legal basis", &p.legal_basis),
            ("What we hold", &p.categories),
            ("How long we keep it", &p.retention),
            ("Your rights", &p.your_rights),
            ("Complaints", &p.complaints),
        ] {
            l.text(title, 10.0, Weight::Bold, 0.0, 1.0);
            l.text(text, 9.5, Weight::Regular, 0.0, 5.0);
        }
    }
    l.finish(&pack.reference)
}
