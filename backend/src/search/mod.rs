//! Person search (roadmap 4). This part is the matching itself: how a name
//! and date of birth as an officer types them compare with a record, with a
//! score and the reasons an officer is shown. It is engine-agnostic: the
//! search engines (embedded Tantivy by default, Meilisearch when configured)
//! will find candidates by the keys computed here and rank them with
//! `matching::score`, so every engine ranks alike and explains alike.

pub mod matching;
