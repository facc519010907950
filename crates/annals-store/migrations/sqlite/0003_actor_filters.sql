-- annals store, schema version 3 (SQLite): actor filters read `event_roles`.
--
-- A query that combines an actor with other filters (a type, a place, a text) found the
-- matching reports through four indexes of `event_actors` (country, sector, org, name).
-- `event_roles` answers the same question per event in one index (see
-- src/query.rs), and the report itself is then checked through the table's primary key,
-- so the four indexes only cost every insert (about a fifth of the rows the store wrote
-- per report). PostgreSQL keeps its expression indexes: its queries use them.

DROP INDEX event_actors_country;
DROP INDEX event_actors_sector;
DROP INDEX event_actors_org;
DROP INDEX event_actors_name;
