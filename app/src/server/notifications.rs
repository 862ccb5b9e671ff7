//! The notification outbox (ORD-5, CHK-5). A message is written here in the
//! same transaction as the order event that causes it, so it exists exactly
//! when the event does. Workers (in the server binary) take due messages,
//! send them and record the result:
//! - taking is one transaction that reads due rows `FOR UPDATE SKIP LOCKED`
//!   on PostgreSQL (`BEGIN IMMEDIATE` on SQLite) and moves each to `sending`
//!   with a lease, so several instances never take the same message;
//! - a worker that dies mid-send leaves its message `sending`; when the lease
//!   ends, another worker takes it again;
//! - the result is recorded only if the attempt number still matches, so a
//!   worker whose lease ran out cannot overwrite a newer attempt.
use super::accounts::AuthUser;
use super::admin::{record, Actor};
use super::entities::{notification_templates, orders, outbox};
use super::state::AppState;
use crate::api::notifications::{OutboxRow, TemplateRow};
use crate::api::AppError;
use crate::domain::catalog::from_minor;
use crate::domain::checkout::{order_number, PaymentMethod};
use crate::domain::money::{format_money, Lang};
use crate::domain::notifications::{
    after_failure, check_template, render, Channel, NotificationEvent, OutboxStatus,
    TemplateProblem,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

/// The outbox page shows at most this many messages.
const OUTBOX_PAGE: u64 = 200;

/// Writes the messages `event` sends about `order` (an e-mail if the order
/// has an address, an SMS to its phone), in the caller's transaction. The
/// templates and the currency come from the instance's caches: no read of
/// them on the order's path.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    state: &AppState,
    event: NotificationEvent,
    order: &orders::Model,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let active = state
        .notification_templates
        .get(|| active_templates(db))
        .await?;
    let templates: Vec<&notification_templates::Model> = active
        .iter()
        .filter(|t| t.event == event.as_str() && t.lang == order.lang)
        .collect();
    if templates.is_empty() {
        return Ok(0);
    }
    let lang = if order.lang == "en" {
        Lang::En
    } else {
        Lang::Ru
    };
    let currency = state.shop_info.get(db).await?.currency;
    let base_url = &state.config.base_url;
    let delivery = if order.delivery_address.is_empty() {
        order.delivery_name.clone()
    } else {
        format!("{}, {}", order.delivery_name, order.delivery_address)
    };
    let values = [
        ("name", order.name.clone()),
        ("number", order_number(order.id).to_string()),
        (
            "total",
            format_money(from_minor(order.total_minor), currency, lang),
        ),
        ("order_url", format!("{base_url}/order/{}", order.token)),
        ("delivery", delivery),
        (
            "payment",
            PaymentMethod::parse(&order.payment_method)
                .map(|p| p.label(lang).to_string())
                .unwrap_or_else(|| order.payment_method.clone()),
        ),
        ("tracking", order.tracking_number.clone()),
    ];
    let messages: Vec<outbox::ActiveModel> = templates
        .iter()
        .filter_map(|template| {
            let channel = Channel::parse(&template.channel)?;
            let recipient = match channel {
                Channel::Email => order.email.trim(),
                Channel::Sms => order.phone.trim(),
            };
            (!recipient.is_empty()).then(|| outbox::ActiveModel {
                channel: Set(channel.as_str().into()),
                recipient: Set(recipient.to_string()),
                subject: Set(render(&template.subject, &values)),
                body: Set(render(&template.body, &values)),
                event: Set(event.as_str().into()),
                order_id: Set(Some(order.id)),
                status: Set(OutboxStatus::Pending.as_str().into()),
                attempts: Set(0),
                available_at: Set(now),
                last_error: Set(None),
                created_at: Set(now),
                sent_at: Set(None),
                ..Default::default()
            })
        })
        .collect();
    let written = messages.len();
    if written > 0 {
        // One statement for all of them: this runs inside checkout's transaction.
        outbox::Entity::insert_many(messages)
            .exec_without_returning(db)
            .await?;
    }
    Ok(written)
}

/// A message a worker has taken; `attempt` fences the result it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub attempt: i32,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// Takes up to `limit` due messages of `channels` for `lease`; no other
/// worker takes them until the lease ends.
pub async fn claim(
    db: &DatabaseConnection,
    channels: &[Channel],
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> Result<Vec<Claimed>, DbErr> {
    if channels.is_empty() {
        return Ok(Vec::new());
    }
    let txn = super::begin_write(db).await?;
    let due = outbox::Entity::find()
        .filter(outbox::Column::Status.is_in([
            OutboxStatus::Pending.as_str(),
            OutboxStatus::Sending.as_str(),
        ]))
        .filter(outbox::Column::AvailableAt.lte(now))
        .filter(outbox::Column::Channel.is_in(channels.iter().map(|c| c.as_str())))
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&txn)
        .await?;
    let mut claimed = Vec::with_capacity(due.len());
    for row in due {
        let taken = outbox::Entity::update_many()
            .col_expr(
                outbox::Column::Status,
                Expr::value(OutboxStatus::Sending.as_str()),
            )
            .col_expr(outbox::Column::Attempts, Expr::value(row.attempts + 1))
            .col_expr(outbox::Column::AvailableAt, Expr::value(now + lease))
            .filter(outbox::Column::Id.eq(row.id))
            .filter(outbox::Column::Attempts.eq(row.attempts))
            .exec(&txn)
            .await?;
        let Some(channel) = Channel::parse(&row.channel) else {
            continue;
        };
        if taken.rows_affected == 1 {
            claimed.push(Claimed {
                id: row.id,
                attempt: row.attempts + 1,
                channel,
                recipient: row.recipient,
                subject: row.subject,
                body: row.body,
            });
        }
    }
    txn.commit().await?;
    Ok(claimed)
}

