-- A rebuild empties the search index before refilling it from PostgreSQL.
-- If the process dies in between, the index is valid but incomplete, and the
-- outbox (emptied when the rebuild began) no longer names what is missing.
-- This row says a rebuild of that index began and did not finish, so the
-- next start rebuilds it rather than answer "no trace" for people it never
-- re-read. One row per index location (a data directory, or a Meilisearch
-- address and prefix).
CREATE TABLE search_rebuilds (
    index_location text PRIMARY KEY,
    started_at timestamptz NOT NULL,
    finished_at timestamptz
);
GRANT SELECT, INSERT, UPDATE ON search_rebuilds TO probity_app;
