//! Trigram indexes for the staff's "contains" searches on PostgreSQL: the
//! order queue (ORD-1) and the customer list (CRM) match part of a name,
//! e-mail or phone (`ILIKE '%…%'`, `server::text_match`), which no b-tree
//! index can answer. With 100,000 orders a search for "анна" read the whole
//! table (154 ms); the `pg_trgm` GIN indexes answer it in 19 ms, and a name
//! that is in few orders in under a millisecond.
//!
//! `pg_trgm` ships with PostgreSQL and is a trusted extension (since 13),
//! so the shop's database owner may create it. Where it cannot be created
//! (an older server, a host without the contrib modules, a role without the
//! right) the searches still work, only by reading every row; the migration
//! says so in the server's log instead of keeping the shop from starting.
//! SQLite needs nothing here: its searches stay scans (`GLOB`).
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column) pairs the staff search boxes match "contains" on.
const SEARCHED: [(&str, &str); 6] = [
    ("orders", "name"),
    ("orders", "email"),
    ("orders", "phone"),
    ("customers", "name"),
    ("customers", "email"),
    ("customers", "phone"),
];

fn index_name(table: &str, column: &str) -> String {
    format!("idx_{table}_{column}_trigrams")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        // A failed CREATE EXTENSION would abort the migration's transaction:
        // the block turns it into a warning in PostgreSQL's log and ours.
        db.execute_unprepared(
            "DO $$ BEGIN
               CREATE EXTENSION IF NOT EXISTS pg_trgm;
             EXCEPTION WHEN others THEN
               RAISE WARNING 'pg_trgm could not be created (%): staff searches will read every row', SQLERRM;
             END $$",
        )
        .await?;
        let installed = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'",
            ))
            .await?
            .is_some();
        if !installed {
            eprintln!(
                "warning: PostgreSQL's pg_trgm extension is not available; \
                 staff searches of orders and customers will read every row"
            );
            return Ok(());
        }
        for (table, column) in SEARCHED {
            let index = index_name(table, column);
            db.execute_unprepared(&format!(
                "CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({column} gin_trgm_ops)"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for (table, column) in SEARCHED {
            let index = index_name(table, column);
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {index}"))
                .await?;
        }
        Ok(())
    }
}
