//! The sandbox payment provider's side (CHK-3), served by this server so the
//! whole flow can be tried and tested without a real bank:
//! - `GET /sandbox-pay/{id}`: its hosted payment page;
//! - `POST /sandbox-pay/{id}`: the shopper pays or declines; the "bank" sends
//!   the signed webhook over HTTP (late by `LAVKA_SANDBOX_WEBHOOK_DELAY_MS`,
//!   and twice, as real providers sometimes do) and sends the shopper back;
//! - `POST /sandbox-pay/refunds`: its refund API (ORD-6): a signed request
//!   from the shop, answered at once; the outcome follows as a webhook;
//! - `POST /webhooks/sandbox`: the shop's webhook endpoint for it.
//!
//! Test cards: any 16 digits pay; 4000 0000 0000 0002 is declined.
use crate::documents::escape;
use app::domain::payments::{credit_decision, PaymentResult, WebhookEvent, WebhookRejection};
use app::server::payments::{self, RefundRequest, WebhookError};
use app::server::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use std::time::Duration;

const DECLINED_CARD: &str = "4000000000000002";
pub const SIGNATURE_HEADER: &str = "x-sandbox-signature";
/// Delivery attempts of one webhook, with doubling pauses between them.
const DELIVERY_TRIES: u32 = 4;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/sandbox-pay/refunds", post(refund))
        .route("/sandbox-pay/{id}", get(page).post(pay))
        .route("/webhooks/sandbox", post(webhook))
        .with_state(state)
}

