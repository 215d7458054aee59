CREATE TABLE changes_old (
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
INSERT INTO changes_old (id, position, kind, action, record_id, version, publisher, program,
                         occurred_at, positioned_at)
    SELECT id, position, kind, action, record_id, version, publisher, program, occurred_at,
           positioned_at
    FROM changes WHERE kind <> 'agreement';
DROP TABLE changes;
ALTER TABLE changes_old RENAME TO changes;
CREATE UNIQUE INDEX changes_position_idx ON changes (position);
CREATE INDEX changes_unpositioned_idx ON changes (id) WHERE position IS NULL;
ALTER TABLE subscriptions DROP COLUMN purpose;
