-- The single record (POLE): people's further details, objects, locations and
-- events in one table keyed by family and kind, links between any two
-- records, intelligence sources kept apart, idempotency keys for retried
-- creates, and legacy import batches.

-- Aliases, other dates of birth, ethnicity, markers and addresses travel
-- together as validated JSON (the rules live in the shared crate); the
-- identifiers officers look up by get columns of their own.
ALTER TABLE people
    ADD COLUMN details       jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN pnc_id        text,
    ADD COLUMN cro_number    text,
    -- Name keys from shared::people::keys, for the duplicate check.
    ADD COLUMN name_key      text NOT NULL DEFAULT '',
    ADD COLUMN forename_key  text NOT NULL DEFAULT '',
    -- Where an imported person came from; a re-run skips what it already wrote.
    ADD COLUMN source_system text,
    ADD COLUMN source_id     text,
    ADD CONSTRAINT people_source_pair CHECK ((source_system IS NULL) = (source_id IS NULL));
-- The same keys as shared::people::keys::name_key for people already here:
-- lower case, accents folded, letters only, Mc read as Mac.
UPDATE people SET
    name_key = regexp_replace(regexp_replace(translate(lower(surname),
        'àáâãäåāçćčèéêëēęìíîïīñńòóôõöøōùúûüūýÿśšźżžł', 'aaaaaaaccceeeeeeiiiiinnooooooouuuuuyysszzzl'),
        '[^[:alpha:]]', '', 'g'), '^mc', 'mac'),
    forename_key = regexp_replace(regexp_replace(translate(lower(split_part(coalesce(forenames, ''), ' ', 1)),
        'àáâãäåāçćčèéêëēęìíîïīñńòóôõöøōùúûüūýÿśšźżžł', 'aaaaaaaccceeeeeeiiiiinnooooooouuuuuyysszzzl'),
        '[^[:alpha:]]', '', 'g'), '^mc', 'mac');
CREATE UNIQUE INDEX people_source_idx ON people (source_system, source_id) WHERE source_system IS NOT NULL;
CREATE INDEX people_duplicate_idx ON people (name_key, date_of_birth) WHERE merged_into IS NULL;
CREATE INDEX people_pnc_idx ON people (pnc_id) WHERE pnc_id IS NOT NULL;

CREATE TABLE records (
    id            uuid PRIMARY KEY,
    family        text NOT NULL CHECK (family IN ('object', 'location', 'event')),
    kind          text NOT NULL,
    -- Events only: the force reference officers quote, and when it happened.
    reference     text UNIQUE,
    occurred_at   timestamptz,
    status        text NOT NULL,
    -- Intelligence only: P or C. Narrows who may read (one rule, in Rust).
    handling_code text CHECK (handling_code IN ('P', 'C')),
    -- 5x5x5 intelligence from a legacy system: read-only, never converted.
    read_only     boolean NOT NULL DEFAULT false,
    summary       text NOT NULL,
    -- The lookup key: VRM for vehicles, postcode for locations.
    lookup_key    text,
    details       jsonb NOT NULL,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    source_system text,
    source_id     text,
    CHECK ((family = 'event') = (occurred_at IS NOT NULL AND reference IS NOT NULL)),
    CHECK ((source_system IS NULL) = (source_id IS NULL))
);
CREATE UNIQUE INDEX records_source_idx ON records (family, source_system, source_id) WHERE source_system IS NOT NULL;
-- Lists sort by when it happened (events) or was recorded (the rest),
-- keyset on (time, id); descending indexes serve both directions.
ALTER TABLE records ADD COLUMN sort_at timestamptz GENERATED ALWAYS AS (coalesce(occurred_at, created_at)) STORED;
CREATE INDEX records_list_idx ON records (family, sort_at DESC, id DESC);
CREATE INDEX records_kind_list_idx ON records (family, kind, sort_at DESC, id DESC);
CREATE INDEX records_lookup_idx ON records (family, lookup_key text_pattern_ops) WHERE lookup_key IS NOT NULL;
CREATE SEQUENCE event_reference_seq;

-- Who a source is, apart from the sanitised report (REQUIREMENTS §6).
CREATE TABLE intelligence_sources (
    event_id        uuid PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
    source_identity text NOT NULL
);

-- A link between any two records, with the part played and, on a person's
-- link to an event, the category of data subject (s.38(3)).
CREATE TABLE links (
    id               uuid PRIMARY KEY,
    from_type        text NOT NULL CHECK (from_type IN ('person', 'object', 'location', 'event')),
    from_id          uuid NOT NULL,
    to_type          text NOT NULL CHECK (to_type IN ('person', 'object', 'location', 'event')),
    to_id            uuid NOT NULL,
    role             text NOT NULL,
    subject_category text CHECK (subject_category IN ('suspect', 'convicted', 'victim', 'witness', 'other')),
    created_at       timestamptz NOT NULL,
    UNIQUE (from_id, to_id, role)
);
CREATE INDEX links_to_idx ON links (to_id);

-- A create retried by a tablet on a bad connection must not make a second
-- record. Only the key, a fingerprint of the request and the record's id are
-- kept (never the body: that would be another copy of personal data to erase).
CREATE TABLE idempotency_keys (
    principal   text NOT NULL,
    key         text NOT NULL,
    scope       text NOT NULL,
    fingerprint bytea NOT NULL,
    record_id   uuid,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_age_idx ON idempotency_keys (created_at);

CREATE TABLE imports (
    id               uuid PRIMARY KEY,
    record_type      text NOT NULL,
    source_system    text NOT NULL,
    started_by       uuid,
    status           text NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
    lines_read       bigint NOT NULL DEFAULT 0,
    written          bigint NOT NULL DEFAULT 0,
    already_imported bigint NOT NULL DEFAULT 0,
    failed           bigint NOT NULL DEFAULT 0,
    -- Line numbers and field codes only, never the line's values.
    errors           jsonb NOT NULL DEFAULT '[]',
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz
);

-- An erased person imported from a legacy system must not come back when
-- the same file is imported again. Only a digest of the source id is kept.
CREATE TABLE import_tombstones (
    source_system text NOT NULL,
    source_digest bytea NOT NULL,
    erased_at     timestamptz NOT NULL,
    PRIMARY KEY (source_system, source_digest)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON records, intelligence_sources, links, idempotency_keys, imports TO probity_app;
GRANT SELECT, INSERT ON import_tombstones TO probity_app;
GRANT USAGE, SELECT ON SEQUENCE event_reference_seq TO probity_app;
