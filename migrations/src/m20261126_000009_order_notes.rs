//! Staff notes on an order (ORD-1): internal comments the customer never sees.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrderNotes {
    Table,
    Id,
    OrderId,
    AuthorId,
    /// Kept with the note: the author may be deleted later.
    AuthorEmail,
    Text,
    CreatedAt,
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
                    .table(OrderNotes::Table)
                    .if_not_exists()
                    .col(big_pk_auto(OrderNotes::Id))
                    .col(big_integer(OrderNotes::OrderId))
                    .col(big_integer_null(OrderNotes::AuthorId))
                    .col(string_len(OrderNotes::AuthorEmail, 255))
                    .col(text(OrderNotes::Text))
                    .col(timestamp_with_time_zone(OrderNotes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OrderNotes::Table, OrderNotes::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_notes_order")
                    .table(OrderNotes::Table)
                    .col(OrderNotes::OrderId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OrderNotes::Table).to_owned())
            .await
    }
}
