//! Links between any two records (POLE), with the role each plays and, on a
//! person's link to an event, the category of data subject (DPA 2018 s.38(3)):
//! a person is a victim in one case and a suspect in another, so the category
//! lives on the link, never on the person.

use crate::code_list;
use crate::error::FieldErrors;
use crate::rules::Checker;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

code_list!(
    /// The four POLE entity families.
    RecordType {
        Person = ("person", "Person"),
        Object = ("object", "Object"),
        Location = ("location", "Location"),
        Event = ("event", "Event"),
    }
);

/// Names one record of any type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RecordKey {
    #[serde(rename = "type")]
    pub record_type: RecordType,
    pub id: Uuid,
}

code_list!(
    /// The part a record plays in what it is linked to.
    LinkRole {
        Suspect = ("suspect", "Suspect"),
        Victim = ("victim", "Victim"),
        Witness = ("witness", "Witness"),
        Complainant = ("complainant", "Complainant"),
        ReportingPerson = ("reporting_person", "Reporting person"),
        ArrestedPerson = ("arrested_person", "Arrested person"),
        Detainee = ("detainee", "Detained person"),
        SearchedPerson = ("searched_person", "Person searched"),
        Defendant = ("defendant", "Defendant"),
        SubjectOfIntelligence = ("subject_of_intelligence", "Subject of intelligence"),
        MissingPerson = ("missing_person", "Missing person"),
        Associate = ("associate", "Associate"),
        Owner = ("owner", "Owner"),
        Keeper = ("keeper", "Registered keeper"),
        Driver = ("driver", "Driver"),
        Passenger = ("passenger", "Passenger"),
        Exhibit = ("exhibit", "Exhibit"),
        ItemFound = ("item_found", "Item found"),
        LocationOfEvent = ("location_of_event", "Location of event"),
        HomeAddress = ("home_address", "Home address"),
        Other = ("other", "Other"),
    }
);

code_list!(
    /// Category of data subject (DPA 2018 s.38(3)), on person–event links.
    SubjectCategory {
        Suspect = ("suspect", "Suspect"),
        Convicted = ("convicted", "Convicted"),
        Victim = ("victim", "Victim"),
        Witness = ("witness", "Witness"),
        Other = ("other", "Other"),
    }
);

impl LinkRole {
    /// The category a role usually implies, offered as the form's default.
    pub const fn default_category(self) -> SubjectCategory {
        match self {
            // A search needs grounds to suspect the person: they are a suspect
            // for that event, whatever it found.
            LinkRole::Suspect
            | LinkRole::ArrestedPerson
            | LinkRole::Detainee
            | LinkRole::Defendant
            | LinkRole::SearchedPerson => SubjectCategory::Suspect,
            LinkRole::Victim | LinkRole::Complainant => SubjectCategory::Victim,
            LinkRole::Witness | LinkRole::ReportingPerson => SubjectCategory::Witness,
            _ => SubjectCategory::Other,
        }
    }
}

/// A link to make. On `POST /events` and friends, `from` may be omitted: it is
/// the record being created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewLink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<RecordKey>,
    pub to: RecordKey,
    pub role: LinkRole,
    /// Required when one end is a person and the other an event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_category: Option<SubjectCategory>,
}

impl NewLink {
    /// Checks the link once both ends are known. `path` is where it sat in
    /// the request (`links[0]`).
    pub fn check(&self, from: RecordKey, path: &str, c: &mut Checker) {
        let types = [from.record_type, self.to.record_type];
        let person_event =
            types.contains(&RecordType::Person) && types.contains(&RecordType::Event);
        if from == self.to {
            c.fail(
                &format!("{path}.to"),
                "self_link",
                "A record cannot be linked to itself",
            );
        }
        match (person_event, self.subject_category) {
            (true, None) => c.fail(
                &format!("{path}.subject_category"),
                "required",
                "Say whether this person is a suspect, convicted, a victim, a witness or other",
            ),
            (false, Some(_)) => c.fail(
                &format!("{path}.subject_category"),
                "not_applicable",
                "Only a person's link to an event has a subject category",
            ),
            _ => {}
        }
    }

    /// Checks the links sent with a new record: each starts from the new
    /// record (linking two other records is `POST /links`, which needs its
    /// own permission), and none is sent twice.
    pub fn check_on_create(links: &[NewLink], me: RecordKey, c: &mut Checker) {
        for (i, link) in links.iter().enumerate() {
            let path = format!("links[{i}]");
            if link.from.is_some_and(|f| f != me) {
                c.fail(
                    &format!("{path}.from"),
                    "not_this_record",
                    "Links sent with a new record start from it; omit `from`",
                );
            }
            link.check(me, &path, c);
            let twice = links[..i]
                .iter()
                .any(|l| l.to == link.to && l.role == link.role);
            if twice {
                c.fail(&path, "duplicate", "The same link is listed twice");
            }
        }
    }

    pub fn validate(&self) -> Result<(RecordKey, NewLink), FieldErrors> {
        let mut c = Checker::default();
        let Some(from) = self.from else {
            c.fail("from", "required", "Name the record to link from");
            return Err(c.errors);
        };
        self.check(from, "link", &mut c);
        // Paths here are top-level fields of the body.
        for e in &mut c.errors.0 {
            e.field = e.field.trim_start_matches("link.").to_owned();
        }
        c.finish((from, self.clone()))
    }
}

/// A link as the API returns it, seen from one record: `other` is the far end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Link {
    pub id: Uuid,
    pub from: RecordKey,
    pub to: RecordKey,
    pub role: LinkRole,
    pub subject_category: Option<SubjectCategory>,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(t: RecordType) -> RecordKey {
        RecordKey {
            record_type: t,
            id: Uuid::new_v4(),
        }
    }

    #[test]
    fn a_person_event_link_needs_a_subject_category_and_others_refuse_one() {
        let mut link = NewLink {
            from: Some(key(RecordType::Person)),
            to: key(RecordType::Event),
            role: LinkRole::Victim,
            subject_category: None,
        };
        let e = link.validate().unwrap_err();
        assert_eq!(e.0[0].field, "subject_category");
        link.subject_category = Some(SubjectCategory::Victim);
        assert!(link.validate().is_ok());
        link.to = key(RecordType::Object);
        assert_eq!(link.validate().unwrap_err().0[0].code, "not_applicable");
    }
}
