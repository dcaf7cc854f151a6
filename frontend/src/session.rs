//! Who is signed in, and the working context they declared.
//!
//! The access token lives only in memory: a script that reads storage cannot
//! take it. The refresh token and the user are kept in sessionStorage, so a
//! reload in the same tab keeps the session and closing the tab ends it. The
//! working context the server returned when it was declared is kept there
//! too: it is declared once per task, not once per page, and every request
//! cites its id.
//!
//! This module owns state only; talking to the server is `api`'s job.

use crate::api::RefreshInFlight;
use gloo_storage::{SessionStorage, Storage};
use leptos::prelude::*;
use shared::auth::{Me, TokenPair};
use shared::ids::WorkingContextId;
use shared::justification::WorkingContext;
use shared::permissions::Permission;

const REFRESH_TOKEN_KEY: &str = "probity.refresh_token";
const USER_KEY: &str = "probity.user";
const CONTEXT_KEY: &str = "probity.working_context";

pub const SESSION_EXPIRED: &str = "Your session has expired. Sign in again to carry on.";

/// Handles to the signed-in state; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Session {
    user: RwSignal<Option<Me>>,
    access_token: StoredValue<Option<String>>,
    context: RwSignal<Option<WorkingContext>>,
    /// Why the server refused the last working context, for the form.
    context_notice: RwSignal<Option<String>>,
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
        // A context that has run out is no use: the server would refuse it.
        let context = SessionStorage::get::<WorkingContext>(CONTEXT_KEY)
            .ok()
            .filter(|c| c.expires_at > chrono::Utc::now());
        Self {
            user: RwSignal::new(user),
            access_token: StoredValue::new(None),
            context: RwSignal::new(context),
            context_notice: RwSignal::new(None),
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
        SessionStorage::delete(CONTEXT_KEY);
        self.access_token.set_value(None);
        self.context.set(None);
        self.context_notice.set(None);
        self.editing_context.set(false);
        self.notice.set(notice.map(str::to_owned));
        self.user.set(None);
    }

    pub fn notice(&self) -> Option<String> {
        self.notice.get()
    }

    pub fn working_context(&self) -> Option<WorkingContext> {
        self.context.get()
    }

    pub fn working_context_untracked(&self) -> Option<WorkingContext> {
        self.context.try_get_untracked().flatten()
    }

    /// The id to cite in `Probity-Working-Context`.
    pub fn context_id_untracked(&self) -> Option<WorkingContextId> {
        self.context
            .try_with_untracked(|c| c.as_ref().map(|c| c.id))
            .flatten()
    }

    pub fn has_context(&self) -> bool {
        self.context.with(Option::is_some)
    }

    /// Keeps the context the server has just recorded.
    pub fn declare(&self, context: WorkingContext) {
        let _ = SessionStorage::set(CONTEXT_KEY, &context);
        self.context.set(Some(context));
        self.context_notice.set(None);
        self.editing_context.set(false);
    }

    /// The server refused the cited context (428: unknown, expired or not
    /// this user's): ask for it again, saying why. A context declared while
    /// the refused request was in flight is kept.
    pub fn forget_context(&self, refused: Option<WorkingContextId>, why: Option<String>) {
        // Nothing cited, or a context since replaced: nothing to forget.
        if refused.is_none() || refused != self.context_id_untracked() {
            return;
        }
        SessionStorage::delete(CONTEXT_KEY);
        self.context_notice.try_set(why);
        self.context.try_set(None);
    }

    pub fn context_notice(&self) -> Option<String> {
        self.context_notice.get()
    }

    /// Whether the signed-in user holds the permission.
    pub fn can(&self, permission: Permission) -> bool {
        self.user
            .with(|u| u.as_ref().is_some_and(|me| me.can(permission)))
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

/// Where a user starts: the people list for those who consult records, the
/// audit log for an auditor, who sees no records at all.
pub fn home_path(me: Option<&Me>) -> &'static str {
    match me {
        Some(me) if !me.can(Permission::PersonList) && me.can(Permission::AuditRead) => "/audit",
        _ => "/people",
    }
}
