-- The audit log; see the PostgreSQL migration for the design. SQLite has one writer, so the
-- sequencer needs no lock beyond BEGIN IMMEDIATE, and SQLite has no TRUNCATE.

CREATE TABLE audit_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry TEXT NOT NULL
);

CREATE TABLE audit_entries (
    entry_index BIGINT PRIMARY KEY CHECK (entry_index >= 0),
    entry TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    request_id TEXT NOT NULL,
    client_id TEXT,
    agency TEXT,
    purpose TEXT,
    route TEXT,
    outcome TEXT NOT NULL
);
CREATE INDEX audit_entries_recorded_at_idx ON audit_entries (recorded_at, entry_index);
CREATE INDEX audit_entries_request_id_idx ON audit_entries (request_id);
CREATE INDEX audit_entries_client_idx ON audit_entries (client_id, entry_index);
CREATE INDEX audit_entries_agency_idx ON audit_entries (agency, entry_index);
CREATE INDEX audit_entries_purpose_idx ON audit_entries (purpose, entry_index);
CREATE INDEX audit_entries_route_idx ON audit_entries (route, entry_index);
CREATE INDEX audit_entries_outcome_idx ON audit_entries (outcome, entry_index);

CREATE TABLE audit_entry_records (
    record_id TEXT NOT NULL,
    entry_index BIGINT NOT NULL REFERENCES audit_entries (entry_index),
    PRIMARY KEY (record_id, entry_index)
);
CREATE TABLE audit_entry_niks (
    nik_hash TEXT NOT NULL,
    entry_index BIGINT NOT NULL REFERENCES audit_entries (entry_index),
    PRIMARY KEY (nik_hash, entry_index)
);

CREATE TABLE audit_nodes (
    level SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 63),
    position BIGINT NOT NULL CHECK (position >= 0),
    hash BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, position)
);

CREATE TABLE audit_checkpoints (
    tree_size BIGINT PRIMARY KEY CHECK (tree_size > 0),
    root_hash BLOB NOT NULL CHECK (length(root_hash) = 32),
    note TEXT NOT NULL,
    signed_at BIGINT NOT NULL
);

CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE on audit_entries is refused'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE on audit_entries is refused'); END;
CREATE TRIGGER audit_entry_records_no_update BEFORE UPDATE ON audit_entry_records
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE on audit_entry_records is refused'); END;
CREATE TRIGGER audit_entry_records_no_delete BEFORE DELETE ON audit_entry_records
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE on audit_entry_records is refused'); END;
CREATE TRIGGER audit_entry_niks_no_update BEFORE UPDATE ON audit_entry_niks
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE on audit_entry_niks is refused'); END;
CREATE TRIGGER audit_entry_niks_no_delete BEFORE DELETE ON audit_entry_niks
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE on audit_entry_niks is refused'); END;
CREATE TRIGGER audit_nodes_no_update BEFORE UPDATE ON audit_nodes
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE on audit_nodes is refused'); END;
CREATE TRIGGER audit_nodes_no_delete BEFORE DELETE ON audit_nodes
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE on audit_nodes is refused'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE on audit_checkpoints is refused'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE on audit_checkpoints is refused'); END;
CREATE TRIGGER audit_queue_no_update BEFORE UPDATE ON audit_queue
BEGIN SELECT RAISE(ABORT, 'the audit queue is append-only: UPDATE on audit_queue is refused'); END;
