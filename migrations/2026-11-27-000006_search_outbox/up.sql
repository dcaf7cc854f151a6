-- The search outbox (DESIGN-NOTES §3). PostgreSQL is the source of truth;
-- the search index is derived. Every change to a person or a record leaves
-- a row here in the same transaction, written by a trigger so that no code
-- path can change searchable data and forget the index. A worker applies
-- the rows to the index and deletes them once the index has committed:
-- at least once, and since a row names only the record (not its content),
-- the worker reads the record as it is now, so replays and reordering are
-- harmless and an erased record leaves no copy behind in the outbox.

CREATE TABLE search_outbox (
    id          bigserial PRIMARY KEY,
    record_type text NOT NULL CHECK (record_type IN ('person', 'record')),
    record_id   uuid NOT NULL,
    enqueued_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- One statement-level trigger per table and operation, reading the
-- transition table: a bulk import of a million people adds one INSERT ...
-- SELECT per batch instead of a trigger call per row.
CREATE FUNCTION search_outbox_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_outbox (record_type, record_id)
            SELECT TG_ARGV[0], id FROM old_rows;
    ELSE
        INSERT INTO search_outbox (record_type, record_id)
            SELECT TG_ARGV[0], id FROM new_rows;
    END IF;
    -- Delivered at commit, once per transaction; wakes the worker at once.
    PERFORM pg_notify('probity_search', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER people_search_insert AFTER INSERT ON people
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_enqueue('person');
CREATE TRIGGER people_search_update AFTER UPDATE ON people
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_enqueue('person');
CREATE TRIGGER people_search_delete AFTER DELETE ON people
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_enqueue('person');
CREATE TRIGGER records_search_insert AFTER INSERT ON records
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_enqueue('record');
CREATE TRIGGER records_search_update AFTER UPDATE ON records
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_enqueue('record');
CREATE TRIGGER records_search_delete AFTER DELETE ON records
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_enqueue('record');

GRANT SELECT, INSERT, DELETE ON search_outbox TO probity_app;
GRANT USAGE, SELECT ON SEQUENCE search_outbox_id_seq TO probity_app;

-- Erasing a person checks that no merged duplicate still points at them;
-- without this index that check reads the whole people table, per person.
CREATE INDEX people_merged_into_idx ON people (merged_into) WHERE merged_into IS NOT NULL;
