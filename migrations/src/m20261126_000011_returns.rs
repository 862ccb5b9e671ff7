//! Returns (ORD-7) and try-on at the door (LOG-3): what came back, whether
//! it went back on the shelf, and the money that followed.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Returns {
    Table,
    Id,
    OrderId,
    /// `door` (refused at a try-on) or `later` (sent back after delivery).
    Kind,
    Reason,
    /// Kopecks refunded, or at the door not collected.
    RefundMinor,
    /// The goods went back on sale (false: written off).
    Restocked,
    ActorUserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReturnLines {
    Table,
    Id,
    ReturnId,
    OrderLineId,
    Quantity,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    /// Sum of the returns' refunds.
    RefundedMinor,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .add_column(big_integer(Orders::RefundedMinor).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Returns::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Returns::Id))
                    .col(big_integer(Returns::OrderId))
                    .col(string_len(Returns::Kind, 10))
                    .col(text(Returns::Reason).default(""))
                    .col(big_integer(Returns::RefundMinor))
                    .col(boolean(Returns::Restocked))
                    .col(big_integer_null(Returns::ActorUserId))
                    .col(timestamp_with_time_zone(Returns::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Returns::Table, Returns::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_returns_order")
                    .table(Returns::Table)
                    .col(Returns::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReturnLines::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ReturnLines::Id))
                    .col(big_integer(ReturnLines::ReturnId))
                    .col(big_integer(ReturnLines::OrderLineId))
                    .col(integer(ReturnLines::Quantity))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReturnLines::Table, ReturnLines::ReturnId)
                            .to(Returns::Table, Returns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_return_lines_return")
                    .table(ReturnLines::Table)
                    .col(ReturnLines::ReturnId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReturnLines::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Returns::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .drop_column(Orders::RefundedMinor)
                    .to_owned(),
            )
            .await
    }
}
