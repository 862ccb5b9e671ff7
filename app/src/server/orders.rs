//! Placing orders (CHK-4) and reading them back (CHK-5, LOG-2).
//!
//! One transaction re-prices the cart from the database, checks the promo
//! code, reserves stock and writes the order. It never oversells:
//! - each stock row is decremented with `quantity >= n` in the `WHERE`, and
//!   the row count is checked;
//! - on PostgreSQL the rows are read `FOR UPDATE`, in variant order, so two
//!   checkouts of the same goods queue instead of deadlocking;
//! - on SQLite the transaction starts `IMMEDIATE`, so checkouts take the
//!   write lock in turn (waiting up to the busy timeout) instead of failing
//!   with `SQLITE_BUSY` halfway.
//!
//! It is idempotent: the browser sends a key made when checkout opened; the
//! same key with the same request returns the first order, with another
//! request it is refused.
use super::accounts::{new_session_token, AuthUser};
use super::catalog::Snapshot;
use super::entities::{
    customer_addresses, customers as customer_records, delivery_methods, order_events, order_lines,
    orders, payments, pickup_points, stock, stock_reservations,
};
use super::{cart, customers, delivery, notifications, promotions, stock_ledger, AppState};
use crate::api::cart::CartView;
use crate::api::checkout::{
    OrderEventView, OrderLineView, OrderSummary, OrderView, PickupPointView, PlaceOutcome,
    SavedAddress, TrackingView,
};
use crate::api::AppError;
use crate::domain::cart::{CartChoices, StoredCart};
use crate::domain::catalog::{from_minor, to_minor};
use crate::domain::checkout::{
    event_label, order_id, order_number, validate, CheckoutForm, CheckoutProblem, OrderStatus,
    PaymentMethod, ValidCheckout,
};
use crate::domain::delivery::{tracking_link, DeliveryMethod, Destination, Unavailable};
use crate::domain::money::Lang;
use crate::domain::notifications::NotificationEvent;
use crate::domain::pricing::instalment_plans;
use crate::domain::warehouse::MovementKind;
use chrono::Utc;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Tries of one checkout when PostgreSQL reports a serialization failure or
/// a deadlock.
const TRIES: usize = 3;

/// Everything the browser sends with "Place order".
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    pub key: String,
    pub cart: StoredCart,
    pub choices: CartChoices,
    pub form: CheckoutForm,
    pub lang: Lang,
}

