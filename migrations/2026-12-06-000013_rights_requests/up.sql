-- Data subjects' rights (DPA 2018 ss.45-48, 53-54): requests as cases with
-- the legal clock, the people they are about, their history, and the
-- subject access pack compiled, decided on and released. A case is
-- personal data: every read and change of it is audited (record type
-- rights_request). The requester is kept here only, never as a nominal.

CREATE SEQUENCE rights_request_reference_seq;

CREATE TABLE rights_requests (
    id                   uuid PRIMARY KEY,
    reference            text NOT NULL UNIQUE,
    kind                 text NOT NULL CHECK (kind IN ('access', 'rectification', 'erasure', 'restriction')),
    status               text NOT NULL CHECK (status IN ('received', 'verifying_identity', 'compiling',
                             'reviewing', 'responded', 'refused', 'withdrawn')),
    requester_name       text NOT NULL,
    requester_contact    text NOT NULL,
    received_on          date NOT NULL,
    identity_proved_on   date CHECK (identity_proved_on >= received_on),
    identity_means       text,
    notes                text,
    -- The clock (s.54): kept so the list sorts by what is due.
    extension_months     integer NOT NULL DEFAULT 0 CHECK (extension_months BETWEEN 0 AND 2),
    extension_reason     text,
    extension_recorded_on date,
    paused_days          integer NOT NULL DEFAULT 0 CHECK (paused_days >= 0),
    paused_since         date,
    pause_reason         text,
    due_on               date,
    closing_reason       text,
    ncnd_reason          text,
    released_at          timestamptz,
    created_by           uuid,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    version              integer NOT NULL DEFAULT 1
);
-- Open cases by what is due: the list and the overdue counts.
CREATE INDEX rights_requests_open_idx ON rights_requests (due_on NULLS LAST, received_on)
    WHERE status NOT IN ('responded', 'refused', 'withdrawn');

CREATE TABLE rights_request_subjects (
    request_id  uuid NOT NULL REFERENCES rights_requests (id) ON DELETE CASCADE,
    person_id   uuid NOT NULL,
    attached_by uuid,
    attached_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, person_id)
);
CREATE INDEX rights_request_subjects_person_idx ON rights_request_subjects (person_id);

CREATE TABLE rights_request_timeline (
    id         bigserial PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES rights_requests (id) ON DELETE CASCADE,
    at         timestamptz NOT NULL DEFAULT now(),
    actor_id   uuid,
    what       text NOT NULL,
    detail     text
);
CREATE INDEX rights_request_timeline_request_idx ON rights_request_timeline (request_id, at);

-- Each compile of the pack: the unredacted working view, kept with the case.
-- The summary, each item's digest and the items with no default decision
-- are kept apart, so reading a case or comparing compiles never parses the
-- whole pack (megabytes, with a long history of who has seen the records).
CREATE TABLE rights_packs (
    request_id     uuid NOT NULL REFERENCES rights_requests (id) ON DELETE CASCADE,
    number         integer NOT NULL,
    compiled_at    timestamptz NOT NULL DEFAULT now(),
    compiled_by    uuid,
    working        jsonb NOT NULL,
    summary        jsonb NOT NULL,
    digests        jsonb NOT NULL,
    needs_decision text[] NOT NULL,
    PRIMARY KEY (request_id, number)
);

-- The officer's decision on each item, by its key (stable across compiles).
CREATE TABLE rights_pack_decisions (
    request_id uuid NOT NULL REFERENCES rights_requests (id) ON DELETE CASCADE,
    item_key   text NOT NULL,
    decision   text NOT NULL CHECK (decision IN ('release', 'redact', 'withhold')),
    redactions text[] NOT NULL DEFAULT '{}',
    ground     text CHECK (ground IN ('a', 'b', 'c', 'd', 'e')),
    reason     text,
    decided_by uuid,
    decided_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, item_key)
);

-- The pack as released to the subject.
CREATE TABLE rights_releases (
    request_id  uuid PRIMARY KEY REFERENCES rights_requests (id) ON DELETE CASCADE,
    released_at timestamptz NOT NULL DEFAULT now(),
    released_by uuid,
    pack        jsonb NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON rights_requests, rights_request_subjects,
    rights_request_timeline, rights_packs, rights_pack_decisions, rights_releases TO probity_app;
GRANT USAGE, SELECT ON SEQUENCE rights_request_reference_seq, rights_request_timeline_id_seq TO probity_app;
