DROP TABLE agreement_versions;
DROP TABLE agreements;
DROP TABLE purposes;
