-- annals store, schema version 3 (PostgreSQL): no change.
--
-- Version 3 drops SQLite's four `event_actors` value indexes (its actor filters read
-- `event_roles`, see migrations/sqlite/0003_actor_filters.sql). PostgreSQL's actor filters
-- still use its expression indexes on `event_actors`, so its tables stay as they are;
-- this file keeps the two folders' versions equal.

SELECT 1;
