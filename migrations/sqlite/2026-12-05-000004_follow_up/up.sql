-- The follow-up watch (issue 15): signals that a graduated family was not picked up, fell
-- back into social assistance, or that a referral of it missed a deadline.

-- How long after graduated_on a program's graduations are watched, in days; NULL: the
-- exchange's default (SINERGI_FOLLOW_UP_WINDOW_DAYS, 365).
ALTER TABLE programs ADD COLUMN follow_up_days INTEGER
    CHECK (follow_up_days IS NULL OR (follow_up_days >= 1 AND follow_up_days <= 3650));

CREATE TABLE follow_up_signals (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('graduation.unreferred', 'graduation.relapse',
                                       'referral.overdue')),
    -- What raised it: `no_referral`, `social_assistance_enrollment`, `welfare_decile`,
    -- `respond_by`, `complete_by`.
    cause TEXT NOT NULL,
    -- The record (or referral deadline) that raised it: a signal is raised once per trigger.
    trigger_id TEXT NOT NULL,
    graduation_id TEXT NOT NULL REFERENCES records (id),
    -- Of the graduation: who sees the signal, and what it is filtered by.
    publisher TEXT NOT NULL REFERENCES agencies (code),
    program TEXT NOT NULL,
    region_digits TEXT NOT NULL,
    referral_id TEXT REFERENCES referrals (id),
    -- The ids of the records (and referral) that raised it, as a JSON array.
    records TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    closed_at BIGINT
);
-- A signal is raised once per kind, graduation and trigger.
CREATE UNIQUE INDEX follow_up_signals_trigger_idx
    ON follow_up_signals (kind, graduation_id, trigger_id);
CREATE INDEX follow_up_signals_graduation_idx ON follow_up_signals (graduation_id);
CREATE INDEX follow_up_signals_open_idx ON follow_up_signals (publisher, id)
    WHERE closed_at IS NULL;
