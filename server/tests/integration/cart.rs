//! The cart read on a real database's catalog (CART-1, CART-2, CART-8): the
//! server prices lines from the snapshot, caps quantities by stock, drops
//! what is no longer sold and says so.
use crate::common;

use app::domain::cart::{CartChoices, CartNotice, StoredCart, StoredCartLine};
use app::domain::money::Lang;
use app::server::cart;
use chrono::Utc;
use rust_decimal::Decimal;

async fn priced(state: &app::server::AppState, stored: &StoredCart) -> app::api::cart::CartView {
    let snap = state.catalog.get(&state.db).await.unwrap();
    cart::view(
        state,
        &snap,
        stored,
        &CartChoices::default(),
        None,
        Utc::now(),
        Lang::En,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn carts_are_priced_from_the_catalog_and_corrected_by_stock() {
    let state = common::demo_state().await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let variants = || snap.products.iter().flat_map(|p| p.variants.iter());
    let plenty = variants()
        .find(|v| v.stock.get() >= 10 && v.backorder_days.is_none())
        .unwrap();
    let few = variants()
        .find(|v| (1..=3).contains(&v.stock.get()) && v.backorder_days.is_none())
        .unwrap();
    let on_order = variants()
        .find(|v| v.stock.get() == 0 && v.backorder_days.is_some())
        .unwrap();

    let mut stored = StoredCart::default();
    stored.add(plenty.id, 2);
    stored.add(few.id, 50);
    stored.add(on_order.id, 7);
    stored.add(-1, 1);
    let view = priced(&state, &stored).await;

    let quantities: Vec<(i64, u32)> = view
        .cart
        .lines
        .iter()
        .map(|l| (l.variant_id, l.quantity))
        .collect();
    assert_eq!(
        quantities,
        [
            (plenty.id, 2),
            (few.id, few.stock.get() as u32),
            (on_order.id, 7)
        ]
    );
    assert!(view.notices.iter().any(|n| n.notice
        == CartNotice::Reduced {
            variant_id: few.id,
            to: few.stock.get() as u32
        }));
    assert!(view
        .notices
        .iter()
        .any(|n| n.notice == CartNotice::Dropped { variant_id: -1 }));

    let expected = plenty.price * Decimal::from(2)
        + few.price * Decimal::from(few.stock.get())
        + on_order.price * Decimal::from(7);
    assert_eq!(view.totals.subtotal, expected);
    assert_eq!(view.totals.total, expected, "no delivery chosen yet");
    assert_eq!(
        view.totals.line_totals[0],
        (plenty.id, plenty.price * Decimal::from(2))
    );
    assert!(!view.lines[0].name.is_empty() && !view.lines[0].product_slug.is_empty());
    assert_eq!(
        view.lines[2].max_quantity, None,
        "backorder has no stock cap"
    );
}

#[tokio::test]
async fn the_account_cart_is_stored_and_the_browser_cart_joins_it_at_login() {
    let state = common::state().await;
    let anna = common::user(
        &state.db,
        "anna@example.ru",
        "correct horse",
        app::domain::accounts::Role::Customer,
    )
    .await;
    let mut first = StoredCart::default();
    first.add(11, 1);
    first.add(12, 2);
    cart::save_account_cart(&state.db, anna.id, &first)
        .await
        .unwrap();
    assert_eq!(cart::account_cart(&state.db, anna.id).await.unwrap(), first);

    // Another browser's cart at login: the same variant adds up, new ones follow.
    let mut local = StoredCart::default();
    local.add(12, 3);
    local.add(13, 1);
    let merged = cart::merge_at_login(&state.db, anna.id, &local)
        .await
        .unwrap();
    let lines: Vec<(i64, u32)> = merged
        .lines
        .iter()
        .map(|l| (l.variant_id, l.quantity))
        .collect();
    assert_eq!(lines, [(11, 1), (12, 5), (13, 1)]);
    assert_eq!(
        cart::account_cart(&state.db, anna.id).await.unwrap(),
        merged,
        "stored, in order"
    );

    // An empty browser cart changes nothing; saving an empty cart empties it.
    let again = cart::merge_at_login(&state.db, anna.id, &StoredCart::default())
        .await
        .unwrap();
    assert_eq!(again, merged);
    cart::save_account_cart(&state.db, anna.id, &StoredCart::default())
        .await
        .unwrap();
    assert!(cart::account_cart(&state.db, anna.id)
        .await
        .unwrap()
        .lines
        .is_empty());
}

/// CART-8: whatever the browser sends, prices come from the catalog; the
/// price it says it saw only tells the shopper that the price changed.
#[tokio::test]
async fn tampered_carts_are_corrected_and_client_prices_ignored() {
    let state = common::demo_state().await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let on_order = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .find(|v| v.backorder_days.is_some())
        .unwrap();
    let plenty = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .find(|v| v.stock.get() >= 10 && v.backorder_days.is_none())
        .unwrap();
    // Hand-written JSON: a price field, a duplicate line, a huge quantity,
    // a variant of no product.
    let raw = format!(
        r#"{{"version":2,"lines":[
            {{"variant_id":{p},"quantity":1,"unit_price":"0.01","seen_price":"0.01"}},
            {{"variant_id":{p},"quantity":2}},
            {{"variant_id":{o},"quantity":4000000000}},
            {{"variant_id":999999999,"quantity":1}}]}}"#,
        p = plenty.id,
        o = on_order.id
    );
    let stored: StoredCart = serde_json::from_str(&raw).unwrap();
    let view = priced(&state, &stored).await;
    let lines: Vec<(i64, u32)> = view
        .cart
        .lines
        .iter()
        .map(|l| (l.variant_id, l.quantity))
        .collect();
    assert_eq!(lines, [(plenty.id, 3), (on_order.id, 999)]);
    assert_eq!(
        view.totals.subtotal,
        plenty.price * Decimal::from(3) + on_order.price * Decimal::from(999)
    );
    assert!(view.notices.iter().any(|n| n.notice
        == CartNotice::PriceChanged {
            variant_id: plenty.id,
            from: "0.01".parse().unwrap(),
            to: plenty.price
        }));
    assert_eq!(
        view.cart.lines[0].seen_price,
        Some(plenty.price),
        "told once"
    );
    assert!(priced(&state, &view.cart)
        .await
        .notices
        .iter()
        .all(|n| !matches!(n.notice, CartNotice::PriceChanged { .. })));

    // A negative quantity is not a cart at all: the request is refused.
    let negative = format!(
        r#"{{"version":2,"lines":[{{"variant_id":{},"quantity":-1}}]}}"#,
        plenty.id
    );
    assert!(serde_json::from_str::<StoredCart>(&negative).is_err());

    // The account copy keeps the seen price too.
    let anna = common::user(
        &state.db,
        "anna@example.ru",
        "correct horse",
        app::domain::accounts::Role::Customer,
    )
    .await;
    let mut seen = StoredCart::default();
    seen.add_line(StoredCartLine {
        variant_id: plenty.id,
        quantity: 1,
        seen_price: Some(plenty.price),
    });
    cart::save_account_cart(&state.db, anna.id, &seen)
        .await
        .unwrap();
    assert_eq!(cart::account_cart(&state.db, anna.id).await.unwrap(), seen);
}

