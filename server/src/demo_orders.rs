//! A synthetic order history for load tests (issue 7: "100,000 orders and
//! 20,000 customers"): `demo-data --customers N --orders M`. Customers are
//! CRM records (ORD-3); orders are two years of closed site orders
//! (completed, delivered or cancelled) with one to three lines of real
//! catalog variants, their prices and a timeline, so the order queue
//! (ORD-1), the customer list and the reports work on a shop of realistic
//! size. Closed orders hold no stock, so the stock ledger stays balanced.
//! Deterministic (seeded) and loaded once: a second run adds nothing.
use app::domain::catalog::OptionValue;
use app::domain::checkout::{OrderStatus, PaymentMethod};
use app::server::entities::{
    customers, delivery_methods, order_events, order_lines, orders, products, variants,
};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use std::collections::HashMap;
use std::time::Instant;

/// Orders and customers of this history carry this mark in their keys and
/// e-mail addresses, which is how a second run knows they are there.
const KEY_PREFIX: &str = "history-";
const EMAIL_DOMAIN: &str = "@customers.example";
/// Rows per INSERT: orders have about 40 columns, and SQLite binds at most
/// 32,766 parameters per statement.
const CHUNK: usize = 400;
/// The history spans this many days up to now.
const DAYS: i64 = 730;

const FIRST_NAMES: [&str; 16] = [
    "Анна",
    "Мария",
    "Елена",
    "Ольга",
    "Наталья",
    "Ирина",
    "Татьяна",
    "Светлана",
    "Алексей",
    "Дмитрий",
    "Сергей",
    "Андрей",
    "Иван",
    "Михаил",
    "Павел",
    "Николай",
];
const LAST_NAMES: [&str; 12] = [
    "Иванова",
    "Смирнова",
    "Кузнецова",
    "Попова",
    "Соколова",
    "Лебедева",
    "Козлов",
    "Новиков",
    "Морозов",
    "Петров",
    "Волков",
    "Соловьёв",
];
const CITIES: [&str; 6] = [
    "Москва",
    "Санкт-Петербург",
    "Казань",
    "Екатеринбург",
    "Новосибирск",
    "Нижний Новгород",
];
const STREETS: [&str; 6] = [
    "ул. Ленина",
    "ул. Садовая",
    "пр. Мира",
    "ул. Гагарина",
    "ул. Лесная",
    "наб. Речная",
];

/// What a second run found or the first one made.
pub struct Loaded {
    pub customers: usize,
    pub orders: usize,
}

/// One variant an order line can be made of.
struct Goods {
    variant_id: i64,
    product_id: i64,
    sku: String,
    name: String,
    options: String,
    price_minor: i64,
    weight_g: i32,
}

