//! Unpaid orders give their stock back (CHK-4): an order to be paid online
//! (by card, or by the bank's credit) that is still unpaid after the shop's
//! timeout, or a bank-invoice order whose invoice has expired, is cancelled,
//! and the units it reserved return to their warehouses. Safe with several
//! instances running it at once: the cancellation is a conditional update,
//! and only the instance whose update matched returns the stock.
use super::entities::{order_events, orders, payments};
use super::{notifications, stock_ledger, AppState};
use crate::domain::checkout::{OrderStatus, PaymentMethod};
use crate::domain::notifications::NotificationEvent;
use crate::domain::payments::{invoice_last_day, INVOICE_BANKING_DAYS};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};

/// Cancels the unpaid online orders placed before `now - timeout` that have
/// no payment attempt still waiting for the bank, and the bank-invoice
/// orders past their invoice's last day; returns how many.
pub async fn release_unpaid(
    state: &AppState,
    timeout: Duration,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let unpaid = || {
        orders::Entity::find()
            .filter(orders::Column::Status.eq(OrderStatus::New.as_str()))
            .filter(orders::Column::PaymentStatus.eq("unpaid"))
    };
    let mut stale = unpaid()
        .filter(orders::Column::PaymentMethod.is_in([
            PaymentMethod::CardOnline.as_str(),
            PaymentMethod::Credit.as_str(),
        ]))
        .filter(orders::Column::CreatedAt.lt(now - timeout))
        .all(&state.db)
        .await?;
    // Five banking days take five calendar days at least (an invoice of a
    // Sunday ends on Friday), a week from a weekday; the exact last day is
    // counted below. A week here kept weekend invoices' goods a day or two
    // too long.
    let invoices = unpaid()
        .filter(orders::Column::PaymentMethod.eq(PaymentMethod::BankInvoice.as_str()))
        .filter(orders::Column::CreatedAt.lt(now - Duration::days(i64::from(INVOICE_BANKING_DAYS))))
        .all(&state.db)
        .await?;
    stale.extend(
        invoices
            .into_iter()
            .filter(|o| invoice_last_day(o.created_at.date_naive()) < now.date_naive()),
    );
    let mut released = 0;
    for order in stale {
        if release(state, order.id, now).await? {
            released += 1;
        }
    }
    if released > 0 {
        state.catalog.stock_changed(&state.db, None).await?;
    }
    Ok(released)
}

async fn release(state: &AppState, order_id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let txn = super::begin_write(&state.db).await?;
    // A shopper on the bank's page right now keeps the goods until the bank answers.
    let waiting = payments::Entity::find()
        .filter(payments::Column::OrderId.eq(order_id))
        .filter(payments::Column::Status.eq("pending"))
        .filter(payments::Column::CreatedAt.gt(now - Duration::minutes(15)))
        .one(&txn)
        .await?
        .is_some();
    if waiting {
        return Ok(false);
    }
    let cancelled = orders::Entity::update_many()
        .col_expr(
            orders::Column::Status,
            Expr::value(OrderStatus::Cancelled.as_str()),
        )
        .col_expr(orders::Column::UpdatedAt, Expr::value(now))
        .filter(orders::Column::Id.eq(order_id))
        .filter(orders::Column::Status.eq(OrderStatus::New.as_str()))
        .filter(orders::Column::PaymentStatus.eq("unpaid"))
        .exec(&txn)
        .await?;
    if cancelled.rows_affected != 1 {
        // Paid or cancelled meanwhile, or another instance got here first.
        return Ok(false);
    }
    stock_ledger::release_order(
        &txn,
        order_id,
        stock_ledger::Why {
            order_id: Some(order_id),
            reason: "not paid in time",
            actor: None,
            at: now,
        },
    )
    .await?;
    order_events::ActiveModel {
        order_id: Set(order_id),
        status: Set(OrderStatus::Cancelled.as_str().into()),
        actor_user_id: Set(None),
        note: Set("not paid in time; the goods went back to stock".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some(order) = orders::Entity::find_by_id(order_id).one(&txn).await? {
        notifications::enqueue(&txn, state, NotificationEvent::OrderCancelled, &order, now).await?;
    }
    txn.commit().await?;
    Ok(true)
}
