//! The order life cycle in the back office (ORD-2, LOG-2): the parcel's
//! tracking number on the order, each method's tracking-page address, and
//! the messages for confirmation, shipping and delivery.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    /// Set when the parcel is handed to the carrier.
    TrackingNumber,
}

#[derive(DeriveIden)]
enum DeliveryMethods {
    Table,
    /// The carrier's tracking page, `{number}` standing for the number.
    TrackingUrl,
}

#[derive(DeriveIden)]
enum NotificationTemplates {
    Table,
    Event,
    Channel,
    Lang,
    Subject,
    Body,
    UpdatedAt,
}

/// (event, channel, lang, subject, body)
const TEMPLATES: [(&str, &str, &str, &str, &str); 12] = [
    (
        "order_confirmed",
        "email",
        "ru",
        "Заказ №{{number}} подтверждён",
        "Здравствуйте, {{name}}!\n\nМы подтвердили заказ №{{number}} на {{total}}. Доставка: {{delivery}}.\n\nЗаказ: {{order_url}}",
    ),
    ("order_confirmed", "sms", "ru", "", "Заказ №{{number}} подтверждён. {{order_url}}"),
    (
        "order_shipped",
        "email",
        "ru",
        "Заказ №{{number}} передан в доставку",
        "Здравствуйте, {{name}}!\n\nЗаказ №{{number}} передан в доставку: {{delivery}}. Трек-номер: {{tracking}}.\n\nЗаказ: {{order_url}}",
    ),
    ("order_shipped", "sms", "ru", "", "Заказ №{{number}} в пути, трек {{tracking}}. {{order_url}}"),
    (
        "order_delivered",
        "email",
        "ru",
        "Заказ №{{number}} доставлен",
        "Здравствуйте, {{name}}!\n\nЗаказ №{{number}} доставлен. Спасибо за покупку!\n\nЗаказ: {{order_url}}",
    ),
    ("order_delivered", "sms", "ru", "", "Заказ №{{number}} доставлен. Спасибо!"),
    (
        "order_confirmed",
        "email",
        "en",
        "Order {{number}} confirmed",
        "Hello {{name}},\n\nWe have confirmed order {{number}} for {{total}}. Delivery: {{delivery}}.\n\nYour order: {{order_url}}",
    ),
    ("order_confirmed", "sms", "en", "", "Order {{number}} confirmed. {{order_url}}"),
    (
        "order_shipped",
        "email",
        "en",
        "Order {{number}} is on its way",
        "Hello {{name}},\n\nOrder {{number}} has been handed to {{delivery}}. Tracking number: {{tracking}}.\n\nYour order: {{order_url}}",
    ),
    ("order_shipped", "sms", "en", "", "Order {{number}} shipped, tracking {{tracking}}. {{order_url}}"),
    (
        "order_delivered",
        "email",
        "en",
        "Order {{number}} delivered",
        "Hello {{name}},\n\nOrder {{number}} has been delivered. Thank you for shopping with us!\n\nYour order: {{order_url}}",
    ),
    ("order_delivered", "sms", "en", "", "Order {{number}} delivered. Thank you!"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .add_column(string_len(Orders::TrackingNumber, 40).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(DeliveryMethods::Table)
                    .add_column(string_len(DeliveryMethods::TrackingUrl, 300).default(""))
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
        // Russian Post's public tracking page.
        manager
            .exec_stmt(
                Query::update()
                    .table(DeliveryMethods::Table)
                    .value(
                        DeliveryMethods::TrackingUrl,
                        "https://www.pochta.ru/tracking#{number}",
                    )
                    .and_where(Expr::col(Alias::new("code")).eq("post"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(NotificationTemplates::Table)
                    .and_where(Expr::col(NotificationTemplates::Event).is_in([
                        "order_confirmed",
                        "order_shipped",
                        "order_delivered",
                    ]))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(DeliveryMethods::Table)
                    .drop_column(DeliveryMethods::TrackingUrl)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .drop_column(Orders::TrackingNumber)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
