//! Who may see which records: the one rule that reads, lists, the person
//! profile and (later) search all apply (DESIGN-NOTES §6). Roles give
//! `record.read`; intelligence is narrowed further by its handling code.

use crate::auth::RequestContext;
use crate::db::schema::records;
use diesel::pg::Pg;
use diesel::prelude::*;
use shared::permissions::Permission;

/// The permission a handling code demands, beyond `record.read`.
fn needed_for(handling_code: &str) -> Permission {
    match handling_code {
        "P" => Permission::IntelligenceRead,
        // Anything else, including a code added later, is the stricter one.
        _ => Permission::IntelligenceConditioned,
    }
}

pub fn may_see(ctx: &RequestContext, handling_code: Option<&str>) -> bool {
    handling_code.is_none_or(|code| ctx.can(needed_for(code)))
}

/// The handling codes the caller may see (records with none are open to
/// anyone with `record.read`), for the SQL condition and the search engines.
pub fn visible_codes(ctx: &RequestContext) -> Vec<&'static str> {
    ["P", "C"]
        .into_iter()
        .filter(|code| ctx.can(needed_for(code)))
        .collect()
}

/// The same rule as a SQL condition, for lists and the profile.
pub fn visible(
    ctx: &RequestContext,
) -> Box<dyn BoxableExpression<records::table, Pg, SqlType = diesel::sql_types::Bool>> {
    let allowed = visible_codes(ctx);
    Box::new(
        records::handling_code
            .is_null()
            .or(records::handling_code.eq_any(allowed).assume_not_null()),
    )
}
