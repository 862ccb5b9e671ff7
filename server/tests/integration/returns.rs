//! Returns (ORD-7) and try-on at the door (LOG-3) on a real database: a
//! cash order with a try-on delivered with one unit handed back (paid for
//! the rest, the unit back on its shelf), then a damaged item returned and
//! written off, then the rest returned: the refunds add up to exactly what
//! was paid for the goods, and the ledger still balances.
use crate::common;

use app::api::checkout::PlaceOutcome;
use app::domain::accounts::Role;
use app::domain::cart::StoredCart;
use app::domain::catalog::from_minor;
use app::domain::checkout::{CheckoutForm, OrderStatus};
use app::domain::money::Lang;
use app::domain::orders::{ActionInput, OrderAction, TransitionError};
use app::domain::returns::{ReturnProblem, ReturnedLine};
use app::server::entities::{order_lines, orders, stock, stock_movements};
use app::server::{order_admin, AppState};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

async fn on_hand(state: &AppState, variant_id: i64) -> i32 {
    stock::Entity::find()
        .filter(stock::Column::VariantId.eq(variant_id))
        .all(&state.db)
        .await
        .unwrap()
        .iter()
        .map(|s| s.on_hand)
        .sum()
}

#[tokio::test]
async fn goods_handed_back_at_the_door_and_returned_later_refund_exactly_what_was_paid() {
    let state = common::demo_state().await;
    let manager = common::user(&state.db, "m@example.com", "manager-pass-1", Role::Manager).await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let mut in_stock = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .filter(|v| v.backorder_days.is_none() && v.stock.get() >= 3);
    let (a, b) = (
        in_stock.next().unwrap().clone(),
        in_stock.next().unwrap().clone(),
    );
    let mut cart = StoredCart::default();
    cart.add(a.id, 2);
    cart.add(b.id, 1);
    let request = app::server::orders::Request {
        key: "returns-key-00000001".into(),
        cart,
        choices: Default::default(),
        form: CheckoutForm {
            name: "Ольга Примеркина".into(),
            phone: "+7 916 222-33-44".into(),
            email: "olga@example.ru".into(),
            delivery: "courier".into(),
            city: "Москва".into(),
            address: "ул. Примерочная, 3".into(),
            payment: "cash_on_delivery".into(),
            try_on: true,
            ..Default::default()
        },
        lang: Lang::En,
    };
    let PlaceOutcome::Placed { number, token } =
        app::server::orders::place(&state, &snap, None, &request)
            .await
            .unwrap()
    else {
        panic!("placed");
    };
    let act = |action, input: ActionInput| {
        let state = state.clone();
        let manager = manager.clone();
        let number = number.clone();
        async move {
            order_admin::act(&state, &manager, &number, action, &input)
                .await
                .unwrap()
        }
    };
    for (action, input) in [
        (OrderAction::Confirm, ActionInput::default()),
        (OrderAction::StartPicking, ActionInput::default()),
        (
            OrderAction::Pack,
            ActionInput {
                parcels: vec![1500],
                ..Default::default()
            },
        ),
        (
            OrderAction::Ship,
            ActionInput {
                tracking_number: "TRY-1".into(),
                ..Default::default()
            },
        ),
    ] {
        act(action, input).await.unwrap();
    }
    let id = app::domain::checkout::order_id(&number).unwrap();
    let lines = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(id))
        .order_by_asc(order_lines::Column::Id)
        .all(&state.db)
        .await
        .unwrap();
    let line_of = |variant: i64| lines.iter().find(|l| l.variant_id == variant).unwrap();
    let (line_a, line_b) = (line_of(a.id), line_of(b.id));
    let back = |line: &order_lines::Model, quantity| ReturnedLine {
        line_id: line.id,
        quantity,
    };
    let shelf_a = on_hand(&state, a.id).await;

    // More than was ordered is refused, and nothing moves.
    assert_eq!(
        act(
            OrderAction::Deliver,
            ActionInput {
                returned: vec![back(line_a, 3)],
                ..Default::default()
            }
        )
        .await,
        Err(TransitionError::Return(ReturnProblem::TooMany {
            line_id: line_a.id,
            left: 2
        }))
    );
    // One unit of A handed back at the door: delivered, paid for the rest.
    assert_eq!(
        act(
            OrderAction::Deliver,
            ActionInput {
                returned: vec![back(line_a, 1)],
                ..Default::default()
            }
        )
        .await,
        Ok(OrderStatus::Delivered)
    );
    let order = orders::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.payment_status, "paid");
    let price_a = from_minor(line_a.unit_price_minor);
    let price_b = from_minor(line_b.unit_price_minor);
    let goods = from_minor(order.goods_minor);
    let paid_for_goods = goods - from_minor(order.discount_minor);
    let share = |value: rust_decimal::Decimal| (paid_for_goods * value / goods).round_dp(2);
    assert_eq!(from_minor(order.refunded_minor), share(price_a));
    assert_eq!(
        on_hand(&state, a.id).await,
        shelf_a + 1,
        "back on its shelf"
    );

    // Later B comes back damaged: written off, the order stays delivered.
    let shelf_b = on_hand(&state, b.id).await;
    assert_eq!(
        act(
            OrderAction::Return,
            ActionInput {
                reason: "arrived damaged".into(),
                returned: vec![back(line_b, 1)],
                write_off: true,
                ..Default::default()
            }
        )
        .await,
        Ok(OrderStatus::Delivered)
    );
    assert_eq!(on_hand(&state, b.id).await, shelf_b, "written off");
    // The rest (the second unit of A) without listing lines: everything left.
    assert_eq!(
        act(
            OrderAction::Return,
            ActionInput {
                reason: "changed their mind".into(),
                ..Default::default()
            }
        )
        .await,
        Ok(OrderStatus::Returned)
    );
    let order = orders::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        from_minor(order.refunded_minor),
        paid_for_goods,
        "all refunds together are what the goods cost after discounts"
    );
    assert_eq!(share(price_a + price_a + price_b), paid_for_goods);
    let returns = stock_movements::Entity::find()
        .filter(stock_movements::Column::OrderId.eq(id))
        .filter(stock_movements::Column::Kind.eq("return"))
        .count(&state.db)
        .await
        .unwrap();
    assert_eq!(returns, 2, "two restocks of A; B was written off");

    // The customer's page tells the story.
    let snap = state.catalog.get(&state.db).await.unwrap();
    let page = app::server::orders::by_token(&state.db, &snap, &token, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.returns.len(), 3);
    assert!(page.returns[0].at_door);
    assert!(!page.returns[1].restocked);
    assert_eq!(page.refunded, paid_for_goods);
    assert!(page.lines.iter().all(|l| l.returned == l.quantity));
    common::assert_ledger_balances(&state.db).await;
}
