DROP INDEX follow_up_signals_referral_idx;
DELETE FROM changes WHERE kind = 'follow_up';
ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes DROP CONSTRAINT changes_content_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check
    CHECK (kind IN ('graduation', 'enrollment', 'agreement', 'referral'));
ALTER TABLE changes ADD CONSTRAINT changes_content_check
    CHECK ((kind IN ('agreement', 'referral')) = (content IS NOT NULL AND party IS NOT NULL));
