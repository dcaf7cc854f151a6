//! The connection pool and the embedded migrations.
//!
//! Queries elsewhere take a `&mut AsyncPgConnection`, never the pool, so that
//! several of them (and the audit event) share one transaction.

pub mod schema;

use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{ManagerConfig, RecyclingMethod};
use diesel_async::{
    AnsiTransactionManager, AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection,
    TransactionManager,
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub type DbPool = Pool<AsyncPgConnection>;
pub type PooledConn = Object<AsyncPgConnection>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

/// A pool whose connections work as `role` (when given): the role may only
/// append to and read the audit tables, so even a bug in Probity cannot
/// rewrite the log.
pub fn pool(database_url: &str, size: usize, role: Option<String>) -> anyhow::Result<DbPool> {
    let mut config = ManagerConfig::<AsyncPgConnection>::default();
    // A pooled connection is checked for an open transaction on return;
    // a broken one fails on first use and the request gets a 503.
    config.recycling_method = RecyclingMethod::Fast;
    // Audit sealing waits for the oldest open writing transaction, so none
    // of ours may idle open for long.
    let mut setup = String::from("SET idle_in_transaction_session_timeout = '60s';");
    if let Some(role) = role {
        setup.push_str(&format!("SET ROLE \"{}\";", role.replace('"', "")));
    }
    config.custom_setup = Box::new(move |url| {
        let setup = setup.clone();
        let url = url.to_owned();
        Box::pin(async move {
            let mut conn = AsyncPgConnection::establish(&url).await?;
            conn.batch_execute(&setup)
                .await
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        })
    });
    let manager =
        AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(database_url, config);
    Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(std::time::Duration::from_secs(5)))
        .create_timeout(Some(std::time::Duration::from_secs(5)))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| anyhow::anyhow!("database pool: {e}"))
}

/// A transaction of its own for background work (sealing the audit chain,
/// applying the search outbox): begun here, and ended by [`finish`].
pub async fn begin<E>(pool: &DbPool) -> Result<PooledConn, E>
where
    E: From<diesel_async::pooled_connection::deadpool::PoolError> + From<diesel::result::Error>,
{
    let mut conn = pool.get().await?;
    AnsiTransactionManager::begin_transaction(&mut *conn).await?;
    Ok(conn)
}

/// Commits when the work succeeded, rolls back when it failed; a
/// connection that cannot roll back is closed, never handed back to the
/// pool stuck in a transaction.
pub async fn finish<T, E>(mut conn: PooledConn, outcome: Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match outcome {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(&mut *conn).await?;
            Ok(value)
        }
        Err(e) => {
            if AnsiTransactionManager::rollback_transaction(&mut *conn)
                .await
                .is_err()
            {
                drop(Object::take(conn));
            }
            Err(e)
        }
    }
}

/// Table upkeep (VACUUM, ANALYZE), which PostgreSQL allows only the
/// tables' owner: on a connection of its own as the login user, never as
/// the application role, and outside any transaction, as VACUUM requires.
pub async fn upkeep(database_url: &str, sql: &str) -> anyhow::Result<()> {
    let mut conn = AsyncPgConnection::establish(database_url).await?;
    conn.batch_execute(sql).await?;
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Autovacuum {
    #[diesel(sql_type = diesel::sql_types::Text)]
    setting: String,
}

/// Warns when PostgreSQL will not vacuum and analyze on its own. Without
/// it the search outbox (a queue: every row is deleted soon after it is
/// written) keeps every dead row, the planner never learns how big the
/// tables are, and the background queries slow every request: at a
/// million people, search p50 was 9 ms before one VACUUM ANALYZE, 4.9 after.
pub async fn check_upkeep(pool: &DbPool) {
    let setting = async {
        let mut conn = pool.get().await.ok()?;
        diesel::sql_query("SELECT current_setting('autovacuum') AS setting")
            .get_result::<Autovacuum>(&mut *conn)
            .await
            .ok()
    }
    .await;
    if setting.is_some_and(|a| a.setting == "off") {
        tracing::warn!(
            "PostgreSQL's autovacuum is off: Probity vacuums its search outbox itself, but \
             every other table needs a scheduled VACUUM ANALYZE (or autovacuum = on)"
        );
    }
}

#[derive(diesel::QueryableByName)]
struct LoginRole {
    #[diesel(sql_type = diesel::sql_types::Text)]
    login: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    may_rewrite: bool,
}

/// The login Probity connects as, when that login could itself rewrite the
/// audit log: a superuser, or a role with UPDATE, DELETE or TRUNCATE on an
/// audit table (its owner has them all, and may disable the triggers).
/// `SET ROLE` keeps Probity's own statements within `probity_app`, but such
/// a login could `RESET ROLE`; the README says how to deploy without one.
pub async fn login_that_may_rewrite_audit(pool: &DbPool) -> anyhow::Result<Option<String>> {
    let mut conn = pool.get().await?;
    let role = diesel::sql_query(
        "SELECT session_user::text AS login, \
                (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) \
                OR bool_or(has_table_privilege(session_user, t, p)) AS may_rewrite \
         FROM unnest(ARRAY['audit_events', 'audit_event_records', 'audit_chain', \
                           'audit_checkpoints']) AS t, \
              unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) AS p",
    )
    .get_result::<LoginRole>(&mut *conn)
    .await?;
    Ok(role.may_rewrite.then_some(role.login))
}

/// Warns at start when the login could undo the audit log's protection.
pub async fn check_login_role(pool: &DbPool) {
    match login_that_may_rewrite_audit(pool).await {
        Ok(Some(login)) => tracing::warn!(
            login = %login,
            "Probity logs in to PostgreSQL as a role that may rewrite the audit log \
             (a superuser, or the audit tables' owner): fine for development, but in \
             production serve with a login that is only a member of probity_app (README)"
        ),
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "could not check the database login's rights"),
    }
}

#[derive(diesel::QueryableByName)]
struct Locked {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    locked: bool,
}

/// Takes the advisory lock `key` for the rest of the transaction, if no
/// other transaction (of any instance) holds it.
pub async fn try_lock_for_transaction(
    conn: &mut AsyncPgConnection,
    key: i64,
) -> diesel::QueryResult<bool> {
    let locked: Locked = diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS locked")
        .bind::<diesel::sql_types::BigInt, _>(key)
        .get_result(conn)
        .await?;
    Ok(locked.locked)
}

/// Applies pending migrations. Runs on its own thread with its own runtime
/// because Diesel's migration harness is synchronous, and this works the same
/// from the server, the CLI and the single-threaded test runtime.
pub fn migrate(database_url: &str) -> anyhow::Result<Vec<String>> {
    let url = database_url.to_owned();
    std::thread::spawn(move || -> anyhow::Result<Vec<String>> {
        use diesel::Connection;
        let mut conn = <AsyncConnectionWrapper<AsyncPgConnection> as Connection>::establish(&url)
            .map_err(|e| anyhow::anyhow!("connecting to run migrations: {e}"))?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("running migrations: {e}"))?;
        Ok(applied.iter().map(|v| v.to_string()).collect())
    })
    .join()
    .map_err(|_| anyhow::anyhow!("migration thread panicked"))?
}
