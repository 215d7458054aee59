DROP TABLE audit_checkpoints;
DROP TABLE audit_nodes;
DROP TABLE audit_entry_niks;
DROP TABLE audit_entry_records;
DROP TABLE audit_entries;
DROP TABLE audit_queue;
DROP FUNCTION audit_refuse_change();
