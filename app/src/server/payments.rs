//! Online payment (CHK-3) behind a [`PaymentProvider`]: the shopper pays on
//! the provider's hosted page, the result arrives as an HMAC-signed webhook
//! that may be late, duplicated or come before the shopper is back. The
//! built-in [`Sandbox`] provider behaves like that; a real provider is
//! another implementation of the trait.
use super::accounts::new_session_token;
use super::entities::{order_events, orders, payments, refunds, webhook_events};
use super::{notifications, AppState};
use crate::api::AppError;
use crate::domain::catalog::from_minor;
use crate::domain::checkout::{OrderStatus, PaymentMethod};
use crate::domain::notifications::NotificationEvent;
use crate::domain::orders::{transition, ActionInput, Actor, OrderAction, OrderFacts};
use crate::domain::payments::{
    decide, fresh, parse_signature_header, PaymentDecision, WebhookEvent, WebhookRejection,
};
use chrono::Utc;
use hmac::{Hmac, Mac};
use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};
use sha2::Sha256;

pub const SANDBOX: &str = "sandbox";

pub trait PaymentProvider: Send + Sync {
    fn code(&self) -> &'static str;
    /// Where the shopper goes to pay this payment.
    fn pay_url(&self, external_id: &str) -> String;
    /// Checks a webhook's signature and freshness, then reads it.
    fn verify(
        &self,
        signature: &str,
        body: &[u8],
        now: i64,
    ) -> Result<WebhookEvent, WebhookRejection>;
}

/// The built-in test provider: its "bank" pages are served by this server
/// under `/sandbox-pay/`, and it signs its webhooks with the shop's secret.
pub struct Sandbox {
    secret: Vec<u8>,
    base_url: String,
}

impl Sandbox {
    pub fn new(secret: &str, base_url: &str) -> Sandbox {
        Sandbox {
            secret: secret.as_bytes().to_vec(),
            base_url: base_url.trim_end_matches('/').to_string(),
        }
    }

