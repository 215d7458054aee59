DROP TABLE meta;
DROP TABLE regions;
DROP TABLE programs;
DROP TABLE agencies;
