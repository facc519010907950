//! Schema versions: the migration files (`migrations/<backend>/NNNN_name.sql`, compiled in
//! with `include_str!`) and the runner that brings a database up to [`SCHEMA_VERSION`].
//!
//! The version of a database is the highest row of its `schema_version` table (0 for an
//! empty file). On open, an older database is migrated one version at a time, each in
//! its own immediate transaction that re-reads the version first (two processes opening
//! a new file at once both succeed); a newer one is refused, since this program cannot
//! know what the newer schema means. PostgreSQL has its own folder of files with the same
//! versions and the same tables ([`POSTGRES_MIGRATIONS`]); its runner ([`migrate_pg`])
//! takes a transaction-scoped advisory lock before it re-reads the version, for the same
//! reason. On PostgreSQL the tables live in the connection's current schema (the first of
//! its `search_path`, normally `public`).

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

/// One migration: the version it brings the database to, a short name, its SQL.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// The SQLite migrations, in order; versions are 1, 2, 3, ... without gaps.
pub const SQLITE_MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "init", sql: include_str!("../migrations/sqlite/0001_init.sql") },
    Migration { version: 2, name: "stories", sql: include_str!("../migrations/sqlite/0002_stories.sql") },
    Migration { version: 3, name: "actor_filters", sql: include_str!("../migrations/sqlite/0003_actor_filters.sql") },
];

/// The PostgreSQL migrations: the same versions, tables and meaning as the SQLite ones.
pub const POSTGRES_MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "init", sql: include_str!("../migrations/postgres/0001_init.sql") },
    Migration { version: 2, name: "stories", sql: include_str!("../migrations/postgres/0002_stories.sql") },
    Migration { version: 3, name: "actor_filters", sql: include_str!("../migrations/postgres/0003_actor_filters.sql") },
];

/// The key of the advisory lock held while a PostgreSQL database is migrated (`annals`
/// in ASCII, then 1).
pub(crate) const PG_MIGRATION_LOCK: i64 = 0x616e_6e61_6c73_0001;

/// The schema version this build of annals reads and writes.
pub const SCHEMA_VERSION: i64 = 3;

/// What a database holds, as far as versions go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// No tables at all: a new (or empty) file.
    Empty,
    /// Tables, but no `schema_version`: some other program's database.
    Foreign,
    /// An annals database at this version.
    Version(i64),
}

/// Reads the schema version of an open database.
pub(crate) fn current(conn: &Connection) -> rusqlite::Result<Found> {
    let has_table: Option<i64> = conn
        .query_row("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", [], |r| r.get(0))
        .optional()?;
    if has_table.is_none() {
        let n: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        return Ok(if n == 0 { Found::Empty } else { Found::Foreign });
    }
    let v: Option<i64> = conn.query_row("SELECT max(version) FROM schema_version", [], |r| r.get(0))?;
    Ok(Found::Version(v.unwrap_or(0)))
}

/// An error of [`migrate`] or [`migrate_pg`]: which migration failed (with the backend's
/// error), or that the database is not ours.
pub(crate) enum MigrateError<E = rusqlite::Error> {
    Foreign,
    Step { version: i64, name: &'static str, source: E },
}

/// Applies every migration newer than the database's version, each in one transaction.
pub(crate) fn migrate(conn: &mut Connection, migrations: &'static [Migration]) -> Result<(), MigrateError> {
    for m in migrations {
        let step = |source| MigrateError::Step { version: m.version, name: m.name, source };
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(step)?;
        let at = match current(&tx).map_err(step)? {
            Found::Foreign => return Err(MigrateError::Foreign),
            Found::Empty => 0,
            Found::Version(v) => v,
        };
        if at >= m.version {
            continue;
        }
        tx.execute_batch(m.sql).map_err(step)?;
        tx.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            rusqlite::params![m.version, m.name],
        )
        .map_err(step)?;
        tx.commit().map_err(step)?;
    }
    Ok(())
}

/// Reads the schema version of a PostgreSQL database: of the tables in the connection's
/// current schema.
pub(crate) fn current_pg(client: &mut impl postgres::GenericClient) -> Result<Found, postgres::Error> {
    let row = client.query_one(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = current_schema() AND c.relname = 'schema_version' AND c.relkind IN ('r', 'p')),
                (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S'))",
        &[],
    )?;
    let has_table: bool = row.try_get(0)?;
    if !has_table {
        let n: i64 = row.try_get(1)?;
        return Ok(if n == 0 { Found::Empty } else { Found::Foreign });
    }
    let v: Option<i64> = client.query_one("SELECT max(version) FROM schema_version", &[])?.try_get(0)?;
    Ok(Found::Version(v.unwrap_or(0)))
}

/// Applies every PostgreSQL migration newer than the database's version, each in one
/// transaction that first takes [`PG_MIGRATION_LOCK`] (two processes opening a new
/// database at once: the second waits, then finds the work done).
pub(crate) fn migrate_pg(
    client: &mut postgres::Client,
    migrations: &'static [Migration],
) -> Result<(), MigrateError<postgres::Error>> {
    for m in migrations {
        let step = |source| MigrateError::Step { version: m.version, name: m.name, source };
        let mut tx = client.transaction().map_err(step)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PG_MIGRATION_LOCK]).map_err(step)?;
        let at = match current_pg(&mut tx).map_err(step)? {
            Found::Foreign => return Err(MigrateError::Foreign),
            Found::Empty => 0,
            Found::Version(v) => v,
        };
        if at >= m.version {
            continue;
        }
        tx.batch_execute(m.sql).map_err(step)?;
        tx.execute(
            "INSERT INTO schema_version (version, name, applied_at)
             VALUES ($1, $2, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
            &[&m.version, &m.name],
        )
        .map_err(step)?;
        tx.commit().map_err(step)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_and_end_at_schema_version() {
        for (i, m) in SQLITE_MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "migration {}", m.name);
        }
        assert_eq!(SQLITE_MIGRATIONS.last().map(|m| m.version), Some(SCHEMA_VERSION));
    }

    #[test]
    fn both_backends_have_the_same_versions() {
        let versions = |ms: &[Migration]| ms.iter().map(|m| (m.version, m.name)).collect::<Vec<_>>();
        assert_eq!(versions(POSTGRES_MIGRATIONS), versions(SQLITE_MIGRATIONS));
    }
}
