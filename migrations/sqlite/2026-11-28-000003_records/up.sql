-- Graduation and enrollment records, their every version, and the NIKs they are found by.
-- One table holds both kinds: they share identity, versioning and most filters, and the
-- change feed will order both on one axis. Instants are Unix microseconds (BIGINT).
-- SQLite compares text by bytes, so ranges over digits need no collation.

CREATE TABLE records (
    -- UUIDv7: time-ordered, so the primary key is also the keyset order of searches.
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('graduation', 'enrollment')),
    publisher TEXT NOT NULL REFERENCES agencies (code),
    source_record_id TEXT NOT NULL,
    program TEXT NOT NULL REFERENCES programs (code),
    -- Household KK of a graduation, subject KK of an enrollment.
    kk TEXT,
    -- Village code without dots: a region prefix is a range of digits.
    region_digits TEXT NOT NULL,
    -- graduated_on or enrolled_on, YYYY-MM-DD.
    event_on TEXT NOT NULL,
    -- Enrollments only.
    status TEXT CHECK (status IN ('active', 'suspended', 'completed', 'exited')),
    graduation_id TEXT REFERENCES records (id),
    -- The publisher's content in RFC 8785 canonical JSON, and its SHA-256 (hex).
    content TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    retracted BOOLEAN NOT NULL DEFAULT 0,
    retraction_reason TEXT
);
-- The upsert key: a publisher's own id names one record of each kind.
CREATE UNIQUE INDEX records_source_idx ON records (kind, publisher, source_record_id);
CREATE INDEX records_kind_id_idx ON records (kind, id);
CREATE INDEX records_publisher_idx ON records (kind, publisher, id);
CREATE INDEX records_program_idx ON records (kind, program, id);
CREATE INDEX records_kk_idx ON records (kk);
CREATE INDEX records_region_idx ON records (kind, region_digits);
CREATE INDEX records_event_on_idx ON records (kind, event_on);
CREATE INDEX records_updated_at_idx ON records (kind, updated_at);
CREATE INDEX records_status_idx ON records (kind, status, id);
CREATE INDEX records_graduation_id_idx ON records (graduation_id);

-- Every version of every record, the current one included, as it was written.
CREATE TABLE record_versions (
    record_id TEXT NOT NULL REFERENCES records (id),
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    retracted BOOLEAN NOT NULL,
    retraction_reason TEXT,
    PRIMARY KEY (record_id, version)
);

-- The NIKs of the current version: a graduation's head and members, an enrollment's subject.
CREATE TABLE record_niks (
    nik TEXT NOT NULL,
    record_id TEXT NOT NULL REFERENCES records (id),
    PRIMARY KEY (nik, record_id)
);
CREATE INDEX record_niks_record_id_idx ON record_niks (record_id);
