ALTER TABLE clients DROP COLUMN tokens_revoked_before;
