//! Refunds through the payment provider (ORD-6), over real HTTP: the server
//! runs on a loopback port with the sandbox bank. A return of a card order
//! queues its refund; the worker sends it signed; the bank pays it back and
//! says so in a signed webhook, which settles the refund once. A refund
//! beyond what was paid is refused by the bank; an unsigned request to the
//! bank's refund API is refused outright.
use crate::common;

use app::domain::accounts::Role;
use app::domain::checkout::CheckoutForm;
use app::domain::orders::{ActionInput, OrderAction};
use app::domain::payments::{PaymentResult, WebhookEvent};
use app::server::entities::{order_events, orders, payments as payment_rows, refunds, returns};
use app::server::payments::{self, RefundRequest};
use app::server::{order_admin, AppState};
use chrono::Utc;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::net::SocketAddr;
use std::time::Duration;

/// The whole server on a loopback port, its base URL pointing at itself.
async fn live_server() -> AppState {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let demo = common::demo_state().await;
    let mut config = (*demo.config).clone();
    config.base_url = format!("http://{addr}");
    let state = AppState::new(demo.db.clone(), config);
    let options = leptos::config::LeptosOptions::builder()
        .output_name("lavka")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    let app = server::http::router(state.clone(), options);
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    state
}

async fn refund_rows(state: &AppState, order_id: i64) -> Vec<refunds::Model> {
    refunds::Entity::find()
        .filter(refunds::Column::OrderId.eq(order_id))
        .order_by_asc(refunds::Column::Id)
        .all(&state.db)
        .await
        .unwrap()
}

/// Waits up to ten seconds for the bank's webhook to settle every refund.
async fn settled(state: &AppState, order_id: i64) -> Vec<String> {
    for _ in 0..100 {
        let statuses: Vec<String> = refund_rows(state, order_id)
            .await
            .into_iter()
            .map(|r| r.status)
            .collect();
        if statuses.iter().all(|s| s == "succeeded" || s == "failed") {
            return statuses;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the bank never answered");
}

#[tokio::test]
async fn a_returned_card_order_is_paid_back_through_the_bank() {
    let state = live_server().await;
    let manager = common::user(&state.db, "m@example.com", "manager-pass-1", Role::Manager).await;
    let (number, token) = common::guest_order(
        &state,
        "refund-key-00000001",
        CheckoutForm {
            name: "Анна".into(),
            phone: "+7 916 123-45-67".into(),
            delivery: "courier".into(),
            city: "Москва".into(),
            address: "ул. Примерная, 1".into(),
            payment: "card_online".into(),
            ..Default::default()
        },
    )
    .await;
    // Paid by card: the bank's signed webhook, as in the payment tests.
    let provider = payments::provider(&state);
    let url = payments::start(&state, &provider, &token).await.unwrap();
    let external = url.rsplit('/').next().unwrap().to_string();
    let payment = payment_rows::Entity::find()
        .filter(payment_rows::Column::ExternalId.eq(external.clone()))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    let paid = serde_json::to_vec(&WebhookEvent {
        event_id: "evt-paid-1".into(),
        payment_id: external.clone(),
        result: PaymentResult::Succeeded,
        amount: Decimal::new(payment.amount_minor, 2),
        refund_id: None,
    })
    .unwrap();
    let signature = provider.sign(&paid, Utc::now().timestamp());
    assert_eq!(
        payments::receive_webhook(&state, &provider, &signature, &paid)
            .await
            .unwrap(),
        "paid"
    );
    let order_id = app::domain::checkout::order_id(&number).unwrap();
    let steps = [
        (OrderAction::Confirm, ActionInput::default()),
        (OrderAction::StartPicking, ActionInput::default()),
        (
            OrderAction::Pack,
            ActionInput {
                parcels: vec![700],
                ..Default::default()
            },
        ),
        (
            OrderAction::Ship,
            ActionInput {
                tracking_number: "RA77".into(),
                ..Default::default()
            },
        ),
        (OrderAction::Deliver, ActionInput::default()),
        (
            OrderAction::Return,
            ActionInput {
                reason: "Wrong size".into(),
                ..Default::default()
            },
        ),
    ];
    for (action, input) in steps {
        order_admin::act(&state, &manager, &number, action, &input)
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{action:?}: {e:?}"));
    }
    // The return queued the refund of everything paid for the goods.
    let order = orders::Entity::find_by_id(order_id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    let queued = refund_rows(&state, order_id).await;
    assert_eq!(queued.len(), 1);
    assert_eq!(
        (queued[0].status.as_str(), queued[0].amount_minor),
        ("pending", order.refunded_minor)
    );
    let the_return = returns::Entity::find()
        .filter(returns::Column::OrderId.eq(order_id))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(queued[0].return_id, Some(the_return.id));

    // The worker sends it; the bank pays it back and says so once.
    let client = reqwest::Client::new();
    assert_eq!(server::refunds::send_due(&state, &client).await.unwrap(), 1);
    assert_eq!(server::refunds::send_due(&state, &client).await.unwrap(), 0);
    assert_eq!(settled(&state, order_id).await, vec!["succeeded"]);
    let timeline = |status: &'static str| {
        let state = state.clone();
        async move {
            order_events::Entity::find()
                .filter(order_events::Column::OrderId.eq(order_id))
                .filter(order_events::Column::Status.eq(status))
                .all(&state.db)
                .await
                .unwrap()
        }
    };
    // The bank sends each webhook twice; the refund shows once.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let paid_back = timeline("refund_paid").await;
    assert_eq!(paid_back.len(), 1);
    assert_eq!(
        paid_back[0].note,
        app::domain::catalog::from_minor(order.refunded_minor).to_string()
    );

    // Delivery was not refunded, so one kopeck more than it is more than
    // the payment still covers: the bank refuses, and the order says so.
    let beyond = payment.amount_minor - order.refunded_minor + 1;
    let txn = app::server::begin_write(&state.db).await.unwrap();
    assert!(
        payments::queue_refund(&txn, order_id, the_return.id, beyond, Utc::now())
            .await
            .unwrap()
    );
    txn.commit().await.unwrap();
    assert_eq!(server::refunds::send_due(&state, &client).await.unwrap(), 1);
    assert_eq!(settled(&state, order_id).await, vec!["succeeded", "failed"]);
    assert_eq!(timeline("refund_failed").await.len(), 1);

    // Nobody but the shop may ask the bank for a refund.
    let forged = serde_json::to_vec(&RefundRequest {
        refund_id: "rf_forged".into(),
        payment_id: external,
        amount: Decimal::ONE,
    })
    .unwrap();
    let answer = client
        .post(provider.refund_url())
        .header("content-type", "application/json")
        .header(
            "x-sandbox-signature",
            format!("t={},v1=00", Utc::now().timestamp()),
        )
        .body(forged)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), reqwest::StatusCode::UNAUTHORIZED);
}
