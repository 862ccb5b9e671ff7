//! Server-only code: database entities, services and request helpers.
//! Compiled only with the `ssr` feature, so none of it (nor sea-orm) reaches
//! the WASM bundle.
pub mod accounts;
pub mod admin;
pub mod callbacks;
pub mod cart;
pub mod catalog;
pub mod catalog_admin;
pub mod catalog_csv;
pub mod customers;
pub mod delivery;
pub mod entities;
pub mod media;
pub mod notifications;
pub mod order_admin;
pub mod order_edits;
pub mod orders;
pub mod payments;
pub mod phone_orders;
pub mod promotions;
pub mod reservations;
pub mod return_requests;
pub mod returns;
pub mod security;
pub mod settings;
pub mod state;
pub mod stock_ledger;
pub mod storefront;
pub mod text_match;
pub mod tracking;
pub mod warehouse;
pub mod web;

pub use state::{AppState, Config, NotifyConfig};

use sea_orm::prelude::async_trait::async_trait;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// SQLite lets one connection write to a file at a time. This process's
/// writers to a file queue here, first come first served, before
/// `BEGIN IMMEDIATE`: the next writer starts the moment the last one commits,
/// where SQLite's own busy handler polls with sleeps of up to 100 ms and lets
/// the lock stand idle in between (place-order over HTTP, BENCHMARKS.md).
/// One queue per database file, so writers to different files never wait for
/// each other. PostgreSQL locks rows, not the database: no queue.
static SQLITE_WRITERS: LazyLock<std::sync::Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>> =
    LazyLock::new(Default::default);

fn sqlite_write_queue(db: &DatabaseConnection) -> Arc<Mutex<()>> {
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    SQLITE_WRITERS
        .lock()
        .expect("write queues")
        .entry(file)
        .or_default()
        .clone()
}

/// How long a writer waits for its turn: SQLite's busy timeout (server/src/db.rs).
const WRITE_TURN_WAIT: Duration = Duration::from_secs(10);

/// A transaction that writes; on SQLite it also holds this process's write turn
/// until it commits, rolls back or is dropped.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    // Fields drop in order: the transaction's rollback is under way before
    // the turn passes on.
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

#[async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }
}

/// Starts a transaction that will write. On SQLite it waits for this
/// process's write turn, then begins `IMMEDIATE`: a deferred transaction that
/// reads first and writes later fails with "database is locked"
/// (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out) whenever another
/// connection (the outbox worker, a checkout) commits in between.
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    let turn = match db.get_database_backend() {
        DbBackend::Sqlite => Some(
            tokio::time::timeout(WRITE_TURN_WAIT, sqlite_write_queue(db).lock_owned())
                .await
                .map_err(|_| {
                    DbErr::Custom("database is locked: no write turn within 10 s".into())
                })?,
        ),
        _ => None,
    };
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    Ok(WriteTxn { txn, _turn: turn })
}
