DROP TABLE household_links;
DROP TABLE household_events;
