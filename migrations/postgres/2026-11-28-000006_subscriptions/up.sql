-- Webhook subscriptions and their delivery attempts. Instants are Unix microseconds
-- (BIGINT), so that retries a fraction of a second apart keep their order.
CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    -- The owner: only this agency sees or changes the subscription.
    agency TEXT NOT NULL REFERENCES agencies (code),
    url TEXT NOT NULL,
    -- Comma-separated filters; an empty programs or publishers list means any.
    types TEXT NOT NULL,
    programs TEXT NOT NULL,
    publishers TEXT NOT NULL,
    -- The signing secret's 32 bytes, sealed with the key-encryption key; never in clear.
    secret TEXT NOT NULL,
    -- The last change acknowledged (or skipped as not matching): delivery resumes after it.
    position BIGINT NOT NULL CHECK (position >= 0),
    -- `failing`: paused after retrying one change for the whole schedule.
    state TEXT NOT NULL CHECK (state IN ('active', 'failing')),
    -- Failed attempts of the change after `position`, and when the first of them failed.
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    first_failed_at BIGINT,
    next_attempt_at BIGINT NOT NULL,
    -- The instance delivering it now, until when: one instance at a time.
    leased_by TEXT,
    leased_until BIGINT,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX subscriptions_agency_idx ON subscriptions (agency, created_at);
CREATE INDEX subscriptions_due_idx ON subscriptions (next_attempt_at) WHERE state = 'active';

-- Every delivery attempt, kept for a while so that a subscriber can see what went wrong.
-- The error is a short description (a status and the start of the answer, or the transport
-- error), never the whole response body and never the secret.
CREATE TABLE deliveries (
    id BIGSERIAL PRIMARY KEY,
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
