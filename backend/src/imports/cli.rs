//! `probity import`: the same import for operators, from a file.

use super::RecordType;
use crate::auth::RequestContext;
use crate::error::ApiError;
use crate::state::AppState;
use shared::error::FieldError;
use shared::imports::ImportReport;
use shared::permissions::Permission;
use std::io::Read;
use std::path::Path;

/// Reads a file (or standard input) in chunks, lazily, so memory stays flat.
struct Chunks(Box<dyn Read + Send>);

impl Iterator for Chunks {
    type Item = Result<actix_web::web::Bytes, std::io::Error>;
    fn next(&mut self) -> Option<Self::Item> {
        let mut buf = vec![0u8; 256 * 1024];
        match self.0.read(&mut buf) {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some(Ok(buf.into()))
            }
            Err(e) => Some(Err(e)),
        }
    }
}

pub async fn import_file(
    state: &AppState,
    record_type: &str,
    file: &Path,
    source_system: &str,
) -> Result<ImportReport, ApiError> {
    let kind = RecordType::parse(record_type).ok_or_else(|| {
        ApiError::field(FieldError::new(
            "record_type",
            "unknown",
            "Import people, events, objects or locations",
        ))
    })?;
    let reader: Box<dyn Read + Send> = if file == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(file).map_err(ApiError::internal)?)
    };
    // The operator's import is Probity acting at the command line: every
    // record still gets its collection event, under the actor "import".
    let ctx = RequestContext::system(
        "import",
        vec![
            Permission::RecordImport,
            Permission::IntelligenceRead,
            Permission::IntelligenceConditioned,
        ],
    );
    let stream = futures_util::stream::iter(Chunks(reader));
    let report = super::http::run(state, &ctx, kind, source_system, stream).await?;
    // A bulk load leaves the planner's statistics describing the tables as
    // they were (PostgreSQL's advice: ANALYZE after loading), so the very
    // next searches and audit queries would be planned for empty tables.
    let tables = "people, records, links, audit_events, audit_event_records";
    if let Err(e) = crate::db::upkeep(
        state.config.database_url.expose(),
        &format!("ANALYZE {tables}"),
    )
    .await
    {
        tracing::warn!(error = %e, "analysing the imported tables failed");
    }
    Ok(report)
}
