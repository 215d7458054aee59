-- An audit entry's text and its people's hashes are hex digests and ids: nothing a
-- compressor finds twice. PostgreSQL's default storage still tries to compress every value
-- over 2 kB before it gives up, which for a feed page's or a batch's entry (about 370 kB
-- each) was about 40 % of the time to integrate it (measured: 165 such entries, 6.6 s
-- with the attempt, 3.9 s without). The values are stored out of line as they are. The
-- records' ids (UUIDv7, sharing their time prefix) do compress, and keep the default.
ALTER TABLE audit_entries
    ALTER COLUMN entry SET STORAGE EXTERNAL,
    ALTER COLUMN subject_hashes SET STORAGE EXTERNAL;
ALTER TABLE audit_queue ALTER COLUMN entry SET STORAGE EXTERNAL;
