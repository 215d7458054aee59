-- Data-sharing agreements (UU 27/2022): the purposes a read may serve, and the agreements
-- between a provider agency (whose records) and a consumer agency that bind every read of
-- another agency's records to a purpose and a set of fields. Instants are Unix microseconds.

CREATE TABLE purposes (
    code TEXT PRIMARY KEY,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description TEXT NOT NULL
);

INSERT INTO purposes (code, name_id, name_en, description) VALUES
    ('PEMBERDAYAAN_EKONOMI', 'Pemberdayaan ekonomi keluarga pascagraduasi',
     'Economic empowerment of graduated families',
     'Menjangkau keluarga yang lulus dari bantuan sosial untuk program pemberdayaan ekonomi. / Reaching families that left social assistance with an empowerment program.'),
    ('VERIFIKASI_KELAYAKAN', 'Verifikasi kelayakan calon penerima',
     'Eligibility verification',
     'Memeriksa apakah calon peserta memenuhi syarat suatu program. / Checking whether a candidate meets a program''s conditions.'),
    ('MONITORING_GRADUASI', 'Pemantauan keberlanjutan graduasi',
     'Monitoring of graduation outcomes',
     'Memantau apakah keluarga yang lulus tertangani dan tidak kembali menerima bantuan sosial. / Following whether graduated families are picked up and do not fall back into social assistance.'),
    ('AUDIT', 'Pemeriksaan dan pengawasan',
     'Audit and oversight',
     'Pemeriksaan oleh pengawas internal atau eksternal atas pemrosesan data. / Review of the processing by internal or external oversight.');

CREATE TABLE agreements (
    id TEXT PRIMARY KEY,
    provider_agency TEXT NOT NULL REFERENCES agencies (code),
    consumer_agency TEXT NOT NULL REFERENCES agencies (code),
    status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'suspended', 'terminated')),
    -- The version whose terms apply; NULL until the provider first approves.
    version_in_force BIGINT,
    latest_version BIGINT NOT NULL CHECK (latest_version >= 1),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (provider_agency <> consumer_agency)
);
CREATE INDEX agreements_provider_idx ON agreements (provider_agency, created_at);
CREATE INDEX agreements_consumer_idx ON agreements (consumer_agency, created_at);

-- Every version ever proposed, kept: the terms as canonical JSON, who proposed them and
-- whether and when they came into force.
CREATE TABLE agreement_versions (
    agreement_id TEXT NOT NULL REFERENCES agreements (id),
    version BIGINT NOT NULL CHECK (version >= 1),
    terms TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'superseded')),
    proposed_by TEXT NOT NULL,
    proposed_at BIGINT NOT NULL,
    approved_at BIGINT,
    PRIMARY KEY (agreement_id, version)
);