pub async fn load(
    db: &DatabaseConnection,
    customer_count: usize,
    order_count: usize,
) -> anyhow::Result<Loaded> {
    let started = Instant::now();
    let customers = ensure_customers(db, customer_count).await?;
    let existing = orders::Entity::find()
        .filter(orders::Column::IdempotencyKey.starts_with(KEY_PREFIX))
        .count(db)
        .await? as usize;
    if existing > 0 || order_count == 0 {
        return Ok(Loaded {
            customers: customers.len(),
            orders: existing,
        });
    }
    anyhow::ensure!(
        !customers.is_empty(),
        "an order history needs customers: pass --customers"
    );
    let goods = goods(db).await?;
    anyhow::ensure!(
        !goods.is_empty(),
        "an order history needs a catalog: load the demo catalog first"
    );
    let methods: Vec<delivery_methods::Model> = delivery_methods::Entity::find()
        .filter(delivery_methods::Column::Active.eq(true))
        .filter(delivery_methods::Column::Kind.ne("pickup_point"))
        .order_by_asc(delivery_methods::Column::Position)
        .all(db)
        .await?;
    anyhow::ensure!(!methods.is_empty(), "no courier or post delivery method");

    let mut rng = StdRng::seed_from_u64(0x0de75);
    let now = Utc::now();
    let mut made = 0;
    while made < order_count {
        let batch = CHUNK.min(order_count - made);
        let txn = db.begin().await?;
        let mut planned = Vec::with_capacity(batch);
        for i in made..made + batch {
            // Oldest first, so order numbers grow with time as in a real shop.
            let at = now
                - Duration::minutes(
                    (DAYS * 24 * 60) * (order_count - i) as i64 / order_count as i64,
                );
            // A tenth of the customers are regulars who place a third of the orders.
            let regulars = (customers.len() / 10).max(1);
            let who = &customers[if rng.gen_bool(0.3) {
                rng.gen_range(0..regulars)
            } else {
                rng.gen_range(0..customers.len())
            }];
            let closed_at = at + Duration::days(3);
            planned.push(plan(
                &mut rng,
                i,
                at,
                closed_at.min(now),
                who,
                &goods,
                &methods,
            ));
        }
        orders::Entity::insert_many(planned.iter().map(|p| p.order.clone()))
            .exec(&txn)
            .await?;
        let keys: Vec<String> = planned.iter().map(|p| p.key.clone()).collect();
        let ids: HashMap<String, i64> = orders::Entity::find()
            .select_only()
            .column(orders::Column::IdempotencyKey)
            .column(orders::Column::Id)
            .filter(orders::Column::IdempotencyKey.is_in(keys))
            .into_tuple::<(String, i64)>()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        let mut lines = Vec::new();
        let mut events = Vec::new();
        for p in &planned {
            let id = ids[&p.key];
            lines.extend(p.lines.iter().map(|l| {
                let mut l = l.clone();
                l.order_id = Set(id);
                l
            }));
            events.extend(p.events.iter().map(|e| {
                let mut e = e.clone();
                e.order_id = Set(id);
                e
            }));
        }
        for chunk in lines.chunks(CHUNK) {
            order_lines::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        for chunk in events.chunks(CHUNK) {
            order_events::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        made += batch;
    }
    println!(
        "order history: {made} orders of {} customers in {:.1} s",
        customers.len(),
        started.elapsed().as_secs_f32()
    );
    Ok(Loaded {
        customers: customers.len(),
        orders: made,
    })
}

/// The history's customers (id, name, phone, e-mail, city), made on the first run.
async fn ensure_customers(
    db: &DatabaseConnection,
    count: usize,
) -> anyhow::Result<Vec<customers::Model>> {
    let existing = || {
        customers::Entity::find()
            .filter(customers::Column::Email.ends_with(EMAIL_DOMAIN))
            .order_by_asc(customers::Column::Id)
    };
    if existing().count(db).await? > 0 || count == 0 {
        return Ok(existing().all(db).await?);
    }
    let mut rng = StdRng::seed_from_u64(0xc0ffee);
    let since = Utc::now() - Duration::days(DAYS);
    let rows: Vec<customers::ActiveModel> = (0..count)
        .map(|i| {
            let first = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
            let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
            customers::ActiveModel {
                user_id: Set(None),
                name: Set(format!("{first} {last}")),
                // Unique per customer, normalised as checkout keeps phones.
                phone: Set(format!("+79{:09}", 100_000_000 + i)),
                email: Set(format!("shopper{i:06}{EMAIL_DOMAIN}")),
                city: Set(CITIES[rng.gen_range(0..CITIES.len())].into()),
                email_consent: Set(rng.gen_bool(0.6)),
                sms_consent: Set(rng.gen_bool(0.4)),
                created_at: Set(since),
                updated_at: Set(since),
                ..Default::default()
            }
        })
        .collect();
    let txn = db.begin().await?;
    for chunk in rows.chunks(CHUNK) {
        customers::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(existing().all(db).await?)
}

/// Every variant of a published product, with the Russian names checkout keeps.
async fn goods(db: &DatabaseConnection) -> anyhow::Result<Vec<Goods>> {
    let products: HashMap<i64, products::Model> = products::Entity::find()
        .filter(products::Column::Published.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(variants::Entity::find()
        .order_by_asc(variants::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|v| {
            let product = products.get(&v.product_id)?;
            let options: Vec<OptionValue> = serde_json::from_str(&v.options).unwrap_or_default();
            Some(Goods {
                variant_id: v.id,
                product_id: v.product_id,
                sku: v.sku,
                name: product.name_ru.clone(),
                options: options
                    .iter()
                    .map(|o| o.value_ru.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                price_minor: v.price_minor,
                weight_g: product.weight_g,
            })
        })
        .collect())
}

/// One order of the history, before its id is known.
struct Planned {
    key: String,
    order: orders::ActiveModel,
    lines: Vec<order_lines::ActiveModel>,
    events: Vec<order_events::ActiveModel>,
}

fn plan(
    rng: &mut StdRng,
    index: usize,
    at: DateTime<Utc>,
    closed_at: DateTime<Utc>,
    who: &customers::Model,
    goods: &[Goods],
    methods: &[delivery_methods::Model],
) -> Planned {
    let status = match rng.gen_range(0..100) {
        0..=11 => OrderStatus::Cancelled,
        12..=21 => OrderStatus::Delivered,
        _ => OrderStatus::Completed,
    };
    let payment = match rng.gen_range(0..100) {
        0..=44 => PaymentMethod::CashOnDelivery,
        45..=79 => PaymentMethod::CardOnline,
        _ => PaymentMethod::CardOnDelivery,
    };
    let method = &methods[rng.gen_range(0..methods.len())];
    let mut lines = Vec::new();
    let (mut goods_minor, mut weight) = (0i64, 0i32);
    for _ in 0..rng.gen_range(1..=3) {
        let g = &goods[rng.gen_range(0..goods.len())];
        let quantity = if rng.gen_bool(0.8) { 1 } else { 2 };
        goods_minor += g.price_minor * i64::from(quantity);
        weight += g.weight_g * quantity;
        lines.push(order_lines::ActiveModel {
            variant_id: Set(g.variant_id),
            product_id: Set(g.product_id),
            sku: Set(g.sku.clone()),
            name: Set(g.name.clone()),
            options: Set(g.options.clone()),
            unit_price_minor: Set(g.price_minor),
            quantity: Set(quantity),
            backordered_quantity: Set(0),
            ..Default::default()
        });
    }
    let delivery_minor = match method.free_from_minor {
        Some(free) if goods_minor >= free => 0,
        _ => method.price_minor,
    };
    let street = STREETS[rng.gen_range(0..STREETS.len())];
    let house = rng.gen_range(1..120);
    let key = format!("{KEY_PREFIX}{index:07}");
    let mut events = vec![event(OrderStatus::New, at)];
    if status != OrderStatus::New {
        events.push(event(status, closed_at));
    }
    let order = orders::ActiveModel {
        token: Set(format!("{KEY_PREFIX}{index:07}-{:016x}", rng.gen::<u64>())),
        idempotency_key: Set(key.clone()),
        request_hash: Set(String::new()),
        user_id: Set(None),
        customer_id: Set(Some(who.id)),
        channel: Set("site".into()),
        status: Set(status.as_str().into()),
        payment_method: Set(payment.as_str().into()),
        payment_status: Set(if status == OrderStatus::Cancelled {
            "unpaid".into()
        } else {
            "paid".into()
        }),
        name: Set(who.name.clone()),
        phone: Set(who.phone.clone()),
        email: Set(who.email.clone()),
        delivery_code: Set(method.code.clone()),
        delivery_name: Set(method.name_ru.clone()),
        delivery_address: Set(format!("{}, {street}, д. {house}", who.city)),
        delivery_city: Set(who.city.clone()),
        delivery_street: Set(format!("{street}, д. {house}")),
        delivery_postcode: Set(String::new()),
        pickup_point_id: Set(None),
        delivery_date: Set(closed_at.date_naive()),
        delivery_minor: Set(delivery_minor),
        goods_minor: Set(goods_minor),
        discount_minor: Set(0),
        total_minor: Set(goods_minor + delivery_minor),
        discounts: Set("[]".into()),
        promo_code: Set(None),
        instalment_months: Set(None),
        comment: Set(String::new()),
        lang: Set("ru".into()),
        company_name: Set(String::new()),
        company_inn: Set(String::new()),
        company_kpp: Set(String::new()),
        try_on: Set(false),
        weight_grams: Set(weight),
        tracking_number: Set(String::new()),
        refunded_minor: Set(0),
        created_at: Set(at),
        updated_at: Set(closed_at),
        ..Default::default()
    };
    Planned {
        key,
        order,
        lines,
        events,
    }
}

fn event(status: OrderStatus, at: DateTime<Utc>) -> order_events::ActiveModel {
    order_events::ActiveModel {
        status: Set(status.as_str().into()),
        actor_user_id: Set(None),
        note: Set(String::new()),
        created_at: Set(at),
        ..Default::default()
    }
}
