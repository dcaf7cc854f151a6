-- Tamper evidence for the audit log: a SHA-256 hash chain sealed after
-- commit, signed checkpoints, and a database role that can only append.

-- Every read writes an event, so each index here is paid on the hottest
-- path. Event ids are random UUIDs, never looked up by the system; the
-- unique index on them bought nothing.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_id_key;

-- Events are sealed in batches of finished transactions (see
-- backend/src/audit/seal.rs); this index finds each batch by transaction id.
CREATE INDEX audit_events_txid_idx ON audit_events (txid);
-- "Everything one user did", newest first, and filters by time.
DROP INDEX audit_events_actor_idx;
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at DESC, seq DESC);

-- Justification declared once per task and cited by later requests.
CREATE TABLE working_contexts (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    purpose     text NOT NULL,
    reference   text,
    reason      text,
    declared_at timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX working_contexts_user_idx ON working_contexts (user_id, declared_at DESC);
ALTER TABLE audit_events ADD COLUMN working_context uuid;

-- One row per sealed event, in chain order. chain_hash = SHA-256 of the
-- previous chain_hash, this event's content hash, its position and seq.
CREATE TABLE audit_chain (
    position     bigint PRIMARY KEY CHECK (position > 0),
    event_seq    bigint NOT NULL UNIQUE REFERENCES audit_events (seq),
    content_hash bytea NOT NULL CHECK (octet_length(content_hash) = 32),
    chain_hash   bytea NOT NULL CHECK (octet_length(chain_hash) = 32),
    -- Every transaction with an id below this had finished when the batch
    -- was sealed, so every event it wrote is at or before this position.
    horizon      bigint NOT NULL,
    sealed_at    timestamptz NOT NULL DEFAULT now()
);

-- Signed statements of the chain head, to be held by outside parties.
CREATE TABLE audit_checkpoints (
    position   bigint PRIMARY KEY REFERENCES audit_chain (position),
    chain_hash bytea NOT NULL,
    signed_at  timestamptz NOT NULL,
    key_id     text NOT NULL,
    public_key bytea NOT NULL CHECK (octet_length(public_key) = 32),
    signature  bytea NOT NULL CHECK (octet_length(signature) = 64)
);

CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- People: restriction (s.47: kept, but out of ordinary processing) and
-- merging of duplicates (old ids keep resolving to the survivor).
ALTER TABLE people ADD COLUMN restricted_at timestamptz;
ALTER TABLE people ADD COLUMN merged_into uuid REFERENCES people (id);

-- The role the application works as (it switches to it on every connection).
-- It may append to the audit tables and read them, never change them.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'probity_app') THEN
        CREATE ROLE probity_app NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO probity_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, sessions, refresh_tokens, api_clients, people, working_contexts TO probity_app;
GRANT SELECT, INSERT ON audit_events, audit_event_records, audit_chain, audit_checkpoints TO probity_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO probity_app;
GRANT SELECT ON __diesel_schema_migrations TO probity_app;
