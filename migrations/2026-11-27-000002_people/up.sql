-- People (nominals). Later migrations add aliases, identifiers, markers and links.

CREATE TABLE people (
    id            uuid PRIMARY KEY,
    surname       text NOT NULL CHECK (char_length(surname) BETWEEN 1 AND 100),
    forenames     text CHECK (char_length(forenames) BETWEEN 1 AND 150),
    date_of_birth date,
    gender        text NOT NULL CHECK (gender IN ('male', 'female', 'other', 'not_known')),
    -- Incremented on every change; the record's ETag.
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    -- Lower-cased surname, the list's sort and prefix-filter key.
    surname_key   text GENERATED ALWAYS AS (lower(surname)) STORED
);
-- Keyset pagination and prefix filtering by surname.
CREATE INDEX people_surname_key_idx ON people (surname_key text_pattern_ops, id);
CREATE INDEX people_surname_order_idx ON people (surname_key, id);
