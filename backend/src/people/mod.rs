//! People (nominals): create, read, update, list. Every function here takes
//! an audited transaction and returns audited values.

pub mod copies;
pub mod create;
pub mod disclose;
pub mod duplicates;
pub mod erase;
pub mod list;
pub mod merge;
pub mod profile;
pub mod read;
pub mod restrict;
pub(crate) mod store;
pub mod update;

/// The ETag of a person at a version.
pub fn etag(version: i32) -> String {
    format!("\"v{version}\"")
}

/// The version named by an If-Match header, if any. `*` matches any.
pub fn if_match(req: &actix_web::HttpRequest) -> Option<i32> {
    let value = req.headers().get("if-match")?.to_str().ok()?.trim();
    value
        .trim_start_matches("W/")
        .trim_matches('"')
        .strip_prefix('v')
        .and_then(|v| v.parse().ok())
}
