//! Schema versions: the migration files (`migrations/<backend>/NNNN_name.sql`, compiled in
//! with `include_str!`) and the runner that brings a database up to [`SCHEMA_VERSION`].
//!
//! The version of a database is the highest row of its `schema_version` table (0 for an
//! empty file). On open, an older database is migrated one version at a time, each in
//! its own immediate transaction that re-reads the version first (two processes opening
//! a new file at once both succeed); a newer one is refused, since this program cannot
//! know what the newer schema means. A future PostgreSQL backend gets its own folder of
//! files with the same versions and the same tables.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

/// One migration: the version it brings the database to, a short name, its SQL.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// The SQLite migrations, in order; versions are 1, 2, 3, ... without gaps.
pub const SQLITE_MIGRATIONS: &[Migration] =
    &[Migration { version: 1, name: "init", sql: include_str!("../migrations/sqlite/0001_init.sql") }];

/// The schema version this build of annals reads and writes.
pub const SCHEMA_VERSION: i64 = 1;

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

/// An error of [`migrate`]: which migration failed, or that the database is not ours.
pub(crate) enum MigrateError {
    Foreign,
    Step { version: i64, name: &'static str, source: rusqlite::Error },
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
}
