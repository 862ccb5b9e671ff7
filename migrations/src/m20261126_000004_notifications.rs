//! Customer notifications (ORD-5, CHK-5): editable templates per event,
//! channel and language, and the outbox every message is written to in the
//! same transaction as the event that causes it.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum NotificationTemplates {
    Table,
    Id,
    /// `order_placed`, `order_paid`, `order_cancelled`.
    Event,
    /// `email` or `sms`.
    Channel,
    Lang,
    /// Empty for SMS.
    Subject,
    Body,
    Active,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Channel,
    /// An e-mail address or a phone number.
    Recipient,
    Subject,
    Body,
    Event,
    OrderId,
    /// `pending`, `sending`, `sent` or `failed`.
    Status,
    Attempts,
    /// When a worker may take it: the next retry, or the end of the lease
    /// of the worker sending it now.
    AvailableAt,
    LastError,
    CreatedAt,
    SentAt,
}

type Template = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// The texts a new shop starts with; `/admin/notifications` edits them.
const TEMPLATES: [Template; 12] = [
    (
        "order_placed",
        "email",
        "ru",
        "Заказ №{{number}} принят",
        "Здравствуйте, {{name}}!\n\nМы приняли ваш заказ №{{number}} на сумму {{total}}.\nДоставка: {{delivery}}.\nОплата: {{payment}}.\n\nСтатус заказа: {{order_url}}\n\nСпасибо за покупку!",
    ),
    (
        "order_placed",
        "sms",
        "ru",
        "",
        "Заказ №{{number}} принят, {{total}}. Статус: {{order_url}}",
    ),
    (
        "order_paid",
        "email",
        "ru",
        "Оплата заказа №{{number}} получена",
        "Здравствуйте, {{name}}!\n\nМы получили оплату {{total}} за заказ №{{number}} и начинаем его собирать.\n\nСтатус заказа: {{order_url}}",
    ),
    (
        "order_paid",
        "sms",
        "ru",
        "",
        "Оплата заказа №{{number}} получена: {{total}}.",
    ),
    (
        "order_cancelled",
        "email",
        "ru",
        "Заказ №{{number}} отменён",
        "Здравствуйте, {{name}}!\n\nЗаказ №{{number}} отменён. Подробности: {{order_url}}\n\nЕсли это ошибка, ответьте на это письмо.",
    ),
    (
        "order_cancelled",
        "sms",
        "ru",
        "",
        "Заказ №{{number}} отменён. {{order_url}}",
    ),
    (
        "order_placed",
        "email",
        "en",
        "Order {{number}} received",
        "Hello {{name}},\n\nwe have received your order {{number}} for {{total}}.\nDelivery: {{delivery}}.\nPayment: {{payment}}.\n\nOrder status: {{order_url}}\n\nThank you for shopping with us!",
    ),
    (
        "order_placed",
        "sms",
        "en",
        "",
        "Order {{number}} received, {{total}}. Status: {{order_url}}",
    ),
    (
        "order_paid",
        "email",
        "en",
        "Payment for order {{number}} received",
        "Hello {{name}},\n\nwe have received your payment of {{total}} for order {{number}} and are packing it now.\n\nOrder status: {{order_url}}",
    ),
    (
        "order_paid",
        "sms",
        "en",
        "",
        "Payment for order {{number}} received: {{total}}.",
    ),
    (
        "order_cancelled",
        "email",
        "en",
        "Order {{number}} cancelled",
        "Hello {{name}},\n\norder {{number}} has been cancelled. Details: {{order_url}}\n\nIf this is a mistake, reply to this e-mail.",
    ),
    (
        "order_cancelled",
        "sms",
        "en",
        "",
        "Order {{number}} cancelled. {{order_url}}",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NotificationTemplates::Table)
                    .if_not_exists()
                    .col(big_pk_auto(NotificationTemplates::Id))
                    .col(string_len(NotificationTemplates::Event, 32))
                    .col(string_len(NotificationTemplates::Channel, 8))
                    .col(string_len(NotificationTemplates::Lang, 2))
                    .col(string_len(NotificationTemplates::Subject, 200).default(""))
                    .col(text(NotificationTemplates::Body))
                    .col(boolean(NotificationTemplates::Active).default(true))
                    .col(timestamp_with_time_zone(NotificationTemplates::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_templates_unique")
                    .table(NotificationTemplates::Table)
                    .col(NotificationTemplates::Event)
                    .col(NotificationTemplates::Channel)
                    .col(NotificationTemplates::Lang)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let mut seed = Query::insert()
            .into_table(NotificationTemplates::Table)
            .columns([
                NotificationTemplates::Event,
                NotificationTemplates::Channel,
                NotificationTemplates::Lang,
                NotificationTemplates::Subject,
                NotificationTemplates::Body,
                NotificationTemplates::UpdatedAt,
            ])
            .to_owned();
        let now = chrono::Utc::now();
        for (event, channel, lang, subject, body) in TEMPLATES {
            seed.values_panic([
                event.into(),
                channel.into(),
                lang.into(),
                subject.into(),
                body.into(),
                now.into(),
            ]);
        }
        manager.exec_stmt(seed).await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Outbox::Id))
                    .col(string_len(Outbox::Channel, 8))
                    .col(string_len(Outbox::Recipient, 255))
                    .col(string_len(Outbox::Subject, 255).default(""))
                    .col(text(Outbox::Body))
                    .col(string_len(Outbox::Event, 32))
                    .col(big_integer_null(Outbox::OrderId))
                    .col(string_len(Outbox::Status, 16))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(Outbox::AvailableAt))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Outbox::Table, Outbox::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_due")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::AvailableAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_order")
                    .table(Outbox::Table)
                    .col(Outbox::OrderId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(NotificationTemplates::Table).to_owned())
            .await
    }
}
