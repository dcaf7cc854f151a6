-- Staff accounts, their sign-in sessions, and third-party API clients.

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    username        text NOT NULL UNIQUE CHECK (username = lower(username)),
    display_name    text NOT NULL,
    -- argon2id PHC string; never the password.
    password_hash   text NOT NULL,
    roles           text[] NOT NULL CHECK (cardinality(roles) > 0),
    disabled_at     timestamptz,
    -- Throttling of repeated failed sign-ins (reset on success).
    failed_sign_ins integer NOT NULL DEFAULT 0,
    throttled_until timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- A session is one family of rotating refresh tokens. Revoking it (sign-out,
-- reuse detected, account disabled) ends every token in the family, and the
-- access tokens that name it stop working at once.
CREATE TABLE sessions (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_reason text
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- Only the SHA-256 of a refresh token is stored; a database leak yields no
-- usable token. `used_at` set means rotated: presenting it again is reuse.
CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES sessions (id),
    issued_at  timestamptz NOT NULL DEFAULT now(),
    used_at    timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE api_clients (
    id          uuid PRIMARY KEY,
    client_id   text NOT NULL UNIQUE,
    name        text NOT NULL,
    -- argon2id PHC string of the client secret.
    secret_hash text NOT NULL,
    scopes      text[] NOT NULL CHECK (cardinality(scopes) > 0),
    disabled_at timestamptz,
    created_by  uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
