//! Access tokens: short-lived JWTs signed with EdDSA, naming their key.

use super::keys::Keyring;
use crate::error::ApiError;
use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};
use shared::error::ErrorCode;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    User,
    ApiClient,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The user's or API client's id.
    pub sub: Uuid,
    pub typ: Subject,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
    /// The session (refresh-token family) of a user token: revoking the
    /// session ends the access token at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
    /// Roles for users, as names.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Granted permissions for API clients, space-separated (RFC 8693 style).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

pub fn sign(keys: &Keyring, claims: &Claims) -> Result<String, ApiError> {
    let key = keys
        .active()
        .ok_or_else(|| ApiError::internal("no signing key loaded"))?;
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, claims, &key.encoding).map_err(ApiError::internal)
}

/// Verifies signature, algorithm, issuer, audience and expiry. Only EdDSA is
/// accepted, so a token "signed" with HS256 using our public key, or with
/// `alg: none`, is refused.
pub fn verify(keys: &Keyring, issuer: &str, token: &str) -> Result<Claims, ApiError> {
    let refuse = |why: &str| ApiError::new(ErrorCode::Unauthenticated).detail(why.to_owned());
    let header = jsonwebtoken::decode_header(token).map_err(|_| refuse("malformed token"))?;
    if header.alg != Algorithm::EdDSA {
        return Err(refuse("token algorithm not accepted"));
    }
    let kid = header.kid.ok_or_else(|| refuse("token names no key"))?;
    let key = keys
        .find(&kid)
        .ok_or_else(|| refuse("token signed by an unknown key"))?;
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[issuer]);
    validation.leeway = 5;
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation)
        .map(|data| data.claims)
        .map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => refuse("token expired"),
            _ => refuse("token not valid"),
        })
}
