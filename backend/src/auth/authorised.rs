//! `Authorised<P>`: a handler's signature states the permission it needs.
//!
//! The extractor verifies the bearer token, checks that the session or API
//! client is still live (so revocation and disabling take effect at once),
//! checks the permission, and, where the permission returns personal data,
//! requires a stated justification. It yields the [`RequestContext`].
//! Refusals after authentication are audited.

use super::context::{Actor, RequestContext};
use super::tokens::{self, Subject};
use crate::audit::{self, RecordRef};
use crate::db::schema::{api_clients, sessions, users};
use crate::error::ApiError;
use crate::state::AppState;
use crate::telemetry::RequestId;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::future::LocalBoxFuture;
use shared::error::ErrorCode;
use shared::error::{FieldError, FieldErrors};
use shared::ids::{ApiClientId, UserId};
use shared::justification::{
    JUSTIFICATION_HEADER, Justification, ON_BEHALF_OF_HEADER, WORKING_CONTEXT_HEADER,
};
use shared::permissions::{Permission, Role};
use std::marker::PhantomData;
use std::str::FromStr;

/// A permission named at the type level.
pub trait RequiredPermission: 'static {
    const PERMISSION: Permission;
}

/// Marker types, one per permission, for handler signatures.
pub mod perm {
    use super::RequiredPermission;
    use shared::permissions::Permission;

    macro_rules! markers {
        ($($name:ident),* $(,)?) => {$(
            pub struct $name;
            impl RequiredPermission for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*};
    }

    markers!(
        PersonCreate,
        PersonRead,
        PersonList,
        PersonUpdate,
        PersonDisclose,
        PersonExport,
        PersonMerge,
        PersonRestrict,
        PersonErase,
        RecordCreate,
        RecordRead,
        RecordList,
        RecordUpdate,
        RecordLink,
        RecordImport,
        IntelligenceRead,
        IntelligenceConditioned,
        IntelligenceSource,
        UserAdmin,
        ApiClientAdmin,
        AuditRead,
        OrganisationAdmin,
        RightsManage,
        RightsRead,
        RecordRestrict,
        RetentionReview,
        OversightRead,
    );
}

pub struct Authorised<P> {
    pub ctx: RequestContext,
    _permission: PhantomData<P>,
}

/// Any signed-in caller, whatever their permissions (for "who am I").
pub struct Authenticated(pub RequestContext);

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("application state missing"))
}

/// Who the caller is, checked against the live state of their account.
async fn authenticate(state: &AppState, req: &HttpRequest) -> Result<RequestContext, ApiError> {
    let token = bearer(req).ok_or_else(|| ApiError::unauthenticated("no bearer token"))?;
    let claims = tokens::verify(&state.keys, &state.config.jwt_issuer, &token)?;
    let mut conn = state.pool.get().await?;
    let now = chrono::Utc::now();
    let (actor, roles, permissions) = match claims.typ {
        Subject::User => {
            let session = claims
                .sid
                .ok_or_else(|| ApiError::unauthenticated("token names no session"))?;
            let role_names: Vec<String> = sessions::table
                .inner_join(users::table)
                .filter(sessions::id.eq(session))
                .filter(sessions::user_id.eq(claims.sub))
                .filter(sessions::revoked_at.is_null())
                .filter(sessions::expires_at.gt(now))
                .filter(users::disabled_at.is_null())
                .select(users::roles)
                .first(&mut conn)
                .await
                .optional()?
                .ok_or_else(|| ApiError::unauthenticated("session ended"))?;
            let roles: Vec<Role> = role_names.iter().filter_map(|r| r.parse().ok()).collect();
            let mut permissions: Vec<Permission> = roles
                .iter()
                .flat_map(|r| r.permissions().iter().copied())
                .collect();
            permissions.sort();
            permissions.dedup();
            let actor = Actor::User {
                id: UserId(claims.sub),
                session,
            };
            (actor, roles, permissions)
        }
        Subject::ApiClient => {
            let (client_id, scopes): (String, Vec<String>) = api_clients::table
                .filter(api_clients::id.eq(claims.sub))
                .filter(api_clients::disabled_at.is_null())
                .select((api_clients::client_id, api_clients::scopes))
                .first(&mut conn)
                .await
                .optional()?
                .ok_or_else(|| ApiError::unauthenticated("API client disabled"))?;
            // The token's scope may be narrower than the client's grant.
            let granted: Vec<Permission> = scopes
                .iter()
                .filter_map(|s| Permission::from_str(s).ok())
                .filter(|p| {
                    claims
                        .scope
                        .as_deref()
                        .is_none_or(|scope| scope.split(' ').any(|s| s == p.as_str()))
                })
                .collect();
            let actor = Actor::ApiClient {
                id: ApiClientId(claims.sub),
                client_id,
            };
            (actor, Vec::new(), granted)
        }
    };
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(256).collect::<String>())
    };
    let on_behalf_of = on_behalf_of(&mut conn, req, &actor).await?;
    Ok(RequestContext {
        actor,
        roles,
        permissions,
        request_id,
        justification: None,
        working_context: None,
        on_behalf_of,
        // The socket's peer, never X-Forwarded-For: a caller must not be
        // able to choose the address the audit log records.
        client_addr: req.peer_addr().map(|a| a.ip().to_string()),
        user_agent: header("user-agent"),
    })
}

