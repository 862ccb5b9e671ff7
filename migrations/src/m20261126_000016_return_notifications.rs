//! The customer's messages about their return requests (ORD-5, ORD-7):
//! accepted, rejected, received and refunded. Editable in
//! `/admin/notifications` like the others.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

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
        "return_accepted",
        "email",
        "ru",
        "Возврат по заказу №{{number}} одобрен",
        "Здравствуйте, {{name}}!\n\nМы одобрили вашу заявку на возврат по заказу №{{number}}. Отправьте товар магазину; когда он придёт, мы вернём деньги.\n\nЗаказ: {{order_url}}",
    ),
    ("return_accepted", "sms", "ru", "", "Возврат по заказу №{{number}} одобрен. {{order_url}}"),
    (
        "return_rejected",
        "email",
        "ru",
        "Возврат по заказу №{{number}} отклонён",
        "Здравствуйте, {{name}}!\n\nК сожалению, мы не можем принять возврат по заказу №{{number}}. Причина — на странице заказа.\n\nЗаказ: {{order_url}}",
    ),
    ("return_rejected", "sms", "ru", "", "Возврат по заказу №{{number}} отклонён, подробности: {{order_url}}"),
    (
        "return_received",
        "email",
        "ru",
        "Возврат по заказу №{{number}} получен",
        "Здравствуйте, {{name}}!\n\nМы получили возвращённый товар по заказу №{{number}} и вернули деньги.\n\nЗаказ: {{order_url}}",
    ),
    ("return_received", "sms", "ru", "", "Возврат по заказу №{{number}} получен, деньги возвращены. {{order_url}}"),
    (
        "return_accepted",
        "email",
        "en",
        "Return for order {{number}} accepted",
        "Hello {{name}},\n\nWe have accepted your return request for order {{number}}. Please send the goods back; we refund you when they arrive.\n\nYour order: {{order_url}}",
    ),
    ("return_accepted", "sms", "en", "", "Return for order {{number}} accepted. {{order_url}}"),
    (
        "return_rejected",
        "email",
        "en",
        "Return for order {{number}} rejected",
        "Hello {{name}},\n\nWe are sorry, we cannot accept the return for order {{number}}. The reason is on the order's page.\n\nYour order: {{order_url}}",
    ),
    ("return_rejected", "sms", "en", "", "Return for order {{number}} rejected, details: {{order_url}}"),
    (
        "return_received",
        "email",
        "en",
        "Return for order {{number}} received",
        "Hello {{name}},\n\nWe have received the goods you sent back for order {{number}} and refunded you.\n\nYour order: {{order_url}}",
    ),
    ("return_received", "sms", "en", "", "Return for order {{number}} received and refunded. {{order_url}}"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
                    .and_where(Expr::col(NotificationTemplates::Event).is_in([
                        "return_accepted",
                        "return_rejected",
                        "return_received",
                    ]))
                    .to_owned(),
            )
            .await
    }
}
