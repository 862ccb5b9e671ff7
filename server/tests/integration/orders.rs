//! Placing orders on a real database (CHK-4): validation, re-pricing, stock
//! reservation without oversell under concurrency, idempotency, and the
//! customer's view of the order afterwards (CHK-5, LOG-2).
use crate::common;

use app::api::checkout::PlaceOutcome;
use app::api::AppError;
use app::domain::accounts::Role;
use app::domain::cart::{CartChoices, CartNotice, StoredCart};
use app::domain::catalog::listing::ListingQuery;
use app::domain::checkout::{CheckoutForm, CheckoutProblem};
use app::domain::money::Lang;
use app::server::entities::{pickup_points, stock};
use app::server::orders::{self, Request};
use app::server::{catalog::bump_version, AppState};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

fn courier_form() -> CheckoutForm {
    CheckoutForm {
        name: "Анна Петрова".into(),
        phone: "+7 916 123-45-67".into(),
        email: "anna@example.ru".into(),
        delivery: "courier".into(),
        city: "Москва".into(),
        address: "ул. Примерная, 1, кв. 2".into(),
        payment: "cash_on_delivery".into(),
        ..Default::default()
    }
}

fn request(key: &str, cart: &StoredCart, form: CheckoutForm) -> Request {
    Request {
        key: key.into(),
        cart: cart.clone(),
        choices: CartChoices::default(),
        form,
        lang: Lang::En,
    }
}

/// A variant that cannot be ordered beyond stock, left with exactly `units` in one warehouse.
async fn variant_with_stock(state: &AppState, units: i32) -> (i64, Decimal) {
    let snap = state.catalog.get(&state.db).await.unwrap();
    let variant = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .find(|v| v.backorder_days.is_none() && v.stock.get() > 0)
        .unwrap()
        .clone();
    let row = stock::Entity::find()
        .filter(stock::Column::VariantId.eq(variant.id))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    common::set_stock(state, variant.id, row.warehouse_id, units).await;
    (variant.id, variant.price)
}

async fn units_left(state: &AppState, variant_id: i64) -> i32 {
    stock::Entity::find()
        .filter(stock::Column::VariantId.eq(variant_id))
        .all(&state.db)
        .await
        .unwrap()
        .iter()
        .map(|s| s.quantity)
        .sum()
}

async fn place(state: &AppState, req: &Request) -> Result<PlaceOutcome, AppError> {
    let snap = state.catalog.get(&state.db).await.unwrap();
    orders::place(state, &snap, None, req).await
}

