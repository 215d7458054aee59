-- People who use the console, apart from the API's clients (systems): an account belongs to
-- one agency and has one role, which decides the pages it sees. Passwords are argon2id
-- hashes; a TOTP secret is sealed with the key-encryption key, like private signing keys.
CREATE TABLE people (
    username TEXT PRIMARY KEY,
    agency_code TEXT NOT NULL REFERENCES agencies (code),
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'operator', 'auditor', 'dpo')),
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    -- The last TOTP time step accepted, so that a code cannot be used twice.
    totp_last_step BIGINT,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

-- A signed-in person's session. The cookie holds a random token; only its SHA-256 is kept,
-- so a database dump holds no session that works.
CREATE TABLE console_sessions (
    token_sha256 TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES people (username) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_username_idx ON console_sessions (username);
