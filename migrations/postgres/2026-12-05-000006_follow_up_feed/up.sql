-- Follow-up signals on the feed (kind 'follow_up', actions `raised` and `closed`), so that
-- a graduation's publisher works from its queue (or webhooks) instead of polling
-- GET /v1/follow-up: `publisher` and `party` are the graduation's publisher, `content` the
-- signal as the change left it, `record_id` the signal's id.
ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes DROP CONSTRAINT changes_content_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check
    CHECK (kind IN ('graduation', 'enrollment', 'agreement', 'referral', 'follow_up'));
ALTER TABLE changes ADD CONSTRAINT changes_content_check
    CHECK ((kind IN ('agreement', 'referral', 'follow_up'))
           = (content IS NOT NULL AND party IS NOT NULL));

-- The watch closes a referral's overdue signals when the referral moves on: found by it.
CREATE INDEX follow_up_signals_referral_idx ON follow_up_signals (referral_id);
