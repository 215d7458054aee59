DROP TABLE follow_up_signals;
ALTER TABLE programs DROP COLUMN follow_up_days;
