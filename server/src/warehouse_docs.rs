//! Print-ready warehouse papers (WMS-3, WMS-4): the shipping label and
//! packing slip of a packed order (`/admin/packing-slip/100001`), and the
//! handover manifest per carrier (`/admin/manifest?orders=100001,100002`)
//! for the driver to sign. Warehouse staff, managers and admins.
use crate::documents::escape;
use app::domain::accounts::Permission;
use app::domain::catalog::from_minor;
use app::domain::checkout::{order_id, order_number, PaymentMethod};
use app::domain::warehouse::kilograms;
use app::server::entities::{order_lines, orders, parcels};
use app::server::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

/// Most orders one manifest or pick list takes.
const MAX_ORDERS: usize = 200;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/admin/packing-slip/{number}", get(slip))
        .route("/admin/manifest", get(manifest))
        .with_state(state)
}

/// A page made to be printed: plain styles, a print button the printout leaves out.
pub fn printable(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta name=\"robots\" content=\"noindex\">\
         <style>body{{font:14px/1.4 system-ui,sans-serif;margin:2rem}}table{{border-collapse:collapse;width:100%;margin-bottom:1.5rem}}\
         th,td{{border:1px solid #999;padding:.3rem .5rem;text-align:left}}.num{{text-align:right}}\
         .label{{border:2px solid #000;padding:1rem;margin-bottom:1.5rem;max-width:32rem;break-inside:avoid}}\
         .big{{font:700 1.6rem/1.2 monospace;letter-spacing:.05em}}\
         @media print{{body{{margin:0}}button{{display:none}}.label{{break-after:page}}}}</style></head>\
         <body><h1>{title}</h1><button onclick=\"window.print()\">Печать / Print</button>{body}</body></html>",
        title = escape(title),
    )
}

/// A rendered page, "no such order", or a logged server error.
pub fn respond(html: Result<Option<String>, sea_orm::DbErr>) -> Response {
    match html {
        Ok(Some(html)) => {
            ([(header::CACHE_CONTROL, "private, no-store")], Html(html)).into_response()
        }
        Ok(None) => (StatusCode::NOT_FOUND, "no such order").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "warehouse document");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// To be collected at the door, for cash or card on delivery; else nothing.
fn to_collect(order: &orders::Model) -> String {
    let on_delivery = matches!(
        PaymentMethod::parse(&order.payment_method),
        Some(PaymentMethod::CashOnDelivery | PaymentMethod::CardOnDelivery)
    );
    if on_delivery && order.payment_status != "paid" {
        format!("{} ₽", from_minor(order.total_minor))
    } else {
        "0".into()
    }
}

async fn slip(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Response {
    let digits: String = number.chars().filter(|c| c.is_ascii_digit()).collect();
    let back_to = format!("/admin/packing-slip/{digits}");
    if let Err(response) =
        crate::staff::allowed(&state, &headers, Permission::RunWarehouse, &back_to).await
    {
        return response;
    }
    respond(render_slip(&state, &digits).await)
}

async fn render_slip(state: &AppState, number: &str) -> Result<Option<String>, sea_orm::DbErr> {
    let Some(id) = order_id(number) else {
        return Ok(None);
    };
    let Some(order) = orders::Entity::find_by_id(id).one(&state.db).await? else {
        return Ok(None);
    };
    let boxes = parcels::Entity::find()
        .filter(parcels::Column::OrderId.eq(id))
        .order_by_asc(parcels::Column::Seq)
        .all(&state.db)
        .await?;
    let lines = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(id))
        .order_by_asc(order_lines::Column::Id)
        .all(&state.db)
        .await?;
    let number = order_number(id);
    let mut body = String::new();
    let count = boxes.len().max(1);
    for (i, parcel) in boxes.iter().enumerate() {
        body.push_str(&format!(
            "<div class=\"label\" data-testid=\"label\">\
             <p>Кому / To: <strong>{name}</strong>, {phone}</p>\
             <p>{address}</p>\
             <p>{delivery}</p>\
             <p class=\"big\" data-testid=\"label-number\">{number} · {seq}/{count}</p>\
             <p>Вес / Weight: {weight} kg · Наложенный платёж / Collect: {collect}</p>\
             <p>Трек / Tracking: {tracking}</p></div>",
            name = escape(&order.name),
            phone = escape(&order.phone),
            address = escape(&order.delivery_address),
            delivery = escape(&order.delivery_name),
            seq = i + 1,
            weight = kilograms(parcel.weight_grams.max(0) as u32),
            collect = to_collect(&order),
            tracking = escape(parcel.tracking_number.as_deref().unwrap_or("—")),
        ));
    }
    if boxes.is_empty() {
        body.push_str("<p data-testid=\"label-missing\">Заказ ещё не упакован / The order is not packed yet.</p>");
    }
    body.push_str(
        "<h2>Упаковочный лист / Packing slip</h2><table><thead><tr><th>✓</th><th>SKU</th>\
         <th>Товар / Item</th><th>Кол-во / Qty</th></tr></thead><tbody>",
    );
    for l in &lines {
        body.push_str(&format!(
            "<tr data-testid=\"slip-line\"><td>☐</td><td>{}</td><td>{} <small>{}</small></td><td class=\"num\">{}</td></tr>",
            escape(&l.sku),
            escape(&l.name),
            escape(&l.options),
            l.quantity
        ));
    }
    body.push_str("</tbody></table>");
    if order.try_on {
        body.push_str("<p><strong>Примерка / Try-on at the door</strong></p>");
    }
    Ok(Some(printable(&format!("Заказ / Order {number}"), &body)))
}

/// The `?orders=100001,100002` of a printable page for chosen orders.
#[derive(serde::Deserialize)]
pub struct Wanted {
    #[serde(default)]
    orders: String,
}

/// The orders a printable warehouse page at `path` asks for, once the
/// staff member may see it; otherwise the login redirect or 403 to send.
pub async fn wanted_orders(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    wanted: &Wanted,
) -> Result<Vec<i64>, Response> {
    // Only the digits and commas go back into the login redirect's address.
    let numbers: String = wanted
        .orders
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == ',')
        .collect();
    let back_to = format!("{path}?orders={numbers}");
    crate::staff::allowed(state, headers, Permission::RunWarehouse, &back_to).await?;
    Ok(numbers
        .split(',')
        .filter_map(order_id)
        .take(MAX_ORDERS)
        .collect())
}

