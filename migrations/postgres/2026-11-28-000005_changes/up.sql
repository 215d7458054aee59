-- The change feed's outbox: one row per created, updated or retracted record version,
-- written in the transaction of the write. `position` is NULL until the sequencer, one
-- instance at a time under an advisory lock, numbers committed changes in the order it finds
-- them; a sequence could not do this, since transactions commit in another order than they
-- draw numbers, and a reader could skip a number that commits later. The feed serves only
-- positioned changes, so reading after `next` never misses one.
CREATE TABLE changes (
    id BIGSERIAL PRIMARY KEY,
    position BIGINT CHECK (position >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('graduation', 'enrollment')),
    action TEXT NOT NULL CHECK (action IN ('created', 'updated', 'retracted')),
    record_id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    publisher TEXT NOT NULL,
    program TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    -- When the sequencer numbered it (Unix microseconds): commit-to-visibility delay.
    positioned_at BIGINT,
    FOREIGN KEY (record_id, version) REFERENCES record_versions (record_id, version)
);
CREATE UNIQUE INDEX changes_position_idx ON changes (position);
CREATE INDEX changes_unpositioned_idx ON changes (id) WHERE position IS NULL;