#[tokio::test]
async fn an_order_is_validated_priced_reserved_and_idempotent() {
    let state = common::demo_state().await;
    let (variant, price) = variant_with_stock(&state, 5).await;
    let mut cart = StoredCart::default();
    cart.add(variant, 2);

    // An empty form: every problem at once, nothing stored.
    let empty = request(
        "key-empty-form-0001",
        &cart,
        CheckoutForm {
            delivery: "courier".into(),
            ..Default::default()
        },
    );
    match place(&state, &empty).await.unwrap() {
        PlaceOutcome::Problems(problems) => {
            assert!(problems.contains(&CheckoutProblem::NameRequired));
            assert!(problems.contains(&CheckoutProblem::AddressRequired));
            assert!(problems.contains(&CheckoutProblem::PaymentRequired));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(units_left(&state, variant).await, 5);

    let first = request("key-first-order-0001", &cart, courier_form());
    let PlaceOutcome::Placed { token, number } = place(&state, &first).await.unwrap() else {
        panic!("placed");
    };
    assert_eq!(units_left(&state, variant).await, 3, "two reserved");

    // The same request again (double click, retry): the same order, no more stock taken.
    match place(&state, &first).await.unwrap() {
        PlaceOutcome::Placed {
            token: t,
            number: n,
        } => assert_eq!((t, n), (token.clone(), number.clone())),
        other => panic!("{other:?}"),
    }
    assert_eq!(units_left(&state, variant).await, 3);
    // The same key with another cart is refused.
    let mut other_cart = cart.clone();
    other_cart.add(variant, 1);
    let reused = request("key-first-order-0001", &other_cart, courier_form());
    assert_eq!(
        place(&state, &reused).await.unwrap_err(),
        AppError::StaleCheckout
    );
    // A key that is not one.
    let bad = request("short", &cart, courier_form());
    assert_eq!(
        place(&state, &bad).await.unwrap_err(),
        AppError::StaleCheckout
    );

    // The private link shows the order, priced by the server.
    let snap = state.catalog.get(&state.db).await.unwrap();
    let order = orders::by_token(&state.db, &snap, &token, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.number, number);
    assert_eq!(order.lines[0].quantity, 2);
    assert_eq!(order.goods, price * Decimal::from(2));
    assert_eq!(order.total, order.goods + order.delivery_price);
    assert_eq!(order.phone, "+79161234567");
    assert_eq!(order.timeline.len(), 1);
    assert!(
        orders::by_token(&state.db, &snap, "not-a-token-at-all-really", Lang::En)
            .await
            .unwrap()
            .is_none()
    );

    // More than is left: the cart comes back corrected instead of an order.
    let mut too_many = StoredCart::default();
    too_many.add(variant, 4);
    let req = request("key-too-many-units-01", &too_many, courier_form());
    match place(&state, &req).await.unwrap() {
        PlaceOutcome::CartChanged(view) => assert!(view.notices.iter().any(|n| n.notice
            == CartNotice::Reduced {
                variant_id: variant,
                to: 3
            })),
        other => panic!("{other:?}"),
    }
    assert_eq!(units_left(&state, variant).await, 3);

    // The rest sells out; then the first request comes again (a retry
    // after a lost answer). Its cart could not be ordered now, yet it is
    // the order placed the first time, not "sold out".
    let mut rest = StoredCart::default();
    rest.add(variant, 3);
    let req = request("key-the-rest-units-01", &rest, courier_form());
    assert!(matches!(
        place(&state, &req).await.unwrap(),
        PlaceOutcome::Placed { .. }
    ));
    assert_eq!(units_left(&state, variant).await, 0);
    match place(&state, &first).await.unwrap() {
        PlaceOutcome::Placed {
            token: t,
            number: n,
        } => assert_eq!((t, n), (token, number)),
        other => panic!("{other:?}"),
    }
    assert_eq!(units_left(&state, variant).await, 0);
}

/// 50 shoppers check out the last 7 units at once: exactly 7 orders, the
/// others are told it is sold out, and the stock ends at zero, not below.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_checkouts_never_oversell() {
    let state = common::demo_state().await;
    let (variant, _) = variant_with_stock(&state, 7).await;
    let mut cart = StoredCart::default();
    cart.add(variant, 1);
    let mut tasks = Vec::new();
    for n in 0..50 {
        let state = state.clone();
        let req = request(&format!("key-concurrent-{n:04}-x"), &cart, courier_form());
        tasks.push(tokio::spawn(async move { place(&state, &req).await }));
    }
    let (mut placed, mut sold_out) = (0, 0);
    for task in tasks {
        match task.await.unwrap().expect("no database error under load") {
            PlaceOutcome::Placed { .. } => placed += 1,
            PlaceOutcome::OutOfStock(_) => sold_out += 1,
            PlaceOutcome::CartChanged(view)
                if view
                    .notices
                    .iter()
                    .any(|n| matches!(n.notice, CartNotice::SoldOut { .. })) =>
            {
                sold_out += 1
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((placed, sold_out), (7, 43));
    assert_eq!(units_left(&state, variant).await, 0);
    // Fifty racing checkouts later, every stock row still adds up (WMS-1).
    common::assert_ledger_balances(&state.db).await;
}

#[tokio::test]
async fn a_customer_sees_their_orders_and_only_theirs() {
    let state = common::demo_state().await;
    let anna = common::user(
        &state.db,
        "anna@example.ru",
        "correct horse",
        Role::Customer,
    )
    .await;
    let boris = common::user(
        &state.db,
        "boris@example.ru",
        "correct horse",
        Role::Customer,
    )
    .await;
    let (variant, _) = variant_with_stock(&state, 3).await;
    let mut cart = StoredCart::default();
    cart.add(variant, 1);
    app::server::cart::save_account_cart(&state.db, anna.id, &cart)
        .await
        .unwrap();

    let point = pickup_points::ActiveModel {
        code: Set("msk-1".into()),
        method_code: Set("pickup".into()),
        name: Set("Лавка на Тверской".into()),
        city: Set("Москва".into()),
        address: Set("Тверская, 1".into()),
        hours: Set("10–22".into()),
        active: Set(true),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .unwrap();
    let form = CheckoutForm {
        delivery: "pickup".into(),
        pickup_point: Some(point.id),
        city: String::new(),
        address: String::new(),
        ..courier_form()
    };
    // A pickup point of another method is not accepted.
    let wrong = CheckoutForm {
        pickup_point: Some(point.id + 1000),
        ..form.clone()
    };
    let snap = state.catalog.get(&state.db).await.unwrap();
    let outcome = orders::place(
        &state,
        &snap,
        Some(&anna),
        &request("key-anna-wrong-point", &cart, wrong),
    )
    .await
    .unwrap();
    assert_eq!(
        outcome,
        PlaceOutcome::Problems(vec![CheckoutProblem::PickupPointRequired])
    );

    let outcome = orders::place(
        &state,
        &snap,
        Some(&anna),
        &request("key-anna-pickup-0001", &cart, form),
    )
    .await
    .unwrap();
    let PlaceOutcome::Placed { number, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        app::server::cart::account_cart(&state.db, anna.id)
            .await
            .unwrap()
            .lines
            .is_empty(),
        "the cart became the order"
    );

    let list = orders::of_user(&state.db, anna.id, Lang::En).await.unwrap();
    assert_eq!(
        (list.len(), list[0].number.as_str(), list[0].items),
        (1, number.as_str(), 1)
    );
    let order = orders::of_user_by_number(&state.db, &snap, anna.id, &number, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert!(order.address.contains("Тверская, 1"));
    assert!(orders::of_user(&state.db, boris.id, Lang::En)
        .await
        .unwrap()
        .is_empty());
    assert!(
        orders::of_user_by_number(&state.db, &snap, boris.id, &number, Lang::En)
            .await
            .unwrap()
            .is_none()
    );
}

/// CHK-4: an unpaid card order gives its stock back after the timeout; a
/// shopper still on the bank's page keeps it; cash orders are never touched.
#[tokio::test]
async fn unpaid_card_orders_give_their_stock_back_after_the_timeout() {
    use app::server::reservations::release_unpaid;
    use chrono::{Duration, Utc};
    let state = common::demo_state().await;
    let (variant, _) = variant_with_stock(&state, 4).await;
    let mut three = StoredCart::default();
    three.add(variant, 3);
    let card = CheckoutForm {
        payment: "card_online".into(),
        ..courier_form()
    };
    let PlaceOutcome::Placed { token, .. } =
        place(&state, &request("key-unpaid-card-00001", &three, card))
            .await
            .unwrap()
    else {
        panic!("placed");
    };
    let mut one = StoredCart::default();
    one.add(variant, 1);
    let cash = place(
        &state,
        &request("key-cash-order-000001", &one, courier_form()),
    )
    .await
    .unwrap();
    assert!(matches!(cash, PlaceOutcome::Placed { .. }));
    assert_eq!(units_left(&state, variant).await, 0);
    let timeout = Duration::minutes(30);

    // Within the timeout nothing happens.
    assert_eq!(
        release_unpaid(&state, timeout, Utc::now()).await.unwrap(),
        0
    );
    // The shopper is on the bank's page: the goods stay theirs a while longer.
    let sandbox = app::server::payments::provider(&state);
    app::server::payments::start(&state, &sandbox, &token)
        .await
        .unwrap();
    let past_a_short_timeout = Utc::now() + Duration::minutes(10);
    assert_eq!(
        release_unpaid(&state, Duration::minutes(5), past_a_short_timeout)
            .await
            .unwrap(),
        0
    );

    // Later: cancelled, stock back, said on the timeline; once only.
    let later = Utc::now() + Duration::minutes(31);
    assert_eq!(release_unpaid(&state, timeout, later).await.unwrap(), 1);
    assert_eq!(units_left(&state, variant).await, 3);
    assert_eq!(release_unpaid(&state, timeout, later).await.unwrap(), 0);
    assert_eq!(units_left(&state, variant).await, 3);
    let snap = state.catalog.get(&state.db).await.unwrap();
    let order = orders::by_token(&state.db, &snap, &token, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.status, "cancelled");
    assert!(!order.can_pay);
    assert!(order.timeline.iter().any(|e| e.status == "cancelled"));
    // The customer is told once, by e-mail and by SMS (ORD-5).
    use app::server::entities::outbox;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let told = outbox::Entity::find()
        .filter(outbox::Column::Event.eq("order_cancelled"))
        .all(&state.db)
        .await
        .unwrap();
    let mut channels: Vec<&str> = told.iter().map(|m| m.channel.as_str()).collect();
    channels.sort();
    assert_eq!(channels, ["email", "sms"], "{told:?}");
    assert!(told.iter().all(|m| m.body.contains(&order.number)));
}

/// CHK-3, CHK-4: a credit order whose application never came through is
/// released after the online timeout; a bank-invoice order keeps its goods
/// through the invoice's five banking days and is released after them. Both
/// are placed on a Saturday, whatever the day the test runs: an invoice of
/// a Saturday ends on Friday, six days later, not a week.
#[tokio::test]
async fn credit_and_invoice_orders_give_their_stock_back_when_time_is_up() {
    use app::domain::payments::invoice_last_day;
    use app::server::entities::orders as order_rows;
    use app::server::reservations::release_unpaid;
    use chrono::{Duration, NaiveDate, TimeZone, Utc};
    let state = common::demo_state().await;
    let (variant, price) = variant_with_stock(&state, 40).await;
    // Enough for the 4-month plan (from 3,000).
    let units = rust_decimal::prelude::ToPrimitive::to_u32(&(Decimal::from(3000) / price).ceil())
        .unwrap()
        + 1;
    let mut cart = StoredCart::default();
    cart.add(variant, units);
    let credit = Request {
        choices: CartChoices {
            instalment_months: Some(4),
            ..Default::default()
        },
        ..request(
            "key-credit-order-0001",
            &cart,
            CheckoutForm {
                payment: "credit".into(),
                ..courier_form()
            },
        )
    };
    let invoice = request(
        "key-invoice-order-001",
        &cart,
        CheckoutForm {
            payment: "bank_invoice".into(),
            company: "ООО «Покупатель»".into(),
            inn: "7707083893".into(),
            kpp: "773601001".into(),
            ..courier_form()
        },
    );
    let mut tokens = Vec::new();
    for req in [&credit, &invoice] {
        match place(&state, req).await.unwrap() {
            PlaceOutcome::Placed { token, .. } => tokens.push(token),
            outcome => panic!("{outcome:?}"),
        }
    }
    let saturday = Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap();
    order_rows::Entity::update_many()
        .col_expr(order_rows::Column::CreatedAt, Expr::value(saturday))
        .filter(order_rows::Column::Token.is_in(tokens))
        .exec(&state.db)
        .await
        .unwrap();
    let after_orders = 40 - 2 * units as i32;
    assert_eq!(units_left(&state, variant).await, after_orders);
    let timeout = Duration::minutes(30);

    // Past the online timeout: the credit order goes, the invoice stays.
    let soon = saturday + Duration::minutes(31);
    assert_eq!(release_unpaid(&state, timeout, soon).await.unwrap(), 1);
    assert_eq!(
        units_left(&state, variant).await,
        after_orders + units as i32
    );
    // On the invoice's last day it still holds the goods; the day after, not.
    let last = invoice_last_day(saturday.date_naive());
    assert_eq!(
        last,
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        "Friday"
    );
    let on_last_day = last.and_hms_opt(23, 0, 0).unwrap().and_utc();
    assert_eq!(
        release_unpaid(&state, timeout, on_last_day).await.unwrap(),
        0
    );
    let next_day = on_last_day + Duration::hours(2);
    assert_eq!(release_unpaid(&state, timeout, next_day).await.unwrap(), 1);
    assert_eq!(units_left(&state, variant).await, 40);
}

/// Orders change stock without rebuilding the catalog snapshot: the instance
/// that placed the order shows the new level at once, another instance
/// within a second (receipts too). Selling out rebuilds nothing either: the
/// listing's "in stock" filter (CAT-2) follows on both.
#[tokio::test]
async fn stock_levels_follow_orders_without_rebuilding_the_catalog() {
    let state = common::demo_state().await;
    let other = AppState::new(state.db.clone(), common::config());
    let (variant, _) = variant_with_stock(&state, 4).await;
    // The product's other variants are emptied, so this one decides
    // whether the product is in stock.
    let snap = state.catalog.get(&state.db).await.unwrap();
    let (product, _) = snap.variant(variant).unwrap();
    for sibling in product.variants.iter().filter(|v| v.id != variant) {
        for row in stock::Entity::find()
            .filter(stock::Column::VariantId.eq(sibling.id))
            .all(&state.db)
            .await
            .unwrap()
        {
            common::set_stock(&state, sibling.id, row.warehouse_id, 0).await;
        }
    }
    let units =
        |snap: &app::server::catalog::Snapshot| snap.variant(variant).unwrap().1.stock.get();
    let in_stock_listed = |snap: &app::server::catalog::Snapshot| {
        let category = snap.variant(variant).unwrap().0.category;
        let query = ListingQuery {
            in_stock: true,
            page: 1,
            ..Default::default()
        };
        snap.run_listing(category, &query).total
    };
    let before = state.catalog.get(&state.db).await.unwrap();
    let seen_elsewhere = other.catalog.get(&other.db).await.unwrap();
    assert_eq!((units(&before), units(&seen_elsewhere)), (4, 4));
    let listed = in_stock_listed(&before);
    assert_eq!(in_stock_listed(&seen_elsewhere), listed);

    let mut one = StoredCart::default();
    one.add(variant, 1);
    let placed = place(
        &state,
        &request("key-stock-level-0001", &one, courier_form()),
    )
    .await
    .unwrap();
    assert!(matches!(placed, PlaceOutcome::Placed { .. }));
    let here = state.catalog.get(&state.db).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&here, &before), "not rebuilt");
    assert_eq!(units(&here), 3);

    tokio::time::sleep(app::server::catalog::RECHECK + std::time::Duration::from_millis(100)).await;
    let there = other.catalog.get(&other.db).await.unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&there, &seen_elsewhere),
        "not rebuilt"
    );
    assert_eq!(units(&there), 3);

    // A receipt (a ledger movement, no catalog write) reaches the other
    // instance the same way: it re-reads the variants moved since it looked.
    let warehouse = stock::Entity::find()
        .filter(stock::Column::VariantId.eq(variant))
        .filter(stock::Column::Quantity.gt(0))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .warehouse_id;
    let txn = app::server::begin_write(&state.db).await.unwrap();
    let why = app::server::stock_ledger::Why {
        order_id: None,
        reason: "receipt",
        actor: None,
        at: chrono::Utc::now(),
    };
    app::server::stock_ledger::set_available(&txn, variant, warehouse, 5, why)
        .await
        .unwrap()
        .unwrap();
    txn.commit().await.unwrap();
    tokio::time::sleep(app::server::catalog::RECHECK + std::time::Duration::from_millis(100)).await;
    let received = other.catalog.get(&other.db).await.unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&received, &seen_elsewhere),
        "not rebuilt"
    );
    assert_eq!(units(&received), 5);

    // The last five: the variant sells out. Nothing is rebuilt, and the
    // product leaves the "in stock" listing here at once, elsewhere within
    // a second.
    let mut five = StoredCart::default();
    five.add(variant, 5);
    let placed = place(
        &state,
        &request("key-stock-level-0002", &five, courier_form()),
    )
    .await
    .unwrap();
    assert!(matches!(placed, PlaceOutcome::Placed { .. }));
    let sold_out = state.catalog.get(&state.db).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&sold_out, &before), "not rebuilt");
    assert_eq!(units(&sold_out), 0);
    assert_eq!(in_stock_listed(&sold_out), listed - 1);
    tokio::time::sleep(app::server::catalog::RECHECK + std::time::Duration::from_millis(100)).await;
    let sold_out_there = other.catalog.get(&other.db).await.unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&sold_out_there, &seen_elsewhere),
        "not rebuilt"
    );
    assert_eq!(units(&sold_out_there), 0);
    assert_eq!(in_stock_listed(&sold_out_there), listed - 1);

    // A receipt brings it back, on both.
    let txn = app::server::begin_write(&state.db).await.unwrap();
    app::server::stock_ledger::set_available(&txn, variant, warehouse, 2, why)
        .await
        .unwrap()
        .unwrap();
    txn.commit().await.unwrap();
    state
        .catalog
        .stock_changed(&state.db, Some(&[variant]))
        .await
        .unwrap();
    assert_eq!(in_stock_listed(&sold_out), listed);
    tokio::time::sleep(app::server::catalog::RECHECK + std::time::Duration::from_millis(100)).await;
    let back_there = other.catalog.get(&other.db).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&back_there, &seen_elsewhere));
    assert_eq!(in_stock_listed(&back_there), listed);
}

