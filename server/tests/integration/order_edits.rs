//! Editing an order before picking (ORD-6) on a real database: an operator
//! previews a change (nothing moves), saves it (lines, totals, the promo
//! code's discount, the stock held, the timeline, the audit log and the
//! customer's message all follow), then moves the order to a pickup point
//! and drops a product (its units go back on sale). Every refusal leaves
//! the order and the stock as they were, and the ledger balances.
use crate::common;

use app::api::checkout::PlaceOutcome;
use app::api::order_edits::{EditOutcome, EditPreview};
use app::domain::accounts::Role;
use app::domain::cart::{CartChoices, StoredCart};
use app::domain::catalog::{from_minor, to_minor};
use app::domain::checkout::{CheckoutForm, CheckoutProblem, OrderStatus};
use app::domain::money::Lang;
use app::domain::order_edits::{EditLine, EditProblem, OrderEdit};
use app::domain::orders::{ActionInput, OrderAction};
use app::domain::promotions::PromotionForm;
use app::server::accounts::AuthUser;
use app::server::entities::{
    audit_log, order_events, order_lines, orders, outbox, payments, pickup_points,
    promotion_redemptions, stock, variants,
};
use app::server::{order_admin, order_edits, promotions, AppState};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

async fn for_sale(state: &AppState, variant_id: i64) -> i32 {
    stock::Entity::find()
        .filter(stock::Column::VariantId.eq(variant_id))
        .all(&state.db)
        .await
        .unwrap()
        .iter()
        .map(|s| s.quantity)
        .sum()
}

async fn order(state: &AppState, number: &str) -> orders::Model {
    let id = app::domain::checkout::order_id(number).unwrap();
    orders::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
}

async fn lines(state: &AppState, number: &str) -> Vec<(i64, i32, i64)> {
    let id = app::domain::checkout::order_id(number).unwrap();
    order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(id))
        .order_by_asc(order_lines::Column::Id)
        .all(&state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.variant_id, l.quantity, l.unit_price_minor))
        .collect()
}

fn line(variant_id: i64, quantity: u32) -> EditLine {
    EditLine {
        variant_id,
        quantity,
    }
}

fn courier(lines: Vec<EditLine>) -> OrderEdit {
    OrderEdit {
        lines,
        delivery: "courier".into(),
        city: "Москва".into(),
        address: "ул. Изменённая, 5".into(),
        postcode: String::new(),
        pickup_point: None,
        reason: "the customer called".into(),
    }
}

async fn run(
    state: &AppState,
    staff: &AuthUser,
    number: &str,
    edit: &OrderEdit,
    save: bool,
) -> EditOutcome {
    let snap = state.catalog.get(&state.db).await.unwrap();
    order_edits::edit(state, &snap, staff, number, edit, save, Lang::En)
        .await
        .unwrap()
}

fn preview(outcome: EditOutcome) -> EditPreview {
    match outcome {
        EditOutcome::Preview(p) | EditOutcome::Saved(p) => *p,
        EditOutcome::Refused(why) => panic!("refused: {why:?}"),
    }
}

fn refused(outcome: EditOutcome) -> EditProblem {
    match outcome {
        EditOutcome::Refused(why) => why,
        other => panic!("not refused: {other:?}"),
    }
}

/// Two ordinary in-stock variants of different products, 10 units each.
async fn two_variants(state: &AppState) -> (i64, i64) {
    let snap = state.catalog.get(&state.db).await.unwrap();
    let mut found = snap
        .products
        .iter()
        .filter_map(|p| p.variants.iter().find(|v| v.backorder_days.is_none()));
    let (a, b) = (found.next().unwrap().id, found.next().unwrap().id);
    for id in [a, b] {
        let warehouse = stock::Entity::find()
            .filter(stock::Column::VariantId.eq(id))
            .one(&state.db)
            .await
            .unwrap()
            .unwrap()
            .warehouse_id;
        common::set_stock(state, id, warehouse, 10).await;
    }
    (a, b)
}