fn bank_page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1c1c1c}}
.bank{{border:2px solid #2b4c7e;border-radius:12px;padding:1.25rem}}h1{{color:#2b4c7e;font-size:1.3rem}}
input{{width:100%;padding:.6rem;font-size:1.1rem;box-sizing:border-box;margin:.3rem 0 1rem}}
button{{min-height:48px;padding:0 1.2rem;font-size:1rem;margin-right:.5rem;border-radius:8px;border:1px solid #2b4c7e;background:#fff}}
button.pay{{background:#2b4c7e;color:#fff}}.err{{color:#b3261e;font-weight:600}}.hint{{color:#555;font-size:.9rem}}</style>
</head><body><div class="bank">{body}</div></body></html>"#
    ))
}

async fn page(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    render(&state, &id, None).await
}

async fn render(state: &AppState, id: &str, error: Option<&str>) -> Response {
    let charge = match payments::charge(state, id).await {
        Ok(Some(c)) => c,
        Ok(None) => return (StatusCode::NOT_FOUND, "no such payment").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "sandbox bank");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let back = format!("/order/{}", charge.order_token);
    if charge.status != "pending" {
        return bank_page(
            "Sandbox Bank",
            &format!(
                r#"<h1>Sandbox Bank</h1><p data-testid="bank-done">This payment is already {}.</p><p><a href="{back}">Back to the shop</a></p>"#,
                escape(&charge.status)
            ),
        )
        .into_response();
    }
    let error = error
        .map(|e| format!(r#"<p class="err" role="alert">{}</p>"#, escape(e)))
        .unwrap_or_default();
    if let Some(months) = charge.credit_months {
        return bank_page(
            "Sandbox Bank — credit application",
            &format!(
                r#"<h1>Sandbox Bank: credit application</h1>
<p>Order <strong>{number}</strong>: <strong data-testid="bank-amount">{amount}</strong> over <strong data-testid="bank-months">{months}</strong> months</p>
<form method="post">
<label for="income">Your monthly income after tax</label>
<input id="income" name="income" inputmode="numeric" data-testid="bank-income">
{error}
<button class="pay" type="submit" name="action" value="apply" data-testid="bank-apply">Apply</button>
<button type="submit" name="action" value="decline" data-testid="bank-decline">Cancel application</button>
</form>
<p class="hint">A test bank: it approves when the monthly payment is at most 40 % of the income.</p>"#,
                number = escape(&charge.order_number),
                amount = charge.amount,
            ),
        )
        .into_response();
    }
    bank_page(
        "Sandbox Bank — payment",
        &format!(
            r#"<h1>Sandbox Bank</h1>
<p>Order <strong>{number}</strong>: <strong data-testid="bank-amount">{amount}</strong></p>
<form method="post">
<label for="card">Card number</label>
<input id="card" name="card" inputmode="numeric" autocomplete="cc-number" value="4242 4242 4242 4242" data-testid="bank-card">
{error}
<button class="pay" type="submit" name="action" value="pay" data-testid="bank-pay">Pay</button>
<button type="submit" name="action" value="decline" data-testid="bank-decline">Cancel payment</button>
</form>
<p class="hint">A test bank: no money moves. Any 16 digits pay; 4000 0000 0000 0002 is declined.</p>"#,
            number = escape(&charge.order_number),
            amount = charge.amount,
        ),
    )
    .into_response()
}

#[derive(serde::Deserialize)]
struct PayForm {
    #[serde(default)]
    card: String,
    #[serde(default)]
    income: String,
    action: String,
}

async fn pay(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<PayForm>,
) -> Response {
    let charge = match payments::charge(&state, &id).await {
        Ok(Some(c)) if c.status == "pending" => c,
        Ok(_) => return render(&state, &id, None).await,
        Err(e) => {
            tracing::error!(error = %e, "sandbox bank");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let digits: String = form.card.chars().filter(|c| c.is_ascii_digit()).collect();
    let result = if let Some(months) = charge.credit_months {
        let income: Option<rust_decimal::Decimal> =
            form.income.replace([' ', '\u{a0}'], "").parse().ok();
        match (form.action.as_str(), income) {
            ("decline", _) => PaymentResult::Failed,
            (_, None) => {
                return render(&state, &id, Some("Enter your monthly income in roubles.")).await
            }
            (_, Some(income)) => match credit_decision(charge.amount, months, income) {
                Ok(_) => PaymentResult::Succeeded,
                Err(_) => PaymentResult::Failed,
            },
        }
    } else if form.action == "decline" || digits == DECLINED_CARD {
        PaymentResult::Failed
    } else if digits.len() == 16 {
        PaymentResult::Succeeded
    } else {
        return render(&state, &id, Some("A card number has 16 digits.")).await;
    };
    let (event_id, _) = app::server::accounts::new_session_token();
    let event = WebhookEvent {
        event_id,
        payment_id: charge.external_id.clone(),
        result,
        amount: charge.amount,
        refund_id: None,
    };
    tokio::spawn(deliver(payments::provider(&state), event));
    Redirect::to(&format!("/order/{}?payment=return", charge.order_token)).into_response()
}

fn delay() -> Duration {
    let ms = std::env::var("LAVKA_SANDBOX_WEBHOOK_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    Duration::from_millis(ms)
}

/// Sends the signed event as the bank would: after a delay, retried on
/// failure, and once more afterwards (a duplicate the shop must ignore).
async fn deliver(sandbox: payments::Sandbox, event: WebhookEvent) {
    let Ok(body) = serde_json::to_vec(&event) else {
        return;
    };
    let client = reqwest::Client::new();
    tokio::time::sleep(delay()).await;
    for copy in 0..2 {
        let mut pause = Duration::from_millis(250);
        for attempt in 1..=DELIVERY_TRIES {
            let signature = sandbox.sign(&body, chrono::Utc::now().timestamp());
            let sent = client
                .post(sandbox.webhook_url())
                .header("content-type", "application/json")
                .header(SIGNATURE_HEADER, signature)
                .body(body.clone())
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => break,
                other => {
                    tracing::warn!(attempt, copy, result = ?other.map(|r| r.status()), "sandbox webhook not accepted");
                    tokio::time::sleep(pause).await;
                    pause *= 2;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Pays a refund back to the card, if the payment covers it with what was
/// already paid back; the answer comes as a signed webhook, like a payment's.
async fn refund(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let provider = payments::provider(&state);
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Err(reason) = provider.check_signature(signature, &body, chrono::Utc::now().timestamp())
    {
        return (StatusCode::UNAUTHORIZED, reason.to_string()).into_response();
    }
    let Ok(request) = serde_json::from_slice::<RefundRequest>(&body) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "not a refund request").into_response();
    };
    let result = match payments::refundable(&state, &request).await {
        Ok(Some(true)) => PaymentResult::Succeeded,
        Ok(Some(false)) => PaymentResult::Failed,
        Ok(None) => return (StatusCode::NOT_FOUND, "no such payment").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "sandbox bank refund");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let event = WebhookEvent {
        // The same refund asked twice gets the same event, which the shop ignores the second time.
        event_id: format!("evt_{}", request.refund_id),
        payment_id: request.payment_id,
        result,
        amount: request.amount,
        refund_id: Some(request.refund_id),
    };
    tokio::spawn(deliver(provider, event));
    (StatusCode::ACCEPTED, "accepted").into_response()
}

async fn webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let provider = payments::provider(&state);
    match payments::receive_webhook(&state, &provider, signature, &body).await {
        Ok(outcome) => {
            tracing::info!(outcome, "sandbox webhook");
            (StatusCode::OK, outcome).into_response()
        }
        Err(WebhookError::Rejected(reason)) => {
            tracing::warn!(%reason, "sandbox webhook refused");
            let status = match reason {
                WebhookRejection::BadSignature | WebhookRejection::Stale => {
                    StatusCode::UNAUTHORIZED
                }
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            (status, reason.to_string()).into_response()
        }
        Err(WebhookError::Database(e)) => {
            tracing::error!(error = %e, "sandbox webhook");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
