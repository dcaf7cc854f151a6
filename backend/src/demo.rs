//! Demo data for the run command: one account per role and a few dozen
//! fictional people, seeded on first start only (when there are no users).
//! The people are collected through the audited path like any other.

use crate::audit;
use crate::auth::RequestContext;
use crate::db::schema::users;
use crate::state::AppState;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use shared::people::{Gender, PersonInput};
use shared::permissions::{Permission, Role};
use shared::users::NewUser;

pub const DEMO_PASSWORD: &str = "probity-demo-pass";

const SURNAMES: [&str; 20] = [
    "Ashdown",
    "Brennan",
    "Castellano",
    "Dlamini",
    "Evershed",
    "Fairweather",
    "Ghosh",
    "Hollis",
    "Iwobi",
    "Jankowski",
    "Kavanagh",
    "Lindqvist",
    "McAllister",
    "Nakamura",
    "O'Dowd",
    "Pemberton",
    "Quayle",
    "Rahman",
    "Smith-Oduya",
    "Thorncroft",
];
const FORENAMES: [(&str, Gender); 12] = [
    ("Amelia", Gender::Female),
    ("Bartholomew", Gender::Male),
    ("Chloe", Gender::Female),
    ("Desmond", Gender::Male),
    ("Eilidh", Gender::Female),
    ("Farhan", Gender::Male),
    ("Grace", Gender::Female),
    ("Hamish", Gender::Male),
    ("Imogen", Gender::Female),
    ("Jonah", Gender::Male),
    ("Keeley", Gender::Female),
    ("Luca", Gender::Male),
];

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
    let today = state.today();
    for i in 0..40usize {
        let (forename, gender) = FORENAMES[(i * 7) % FORENAMES.len()];
        let input = PersonInput {
            surname: SURNAMES[i % SURNAMES.len()].into(),
            forenames: forename.into(),
            // Deterministic, plausible dates between 1950 and 2009.
            date_of_birth: format!(
                "{}-{:02}-{:02}",
                1950 + (i * 13) % 60,
                1 + (i * 5) % 12,
                1 + (i * 11) % 28
            ),
            gender,
            details: Default::default(),
        };
        let valid = input
            .validate(today)
            .map_err(|e| anyhow::anyhow!("demo person: {e:?}"))?;
        audit::run(state, &ctx, |tx| {
            Box::pin(crate::people::store::create(
                tx,
                uuid::Uuid::new_v4(),
                valid,
            ))
        })
        .await?;
    }
    Ok(true)
}
