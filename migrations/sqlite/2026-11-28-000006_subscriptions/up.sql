-- Webhook subscriptions and their delivery attempts; see the PostgreSQL migration for the
-- design.
CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    agency TEXT NOT NULL REFERENCES agencies (code),
    url TEXT NOT NULL,
    types TEXT NOT NULL,
    programs TEXT NOT NULL,
    publishers TEXT NOT NULL,
    secret TEXT NOT NULL,
    position BIGINT NOT NULL CHECK (position >= 0),
    state TEXT NOT NULL CHECK (state IN ('active', 'failing')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    first_failed_at BIGINT,
    next_attempt_at BIGINT NOT NULL,
    leased_by TEXT,
    leased_until BIGINT,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX subscriptions_agency_idx ON subscriptions (agency, created_at);
CREATE INDEX subscriptions_due_idx ON subscriptions (next_attempt_at) WHERE state = 'active';

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    attempt INTEGER NOT NULL CHECK (attempt >= 1),
    attempted_at BIGINT NOT NULL,
    status_code INTEGER,
    latency_ms BIGINT NOT NULL,
    error TEXT
);
CREATE INDEX deliveries_subscription_idx ON deliveries (subscription_id, id);
CREATE INDEX deliveries_attempted_at_idx ON deliveries (attempted_at);
