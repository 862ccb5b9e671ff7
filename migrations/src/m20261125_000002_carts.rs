//! Account carts (CART-1): a signed-in customer's cart lives on the server so
//! it follows them to another browser. Anonymous carts stay in localStorage.
//! Variants are not a foreign key on purpose: a line whose variant was deleted
//! stays until the cart is next read, which drops it with a notice.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CartLines {
    Table,
    UserId,
    VariantId,
    Quantity,
    Position,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CartLines::Table)
                    .if_not_exists()
                    .col(big_integer(CartLines::UserId))
                    .col(big_integer(CartLines::VariantId))
                    .col(integer(CartLines::Quantity).check(Expr::col(CartLines::Quantity).gt(0)))
                    .col(integer(CartLines::Position).default(0))
                    .primary_key(
                        Index::create()
                            .col(CartLines::UserId)
                            .col(CartLines::VariantId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CartLines::Table, CartLines::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CartLines::Table).to_owned())
            .await
    }
}
