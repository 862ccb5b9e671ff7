//! Online payment through the sandbox provider on a real database (CHK-3):
//! signed webhooks applied once, forged, modified, replayed or wrong-amount
//! ones refused, and money arriving after a cancellation flagged.
use crate::common;

use app::api::AppError;
use app::domain::checkout::CheckoutForm;
use app::domain::money::Lang;
use app::domain::payments::{PaymentResult, WebhookEvent, WebhookRejection};
use app::server::entities::{orders as order_rows, payments as payment_rows};
use app::server::orders;
use app::server::payments::{self, PaymentProvider, Sandbox, WebhookError};
use app::server::AppState;
use chrono::Utc;
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// A card-online order, placed as a guest; returns its token.
async fn card_order(state: &AppState, key: &str) -> String {
    let form = CheckoutForm {
        name: "Анна".into(),
        phone: "+7 916 123-45-67".into(),
        delivery: "courier".into(),
        city: "Москва".into(),
        address: "ул. Примерная, 1".into(),
        payment: "card_online".into(),
        ..Default::default()
    };
    common::guest_order(state, key, form).await.1
}

async fn payment_of(state: &AppState, url: &str) -> payment_rows::Model {
    let external = url.rsplit('/').next().unwrap();
    payment_rows::Entity::find()
        .filter(payment_rows::Column::ExternalId.eq(external))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
}

async fn order(state: &AppState, token: &str) -> order_rows::Model {
    order_rows::Entity::find()
        .filter(order_rows::Column::Token.eq(token))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
}

fn event(id: &str, payment: &str, result: PaymentResult, amount: Decimal) -> Vec<u8> {
    serde_json::to_vec(&WebhookEvent {
        event_id: id.into(),
        payment_id: payment.into(),
        result,
        amount,
        refund_id: None,
    })
    .unwrap()
}

