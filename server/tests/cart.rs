//! The cart read on a real database's catalog (CART-1, CART-2, CART-8): the
//! server prices lines from the snapshot, caps quantities by stock, drops
//! what is no longer sold and says so.
mod common;

use app::domain::cart::{CartNotice, StoredCart};
use app::domain::money::Lang;
use app::server::cart;
use rust_decimal::Decimal;

#[tokio::test]
async fn carts_are_priced_from_the_catalog_and_corrected_by_stock() {
    let state = common::demo_state().await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let variants = || snap.products.iter().flat_map(|p| p.variants.iter());
    let plenty = variants()
        .find(|v| v.stock >= 10 && v.backorder_days.is_none())
        .unwrap();
    let few = variants()
        .find(|v| (1..=3).contains(&v.stock) && v.backorder_days.is_none())
        .unwrap();
    let on_order = variants()
        .find(|v| v.stock == 0 && v.backorder_days.is_some())
        .unwrap();

    let mut stored = StoredCart::default();
    stored.add(plenty.id, 2);
    stored.add(few.id, 50);
    stored.add(on_order.id, 7);
    stored.add(-1, 1);
    let view = cart::view(&snap, &stored, Lang::En);

    let quantities: Vec<(i64, u32)> = view
        .cart
        .lines
        .iter()
        .map(|l| (l.variant_id, l.quantity))
        .collect();
    assert_eq!(
        quantities,
        [(plenty.id, 2), (few.id, few.stock as u32), (on_order.id, 7)]
    );
    assert!(view.notices.iter().any(|n| n.notice
        == CartNotice::Reduced {
            variant_id: few.id,
            to: few.stock as u32
        }));
    assert!(view
        .notices
        .iter()
        .any(|n| n.notice == CartNotice::Dropped { variant_id: -1 }));

    let expected = plenty.price * Decimal::from(2)
        + few.price * Decimal::from(few.stock)
        + on_order.price * Decimal::from(7);
    assert_eq!(view.subtotal, expected);
    assert_eq!(view.total, expected);
    assert_eq!(view.lines[0].line_total, plenty.price * Decimal::from(2));
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
