//! Every change to stock goes through here (WMS-1): the `stock` row and a
//! `stock_movements` row are written in the same transaction, so on hand is
//! always the sum of the ledger. The rules are `domain::warehouse`.
use super::entities::{stock, stock_movements, stock_reservations};
use crate::domain::warehouse::{Balance, MovementKind, StockProblem};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Set,
};

/// Who moved the stock and why, as the ledger keeps it.
#[derive(Debug, Clone, Copy)]
pub struct Why<'a> {
    pub order_id: Option<i64>,
    pub reason: &'a str,
    pub actor: Option<i64>,
    pub at: DateTime<Utc>,
}

/// Writes the ledger row for a movement already applied to `stock`.
pub async fn log(
    txn: &impl ConnectionTrait,
    variant_id: i64,
    warehouse_id: i64,
    kind: MovementKind,
    quantity: i32,
    why: Why<'_>,
) -> Result<(), DbErr> {
    let change = kind.effect(quantity);
    stock_movements::ActiveModel {
        variant_id: Set(variant_id),
        warehouse_id: Set(warehouse_id),
        kind: Set(kind.as_str().into()),
        on_hand_delta: Set(change.on_hand),
        reserved_delta: Set(change.reserved),
        order_id: Set(why.order_id),
        reason: Set(why.reason.into()),
        actor_user_id: Set(why.actor),
        created_at: Set(why.at),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Applies one movement by the domain rules: reads the balance (locking the
/// row where the engine can), refuses what the rules refuse, writes the new
/// balance only if nobody changed it meanwhile, and logs the movement.
pub async fn apply(
    txn: &impl ConnectionTrait,
    variant_id: i64,
    warehouse_id: i64,
    kind: MovementKind,
    quantity: i32,
    why: Why<'_>,
) -> Result<Result<Balance, StockProblem>, DbErr> {
    stock::Entity::insert(stock::ActiveModel {
        variant_id: Set(variant_id),
        warehouse_id: Set(warehouse_id),
        quantity: Set(0),
        on_hand: Set(0),
        shelf: Set(None),
    })
    .on_conflict_do_nothing_on([stock::Column::VariantId, stock::Column::WarehouseId])
    .exec(txn)
    .await?;
    let row = stock::Entity::find_by_id((variant_id, warehouse_id))
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("stock".into()))?;
    let before = Balance {
        on_hand: row.on_hand,
        reserved: row.on_hand - row.quantity,
    };
    let after = match before.apply(kind, quantity) {
        Ok(after) => after,
        Err(problem) => return Ok(Err(problem)),
    };
    let updated = stock::Entity::update_many()
        .col_expr(stock::Column::OnHand, Expr::value(after.on_hand))
        .col_expr(stock::Column::Quantity, Expr::value(after.available()))
        .filter(stock::Column::VariantId.eq(variant_id))
        .filter(stock::Column::WarehouseId.eq(warehouse_id))
        .filter(stock::Column::OnHand.eq(row.on_hand))
        .filter(stock::Column::Quantity.eq(row.quantity))
        .exec(txn)
        .await?;
    if updated.rows_affected != 1 {
        // Both engines serialise writers here (BEGIN IMMEDIATE, FOR UPDATE),
        // so this means a write outside a transaction: refuse, never guess.
        return Err(DbErr::Custom(
            "the stock changed while it was being updated".into(),
        ));
    }
    log(txn, variant_id, warehouse_id, kind, quantity, why).await?;
    Ok(Ok(after))
}

/// Sets what is for sale to `available` by an adjustment of the difference
/// (the product form and the CSV import edit stock this way).
pub async fn set_available(
    txn: &impl ConnectionTrait,
    variant_id: i64,
    warehouse_id: i64,
    available: i32,
    why: Why<'_>,
) -> Result<Result<(), StockProblem>, DbErr> {
    let current = stock::Entity::find_by_id((variant_id, warehouse_id))
        .one(txn)
        .await?
        .map_or(0, |s| s.quantity);
    let change = available - current;
    if change == 0 {
        return Ok(Ok(()));
    }
    Ok(apply(
        txn,
        variant_id,
        warehouse_id,
        MovementKind::Adjustment,
        change,
        why,
    )
    .await?
    .map(|_| ()))
}

/// Puts the units an order reserved back on sale (a cancellation) and
/// forgets the reservation; returns the variants whose stock changed.
pub async fn release_order(
    txn: &impl ConnectionTrait,
    order_id: i64,
    why: Why<'_>,
) -> Result<Vec<i64>, DbErr> {
    let reserved = reservations_of(txn, order_id).await?;
    for r in &reserved {
        stock::Entity::update_many()
            .col_expr(
                stock::Column::Quantity,
                Expr::col(stock::Column::Quantity).add(r.quantity),
            )
            .filter(stock::Column::VariantId.eq(r.variant_id))
            .filter(stock::Column::WarehouseId.eq(r.warehouse_id))
            .exec(txn)
            .await?;
        log(
            txn,
            r.variant_id,
            r.warehouse_id,
            MovementKind::Release,
            r.quantity,
            why,
        )
        .await?;
    }
    forget_reservations(txn, order_id).await?;
    Ok(reserved.iter().map(|r| r.variant_id).collect())
}

/// Gives back `quantity` units of one variant an order holds (an edit took
/// them off the order), from the warehouses holding the fewest first;
/// returns how many it gave back.
pub async fn release_part(
    txn: &impl ConnectionTrait,
    order_id: i64,
    variant_id: i64,
    quantity: i32,
    why: Why<'_>,
) -> Result<i32, DbErr> {
    let mut held: Vec<_> = reservations_of(txn, order_id)
        .await?
        .into_iter()
        .filter(|r| r.variant_id == variant_id)
        .collect();
    held.sort_by_key(|r| (r.quantity, r.warehouse_id));
    let mut left = quantity;
    for r in held {
        if left <= 0 {
            break;
        }
        let give = std::cmp::min(left, r.quantity);
        stock::Entity::update_many()
            .col_expr(
                stock::Column::Quantity,
                Expr::col(stock::Column::Quantity).add(give),
            )
            .filter(stock::Column::VariantId.eq(variant_id))
            .filter(stock::Column::WarehouseId.eq(r.warehouse_id))
            .exec(txn)
            .await?;
        if give == r.quantity {
            stock_reservations::Entity::delete_many()
                .filter(stock_reservations::Column::OrderId.eq(order_id))
                .filter(stock_reservations::Column::VariantId.eq(variant_id))
                .filter(stock_reservations::Column::WarehouseId.eq(r.warehouse_id))
                .exec(txn)
                .await?;
        } else {
            stock_reservations::Entity::update_many()
                .col_expr(
                    stock_reservations::Column::Quantity,
                    Expr::value(r.quantity - give),
                )
                .filter(stock_reservations::Column::OrderId.eq(order_id))
                .filter(stock_reservations::Column::VariantId.eq(variant_id))
                .filter(stock_reservations::Column::WarehouseId.eq(r.warehouse_id))
                .exec(txn)
                .await?;
        }
        log(
            txn,
            variant_id,
            r.warehouse_id,
            MovementKind::Release,
            give,
            why,
        )
        .await?;
        left -= give;
    }
    Ok(quantity - std::cmp::max(left, 0))
}

/// The reserved units leave with the carrier: on hand goes down by them,
/// what is for sale stays as it was, and the reservation is used up.
pub async fn ship_order(
    txn: &impl ConnectionTrait,
    order_id: i64,
    why: Why<'_>,
) -> Result<(), DbErr> {
    for r in reservations_of(txn, order_id).await? {
        stock::Entity::update_many()
            .col_expr(
                stock::Column::OnHand,
                Expr::col(stock::Column::OnHand).sub(r.quantity),
            )
            .filter(stock::Column::VariantId.eq(r.variant_id))
            .filter(stock::Column::WarehouseId.eq(r.warehouse_id))
            .exec(txn)
            .await?;
        log(
            txn,
            r.variant_id,
            r.warehouse_id,
            MovementKind::Shipment,
            r.quantity,
            why,
        )
        .await?;
    }
    forget_reservations(txn, order_id).await
}

pub(crate) async fn reservations_of(
    txn: &impl ConnectionTrait,
    order_id: i64,
) -> Result<Vec<stock_reservations::Model>, DbErr> {
    stock_reservations::Entity::find()
        .filter(stock_reservations::Column::OrderId.eq(order_id))
        .all(txn)
        .await
}

async fn forget_reservations(txn: &impl ConnectionTrait, order_id: i64) -> Result<(), DbErr> {
    stock_reservations::Entity::delete_many()
        .filter(stock_reservations::Column::OrderId.eq(order_id))
        .exec(txn)
        .await?;
    Ok(())
}
