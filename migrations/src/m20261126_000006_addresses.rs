//! Saved delivery addresses of signed-in customers (CHK-1): remembered when
//! they order, offered at the next checkout.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CustomerAddresses {
    Table,
    Id,
    UserId,
    City,
    Address,
    Postcode,
    LastUsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CustomerAddresses::Table)
                    .if_not_exists()
                    .col(big_pk_auto(CustomerAddresses::Id))
                    .col(big_integer(CustomerAddresses::UserId))
                    .col(string_len(CustomerAddresses::City, 120))
                    .col(string_len(CustomerAddresses::Address, 300))
                    .col(string_len(CustomerAddresses::Postcode, 6).default(""))
                    .col(timestamp_with_time_zone(CustomerAddresses::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CustomerAddresses::Table, CustomerAddresses::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_customer_addresses_unique")
                    .table(CustomerAddresses::Table)
                    .col(CustomerAddresses::UserId)
                    .col(CustomerAddresses::City)
                    .col(CustomerAddresses::Address)
                    .col(CustomerAddresses::Postcode)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CustomerAddresses::Table).to_owned())
            .await
    }
}
