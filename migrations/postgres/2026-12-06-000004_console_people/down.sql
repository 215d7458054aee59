DROP TABLE console_sessions;
DROP TABLE people;