/// Records a delivered message; `false` if the lease was lost meanwhile.
pub async fn mark_sent(
    db: &DatabaseConnection,
    message: &Claimed,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            Expr::value(OutboxStatus::Sent.as_str()),
        )
        .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(outbox::Column::Id.eq(message.id))
        .filter(outbox::Column::Attempts.eq(message.attempt))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending.as_str()))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Records a failed send: retried after a back-off, or given up (at once
/// when `give_up`, e.g. for an address no server will take).
pub async fn mark_failed(
    db: &DatabaseConnection,
    message: &Claimed,
    error: &str,
    give_up: bool,
    now: DateTime<Utc>,
) -> Result<OutboxStatus, DbErr> {
    let (status, delay) = if give_up {
        (OutboxStatus::Failed, None)
    } else {
        after_failure(message.attempt)
    };
    let error: String = error.chars().take(1000).collect();
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            outbox::Column::AvailableAt,
            Expr::value(now + Duration::seconds(delay.unwrap_or(0))),
        )
        .col_expr(outbox::Column::LastError, Expr::value(Some(error)))
        .filter(outbox::Column::Id.eq(message.id))
        .filter(outbox::Column::Attempts.eq(message.attempt))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending.as_str()))
        .exec(db)
        .await?;
    Ok(status)
}

async fn active_templates(
    db: &impl ConnectionTrait,
) -> Result<Vec<notification_templates::Model>, DbErr> {
    notification_templates::Entity::find()
        .filter(notification_templates::Column::Active.eq(true))
        .order_by_asc(notification_templates::Column::Id)
        .all(db)
        .await
}

pub async fn templates(db: &DatabaseConnection) -> Result<Vec<TemplateRow>, DbErr> {
    let rows = notification_templates::Entity::find()
        .order_by_asc(notification_templates::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|t| {
            Some(TemplateRow {
                id: t.id,
                event: NotificationEvent::parse(&t.event)?,
                channel: Channel::parse(&t.channel)?,
                lang: t.lang,
                subject: t.subject,
                body: t.body,
                active: t.active,
            })
        })
        .collect())
}

pub async fn save_template(
    state: &AppState,
    actor: &AuthUser,
    id: i64,
    subject: &str,
    body: &str,
    active: bool,
) -> Result<Option<TemplateProblem>, AppError> {
    let found = notification_templates::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let channel = Channel::parse(&found.channel).ok_or(AppError::NotFound)?;
    let subject = if channel == Channel::Sms {
        ""
    } else {
        subject.trim()
    };
    if let Err(problem) = check_template(channel, subject, body) {
        return Ok(Some(problem));
    }
    let before = serde_json::json!({
        "subject": found.subject, "body": found.body, "active": found.active,
    });
    let mut model: notification_templates::ActiveModel = found.into();
    model.subject = Set(subject.to_string());
    model.body = Set(body.trim_end().to_string());
    model.active = Set(active);
    model.updated_at = Set(Utc::now());
    model.update(&state.db).await?;
    record(
        &state.db,
        Actor::User(actor),
        "notification_template.update",
        "notification_template",
        &id.to_string(),
        Some(before),
        Some(serde_json::json!({ "subject": subject, "body": body, "active": active })),
    )
    .await?;
    state.notification_templates.invalidate();
    Ok(None)
}

pub async fn outbox(
    db: &DatabaseConnection,
    status: Option<OutboxStatus>,
) -> Result<Vec<OutboxRow>, DbErr> {
    let mut query = outbox::Entity::find();
    if let Some(status) = status {
        query = query.filter(outbox::Column::Status.eq(status.as_str()));
    }
    let rows = query
        .order_by_desc(outbox::Column::Id)
        .limit(OUTBOX_PAGE)
        .all(db)
        .await?;
    let when = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    Ok(rows
        .into_iter()
        .filter_map(|m| {
            let status = OutboxStatus::parse(&m.status)?;
            Some(OutboxRow {
                id: m.id,
                channel: Channel::parse(&m.channel)?,
                recipient: m.recipient,
                subject: m.subject,
                event: m.event,
                order_number: m.order_id.map(order_number),
                status,
                attempts: m.attempts,
                last_error: m.last_error,
                created_at: when(m.created_at),
                at: match status {
                    OutboxStatus::Sent => m.sent_at.map(when).unwrap_or_default(),
                    OutboxStatus::Failed => String::new(),
                    _ => when(m.available_at),
                },
            })
        })
        .collect())
}

pub async fn counts(db: &DatabaseConnection) -> Result<Vec<(OutboxStatus, u64)>, DbErr> {
    let mut counts = Vec::new();
    for status in OutboxStatus::ALL {
        let n = outbox::Entity::find()
            .filter(outbox::Column::Status.eq(status.as_str()))
            .count(db)
            .await?;
        counts.push((status, n));
    }
    Ok(counts)
}

/// Puts a failed message back in the queue, due now, with fresh attempts.
pub async fn resend(
    db: &DatabaseConnection,
    actor: &AuthUser,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let requeued = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            Expr::value(OutboxStatus::Pending.as_str()),
        )
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::AvailableAt, Expr::value(now))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(OutboxStatus::Failed.as_str()))
        .exec(db)
        .await?;
    if requeued.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    record(
        db,
        Actor::User(actor),
        "outbox.resend",
        "outbox",
        &id.to_string(),
        None,
        None,
    )
    .await
}