    fn mac(&self, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// The `X-Sandbox-Signature` header for `body` sent at `timestamp`.
    pub fn sign(&self, body: &[u8], timestamp: i64) -> String {
        let digest = self.mac(timestamp, body).finalize().into_bytes();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("t={timestamp},v1={hex}")
    }

    pub fn webhook_url(&self) -> String {
        format!("{}/webhooks/sandbox", self.base_url)
    }

    /// Where the shop asks the sandbox bank to refund (ORD-6).
    pub fn refund_url(&self) -> String {
        format!("{}/sandbox-pay/refunds", self.base_url)
    }

    /// Checks a signed request's signature and freshness (either way:
    /// the bank's webhooks, the shop's refund requests).
    pub fn check_signature(
        &self,
        signature: &str,
        body: &[u8],
        now: i64,
    ) -> Result<(), WebhookRejection> {
        let (timestamp, hex) =
            parse_signature_header(signature).ok_or(WebhookRejection::BadSignature)?;
        let given = from_hex(&hex).ok_or(WebhookRejection::BadSignature)?;
        // Constant-time comparison, inside the MAC.
        self.mac(timestamp, body)
            .verify_slice(&given)
            .map_err(|_| WebhookRejection::BadSignature)?;
        if !fresh(timestamp, now) {
            return Err(WebhookRejection::Stale);
        }
        Ok(())
    }
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

impl PaymentProvider for Sandbox {
    fn code(&self) -> &'static str {
        SANDBOX
    }

    fn pay_url(&self, external_id: &str) -> String {
        format!("{}/sandbox-pay/{external_id}", self.base_url)
    }

    fn verify(
        &self,
        signature: &str,
        body: &[u8],
        now: i64,
    ) -> Result<WebhookEvent, WebhookRejection> {
        self.check_signature(signature, body, now)?;
        serde_json::from_slice(body).map_err(|_| WebhookRejection::Malformed)
    }
}

/// The provider configured for this shop.
pub fn provider(state: &AppState) -> Sandbox {
    Sandbox::new(&state.config.payment_secret, &state.config.base_url)
}

/// Starts paying an order by card online: a new payment attempt and the
/// page to pay it on. Also the "pay again" after a failed attempt.
pub async fn start(
    state: &AppState,
    provider: &dyn PaymentProvider,
    order_token: &str,
) -> Result<String, AppError> {
    let order = orders::Entity::find()
        .filter(orders::Column::Token.eq(order_token))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !PaymentMethod::parse(&order.payment_method).is_some_and(PaymentMethod::online)
        || order.payment_status == "paid"
        || order.status == OrderStatus::Cancelled.as_str()
    {
        return Err(AppError::NothingToPay);
    }
    // What staff already took (a part payment) is not charged again.
    let due = order.total_minor - super::order_admin::paid_so_far(&state.db, order.id).await?;
    if due <= 0 {
        return Err(AppError::NothingToPay);
    }
    let (external_id, _) = new_session_token();
    let now = Utc::now();
    payments::ActiveModel {
        order_id: Set(order.id),
        provider: Set(provider.code().into()),
        external_id: Set(external_id.clone()),
        amount_minor: Set(due),
        status: Set("pending".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok(provider.pay_url(&external_id))
}

/// What the sandbox bank's page shows about a payment.
pub struct Charge {
    pub external_id: String,
    pub amount: rust_decimal::Decimal,
    pub status: String,
    pub order_number: String,
    pub order_token: String,
    /// Months of a credit application; `None` for a card payment.
    pub credit_months: Option<u32>,
}

pub async fn charge(state: &AppState, external_id: &str) -> Result<Option<Charge>, DbErr> {
    let Some(payment) = payments::Entity::find()
        .filter(payments::Column::ExternalId.eq(external_id))
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let Some(order) = orders::Entity::find_by_id(payment.order_id)
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Charge {
        external_id: payment.external_id,
        amount: from_minor(payment.amount_minor),
        status: payment.status,
        order_number: crate::domain::checkout::order_number(order.id),
        credit_months: (order.payment_method == PaymentMethod::Credit.as_str())
            .then_some(order.instalment_months.unwrap_or(0).max(0) as u32),
        order_token: order.token,
    }))
}

#[derive(Debug)]
pub enum WebhookError {
    Rejected(WebhookRejection),
    Database(DbErr),
}

impl From<DbErr> for WebhookError {
    fn from(e: DbErr) -> Self {
        WebhookError::Database(e)
    }
}

impl From<WebhookRejection> for WebhookError {
    fn from(r: WebhookRejection) -> Self {
        WebhookError::Rejected(r)
    }
}

/// Applies a webhook once: verified, de-duplicated by event id, checked
/// against the payment's amount, and recorded with the order's timeline in
/// one transaction. Returns what was done (for the log and the answer).
pub async fn receive_webhook(
    state: &AppState,
    provider: &dyn PaymentProvider,
    signature: &str,
    body: &[u8],
) -> Result<&'static str, WebhookError> {
    let event = provider.verify(signature, body, Utc::now().timestamp())?;
    let txn = super::begin_write(&state.db).await?;
    let seen = webhook_events::Entity::find()
        .filter(webhook_events::Column::Provider.eq(provider.code()))
        .filter(webhook_events::Column::EventId.eq(event.event_id.clone()))
        .one(&txn)
        .await?;
    if seen.is_some() {
        return Ok("duplicate");
    }
    if let Some(refund_id) = event.refund_id.clone() {
        return settle_refund(txn, provider.code(), event, &refund_id).await;
    }
    let payment = payments::Entity::find()
        .filter(payments::Column::ExternalId.eq(event.payment_id.clone()))
        .filter(payments::Column::Provider.eq(provider.code()))
        .one(&txn)
        .await?
        .ok_or(WebhookRejection::UnknownPayment)?;
    let order = orders::Entity::find_by_id(payment.order_id)
        .one(&txn)
        .await?
        .ok_or(WebhookRejection::UnknownPayment)?;
    let decision = decide(
        &event,
        from_minor(payment.amount_minor),
        payment.status != "pending",
        order.status == OrderStatus::Cancelled.as_str(),
    )?;
    let now = Utc::now();
    let credit = order.payment_method == PaymentMethod::Credit.as_str();
    let (paid_event, failed_event) = if credit {
        ("credit_approved", "credit_declined")
    } else {
        ("paid", "payment_failed")
    };
    let (payment_status, timeline, outcome) = match decision {
        PaymentDecision::AlreadySettled => (None, None, "settled"),
        PaymentDecision::MarkPaid => (Some("succeeded"), Some((paid_event, "")), "paid"),
        PaymentDecision::MarkFailed => (Some("failed"), Some((failed_event, "")), "failed"),
        PaymentDecision::PaidAfterCancel => (
            Some("succeeded"),
            Some(("payment_after_cancel", "refund needed")),
            "late",
        ),
    };
    if let Some(status) = payment_status {
        let mut model: payments::ActiveModel = payment.into();
        model.status = Set(status.into());
        model.updated_at = Set(now);
        model.update(&txn).await?;
    }
    if decision == PaymentDecision::MarkPaid {
        let mut model: orders::ActiveModel = order.clone().into();
        model.payment_status = Set("paid".into());
        // The state machine's rule for a payment (ORD-2): a confirmed order
        // moves on to "paid"; a new one keeps its status until confirmed.
        if let Some(status) = OrderStatus::parse(&order.status) {
            let facts = OrderFacts {
                status,
                payment: PaymentMethod::parse(&order.payment_method)
                    .unwrap_or(PaymentMethod::CardOnline),
                paid: false,
                carrier: false,
                parcels: 0,
                try_on: false,
                units_left: 0,
            };
            let input = ActionInput::default();
            if let Ok(next) = transition(&facts, OrderAction::RecordPayment, Actor::System, &input)
            {
                model.status = Set(next.to.as_str().into());
            }
        }
        model.updated_at = Set(now);
        let paid = model.update(&txn).await?;
        notifications::enqueue(&txn, state, NotificationEvent::OrderPaid, &paid, now).await?;
    }
    if let Some((status, note)) = timeline {
        order_events::ActiveModel {
            order_id: Set(order.id),
            status: Set(status.into()),
            actor_user_id: Set(None),
            note: Set(note.into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    settle_event(txn, provider.code(), event.event_id, outcome, now).await?;
    Ok(outcome)
}

/// Records that a provider's event was applied, so a resent copy is
/// ignored, and commits the change it made.
async fn settle_event(
    txn: super::WriteTxn,
    provider: &str,
    event_id: String,
    outcome: &str,
    now: chrono::DateTime<Utc>,
) -> Result<(), DbErr> {
    webhook_events::ActiveModel {
        provider: Set(provider.into()),
        event_id: Set(event_id),
        outcome: Set(outcome.into()),
        received_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await
}

/// What the shop asks the provider to pay back (ORD-6).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RefundRequest {
    /// Our id of the refund; the same id sent twice is the same refund.
    pub refund_id: String,
    /// The provider's id of the payment the money goes back to.
    pub payment_id: String,
    pub amount: rust_decimal::Decimal,
}

/// Queues the refund of a return for an order paid online; called inside
/// the return's transaction. False when nothing was paid online (cash and
/// bank transfers are paid back by hand).
pub async fn queue_refund(
    txn: &impl sea_orm::ConnectionTrait,
    order_id: i64,
    return_id: i64,
    amount_minor: i64,
    now: chrono::DateTime<Utc>,
) -> Result<bool, DbErr> {
    use sea_orm::QueryOrder;
    if amount_minor <= 0 {
        return Ok(false);
    }
    let Some(payment) = payments::Entity::find()
        .filter(payments::Column::OrderId.eq(order_id))
        .filter(payments::Column::Status.eq("succeeded"))
        .order_by_desc(payments::Column::Id)
        .one(txn)
        .await?
    else {
        return Ok(false);
    };
    refunds::ActiveModel {
        order_id: Set(order_id),
        return_id: Set(Some(return_id)),
        payment_id: Set(payment.id),
        external_id: Set(format!("rf_{}", new_session_token().0)),
        amount_minor: Set(amount_minor),
        status: Set("pending".into()),
        attempts: Set(0),
        last_error: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(true)
}

/// How long a refund being sent belongs to its worker; after that another
/// worker sends it again (the provider sees the same refund id).
const SENDING_LEASE_SECS: i64 = 120;

/// Takes the refunds due for sending, each by one worker only: pending
/// ones, and ones whose sender stopped mid-way. Returns each with the
/// provider's id of its payment.
pub async fn claim_refunds(
    db: &sea_orm::DatabaseConnection,
    now: chrono::DateTime<Utc>,
    limit: u64,
) -> Result<Vec<(refunds::Model, String)>, DbErr> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{Condition, QueryOrder, QuerySelect};
    let stale = now - chrono::Duration::seconds(SENDING_LEASE_SECS);
    let due = refunds::Entity::find()
        .filter(
            Condition::any()
                .add(refunds::Column::Status.eq("pending"))
                .add(
                    Condition::all()
                        .add(refunds::Column::Status.eq("sending"))
                        .add(refunds::Column::UpdatedAt.lt(stale)),
                ),
        )
        .order_by_asc(refunds::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut taken = Vec::new();
    for refund in due {
        let claimed = refunds::Entity::update_many()
            .col_expr(refunds::Column::Status, Expr::value("sending"))
            .col_expr(refunds::Column::UpdatedAt, Expr::value(now))
            .filter(refunds::Column::Id.eq(refund.id))
            .filter(refunds::Column::Status.eq(refund.status.clone()))
            .filter(refunds::Column::UpdatedAt.eq(refund.updated_at))
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        if let Some(payment) = payments::Entity::find_by_id(refund.payment_id)
            .one(db)
            .await?
        {
            taken.push((refund, payment.external_id));
        }
    }
    Ok(taken)
}

/// Records a send: accepted by the provider (its webhook settles it), or
/// back in the queue with the error.
pub async fn refund_sent(
    db: &sea_orm::DatabaseConnection,
    id: i64,
    outcome: Result<(), String>,
    now: chrono::DateTime<Utc>,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let mut update = refunds::Entity::update_many()
        .col_expr(refunds::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            refunds::Column::Attempts,
            Expr::col(refunds::Column::Attempts).add(1),
        );
    update = match outcome {
        Ok(()) => update.col_expr(refunds::Column::Status, Expr::value("sent")),
        Err(error) => update
            .col_expr(refunds::Column::Status, Expr::value("pending"))
            .col_expr(refunds::Column::LastError, Expr::value(error)),
    };
    update
        .filter(refunds::Column::Id.eq(id))
        .filter(refunds::Column::Status.eq("sending"))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether the sandbox bank can pay this refund back: the payment was
/// made, and with the refunds it already paid the money is not exceeded.
pub async fn refundable(state: &AppState, request: &RefundRequest) -> Result<Option<bool>, DbErr> {
    let Some(payment) = payments::Entity::find()
        .filter(payments::Column::ExternalId.eq(request.payment_id.clone()))
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let paid_back: i64 = refunds::Entity::find()
        .filter(refunds::Column::PaymentId.eq(payment.id))
        .filter(refunds::Column::Status.eq("succeeded"))
        .filter(refunds::Column::ExternalId.ne(request.refund_id.clone()))
        .all(&state.db)
        .await?
        .iter()
        .map(|r| r.amount_minor)
        .sum();
    let asked = crate::domain::catalog::to_minor(request.amount).unwrap_or(i64::MAX);
    Ok(Some(
        payment.status == "succeeded" && asked > 0 && paid_back + asked <= payment.amount_minor,
    ))
}

/// The provider's word on a refund: paid back or refused, recorded once
/// with a line on the order's timeline.
async fn settle_refund(
    txn: super::WriteTxn,
    provider: &str,
    event: WebhookEvent,
    refund_id: &str,
) -> Result<&'static str, WebhookError> {
    use crate::domain::payments::PaymentResult;
    let refund = refunds::Entity::find()
        .filter(refunds::Column::ExternalId.eq(refund_id))
        .one(&txn)
        .await?
        .ok_or(WebhookRejection::UnknownPayment)?;
    let payment = payments::Entity::find_by_id(refund.payment_id)
        .one(&txn)
        .await?
        .ok_or(WebhookRejection::UnknownPayment)?;
    if payment.external_id != event.payment_id {
        return Err(WebhookRejection::UnknownPayment.into());
    }
    if from_minor(refund.amount_minor) != event.amount {
        return Err(WebhookRejection::AmountMismatch.into());
    }
    let now = Utc::now();
    let outcome = if matches!(refund.status.as_str(), "succeeded" | "failed") {
        "settled"
    } else {
        let (status, line, outcome) = match event.result {
            PaymentResult::Succeeded => ("succeeded", "refund_paid", "refunded"),
            PaymentResult::Failed => ("failed", "refund_failed", "refund_failed"),
        };
        let order_id = refund.order_id;
        let mut model: refunds::ActiveModel = refund.into();
        model.status = Set(status.into());
        model.updated_at = Set(now);
        model.update(&txn).await?;
        order_events::ActiveModel {
            order_id: Set(order_id),
            status: Set(line.into()),
            actor_user_id: Set(None),
            note: Set(event.amount.to_string()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        outcome
    };
    settle_event(txn, provider, event.event_id, outcome, now).await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_with_the_key_and_the_body_they_were_made_for() {
        let sandbox = Sandbox::new("secret", "http://127.0.0.1:3000");
        let body = br#"{"event_id":"e1","payment_id":"p1","result":"succeeded","amount":"10.00"}"#;
        let now = 1_800_000_000;
        let header = sandbox.sign(body, now);
        assert_eq!(sandbox.verify(&header, body, now).unwrap().event_id, "e1");
        let other_key = Sandbox::new("another secret", "http://127.0.0.1:3000");
        assert_eq!(
            other_key.verify(&header, body, now),
            Err(WebhookRejection::BadSignature)
        );
        let tampered =
            br#"{"event_id":"e1","payment_id":"p1","result":"succeeded","amount":"1.00"}"#;
        assert_eq!(
            sandbox.verify(&header, tampered, now),
            Err(WebhookRejection::BadSignature)
        );
        assert_eq!(
            sandbox.verify(&header, body, now + 3600),
            Err(WebhookRejection::Stale),
            "an old signed event replayed later"
        );
        assert_eq!(
            sandbox.verify("t=1,v1=zz", body, now),
            Err(WebhookRejection::BadSignature)
        );
    }
}
