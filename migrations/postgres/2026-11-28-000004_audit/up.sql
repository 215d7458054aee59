-- The audit log (RFC 9162 Merkle tree over RFC 8785 entries), in two steps:
-- * audit_queue: every instance appends here, in the transaction of the write it records or
--   in a group commit, before the response is sent. Queue rows have no index yet.
-- * one sequencer at a time (a transaction-level advisory lock) moves queue rows into
--   audit_entries with consecutive indexes, adds the subtree hashes to audit_nodes and signs
--   checkpoints. Moving is the queue's only DELETE; the log tables refuse any change.
-- Instants are Unix microseconds (BIGINT).

CREATE TABLE audit_queue (
    id BIGSERIAL PRIMARY KEY,
    -- The entry's canonical JSON without its index.
    entry TEXT NOT NULL
);

CREATE TABLE audit_entries (
    entry_index BIGINT PRIMARY KEY CHECK (entry_index >= 0),
    -- Exactly the bytes of the leaf: canonical JSON with the index.
    entry TEXT NOT NULL,
    -- Copies of entry fields, for the auditor's filters.
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

-- The records an entry wrote or returned, and the keyed NIK hashes it touched.
CREATE TABLE audit_entry_records (
    record_id TEXT COLLATE "C" NOT NULL,
    entry_index BIGINT NOT NULL REFERENCES audit_entries (entry_index),
    PRIMARY KEY (record_id, entry_index)
);
CREATE TABLE audit_entry_niks (
    nik_hash TEXT COLLATE "C" NOT NULL,
    entry_index BIGINT NOT NULL REFERENCES audit_entries (entry_index),
    PRIMARY KEY (nik_hash, entry_index)
);

-- Hashes of the perfect subtrees: node (level, position) covers leaves
-- [position * 2^level, (position + 1) * 2^level). Level 0 holds the leaf hashes. Any
-- proof or tree head is a fold of O(log n) of them.
CREATE TABLE audit_nodes (
    level SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 63),
    position BIGINT NOT NULL CHECK (position >= 0),
    hash BYTEA NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, position)
);

-- Every signed checkpoint, kept.
CREATE TABLE audit_checkpoints (
    tree_size BIGINT PRIMARY KEY CHECK (tree_size > 0),
    root_hash BYTEA NOT NULL CHECK (length(root_hash) = 32),
    note TEXT NOT NULL,
    signed_at BIGINT NOT NULL
);

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_records_append_only BEFORE UPDATE OR DELETE ON audit_entry_records
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_records_no_truncate BEFORE TRUNCATE ON audit_entry_records
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_niks_append_only BEFORE UPDATE OR DELETE ON audit_entry_niks
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_niks_no_truncate BEFORE TRUNCATE ON audit_entry_niks
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_nodes_append_only BEFORE UPDATE OR DELETE ON audit_nodes
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_nodes_no_truncate BEFORE TRUNCATE ON audit_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
-- Queue rows leave only by being moved into the log; nothing may rewrite them.
CREATE TRIGGER audit_queue_no_update BEFORE UPDATE ON audit_queue
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_queue_no_truncate BEFORE TRUNCATE ON audit_queue
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
