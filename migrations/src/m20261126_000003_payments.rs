//! Online payments (CHK-3): each attempt to pay an order, and every webhook
//! event received, so a duplicated or replayed event is applied only once.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    OrderId,
    Provider,
    /// The id the provider knows the payment by (in its URLs and webhooks).
    ExternalId,
    AmountMinor,
    /// `pending`, `succeeded` or `failed`.
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookEvents {
    Table,
    Id,
    Provider,
    EventId,
    /// What the shop did with it, for support: `paid`, `failed`, `late`, …
    Outcome,
    ReceivedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Payments::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Payments::Id))
                    .col(big_integer(Payments::OrderId))
                    .col(string_len(Payments::Provider, 32))
                    .col(string_len_uniq(Payments::ExternalId, 64))
                    .col(big_integer(Payments::AmountMinor))
                    .col(string_len(Payments::Status, 16))
                    .col(timestamp_with_time_zone(Payments::CreatedAt))
                    .col(timestamp_with_time_zone(Payments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Payments::Table, Payments::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_payments_order")
                    .table(Payments::Table)
                    .col(Payments::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookEvents::Table)
                    .if_not_exists()
                    .col(big_pk_auto(WebhookEvents::Id))
                    .col(string_len(WebhookEvents::Provider, 32))
                    .col(string_len(WebhookEvents::EventId, 100))
                    .col(string_len(WebhookEvents::Outcome, 32))
                    .col(timestamp_with_time_zone(WebhookEvents::ReceivedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_events_unique")
                    .table(WebhookEvents::Table)
                    .col(WebhookEvents::Provider)
                    .col(WebhookEvents::EventId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Payments::Table).to_owned())
            .await
    }
}