/// CHK-1: a signed-in customer's delivery address is remembered once per
/// address, offered newest first, and only they can forget it.
#[tokio::test]
async fn a_customers_addresses_are_remembered_for_the_next_checkout() {
    use app::server::orders::{forget_address, saved_addresses};
    let state = common::demo_state().await;
    let anna = common::user(
        &state.db,
        "anna@example.ru",
        "correct horse",
        Role::Customer,
    )
    .await;
    let boris = common::user(
        &state.db,
        "boris@example.ru",
        "correct horse",
        Role::Customer,
    )
    .await;
    let (variant, _) = variant_with_stock(&state, 10).await;
    let mut cart = StoredCart::default();
    cart.add(variant, 1);
    let snap = state.catalog.get(&state.db).await.unwrap();
    let order = |key: &str, address: &str| {
        request(
            key,
            &cart,
            CheckoutForm {
                address: address.into(),
                ..courier_form()
            },
        )
    };
    for (key, address) in [
        ("key-address-000001", "ул. Первая, 1"),
        ("key-address-000002", "ул. Вторая, 2"),
        ("key-address-000003", "ул. Первая, 1"),
    ] {
        let placed = orders::place(&state, &snap, Some(&anna), &order(key, address))
            .await
            .unwrap();
        assert!(matches!(placed, PlaceOutcome::Placed { .. }), "{placed:?}");
    }
    let saved = saved_addresses(&state.db, anna.id).await.unwrap();
    let streets: Vec<&str> = saved.iter().map(|a| a.address.as_str()).collect();
    assert_eq!(streets, ["ул. Первая, 1", "ул. Вторая, 2"]);
    assert_eq!(saved[0].city, "Москва");
    assert!(saved_addresses(&state.db, boris.id)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        forget_address(&state.db, boris.id, saved[0].id).await,
        Err(AppError::NotFound)
    );
    forget_address(&state.db, anna.id, saved[0].id)
        .await
        .unwrap();
    assert_eq!(saved_addresses(&state.db, anna.id).await.unwrap().len(), 1);
}

