//! Authentication (who), authorisation (may they), and the request context.

pub mod authorised;
pub mod client_token;
pub mod context;
pub mod keys;
pub mod me;
pub mod passwords;
pub mod refresh;
pub mod sessions;
pub mod sign_in;
pub mod tokens;

pub use authorised::{Authenticated, Authorised, perm};
pub use context::{Actor, RequestContext};
