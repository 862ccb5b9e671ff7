//! Goods coming back (ORD-7, LOG-3), recorded inside the transaction of the
//! order action that brings them: the return and its lines, the refund by
//! `domain::returns`, and the units back on the shelf they left from
//! through the stock ledger (or written off, with no movement: they never
//! reach the shelf again).
use super::entities::{order_lines, orders, return_lines, returns, stock_movements};
use super::stock_ledger::{self, Why};
use crate::api::checkout::ReturnView;
use crate::domain::catalog::{from_minor, to_minor};
use crate::domain::money::Lang;
use crate::domain::returns::{refund, LineMoney, OrderMoney, ReturnedLine};
use crate::domain::warehouse::MovementKind;
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use std::collections::HashMap;

/// The order's lines with what each has returned so far, and its money.
pub async fn money_of(
    db: &impl ConnectionTrait,
    order: &orders::Model,
) -> Result<(OrderMoney, Vec<LineMoney>), DbErr> {
    let lines = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(order.id))
        .order_by_asc(order_lines::Column::Id)
        .all(db)
        .await?;
    let mut returned: HashMap<i64, u32> = HashMap::new();
    for (line, _) in lines_returned(db, order.id).await? {
        *returned.entry(line.order_line_id).or_default() += line.quantity.max(0) as u32;
    }
    Ok((
        OrderMoney {
            goods: from_minor(order.goods_minor),
            discount: from_minor(order.discount_minor),
            refunded: from_minor(order.refunded_minor),
        },
        lines
            .iter()
            .map(|l| LineMoney {
                line_id: l.id,
                unit_price: from_minor(l.unit_price_minor),
                ordered: l.quantity.max(0) as u32,
                returned: returned.get(&l.id).copied().unwrap_or(0),
            })
            .collect(),
    ))
}

async fn lines_returned(
    db: &impl ConnectionTrait,
    order_id: i64,
) -> Result<Vec<(return_lines::Model, returns::Model)>, DbErr> {
    let heads = returns::Entity::find()
        .filter(returns::Column::OrderId.eq(order_id))
        .order_by_asc(returns::Column::Id)
        .all(db)
        .await?;
    let by_id: HashMap<i64, returns::Model> = heads.into_iter().map(|r| (r.id, r)).collect();
    Ok(return_lines::Entity::find()
        .filter(return_lines::Column::ReturnId.is_in(by_id.keys().copied()))
        .order_by_asc(return_lines::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|l| by_id.get(&l.return_id).cloned().map(|r| (l, r)))
        .collect())
}

/// What a return is, as staff chose it.
#[derive(Debug, Clone, Copy)]
pub struct Coming<'a> {
    /// Refused at the door (LOG-3) rather than sent back later.
    pub at_door: bool,
    pub lines: &'a [ReturnedLine],
    /// Back on sale; false: written off (damaged, not resellable).
    pub restock: bool,
}

/// Records checked units coming back; returns the refund.
pub async fn record(
    txn: &impl ConnectionTrait,
    order: &orders::Model,
    coming: Coming<'_>,
    why: Why<'_>,
) -> Result<Decimal, DbErr> {
    let (money, lines) = money_of(txn, order).await?;
    let amount = refund(&money, &lines, coming.lines);
    let head = returns::ActiveModel {
        order_id: Set(order.id),
        kind: Set(if coming.at_door { "door" } else { "later" }.into()),
        reason: Set(why.reason.into()),
        refund_minor: Set(to_minor(amount).unwrap_or(0)),
        restocked: Set(coming.restock),
        actor_user_id: Set(why.actor),
        created_at: Set(why.at),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let variant_of: HashMap<i64, i64> = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(order.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|l| (l.id, l.variant_id))
        .collect();
    for r in coming.lines {
        return_lines::ActiveModel {
            return_id: Set(head.id),
            order_line_id: Set(r.line_id),
            quantity: Set(r.quantity as i32),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let Some(&variant_id) = variant_of.get(&r.line_id) else {
            continue;
        };
        if coming.restock {
            let warehouse_id = shipped_from(txn, order.id, variant_id).await?;
            if let Some(warehouse_id) = warehouse_id {
                stock_ledger::apply(
                    txn,
                    variant_id,
                    warehouse_id,
                    MovementKind::Return,
                    r.quantity as i32,
                    why,
                )
                .await?
                .map_err(|p| DbErr::Custom(format!("return to stock refused: {p:?}")))?;
            }
        }
    }
    orders::Entity::update_many()
        .col_expr(
            orders::Column::RefundedMinor,
            sea_orm::sea_query::ExprTrait::add(
                Expr::col(orders::Column::RefundedMinor),
                to_minor(amount).unwrap_or(0),
            ),
        )
        .filter(orders::Column::Id.eq(order.id))
        .exec(txn)
        .await?;
    // Paid online: the money goes back to the card through the provider (ORD-6).
    super::payments::queue_refund(
        txn,
        order.id,
        head.id,
        to_minor(amount).unwrap_or(0),
        why.at,
    )
    .await?;
    Ok(amount)
}

/// The warehouse the order's units of a variant left from (the ledger's
/// shipment); the goods go back there.
async fn shipped_from(
    db: &impl ConnectionTrait,
    order_id: i64,
    variant_id: i64,
) -> Result<Option<i64>, DbErr> {
    Ok(stock_movements::Entity::find()
        .filter(stock_movements::Column::OrderId.eq(order_id))
        .filter(stock_movements::Column::VariantId.eq(variant_id))
        .filter(stock_movements::Column::Kind.eq(MovementKind::Shipment.as_str()))
        .order_by_asc(stock_movements::Column::Id)
        .one(db)
        .await?
        .map(|m| m.warehouse_id))
}

/// The order's returns for its pages.
pub async fn views(
    db: &impl ConnectionTrait,
    order_id: i64,
    lang: Lang,
) -> Result<Vec<ReturnView>, DbErr> {
    let names: HashMap<i64, String> = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(order_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    let mut out: Vec<(i64, ReturnView)> = Vec::new();
    for (line, head) in lines_returned(db, order_id).await? {
        let item = (
            names.get(&line.order_line_id).cloned().unwrap_or_default(),
            line.quantity.max(0) as u32,
        );
        match out.iter_mut().find(|(id, _)| *id == head.id) {
            Some((_, view)) => view.items.push(item),
            None => out.push((
                head.id,
                ReturnView {
                    at_door: head.kind == "door",
                    label: match (head.kind == "door", lang) {
                        (true, Lang::Ru) => "Возвращено курьеру при примерке".into(),
                        (true, Lang::En) => "Returned to the courier at the try-on".into(),
                        (false, Lang::Ru) => "Возврат".into(),
                        (false, Lang::En) => "Return".into(),
                    },
                    at: head.created_at.format("%Y-%m-%d %H:%M").to_string(),
                    items: vec![item],
                    refund: from_minor(head.refund_minor),
                    restocked: head.restocked,
                },
            )),
        }
    }
    Ok(out.into_iter().map(|(_, v)| v).collect())
}
