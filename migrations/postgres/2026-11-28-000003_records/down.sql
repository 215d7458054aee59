DROP TABLE record_niks;
DROP TABLE record_versions;
DROP TABLE records;