/// The member of staff a third-party application says it acts for: an
/// active user, or the request is refused (an unchecked id in the log would
/// be worse than none). Staff signed in themselves act for no one else.
async fn on_behalf_of(
    conn: &mut AsyncPgConnection,
    req: &HttpRequest,
    actor: &Actor,
) -> Result<Option<uuid::Uuid>, ApiError> {
    let Some(value) = req.headers().get(ON_BEHALF_OF_HEADER) else {
        return Ok(None);
    };
    let refuse = |code: &'static str, message: &str| {
        ApiError::field(FieldError::new(ON_BEHALF_OF_HEADER, code, message))
    };
    if !matches!(actor, Actor::ApiClient { .. }) {
        return Err(refuse(
            "not_an_application",
            "Only a third-party application acts on behalf of a member of staff",
        ));
    }
    let user = value
        .to_str()
        .ok()
        .and_then(|v| uuid::Uuid::parse_str(v.trim()).ok())
        .ok_or_else(|| refuse("malformed", "Send the member of staff's Probity user id"))?;
    let active: i64 = users::table
        .filter(users::id.eq(user))
        .filter(users::disabled_at.is_null())
        .count()
        .get_result(conn)
        .await?;
    if active == 0 {
        return Err(refuse(
            "unknown_user",
            "No active member of staff has that user id",
        ));
    }
    Ok(Some(user))
}

/// The record named in the path, if any, for the refusal's audit event.
fn path_record(req: &HttpRequest, permission: Permission) -> Vec<RecordRef> {
    let kind = match permission {
        Permission::PersonRead
        | Permission::PersonUpdate
        | Permission::PersonDisclose
        | Permission::PersonExport
        | Permission::PersonMerge
        | Permission::PersonRestrict
        | Permission::PersonErase => "person",
        _ => return Vec::new(),
    };
    req.match_info()
        .get("id")
        .and_then(|id| uuid::Uuid::parse_str(id).ok())
        .map(|id| vec![RecordRef::new(kind, id)])
        .unwrap_or_default()
}

/// The justification the request states, directly or by citing a working
/// context; `None` when it states none.
async fn stated_justification(
    state: &AppState,
    req: &HttpRequest,
    ctx: &mut RequestContext,
) -> Result<Option<Result<Justification, FieldErrors>>, ApiError> {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .map(|v| v.to_str().unwrap_or_default().to_owned())
    };
    if let Some(stated) = header(JUSTIFICATION_HEADER) {
        return Ok(Some(Justification::from_header(&stated)));
    }
    let Some(cited) = header(WORKING_CONTEXT_HEADER) else {
        return Ok(None);
    };
    let expired = || {
        Some(Err(FieldErrors(vec![FieldError::new(
            "working_context",
            "unknown_or_expired",
            "That working context is unknown or has expired: declare a new one",
        )])))
    };
    let (Actor::User { id, .. }, Ok(context)) = (&ctx.actor, uuid::Uuid::parse_str(cited.trim()))
    else {
        return Ok(expired());
    };
    let mut conn = state.pool.get().await?;
    match crate::justification::resolve(&mut conn, id.0, context).await? {
        Some(j) => {
            ctx.working_context = Some(context);
            Ok(Some(Ok(j)))
        }
        None => Ok(expired()),
    }
}

impl<P: RequiredPermission> FromRequest for Authorised<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        // A bad body or query waits for this decision before it answers,
        // so a caller without the permission is refused, not coached.
        let gate = crate::body::AuthGate::default();
        req.extensions_mut().insert(gate.clone());
        Box::pin(async move {
            let _decided = crate::body::OpenOnDrop(gate);
            let state = app_state(&req)?;
            let mut ctx = authenticate(&state, &req).await?;
            let permission = P::PERMISSION;
            if !ctx.can(permission) {
                audit::record_refusal(&state, &ctx, permission, path_record(&req, permission))
                    .await;
                return Err(ApiError::forbidden().detail(format!("requires {permission}")));
            }
            let justification = stated_justification(&state, &req, &mut ctx)
                .await?
                .map(|stated| {
                    stated.and_then(|j| crate::justification::accepted(&state.config, j))
                });
            match justification {
                Some(Ok(j)) => ctx.justification = Some(j),
                Some(Err(errors))
                    if permission.needs_justification() && state.config.justification_required =>
                {
                    audit::record_refusal(&state, &ctx, permission, path_record(&req, permission))
                        .await;
                    let mut error = ApiError::new(ErrorCode::JustificationRequired)
                        .detail("The stated justification is not valid");
                    error.fields = errors.0;
                    return Err(error);
                }
                None if permission.needs_justification() && state.config.justification_required => {
                    audit::record_refusal(&state, &ctx, permission, path_record(&req, permission))
                        .await;
                    return Err(ApiError::new(ErrorCode::JustificationRequired).detail(
                        "Send a Probity-Justification header (purpose=<purpose>&reference=<occurrence, case or task number>, or reason=<text>) or cite a declared working context in Probity-Working-Context",
                    ));
                }
                _ => {}
            }
            Ok(Authorised {
                ctx,
                _permission: PhantomData,
            })
        })
    }
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        let gate = crate::body::AuthGate::default();
        req.extensions_mut().insert(gate.clone());
        Box::pin(async move {
            let _decided = crate::body::OpenOnDrop(gate);
            let state = app_state(&req)?;
            authenticate(&state, &req).await.map(Authenticated)
        })
    }
}
