//! Editing an order before picking (ORD-6): the order keeps where it goes
//! as typed (city, street, postcode), so staff can change the goods and
//! the delivery is priced again for the same place; and the customer's
//! message about a changed order, editable in `/admin/notifications`.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    /// The city the parcel goes to (a pickup point's city for a pickup).
    DeliveryCity,
    /// Street, house and flat; empty for a pickup point.
    DeliveryStreet,
    DeliveryPostcode,
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
const TEMPLATES: [(&str, &str, &str, &str, &str); 4] = [
    (
        "order_changed",
        "email",
        "ru",
        "Заказ №{{number}} изменён",
        "Здравствуйте, {{name}}!\n\nПо вашей просьбе мы изменили заказ №{{number}}. Новая сумма: {{total}}. Доставка: {{delivery}}.\n\nСостав заказа: {{order_url}}",
    ),
    ("order_changed", "sms", "ru", "", "Заказ №{{number}} изменён, сумма {{total}}. {{order_url}}"),
    (
        "order_changed",
        "email",
        "en",
        "Order {{number}} changed",
        "Hello {{name}},\n\nAs you asked, we have changed order {{number}}. New total: {{total}}. Delivery: {{delivery}}.\n\nWhat is in it now: {{order_url}}",
    ),
    ("order_changed", "sms", "en", "", "Order {{number}} changed, total {{total}}. {{order_url}}"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for column in [
            Orders::DeliveryCity,
            Orders::DeliveryStreet,
            Orders::DeliveryPostcode,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Orders::Table)
                        .add_column(string_len(column, 300).default(""))
                        .to_owned(),
                )
                .await?;
        }
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
        manager.exec_stmt(seed).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(NotificationTemplates::Table)
                    .and_where(Expr::col(NotificationTemplates::Event).eq("order_changed"))
                    .to_owned(),
            )
            .await?;
        for column in [
            Orders::DeliveryCity,
            Orders::DeliveryStreet,
            Orders::DeliveryPostcode,
        ] {
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
