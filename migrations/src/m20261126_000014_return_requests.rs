//! Return requests (ORD-7): what a customer asked to send back, why, with
//! their photos, and what staff decided.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReturnRequests {
    Table,
    Id,
    OrderId,
    /// `domain::return_requests::RequestStatus::as_str`.
    Status,
    /// `domain::return_requests::ReturnReason::as_str`.
    Reason,
    Comment,
    /// JSON list of media keys (`/media/<key>-<width>.webp`).
    Photos,
    /// Staff's answer to the customer (required to reject).
    Reply,
    CreatedAt,
    DecidedAt,
    DecidedBy,
    /// The return recorded when the goods arrived.
    ReturnId,
}

#[derive(DeriveIden)]
enum ReturnRequestLines {
    Table,
    Id,
    RequestId,
    OrderLineId,
    Quantity,
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
                    .table(ReturnRequests::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ReturnRequests::Id))
                    .col(big_integer(ReturnRequests::OrderId))
                    .col(string_len(ReturnRequests::Status, 12))
                    .col(string_len(ReturnRequests::Reason, 20))
                    .col(text(ReturnRequests::Comment).default(""))
                    .col(text(ReturnRequests::Photos).default("[]"))
                    .col(text(ReturnRequests::Reply).default(""))
                    .col(timestamp_with_time_zone(ReturnRequests::CreatedAt))
                    .col(timestamp_with_time_zone_null(ReturnRequests::DecidedAt))
                    .col(big_integer_null(ReturnRequests::DecidedBy))
                    .col(big_integer_null(ReturnRequests::ReturnId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReturnRequests::Table, ReturnRequests::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_return_requests_order")
                    .table(ReturnRequests::Table)
                    .col(ReturnRequests::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_return_requests_status")
                    .table(ReturnRequests::Table)
                    .col(ReturnRequests::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReturnRequestLines::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ReturnRequestLines::Id))
                    .col(big_integer(ReturnRequestLines::RequestId))
                    .col(big_integer(ReturnRequestLines::OrderLineId))
                    .col(integer(ReturnRequestLines::Quantity))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReturnRequestLines::Table, ReturnRequestLines::RequestId)
                            .to(ReturnRequests::Table, ReturnRequests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_return_request_lines_request")
                    .table(ReturnRequestLines::Table)
                    .col(ReturnRequestLines::RequestId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReturnRequestLines::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ReturnRequests::Table).to_owned())
            .await
    }
}
