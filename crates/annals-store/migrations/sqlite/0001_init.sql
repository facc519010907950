-- annals store, schema version 1 (SQLite).
--
-- Run once, inside one transaction, by the migration runner (src/migrate.rs), which then
-- records version 1 in schema_version. Never edit a migration that has shipped: add
-- 0002_*.sql instead. The PostgreSQL schema (later) has the same tables and columns.
--
-- Case-insensitive columns (COLLATE NOCASE: ASCII letters) are the ones that filters
-- compare with a user's value; their indexes use the same collation, so `=` uses them.

CREATE TABLE schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    text_hash   TEXT NOT NULL,
    date        TEXT,
    title       TEXT,
    url         TEXT,
    source      TEXT,
    n_events    INTEGER,
    ingested_at TEXT
);

-- `seq` is the row id, declared so that VACUUM keeps it: the full-text index refers to
-- events by it. `id` ("doc:sentence:k") is the event's key for everything else.
CREATE TABLE events (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    doc             TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence        INTEGER,
    event           TEXT COLLATE NOCASE,
    mode            TEXT COLLATE NOCASE,
    quad            TEXT COLLATE NOCASE,
    negated         INTEGER,
    confidence      REAL,
    date            TEXT,
    date_precision  TEXT,
    place           TEXT COLLATE NOCASE,
    place_country   TEXT COLLATE NOCASE,
    lat             REAL,
    lon             REAL,
    place_precision TEXT,
    text            TEXT,
    "trigger"       TEXT,
    why             TEXT,
    record          TEXT NOT NULL -- the full JSON record, as `annals code` prints it
);

CREATE INDEX events_doc ON events(doc);
CREATE INDEX events_date ON events(date, id);
CREATE INDEX events_event ON events(event, date, id);
CREATE INDEX events_place ON events(place);
CREATE INDEX events_place_country ON events(place_country);

CREATE TABLE event_actors (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('source', 'target')),
    pos      INTEGER NOT NULL,
    text     TEXT,
    name     TEXT COLLATE NOCASE,
    country  TEXT COLLATE NOCASE,
    sector   TEXT COLLATE NOCASE,
    org      TEXT COLLATE NOCASE,
    PRIMARY KEY (event_id, role, pos)
);

CREATE INDEX event_actors_country ON event_actors(country, role);
CREATE INDEX event_actors_sector ON event_actors(sector, role);
CREATE INDEX event_actors_org ON event_actors(org, role);
CREATE INDEX event_actors_name ON event_actors(name, role);

-- Full-text index over the evidence sentence and the trigger words. External content:
-- the text lives once, in `events`; the triggers below keep the index in step.
CREATE VIRTUAL TABLE events_fts USING fts5(
    text,
    "trigger",
    content = 'events',
    content_rowid = 'seq'
);

CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, text, "trigger") VALUES (new.seq, new.text, new."trigger");
END;

CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, text, "trigger") VALUES ('delete', old.seq, old.text, old."trigger");
END;

CREATE TRIGGER events_fts_update AFTER UPDATE OF text, "trigger" ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, text, "trigger") VALUES ('delete', old.seq, old.text, old."trigger");
    INSERT INTO events_fts(rowid, text, "trigger") VALUES (new.seq, new.text, new."trigger");
END;