/// CART-3: every configured method is quoted with its price and earliest date.
#[tokio::test]
async fn delivery_is_quoted_per_method_and_the_chosen_one_is_in_the_total() {
    let state = common::demo_state().await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let cheap = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .find(|v| v.stock.get() >= 2 && v.backorder_days.is_none() && v.price < Decimal::from(1000))
        .unwrap();
    let mut stored = StoredCart::default();
    stored.add(cheap.id, 1);
    let choices = CartChoices {
        delivery: Some("courier".into()),
        ..Default::default()
    };
    let now = Utc::now();
    let view = cart::view(&state, &snap, &stored, &choices, None, now, Lang::Ru)
        .await
        .unwrap();
    let codes: Vec<&str> = view.delivery.iter().map(|q| q.code.as_str()).collect();
    assert_eq!(codes, ["courier", "pickup", "post"]);
    let courier = &view.delivery[0];
    assert_eq!(courier.price, Decimal::from(390));
    assert_eq!(courier.earliest, now.date_naive() + chrono::Days::new(1));
    assert_eq!(courier.free_in, Some(Decimal::from(5000) - cheap.price));
    assert_eq!(view.totals.delivery, Some(Decimal::from(390)));
    assert_eq!(view.totals.total, cheap.price + Decimal::from(390));
    assert_eq!(view.delivery[0].name, "Курьером до двери");

    // An unknown method is not charged.
    let odd = CartChoices {
        delivery: Some("teleport".into()),
        ..Default::default()
    };
    let view = cart::view(&state, &snap, &stored, &odd, None, now, Lang::Ru)
        .await
        .unwrap();
    assert_eq!((view.chosen_delivery, view.totals.delivery), (None, None));
}
