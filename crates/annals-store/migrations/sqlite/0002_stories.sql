-- annals store, schema version 2 (SQLite): document texts, near-duplicate stories, and
-- event keys that merge the reports of one event.
--
-- A document keeps its text (the dashboard shows it with its events highlighted) and its
-- MinHash signature (32 little-endian 64-bit values); `story` is the id of the first stored
-- document of its near-duplicate group (itself when it has none). `document_bands` holds
-- the eight band hashes of each signature: documents that share one are compared. An event's `event_key` is the same for every report of one
-- event in one story (see src/dedup.rs); `annals events` lists one event per key, with the
-- number of reports (`mentions`), outlets (`sources`) and documents.
--
-- Databases of version 1 have no texts: their documents are their own stories and their
-- events their own keys.

ALTER TABLE documents ADD COLUMN text TEXT;
ALTER TABLE documents ADD COLUMN minhash BLOB;
ALTER TABLE documents ADD COLUMN story TEXT;
UPDATE documents SET story = id;
CREATE INDEX documents_story ON documents(story);

CREATE TABLE document_bands (
    band  INTEGER NOT NULL,
    value INTEGER NOT NULL,
    doc   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (band, value, doc)
) WITHOUT ROWID;
CREATE INDEX document_bands_doc ON document_bands(doc);

ALTER TABLE events ADD COLUMN event_key TEXT;
UPDATE events SET event_key = id;
CREATE INDEX events_key ON events(event_key, seq);

-- Dyads: for each event (key), every (source value, target value) pair of each of its
-- reports, where a value is an actor's country, sector, org or name, pointing at the
-- event's first report. One index range answers "events from A to B" already in result
-- order (date, id), so a dyad's first page costs the same over a thousand or a million
-- events. Kept by the store on every insert and re-code (src/sqlite.rs).
CREATE TABLE event_dyads (
    source    TEXT NOT NULL COLLATE NOCASE,
    target    TEXT NOT NULL COLLATE NOCASE,
    rep_date  TEXT NOT NULL,
    rep_id    TEXT NOT NULL,
    rep_seq   INTEGER NOT NULL,
    event_key TEXT NOT NULL,
    PRIMARY KEY (source, target, rep_date, rep_id)
) WITHOUT ROWID;
CREATE INDEX event_dyads_key ON event_dyads(event_key);

-- Version 1 databases: their events get their dyads here.
INSERT OR IGNORE INTO event_dyads (source, target, rep_date, rep_id, rep_seq, event_key)
SELECT s.v, t.v, coalesce(e.date, ''), e.id, e.seq, e.event_key
FROM events e
JOIN (SELECT event_id, country AS v FROM event_actors WHERE role = 'source' AND country IS NOT NULL
      UNION SELECT event_id, sector FROM event_actors WHERE role = 'source' AND sector IS NOT NULL
      UNION SELECT event_id, org FROM event_actors WHERE role = 'source' AND org IS NOT NULL
      UNION SELECT event_id, name FROM event_actors WHERE role = 'source' AND name IS NOT NULL) s ON s.event_id = e.id
JOIN (SELECT event_id, country AS v FROM event_actors WHERE role = 'target' AND country IS NOT NULL
      UNION SELECT event_id, sector FROM event_actors WHERE role = 'target' AND sector IS NOT NULL
      UNION SELECT event_id, org FROM event_actors WHERE role = 'target' AND org IS NOT NULL
      UNION SELECT event_id, name FROM event_actors WHERE role = 'target' AND name IS NOT NULL) t ON t.event_id = e.id;

-- The text index is filled once per stored batch (one statement for all its events)
-- instead of by a trigger per event: FTS5 flushes its pending terms at the end of every
-- statement, and a flush per event cost more than the rest of storing. Deletes and
-- updates still go through their triggers.
DROP TRIGGER events_fts_insert;

-- Answers: the first report of each event carries the JSON that queries answer (its
-- record with `mentions`, `sources`, `documents`, `url` and `doc_date`), kept by the
-- store whenever a report of the event is added or removed; the other reports have
-- none. A page of events is then one index range read (`events_answers*`), with no
-- grouping at query time.
ALTER TABLE events ADD COLUMN answer TEXT;
UPDATE events SET answer = json_set(record,
    '$.mentions', 1,
    '$.sources', 1,
    '$.documents', json_array(doc),
    '$.url', (SELECT d.url FROM documents d WHERE d.id = events.doc),
    '$.doc_date', (SELECT d.date FROM documents d WHERE d.id = events.doc));
CREATE INDEX events_answers ON events(coalesce(date, ''), id) WHERE answer IS NOT NULL;
-- The answers' indexes order results now; these two only cost every insert.
DROP INDEX events_date;
DROP INDEX events_event;
CREATE INDEX events_answers_type ON events(event, coalesce(date, ''), id) WHERE answer IS NOT NULL;

-- Roles: like `event_dyads`, for one side: every source value and every target value of
-- each event, pointing at its first report, in result order. Answers `--source X` and
-- `--target X` alone by one index range.
CREATE TABLE event_roles (
    role      TEXT NOT NULL CHECK (role IN ('source', 'target')),
    value     TEXT NOT NULL COLLATE NOCASE,
    rep_date  TEXT NOT NULL,
    rep_id    TEXT NOT NULL,
    rep_seq   INTEGER NOT NULL,
    event_key TEXT NOT NULL,
    PRIMARY KEY (role, value, rep_date, rep_id)
) WITHOUT ROWID;
CREATE INDEX event_roles_key ON event_roles(event_key);

INSERT OR IGNORE INTO event_roles (role, value, rep_date, rep_id, rep_seq, event_key)
SELECT a.role, a.v, coalesce(e.date, ''), e.id, e.seq, e.event_key
FROM events e
JOIN (SELECT event_id, role, country AS v FROM event_actors WHERE country IS NOT NULL
      UNION SELECT event_id, role, sector FROM event_actors WHERE sector IS NOT NULL
      UNION SELECT event_id, role, org FROM event_actors WHERE org IS NOT NULL
      UNION SELECT event_id, role, name FROM event_actors WHERE name IS NOT NULL) a ON a.event_id = e.id;
