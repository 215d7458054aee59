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
INSERT INTO audit_entry_records (record_id, entry_index)
    SELECT DISTINCT unnest(record_ids), entry_index FROM audit_entries;
INSERT INTO audit_entry_niks (nik_hash, entry_index)
    SELECT DISTINCT unnest(subject_hashes), entry_index FROM audit_entries;
CREATE TRIGGER audit_entry_records_append_only BEFORE UPDATE OR DELETE ON audit_entry_records
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_records_no_truncate BEFORE TRUNCATE ON audit_entry_records
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_niks_append_only BEFORE UPDATE OR DELETE ON audit_entry_niks
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_niks_no_truncate BEFORE TRUNCATE ON audit_entry_niks
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- Dropping the columns removes their GIN indexes too.
ALTER TABLE audit_entries DROP COLUMN record_ids, DROP COLUMN subject_hashes;
