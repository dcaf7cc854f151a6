//! Third-party applications: registered by an administrator, given scopes,
//! and authenticated with the OAuth2 client-credentials grant.

pub mod admin;