async fn place(state: &AppState, key: &str, cart: StoredCart, promo: Option<&str>) -> String {
    let snap = state.catalog.get(&state.db).await.unwrap();
    let request = app::server::orders::Request {
        key: key.into(),
        cart,
        choices: CartChoices {
            promo_code: promo.map(String::from),
            ..Default::default()
        },
        form: CheckoutForm {
            name: "Эдит Правкина".into(),
            phone: "+7 916 555-66-77".into(),
            email: "edit@example.ru".into(),
            delivery: "courier".into(),
            city: "Москва".into(),
            address: "ул. Исходная, 1".into(),
            payment: "cash_on_delivery".into(),
            ..Default::default()
        },
        lang: Lang::En,
    };
    match app::server::orders::place(state, &snap, None, &request)
        .await
        .unwrap()
    {
        PlaceOutcome::Placed { number, .. } => number,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_operator_changes_the_goods_and_the_delivery_and_everything_follows() {
    let state = common::demo_state().await;
    let admin = common::user(&state.db, "a@example.com", "admin-pass-1", Role::Admin).await;
    let operator = common::user(
        &state.db,
        "o@example.com",
        "operator-pass-1",
        Role::Operator,
    )
    .await;
    let (a, b) = two_variants(&state).await;
    // Ten percent off, once per customer: the edit must not count the
    // order's own use against it.
    let problems = promotions::save(
        &state,
        &admin,
        PromotionForm {
            name_ru: "Десять".into(),
            name_en: "Ten".into(),
            code: "TEN".into(),
            kind: "percent".into(),
            value: "10".into(),
            per_customer_limit: "1".into(),
            active: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let mut cart = StoredCart::default();
    cart.add(a, 2);
    let number = place(&state, "edit-key-000000000001", cart, Some("TEN")).await;
    let placed = order(&state, &number).await;
    assert_eq!(placed.delivery_city, "Москва");
    assert_eq!(placed.delivery_street, "ул. Исходная, 1");
    assert!(placed.discount_minor > 0);
    assert_eq!(
        (for_sale(&state, a).await, for_sale(&state, b).await),
        (8, 10)
    );
    let agreed_a = lines(&state, &number).await[0].2;

    // Today A costs more; the line already in the order keeps its price.
    let mut dearer = variants::Entity::find_by_id(a)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    dearer.price_minor = Set(agreed_a * 2);
    dearer.update(&state.db).await.unwrap();
    app::server::catalog::bump_version(&state.db).await.unwrap();
    state.catalog.invalidate();
    let price_b = variants::Entity::find_by_id(b)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .price_minor;

    // A preview prices it and saves nothing.
    let wanted = courier(vec![line(a, 3), line(b, 1)]);
    let seen = preview(run(&state, &operator, &number, &wanted, false).await);
    let goods = from_minor(agreed_a * 3 + price_b);
    assert_eq!(seen.subtotal, goods);
    assert_eq!(seen.discounts.len(), 1, "{:?}", seen.discounts);
    let tenth = app::domain::pricing::round_kopecks(goods / Decimal::from(10));
    assert_eq!(seen.discounts[0].1, tenth);
    assert_eq!(
        seen.total,
        goods - seen.discounts[0].1 + seen.delivery_price
    );
    assert_eq!(seen.total_before, from_minor(placed.total_minor));
    assert!(seen.changes.contains("+1 × "), "{}", seen.changes);
    assert_eq!(lines(&state, &number).await.len(), 1);
    assert_eq!(
        (for_sale(&state, a).await, for_sale(&state, b).await),
        (8, 10)
    );
    assert_eq!(order(&state, &number).await, placed);

    // Saved: the lines, the totals, the stock and the promo code's use.
    let saved = preview(run(&state, &operator, &number, &wanted, true).await);
    assert_eq!(saved.total, seen.total);
    assert_eq!(
        lines(&state, &number).await,
        vec![(a, 3, agreed_a), (b, 1, price_b)]
    );
    let after = order(&state, &number).await;
    assert_eq!(from_minor(after.total_minor), seen.total);
    assert_eq!(after.delivery_street, "ул. Изменённая, 5");
    assert_eq!(after.delivery_address, "Москва, ул. Изменённая, 5");
    assert_eq!(
        (for_sale(&state, a).await, for_sale(&state, b).await),
        (7, 9)
    );
    // The third unit of A joins the two the order held: one reservation.
    common::assert_ledger_balances(&state.db).await;
    assert_eq!(
        promotion_redemptions::Entity::find()
            .filter(promotion_redemptions::Column::OrderId.eq(after.id))
            .count(&state.db)
            .await
            .unwrap(),
        1
    );
    let edited = order_events::Entity::find()
        .filter(order_events::Column::OrderId.eq(after.id))
        .filter(order_events::Column::Status.eq("edited"))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(edited.actor_user_id, Some(operator.id));
    assert!(
        edited.note.contains("the customer called"),
        "{}",
        edited.note
    );
    assert!(
        edited.note.contains("address: Москва, ул. Изменённая, 5"),
        "{}",
        edited.note
    );
    let told = outbox::Entity::find()
        .filter(outbox::Column::OrderId.eq(after.id))
        .filter(outbox::Column::Event.eq("order_changed"))
        .all(&state.db)
        .await
        .unwrap();
    assert_eq!(told.len(), 2, "e-mail and SMS");
    assert!(told
        .iter()
        .any(|m| m.channel == "email" && m.subject.contains(&number)));
    assert_eq!(
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("order.edit"))
            .count(&state.db)
            .await
            .unwrap(),
        1
    );

    // Then to a pickup point, without A: its units go back on sale.
    let point = pickup_points::Entity::find()
        .filter(pickup_points::Column::Active.eq(true))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    let to_point = OrderEdit {
        lines: vec![line(a, 0), line(b, 2)],
        delivery: point.method_code.clone(),
        city: String::new(),
        address: String::new(),
        postcode: String::new(),
        pickup_point: Some(point.id),
        reason: String::new(),
    };
    let moved = preview(run(&state, &operator, &number, &to_point, true).await);
    assert_eq!(moved.subtotal, from_minor(price_b * 2));
    assert_eq!(lines(&state, &number).await, vec![(b, 2, price_b)]);
    let after = order(&state, &number).await;
    assert_eq!(after.pickup_point_id, Some(point.id));
    assert_eq!(after.delivery_code, point.method_code);
    assert_eq!(after.delivery_city, point.city);
    assert!(after.delivery_address.contains(&point.address));
    assert_eq!(
        (for_sale(&state, a).await, for_sale(&state, b).await),
        (10, 8)
    );
    common::assert_ledger_balances(&state.db).await;
}

#[tokio::test]
async fn refused_edits_leave_the_order_and_the_stock_as_they_were() {
    let state = common::demo_state().await;
    let manager = common::user(&state.db, "m@example.com", "manager-pass-1", Role::Manager).await;
    let (a, b) = two_variants(&state).await;
    let mut cart = StoredCart::default();
    cart.add(a, 2);
    let number = place(&state, "edit-key-000000000002", cart, None).await;
    let placed = order(&state, &number).await;
    let unchanged = |state: &AppState| {
        let number = number.clone();
        let placed = placed.clone();
        let state = state.clone();
        async move {
            assert_eq!(order(&state, &number).await, placed);
            assert_eq!(lines(&state, &number).await.len(), 1);
            assert_eq!(
                (for_sale(&state, a).await, for_sale(&state, b).await),
                (8, 10)
            );
        }
    };

    assert_eq!(
        refused(run(&state, &manager, &number, &courier(vec![line(a, 0)]), true).await),
        EditProblem::NoLines
    );
    assert_eq!(
        refused(
            run(
                &state,
                &manager,
                &number,
                &courier(vec![line(a, 2), line(b, 11)]),
                true
            )
            .await
        ),
        EditProblem::OutOfStock(vec![order_lines_name(&state, b).await])
    );
    assert_eq!(
        refused(run(&state, &manager, &number, &courier(vec![line(-5, 1)]), true).await),
        EditProblem::UnknownProduct { variant_id: -5 }
    );
    let nowhere = OrderEdit {
        city: " ".into(),
        ..courier(vec![line(a, 1)])
    };
    assert_eq!(
        refused(run(&state, &manager, &number, &nowhere, true).await),
        EditProblem::Delivery(vec![CheckoutProblem::CityRequired])
    );
    let long = OrderEdit {
        reason: "x".repeat(301),
        ..courier(vec![line(a, 1)])
    };
    assert_eq!(
        refused(run(&state, &manager, &number, &long, true).await),
        EditProblem::ReasonTooLong
    );
    unchanged(&state).await;

    // The customer is on the bank's page: wait.
    let now = chrono::Utc::now();
    let paying = payments::ActiveModel {
        order_id: Set(placed.id),
        provider: Set("sandbox".into()),
        external_id: Set("pay_edit_pending".into()),
        amount_minor: Set(placed.total_minor),
        status: Set("pending".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .unwrap();
    assert_eq!(
        refused(run(&state, &manager, &number, &courier(vec![line(a, 1)]), true).await),
        EditProblem::PaymentInProgress
    );
    payments::Entity::delete_by_id(paying.id)
        .exec(&state.db)
        .await
        .unwrap();

    // Money already received: the new total may not fall below it; when
    // it lands exactly on it, the order is paid.
    let one = courier(vec![line(a, 1)]);
    let smaller = preview(run(&state, &manager, &number, &one, false).await).total;
    let taken = order_admin::take_part_payment(
        &state,
        &manager,
        &number,
        &(smaller + Decimal::ONE).to_string(),
    )
    .await
    .unwrap();
    assert_eq!(taken, Ok(()));
    assert_eq!(
        refused(run(&state, &manager, &number, &one, true).await),
        EditProblem::BelowPaid {
            paid: smaller + Decimal::ONE,
            total: smaller
        }
    );
    unchanged(&state).await;

    // Picking started: too late.
    let act = |action| {
        let (state, manager, number) = (state.clone(), manager.clone(), number.clone());
        async move {
            order_admin::act(&state, &manager, &number, action, &ActionInput::default())
                .await
                .unwrap()
        }
    };
    assert!(act(OrderAction::Confirm).await.is_ok());
    assert!(act(OrderAction::StartPicking).await.is_ok());
    assert_eq!(
        refused(run(&state, &manager, &number, &courier(vec![line(a, 3)]), true).await),
        EditProblem::NotEditable(OrderStatus::Picking)
    );
    common::assert_ledger_balances(&state.db).await;
}

async fn order_lines_name(state: &AppState, variant_id: i64) -> String {
    let snap = state.catalog.get(&state.db).await.unwrap();
    let (product, _) = snap.variant(variant_id).unwrap();
    app::server::storefront::product_name(product, Lang::En).to_string()
}

#[tokio::test]
async fn taking_goods_off_down_to_what_was_paid_pays_the_order() {
    let state = common::demo_state().await;
    let manager = common::user(&state.db, "m@example.com", "manager-pass-1", Role::Manager).await;
    let (a, _) = two_variants(&state).await;
    let mut cart = StoredCart::default();
    cart.add(a, 3);
    let number = place(&state, "edit-key-000000000003", cart, None).await;
    let one = courier(vec![line(a, 1)]);
    let smaller = preview(run(&state, &manager, &number, &one, false).await).total;
    order_admin::take_part_payment(&state, &manager, &number, &smaller.to_string())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order(&state, &number).await.payment_status, "unpaid");
    let saved = preview(run(&state, &manager, &number, &one, true).await);
    assert_eq!(saved.total, smaller);
    let paid = order(&state, &number).await;
    assert_eq!(paid.payment_status, "paid");
    assert_eq!(Some(paid.total_minor), to_minor(smaller));
    assert_eq!(for_sale(&state, a).await, 9);
    // Paid in full: no more edits.
    assert_eq!(
        refused(run(&state, &manager, &number, &courier(vec![line(a, 2)]), true).await),
        EditProblem::AlreadyPaid
    );
    common::assert_ledger_balances(&state.db).await;
}

#[tokio::test]
async fn goods_that_can_be_ordered_ahead_are_added_beyond_stock() {
    let state = common::demo_state().await;
    let manager = common::user(&state.db, "m@example.com", "manager-pass-1", Role::Manager).await;
    let (a, _) = two_variants(&state).await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let ahead = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .find(|v| v.backorder_days.is_some())
        .expect("the demo catalog has goods to order ahead")
        .id;
    let warehouse = app::server::entities::warehouses::Entity::find()
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    common::set_stock(&state, ahead, warehouse, 1).await;
    let mut cart = StoredCart::default();
    cart.add(a, 1);
    let number = place(&state, "edit-key-000000000004", cart, None).await;
    let backordered = |state: AppState, number: String| async move {
        let id = app::domain::checkout::order_id(&number).unwrap();
        order_lines::Entity::find()
            .filter(order_lines::Column::OrderId.eq(id))
            .filter(order_lines::Column::VariantId.eq(ahead))
            .one(&state.db)
            .await
            .unwrap()
            .map(|l| (l.quantity, l.backordered_quantity))
    };

    // Three wanted, one in stock: one held, two ordered ahead.
    let more = courier(vec![line(a, 1), line(ahead, 3)]);
    let saved = preview(run(&state, &manager, &number, &more, true).await);
    let priced = saved.lines.iter().find(|l| l.variant_id == ahead).unwrap();
    assert_eq!((priced.quantity, priced.backordered), (3, 2));
    assert_eq!(
        backordered(state.clone(), number.clone()).await,
        Some((3, 2))
    );
    assert_eq!(for_sale(&state, ahead).await, 0);

    // Down to one: the unit held covers it, nothing waits.
    let fewer = courier(vec![line(a, 1), line(ahead, 1)]);
    preview(run(&state, &manager, &number, &fewer, true).await);
    assert_eq!(
        backordered(state.clone(), number.clone()).await,
        Some((1, 0))
    );
    assert_eq!(for_sale(&state, ahead).await, 0);
    common::assert_ledger_balances(&state.db).await;
}
