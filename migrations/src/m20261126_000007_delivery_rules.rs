//! Delivery price rules by zone and weight, try-on at the door, and the
//! warehouses' days to dispatch (CHK-2, LOG-1).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DeliveryMethods {
    Table,
    /// JSON list of rates (zone, weight limit, price); empty: the flat price.
    Rates,
    /// The courier waits while the shopper tries the goods on.
    TryOn,
}

#[derive(DeriveIden)]
enum Warehouses {
    Table,
    /// Days to bring goods from this warehouse to the dispatch point.
    DispatchDays,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    TryOn,
    WeightGrams,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds only one at a time.
        let columns = [
            (
                DeliveryMethods::Table.into_iden(),
                text(DeliveryMethods::Rates).default("[]").to_owned(),
            ),
            (
                DeliveryMethods::Table.into_iden(),
                boolean(DeliveryMethods::TryOn).default(false).to_owned(),
            ),
            (
                Warehouses::Table.into_iden(),
                integer(Warehouses::DispatchDays).default(0).to_owned(),
            ),
            (
                Orders::Table.into_iden(),
                boolean(Orders::TryOn).default(false).to_owned(),
            ),
            (
                Orders::Table.into_iden(),
                integer(Orders::WeightGrams).default(0).to_owned(),
            ),
        ];
        for (table, column) in columns {
            manager
                .alter_table(Table::alter().table(table).add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            (
                DeliveryMethods::Table.into_iden(),
                DeliveryMethods::Rates.into_iden(),
            ),
            (
                DeliveryMethods::Table.into_iden(),
                DeliveryMethods::TryOn.into_iden(),
            ),
            (
                Warehouses::Table.into_iden(),
                Warehouses::DispatchDays.into_iden(),
            ),
            (Orders::Table.into_iden(), Orders::TryOn.into_iden()),
            (Orders::Table.into_iden(), Orders::WeightGrams.into_iden()),
        ];
        for (table, column) in columns {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
