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
