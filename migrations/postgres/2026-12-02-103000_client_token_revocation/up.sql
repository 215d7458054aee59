-- Access tokens are self-contained for up to 15 minutes; replacing a client's secret must
-- end the ones already issued. A token whose `iat` (Unix seconds) is earlier than this is
-- refused; NULL while the secret was never replaced.
ALTER TABLE clients ADD COLUMN tokens_revoked_before BIGINT;