/// CHK-2, LOG-1: the courier's price follows the destination's zone and the
/// parcel's weight; the date follows the warehouse the goods are taken from;
/// try-on is recorded; a method that cannot take the parcel there is refused
/// next to the delivery field with nothing written.
#[tokio::test]
async fn delivery_is_priced_by_zone_and_weight_and_dated_by_warehouse() {
    use app::domain::delivery::DeliveryMethodForm;
    use app::server::entities::{delivery_methods, products, warehouses};
    use app::server::{delivery, orders as order_service};

    let state = common::demo_state().await;
    let admin = common::user(&state.db, "a@example.com", "admin-pass-123", Role::Admin).await;
    let (variant_id, _) = variant_with_stock(&state, 0).await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let product_id = snap.variant(variant_id).unwrap().0.id;
    // 4 kg a unit; 1 unit in Moscow (dispatch today), 5 in St Petersburg (2 days).
    products::Entity::update_many()
        .col_expr(products::Column::WeightG, Expr::value(4000))
        .filter(products::Column::Id.eq(product_id))
        .exec(&state.db)
        .await
        .unwrap();
    let all_warehouses = warehouses::Entity::find().all(&state.db).await.unwrap();
    let (near, far) = (&all_warehouses[0], &all_warehouses[1]);
    assert_eq!(
        (near.dispatch_days, far.dispatch_days),
        (0, 2),
        "demo warehouses"
    );
    common::set_stock(&state, variant_id, far.id, 5).await;
    {
        // One more in the near warehouse, by the ledger as well.
        let txn = app::server::begin_write(&state.db).await.unwrap();
        app::server::stock_ledger::set_available(
            &txn,
            variant_id,
            near.id,
            1,
            app::server::stock_ledger::Why {
                order_id: None,
                reason: "test set-up",
                actor: None,
                at: chrono::Utc::now(),
            },
        )
        .await
        .unwrap()
        .unwrap();
        txn.commit().await.unwrap();
        bump_version(&state.db).await.unwrap();
        state.catalog.invalidate();
    }
    // The demo's courier rates, never free, so the rate itself shows.
    let courier = delivery::admin_methods(&state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.code == "courier")
        .unwrap();
    assert!(
        courier.rates.contains("Москва; 30; 690"),
        "{}",
        courier.rates
    );
    let set_courier = |rates: &'static str| {
        let state = state.clone();
        let admin = admin.clone();
        let form = DeliveryMethodForm {
            rates: rates.into(),
            free_from: String::new(),
            ..courier.clone()
        };
        async move {
            let problems = delivery::save_method(&state, &admin, &form).await.unwrap();
            assert!(problems.is_empty(), "{problems:?}");
        }
    };
    set_courier("Москва; 10; 390\nМосква; 30; 690\n*; 10; 790").await;

    let today = chrono::Utc::now().date_naive();
    let place = |key: &'static str, quantity: u32, form: CheckoutForm| {
        let state = state.clone();
        async move {
            let snap = state.catalog.get(&state.db).await.unwrap();
            let mut cart = StoredCart::default();
            cart.add(variant_id, quantity);
            orders::place(&state, &snap, None, &request(key, &cart, form))
                .await
                .unwrap()
        }
    };
    let view_of = |outcome: PlaceOutcome| {
        let state = state.clone();
        async move {
            let PlaceOutcome::Placed { token, .. } = outcome else {
                panic!("{outcome:?}")
            };
            let snap = state.catalog.get(&state.db).await.unwrap();
            order_service::by_token(&state.db, &snap, &token, Lang::En)
                .await
                .unwrap()
                .unwrap()
        }
    };

    // 4 kg to Moscow from the Moscow shelf, with try-on: 390, tomorrow.
    let moscow = CheckoutForm {
        try_on: true,
        ..courier_form()
    };
    let order = view_of(place("zone-key-000000000001", 1, moscow.clone()).await).await;
    assert_eq!(order.delivery_price, Decimal::from(390));
    assert!(order.try_on);
    assert_eq!(order.delivery_date, today + chrono::Days::new(1));
    // The reservation took the near unit; 2 × 4 kg now come from St Petersburg.
    let left = |warehouse: i64| {
        let state = state.clone();
        async move {
            stock::Entity::find()
                .filter(stock::Column::VariantId.eq(variant_id))
                .filter(stock::Column::WarehouseId.eq(warehouse))
                .one(&state.db)
                .await
                .unwrap()
                .unwrap()
                .quantity
        }
    };
    assert_eq!((left(near.id).await, left(far.id).await), (0, 5));
    let order = view_of(place("zone-key-000000000002", 3, moscow.clone()).await).await;
    assert_eq!(order.delivery_price, Decimal::from(690), "12 kg to Moscow");
    assert_eq!(order.delivery_date, today + chrono::Days::new(3));
    let tver = CheckoutForm {
        city: "Тверь".into(),
        postcode: "170000".into(),
        ..courier_form()
    };
    let order = view_of(place("zone-key-000000000003", 1, tver.clone()).await).await;
    assert_eq!(order.delivery_price, Decimal::from(790), "4 kg elsewhere");
    assert!(!order.try_on, "not asked for");

    // The manager narrows the courier to Moscow, up to 3 kg.
    set_courier("Москва; 3; 390").await;
    let stored = delivery_methods::Entity::find()
        .filter(delivery_methods::Column::Code.eq("courier"))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.rates.contains("Москва"));

    let orders_before = app::server::entities::orders::Entity::find()
        .all(&state.db)
        .await
        .unwrap()
        .len();
    for (key, quantity, form, problem) in [
        (
            "zone-key-000000000004",
            1,
            tver,
            CheckoutProblem::NotDeliveredHere,
        ),
        (
            "zone-key-000000000005",
            1,
            moscow,
            CheckoutProblem::TooHeavyForDelivery,
        ),
    ] {
        match place(key, quantity, form).await {
            PlaceOutcome::Problems(found) => {
                assert_eq!(found, [problem]);
                assert_eq!(problem.field(), "delivery");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        app::server::entities::orders::Entity::find()
            .all(&state.db)
            .await
            .unwrap()
            .len(),
        orders_before,
        "nothing written"
    );
    assert_eq!(left(far.id).await, 1, "4 units left after 3 + 1");
}
