-- Households across KK changes (issue 15): an overlay of what happened to family cards
-- (pecah KK, merges, members joining or leaving, renumbering), recorded by agencies. Records
-- keep the KK they were published with; the follow-up watch and `follow_lineage` searches
-- follow these links. Each event keeps when it happened (effective_on) and when the
-- exchange learnt it (recorded_at); events that disagree are kept, and flagged on reading.

CREATE TABLE household_events (
    id TEXT PRIMARY KEY,
    agency TEXT NOT NULL REFERENCES agencies (code),
    source_record_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('split', 'merge', 'member_join', 'member_leave',
                                       'renumber')),
    effective_on TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('dukcapil', 'field_verification')),
    -- The event as sent, canonical JSON: what the lineage answers.
    content TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
-- Idempotent per agency, like records and referrals.
CREATE UNIQUE INDEX household_events_source_idx ON household_events (agency, source_record_id);

-- The edges of the lineage: a whole family (nik NULL) or one member moving from one KK to
-- another. `position` numbers an event's links.
CREATE TABLE household_links (
    event_id TEXT NOT NULL REFERENCES household_events (id),
    position INTEGER NOT NULL,
    from_kk TEXT NOT NULL,
    to_kk TEXT,
    nik TEXT,
    effective_on TEXT NOT NULL,
    PRIMARY KEY (event_id, position)
);
CREATE INDEX household_links_from_idx ON household_links (from_kk);
CREATE INDEX household_links_to_idx ON household_links (to_kk);
