//! Phone orders (ORD-4) on a real database: an operator answers a callback
//! request, finds the caller in the CRM by phone, and places the order with
//! the shopper's cart; it goes through checkout's rules (problems, stock,
//! idempotency), lands on the chosen customer, says it came by phone and
//! who took it, and closes the callback request.
use crate::common;

use app::api::checkout::PlaceOutcome;
use app::domain::accounts::Role;
use app::domain::cart::StoredCart;
use app::domain::checkout::{order_id, CheckoutForm, CheckoutProblem};
use app::domain::money::Lang;
use app::server::accounts::{create_user, NewAccount};
use app::server::entities::{callback_requests, customers, order_events, orders};
use app::server::orders::{place_by_phone, Origin, Request};
use app::server::{callbacks, phone_orders};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn form(phone: &str) -> CheckoutForm {
    CheckoutForm {
        name: "Зоя Звонкова".into(),
        phone: phone.into(),
        delivery: "courier".into(),
        city: "Москва".into(),
        address: "ул. Телефонная, 2".into(),
        payment: "cash_on_delivery".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_operator_turns_a_callback_into_an_order_for_a_known_customer() {
    let state = common::demo_state().await;
    let db = &state.db;
    let operator = common::user(db, "op@example.com", "operator-pass-1", Role::Operator).await;
    let snap = state.catalog.get(db).await.unwrap();
    let variant = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .find(|v| v.stock.get() >= 5 && v.backorder_days.is_none())
        .unwrap()
        .clone();

    // The caller ordered on the site before, as a guest.
    let (earlier, _) =
        common::guest_order(&state, "phone-earlier-000001", form("+79167770011")).await;
    let known = orders::Entity::find_by_id(order_id(&earlier).unwrap())
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .customer_id
        .unwrap();

    // Today they asked for a call with two units in the cart.
    let mut cart = StoredCart::default();
    cart.add(variant.id, 2);
    let problems = callbacks::request(&state, &snap, None, "Зоя", "8 916 777-00-11", &cart)
        .await
        .unwrap();
    assert!(problems.is_empty());
    let callback = callback_requests::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let prefill = phone_orders::callback_prefill(db, callback.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(prefill.phone, "+79167770011");
    assert_eq!(prefill.cart.quantity_of(variant.id), 2);

    // The operator finds them by the last digits of the phone, and the goods by SKU.
    let found = phone_orders::find_customers(db, "770011", Lang::En)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, known);
    let goods = phone_orders::find_variants(&snap, &variant.sku.to_lowercase(), Lang::En);
    assert!(goods.iter().any(|g| g.variant_id == variant.id));
    assert!(phone_orders::find_variants(&snap, "   ", Lang::En).is_empty());

    let before = state
        .catalog
        .get(db)
        .await
        .unwrap()
        .variant(variant.id)
        .unwrap()
        .1
        .stock
        .get();
    let origin = Origin {
        operator: Some(&operator),
        customer_id: Some(known),
        callback_id: Some(callback.id),
    };
    // Checkout's rules: no address, no order.
    let mut request = Request {
        key: "phone-order-key-000001".into(),
        cart: prefill.cart.clone(),
        choices: Default::default(),
        form: CheckoutForm {
            address: String::new(),
            ..form(&prefill.phone)
        },
        lang: Lang::En,
    };
    let refused = place_by_phone(&state, &snap, origin, &request)
        .await
        .unwrap();
    assert_eq!(
        refused,
        PlaceOutcome::Problems(vec![CheckoutProblem::AddressRequired])
    );
    request.form = form(&prefill.phone);
    let PlaceOutcome::Placed { number, .. } = place_by_phone(&state, &snap, origin, &request)
        .await
        .unwrap()
    else {
        panic!("placed");
    };
    // A second click with the same key is the same order.
    let again = place_by_phone(&state, &snap, origin, &request)
        .await
        .unwrap();
    assert!(matches!(again, PlaceOutcome::Placed { number: ref n, .. } if *n == number));

    let order = orders::Entity::find_by_id(order_id(&number).unwrap())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.channel, "phone");
    assert_eq!(order.customer_id, Some(known));
    assert_eq!(order.user_id, None);
    let placed = order_events::Entity::find()
        .filter(order_events::Column::OrderId.eq(order.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(placed.status, "new");
    assert_eq!(placed.actor_user_id, Some(operator.id));
    assert_eq!(placed.note, "Taken by phone");
    let callback = callback_requests::Entity::find_by_id(callback.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(callback.status, "called");
    assert_eq!(callback.order_id, Some(order.id));
    assert_eq!(callback.handled_by, Some(operator.id));
    let queue = callbacks::queue(&state, true).await.unwrap();
    assert_eq!(queue[0].order_number.as_deref(), Some(number.as_str()));
    // The stock is reserved through the ledger, as for the site's orders.
    common::assert_ledger_balances(db).await;
    let after = state.catalog.get(db).await.unwrap();
    let (_, left) = after.variant(variant.id).unwrap();
    assert_eq!(left.stock.get(), before - 2);

    // A phone order for a customer with an account shows in that account.
    let account = create_user(
        db,
        NewAccount {
            email: "zoya@example.ru".into(),
            password: "correct horse battery".into(),
            name: "Зоя".into(),
            phone: None,
            role: Role::Customer,
        },
    )
    .await
    .unwrap();
    let record = customers::Entity::find()
        .filter(customers::Column::UserId.eq(account.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let request = Request {
        key: "phone-order-key-000002".into(),
        ..request
    };
    let PlaceOutcome::Placed { number, .. } = place_by_phone(
        &state,
        &snap,
        Origin {
            operator: Some(&operator),
            customer_id: Some(record.id),
            callback_id: None,
        },
        &request,
    )
    .await
    .unwrap() else {
        panic!("placed");
    };
    let order = orders::Entity::find_by_id(order_id(&number).unwrap())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.user_id, Some(account.id));
    assert_eq!(order.customer_id, Some(record.id));
    let record = customers::Entity::find_by_id(record.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.phone, "+79167770011", "filled from the order");

    // A customer that does not exist is refused, not guessed.
    let missing = place_by_phone(
        &state,
        &snap,
        Origin {
            operator: Some(&operator),
            customer_id: Some(999_999),
            callback_id: None,
        },
        &Request {
            key: "phone-order-key-000003".into(),
            ..request
        },
    )
    .await;
    assert!(matches!(missing, Err(app::api::AppError::NotFound)));
}