impl Request {
    /// What the key stands for: the same key must come with the same request.
    fn hash(&self) -> String {
        let lines: Vec<(i64, u32)> = self
            .cart
            .lines
            .iter()
            .map(|l| (l.variant_id, l.quantity))
            .collect();
        let what = serde_json::json!([lines, self.choices.promo_code, self.form]);
        Sha256::digest(what.to_string().as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn valid_key(key: &str) -> bool {
    (16..=100).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Why a try did not place an order.
enum Stop {
    Outcome(PlaceOutcome),
    Db(DbErr),
}

impl From<DbErr> for Stop {
    fn from(e: DbErr) -> Self {
        Stop::Db(e)
    }
}

fn retryable(err: &DbErr) -> bool {
    let text = err.to_string();
    text.contains("40001") || text.contains("40P01") || text.contains("deadlock")
}

fn is_unique_violation(err: &DbErr) -> bool {
    let text = err.to_string().to_lowercase();
    text.contains("unique") || text.contains("duplicate key")
}

/// Where an order comes from: the shop's site, or an operator on the phone
/// (ORD-4) for a customer already in the CRM or a new one, possibly
/// answering a callback request.
#[derive(Debug, Clone, Copy, Default)]
pub struct Origin<'a> {
    /// Set for a phone order: who typed it in.
    pub operator: Option<&'a AuthUser>,
    /// The CRM record the operator chose; `None`: matched by phone.
    pub customer_id: Option<i64>,
    pub callback_id: Option<i64>,
}

impl Origin<'_> {
    fn channel(&self) -> &'static str {
        if self.operator.is_some() {
            "phone"
        } else {
            "site"
        }
    }
}

/// A shopper's order from the site.
pub async fn place(
    state: &AppState,
    snapshot: &Snapshot,
    user: Option<&AuthUser>,
    request: &Request,
) -> Result<PlaceOutcome, AppError> {
    place_from(state, snapshot, user, request, Origin::default()).await
}

/// An order an operator takes by phone, through the same pricing, stock and
/// delivery rules as the site's checkout.
pub async fn place_by_phone(
    state: &AppState,
    snapshot: &Snapshot,
    origin: Origin<'_>,
    request: &Request,
) -> Result<PlaceOutcome, AppError> {
    place_from(state, snapshot, None, request, origin).await
}

async fn place_from(
    state: &AppState,
    snapshot: &Snapshot,
    user: Option<&AuthUser>,
    request: &Request,
    origin: Origin<'_>,
) -> Result<PlaceOutcome, AppError> {
    if !valid_key(&request.key) {
        return Err(AppError::StaleCheckout);
    }
    let hash = request.hash();
    let outcome = place_new(state, snapshot, user, request, origin, &hash).await?;
    if matches!(outcome, PlaceOutcome::Placed { .. }) {
        return Ok(outcome);
    }
    // Not placed now: a request repeated after its order was placed (a
    // second click, a retry after a lost answer) gets that order back. The
    // key is looked up only here, sparing each new order a read; a repeat
    // that reaches the insert meets the key's unique index instead.
    match by_key(&state.db, &request.key).await? {
        Some(existing) => replay(existing, &hash),
        None => Ok(outcome),
    }
}

async fn place_new(
    state: &AppState,
    snapshot: &Snapshot,
    user: Option<&AuthUser>,
    request: &Request,
    origin: Origin<'_>,
    hash: &str,
) -> Result<PlaceOutcome, AppError> {
    let methods = delivery::offered(state, request.lang).await?;
    let method = methods.iter().find(|m| m.code == request.form.delivery);
    let valid = match validate(&request.form, method.map(|m| m.kind)) {
        Ok(v) => v,
        Err(problems) => return Ok(PlaceOutcome::Problems(problems)),
    };
    let method = method.expect("validated above").clone();
    let pickup = match valid.pickup_point {
        Some(id) => match pickup_point(&state.db, id, &method.code).await? {
            Some(point) => Some(point),
            None => {
                return Ok(PlaceOutcome::Problems(vec![
                    CheckoutProblem::PickupPointRequired,
                ]))
            }
        },
        None => None,
    };
    // A phone order for a CRM record with an account is that account's order.
    let chosen = match origin.customer_id {
        Some(id) => Some(
            customer_records::Entity::find_by_id(id)
                .one(&state.db)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let user_id = user
        .map(|u| u.id)
        .or_else(|| chosen.as_ref().and_then(|c| c.user_id));
    let customer = match user_id {
        Some(id) => format!("user:{id}"),
        None => format!("phone:{}", valid.phone),
    };
    // The zone comes from where the parcel really goes: the pickup point's
    // city, or the typed address.
    let destination = match &pickup {
        Some(point) => Destination {
            city: point.city.clone(),
            postcode: String::new(),
        },
        None => Destination {
            city: request.form.city.trim().to_string(),
            postcode: request.form.postcode.trim().to_string(),
        },
    };
    let city = destination.city.clone();
    let choices = CartChoices {
        delivery: Some(method.code.clone()),
        destination: Some(destination),
        ..request.choices.clone()
    };
    let order = NewOrder {
        request,
        hash,
        user_id,
        customer: &customer,
        origin: &origin,
        choices: &choices,
        valid: &valid,
        delivery_methods: &methods,
        delivery_name: &method.name,
        valid_try_on: request.form.try_on && method.try_on,
        address: match &pickup {
            Some(p) => pickup_address(p),
            None => valid.address.clone(),
        },
        city,
        street: match &pickup {
            Some(_) => String::new(),
            None => request.form.address.trim().to_string(),
        },
        postcode: match &pickup {
            Some(_) => String::new(),
            None => request.form.postcode.trim().to_string(),
        },
    };
    let mut tries = 0;
    let placed = loop {
        tries += 1;
        match try_place(state, snapshot, &order).await {
            Ok(placed) => break placed,
            Err(Stop::Outcome(outcome)) => return Ok(outcome),
            Err(Stop::Db(e)) if retryable(&e) && tries < TRIES => continue,
            Err(Stop::Db(e)) if is_unique_violation(&e) => {
                // Another click with the same key won the race.
                if let Some(existing) = by_key(&state.db, &request.key).await? {
                    return replay(existing, hash);
                }
                return Err(e.into());
            }
            Err(Stop::Db(e)) => return Err(e.into()),
        }
    };
    let variants: Vec<i64> = request.cart.lines.iter().map(|l| l.variant_id).collect();
    match placed.stock_left {
        Some(rows) => {
            state
                .catalog
                .stock_known(&state.db, &variants, rows)
                .await?
        }
        None => {
            state
                .catalog
                .stock_changed(&state.db, Some(&variants))
                .await?
        }
    }
    if let Some(u) = user {
        // The cart became the order; the account's copy empties too.
        cart::save_account_cart(&state.db, u.id, &StoredCart::default()).await?;
    }
    Ok(placed.outcome)
}

fn phone_order_note(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "Заказ принят по телефону",
        Lang::En => "Taken by phone",
    }
}

fn replay(existing: orders::Model, hash: &str) -> Result<PlaceOutcome, AppError> {
    if existing.request_hash == hash {
        Ok(PlaceOutcome::Placed {
            number: order_number(existing.id),
            token: existing.token,
        })
    } else {
        Err(AppError::StaleCheckout)
    }
}

struct NewOrder<'a> {
    request: &'a Request,
    origin: &'a Origin<'a>,
    hash: &'a str,
    user_id: Option<i64>,
    customer: &'a str,
    choices: &'a CartChoices,
    valid: &'a ValidCheckout,
    /// On offer, taken from the instance's cache before the transaction.
    delivery_methods: &'a [DeliveryMethod],
    delivery_name: &'a str,
    /// Asked for, and the method offers it.
    valid_try_on: bool,
    address: String,
    /// Where the goods go, for the customer record and later edits.
    city: String,
    /// Empty for a pickup point.
    street: String,
    postcode: String,
}

/// A placed order, and its variants' stock rows with units left at commit
/// (`None`: to be read again).
struct Placed {
    outcome: PlaceOutcome,
    stock_left: Option<Vec<stock::Model>>,
}

async fn try_place(
    state: &AppState,
    snapshot: &Snapshot,
    order: &NewOrder<'_>,
) -> Result<Placed, Stop> {
    let txn = super::begin_write(&state.db).await?;
    let now = Utc::now();
    let view: CartView = cart::view_with_methods(
        &txn,
        snapshot,
        &order.request.cart,
        order.choices,
        Some(order.customer),
        now,
        order.request.lang,
        order.delivery_methods.to_vec(),
    )
    .await?;
    // Corrections first: a cart whose last line just sold out is "sold
    // out", not "empty".
    if !view.notices.is_empty() {
        return Err(Stop::Outcome(PlaceOutcome::CartChanged(Box::new(view))));
    }
    if view.lines.is_empty() {
        return Err(Stop::Outcome(PlaceOutcome::EmptyCart));
    }
    if let Some(problem) = view.promo.as_ref().and_then(|p| p.problem.clone()) {
        return Err(Stop::Outcome(PlaceOutcome::Promo(problem)));
    }
    // Credit: the bank must offer the chosen plan for this total (CHK-3).
    if order.valid.payment == PaymentMethod::Credit {
        let plan_ok = order
            .request
            .choices
            .instalment_months
            .is_some_and(|months| {
                instalment_plans()
                    .iter()
                    .any(|p| p.months == months && view.totals.total >= p.min_total)
            });
        if !plan_ok {
            return Err(Stop::Outcome(PlaceOutcome::Problems(vec![
                CheckoutProblem::PlanRequired,
            ])));
        }
    }
    let delivery = view
        .delivery
        .iter()
        .find(|q| Some(&q.code) == view.chosen_delivery.as_ref())
        .ok_or_else(|| Stop::Db(DbErr::Custom("the chosen delivery has no quote".into())))?;
    if let Some(why) = delivery.unavailable {
        return Err(Stop::Outcome(PlaceOutcome::Problems(vec![match why {
            Unavailable::NotToThisAddress => CheckoutProblem::NotDeliveredHere,
            Unavailable::TooHeavy => CheckoutProblem::TooHeavyForDelivery,
        }])));
    }
    let weight_grams: u32 = view
        .lines
        .iter()
        .map(|l| l.weight_g.saturating_mul(l.quantity))
        .fold(0, u32::saturating_add);

    let (token, _) = new_session_token();
    let company = order.valid.company.as_ref();
    let minor = |amount: Decimal| to_minor(amount).unwrap_or(0);
    let discounts: Vec<(String, Decimal)> = view
        .totals
        .discounts
        .iter()
        .map(|d| (d.name.clone(), d.amount))
        .collect();
    let buyer = customers::Buyer {
        user_id: order.user_id,
        name: &order.valid.name,
        phone: &order.valid.phone,
        email: &order.valid.email,
        city: &order.city,
    };
    let customer_id = match order.origin.customer_id {
        Some(id) => customers::touch(&txn, id, &buyer, now).await?,
        None => customers::link(&txn, &buyer, now).await?,
    };
    let saved = orders::ActiveModel {
        token: Set(token.clone()),
        customer_id: Set(Some(customer_id)),
        channel: Set(order.origin.channel().into()),
        delivery_city: Set(order.city.clone()),
        delivery_street: Set(order.street.clone()),
        delivery_postcode: Set(order.postcode.clone()),
        idempotency_key: Set(order.request.key.clone()),
        request_hash: Set(order.hash.to_string()),
        user_id: Set(order.user_id),
        status: Set(OrderStatus::New.as_str().into()),
        payment_method: Set(order.valid.payment.as_str().into()),
        payment_status: Set("unpaid".into()),
        name: Set(order.valid.name.clone()),
        phone: Set(order.valid.phone.clone()),
        email: Set(order.valid.email.clone()),
        delivery_code: Set(order.valid.delivery.clone()),
        delivery_name: Set(order.delivery_name.to_string()),
        delivery_address: Set(order.address.clone()),
        pickup_point_id: Set(order.valid.pickup_point),
        delivery_date: Set(delivery.earliest),
        delivery_minor: Set(minor(view.totals.delivery.unwrap_or_default())),
        goods_minor: Set(minor(view.totals.subtotal)),
        discount_minor: Set(minor(view.totals.discount_total)),
        total_minor: Set(minor(view.totals.total)),
        discounts: Set(serde_json::to_string(&discounts).unwrap_or_else(|_| "[]".into())),
        promo_code: Set(view.promo.as_ref().map(|p| p.code.clone())),
        instalment_months: Set(order.request.choices.instalment_months.map(|m| m as i32)),
        comment: Set(order.valid.comment.clone()),
        company_name: Set(company.map(|c| c.name.clone()).unwrap_or_default()),
        company_inn: Set(company.map(|c| c.inn.clone()).unwrap_or_default()),
        company_kpp: Set(company.map(|c| c.kpp.clone()).unwrap_or_default()),
        try_on: Set(order.valid_try_on),
        weight_grams: Set(i32::try_from(weight_grams).unwrap_or(i32::MAX)),
        lang: Set(match order.request.lang {
            Lang::Ru => "ru".into(),
            Lang::En => "en".into(),
        }),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;

    let mut sold_out = Vec::new();
    let mut stock_left = Some(Vec::new());
    let mut lines: Vec<_> = view.lines.iter().collect();
    lines.sort_by_key(|l| l.variant_id);
    for line in lines {
        let backorder = line.backorder_days.is_some();
        let Taken { short, left } = reserve(
            &txn,
            saved.id,
            line.variant_id,
            line.quantity,
            &snapshot.dispatch_days,
            stock_ledger::Why {
                order_id: Some(saved.id),
                reason: "",
                actor: None,
                at: now,
            },
        )
        .await?;
        match (stock_left.as_mut(), left) {
            (Some(all), Some(rows)) => all.extend(rows),
            _ => stock_left = None,
        }
        if short > 0 && !backorder {
            sold_out.push(line.name.clone());
        }
        let sku = snapshot
            .variant(line.variant_id)
            .map(|(_, v)| v.sku.clone())
            .unwrap_or_default();
        order_lines::ActiveModel {
            order_id: Set(saved.id),
            variant_id: Set(line.variant_id),
            product_id: Set(line.product_id),
            sku: Set(sku),
            name: Set(line.name.clone()),
            options: Set(line.options.clone()),
            unit_price_minor: Set(minor(line.unit_price)),
            quantity: Set(line.quantity as i32),
            backordered_quantity: Set(if backorder { short as i32 } else { 0 }),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    if !sold_out.is_empty() {
        txn.rollback().await?;
        return Err(Stop::Outcome(PlaceOutcome::OutOfStock(sold_out)));
    }
    if let Some(user_id) = order.user_id.filter(|_| order.valid.pickup_point.is_none()) {
        let form = &order.request.form;
        remember_address(&txn, user_id, form, now).await?;
    }
    for discount in &view.discount_rules {
        if let Some(id) = discount.promotion {
            promotions::record_redemption(&txn, id, order.customer, Some(saved.id)).await?;
        }
    }
    order_events::ActiveModel {
        order_id: Set(saved.id),
        status: Set(OrderStatus::New.as_str().into()),
        actor_user_id: Set(order.origin.operator.map(|o| o.id)),
        note: Set(match order.origin.operator {
            Some(_) => phone_order_note(order.request.lang).into(),
            None => String::new(),
        }),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let (Some(callback), Some(operator)) = (order.origin.callback_id, order.origin.operator) {
        super::callbacks::ended_in_order(&txn, callback, operator, saved.id, now).await?;
    }
    notifications::enqueue(&txn, state, NotificationEvent::OrderPlaced, &saved, now).await?;
    txn.commit().await?;
    Ok(Placed {
        outcome: PlaceOutcome::Placed {
            number: order_number(saved.id),
            token,
        },
        stock_left,
    })
}

/// Saved addresses offered at checkout, at most this many.
const SAVED_ADDRESSES: u64 = 5;

/// Keeps the address a signed-in customer ordered to, for the next checkout.
async fn remember_address(
    txn: &impl ConnectionTrait,
    user_id: i64,
    form: &CheckoutForm,
    now: chrono::DateTime<Utc>,
) -> Result<(), DbErr> {
    let (city, address, postcode) = (form.city.trim(), form.address.trim(), form.postcode.trim());
    let known = customer_addresses::Entity::find()
        .filter(customer_addresses::Column::UserId.eq(user_id))
        .filter(customer_addresses::Column::City.eq(city))
        .filter(customer_addresses::Column::Address.eq(address))
        .filter(customer_addresses::Column::Postcode.eq(postcode))
        .one(txn)
        .await?;
    match known {
        Some(row) => {
            let mut row: customer_addresses::ActiveModel = row.into();
            row.last_used_at = Set(now);
            row.update(txn).await?;
        }
        None => {
            customer_addresses::ActiveModel {
                user_id: Set(user_id),
                city: Set(city.to_string()),
                address: Set(address.to_string()),
                postcode: Set(postcode.to_string()),
                last_used_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

pub async fn saved_addresses(
    db: &DatabaseConnection,
    user_id: i64,
) -> Result<Vec<SavedAddress>, DbErr> {
    Ok(customer_addresses::Entity::find()
        .filter(customer_addresses::Column::UserId.eq(user_id))
        .order_by_desc(customer_addresses::Column::LastUsedAt)
        .limit(SAVED_ADDRESSES)
        .all(db)
        .await?
        .into_iter()
        .map(|a| SavedAddress {
            id: a.id,
            city: a.city,
            address: a.address,
            postcode: a.postcode,
        })
        .collect())
}

pub async fn forget_address(
    db: &DatabaseConnection,
    user_id: i64,
    id: i64,
) -> Result<(), AppError> {
    let deleted = customer_addresses::Entity::delete_many()
        .filter(customer_addresses::Column::Id.eq(id))
        .filter(customer_addresses::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// What [`reserve`] took.
pub(crate) struct Taken {
    /// Units no warehouse had.
    pub short: u32,
    /// The variant's stock rows with units left after the take: exact until
    /// the transaction ends, since they were read under lock. `None` when a
    /// row changed between the read and the write.
    pub left: Option<Vec<stock::Model>>,
}

/// Takes `quantity` of a variant from the warehouses that have it, nearest
/// to the dispatch point first (as the quoted delivery date assumes), then
/// fullest.
pub(crate) async fn reserve(
    txn: &impl ConnectionTrait,
    order_id: i64,
    variant_id: i64,
    quantity: u32,
    dispatch_days: &std::collections::HashMap<i64, u32>,
    why: stock_ledger::Why<'_>,
) -> Result<Taken, DbErr> {
    let mut rows = stock::Entity::find()
        .filter(stock::Column::VariantId.eq(variant_id))
        .filter(stock::Column::Quantity.gt(0))
        .order_by_desc(stock::Column::Quantity)
        .order_by_asc(stock::Column::WarehouseId)
        .lock_exclusive()
        .all(txn)
        .await?;
    // Stable: equally near warehouses keep the fullest-first order.
    rows.sort_by_key(|r| dispatch_days.get(&r.warehouse_id).copied().unwrap_or(0));
    let mut left = quantity as i32;
    let mut exact = true;
    for row in &mut rows {
        if left == 0 {
            break;
        }
        let take = left.min(row.quantity);
        let updated = stock::Entity::update_many()
            .col_expr(
                stock::Column::Quantity,
                sea_orm::sea_query::ExprTrait::sub(Expr::col(stock::Column::Quantity), take),
            )
            .filter(stock::Column::VariantId.eq(variant_id))
            .filter(stock::Column::WarehouseId.eq(row.warehouse_id))
            .filter(stock::Column::Quantity.gte(take))
            .exec(txn)
            .await?;
        if updated.rows_affected != 1 {
            // Someone else took it between the read and the write: only
            // possible without the row lock, and then this order must not
            // pretend it has the goods.
            exact = false;
            continue;
        }
        row.quantity -= take;
        // An edited order may already hold units of it in this warehouse:
        // they add up.
        stock_reservations::Entity::insert(stock_reservations::ActiveModel {
            order_id: Set(order_id),
            variant_id: Set(variant_id),
            warehouse_id: Set(row.warehouse_id),
            quantity: Set(take),
        })
        .on_conflict(
            OnConflict::columns([
                stock_reservations::Column::OrderId,
                stock_reservations::Column::VariantId,
                stock_reservations::Column::WarehouseId,
            ])
            .value(
                stock_reservations::Column::Quantity,
                sea_orm::sea_query::ExprTrait::add(
                    Expr::col((
                        stock_reservations::Entity,
                        stock_reservations::Column::Quantity,
                    )),
                    take,
                ),
            )
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        stock_ledger::log(
            txn,
            variant_id,
            row.warehouse_id,
            MovementKind::Reservation,
            take,
            why,
        )
        .await?;
        left -= take;
    }
    rows.retain(|r| r.quantity > 0);
    Ok(Taken {
        short: left.max(0) as u32,
        left: exact.then_some(rows),
    })
}

async fn by_key(db: &impl ConnectionTrait, key: &str) -> Result<Option<orders::Model>, DbErr> {
    orders::Entity::find()
        .filter(orders::Column::IdempotencyKey.eq(key))
        .one(db)
        .await
}

pub(crate) async fn pickup_point(
    db: &impl ConnectionTrait,
    id: i64,
    method: &str,
) -> Result<Option<pickup_points::Model>, DbErr> {
    pickup_points::Entity::find_by_id(id)
        .filter(pickup_points::Column::Active.eq(true))
        .filter(pickup_points::Column::MethodCode.eq(method))
        .one(db)
        .await
}

/// How an order names the pickup point it goes to.
pub(crate) fn pickup_address(point: &pickup_points::Model) -> String {
    format!("{}: {}, {}", point.name, point.city, point.address)
}

/// The active pickup points of a delivery method, by city and name.
pub async fn pickup_points(
    db: &impl ConnectionTrait,
    method: &str,
) -> Result<Vec<PickupPointView>, DbErr> {
    Ok(pickup_points::Entity::find()
        .filter(pickup_points::Column::Active.eq(true))
        .filter(pickup_points::Column::MethodCode.eq(method))
        .order_by_asc(pickup_points::Column::City)
        .order_by_asc(pickup_points::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PickupPointView {
            id: p.id,
            name: p.name,
            city: p.city,
            address: p.address,
            hours: p.hours,
        })
        .collect())
}

fn status_label(status: &str, lang: Lang) -> String {
    OrderStatus::parse(status)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| status.to_string())
}

pub(crate) async fn view_of(
    db: &impl ConnectionTrait,
    snapshot: &Snapshot,
    order: orders::Model,
    lang: Lang,
) -> Result<OrderView, DbErr> {
    let lines = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(order.id))
        .order_by_asc(order_lines::Column::Id)
        .all(db)
        .await?;
    let events = order_events::Entity::find()
        .filter(order_events::Column::OrderId.eq(order.id))
        .order_by_asc(order_events::Column::Id)
        .all(db)
        .await?;
    let discounts: Vec<(String, Decimal)> =
        serde_json::from_str(&order.discounts).unwrap_or_default();
    let paid = order.payment_status == "paid";
    let payment_pending = payments::Entity::find()
        .filter(payments::Column::OrderId.eq(order.id))
        .order_by_desc(payments::Column::Id)
        .one(db)
        .await?
        .is_some_and(|p| p.status == "pending");
    let credit = order.payment_method == PaymentMethod::Credit.as_str();
    let (tracking, parcels) = if order.tracking_number.is_empty() {
        (None, Vec::new())
    } else {
        let template = delivery_methods::Entity::find()
            .filter(delivery_methods::Column::Code.eq(order.delivery_code.clone()))
            .one(db)
            .await?
            .map(|m| m.tracking_url)
            .unwrap_or_default();
        (
            Some(TrackingView {
                url: tracking_link(&template, &order.tracking_number),
                number: order.tracking_number.clone(),
            }),
            super::tracking::parcels_of(db, &order, &template, lang).await?,
        )
    };
    let returns = super::returns::views(db, order.id, lang).await?;
    let return_requests = super::return_requests::for_order(db, order.id, lang).await?;
    let paid_amount = from_minor(super::order_admin::paid_so_far(db, order.id).await?);
    let can_request_return =
        super::return_requests::can_request(db, &order, Utc::now().date_naive()).await?;
    let mut returned: std::collections::HashMap<i64, u32> = std::collections::HashMap::new();
    if !returns.is_empty() {
        for line in super::returns::money_of(db, &order).await?.1 {
            returned.insert(line.line_id, line.returned);
        }
    }
    let can_pay = PaymentMethod::parse(&order.payment_method).is_some_and(PaymentMethod::online)
        && !paid
        && order.status != OrderStatus::Cancelled.as_str();
    Ok(OrderView {
        number: order_number(order.id),
        token: order.token.clone(),
        invoice: order.payment_method == PaymentMethod::BankInvoice.as_str(),
        credit,
        status_label: status_label(&order.status, lang),
        status: order.status,
        paid,
        can_pay,
        payment_pending,
        payment: PaymentMethod::parse(&order.payment_method)
            .map(|p| p.label(lang).to_string())
            .unwrap_or(order.payment_method),
        name: order.name,
        phone: order.phone,
        email: order.email,
        delivery: order.delivery_name,
        address: order.delivery_address,
        delivery_date: order.delivery_date,
        try_on: order.try_on,
        tracking,
        lines: lines
            .into_iter()
            .map(|l| OrderLineView {
                line_id: l.id,
                returned: returned.get(&l.id).copied().unwrap_or(0),
                variant_id: l.variant_id,
                product_slug: snapshot.variant(l.variant_id).map(|(p, _)| p.slug.clone()),
                line_total: from_minor(l.unit_price_minor) * Decimal::from(l.quantity),
                name: l.name,
                options: l.options,
                sku: l.sku,
                unit_price: from_minor(l.unit_price_minor),
                quantity: l.quantity.max(0) as u32,
            })
            .collect(),
        goods: from_minor(order.goods_minor),
        discounts,
        delivery_price: from_minor(order.delivery_minor),
        total: from_minor(order.total_minor),
        comment: order.comment,
        returns,
        parcels,
        can_request_return,
        return_requests,
        paid_amount,
        refunded: from_minor(order.refunded_minor),
        created_at: order.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        timeline: events
            .into_iter()
            .map(|e| OrderEventView {
                label: event_label(&e.status, lang),
                status: e.status,
                at: e.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                note: e.note,
            })
            .collect(),
    })
}

pub async fn by_token(
    db: &DatabaseConnection,
    snapshot: &Snapshot,
    token: &str,
    lang: Lang,
) -> Result<Option<OrderView>, DbErr> {
    if token.len() < 20 {
        return Ok(None);
    }
    match orders::Entity::find()
        .filter(orders::Column::Token.eq(token))
        .one(db)
        .await?
    {
        Some(order) => Ok(Some(view_of(db, snapshot, order, lang).await?)),
        None => Ok(None),
    }
}

pub async fn of_user(
    db: &DatabaseConnection,
    user_id: i64,
    lang: Lang,
) -> Result<Vec<OrderSummary>, DbErr> {
    let found = orders::Entity::find()
        .filter(orders::Column::UserId.eq(user_id))
        .order_by_desc(orders::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(found.len());
    for order in found {
        let items: i64 = order_lines::Entity::find()
            .filter(order_lines::Column::OrderId.eq(order.id))
            .all(db)
            .await?
            .iter()
            .map(|l| i64::from(l.quantity))
            .sum();
        out.push(OrderSummary {
            token: None,
            number: order_number(order.id),
            created_at: order.created_at.format("%Y-%m-%d").to_string(),
            status_label: status_label(&order.status, lang),
            total: from_minor(order.total_minor),
            items: items.max(0) as u32,
        });
    }
    Ok(out)
}

pub async fn of_user_by_number(
    db: &DatabaseConnection,
    snapshot: &Snapshot,
    user_id: i64,
    number: &str,
    lang: Lang,
) -> Result<Option<OrderView>, DbErr> {
    let Some(id) = order_id(number) else {
        return Ok(None);
    };
    match orders::Entity::find_by_id(id)
        .filter(orders::Column::UserId.eq(user_id))
        .one(db)
        .await?
    {
        Some(order) => Ok(Some(view_of(db, snapshot, order, lang).await?)),
        None => Ok(None),
    }
}
