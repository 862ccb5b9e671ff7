//! Parcel tracking (LOG-2) on a real database: the sandbox carrier moves
//! parcels through their statuses as time passes, each status is recorded
//! once however often it is polled, a carrier outage loses nothing, every
//! parcel delivered delivers the order (cash on delivery becomes paid)
//! unless a try-on waits for the courier, and staff add statuses by hand.
use crate::common;

use app::domain::accounts::Role;
use app::domain::checkout::{CheckoutForm, OrderStatus};
use app::domain::money::Lang;
use app::domain::orders::{ActionInput, OrderAction};
use app::domain::tracking::TrackingProblem;
use app::server::accounts::AuthUser;
use app::server::entities::{audit_log, order_events, orders, outbox};
use app::server::tracking::{poll, Carrier, SandboxCarrier};
use app::server::{order_admin, AppState};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

fn courier_order(phone: &str, try_on: bool) -> CheckoutForm {
    CheckoutForm {
        name: "Ольга Петрова".into(),
        phone: phone.into(),
        email: "olga@example.ru".into(),
        delivery: "courier".into(),
        city: "Москва".into(),
        address: "ул. Садовая, 1".into(),
        payment: "cash_on_delivery".into(),
        try_on,
        ..Default::default()
    }
}

/// Confirmed, picked, packed in one box per tracking number, handed over.
async fn ship(state: &AppState, manager: &AuthUser, number: &str, tracking: &[&str]) {
    let steps = [
        (OrderAction::Confirm, ActionInput::default()),
        (OrderAction::StartPicking, ActionInput::default()),
        (
            OrderAction::Pack,
            ActionInput {
                parcels: vec![800; tracking.len()],
                ..Default::default()
            },
        ),
        (
            OrderAction::Ship,
            ActionInput {
                tracking_number: tracking.join(" "),
                ..Default::default()
            },
        ),
    ];
    for (action, input) in steps {
        order_admin::act(state, manager, number, action, &input)
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{action:?}: {e:?}"));
    }
}

async fn order(state: &AppState, number: &str) -> orders::Model {
    let id = app::domain::checkout::order_id(number).unwrap();
    orders::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
}

/// Each parcel's statuses as the customer's page shows them.
async fn seen_by_customer(state: &AppState, token: &str) -> Vec<(String, Vec<String>)> {
    let snap = state.catalog.get(&state.db).await.unwrap();
    app::server::orders::by_token(&state.db, &snap, token, Lang::En)
        .await
        .unwrap()
        .unwrap()
        .parcels
        .into_iter()
        .map(|p| (p.number, p.events.into_iter().map(|e| e.status).collect()))
        .collect()
}

#[tokio::test]
async fn the_sandbox_carrier_moves_parcels_and_delivers_the_order() {
    let state = common::demo_state().await;
    let manager = common::user(&state.db, "m@example.com", "manager-pass-1", Role::Manager).await;
    let (two_boxes, two_token) = common::guest_order(
        &state,
        "track-key-000000001",
        courier_order("+79160000001", false),
    )
    .await;
    let (uncollected, _) = common::guest_order(
        &state,
        "track-key-000000002",
        courier_order("+79160000002", false),
    )
    .await;
    let (try_on, _) = common::guest_order(
        &state,
        "track-key-000000003",
        courier_order("+79160000003", true),
    )
    .await;
    ship(&state, &manager, &two_boxes, &["TRK-11", "TRK-29"]).await;
    ship(&state, &manager, &uncollected, &["TRK-300"]).await;
    ship(&state, &manager, &try_on, &["TRK-41"]).await;
    let start = Utc::now();
    let sandbox = SandboxCarrier::new(60, 0);
    let carriers: [&dyn Carrier; 1] = [&sandbox];

    // The carrier's API is down: nothing recorded, nothing lost.
    let down = SandboxCarrier::new(60, 1);
    let report = poll(&state, &[&down], start).await.unwrap();
    assert_eq!((report.recorded, report.unavailable), (0, 4));

    // Just handed over: every parcel accepted, once however often polled.
    let report = poll(&state, &carriers, start).await.unwrap();
    assert_eq!((report.recorded, report.unavailable), (4, 0));
    assert_eq!(poll(&state, &carriers, start).await.unwrap().recorded, 0);

    // Three steps on, the first box is delivered, the second's courier failed.
    let report = poll(&state, &carriers, start + Duration::seconds(200))
        .await
        .unwrap();
    assert!(report.delivered.is_empty(), "{report:?}");
    assert_eq!(order(&state, &two_boxes).await.status, "shipped");
    assert_eq!(
        seen_by_customer(&state, &two_token).await,
        vec![
            (
                "TRK-11".to_string(),
                vec!["accepted", "in_transit", "out_for_delivery", "delivered"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            ),
            (
                "TRK-29".to_string(),
                vec![
                    "accepted",
                    "in_transit",
                    "out_for_delivery",
                    "delivery_failed"
                ]
                .into_iter()
                .map(String::from)
                .collect()
            ),
        ]
    );

    // The second attempt succeeds: the order is delivered, cash collected.
    let report = poll(&state, &carriers, start + Duration::seconds(310))
        .await
        .unwrap();
    assert_eq!(report.delivered, vec![two_boxes.clone()]);
    let delivered = order(&state, &two_boxes).await;
    assert_eq!(
        (delivered.status.as_str(), delivered.payment_status.as_str()),
        ("delivered", "paid")
    );
    let event = order_events::Entity::find()
        .filter(order_events::Column::OrderId.eq(delivered.id))
        .order_by_desc(order_events::Column::Id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            event.status.as_str(),
            event.actor_user_id,
            event.note.as_str()
        ),
        ("delivered", None, "Sandbox carrier (test)")
    );
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("order.deliver"))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(audit.actor_email, "carrier sandbox");
    let messages = outbox::Entity::find()
        .filter(outbox::Column::Event.eq("order_delivered"))
        .all(&state.db)
        .await
        .unwrap();
    assert_eq!(messages.len(), 2, "e-mail and SMS to the customer");

    // Much later: the uncollected parcel goes back; the try-on order waits
    // for the courier's record though its parcel is delivered.
    let report = poll(&state, &carriers, start + Duration::days(3))
        .await
        .unwrap();
    assert!(report.delivered.is_empty(), "{report:?}");
    assert_eq!(order(&state, &uncollected).await.status, "shipped");
    assert_eq!(order(&state, &try_on).await.status, "shipped");
    let last = |number: String| {
        let state = state.clone();
        async move {
            let o = order(&state, &number).await;
            app::server::entities::tracking_events::Entity::find()
                .filter(app::server::entities::tracking_events::Column::OrderId.eq(o.id))
                .order_by_desc(app::server::entities::tracking_events::Column::HappenedAt)
                .one(&state.db)
                .await
                .unwrap()
                .unwrap()
                .status
        }
    };
    assert_eq!(last(uncollected.clone()).await, "returning");
    assert_eq!(last(try_on.clone()).await, "delivered");
    // The courier records the try-on: everything kept.
    assert_eq!(
        order_admin::act(
            &state,
            &manager,
            &try_on,
            OrderAction::Deliver,
            &ActionInput::default()
        )
        .await
        .unwrap(),
        Ok(OrderStatus::Delivered)
    );
}

