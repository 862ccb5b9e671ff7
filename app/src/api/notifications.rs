//! Notification templates and the outbox in the back office (ORD-5):
//! `/admin/notifications`.
use super::AppError;
use crate::domain::notifications::{Channel, NotificationEvent, OutboxStatus, TemplateProblem};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateRow {
    pub id: i64,
    pub event: NotificationEvent,
    pub channel: Channel,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: i64,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub event: String,
    pub order_number: Option<String>,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: String,
    /// When it was sent, or when the next attempt is due.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationsPage {
    pub templates: Vec<TemplateRow>,
    pub outbox: Vec<OutboxRow>,
    /// Messages per status, in [`OutboxStatus::ALL`] order.
    pub counts: Vec<(OutboxStatus, u64)>,
    pub email_configured: bool,
    pub sms_configured: bool,
}

#[server(endpoint = "admin_notifications")]
pub async fn admin_notifications(
    status: Option<OutboxStatus>,
) -> Result<NotificationsPage, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{notifications, web};
    let state = web::state()?;
    web::require(Permission::ManageNotifications).await?;
    Ok(NotificationsPage {
        templates: notifications::templates(&state.db).await?,
        outbox: notifications::outbox(&state.db, status).await?,
        counts: notifications::counts(&state.db).await?,
        email_configured: state.config.notify.smtp_url.is_some(),
        sms_configured: state.config.notify.sms_url.is_some(),
    })
}

/// Saves a template; a problem comes back for the form (`None`: saved).
#[server(endpoint = "admin_notification_template", input = Json)]
pub async fn admin_save_template(
    id: i64,
    subject: String,
    body: String,
    active: bool,
) -> Result<Option<TemplateProblem>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{notifications, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageNotifications).await?;
    notifications::save_template(&state, &actor, id, &subject, &body, active).await
}

/// Sends a failed message again, from its first attempt.
#[server(endpoint = "admin_notification_resend")]
pub async fn admin_resend_notification(id: i64) -> Result<(), AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{notifications, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageNotifications).await?;
    notifications::resend(&state.db, &actor, id, chrono::Utc::now()).await
}
