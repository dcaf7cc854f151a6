//! Demo data for the run command: one account per role and a few hundred
//! fictional people with their events across every module, seeded on first
//! start only (when there are no users). Everything is collected through the
//! audited path like any other record.

mod records;

use crate::audit;
use crate::auth::RequestContext;
use crate::db::schema::users;
use crate::state::AppState;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::permissions::{Permission, Role};
use shared::users::NewUser;

pub const DEMO_PASSWORD: &str = "probity-demo-pass";

/// The demo accounts: the username is the role's name.
pub fn accounts() -> Vec<(String, Role)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), *r))
        .collect()
}

/// Seeds when the database has no accounts yet. Returns whether it did.
pub async fn seed_if_empty(state: &AppState) -> anyhow::Result<bool> {
    let mut conn = state.pool.get().await?;
    let existing: i64 = users::table.count().get_result(&mut conn).await?;
    drop(conn);
    if existing > 0 {
        return Ok(false);
    }
    let ctx = RequestContext::system(
        "demo-seed",
        vec![Permission::UserAdmin, Permission::PersonCreate],
    );
    for (username, role) in accounts() {
        let new = NewUser {
            username: username.clone(),
            display_name: format!("Demo {}", role.label()),
            password: DEMO_PASSWORD.into(),
            roles: vec![role],
        };
        let valid = new
            .validate()
            .map_err(|e| anyhow::anyhow!("demo account: {e:?}"))?;
        let hash = state.passwords.hash_blocking(new.password).await?;
        audit::run(state, &ctx, |tx| {
            Box::pin(crate::users::store::create(tx, valid, hash))
        })
        .await?;
    }
    records::seed(state).await?;
    Ok(true)
}
