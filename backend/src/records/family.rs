//! What differs between objects, locations and events, so that one store and
//! one set of handlers serve all three.

use crate::auth::RequestContext;
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::error::FieldErrors;
use shared::events::RuleContext;
use shared::links::{Link, NewLink, RecordType};
use uuid::Uuid;

/// A record ready to store: the validated details and the columns lists
/// filter and sort on.
pub struct Prepared {
    pub kind: &'static str,
    pub occurred_at: Option<chrono::DateTime<chrono::Utc>>,
    pub status: String,
    pub handling_code: Option<&'static str>,
    pub summary: String,
    pub lookup_key: Option<String>,
    pub details: serde_json::Value,
    pub links: Vec<NewLink>,
    /// Intelligence only: stored apart from the report.
    pub source_identity: Option<String>,
    /// Legacy 5x5x5 intelligence arrives read-only.
    pub read_only: bool,
}

/// A stored record as the store hands it to the family for output.
pub struct Stored {
    pub id: Uuid,
    pub kind: String,
    pub reference: Option<String>,
    pub occurred_at: Option<chrono::DateTime<chrono::Utc>>,
    pub status: String,
    pub summary: String,
    pub details: serde_json::Value,
    pub read_only: bool,
    pub version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub links: Vec<Link>,
    pub source_identity: Option<String>,
    pub statements: Vec<shared::rights::rectification::SupplementaryStatement>,
    pub restricted: bool,
}

pub trait Family: Send + Sync + 'static {
    const RECORD_TYPE: RecordType;
    /// The `records.family` value and the audit record type.
    const NAME: &'static str;
    const CREATE: &'static str;
    const READ: &'static str;
    const UPDATE: &'static str;
    const LIST: &'static str;
    const IMPORT: &'static str;
    const PATH: &'static str;

    type Input: DeserializeOwned + Serialize + Send + 'static;
    type Output: Serialize + Send + 'static;

    /// Applies the shared rules; `id` is the record's own id (links name it).
    fn prepare(input: &Self::Input, id: Uuid, rules: &RuleContext)
    -> Result<Prepared, FieldErrors>;

    /// The API's view of a stored record. Fails only if the stored JSON no
    /// longer matches the shared types (a bug, reported as such).
    fn output(stored: Stored, ctx: &RequestContext)
    -> Result<Self::Output, crate::error::ApiError>;

    /// Rules that compare the stored record with its replacement.
    fn check_update(_before: &serde_json::Value, _after: &Prepared) -> Result<(), FieldErrors> {
        Ok(())
    }

    fn version(output: &Self::Output) -> i32;
    fn id(output: &Self::Output) -> Uuid;
}
