//! Callback requests (CART-6, ORD-4): stored with the cart as the shopper saw
//! it, listed for operators, who record the outcome.
use super::accounts::AuthUser;
use super::admin::{record, Actor};
use super::catalog::Snapshot;
use super::entities::{callback_requests, users};
use super::{cart, AppState};
use crate::api::callbacks::{CallbackItem, CallbackRow};
use crate::api::AppError;
use crate::domain::callbacks::{validate, CallbackProblem, CallbackStatus, NOTE_MAX_CHARS};
use crate::domain::cart::{CartChoices, StoredCart};
use crate::domain::catalog::{from_minor, to_minor};
use crate::domain::checkout::order_number;
use crate::domain::money::Lang;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;

/// A second request from the same phone within this time updates the first
/// instead of queueing the shopper twice.
const REPEAT_WINDOW_MINUTES: i64 = 30;
/// The queue shows at most this many requests.
const QUEUE_LIMIT: u64 = 200;

pub async fn request(
    state: &AppState,
    snapshot: &Snapshot,
    user: Option<&AuthUser>,
    name: &str,
    phone: &str,
    stored: &StoredCart,
) -> Result<Vec<CallbackProblem>, AppError> {
    let (name, phone) = match validate(name, phone) {
        Ok(valid) => valid,
        Err(problems) => return Ok(problems),
    };
    let customer = user.map(|u| format!("user:{}", u.id));
    let priced = cart::view(
        state,
        snapshot,
        stored,
        &CartChoices::default(),
        customer.as_deref(),
        Utc::now(),
        Lang::Ru,
    )
    .await?;
    let items: Vec<CallbackItem> = priced
        .lines
        .iter()
        .map(|l| CallbackItem {
            variant_id: Some(l.variant_id),
            name: l.name.clone(),
            options: l.options.clone(),
            quantity: l.quantity,
            unit_price: l.unit_price,
        })
        .collect();
    let items_json = serde_json::to_string(&items).map_err(|_| AppError::Internal)?;
    let total = to_minor(priced.totals.total).unwrap_or(0);
    let txn = super::begin_write(&state.db).await?;
    let recent = callback_requests::Entity::find()
        .filter(callback_requests::Column::Phone.eq(phone.clone()))
        .filter(callback_requests::Column::Status.eq(CallbackStatus::New.as_str()))
        .filter(
            callback_requests::Column::CreatedAt
                .gt(Utc::now() - Duration::minutes(REPEAT_WINDOW_MINUTES)),
        )
        .one(&txn)
        .await?;
    match recent {
        Some(found) => {
            let mut model: callback_requests::ActiveModel = found.into();
            model.name = Set(name);
            model.cart = Set(items_json);
            model.cart_total_minor = Set(total);
            model.update(&txn).await?;
        }
        None => {
            callback_requests::ActiveModel {
                name: Set(name),
                phone: Set(phone),
                user_id: Set(user.map(|u| u.id)),
                cart: Set(items_json),
                cart_total_minor: Set(total),
                status: Set(CallbackStatus::New.as_str().into()),
                note: Set(String::new()),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(Vec::new())
}

/// The queue: open requests oldest first (who waits longest is called
/// first); with `all`, every request newest first.
pub async fn queue(state: &AppState, all: bool) -> Result<Vec<CallbackRow>, AppError> {
    let mut query = callback_requests::Entity::find();
    query = if all {
        query.order_by_desc(callback_requests::Column::Id)
    } else {
        query
            .filter(callback_requests::Column::Status.eq(CallbackStatus::New.as_str()))
            .order_by_asc(callback_requests::Column::Id)
    };
    let rows = query.limit(QUEUE_LIMIT).all(&state.db).await?;
    let staff_ids: Vec<i64> = rows.iter().filter_map(|r| r.handled_by).collect();
    let staff: HashMap<i64, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(staff_ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, if u.name.is_empty() { u.email } else { u.name }))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| CallbackRow {
            id: r.id,
            created_at: r.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            name: r.name,
            phone: r.phone,
            items: serde_json::from_str(&r.cart).unwrap_or_default(),
            total: from_minor(r.cart_total_minor),
            status: CallbackStatus::parse(&r.status).unwrap_or(CallbackStatus::New),
            note: r.note,
            handled_by: r.handled_by.and_then(|id| staff.get(&id).cloned()),
            handled_at: r
                .handled_at
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
            order_number: r.order_id.map(order_number),
        })
        .collect())
}

/// Records an operator's outcome and note.
pub async fn update(
    state: &AppState,
    actor: &AuthUser,
    id: i64,
    status: CallbackStatus,
    note: &str,
) -> Result<(), AppError> {
    let note: String = note.trim().chars().take(NOTE_MAX_CHARS).collect();
    let txn = super::begin_write(&state.db).await?;
    let found = callback_requests::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = serde_json::json!({ "status": found.status, "note": found.note });
    let mut model: callback_requests::ActiveModel = found.into();
    model.status = Set(status.as_str().into());
    model.note = Set(note.clone());
    model.handled_by = Set(Some(actor.id));
    model.handled_at = Set(Some(Utc::now()));
    model.update(&txn).await?;
    record(
        &txn,
        Actor::User(actor),
        "callback.update",
        "callback_request",
        &id.to_string(),
        Some(before),
        Some(serde_json::json!({ "status": status.as_str(), "note": note })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The call ended in a phone order (ORD-4): the request is done and points
/// at the order.
pub async fn ended_in_order(
    db: &impl ConnectionTrait,
    id: i64,
    operator: &AuthUser,
    order_id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    callback_requests::Entity::update_many()
        .col_expr(
            callback_requests::Column::Status,
            Expr::value(CallbackStatus::Called.as_str()),
        )
        .col_expr(callback_requests::Column::OrderId, Expr::value(order_id))
        .col_expr(
            callback_requests::Column::HandledBy,
            Expr::value(operator.id),
        )
        .col_expr(callback_requests::Column::HandledAt, Expr::value(now))
        .col_expr(
            callback_requests::Column::Note,
            Expr::value(format!("№{}", order_number(order_id))),
        )
        .filter(callback_requests::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
