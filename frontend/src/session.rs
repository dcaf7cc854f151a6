//! Who is signed in, and the working context they declared.
//!
//! The access token lives only in memory: a script that reads storage cannot
//! take it. The refresh token and the user are kept in sessionStorage, so a
//! reload in the same tab keeps the session and closing the tab ends it. The
//! working context is kept there too: it is declared once per task, not once
//! per page.
//!
//! This module owns state only; talking to the server is `api`'s job.

use crate::api::RefreshInFlight;
use gloo_storage::{SessionStorage, Storage};
use leptos::prelude::*;
use shared::auth::{Me, TokenPair};
use shared::justification::Justification;

const REFRESH_TOKEN_KEY: &str = "probity.refresh_token";
const USER_KEY: &str = "probity.user";
const JUSTIFICATION_KEY: &str = "probity.justification";

pub const SESSION_EXPIRED: &str = "Your session has expired. Sign in again to carry on.";

/// Handles to the signed-in state; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Session {
    user: RwSignal<Option<Me>>,
    access_token: StoredValue<Option<String>>,
    justification: RwSignal<Option<Justification>>,
    /// Whether the user asked to change the working context.
    editing_context: RwSignal<bool>,
    /// A message for the sign-in page, such as "session expired".
    notice: RwSignal<Option<String>>,
    refresh: StoredValue<Option<RefreshInFlight>, LocalStorage>,
}

/// The session provided by the app's root.
pub fn use_session() -> Session {
    // The root always provides one; a fresh, signed-out session is a safe
    // answer if a component is ever rendered outside it.
    use_context::<Session>().unwrap_or_else(Session::restore)
}

impl Session {
    /// Reads what a reload left in sessionStorage.
    pub fn restore() -> Self {
        let has_refresh = SessionStorage::get::<String>(REFRESH_TOKEN_KEY).is_ok();
        let user = if has_refresh {
            SessionStorage::get::<Me>(USER_KEY).ok()
        } else {
            None
        };
        let justification = SessionStorage::get::<Justification>(JUSTIFICATION_KEY).ok();
        Self {
            user: RwSignal::new(user),
            access_token: StoredValue::new(None),
            justification: RwSignal::new(justification),
            editing_context: RwSignal::new(false),
            notice: RwSignal::new(None),
            refresh: StoredValue::new_local(None),
        }
    }

    pub fn user(&self) -> Option<Me> {
        self.user.get()
    }

    pub fn is_signed_in(&self) -> bool {
        self.user.with(Option::is_some)
    }

    /// Stores a new token pair: after sign-in and after every refresh, since
    /// the refresh token rotates and the old one must never be sent again.
    pub fn store_tokens(&self, pair: TokenPair) {
        let _ = SessionStorage::set(REFRESH_TOKEN_KEY, &pair.refresh_token);
        let _ = SessionStorage::set(USER_KEY, &pair.user);
        self.access_token.set_value(Some(pair.access_token));
        self.notice.set(None);
        if self.user.with_untracked(|u| u.as_ref() != Some(&pair.user)) {
            self.user.set(Some(pair.user));
        }
    }

    pub fn access_token(&self) -> Option<String> {
        self.access_token.try_get_value().flatten()
    }

    pub fn refresh_token(&self) -> Option<String> {
        SessionStorage::get::<String>(REFRESH_TOKEN_KEY).ok()
    }

    /// Forgets everything, keeping a message for the sign-in page.
    pub fn end(&self, notice: Option<&str>) {
        SessionStorage::delete(REFRESH_TOKEN_KEY);
        SessionStorage::delete(USER_KEY);
        SessionStorage::delete(JUSTIFICATION_KEY);
        self.access_token.set_value(None);
        self.justification.set(None);
        self.editing_context.set(false);
        self.notice.set(notice.map(str::to_owned));
        self.user.set(None);
    }

    pub fn notice(&self) -> Option<String> {
        self.notice.get()
    }

    pub fn justification(&self) -> Option<Justification> {
        self.justification.get()
    }

    pub fn justification_untracked(&self) -> Option<Justification> {
        self.justification.try_get_untracked().flatten()
    }

    pub fn has_justification(&self) -> bool {
        self.justification.with(Option::is_some)
    }

    pub fn declare(&self, justification: Justification) {
        let _ = SessionStorage::set(JUSTIFICATION_KEY, &justification);
        self.justification.set(Some(justification));
        self.editing_context.set(false);
    }

    /// The server refused the declared context (428): ask for it again.
    pub fn forget_justification(&self) {
        SessionStorage::delete(JUSTIFICATION_KEY);
        self.justification.try_set(None);
    }

    pub fn is_editing_context(&self) -> bool {
        self.editing_context.get()
    }

    pub fn set_editing_context(&self, editing: bool) {
        self.editing_context.set(editing);
    }

    pub(crate) fn refresh_in_flight(&self) -> Option<RefreshInFlight> {
        self.refresh.try_get_value().flatten()
    }

    pub(crate) fn set_refresh_in_flight(&self, refresh: Option<RefreshInFlight>) {
        self.refresh.try_set_value(refresh);
    }
}
