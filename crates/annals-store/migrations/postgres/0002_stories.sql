-- annals store, schema version 2 (PostgreSQL): document texts, near-duplicate stories,
-- and event keys that merge the reports of one event. Same meaning as
-- migrations/sqlite/0002_stories.sql.
--
-- A document keeps its text (the dashboard shows it with its events highlighted) and its
-- MinHash signature (32 little-endian 64-bit values); `story` is the id of the first stored
-- document of its near-duplicate group (itself when it has none). `document_bands` holds
-- the eight band hashes of each signature: documents that share one are compared. An
-- event's `event_key` is the same for every report of one event in one story (see
-- src/dedup.rs); `annals events` lists one event per key, with the number of reports
-- (`mentions`), outlets (`sources`) and documents.
--
-- Databases of version 1 have no texts: their documents are their own stories and their
-- events their own keys.

ALTER TABLE documents ADD COLUMN text TEXT;
ALTER TABLE documents ADD COLUMN minhash BYTEA;
ALTER TABLE documents ADD COLUMN story TEXT;
UPDATE documents SET story = id;
CREATE INDEX documents_story ON documents(story);

CREATE TABLE document_bands (
    band  BIGINT NOT NULL,
    value BIGINT NOT NULL,
    doc   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (band, value, doc)
);
CREATE INDEX document_bands_doc ON document_bands(doc);

ALTER TABLE events ADD COLUMN event_key TEXT;
UPDATE events SET event_key = id;
CREATE INDEX events_key ON events(event_key, seq);
