//! Database connection and migrations for SQLite (embedded default) and PostgreSQL.
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};
use std::time::Duration;

/// Connects, creating the SQLite file (and its folder) on first start.
/// `LAVKA_DB_CONNECTIONS` overrides the pool size.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let pool_size = |default: u32| match std::env::var("LAVKA_DB_CONNECTIONS") {
        Err(_) => Ok(default),
        Ok(v) => v.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
            anyhow::anyhow!("LAVKA_DB_CONNECTIONS must be a whole number above 0, not \"{v}\"")
        }),
    };
    let mut opts = ConnectOptions::new(url.to_string());
    opts.acquire_timeout(Duration::from_secs(10));
    if let Some(path) = sqlite_path(url) {
        if let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                anyhow::anyhow!("cannot create the database folder {}: {e}", dir.display())
            })?;
        }
        // WAL lets readers work while one writer writes; the busy timeout makes
        // concurrent writers queue instead of failing with SQLITE_BUSY.
        opts.max_connections(pool_size(8)?)
            .map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
            });
    } else {
        opts.max_connections(pool_size(16)?);
    }
    // LAVKA_SQL_LOG=1: every statement with its time, at target sqlx::query.
    opts.sqlx_logging(std::env::var_os("LAVKA_SQL_LOG").is_some());
    Database::connect(opts)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to the database ({}): {e}", redact(url)))
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Hides a password in a connection URL before it is logged.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Applies pending migrations. On PostgreSQL an advisory lock makes app
/// instances that start together migrate one at a time; lock, migrations and
/// unlock share one dedicated connection, as the lock belongs to a session.
pub async fn migrate(db: &DatabaseConnection, url: &str) -> anyhow::Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Migrator::up(db, None)
            .await
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"));
    }
    let mut opts = ConnectOptions::new(url.to_string());
    opts.max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    let single = Database::connect(opts).await?;
    let run = |sql: &'static str| Statement::from_string(DbBackend::Postgres, sql);
    single
        .execute_raw(run("SELECT pg_advisory_lock(7345110001)"))
        .await?;
    let result = Migrator::up(&single, None).await;
    single
        .execute_raw(run("SELECT pg_advisory_unlock(7345110001)"))
        .await?;
    single.close().await?;
    result.map_err(|e| anyhow::anyhow!("migration failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_and_redaction() {
        assert_eq!(sqlite_path("sqlite://data/lavka.db"), Some("data/lavka.db"));
        assert_eq!(sqlite_path("sqlite:data/x.db?mode=rwc"), Some("data/x.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://u:p@h/db"), None);
        assert_eq!(
            redact("postgres://lavka:secret@127.0.0.1/db"),
            "postgres://lavka:***@127.0.0.1/db"
        );
        assert_eq!(redact("sqlite://data/lavka.db"), "sqlite://data/lavka.db");
    }
}
