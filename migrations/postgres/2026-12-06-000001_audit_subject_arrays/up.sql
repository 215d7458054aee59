-- The records and the people an entry touched move from one row each (audit_entry_records,
-- audit_entry_niks: about six index rows and six foreign-key checks per search entry) into
-- two arrays on the entry's own row, each under a GIN index. An entry is then one heap row;
-- GIN collects new keys in its pending list and merges them in bulk, which is what the
-- sequencer's large batches want. The auditor's filters stay index look-ups
-- (`subject_hashes @> ARRAY[$1]`). SQLite keeps the side tables: it has no arrays.

ALTER TABLE audit_entries
    ADD COLUMN record_ids TEXT[] COLLATE "C" NOT NULL DEFAULT '{}',
    ADD COLUMN subject_hashes TEXT[] COLLATE "C" NOT NULL DEFAULT '{}';

-- Filling the columns of entries already in the log is the one update the log ever takes:
-- it adds what the side tables held and changes no byte of any entry (the leaf is `entry`).
ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only;
UPDATE audit_entries e
SET record_ids = coalesce(
        (SELECT array_agg(r.record_id ORDER BY r.record_id)
         FROM audit_entry_records r WHERE r.entry_index = e.entry_index), '{}'),
    subject_hashes = coalesce(
        (SELECT array_agg(n.nik_hash ORDER BY n.nik_hash)
         FROM audit_entry_niks n WHERE n.entry_index = e.entry_index), '{}');
ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only;

DROP TABLE audit_entry_records;
DROP TABLE audit_entry_niks;

CREATE INDEX audit_entries_record_ids_idx ON audit_entries USING gin (record_ids);
CREATE INDEX audit_entries_subject_hashes_idx ON audit_entries USING gin (subject_hashes);
