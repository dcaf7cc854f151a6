-- What an independent examination of the audit log broke, mended.

-- 1. The log's identity, named in every checkpoint it signs, so that a
--    witness copy is only ever compared with the log it was kept for (a
--    development database re-created beside an old witness file is another
--    log, not a tampered one).
CREATE TABLE audit_log_identity (
    only_one   boolean PRIMARY KEY DEFAULT true CHECK (only_one),
    log_id     uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO audit_log_identity (log_id) VALUES (gen_random_uuid());
CREATE TRIGGER audit_log_identity_append_only BEFORE UPDATE OR DELETE ON audit_log_identity
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_log_identity_no_truncate BEFORE TRUNCATE ON audit_log_identity
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- 2. Checkpoints numbered and chained (message v2): each signs its number
--    and the checkpoint before it, so a checkpoint removed from the middle
--    or the start of the series is caught by the next one's signature.
--    Checkpoints signed before this change keep version 1 and no number.
ALTER TABLE audit_checkpoints
    ADD COLUMN version             smallint NOT NULL DEFAULT 1 CHECK (version IN (1, 2)),
    ADD COLUMN log_id              uuid,
    ADD COLUMN number              bigint UNIQUE CHECK (number > 0),
    ADD COLUMN previous_position   bigint,
    ADD COLUMN previous_chain_hash bytea CHECK (octet_length(previous_chain_hash) = 32),
    -- The RFC 6962 Merkle root over every position up to this one, so one
    -- event is proved to be in the log with a short path and this
    -- signature (backend/src/audit/merkle.rs).
    ADD COLUMN merkle_root         bytea CHECK (octet_length(merkle_root) = 32);

-- The Merkle root of each complete block of 256 chain positions, which
-- the sealer writes as blocks fill: every subtree over whole blocks is made
-- of them, so a root or a proof never needs the whole chain.
CREATE TABLE audit_blocks (
    block bigint PRIMARY KEY CHECK (block >= 0),
    root  bytea NOT NULL CHECK (octet_length(root) = 32)
);
CREATE TRIGGER audit_blocks_append_only BEFORE UPDATE OR DELETE ON audit_blocks
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_blocks_no_truncate BEFORE TRUNCATE ON audit_blocks
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
GRANT SELECT, INSERT ON audit_blocks TO probity_app;

-- 3. Nothing a user types becomes permanent. From canonical form v2 an
--    event holds only a keyed hash of the justification's reference and
--    reason; the text itself, with the random key, lives in audit_texts,
--    which erasure may delete from. The chain covers the hash; verify
--    checks each text that still exists against it. Rows written before
--    keep version 1, with the text in the event as it was hashed.
ALTER TABLE audit_events
    ADD COLUMN canonical_version smallint NOT NULL DEFAULT 1 CHECK (canonical_version IN (1, 2)),
    ADD COLUMN reference_hash    bytea CHECK (octet_length(reference_hash) = 32),
    ADD COLUMN reason_hash       bytea CHECK (octet_length(reason_hash) = 32),
    -- Each form keeps its texts one way only; verify also checks this, for
    -- a superuser may drop a constraint.
    ADD CONSTRAINT audit_events_texts_by_version CHECK (
        (canonical_version = 1 AND reference_hash IS NULL AND reason_hash IS NULL)
        OR (canonical_version = 2 AND reference IS NULL AND reason IS NULL));

CREATE TABLE audit_texts (
    -- HMAC-SHA256(key, text): the event names the text by this.
    hash       bytea PRIMARY KEY CHECK (octet_length(hash) = 32),
    -- 32 random bytes. Once the row is deleted nobody can link the hash
    -- in the event to a guessed text.
    key        bytea NOT NULL CHECK (octet_length(key) = 32),
    text       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, DELETE ON audit_texts TO probity_app;
-- The hashes of texts erased, so a server that still remembers a text's key
-- (it reuses keys for a while) cannot put an erased text back beside the
-- events that named it. Hashes only: nothing to read back.
-- Each names the erasure that took it (its request and the person erased),
-- so verify can tell a text erased lawfully (that erasure's event is in the
-- log) from one deleted behind the log's back.
CREATE TABLE audit_texts_erased (
    hash              bytea PRIMARY KEY,
    erased_by_request text NOT NULL,
    erased_person     uuid NOT NULL,
    erased_at         timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER audit_texts_erased_append_only BEFORE UPDATE OR DELETE ON audit_texts_erased
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_texts_erased_no_truncate BEFORE TRUNCATE ON audit_texts_erased
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
GRANT SELECT, INSERT ON audit_texts_erased TO probity_app;

-- 4. How far each outside witness has been sent the signed checkpoints.
CREATE TABLE audit_witness_deliveries (
    witness          text PRIMARY KEY,
    delivered_number bigint NOT NULL,
    delivered_at     timestamptz NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON audit_witness_deliveries TO probity_app;
GRANT SELECT ON audit_log_identity TO probity_app;

-- 5. Recipients of disclosures are organisations from a maintained list,
--    named in the log by id, never by whatever was typed.
CREATE TABLE organisations (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    kind       text NOT NULL,
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisations_name_idx ON organisations (lower(name));
GRANT SELECT, INSERT, UPDATE ON organisations TO probity_app;
-- National bodies every force discloses to, with fixed ids so that exports
-- and tests can name them. A force adds its own partners.
INSERT INTO organisations (id, name, kind) VALUES
    ('00000000-0000-4000-8000-000000000001', 'Information Commissioner''s Office', 'regulator'),
    ('00000000-0000-4000-8000-000000000002', 'Crown Prosecution Service', 'prosecutor'),
    ('00000000-0000-4000-8000-000000000003', 'HM Prison and Probation Service', 'probation'),
    ('00000000-0000-4000-8000-000000000004', 'National Crime Agency', 'law_enforcement'),
    ('00000000-0000-4000-8000-000000000005', 'Home Office', 'government'),
    ('00000000-0000-4000-8000-000000000006', 'Independent Office for Police Conduct', 'regulator'),
    ('00000000-0000-4000-8000-000000000007', 'Local authority children''s services', 'local_authority'),
    ('00000000-0000-4000-8000-000000000008', 'NHS trust', 'health'),
    ('00000000-0000-4000-8000-000000000009', 'Another police force', 'police_force');
