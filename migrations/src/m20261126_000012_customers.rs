//! The CRM (ORD-3) and phone orders (ORD-4): one customer record per person
//! the shop sells to, whatever the channel, with staff notes, tags and
//! consent flags; every order points at its customer and says where it came
//! from, and a callback request remembers the order it ended in.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    /// The account, when the customer has one (at most one record per account).
    UserId,
    Name,
    /// `+<digits>`, as checkout normalises it; guest orders are matched by it.
    Phone,
    /// Lower case.
    Email,
    /// The city of the latest delivery.
    City,
    /// Agreed to news by e-mail / by SMS (marketing; order messages do not need it).
    EmailConsent,
    SmsConsent,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CustomerTags {
    Table,
    Id,
    CustomerId,
    Tag,
}

#[derive(DeriveIden)]
enum CustomerNotes {
    Table,
    Id,
    CustomerId,
    AuthorUserId,
    AuthorEmail,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    CustomerId,
    /// `site` or `phone`.
    Channel,
}

#[derive(DeriveIden)]
enum CallbackRequests {
    Table,
    /// The phone order the call ended in (ORD-4).
    OrderId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Customers::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Customers::Id))
                    .col(big_integer_null(Customers::UserId).unique_key())
                    .col(string_len(Customers::Name, 120))
                    .col(string_len(Customers::Phone, 32))
                    .col(string_len(Customers::Email, 254))
                    .col(string_len(Customers::City, 120).default(""))
                    .col(boolean(Customers::EmailConsent).default(false))
                    .col(boolean(Customers::SmsConsent).default(false))
                    .col(timestamp_with_time_zone(Customers::CreatedAt))
                    .col(timestamp_with_time_zone(Customers::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_customers_phone", Customers::Phone),
            ("idx_customers_email", Customers::Email),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Customers::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(CustomerTags::Table)
                    .if_not_exists()
                    .col(big_pk_auto(CustomerTags::Id))
                    .col(big_integer(CustomerTags::CustomerId))
                    .col(string_len(CustomerTags::Tag, 40))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CustomerTags::Table, CustomerTags::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_customer_tags_unique")
                    .table(CustomerTags::Table)
                    .col(CustomerTags::CustomerId)
                    .col(CustomerTags::Tag)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_customer_tags_tag")
                    .table(CustomerTags::Table)
                    .col(CustomerTags::Tag)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CustomerNotes::Table)
                    .if_not_exists()
                    .col(big_pk_auto(CustomerNotes::Id))
                    .col(big_integer(CustomerNotes::CustomerId))
                    .col(big_integer_null(CustomerNotes::AuthorUserId))
                    .col(string_len(CustomerNotes::AuthorEmail, 254))
                    .col(text(CustomerNotes::Body))
                    .col(timestamp_with_time_zone(CustomerNotes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CustomerNotes::Table, CustomerNotes::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_customer_notes_customer")
                    .table(CustomerNotes::Table)
                    .col(CustomerNotes::CustomerId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .add_column(big_integer_null(Orders::CustomerId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .add_column(string_len(Orders::Channel, 16).default("site"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_orders_customer")
                    .table(Orders::Table)
                    .col(Orders::CustomerId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(CallbackRequests::Table)
                    .add_column(big_integer_null(CallbackRequests::OrderId))
                    .to_owned(),
            )
            .await?;
        backfill(manager.get_connection()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CallbackRequests::Table)
                    .drop_column(CallbackRequests::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name("idx_orders_customer").to_owned())
            .await?;
        for column in [Orders::Channel, Orders::CustomerId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Orders::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            CustomerNotes::Table.into_iden(),
            CustomerTags::Table.into_iden(),
            Customers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// One customer per account that is a customer or has ordered, one per
/// phone among guest orders; then every order points at its customer.
async fn backfill(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    for sql in [
        "INSERT INTO customers (user_id, name, phone, email, city, email_consent, sms_consent, created_at, updated_at) \
         SELECT id, name, COALESCE(phone, ''), email, '', false, false, created_at, updated_at FROM users \
         WHERE role = 'customer' OR id IN (SELECT user_id FROM orders WHERE user_id IS NOT NULL)",
        "INSERT INTO customers (user_id, name, phone, email, city, email_consent, sms_consent, created_at, updated_at) \
         SELECT NULL, MAX(name), phone, MAX(email), '', false, false, MIN(created_at), MAX(created_at) FROM orders \
         WHERE user_id IS NULL GROUP BY phone",
        "UPDATE orders SET customer_id = (SELECT c.id FROM customers c WHERE c.user_id = orders.user_id) \
         WHERE user_id IS NOT NULL",
        "UPDATE orders SET customer_id = (SELECT c.id FROM customers c WHERE c.user_id IS NULL AND c.phone = orders.phone) \
         WHERE user_id IS NULL",
    ] {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}
