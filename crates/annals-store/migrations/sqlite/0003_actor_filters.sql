-- annals store, schema version 3 (SQLite): fewer indexes to keep on every insert.
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

-- The event-key indexes of `event_dyads` and `event_roles` served only re-coding, which
-- now deletes an event's rows by primary key (its first report and its reports' values,
-- src/sqlite.rs): they too only cost every insert.
DROP INDEX event_dyads_key;
DROP INDEX event_roles_key;

-- `document_bands` loses its index on `doc` (eight rows per document, each written to
-- two trees) and with it the foreign key whose cascade needed it: re-coding deletes a
-- document's bands by primary key, from its stored MinHash (src/sqlite.rs). SQLite
-- cannot drop a constraint, so the table is rebuilt.
CREATE TABLE document_bands_v3 (
    band  INTEGER NOT NULL,
    value INTEGER NOT NULL,
    doc   TEXT NOT NULL,
    PRIMARY KEY (band, value, doc)
) WITHOUT ROWID;
INSERT INTO document_bands_v3 (band, value, doc) SELECT band, value, doc FROM document_bands;
DROP TABLE document_bands;
ALTER TABLE document_bands_v3 RENAME TO document_bands;
