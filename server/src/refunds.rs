//! Sends queued refunds to the payment provider (ORD-6). A return of an
//! order paid online queues its refund in the return's own transaction;
//! this worker takes each one (one instance at a time, by a conditional
//! update), POSTs the signed request, and leaves the outcome to the
//! provider's signed webhook. A request that fails is retried next round,
//! with the same refund id, which the provider treats as the same refund.
use app::server::payments::{self, RefundRequest};
use app::server::AppState;
use chrono::Utc;
use std::time::Duration;

/// Refunds taken per round.
const BATCH: u64 = 20;

/// Sends what is due; returns how many the provider accepted.
pub async fn send_due(state: &AppState, client: &reqwest::Client) -> anyhow::Result<usize> {
    let provider = payments::provider(state);
    let mut accepted = 0;
    for (refund, payment) in payments::claim_refunds(&state.db, Utc::now(), BATCH).await? {
        let body = serde_json::to_vec(&RefundRequest {
            refund_id: refund.external_id.clone(),
            payment_id: payment,
            amount: app::domain::catalog::from_minor(refund.amount_minor),
        })?;
        let signature = provider.sign(&body, Utc::now().timestamp());
        let sent = client
            .post(provider.refund_url())
            .header("content-type", "application/json")
            .header(crate::sandbox_bank::SIGNATURE_HEADER, signature)
            .timeout(Duration::from_secs(10))
            .body(body)
            .send()
            .await;
        let outcome = match sent {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!("the provider answered {}", r.status())),
            Err(e) => Err(e.to_string()),
        };
        if let Err(error) = &outcome {
            tracing::warn!(refund = %refund.external_id, %error, "refund not sent");
        } else {
            accepted += 1;
        }
        payments::refund_sent(&state.db, refund.id, outcome, Utc::now()).await?;
    }
    Ok(accepted)
}

/// Every `poll`, sends the refunds that are due.
pub async fn run(state: AppState, poll: Duration) {
    let client = reqwest::Client::new();
    let mut tick = tokio::time::interval(poll);
    loop {
        tick.tick().await;
        match send_due(&state, &client).await {
            Ok(n) if n > 0 => tracing::info!(refunds = n, "refunds sent to the provider"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "sending refunds failed"),
        }
    }
}
