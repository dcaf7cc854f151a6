//! Cursor pagination, the same shape on every list.

use serde::{Deserialize, Serialize};

/// One page of a list. `next_cursor` is opaque: pass it back as `cursor` to
/// get the next page; it is absent on the last page. Cursors stay correct
/// while records are added, unlike offsets, which matters on a tablet that
/// pages slowly over a bad connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

pub const DEFAULT_PAGE_SIZE: u32 = 25;
pub const MAX_PAGE_SIZE: u32 = 100;
