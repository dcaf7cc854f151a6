-- Rectify, erase every copy, restrict any record, tell recipients, and
-- review what is kept (DPA 2018 ss.39, 46, 47, 48; MoPI).

-- Restriction of any record (s.47(2)): kept, but out of ordinary
-- processing, with why, who asked and when to look again.
ALTER TABLE records
    ADD COLUMN restricted_at         timestamptz,
    ADD COLUMN restriction_reason    text,
    ADD COLUMN restriction_review_on date,
    ADD COLUMN restricted_by         uuid,
    ADD COLUMN restriction_request   uuid REFERENCES rights_requests (id);
CREATE INDEX records_restricted_idx ON records (restricted_at) WHERE restricted_at IS NOT NULL;

ALTER TABLE people
    ADD COLUMN restriction_reason    text,
    ADD COLUMN restriction_review_on date,
    ADD COLUMN restricted_by         uuid,
    ADD COLUMN restriction_request   uuid REFERENCES rights_requests (id);

-- A legal hold keeps an item that erasure or disposal would take (needed
-- as evidence, a court order, an inquiry): erasure restricts it instead.
CREATE TABLE legal_holds (
    id          uuid PRIMARY KEY,
    record_type text NOT NULL,
    record_id   uuid NOT NULL,
    reason      text NOT NULL,
    review_on   date NOT NULL,
    placed_by   uuid,
    placed_at   timestamptz NOT NULL DEFAULT now(),
    lifted_by   uuid,
    lifted_at   timestamptz
);
CREATE INDEX legal_holds_record_idx ON legal_holds (record_id) WHERE lifted_at IS NULL;

