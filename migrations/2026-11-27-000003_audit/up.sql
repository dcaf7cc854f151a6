-- The audit log required by DPA 2018 s.62. Append-only: rows are never
-- updated or deleted, by anyone, and they carry identifiers and codes only,
-- never personal values, so erasing a person never touches the log.

CREATE TABLE audit_events (
    -- Insertion order (gaps are normal: rolled-back transactions use numbers).
    seq          bigserial PRIMARY KEY,
    id           uuid NOT NULL UNIQUE,
    -- Set by the application to the microsecond so the content hash can be
    -- recomputed exactly from the row.
    occurred_at  timestamptz NOT NULL,
    operation    text NOT NULL CHECK (operation IN (
                     'collection', 'alteration', 'consultation', 'disclosure',
                     'combination', 'erasure', 'restriction', 'administration')),
    -- The specific action, e.g. person.create.
    action       text NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('allowed', 'refused')),
    actor_type   text NOT NULL CHECK (actor_type IN ('user', 'api_client', 'system')),
    actor_id     uuid,
    actor_roles  text[] NOT NULL DEFAULT '{}',
    on_behalf_of uuid,
    -- Names of the fields changed, never their values.
    fields       text[] NOT NULL DEFAULT '{}',
    purpose      text,
    reference    text,
    reason       text,
    recipients   text[] NOT NULL DEFAULT '{}',
    client_addr  text,
    user_agent   text,
    request_id   text NOT NULL,
    -- SHA-256 of the event's canonical form, records included.
    content_hash bytea NOT NULL CHECK (octet_length(content_hash) = 32),
    -- The writing transaction: lets the sealer take only events whose
    -- transactions have finished, in a stable order.
    txid         xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at, seq);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at, seq);

-- The records each event touched: one row per record, so "who consulted this
-- person" is an index lookup even at tens of millions of events.
CREATE TABLE audit_event_records (
    event_seq   bigint NOT NULL REFERENCES audit_events (seq),
    position    integer NOT NULL,
    record_type text NOT NULL,
    record_id   uuid NOT NULL,
    PRIMARY KEY (event_seq, position)
);
CREATE INDEX audit_event_records_record_idx ON audit_event_records (record_type, record_id, event_seq);

CREATE FUNCTION audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_event_records_append_only
    BEFORE UPDATE OR DELETE ON audit_event_records
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_event_records_no_truncate
    BEFORE TRUNCATE ON audit_event_records
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
