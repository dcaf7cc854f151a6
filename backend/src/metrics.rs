//! Prometheus metrics for operators, served at `/metrics`.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use std::time::Duration;

pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    http_duration: HistogramVec,
    pub audit_events: IntCounterVec,
    pub db_pool_available: IntGauge,
    /// Outbox rows not yet applied to the search index.
    pub search_pending: IntGauge,
    /// Age of the oldest of them: how far search lags the database.
    pub search_lag_ms: IntGauge,
    /// Rounds in which the sealer refused to seal or sign, by reason kind.
    pub audit_seal_refusals: IntCounterVec,
    /// 1 while this instance's sealer refuses (the chain beneath it broke).
    pub audit_sealing_halted: IntGauge,
    /// Failed hand-overs of signed checkpoints to an outside witness.
    pub audit_witness_failures: IntCounterVec,
    /// Data subjects' rights requests still to be answered, by kind.
    pub rights_open: IntGaugeVec,
    /// Those past their due date.
    pub rights_overdue: IntGaugeVec,
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let registry = Registry::new_custom(Some("probity".into()), None)?;
        let http_requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests served"),
            &["method", "route", "status"],
        )?;
        let http_duration = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "HTTP request latency").buckets(
                vec![
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                ],
            ),
            &["method", "route"],
        )?;
        let audit_events = IntCounterVec::new(
            Opts::new("audit_events_total", "Audit events written"),
            &["operation", "outcome"],
        )?;
        let db_pool_available =
            IntGauge::new("db_pool_available", "Idle database connections in the pool")?;
        registry.register(Box::new(http_requests.clone()))?;
        registry.register(Box::new(http_duration.clone()))?;
        registry.register(Box::new(audit_events.clone()))?;
        let search_pending = IntGauge::new(
            "search_outbox_pending",
            "Changes waiting to reach the search index",
        )?;
        let search_lag_ms = IntGauge::new(
            "search_lag_milliseconds",
            "Age of the oldest change waiting to reach the search index",
        )?;
        registry.register(Box::new(db_pool_available.clone()))?;
        registry.register(Box::new(search_pending.clone()))?;
        registry.register(Box::new(search_lag_ms.clone()))?;
        let audit_seal_refusals = IntCounterVec::new(
            Opts::new(
                "audit_seal_refusals_total",
                "Sealing rounds refused because the chain or its checkpoints did not verify",
            ),
            &["reason"],
        )?;
        let audit_sealing_halted = IntGauge::new(
            "audit_sealing_halted",
            "1 while the sealer refuses to extend or sign the audit chain",
        )?;
        let audit_witness_failures = IntCounterVec::new(
            Opts::new(
                "audit_witness_failures_total",
                "Signed checkpoints that could not be handed to an outside witness (retried)",
            ),
            &["witness"],
        )?;
        registry.register(Box::new(audit_seal_refusals.clone()))?;
        registry.register(Box::new(audit_sealing_halted.clone()))?;
        registry.register(Box::new(audit_witness_failures.clone()))?;
        let rights_open = IntGaugeVec::new(
            Opts::new(
                "rights_requests_open",
                "Data subjects' rights requests not yet answered",
            ),
            &["kind"],
        )?;
        let rights_overdue = IntGaugeVec::new(
            Opts::new(
                "rights_requests_overdue",
                "Rights requests past their due date (DPA 2018 s.54)",
            ),
            &["kind"],
        )?;
        registry.register(Box::new(rights_open.clone()))?;
        registry.register(Box::new(rights_overdue.clone()))?;
        Ok(Self {
            rights_open,
            rights_overdue,
            audit_seal_refusals,
            audit_sealing_halted,
            audit_witness_failures,
            registry,
            http_requests,
            http_duration,
            audit_events,
            db_pool_available,
            search_pending,
            search_lag_ms,
        })
    }

    pub fn observe_http(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.http_requests
            .with_label_values(&[method, route, &status.to_string()])
            .inc();
        self.http_duration
            .with_label_values(&[method, route])
            .observe(elapsed.as_secs_f64());
    }

    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buf);
        String::from_utf8(buf).unwrap_or_default()
    }
}
