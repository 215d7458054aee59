DROP INDEX changes_agreement_idx;
DELETE FROM changes WHERE kind = 'agreement';
ALTER TABLE changes DROP CONSTRAINT changes_content_check;
ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes DROP COLUMN content;
ALTER TABLE changes DROP COLUMN party;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check CHECK (kind IN ('graduation', 'enrollment'));
ALTER TABLE changes ADD CONSTRAINT changes_action_check
    CHECK (action IN ('created', 'updated', 'retracted'));
ALTER TABLE changes ADD CONSTRAINT changes_record_id_version_fkey
    FOREIGN KEY (record_id, version) REFERENCES record_versions (record_id, version);
ALTER TABLE subscriptions DROP COLUMN purpose;
