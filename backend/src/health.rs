//! Liveness, readiness and metrics for operators and load balancers.

use crate::state::AppState;
use actix_web::{HttpResponse, web};
use diesel_async::RunQueryDsl;

/// The process is up and serving.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// The instance can do useful work: the database answers.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let check = async {
        let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
        diesel::sql_query("SELECT 1")
            .execute(&mut conn)
            .await
            .map_err(|e| e.to_string())
    };
    match tokio::time::timeout(std::time::Duration::from_secs(3), check).await {
        Ok(Ok(_)) => {
            HttpResponse::Ok().json(serde_json::json!({ "status": "ready", "database": "ok" }))
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: database");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({ "status": "unavailable", "database": "unreachable" }))
        }
        Err(_) => HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({ "status": "unavailable", "database": "timeout" })),
    }
}

pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let status = state.pool.status();
    state.metrics.db_pool_available.set(status.available as i64);
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render())
}
