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
pub mod tracking;
pub mod warehouse;
pub mod web;

pub use state::{AppState, Config, NotifyConfig};

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

/// Starts a transaction that will write. On SQLite it begins `IMMEDIATE`:
/// a deferred transaction that reads first and writes later fails with
/// "database is locked" (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits
/// out) whenever another connection (the outbox worker, a checkout) commits
/// in between. PostgreSQL ignores the option.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
