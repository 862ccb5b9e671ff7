//! Refunds paid out through the payment provider (ORD-6): one row per
//! return of an order paid online, sent to the provider by a worker and
//! settled by the provider's signed webhook.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Refunds {
    Table,
    Id,
    OrderId,
    /// The return the money follows.
    ReturnId,
    /// Our payment row the money goes back to.
    PaymentId,
    /// Our id for it at the provider; unique.
    ExternalId,
    AmountMinor,
    /// `pending` (not sent yet), `sent`, `succeeded`, `failed`.
    Status,
    Attempts,
    LastError,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Refunds::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Refunds::Id))
                    .col(big_integer(Refunds::OrderId))
                    .col(big_integer_null(Refunds::ReturnId))
                    .col(big_integer(Refunds::PaymentId))
                    .col(string_len_uniq(Refunds::ExternalId, 64))
                    .col(big_integer(Refunds::AmountMinor))
                    .col(string_len(Refunds::Status, 12))
                    .col(integer(Refunds::Attempts).default(0))
                    .col(text(Refunds::LastError).default(""))
                    .col(timestamp_with_time_zone(Refunds::CreatedAt))
                    .col(timestamp_with_time_zone(Refunds::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Refunds::Table, Refunds::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refunds_status")
                    .table(Refunds::Table)
                    .col(Refunds::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Refunds::Table).to_owned())
            .await
    }
}
