-- Reference data: the agencies that publish, their programs, and the Kemendagri region table.

CREATE TABLE agencies (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE programs (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    agency_code TEXT NOT NULL REFERENCES agencies (code),
    kind TEXT NOT NULL CHECK (kind IN ('social_assistance', 'empowerment')),
    active BOOLEAN NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE INDEX programs_agency_code_idx ON programs (agency_code);

-- Loaded from data/regions/ by the application, not here, so that a new
-- release of the table is a data reload rather than a schema migration.
CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'regency', 'district', 'village')),
    parent_code TEXT REFERENCES regions (code)
);
CREATE INDEX regions_parent_code_idx ON regions (parent_code);

-- Facts about the database itself: the loaded region data version, demo marker.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
