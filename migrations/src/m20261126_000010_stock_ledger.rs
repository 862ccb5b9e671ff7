//! The stock movement ledger, shelf locations and parcels (WMS-1 … WMS-4).
//!
//! `stock.quantity` stays what the shop can still sell; `stock.on_hand` is
//! what physically lies on the shelf (sold but not yet shipped units
//! included). Every change to either goes with a row in `stock_movements`,
//! so on hand = the sum of the movements' on-hand changes, and reserved
//! (on hand − quantity) = the sum of their reserved changes.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Stock {
    Table,
    VariantId,
    WarehouseId,
    Quantity,
    OnHand,
    /// Where the units lie in the warehouse, e.g. `A-03-2`; sorts pick lists.
    Shelf,
}

#[derive(DeriveIden)]
enum StockMovements {
    Table,
    Id,
    VariantId,
    WarehouseId,
    /// opening, receipt, adjustment, reservation, release, shipment, return.
    Kind,
    OnHandDelta,
    ReservedDelta,
    OrderId,
    Reason,
    ActorUserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Parcels {
    Table,
    Id,
    OrderId,
    /// 1, 2, … within the order.
    Seq,
    WeightGrams,
    TrackingNumber,
}

#[derive(DeriveIden)]
enum Variants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Warehouses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum StockReservations {
    Table,
    VariantId,
    WarehouseId,
    Quantity,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds only one at a time.
        for column in [
            integer(Stock::OnHand).default(0).to_owned(),
            string_len_null(Stock::Shelf, 20).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Stock::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(StockMovements::Table)
                    .if_not_exists()
                    .col(big_pk_auto(StockMovements::Id))
                    .col(big_integer(StockMovements::VariantId))
                    .col(big_integer(StockMovements::WarehouseId))
                    .col(string_len(StockMovements::Kind, 20))
                    .col(integer(StockMovements::OnHandDelta))
                    .col(integer(StockMovements::ReservedDelta))
                    .col(big_integer_null(StockMovements::OrderId))
                    .col(text(StockMovements::Reason).default(""))
                    .col(big_integer_null(StockMovements::ActorUserId))
                    .col(timestamp_with_time_zone(StockMovements::CreatedAt))
                    // A deleted variant takes its stock rows, and so its ledger, with it.
                    .foreign_key(
                        ForeignKey::create()
                            .from(StockMovements::Table, StockMovements::VariantId)
                            .to(Variants::Table, Variants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(StockMovements::Table, StockMovements::WarehouseId)
                            .to(Warehouses::Table, Warehouses::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_stock_movements_stock")
                    .table(StockMovements::Table)
                    .col(StockMovements::VariantId)
                    .col(StockMovements::WarehouseId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_stock_movements_order")
                    .table(StockMovements::Table)
                    .col(StockMovements::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Parcels::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Parcels::Id))
                    .col(big_integer(Parcels::OrderId))
                    .col(integer(Parcels::Seq))
                    .col(integer(Parcels::WeightGrams))
                    .col(string_len_null(Parcels::TrackingNumber, 40))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Parcels::Table, Parcels::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_parcels_order_seq")
                    .table(Parcels::Table)
                    .col(Parcels::OrderId)
                    .col(Parcels::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // On hand today = still for sale + reserved for orders not yet shipped.
        let reserved = Query::select()
            .expr(Func::coalesce([
                Expr::col((StockReservations::Table, StockReservations::Quantity)).sum(),
                Expr::val(0),
            ]))
            .from(StockReservations::Table)
            .and_where(
                Expr::col((StockReservations::Table, StockReservations::VariantId))
                    .equals((Stock::Table, Stock::VariantId)),
            )
            .and_where(
                Expr::col((StockReservations::Table, StockReservations::WarehouseId))
                    .equals((Stock::Table, Stock::WarehouseId)),
            )
            .to_owned();
        manager
            .exec_stmt(
                Query::update()
                    .table(Stock::Table)
                    .value(
                        Stock::OnHand,
                        Expr::col((Stock::Table, Stock::Quantity)).add(SimpleExpr::SubQuery(
                            None,
                            Box::new(reserved.into_sub_query_statement()),
                        )),
                    )
                    .to_owned(),
            )
            .await?;
        // The ledger opens with today's balance, so the sums hold from here on.
        let opening = Query::select()
            .column(Stock::VariantId)
            .column(Stock::WarehouseId)
            .expr(Expr::val("opening"))
            .column(Stock::OnHand)
            .expr(Expr::col(Stock::OnHand).sub(Expr::col(Stock::Quantity)))
            .expr(Expr::val("balance when the ledger started"))
            .expr(Expr::val(chrono::Utc::now()))
            .from(Stock::Table)
            .and_where(Expr::col(Stock::OnHand).ne(0))
            .to_owned();
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(StockMovements::Table)
                    .columns([
                        StockMovements::VariantId,
                        StockMovements::WarehouseId,
                        StockMovements::Kind,
                        StockMovements::OnHandDelta,
                        StockMovements::ReservedDelta,
                        StockMovements::Reason,
                        StockMovements::CreatedAt,
                    ])
                    .select_from(opening)
                    .map_err(|e| DbErr::Custom(e.to_string()))?
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Parcels::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(StockMovements::Table).to_owned())
            .await?;
        for column in [Stock::Shelf, Stock::OnHand] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Stock::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
