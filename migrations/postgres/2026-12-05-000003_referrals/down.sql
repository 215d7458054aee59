DELETE FROM changes WHERE kind = 'referral';
ALTER TABLE changes DROP CONSTRAINT changes_content_check;
ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check
    CHECK (kind IN ('graduation', 'enrollment', 'agreement'));
ALTER TABLE changes ADD CONSTRAINT changes_content_check
    CHECK ((kind = 'agreement') = (content IS NOT NULL AND party IS NOT NULL));
DROP TABLE referral_offers;
DROP TABLE referrals;
DROP TABLE referral_reasons;
