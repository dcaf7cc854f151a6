//! Who is asking, in what role, and why: carried into every handler and
//! every data-access function, so the audit event can always be written.

use shared::ids::{ApiClientId, UserId};
use shared::justification::Justification;
use shared::permissions::{Permission, Role};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A member of staff, signed in within a session.
    User { id: UserId, session: Uuid },
    /// A third-party application using the client-credentials grant.
    ApiClient { id: ApiClientId, client_id: String },
    /// Probity itself, acting for an operator at the command line (demo
    /// data, imports): still audited, under this name.
    System { name: &'static str },
}

impl Actor {
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::User { .. } => "user",
            Actor::ApiClient { .. } => "api_client",
            Actor::System { .. } => "system",
        }
    }

    pub fn id(&self) -> Option<Uuid> {
        match self {
            Actor::User { id, .. } => Some(id.0),
            Actor::ApiClient { id, .. } => Some(id.0),
            Actor::System { .. } => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct RequestContext {
    pub actor: Actor,
    /// Roles of a user (empty for API clients).
    pub roles: Vec<Role>,
    /// What the caller may do: from roles for users, scopes for clients.
    pub permissions: Vec<Permission>,
    pub request_id: String,
    /// Why personal data is being read (DPA 2018 s.62).
    pub justification: Option<Justification>,
    /// The declared working context the justification came from, if any.
    pub working_context: Option<Uuid>,
    /// The member of staff a third-party application acts for, if it says.
    pub on_behalf_of: Option<Uuid>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
}

impl RequestContext {
    /// Probity acting on an operator's command, with every permission the
    /// command needs; its events name the command.
    pub fn system(name: &'static str, permissions: Vec<Permission>) -> Self {
        Self {
            actor: Actor::System { name },
            roles: Vec::new(),
            permissions,
            request_id: format!("cli-{}", Uuid::new_v4()),
            justification: None,
            working_context: None,
            on_behalf_of: None,
            client_addr: None,
            user_agent: Some(format!("probity/{name}")),
        }
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}