-- Supplementary statements (s.46): a record that must be kept as it was is
-- completed by a statement shown wherever the record is shown.
CREATE TABLE supplementary_statements (
    id          uuid PRIMARY KEY,
    record_type text NOT NULL,
    record_id   uuid NOT NULL,
    statement   text NOT NULL,
    request_id  uuid REFERENCES rights_requests (id),
    added_by    uuid,
    added_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supplementary_statements_record_idx ON supplementary_statements (record_id);

-- Telling earlier recipients of a change (s.48): listed from the
-- disclosure log when the change is made, sent when the officer sends them.
-- Ids and kinds only: the letter is written from them when it is sent.
CREATE TABLE recipient_notifications (
    id           uuid PRIMARY KEY,
    request_id   uuid REFERENCES rights_requests (id),
    recipient    uuid NOT NULL REFERENCES organisations (id),
    change       text NOT NULL CHECK (change IN ('rectification', 'erasure', 'restriction')),
    records      jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz,
    sent_by      uuid
);
CREATE INDEX recipient_notifications_request_idx ON recipient_notifications (request_id);

-- Erasure: first a plan (what will be deleted, redacted, kept, and why;
-- with the passages of free text that name the person, until it is done),
-- then the act and its certificate (ids and counts, never content).
CREATE TABLE erasure_plans (
    id             uuid PRIMARY KEY,
    request_id     uuid REFERENCES rights_requests (id),
    person_id      uuid NOT NULL,
    created_by     uuid,
    created_at     timestamptz NOT NULL DEFAULT now(),
    plan           jsonb NOT NULL,
    executed_at    timestamptz,
    certificate_id uuid
);
CREATE INDEX erasure_plans_request_idx ON erasure_plans (request_id);

CREATE TABLE erasure_certificates (
    id          uuid PRIMARY KEY,
    plan_id     uuid NOT NULL REFERENCES erasure_plans (id),
    issued_at   timestamptz NOT NULL DEFAULT now(),
    issued_by   uuid,
    certificate jsonb NOT NULL,
    sha256      bytea NOT NULL CHECK (octet_length(sha256) = 32)
);

-- What was erased, by id, kept apart from what was erased (and copied to a
-- file outside the database): a database restored from a backup is
-- brought back in line before it serves.
CREATE TABLE erasure_ledger (
    certificate_id uuid PRIMARY KEY,
    erased_at      timestamptz NOT NULL,
    people         uuid[] NOT NULL,
    records        uuid[] NOT NULL,
    redacted       uuid[] NOT NULL
);

-- A restore from backup, declared and signed by the operator: the
-- checkpoints the witnesses hold beyond the restored database's newest
-- went with it (`probity audit-restored`). Insert-only.
CREATE TABLE audit_restores (
    id            uuid PRIMARY KEY,
    log_id        uuid NOT NULL,
    kept          bigint NOT NULL,
    kept_position bigint NOT NULL,
    kept_hash     text NOT NULL,
    lost_through  bigint NOT NULL CHECK (lost_through > kept),
    declared_at   timestamptz NOT NULL,
    reason        text NOT NULL,
    key_id        text NOT NULL,
    public_key    text NOT NULL,
    signature     text NOT NULL
);
GRANT SELECT, INSERT ON audit_restores TO probity_app;

-- Retention (s.39, MoPI): each person's group, the start of the clear
-- period and the next review, derived from their records and recomputed
-- when those change. Its own narrow table: recomputing a million people
-- must not rewrite the people table and its search indexes.
CREATE TABLE retention_schedule (
    person_id      uuid PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    mopi_group     smallint NOT NULL CHECK (mopi_group BETWEEN 1 AND 3),
    clear_from     date NOT NULL,
    retained_until date,
    next_review_on date NOT NULL
);
CREATE INDEX retention_schedule_due_idx ON retention_schedule (next_review_on, person_id);

-- People whose schedule must be worked out again: filled by triggers in the
-- same transaction as every change that can move a review date (a link to
-- an event made or removed, an event changed, a person added, merged or
-- their date of birth corrected), so no code path can forget it; emptied
-- by the worker that recomputes them (the search outbox's pattern).
CREATE TABLE retention_dirty (
    person_id uuid PRIMARY KEY
);

CREATE FUNCTION retention_dirty_people() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'links' THEN
        IF TG_OP = 'DELETE' THEN
            INSERT INTO retention_dirty
                SELECT from_id FROM old_rows WHERE from_type = 'person'
                UNION SELECT to_id FROM old_rows WHERE to_type = 'person'
                ON CONFLICT DO NOTHING;
        ELSE
            INSERT INTO retention_dirty
                SELECT from_id FROM new_rows WHERE from_type = 'person'
                UNION SELECT to_id FROM new_rows WHERE to_type = 'person'
                ON CONFLICT DO NOTHING;
        END IF;
    ELSIF TG_TABLE_NAME = 'records' THEN
        INSERT INTO retention_dirty
            SELECT l.from_id FROM new_rows n JOIN links l ON l.to_id = n.id
                WHERE n.family = 'event' AND l.from_type = 'person'
            UNION SELECT l.to_id FROM new_rows n JOIN links l ON l.from_id = n.id
                WHERE n.family = 'event' AND l.to_type = 'person'
            ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO retention_dirty
            SELECT id FROM new_rows
            UNION SELECT merged_into FROM new_rows WHERE merged_into IS NOT NULL
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER links_retention_insert AFTER INSERT ON links
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION retention_dirty_people();
CREATE TRIGGER links_retention_delete AFTER DELETE ON links
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION retention_dirty_people();
CREATE TRIGGER records_retention_update AFTER UPDATE ON records
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION retention_dirty_people();
CREATE TRIGGER people_retention_insert AFTER INSERT ON people
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION retention_dirty_people();
CREATE TRIGGER people_retention_update AFTER UPDATE ON people
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION retention_dirty_people();

-- Everyone already held is worked out once.
INSERT INTO retention_dirty SELECT id FROM people WHERE merged_into IS NULL;

-- Reviews: the six questions' answers, the decision, the reasons. Kept
-- after a disposal by ids alone (the rationale of a retain stays: it is
-- the force's reasoning, written to name no one).
CREATE TABLE retention_reviews (
    id             uuid PRIMARY KEY,
    person_id      uuid NOT NULL,
    reviewed_at    timestamptz NOT NULL DEFAULT now(),
    reviewed_by    uuid,
    due_on         date NOT NULL,
    mopi_group     smallint NOT NULL,
    yes            text[] NOT NULL,
    decision       text NOT NULL CHECK (decision IN ('retain', 'dispose')),
    rationale      text,
    next_review_on date,
    certificate_id uuid
);
CREATE INDEX retention_reviews_person_idx ON retention_reviews (person_id, reviewed_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON legal_holds, supplementary_statements,
    recipient_notifications, erasure_plans, erasure_certificates, retention_schedule,
    retention_reviews, retention_dirty TO probity_app;
-- The ledger only grows: an erasure cannot be taken back.
GRANT SELECT, INSERT ON erasure_ledger TO probity_app;
