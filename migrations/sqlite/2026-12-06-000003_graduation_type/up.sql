-- A graduation's type as a column: see the PostgreSQL migration. SQLite cannot add a table
-- constraint to an existing table, so only the values are checked here.
ALTER TABLE records ADD COLUMN graduation_type TEXT
    CHECK (graduation_type IN ('natural', 'self_reliant', 'exit_noncompliance', 'exit_data_correction'));
UPDATE records SET graduation_type = json_extract(content, '$.graduation_type')
    WHERE kind = 'graduation';
