//! Database schema, one migration per change. A released migration is never
//! edited: schema changes arrive as new files appended to `Migrator::migrations`.
pub use sea_orm_migration::prelude::*;

mod m20261124_000001_accounts;
mod m20261125_000001_catalog;
mod m20261125_000002_carts;
mod m20261126_000001_promotions;
mod m20261126_000002_orders;
mod m20261126_000003_payments;
mod m20261126_000004_notifications;
mod m20261126_000005_invoices;
mod m20261126_000006_addresses;
mod m20261126_000007_delivery_rules;
mod m20261126_000008_order_lifecycle;
mod m20261126_000009_order_notes;
mod m20261126_000010_stock_ledger;
mod m20261126_000011_returns;
mod m20261126_000012_customers;
mod m20261126_000013_tracking;
mod m20261126_000014_return_requests;
mod m20261126_000015_refunds;
mod m20261126_000016_return_notifications;
mod m20261126_000017_order_edits;
mod m20261126_000018_order_queue_index;
mod m20261128_000019_staff_search_trigrams;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_accounts::Migration),
            Box::new(m20261125_000001_catalog::Migration),
            Box::new(m20261125_000002_carts::Migration),
            Box::new(m20261126_000001_promotions::Migration),
            Box::new(m20261126_000002_orders::Migration),
            Box::new(m20261126_000003_payments::Migration),
            Box::new(m20261126_000004_notifications::Migration),
            Box::new(m20261126_000005_invoices::Migration),
            Box::new(m20261126_000006_addresses::Migration),
            Box::new(m20261126_000007_delivery_rules::Migration),
            Box::new(m20261126_000008_order_lifecycle::Migration),
            Box::new(m20261126_000009_order_notes::Migration),
            Box::new(m20261126_000010_stock_ledger::Migration),
            Box::new(m20261126_000011_returns::Migration),
            Box::new(m20261126_000012_customers::Migration),
            Box::new(m20261126_000013_tracking::Migration),
            Box::new(m20261126_000014_return_requests::Migration),
            Box::new(m20261126_000015_refunds::Migration),
            Box::new(m20261126_000016_return_notifications::Migration),
            Box::new(m20261126_000017_order_edits::Migration),
            Box::new(m20261126_000018_order_queue_index::Migration),
            Box::new(m20261128_000019_staff_search_trigrams::Migration),
        ]
    }
}
