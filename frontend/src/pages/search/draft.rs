//! What the officer last searched for, so that going back from a hit finds
//! the search as it was left instead of an empty box.
//!
//! Kept in memory only, never in browser storage or the address: names and
//! dates of birth typed into a search are personal data, and a shared
//! tablet's history must not hold them. It belongs to one user; whoever
//! signs in next in the same tab starts with an empty search.

use crate::api::{PeopleSearch, RecordFamily};
use crate::session::use_session;
use leptos::prelude::*;
use shared::ids::UserId;

/// The two kinds of search on the screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    People,
    Records,
}

/// Everything typed or chosen on the search screen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    pub tab: Tab,
    pub people: PeopleSearch,
    /// Whether "More fields" was open.
    pub more_fields: bool,
    pub records: String,
    pub family: Option<RecordFamily>,
}

/// The app's one draft, provided at the root so that it outlives the page.
#[derive(Clone, Copy)]
pub struct SearchDraft {
    owner: StoredValue<Option<UserId>>,
    draft: StoredValue<Draft>,
}

impl SearchDraft {
    pub fn new() -> Self {
        Self {
            owner: StoredValue::new(None),
            draft: StoredValue::new(Draft::default()),
        }
    }

    /// The signed-in user's last search, or an empty one.
    pub fn take(&self) -> Draft {
        let me = use_session().user().map(|me| me.id);
        if self.owner.get_value() != me {
            self.owner.set_value(me);
            self.draft.set_value(Draft::default());
        }
        self.draft.get_value()
    }

    pub fn keep(&self, update: impl FnOnce(&mut Draft)) {
        self.draft.update_value(update);
    }
}

/// The draft provided at the root; a fresh one if a page is ever shown
/// outside it.
pub fn use_search_draft() -> SearchDraft {
    use_context::<SearchDraft>().unwrap_or_else(SearchDraft::new)
}
