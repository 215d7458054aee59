-- A subscription names the purpose its deliveries serve: another agency's changes are
-- delivered only under an agreement in force for it. NULL: only the agency's own changes
-- (subscriptions made before agreements existed).
ALTER TABLE subscriptions ADD COLUMN purpose TEXT;

-- The feed also announces agreements (kind 'agreement'): `record_id` and `version` are then
-- the agreement's, `publisher` its provider, `party` its consumer (both see the change), and
-- `content` the agreement as it stood, since no record version holds it. A record change
-- keeps its version's content in record_versions, which the code writes in the same
-- transaction; the foreign key cannot hold for both kinds and goes.
ALTER TABLE changes DROP CONSTRAINT changes_record_id_version_fkey;
ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes DROP CONSTRAINT changes_action_check;
ALTER TABLE changes ADD COLUMN party TEXT;
ALTER TABLE changes ADD COLUMN content TEXT;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check
    CHECK (kind IN ('graduation', 'enrollment', 'agreement'));
ALTER TABLE changes ADD CONSTRAINT changes_content_check
    CHECK ((kind = 'agreement') = (content IS NOT NULL AND party IS NOT NULL));
-- The agreement clock asks whether a version's expiry was already announced.
CREATE INDEX changes_agreement_idx ON changes (record_id, version) WHERE kind = 'agreement';
