//! The warehouse's work (WMS-1 … WMS-4): its order queue, stock with
//! shelves, receipts and adjustments through the ledger, and packing.
//! Order moves go through `order_admin::act`, so the state machine, the
//! timeline and the customer's messages are the same as everywhere else.
use super::accounts::AuthUser;
use super::admin::{record, Actor as AuditActor};
use super::entities::{
    delivery_methods, order_lines, orders, parcels, products, stock, stock_movements, users,
    variants, warehouses,
};
use super::text_match::contains_ignoring_case;
use super::{order_admin, stock_ledger, AppState};
use crate::api::warehouse::{
    MoveOutcome, MovementPage, MovementRow, PackOutcome, PackingView, StockMoveForm, StockPage,
    StockRow, WarehouseBoard, WarehouseOrder, WAREHOUSE_PAGE,
};
use crate::api::AppError;
use crate::domain::checkout::{order_id, order_number, OrderStatus, PaymentMethod};
use crate::domain::delivery::DeliveryKind;
use crate::domain::money::Lang;
use crate::domain::orders::{ActionInput, OrderAction};
use crate::domain::warehouse::{
    check_reason, check_shelf, parse_parcels, parse_quantity, MovementKind, PackItem, Packing,
    ShelfProblem,
};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use std::collections::HashMap;

/// Most orders each column of the warehouse queue shows, oldest first.
const QUEUE_MAX: u64 = 200;

/// The orders to pick, being picked and packed, oldest first.
pub async fn queue(db: &DatabaseConnection, lang: Lang) -> Result<WarehouseBoard, DbErr> {
    let list = |statuses: Vec<&'static str>| {
        orders::Entity::find()
            .filter(orders::Column::Status.is_in(statuses))
            .order_by_asc(orders::Column::Id)
            .limit(QUEUE_MAX)
            .all(db)
    };
    let ready: Vec<orders::Model> = list(vec![
        OrderStatus::Confirmed.as_str(),
        OrderStatus::Paid.as_str(),
    ])
    .await?
    .into_iter()
    // A confirmed prepaid order waits for its money (the state machine says so too).
    .filter(|o| {
        o.status == OrderStatus::Paid.as_str()
            || matches!(
                PaymentMethod::parse(&o.payment_method),
                Some(PaymentMethod::CashOnDelivery | PaymentMethod::CardOnDelivery)
            )
    })
    .collect();
    let picking = list(vec![OrderStatus::Picking.as_str()]).await?;
    let packed = list(vec![OrderStatus::Packed.as_str()]).await?;
    let mut views = describe(db, [ready, picking, packed].concat(), lang).await?;
    let take = |views: &mut Vec<WarehouseOrder>, status: &[OrderStatus]| {
        let (these, rest): (Vec<_>, Vec<_>) = std::mem::take(views)
            .into_iter()
            .partition(|o| status.iter().any(|s| s.as_str() == o.status));
        *views = rest;
        these
    };
    Ok(WarehouseBoard {
        to_pick: take(&mut views, &[OrderStatus::Confirmed, OrderStatus::Paid]),
        picking: take(&mut views, &[OrderStatus::Picking]),
        packed: take(&mut views, &[OrderStatus::Packed]),
    })
}

/// The warehouse's view of orders: units, weight, parcels and carrier.
async fn describe(
    db: &impl ConnectionTrait,
    found: Vec<orders::Model>,
    lang: Lang,
) -> Result<Vec<WarehouseOrder>, DbErr> {
    let ids: Vec<i64> = found.iter().map(|o| o.id).collect();
    let mut units: HashMap<i64, u32> = HashMap::new();
    for line in order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        *units.entry(line.order_id).or_default() += line.quantity.max(0) as u32;
    }
    let mut boxes: HashMap<i64, Vec<u32>> = HashMap::new();
    for parcel in parcels::Entity::find()
        .filter(parcels::Column::OrderId.is_in(ids.iter().copied()))
        .order_by_asc(parcels::Column::Seq)
        .all(db)
        .await?
    {
        boxes
            .entry(parcel.order_id)
            .or_default()
            .push(parcel.weight_grams.max(0) as u32);
    }
    let methods: HashMap<String, delivery_methods::Model> = delivery_methods::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code.clone(), m))
        .collect();
    Ok(found
        .into_iter()
        .map(|o| {
            let method = methods.get(&o.delivery_code);
            let status = OrderStatus::parse(&o.status).unwrap_or(OrderStatus::New);
            WarehouseOrder {
                number: order_number(o.id),
                created_at: o.created_at.format("%Y-%m-%d %H:%M").to_string(),
                status: o.status.clone(),
                status_label: status.label(lang).to_string(),
                delivery_code: o.delivery_code.clone(),
                delivery: method
                    .map(|m| match lang {
                        Lang::Ru => m.name_ru.clone(),
                        Lang::En => m.name_en.clone(),
                    })
                    .unwrap_or_else(|| o.delivery_code.clone()),
                units: units.get(&o.id).copied().unwrap_or(0),
                weight_grams: o.weight_grams.max(0) as u32,
                parcels: boxes.remove(&o.id).unwrap_or_default(),
                needs_tracking: method.is_some_and(|m| {
                    matches!(
                        DeliveryKind::parse(&m.kind),
                        Some(DeliveryKind::Courier | DeliveryKind::Post)
                    )
                }),
            }
        })
        .collect())
}

