//! Printable pick lists (WMS-2, ORD-1 bulk action): `/admin/pick-list?orders=100001,100002`
//! lists, per warehouse, each SKU reserved for the chosen orders with its
//! total and the orders it goes to. Only orders ready to pick (confirmed,
//! paid or being picked) are taken; the others are named as skipped.
use crate::documents::escape;
use crate::warehouse_docs::{respond, wanted_orders, Wanted};
use app::domain::checkout::{order_number, OrderStatus};
use app::domain::orders::{pick_list, PickLine};
use app::server::entities::{order_lines, orders, stock, stock_reservations, warehouses};
use app::server::AppState;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/admin/pick-list", get(page))
        .with_state(state)
}

async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(wanted): Query<Wanted>,
) -> Response {
    match wanted_orders(&state, &headers, "/admin/pick-list", &wanted).await {
        Ok(ids) => respond(render(&state, &ids).await.map(Some)),
        Err(response) => response,
    }
}

async fn render(state: &AppState, ids: &[i64]) -> Result<String, sea_orm::DbErr> {
    let pickable = [
        OrderStatus::Confirmed.as_str(),
        OrderStatus::Paid.as_str(),
        OrderStatus::Picking.as_str(),
    ];
    let found = orders::Entity::find()
        .filter(orders::Column::Id.is_in(ids.iter().copied()))
        .all(&state.db)
        .await?;
    let (ready, skipped): (Vec<_>, Vec<_>) = found
        .into_iter()
        .partition(|o| pickable.contains(&o.status.as_str()));
    let ready_ids: Vec<i64> = ready.iter().map(|o| o.id).collect();
    let warehouse_names: HashMap<i64, String> = warehouses::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.name))
        .collect();
    let lines: HashMap<(i64, i64), order_lines::Model> = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.is_in(ready_ids.iter().copied()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|l| ((l.order_id, l.variant_id), l))
        .collect();
    let reserved = stock_reservations::Entity::find()
        .filter(stock_reservations::Column::OrderId.is_in(ready_ids.iter().copied()))
        .all(&state.db)
        .await?;
    let shelves: HashMap<(i64, i64), String> = stock::Entity::find()
        .filter(stock::Column::VariantId.is_in(reserved.iter().map(|r| r.variant_id)))
        .filter(stock::Column::Shelf.is_not_null())
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|s| Some(((s.variant_id, s.warehouse_id), s.shelf?)))
        .collect();
    let picks: Vec<PickLine> = reserved
        .into_iter()
        .map(|r| {
            let line = lines.get(&(r.order_id, r.variant_id));
            PickLine {
                warehouse: warehouse_names
                    .get(&r.warehouse_id)
                    .cloned()
                    .unwrap_or_else(|| r.warehouse_id.to_string()),
                shelf: shelves.get(&(r.variant_id, r.warehouse_id)).cloned(),
                sku: line.map(|l| l.sku.clone()).unwrap_or_default(),
                name: line.map(|l| l.name.clone()).unwrap_or_default(),
                options: line.map(|l| l.options.clone()).unwrap_or_default(),
                quantity: r.quantity.max(0) as u32,
                order: order_number(r.order_id),
            }
        })
        .collect();
    let mut body = String::new();
    for (warehouse, lines) in pick_list(picks) {
        body.push_str(&format!(
            "<h2>{}</h2><table><thead><tr><th>✓</th><th>Ячейка / Shelf</th><th>SKU</th><th>Товар / Item</th><th>Кол-во / Qty</th><th>Заказы / Orders</th></tr></thead><tbody>",
            escape(&warehouse)
        ));
        for l in lines {
            body.push_str(&format!(
                "<tr data-testid=\"pick-line\"><td>☐</td><td>{}</td><td>{}</td><td>{} <small>{}</small></td><td class=\"num\">{}</td><td>{}</td></tr>",
                escape(l.shelf.as_deref().unwrap_or("—")),
                escape(&l.sku),
                escape(&l.name),
                escape(&l.options),
                l.quantity,
                escape(&l.order)
            ));
        }
        body.push_str("</tbody></table>");
    }
    if body.is_empty() {
        body.push_str("<p data-testid=\"pick-empty\">Нечего собирать / Nothing to pick.</p>");
    }
    if !skipped.is_empty() {
        let names: Vec<String> = skipped
            .iter()
            .map(|o| format!("{} ({})", order_number(o.id), escape(&o.status)))
            .collect();
        body.push_str(&format!(
            "<p data-testid=\"pick-skipped\">Не готовы к сборке / Not ready to pick: {}</p>",
            names.join(", ")
        ));
    }
    let numbers: Vec<String> = ready_ids.iter().map(|id| order_number(*id)).collect();
    Ok(crate::warehouse_docs::printable(
        "Лист сборки / Pick list",
        &format!(
            "<p>Заказы / Orders: <span data-testid=\"pick-orders\">{}</span></p>{body}",
            numbers.join(", ")
        ),
    ))
}
