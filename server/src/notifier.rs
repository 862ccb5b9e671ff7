//! Sends the notification outbox (ORD-5): e-mail over SMTP with lettre, SMS
//! through an HTTP gateway. Runs inside `serve`, or alone as `server notify`;
//! any number of instances can run, each message is taken by one of them
//! (see `app::server::notifications`).
//!
//! Delivery is at least once: a message whose send was cut off before the
//! server acknowledged it is sent again after the lease. Between the
//! acknowledgement and recording "sent" there is a short window where a
//! crash leads to a second send; each e-mail carries a stable Message-ID and
//! each SMS an `Idempotency-Key`, both derived from the outbox row, so the
//! receiving side can drop such a repeat.
use app::domain::notifications::{Channel, OutboxStatus};
use app::server::notifications::{self, Claimed};
use app::server::NotifyConfig;
use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{DatabaseConnection, DbErr};
use std::time::Duration;

/// Messages taken per round.
const BATCH: u64 = 20;

pub struct Notifier {
    mailer: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    sms: Option<SmsGateway>,
    /// How long a taken message is left to its worker before another may take it.
    pub lease: chrono::Duration,
}

struct SmsGateway {
    url: String,
    key: String,
    http: reqwest::Client,
}

/// Why a message was not sent; a permanent failure is not retried.
#[derive(Debug)]
pub enum SendError {
    Retry(String),
    Permanent(String),
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
    /// Sent, but the lease had run out and another worker had taken it.
    pub lost_lease: usize,
}

impl Notifier {
    pub fn new(config: &NotifyConfig, lease: chrono::Duration) -> anyhow::Result<Notifier> {
        let from: Mailbox = config.mail_from.parse().map_err(|e| {
            anyhow::anyhow!(
                "LAVKA_MAIL_FROM must look like \"Shop <shop@example.com>\" (got \"{}\"): {e}",
                config.mail_from
            )
        })?;
        let mailer = match &config.smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("LAVKA_SMTP_URL is not usable: {e}"))?
                    .timeout(Some(Duration::from_secs(30)))
                    .build(),
            ),
            None => None,
        };
        let sms = match &config.sms_url {
            Some(url) => Some(SmsGateway {
                url: url.clone(),
                key: config.sms_key.clone(),
                http: reqwest::Client::builder()
                    .timeout(Duration::from_secs(15))
                    .build()?,
            }),
            None => None,
        };
        Ok(Notifier {
            mailer,
            from,
            sms,
            lease,
        })
    }

    /// The channels this worker can send; the others' messages wait.
    pub fn channels(&self) -> Vec<Channel> {
        let mut channels = Vec::new();
        if self.mailer.is_some() {
            channels.push(Channel::Email);
        }
        if self.sms.is_some() {
            channels.push(Channel::Sms);
        }
        channels
    }

    async fn send(&self, message: &Claimed) -> Result<(), SendError> {
        match message.channel {
            Channel::Email => self.send_email(message).await,
            Channel::Sms => self.send_sms(message).await,
        }
    }

    async fn send_email(&self, message: &Claimed) -> Result<(), SendError> {
        let mailer = self
            .mailer
            .as_ref()
            .ok_or_else(|| SendError::Retry("e-mail is not configured".into()))?;
        let to: Mailbox = message.recipient.parse().map_err(|e| {
            SendError::Permanent(format!("not an e-mail address: {}: {e}", message.recipient))
        })?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .message_id(Some(format!(
                "<outbox-{}@{}>",
                message.id,
                self.from.email.domain()
            )))
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())
            .map_err(|e| SendError::Permanent(format!("the e-mail cannot be built: {e}")))?;
        mailer.send(email).await.map_err(|e| {
            if e.is_permanent() {
                SendError::Permanent(format!("the mail server refused it: {e}"))
            } else {
                SendError::Retry(format!("SMTP: {e}"))
            }
        })?;
        Ok(())
    }

    async fn send_sms(&self, message: &Claimed) -> Result<(), SendError> {
        let gateway = self
            .sms
            .as_ref()
            .ok_or_else(|| SendError::Retry("SMS is not configured".into()))?;
        let key = format!("outbox-{}", message.id);
        let response = gateway
            .http
            .post(&gateway.url)
            .bearer_auth(&gateway.key)
            .header("Idempotency-Key", &key)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(
                serde_json::json!({
                    "id": key,
                    "to": message.recipient,
                    "text": message.body,
                })
                .to_string(),
            )
            .send()
            .await
            .map_err(|e| SendError::Retry(format!("SMS gateway unreachable: {e}")))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let body: String = response
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect();
        let error = format!("SMS gateway answered {status}: {body}");
        // A refused number or text stays refused; anything else may pass later.
        if matches!(status.as_u16(), 400 | 422) {
            Err(SendError::Permanent(error))
        } else {
            Err(SendError::Retry(error))
        }
    }
}

/// Takes one batch of due messages, sends them and records each result.
pub async fn run_once(
    db: &DatabaseConnection,
    notifier: &Notifier,
    now: DateTime<Utc>,
) -> Result<Round, DbErr> {
    let batch = notifications::claim(db, &notifier.channels(), now, notifier.lease, BATCH).await?;
    let mut round = Round::default();
    for message in &batch {
        match notifier.send(message).await {
            Ok(()) => {
                if notifications::mark_sent(db, message, now).await? {
                    round.sent += 1;
                } else {
                    round.lost_lease += 1;
                }
            }
            Err(error) => {
                let (text, give_up) = match error {
                    SendError::Retry(text) => (text, false),
                    SendError::Permanent(text) => (text, true),
                };
                tracing::warn!(id = message.id, error = %text, "notification not sent");
                match notifications::mark_failed(db, message, &text, give_up, now).await? {
                    OutboxStatus::Failed => round.failed += 1,
                    _ => round.retrying += 1,
                }
            }
        }
    }
    Ok(round)
}

/// Sends the outbox until the process ends: a round every `poll`, or at
/// once while full batches keep coming.
pub async fn run(db: DatabaseConnection, notifier: Notifier, poll: Duration) {
    if notifier.channels().is_empty() {
        tracing::warn!(
            "neither LAVKA_SMTP_URL nor LAVKA_SMS_URL is set: notifications wait in the outbox"
        );
        return;
    }
    loop {
        match run_once(&db, &notifier, Utc::now()).await {
            Ok(round) => {
                if round != Round::default() {
                    tracing::info!(?round, "notifications");
                }
                if round.sent + round.retrying + round.failed + round.lost_lease >= BATCH as usize {
                    continue;
                }
            }
            Err(e) => tracing::warn!(error = %e, "the notification outbox could not be read"),
        }
        tokio::time::sleep(poll).await;
    }
}
