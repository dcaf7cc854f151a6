//! Who may see which records: the one rule that reads, lists, the person
//! profile, links and search all apply (DESIGN-NOTES §6). Roles give
//! `record.read`; intelligence is narrowed further by its handling code; a
//! restricted record (DPA 2018 s.47(2)) is out of ordinary processing, seen
//! only by those who decide restriction (and never indexed for search).

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

pub fn may_see(ctx: &RequestContext, handling_code: Option<&str>, restricted: bool) -> bool {
    handling_code.is_none_or(|code| ctx.can(needed_for(code)))
        && (!restricted || ctx.can(Permission::RecordRestrict))
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
    let codes = records::handling_code
        .is_null()
        .or(records::handling_code.eq_any(allowed).assume_not_null());
    if ctx.can(Permission::RecordRestrict) {
        Box::new(codes)
    } else {
        Box::new(codes.and(records::restricted_at.is_null()))
    }
}
