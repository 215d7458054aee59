-- Referrals (issue 15): a request that another agency take up a graduated family, with
-- deadlines the exchange keeps. Instants are Unix microseconds.

-- Why a family is referred, and why a referral is declined, withdrawn or released: a
-- reference list, so that reasons can be counted across agencies.
CREATE TABLE referral_reasons (
    code TEXT PRIMARY KEY,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    applies_to TEXT NOT NULL CHECK (applies_to IN ('referral', 'decline', 'withdrawal', 'release'))
);

INSERT INTO referral_reasons (code, name_id, name_en, applies_to) VALUES
    ('USAHA_MIKRO', 'Keluarga memiliki atau merintis usaha mikro',
     'The family runs or is starting a micro business', 'referral'),
    ('USIA_PRODUKTIF', 'Ada anggota keluarga usia produktif tanpa pekerjaan tetap',
     'A working-age member has no steady work', 'referral'),
    ('DESA_SASARAN', 'Keluarga tinggal di desa sasaran program pemberdayaan',
     'The family lives in a village the empowerment program targets', 'referral'),
    ('KOPERASI', 'Keluarga dapat bergabung dengan koperasi setempat',
     'The family can join a local cooperative', 'referral'),
    ('KUOTA_PENUH', 'Kuota program penuh', 'The program''s quota is full', 'decline'),
    ('DI_LUAR_WILAYAH', 'Keluarga di luar wilayah layanan program',
     'The family lives outside the program''s area', 'decline'),
    ('TIDAK_MEMENUHI_SYARAT', 'Keluarga tidak memenuhi syarat program',
     'The family does not meet the program''s conditions', 'decline'),
    ('KELUARGA_MENOLAK', 'Keluarga menolak ikut program', 'The family declined to take part',
     'release'),
    ('TIDAK_DAPAT_DIHUBUNGI', 'Keluarga tidak dapat dihubungi', 'The family cannot be reached',
     'release'),
    ('DATA_KELIRU', 'Data graduasi keliru atau ditarik', 'The graduation data was wrong or retracted',
     'withdrawal'),
    ('SUDAH_TERTANGANI', 'Keluarga sudah ditangani program lain',
     'Another program already took the family up', 'withdrawal');

CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    requester_agency TEXT NOT NULL REFERENCES agencies (code),
    source_record_id TEXT NOT NULL,
    graduation_id TEXT NOT NULL REFERENCES records (id),
    -- Of the graduation, as it was when the family was referred: whose disclosure the
    -- referral is, and what the agreements that allow it are decided on.
    graduation_publisher TEXT NOT NULL REFERENCES agencies (code),
    program TEXT NOT NULL,
    region_digits TEXT NOT NULL,
    subject_kk TEXT NOT NULL,
    subject_nik TEXT NOT NULL,
    purpose TEXT NOT NULL REFERENCES purposes (code),
    reason_code TEXT NOT NULL REFERENCES referral_reasons (code),
    priority TEXT NOT NULL CHECK (priority IN ('routine', 'urgent')),
    note TEXT,
    status TEXT NOT NULL CHECK (status IN ('offered', 'accepted', 'enrolled', 'declined',
                                           'withdrawn', 'released', 'lapsed')),
    status_reason TEXT REFERENCES referral_reasons (code),
    owner_agency TEXT REFERENCES agencies (code),
    enrollment_id TEXT REFERENCES records (id),
    respond_by BIGINT NOT NULL,
    complete_by BIGINT NOT NULL,
    -- SHA-256 of the creating request's canonical JSON: the same request again is answered
    -- with this referral, a different one under the same source_record_id is a conflict.
    request_sha256 TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (complete_by > respond_by)
);
-- Idempotent creation: one referral per requester and source_record_id.
CREATE UNIQUE INDEX referrals_source_idx ON referrals (requester_agency, source_record_id);
CREATE INDEX referrals_graduation_idx ON referrals (graduation_id);
-- The deadline sweep reads only the open referrals whose deadline has passed.
CREATE INDEX referrals_respond_idx ON referrals (respond_by) WHERE status = 'offered';
CREATE INDEX referrals_complete_idx ON referrals (complete_by) WHERE status = 'accepted';

-- Each agency a referral is (or, for a fallback, may later be) offered to, and its answer.
CREATE TABLE referral_offers (
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    agency TEXT NOT NULL REFERENCES agencies (code),
    target_program TEXT REFERENCES programs (code),
    -- Order in the request: offered_to first, then fallback_to.
    rank INTEGER NOT NULL,
    fallback BOOLEAN NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'offered', 'accepted', 'declined',
                                         'released', 'lapsed', 'skipped')),
    reason_code TEXT REFERENCES referral_reasons (code),
    offered_at BIGINT,
    answered_at BIGINT,
    PRIMARY KEY (referral_id, agency)
);
-- An agency's queue: the referrals offered to it.
CREATE INDEX referral_offers_agency_idx ON referral_offers (agency, referral_id);

-- The feed announces referrals (kind 'referral'): `publisher` is the requester, `party` the
-- graduation's publisher, `content` the referral as the change left it; the agencies it was
-- offered to see it through referral_offers.
ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes DROP CONSTRAINT changes_content_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check
    CHECK (kind IN ('graduation', 'enrollment', 'agreement', 'referral'));
ALTER TABLE changes ADD CONSTRAINT changes_content_check
    CHECK ((kind IN ('agreement', 'referral')) = (content IS NOT NULL AND party IS NOT NULL));
