ALTER TABLE records DROP COLUMN graduation_type;
