//! The response letter and what s.45(2) says the subject must be told: the
//! purposes and legal basis of processing, the categories of data, how long
//! it is kept, their other rights and how to complain to the Commissioner.

use chrono::NaiveDate;
use shared::rights::pack::{Outcome, ProcessingInformation};

pub struct LetterFacts<'a> {
    pub controller: &'a str,
    pub reference: &'a str,
    pub requester_name: &'a str,
    pub received_on: NaiveDate,
    pub outcome: Outcome,
    pub records: usize,
    pub withheld: bool,
    pub consultations: usize,
}

pub fn letter(f: &LetterFacts) -> Vec<String> {
    let mut p = vec![
        format!("Dear {},", f.requester_name),
        format!(
            "Your request for access to your personal data (our reference {}), received on {}",
            f.reference,
            f.received_on.format("%-d %B %Y")
        ),
    ];
    match f.outcome {
        Outcome::DataEnclosed => {
            p.push(format!(
                "We have searched the records {} holds and enclose the personal data about you that we hold: {} record{}, where each came from, to whom it has been disclosed, and who in the force has consulted it.",
                f.controller,
                f.records,
                if f.records == 1 { "" } else { "s" }
            ));
            if f.consultations > 0 {
                p.push(format!(
                    "The list of who has seen your records ({} entries) comes from the force's audit log. Each entry carries the proof that it is in that log, so that you, or the Information Commissioner, can check it without relying on us: the method is set out at the end of this pack.",
                    f.consultations
                ));
            }
            if f.withheld {
                p.push("Some information has been withheld or redacted, as section 45(4) of the Data Protection Act 2018 allows where this is necessary and proportionate. You may complain to the Information Commissioner about this.".into());
            }
        }
        Outcome::NoDataHeld => p.push(format!(
            "We have searched the records {} holds and we do not hold any personal data about you.",
            f.controller
        )),
        Outcome::NeitherConfirmNorDeny => p.push(
            "We can neither confirm nor deny whether we hold personal data about you, as section 45(5) of the Data Protection Act 2018 allows. You may complain to the Information Commissioner about this response."
                .into(),
        ),
    }
    p.push(rights().into());
    p.push(complaints().into());
    p.push(format!(
        "Yours sincerely,\nData Protection Officer, {}",
        f.controller
    ));
    p
}

fn rights() -> &'static str {
    "You have the right to ask us to correct personal data that is inaccurate or incomplete (section 46), to erase it where keeping it breaks the data protection principles, or to restrict its use instead (section 47). Write to the Data Protection Officer, quoting the reference above."
}

fn complaints() -> &'static str {
    "If you are unhappy with this response you may complain to the Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF (ico.org.uk, 0303 123 1113), or apply to a court (section 167)."
}

pub fn processing(controller: &str) -> ProcessingInformation {
    ProcessingInformation {
        purposes: format!(
            "{controller} processes personal data for the law enforcement purposes: the prevention, investigation, detection or prosecution of criminal offences and the execution of criminal penalties, including safeguarding against threats to public security (Data Protection Act 2018, section 31)."
        ),
        legal_basis: "Processing is necessary for the performance of a task carried out for the law enforcement purposes by a competent authority (section 35(2)(b)), under the common law powers and statutory functions of the police.".into(),
        categories: "Identifying details (names, dates of birth, addresses, identifiers), descriptions of events in which you were involved and your role in them (for example as a witness, a victim or a suspect), records of searches and custody, intelligence, and records of who has consulted or received these.".into(),
        retention: "Records are kept and reviewed under the College of Policing's Management of Police Information (MoPI) guidance: records of the most serious matters are kept until the subject would be 100 and reviewed every 10 years; others are reviewed after a clear period of 10 or 6 years and deleted unless a review finds a continuing need.".into(),
        your_rights: rights().into(),
        complaints: complaints().into(),
    }
}
