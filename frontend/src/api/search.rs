//! Search: people by name, date of birth and where they live, however the
//! officer typed or misspelt them; and objects, locations and events by a
//! registration mark, a postcode, a street or free text. Every search is a
//! consultation of personal data, so it cites the working context.

use super::{ApiError, Call, authed, decode};
use crate::session::Session;
use shared::search::{PersonResults, RecordResults};
use uuid::Uuid;

/// What an officer asks for when looking for a person. Any part may be
/// empty; the server works out names and a date of birth from the one box
/// (`q`) and takes the other fields as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeopleSearch {
    /// The one box: "john smith 12/05/1980", "SMITH John", a name alone.
    pub q: String,
    pub forenames: String,
    pub surname: String,
    /// As typed: `YYYY`, `YYYY-MM`, `MM/YYYY`, `YYYY-MM-DD`, or day first
    /// with `/`, `-` or `.` (the server reads each).
    pub date_of_birth: String,
    pub postcode: String,
    pub town: String,
}

impl PeopleSearch {
    /// The parameters worth sending: a blank field would only narrow the
    /// search to nothing, or be refused.
    fn params(&self) -> Vec<(&'static str, String)> {
        [
            ("q", &self.q),
            ("forenames", &self.forenames),
            ("surname", &self.surname),
            ("date_of_birth", &self.date_of_birth),
            ("postcode", &self.postcode),
            ("town", &self.town),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| (name, value.trim().to_owned()))
        .collect()
    }

    /// The same search without the spaces typed around each part, so that
    /// a trailing space is not a new search.
    pub fn trimmed(&self) -> Self {
        let trim = |s: &String| s.trim().to_owned();
        Self {
            q: trim(&self.q),
            forenames: trim(&self.forenames),
            surname: trim(&self.surname),
            date_of_birth: trim(&self.date_of_birth),
            postcode: trim(&self.postcode),
            town: trim(&self.town),
        }
    }

    /// Nothing typed anywhere: there is nothing to ask the server.
    pub fn is_empty(&self) -> bool {
        self.params().is_empty()
    }
}

/// Which kind of record a records search looks in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordFamily {
    Object,
    Location,
    Event,
}

impl RecordFamily {
    pub const ALL: [RecordFamily; 3] = [Self::Object, Self::Location, Self::Event];

    /// The code the server uses in `family`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Object => "object",
            Self::Location => "location",
            Self::Event => "event",
        }
    }

    /// What an officer calls them.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Object => "Vehicles and other objects",
            Self::Location => "Places",
            Self::Event => "Occurrences and other events",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }

    /// Where a record of this family opens.
    pub fn href(self, id: Uuid) -> String {
        match self {
            Self::Object => format!("/objects/{id}"),
            Self::Location => format!("/locations/{id}"),
            Self::Event => format!("/events/{id}"),
        }
    }
}

/// The strongest matches for a person, each with why it matched.
pub async fn search_people(
    session: Session,
    search: &PeopleSearch,
) -> Result<PersonResults, ApiError> {
    let mut call = Call::get("/search/people".into()).consulting();
    call.query = search.params();
    decode(authed(session, &call).await?).await
}

/// Records matching `q`; `family` of `None` looks in all three.
pub async fn search_records(
    session: Session,
    q: &str,
    family: Option<RecordFamily>,
) -> Result<RecordResults, ApiError> {
    let mut call = Call::get("/search/records".into()).consulting();
    call.query.push(("q", q.trim().to_owned()));
    if let Some(family) = family {
        call.query.push(("family", family.as_str().to_owned()));
    }
    decode(authed(session, &call).await?).await
}

#[cfg(test)]
mod tests {
    use super::{PeopleSearch, RecordFamily};
    use uuid::Uuid;

    #[test]
    fn only_what_was_typed_is_sent_without_its_spaces() {
        let search = PeopleSearch {
            q: "  john smith 12/05/1980 ".into(),
            town: "   ".into(),
            ..PeopleSearch::default()
        };
        assert_eq!(search.params(), [("q", "john smith 12/05/1980".to_owned())]);
        assert!(!search.is_empty());
        assert!(
            PeopleSearch {
                surname: " ".into(),
                ..PeopleSearch::default()
            }
            .is_empty()
        );
        assert_eq!(search.trimmed().q, "john smith 12/05/1980");
    }

    #[test]
    fn each_family_opens_its_own_screen() {
        let id = Uuid::nil();
        for family in RecordFamily::ALL {
            assert_eq!(RecordFamily::parse(family.as_str()), Some(family));
        }
        assert_eq!(RecordFamily::parse("person"), None);
        assert_eq!(RecordFamily::Object.href(id), format!("/objects/{id}"));
        assert_eq!(RecordFamily::Location.href(id), format!("/locations/{id}"));
        assert_eq!(RecordFamily::Event.href(id), format!("/events/{id}"));
    }
}
