-- Follow-up signals on the feed: see the PostgreSQL migration. SQLite cannot change a
-- constraint: the feed's table is rebuilt (a one-time cost in proportion to the feed).
CREATE TABLE changes_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    position BIGINT CHECK (position >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('graduation', 'enrollment', 'agreement', 'referral', 'follow_up')),
    action TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    publisher TEXT NOT NULL,
    program TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    positioned_at BIGINT,
    party TEXT,
    content TEXT,
    CHECK ((kind IN ('agreement', 'referral', 'follow_up')) = (content IS NOT NULL AND party IS NOT NULL))
);
INSERT INTO changes_new SELECT id, position, kind, action, record_id, version, publisher,
    program, occurred_at, positioned_at, party, content FROM changes;
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
CREATE UNIQUE INDEX changes_position_idx ON changes (position);
CREATE INDEX changes_unpositioned_idx ON changes (id) WHERE position IS NULL;
CREATE INDEX changes_agreement_idx ON changes (record_id, version) WHERE kind = 'agreement';

-- The watch closes a referral's overdue signals when the referral moves on: found by it.
CREATE INDEX follow_up_signals_referral_idx ON follow_up_signals (referral_id);