async fn manifest(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(wanted): Query<Wanted>,
) -> Response {
    match wanted_orders(&state, &headers, "/admin/manifest", &wanted).await {
        Ok(ids) => respond(render_manifest(&state, &ids).await.map(Some)),
        Err(response) => response,
    }
}

async fn render_manifest(state: &AppState, ids: &[i64]) -> Result<String, sea_orm::DbErr> {
    let found = orders::Entity::find()
        .filter(orders::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(orders::Column::Id)
        .all(&state.db)
        .await?;
    let mut boxes: BTreeMap<i64, Vec<parcels::Model>> = BTreeMap::new();
    for p in parcels::Entity::find()
        .filter(parcels::Column::OrderId.is_in(ids.iter().copied()))
        .order_by_asc(parcels::Column::Seq)
        .all(&state.db)
        .await?
    {
        boxes.entry(p.order_id).or_default().push(p);
    }
    // One manifest per carrier, each signed on its own.
    let mut by_carrier: BTreeMap<String, Vec<&orders::Model>> = BTreeMap::new();
    for o in &found {
        by_carrier
            .entry(o.delivery_name.clone())
            .or_default()
            .push(o);
    }
    let today = chrono::Utc::now().date_naive();
    let mut body = String::new();
    for (carrier, orders) in by_carrier {
        let mut parcels_total = 0;
        let mut grams_total = 0;
        let mut rows = String::new();
        for o in &orders {
            let own = boxes.get(&o.id).map(Vec::as_slice).unwrap_or_default();
            parcels_total += own.len();
            let grams: i32 = own.iter().map(|p| p.weight_grams).sum();
            grams_total += grams;
            let tracking: Vec<String> = own
                .iter()
                .map(|p| escape(p.tracking_number.as_deref().unwrap_or("—")))
                .collect();
            rows.push_str(&format!(
                "<tr data-testid=\"manifest-row\"><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td data-testid=\"manifest-tracking\">{}</td><td class=\"num\">{}</td></tr>",
                order_number(o.id),
                escape(&o.delivery_address),
                own.len(),
                kilograms(grams.max(0) as u32),
                tracking.join(", "),
                to_collect(o),
            ));
        }
        body.push_str(&format!(
            "<section data-testid=\"manifest\"><h2>{carrier} · {today}</h2><table><thead><tr>\
             <th>Заказ / Order</th><th>Адрес / Address</th><th>Мест / Parcels</th><th>Вес / Weight, kg</th>\
             <th>Трек / Tracking</th><th>Наложенный платёж / Collect</th></tr></thead><tbody>{rows}</tbody>\
             <tfoot><tr><th colspan=\"2\">Итого / Total: {count}</th><th class=\"num\" data-testid=\"manifest-parcels\">{parcels_total}</th>\
             <th class=\"num\">{weight}</th><th colspan=\"2\"></th></tr></tfoot></table>\
             <p>Сдал / Handed over: ____________ &nbsp; Принял / Received by the carrier: ____________</p></section>",
            carrier = escape(&carrier),
            count = orders.len(),
            weight = kilograms(grams_total.max(0) as u32),
        ));
    }
    if body.is_empty() {
        body.push_str("<p>Нет заказов / No orders.</p>");
    }
    Ok(printable("Акт передачи / Handover manifest", &body))
}
