DROP TABLE used_assertions;
DROP TABLE signing_keys;
DROP TABLE clients;
