-- annals store, schema version 1 (PostgreSQL).
--
-- Run once, inside one transaction (holding an advisory lock, so that two processes
-- opening a new database at once both succeed), by the migration runner
-- (src/migrate.rs), which then records version 1 in schema_version. Never edit a
-- migration that has shipped: add 0002_*.sql instead. Same tables, columns and meaning as
-- migrations/sqlite/0001_init.sql, with these differences of form:
--
-- * Filters compare `lower(column) = lower(value)` (src/query.rs); the expression indexes
--   below serve them (SQLite declares the columns COLLATE NOCASE instead).
-- * Dates and ids are ordered and compared byte-wise, `COLLATE "C"`, whatever the
--   database's collation: the indexes on them use that collation.
-- * Full text: `text_tsv` and `trigger_tsv` hold the words of `text` and `"trigger"`
--   (the `simple` configuration: lowercased, no stemming, no stop words) with GIN
--   indexes, instead of an FTS5 table. They are filled by the store from the words as
--   `plain_words` splits them (src/query.rs), the same split the queries use, not
--   generated from the raw text: PostgreSQL's parser reads "2024-05-01" as "2024", "-05",
--   "-01" and "well-known" as three overlapping tokens, so phrases found in SQLite would
--   be missed. A row written by hand without them is simply not found by text.
-- * `documents.seq` (SQLite's implicit rowid) orders documents by when they were stored:
--   a new document joins the story of the first stored among equally similar copies.
-- * The JSON record is TEXT, not JSONB, so that it is read back byte for byte.

CREATE TABLE schema_version (
    version    BIGINT PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    seq         BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    text_hash   TEXT NOT NULL,
    date        TEXT,
    title       TEXT,
    url         TEXT,
    source      TEXT,
    n_events    BIGINT,
    ingested_at TEXT
);

-- `seq` orders reports by when they were stored (a group of reports is answered by its
-- first); `id` ("doc:sentence:k") is the event's key for everything else.
CREATE TABLE events (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    doc             TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence        BIGINT,
    event           TEXT,
    mode            TEXT,
    quad            TEXT,
    negated         BOOLEAN,
    confidence      DOUBLE PRECISION,
    date            TEXT,
    date_precision  TEXT,
    place           TEXT,
    place_country   TEXT,
    lat             DOUBLE PRECISION,
    lon             DOUBLE PRECISION,
    place_precision TEXT,
    text            TEXT,
    "trigger"       TEXT,
    why             TEXT,
    record          TEXT NOT NULL, -- the full JSON record, as `annals code` prints it
    text_tsv        TSVECTOR NOT NULL DEFAULT ''::tsvector,
    trigger_tsv     TSVECTOR NOT NULL DEFAULT ''::tsvector
);

CREATE INDEX events_doc ON events(doc);
CREATE INDEX events_date ON events(date COLLATE "C", id COLLATE "C");
CREATE INDEX events_event ON events(lower(event), date COLLATE "C", id COLLATE "C");
CREATE INDEX events_place ON events(lower(place));
CREATE INDEX events_place_country ON events(lower(place_country));
CREATE INDEX events_text_tsv ON events USING GIN (text_tsv);
CREATE INDEX events_trigger_tsv ON events USING GIN (trigger_tsv);

CREATE TABLE event_actors (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('source', 'target')),
    pos      BIGINT NOT NULL,
    text     TEXT,
    name     TEXT,
    country  TEXT,
    sector   TEXT,
    org      TEXT,
    PRIMARY KEY (event_id, role, pos)
);

CREATE INDEX event_actors_country ON event_actors(lower(country), role);
CREATE INDEX event_actors_sector ON event_actors(lower(sector), role);
CREATE INDEX event_actors_org ON event_actors(lower(org), role);
CREATE INDEX event_actors_name ON event_actors(lower(name), role);
