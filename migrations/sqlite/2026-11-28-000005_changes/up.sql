-- The change feed's outbox; see the PostgreSQL migration for the design.
CREATE TABLE changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    position BIGINT CHECK (position >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('graduation', 'enrollment')),
    action TEXT NOT NULL CHECK (action IN ('created', 'updated', 'retracted')),
    record_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    publisher TEXT NOT NULL,
    program TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    positioned_at BIGINT,
    FOREIGN KEY (record_id, version) REFERENCES record_versions (record_id, version)
);
CREATE UNIQUE INDEX changes_position_idx ON changes (position);
CREATE INDEX changes_unpositioned_idx ON changes (id) WHERE position IS NULL;