fn rejected(result: Result<&'static str, WebhookError>) -> WebhookRejection {
    match result {
        Err(WebhookError::Rejected(r)) => r,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn signed_webhooks_pay_the_order_once_and_forgeries_change_nothing() {
    let state = common::demo_state().await;
    let sandbox = payments::provider(&state);
    let token = card_order(&state, "key-card-order-00001").await;
    let url = payments::start(&state, &sandbox, &token).await.unwrap();
    assert!(url.contains("/sandbox-pay/"));
    let payment = payment_of(&state, &url).await;
    let amount = Decimal::new(payment.amount_minor, 2);
    let now = Utc::now().timestamp();

    // Signed with another key, or a body changed after signing: refused.
    let body = event(
        "evt-1",
        &payment.external_id,
        PaymentResult::Succeeded,
        amount,
    );
    let forger = Sandbox::new("not the shop's secret", &state.config.base_url);
    let forged = payments::receive_webhook(&state, &sandbox, &forger.sign(&body, now), &body).await;
    assert_eq!(rejected(forged), WebhookRejection::BadSignature);
    let cheaper = event(
        "evt-1",
        &payment.external_id,
        PaymentResult::Succeeded,
        Decimal::ONE,
    );
    let modified =
        payments::receive_webhook(&state, &sandbox, &sandbox.sign(&body, now), &cheaper).await;
    assert_eq!(rejected(modified), WebhookRejection::BadSignature);
    // Correctly signed but for another amount: refused too.
    let wrong_amount =
        payments::receive_webhook(&state, &sandbox, &sandbox.sign(&cheaper, now), &cheaper).await;
    assert_eq!(rejected(wrong_amount), WebhookRejection::AmountMismatch);
    // An old signed event replayed: refused.
    let replay =
        payments::receive_webhook(&state, &sandbox, &sandbox.sign(&body, now - 3600), &body).await;
    assert_eq!(rejected(replay), WebhookRejection::Stale);
    assert_eq!(order(&state, &token).await.payment_status, "unpaid");

    // The real one, then the same event again (a duplicate delivery).
    let outcome = payments::receive_webhook(&state, &sandbox, &sandbox.sign(&body, now), &body)
        .await
        .unwrap();
    assert_eq!(outcome, "paid");
    let again = payments::receive_webhook(&state, &sandbox, &sandbox.sign(&body, now), &body)
        .await
        .unwrap();
    assert_eq!(again, "duplicate");
    let paid = order(&state, &token).await;
    assert_eq!(paid.payment_status, "paid");
    let snap = state.catalog.get(&state.db).await.unwrap();
    let view = orders::by_token(&state.db, &snap, &token, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        view.timeline.iter().filter(|e| e.status == "paid").count(),
        1
    );
    assert!(view.paid);
    // The "paid" SMS was written with the payment, once despite the duplicate.
    let paid_messages = app::server::entities::outbox::Entity::find()
        .filter(app::server::entities::outbox::Column::OrderId.eq(paid.id))
        .filter(app::server::entities::outbox::Column::Event.eq("order_paid"))
        .all(&state.db)
        .await
        .unwrap();
    assert_eq!(paid_messages.len(), 1);
    assert_eq!(paid_messages[0].channel, "sms");
    // Nothing left to pay.
    assert_eq!(
        payments::start(&state, &sandbox, &token).await.unwrap_err(),
        AppError::NothingToPay
    );
}

#[tokio::test]
async fn a_failed_attempt_can_be_retried_and_money_after_a_cancellation_is_flagged() {
    let state = common::demo_state().await;
    let sandbox = payments::provider(&state);
    let token = card_order(&state, "key-card-order-00002").await;
    let now = Utc::now().timestamp();

    let first = payment_of(
        &state,
        &payments::start(&state, &sandbox, &token).await.unwrap(),
    )
    .await;
    let amount = Decimal::new(first.amount_minor, 2);
    let declined = event(
        "evt-declined",
        &first.external_id,
        PaymentResult::Failed,
        amount,
    );
    let outcome =
        payments::receive_webhook(&state, &sandbox, &sandbox.sign(&declined, now), &declined)
            .await
            .unwrap();
    assert_eq!(outcome, "failed");
    assert_eq!(order(&state, &token).await.payment_status, "unpaid");

    // Pay again: a new attempt. The order is cancelled before the bank answers.
    let second = payment_of(
        &state,
        &payments::start(&state, &sandbox, &token).await.unwrap(),
    )
    .await;
    assert_ne!(second.external_id, first.external_id);
    let mut cancelled: order_rows::ActiveModel = order(&state, &token).await.into();
    cancelled.status = Set("cancelled".into());
    cancelled.update(&state.db).await.unwrap();
    let late = event(
        "evt-late",
        &second.external_id,
        PaymentResult::Succeeded,
        amount,
    );
    let outcome = payments::receive_webhook(&state, &sandbox, &sandbox.sign(&late, now), &late)
        .await
        .unwrap();
    assert_eq!(outcome, "late");
    let after = order(&state, &token).await;
    assert_eq!(
        (after.status.as_str(), after.payment_status.as_str()),
        ("cancelled", "unpaid")
    );
    let snap = state.catalog.get(&state.db).await.unwrap();
    let view = orders::by_token(&state.db, &snap, &token, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert!(view
        .timeline
        .iter()
        .any(|e| e.status == "payment_after_cancel" && e.note == "refund needed"));
    // An event for a payment nobody made.
    let stranger = event("evt-x", "no-such-payment", PaymentResult::Succeeded, amount);
    let unknown =
        payments::receive_webhook(&state, &sandbox, &sandbox.sign(&stranger, now), &stranger).await;
    assert_eq!(rejected(unknown), WebhookRejection::UnknownPayment);
    let _ = sandbox.code();
}

#[tokio::test]
async fn staff_take_part_payments_until_the_order_is_paid() {
    use app::domain::accounts::Role;
    use app::domain::payments::PartPaymentProblem;
    use app::server::order_admin::{paid_so_far, take_part_payment, PartPaymentRefused};
    let state = common::demo_state().await;
    let manager = common::user(&state.db, "m@example.com", "manager-pass-1", Role::Manager).await;
    let operator = common::user(
        &state.db,
        "op@example.com",
        "operator-pass-1",
        Role::Operator,
    )
    .await;
    let token = card_order(&state, "key-part-payment-0001").await;
    let placed = order(&state, &token).await;
    let number = app::domain::checkout::order_number(placed.id);
    let total = Decimal::new(placed.total_minor, 2);
    let take = |who: &app::server::accounts::AuthUser, amount: String| {
        let (state, who, number) = (state.clone(), who.clone(), number.clone());
        async move {
            take_part_payment(&state, &who, &number, &amount)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        take(&operator, "100".into()).await,
        Err(PartPaymentRefused::Forbidden)
    );
    assert_eq!(
        take(&manager, "сто".into()).await,
        Err(PartPaymentRefused::Problem(PartPaymentProblem::BadAmount))
    );
    assert_eq!(
        take(&manager, (total + Decimal::ONE).to_string()).await,
        Err(PartPaymentRefused::Problem(
            PartPaymentProblem::MoreThanDue(total)
        ))
    );
    // A deposit at the office: the order owes the rest, and the card pays only that.
    let part = (total / Decimal::from(3)).round_dp(2);
    assert_eq!(
        take(&manager, part.to_string().replace('.', ",")).await,
        Ok(())
    );
    let after = order(&state, &token).await;
    assert_eq!(after.payment_status, "unpaid");
    assert_eq!(
        Decimal::new(paid_so_far(&state.db, placed.id).await.unwrap(), 2),
        part
    );
    let sandbox = payments::provider(&state);
    let url = payments::start(&state, &sandbox, &token).await.unwrap();
    assert_eq!(
        Decimal::new(payment_of(&state, &url).await.amount_minor, 2),
        total - part
    );
    // The rest in cash: paid in full, the customer told.
    assert_eq!(take(&manager, (total - part).to_string()).await, Ok(()));
    assert_eq!(order(&state, &token).await.payment_status, "paid");
    assert_eq!(
        take(&manager, "1".into()).await,
        Err(PartPaymentRefused::Problem(PartPaymentProblem::NothingDue))
    );
    let snap = state.catalog.get(&state.db).await.unwrap();
    let view = orders::by_token(&state.db, &snap, &token, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert!(view.paid);
    assert_eq!(view.paid_amount, total);
    let labels: Vec<String> = view.timeline.iter().map(|e| e.label.clone()).collect();
    assert!(
        labels.contains(&"Part payment received".to_string()),
        "{labels:?}"
    );
    assert!(labels.contains(&"Paid".to_string()), "{labels:?}");
}