/// Stock per variant and warehouse, by SKU, barcode or product name.
pub async fn stock_page(
    db: &DatabaseConnection,
    search: &str,
    warehouse_id: Option<i64>,
    page: u64,
    lang: Lang,
) -> Result<StockPage, DbErr> {
    let all_warehouses = warehouses::Entity::find()
        .order_by_asc(warehouses::Column::Id)
        .all(db)
        .await?;
    let mut wanted = variants::Entity::find().order_by_asc(variants::Column::Sku);
    let search = search.trim();
    if !search.is_empty() {
        let pattern = format!("%{}%", search.replace(['%', '_'], ""));
        let backend = db.get_database_backend();
        let contains =
            |column: products::Column| contains_ignoring_case(backend, Expr::col(column), search);
        let by_name = products::Entity::find()
            .select_only()
            .column(products::Column::Id)
            .filter(
                Condition::any()
                    .add(contains(products::Column::NameRu))
                    .add(contains(products::Column::NameEn)),
            )
            .into_query();
        wanted = wanted.filter(
            Condition::any()
                .add(variants::Column::Sku.like(pattern.to_uppercase()))
                .add(variants::Column::Sku.like(pattern.clone()))
                .add(variants::Column::Barcode.eq(search))
                .add(variants::Column::ProductId.in_subquery(by_name)),
        );
    }
    let paginator = wanted.paginate(db, WAREHOUSE_PAGE);
    let pages = paginator.num_pages().await?;
    let found = paginator.fetch_page(page).await?;
    let names: HashMap<i64, String> = products::Entity::find()
        .filter(products::Column::Id.is_in(found.iter().map(|v| v.product_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| {
            let name = match lang {
                Lang::Ru => p.name_ru,
                Lang::En => p.name_en,
            };
            (p.id, name)
        })
        .collect();
    let balances: HashMap<(i64, i64), stock::Model> = stock::Entity::find()
        .filter(stock::Column::VariantId.is_in(found.iter().map(|v| v.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| ((s.variant_id, s.warehouse_id), s))
        .collect();
    let mut rows = Vec::new();
    for v in &found {
        for w in all_warehouses
            .iter()
            .filter(|w| warehouse_id.is_none_or(|id| id == w.id))
        {
            let s = balances.get(&(v.id, w.id));
            let on_hand = s.map_or(0, |s| s.on_hand);
            let available = s.map_or(0, |s| s.quantity);
            rows.push(StockRow {
                variant_id: v.id,
                sku: v.sku.clone(),
                barcode: v.barcode.clone(),
                name: names.get(&v.product_id).cloned().unwrap_or_default(),
                options: option_text(&v.options, lang),
                warehouse_id: w.id,
                warehouse: w.name.clone(),
                on_hand,
                reserved: on_hand - available,
                available,
                shelf: s.and_then(|s| s.shelf.clone()),
            });
        }
    }
    Ok(StockPage {
        rows,
        pages,
        warehouses: all_warehouses.into_iter().map(|w| (w.id, w.name)).collect(),
    })
}

fn option_text(options: &str, lang: Lang) -> String {
    serde_json::from_str::<Vec<crate::domain::catalog::OptionValue>>(options)
        .map(|values| {
            values
                .iter()
                .map(|o| o.value(lang).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// The ledger, newest first; `search` is a SKU or an order number.
pub async fn movements(
    db: &DatabaseConnection,
    search: &str,
    page: u64,
) -> Result<MovementPage, DbErr> {
    let mut query = stock_movements::Entity::find().order_by_desc(stock_movements::Column::Id);
    let search = search.trim();
    if !search.is_empty() {
        let by_sku = variants::Entity::find()
            .filter(
                Condition::any()
                    .add(variants::Column::Sku.eq(search))
                    .add(variants::Column::Sku.eq(search.to_uppercase()))
                    .add(variants::Column::Barcode.eq(search)),
            )
            .all(db)
            .await?;
        let mut condition = Condition::any()
            .add(stock_movements::Column::VariantId.is_in(by_sku.iter().map(|v| v.id)));
        if let Some(id) = order_id(search) {
            condition = condition.add(stock_movements::Column::OrderId.eq(id));
        }
        query = query.filter(condition);
    }
    let paginator = query.paginate(db, WAREHOUSE_PAGE);
    let pages = paginator.num_pages().await?;
    let found = paginator.fetch_page(page).await?;
    let skus: HashMap<i64, String> = variants::Entity::find()
        .filter(variants::Column::Id.is_in(found.iter().map(|m| m.variant_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.sku))
        .collect();
    let warehouse_names: HashMap<i64, String> = warehouses::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.name))
        .collect();
    let actors: HashMap<i64, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(found.iter().filter_map(|m| m.actor_user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    Ok(MovementPage {
        rows: found
            .into_iter()
            .map(|m| MovementRow {
                at: m.created_at.format("%Y-%m-%d %H:%M").to_string(),
                kind: MovementKind::parse(&m.kind).unwrap_or(MovementKind::Adjustment),
                sku: skus.get(&m.variant_id).cloned().unwrap_or_default(),
                warehouse: warehouse_names
                    .get(&m.warehouse_id)
                    .cloned()
                    .unwrap_or_default(),
                on_hand_delta: m.on_hand_delta,
                reserved_delta: m.reserved_delta,
                order: m.order_id.map(order_number),
                reason: m.reason,
                // No actor: the shop itself (a checkout, an unpaid order's timeout).
                actor: m
                    .actor_user_id
                    .and_then(|id| actors.get(&id).cloned())
                    .unwrap_or_default(),
            })
            .collect(),
        pages,
    })
}

/// The variant a SKU (any case) or barcode names.
async fn variant_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<variants::Model>, DbErr> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    variants::Entity::find()
        .filter(
            Condition::any()
                .add(variants::Column::Sku.eq(code))
                .add(variants::Column::Sku.eq(code.to_uppercase()))
                .add(variants::Column::Barcode.eq(code)),
        )
        .one(db)
        .await
}

/// A receipt or an adjustment (WMS-1): checked by the ledger's rules,
/// written with its ledger row and an audit entry, and the storefront's
/// stock follows at once.
pub async fn move_stock(
    state: &AppState,
    staff: &AuthUser,
    form: &StockMoveForm,
    lang: Lang,
) -> Result<MoveOutcome, AppError> {
    use crate::domain::warehouse::StockProblem;
    let kind = if form.adjustment {
        MovementKind::Adjustment
    } else {
        MovementKind::Receipt
    };
    let quantity = match parse_quantity(&form.quantity) {
        Ok(q) => q,
        Err(problem) => return Ok(MoveOutcome::Refused(problem)),
    };
    let reason = match check_reason(kind, &form.reason) {
        Ok(r) => r,
        Err(problem) => return Ok(MoveOutcome::Refused(problem)),
    };
    let txn = super::begin_write(&state.db).await?;
    let Some(variant) = variant_by_code(&txn, &form.code).await? else {
        return Ok(MoveOutcome::Refused(StockProblem::UnknownSku));
    };
    if warehouses::Entity::find_by_id(form.warehouse_id)
        .one(&txn)
        .await?
        .is_none()
    {
        return Ok(MoveOutcome::Refused(StockProblem::UnknownWarehouse));
    }
    let why = stock_ledger::Why {
        order_id: None,
        reason: &reason,
        actor: Some(staff.id),
        at: Utc::now(),
    };
    let after = match stock_ledger::apply(&txn, variant.id, form.warehouse_id, kind, quantity, why)
        .await?
    {
        Ok(after) => after,
        Err(problem) => return Ok(MoveOutcome::Refused(problem)),
    };
    record(
        &txn,
        AuditActor::User(staff),
        &format!("stock.{}", kind.as_str()),
        "variant",
        &variant.sku,
        None,
        Some(serde_json::json!({
            "warehouse": form.warehouse_id, "quantity": quantity, "reason": reason,
            "on_hand": after.on_hand, "available": after.available(),
        })),
    )
    .await?;
    txn.commit().await?;
    state
        .catalog
        .stock_changed(&state.db, Some(&[variant.id]))
        .await?;
    let page = stock_page(&state.db, &variant.sku, Some(form.warehouse_id), 0, lang).await?;
    page.rows
        .into_iter()
        .find(|r| r.variant_id == variant.id)
        .map(MoveOutcome::Done)
        .ok_or(AppError::NotFound)
}

/// Records where a variant lies in a warehouse.
pub async fn set_shelf(
    db: &DatabaseConnection,
    staff: &AuthUser,
    variant_id: i64,
    warehouse_id: i64,
    text: &str,
) -> Result<Result<Option<String>, ShelfProblem>, AppError> {
    let shelf = match check_shelf(text) {
        Ok(shelf) => shelf,
        Err(problem) => return Ok(Err(problem)),
    };
    let txn = super::begin_write(db).await?;
    let (Some(_), Some(_)) = (
        variants::Entity::find_by_id(variant_id).one(&txn).await?,
        warehouses::Entity::find_by_id(warehouse_id)
            .one(&txn)
            .await?,
    ) else {
        return Err(AppError::NotFound);
    };
    // A shelf may be assigned before the first receipt: the row starts empty.
    stock::Entity::insert(stock::ActiveModel {
        variant_id: sea_orm::Set(variant_id),
        warehouse_id: sea_orm::Set(warehouse_id),
        quantity: sea_orm::Set(0),
        on_hand: sea_orm::Set(0),
        shelf: sea_orm::Set(None),
    })
    .on_conflict_do_nothing_on([stock::Column::VariantId, stock::Column::WarehouseId])
    .exec(&txn)
    .await?;
    stock::Entity::update_many()
        .col_expr(stock::Column::Shelf, Expr::value(shelf.clone()))
        .filter(stock::Column::VariantId.eq(variant_id))
        .filter(stock::Column::WarehouseId.eq(warehouse_id))
        .exec(&txn)
        .await?;
    record(
        &txn,
        AuditActor::User(staff),
        "stock.shelf",
        "variant",
        &variant_id.to_string(),
        None,
        Some(serde_json::json!({ "warehouse": warehouse_id, "shelf": shelf })),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(shelf))
}

/// The order's items as the packer checks them, with their barcodes.
async fn pack_items(db: &impl ConnectionTrait, id: i64) -> Result<Vec<PackItem>, DbErr> {
    let lines = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(id))
        .order_by_asc(order_lines::Column::Id)
        .all(db)
        .await?;
    let barcodes: HashMap<i64, Option<String>> = variants::Entity::find()
        .filter(variants::Column::Id.is_in(lines.iter().map(|l| l.variant_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.barcode))
        .collect();
    Ok(lines
        .into_iter()
        .map(|l| PackItem {
            barcode: barcodes.get(&l.variant_id).cloned().flatten(),
            name: if l.options.is_empty() {
                l.name
            } else {
                format!("{} ({})", l.name, l.options)
            },
            sku: l.sku,
            quantity: l.quantity.max(0) as u32,
        })
        .collect())
}

pub async fn packing(
    db: &DatabaseConnection,
    number: &str,
    lang: Lang,
) -> Result<Option<PackingView>, DbErr> {
    let Some(id) = order_id(number) else {
        return Ok(None);
    };
    let Some(order) = orders::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let items = pack_items(db, id).await?;
    let order = describe(db, vec![order], lang).await?.remove(0);
    Ok(Some(PackingView { order, items }))
}

/// Packs an order (WMS-3): the scans must name exactly the order's units,
/// the parcels must be weighed, and then the state machine moves it.
pub async fn pack(
    state: &AppState,
    staff: &AuthUser,
    number: &str,
    scans: &[String],
    weights_kg: &[String],
) -> Result<PackOutcome, AppError> {
    let id = order_id(number).ok_or(AppError::NotFound)?;
    let items = pack_items(&state.db, id).await?;
    if items.is_empty() {
        return Err(AppError::NotFound);
    }
    if let Err(problem) = Packing::replay(items, scans) {
        return Ok(PackOutcome::BadScan(problem));
    }
    let weights = match parse_parcels(weights_kg) {
        Ok(w) => w,
        Err(problem) => return Ok(PackOutcome::BadParcels(problem)),
    };
    let input = ActionInput {
        reason: format!("{} parcel(s)", weights.len()),
        parcels: weights,
        ..Default::default()
    };
    Ok(
        match order_admin::act(state, staff, number, OrderAction::Pack, &input).await? {
            Ok(_) => PackOutcome::Packed,
            Err(refused) => PackOutcome::Refused(refused),
        },
    )
}
