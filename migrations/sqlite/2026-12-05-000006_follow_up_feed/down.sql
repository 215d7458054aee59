DROP INDEX follow_up_signals_referral_idx;
CREATE TABLE changes_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    position BIGINT CHECK (position >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('graduation', 'enrollment', 'agreement', 'referral')),
    action TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    publisher TEXT NOT NULL,
    program TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    positioned_at BIGINT,
    party TEXT,
    content TEXT,
    CHECK ((kind IN ('agreement', 'referral')) = (content IS NOT NULL AND party IS NOT NULL))
);
INSERT INTO changes_new SELECT id, position, kind, action, record_id, version, publisher,
    program, occurred_at, positioned_at, party, content FROM changes
    WHERE kind <> 'follow_up';
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
CREATE UNIQUE INDEX changes_position_idx ON changes (position);
CREATE INDEX changes_unpositioned_idx ON changes (id) WHERE position IS NULL;
CREATE INDEX changes_agreement_idx ON changes (record_id, version) WHERE kind = 'agreement';
