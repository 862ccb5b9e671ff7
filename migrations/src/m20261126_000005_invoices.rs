//! Bank invoices for companies (CHK-3): who pays, on the order.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    CompanyName,
    /// ИНН: 10 digits (company) or 12 (sole trader).
    CompanyInn,
    /// КПП; empty for a sole trader.
    CompanyKpp,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds only one at a time.
        for column in [
            string_len(Orders::CompanyName, 240).default(""),
            string_len(Orders::CompanyInn, 12).default(""),
            string_len(Orders::CompanyKpp, 9).default(""),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Orders::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Orders::CompanyName, Orders::CompanyInn, Orders::CompanyKpp] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Orders::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
