-- OAuth clients, the exchange's token signing keys, and client assertions already used.
-- Instants are Unix seconds (BIGINT), the same on both backends.

CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    agency_code TEXT NOT NULL REFERENCES agencies (code),
    name TEXT NOT NULL,
    -- Space-separated, as in OAuth's scope parameter.
    scopes TEXT NOT NULL,
    -- argon2id PHC string; NULL for clients that authenticate with private_key_jwt.
    secret_hash TEXT,
    -- The client's public JWK Set (JSON) for private_key_jwt.
    jwks TEXT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    CHECK (secret_hash IS NOT NULL OR jwks IS NOT NULL)
);
CREATE INDEX clients_agency_code_idx ON clients (agency_code);

CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    algorithm TEXT NOT NULL,
    -- The raw public key, base64url (the JWK "x").
    public_key TEXT NOT NULL,
    -- PKCS#8, sealed with the key-encryption key; never stored in clear.
    private_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- When a newer key took over signing; it keeps verifying until its last token expires.
    retired_at BIGINT
);

-- RFC 7523 assertions are single-use: a (client, jti) seen before is a replay.
CREATE TABLE used_assertions (
    client_id TEXT NOT NULL,
    jti TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX used_assertions_expires_at_idx ON used_assertions (expires_at);