#[tokio::test]
async fn staff_add_statuses_by_hand() {
    use app::server::tracking::add_by_hand;
    let state = common::demo_state().await;
    let manager = common::user(&state.db, "m@example.com", "manager-pass-1", Role::Manager).await;
    let operator = common::user(
        &state.db,
        "op@example.com",
        "operator-pass-1",
        Role::Operator,
    )
    .await;
    let (number, token) = common::guest_order(
        &state,
        "track-key-000000011",
        courier_order("+79160000011", false),
    )
    .await;
    // Not handed over yet.
    assert_eq!(
        add_by_hand(&state, &operator, &number, "RA1", "in_transit", "")
            .await
            .unwrap(),
        Err(TrackingProblem::NotOnTheWay)
    );
    ship(&state, &manager, &number, &["RA123456789RU"]).await;
    let add = |parcel: &'static str, status: &'static str, place: String| {
        let (state, operator, number) = (state.clone(), operator.clone(), number.clone());
        async move {
            add_by_hand(&state, &operator, &number, parcel, status, &place)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        add("RA999", "in_transit", String::new()).await,
        Err(TrackingProblem::UnknownParcel)
    );
    assert_eq!(
        add("RA123456789RU", "lost", String::new()).await,
        Err(TrackingProblem::UnknownStatus)
    );
    assert_eq!(
        add("RA123456789RU", "in_transit", "я".repeat(121)).await,
        Err(TrackingProblem::PlaceTooLong)
    );
    // Two failed attempts are two entries.
    for _ in 0..2 {
        assert_eq!(
            add(
                "RA123456789RU",
                "delivery_failed",
                " Москва,\nСадовая ".into()
            )
            .await,
            Ok(())
        );
    }
    assert_eq!(order(&state, &number).await.status, "shipped");
    let snap = state.catalog.get(&state.db).await.unwrap();
    let view = app::server::orders::by_token(&state.db, &snap, &token, Lang::Ru)
        .await
        .unwrap()
        .unwrap();
    let events = &view.parcels[0].events;
    assert_eq!(events.len(), 2);
    assert_eq!(
        (
            events[0].label.as_str(),
            events[0].place.as_str(),
            events[0].by_staff
        ),
        ("Не удалось вручить", "Москва, Садовая", true)
    );
    // "Delivered" by hand delivers the order, in the operator's name.
    assert_eq!(
        add("RA123456789RU", "delivered", String::new()).await,
        Ok(())
    );
    let delivered = order(&state, &number).await;
    assert_eq!(
        (delivered.status.as_str(), delivered.payment_status.as_str()),
        ("delivered", "paid")
    );
    assert_eq!(
        add("RA123456789RU", "in_transit", String::new()).await,
        Err(TrackingProblem::NotOnTheWay)
    );
}
