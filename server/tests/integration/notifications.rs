//! The notification outbox (ORD-5, CHK-5) on a real database, with a real
//! SMTP exchange (a small SMTP sink started by the test), a local HTTP SMS
//! gateway, and the real server binary killed mid-send.
use crate::common;

use app::domain::checkout::CheckoutForm;
use app::domain::notifications::{Channel, NotificationEvent, OutboxStatus};
use app::server::entities::outbox;
use app::server::notifications::{self, claim, mark_sent};
use app::server::{AppState, NotifyConfig};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use server::notifier::{run_once, Notifier, Round};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A minimal SMTP server: accepts every message, or — while `stall` is set —
/// reads a message to its final dot and then never answers, as a server
/// does when the sending process dies at that moment.
#[derive(Default)]
struct Sink {
    accepted: Mutex<Vec<String>>,
    stalled: AtomicUsize,
    stall: AtomicBool,
}

impl Sink {
    async fn start(listener: TcpListener) -> Arc<Sink> {
        let sink = Arc::new(Sink::default());
        let serving = sink.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serving.clone().session(socket));
            }
        });
        sink
    }

    async fn session(self: Arc<Sink>, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let _ = write.write_all(b"220 sink ESMTP\r\n").await;
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line.split_whitespace().next().unwrap_or("").to_uppercase();
            let answer: &[u8] = match verb.as_str() {
                "EHLO" | "HELO" => b"250 sink\r\n",
                "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                "DATA" => {
                    let _ = write.write_all(b"354 go ahead\r\n").await;
                    let mut data = String::new();
                    while let Ok(Some(l)) = lines.next_line().await {
                        if l == "." {
                            break;
                        }
                        data.push_str(&l);
                        data.push('\n');
                    }
                    if self.stall.load(Ordering::SeqCst) {
                        self.stalled.fetch_add(1, Ordering::SeqCst);
                        // Hold the connection open, unanswered, until the client goes.
                        while let Ok(Some(_)) = lines.next_line().await {}
                        return;
                    }
                    self.accepted.lock().unwrap().push(data);
                    b"250 queued\r\n"
                }
                "QUIT" => {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                }
                _ => b"502 unknown\r\n",
            };
            if write.write_all(answer).await.is_err() {
                return;
            }
        }
    }

    fn accepted(&self) -> Vec<String> {
        self.accepted.lock().unwrap().clone()
    }
}

async fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

fn mail_config(port: u16) -> NotifyConfig {
    NotifyConfig {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        mail_from: "Lavka <shop@lavka.test>".into(),
        ..Default::default()
    }
}

/// A cash-on-delivery order with an e-mail address, placed as a guest;
/// returns its id.
async fn place_order(state: &AppState, key: &str) -> i64 {
    let form = CheckoutForm {
        name: "Anna".into(),
        phone: "+7 916 123-45-67".into(),
        email: "anna@example.com".into(),
        delivery: "courier".into(),
        city: "Moscow".into(),
        address: "1 Example St".into(),
        payment: "cash_on_delivery".into(),
        ..Default::default()
    };
    let (number, _) = common::guest_order(state, key, form).await;
    app::domain::checkout::order_id(&number).unwrap()
}

async fn messages(db: &DatabaseConnection) -> Vec<outbox::Model> {
    outbox::Entity::find().all(db).await.unwrap()
}

async fn message(db: &DatabaseConnection, id: i64) -> outbox::Model {
    outbox::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

/// A message as if an order event had written it.
async fn queue(db: &DatabaseConnection, channel: Channel, recipient: &str, subject: &str) -> i64 {
    let now = Utc::now();
    outbox::ActiveModel {
        channel: Set(channel.as_str().into()),
        recipient: Set(recipient.into()),
        subject: Set(subject.into()),
        body: Set("Your order is on its way.".into()),
        event: Set("order_placed".into()),
        order_id: Set(None),
        status: Set("pending".into()),
        attempts: Set(0),
        available_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn placing_an_order_writes_its_messages_and_the_email_goes_out_over_smtp_once() {
    let state = common::demo_state().await;
    let order_id = place_order(&state, "key-notify-order-001").await;
    let queued = messages(&state.db).await;
    assert_eq!(queued.len(), 2, "an e-mail and an SMS: {queued:?}");
    assert!(queued.iter().all(|m| m.order_id == Some(order_id)
        && m.status == "pending"
        && m.event == "order_placed"));
    let email = queued.iter().find(|m| m.channel == "email").unwrap();
    assert_eq!(email.recipient, "anna@example.com");
    assert_eq!(
        email.subject,
        format!("Order {} received", order_id + 100_000)
    );
    assert!(email.body.contains("Hello Anna"), "{}", email.body);
    assert!(email.body.contains("/order/"), "{}", email.body);
    let sms = queued.iter().find(|m| m.channel == "sms").unwrap();
    assert_eq!(sms.recipient, "+79161234567");

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = Sink::start(listener).await;
    let notifier = Notifier::new(&mail_config(port), Duration::seconds(60)).unwrap();
    let now = Utc::now();
    let round = run_once(&state.db, &notifier, now).await.unwrap();
    assert_eq!(
        round,
        Round {
            sent: 1,
            ..Default::default()
        }
    );
    let received = sink.accepted();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert!(mail.contains("To: anna@example.com"), "{mail}");
    assert!(
        mail.contains(&format!("Subject: Order {} received", order_id + 100_000)),
        "{mail}"
    );
    assert!(
        mail.contains(&format!("Message-ID: <outbox-{}@lavka.test>", email.id)),
        "{mail}"
    );
    let sent = message(&state.db, email.id).await;
    assert_eq!(sent.status, "sent");
    assert!(sent.sent_at.is_some());
    // Nothing is sent twice; the SMS waits for a gateway to be configured.
    let again = run_once(&state.db, &notifier, now + Duration::hours(2))
        .await
        .unwrap();
    assert_eq!(again, Round::default());
    assert_eq!(sink.accepted().len(), 1);
    assert_eq!(message(&state.db, sms.id).await.status, "pending");
}

#[tokio::test]
async fn a_mail_server_that_is_down_gets_the_message_later_exactly_once() {
    let state = common::state().await;
    let id = queue(
        &state.db,
        Channel::Email,
        "buyer@example.com",
        "Order 100001",
    )
    .await;
    let port = free_port().await; // nothing listens there yet
    let notifier = Notifier::new(&mail_config(port), Duration::seconds(60)).unwrap();
    let now = Utc::now();

    let round = run_once(&state.db, &notifier, now).await.unwrap();
    assert_eq!(
        round,
        Round {
            retrying: 1,
            ..Default::default()
        }
    );
    let waiting = message(&state.db, id).await;
    assert_eq!((waiting.status.as_str(), waiting.attempts), ("pending", 1));
    assert!(
        waiting.last_error.as_deref().unwrap_or("").contains("SMTP"),
        "{waiting:?}"
    );
    // PostgreSQL keeps microseconds, so allow for the truncation.
    let backoff = (waiting.available_at - now).num_milliseconds();
    assert!((29_990..=30_000).contains(&backoff), "{backoff} ms");

    // Before the back-off ends nothing is tried, even with the server up.
    let sink = Sink::start(TcpListener::bind(("127.0.0.1", port)).await.unwrap()).await;
    let early = run_once(&state.db, &notifier, now + Duration::seconds(10))
        .await
        .unwrap();
    assert_eq!(early, Round::default());
    let later = now + Duration::seconds(31);
    let round = run_once(&state.db, &notifier, later).await.unwrap();
    assert_eq!(
        round,
        Round {
            sent: 1,
            ..Default::default()
        }
    );
    let round = run_once(&state.db, &notifier, later + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(round, Round::default());
    assert_eq!(sink.accepted().len(), 1);
    let sent = message(&state.db, id).await;
    assert_eq!((sent.status.as_str(), sent.attempts), ("sent", 2));
    assert_eq!(sent.last_error, None);
}

#[tokio::test]
async fn sms_go_to_the_gateway_with_its_key_and_are_retried_after_an_error() {
    use axum::{extract::State, http::HeaderMap, http::StatusCode, routing::post, Router};
    type Seen = Arc<Mutex<Vec<(String, String, serde_json::Value)>>>;
    async fn gateway(State(seen): State<Seen>, headers: HeaderMap, body: String) -> StatusCode {
        let header = |k: &str| {
            headers
                .get(k)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let mut seen = seen.lock().unwrap();
        seen.push((
            header("authorization"),
            header("idempotency-key"),
            serde_json::from_str(&body).unwrap(),
        ));
        // The first request finds the gateway overloaded.
        if seen.len() == 1 {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::OK
        }
    }
    let seen: Seen = Arc::default();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = Router::new()
        .route("/send", post(gateway))
        .with_state(seen.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let state = common::state().await;
    let id = queue(&state.db, Channel::Sms, "+79161234567", "").await;
    let config = NotifyConfig {
        sms_url: Some(format!("http://127.0.0.1:{port}/send")),
        sms_key: "gateway-key".into(),
        mail_from: "Lavka <shop@lavka.test>".into(),
        ..Default::default()
    };
    let notifier = Notifier::new(&config, Duration::seconds(60)).unwrap();
    let now = Utc::now();
    let round = run_once(&state.db, &notifier, now).await.unwrap();
    assert_eq!(
        round,
        Round {
            retrying: 1,
            ..Default::default()
        }
    );
    assert!(message(&state.db, id)
        .await
        .last_error
        .unwrap()
        .contains("503"));
    let round = run_once(&state.db, &notifier, now + Duration::seconds(31))
        .await
        .unwrap();
    assert_eq!(
        round,
        Round {
            sent: 1,
            ..Default::default()
        }
    );

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    for (auth, key, body) in &seen {
        assert_eq!(auth, "Bearer gateway-key");
        assert_eq!(key, &format!("outbox-{id}"));
        assert_eq!(body["to"], "+79161234567");
        assert_eq!(body["text"], "Your order is on its way.");
    }
}

#[tokio::test]
async fn workers_never_take_the_same_message_and_a_lost_lease_is_taken_again() {
    let state = common::state().await;
    let mut ids = HashSet::new();
    for n in 0..30 {
        ids.insert(queue(&state.db, Channel::Email, &format!("b{n}@example.com"), "x").await);
    }
    let now = Utc::now();
    let lease = Duration::seconds(60);
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let db = state.db.clone();
            tokio::spawn(async move { claim(&db, &[Channel::Email], now, lease, 10).await })
        })
        .collect();
    let mut taken = Vec::new();
    for worker in workers {
        taken.extend(worker.await.unwrap().unwrap());
    }
    let unique: HashSet<i64> = taken.iter().map(|m| m.id).collect();
    assert_eq!(taken.len(), 30, "every message taken once");
    assert_eq!(unique, ids);

    // While the lease runs nobody else takes them; after it, one worker does.
    let first = taken
        .iter()
        .find(|m| m.id == *ids.iter().min().unwrap())
        .unwrap();
    let during = claim(
        &state.db,
        &[Channel::Email],
        now + Duration::seconds(59),
        lease,
        100,
    )
    .await
    .unwrap();
    assert!(during.is_empty());
    let after = claim(
        &state.db,
        &[Channel::Email],
        now + Duration::seconds(61),
        lease,
        100,
    )
    .await
    .unwrap();
    assert_eq!(after.len(), 30);
    let retaken = after.iter().find(|m| m.id == first.id).unwrap();
    assert_eq!(retaken.attempt, 2);
    // The first worker, back late, cannot record its stale attempt.
    assert!(!mark_sent(&state.db, first, now).await.unwrap());
    assert!(mark_sent(&state.db, retaken, now).await.unwrap());
    assert_eq!(
        outbox::Entity::find()
            .filter(outbox::Column::Status.eq(OutboxStatus::Sent.as_str()))
            .all(&state.db)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_worker_killed_mid_send_delivers_after_restart_and_not_twice() {
    let (db, url) = common::fresh_db().await;
    let id = queue(&db, Channel::Email, "buyer@example.com", "Order 100042").await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = Sink::start(listener).await;
    sink.stall.store(true, Ordering::SeqCst);
    let worker = || {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("notify")
            .env("DATABASE_URL", &url)
            .env("LAVKA_SMTP_URL", format!("smtp://127.0.0.1:{port}"))
            .env("LAVKA_MAIL_FROM", "Lavka <shop@lavka.test>")
            .env("LAVKA_PAYMENT_SECRET", "test")
            .env("LAVKA_OUTBOX_LEASE_SECS", "2")
            .env("LAVKA_OUTBOX_POLL_MS", "100")
            .env("RUST_LOG", "warn")
            .kill_on_drop(true)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("the server binary starts")
    };
    let until = |what: &'static str, done: Box<dyn Fn() -> bool>| async move {
        for _ in 0..300 {
            if done() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("timed out waiting for {what}");
    };

    // The worker sends the whole message; the process dies before the answer.
    let mut first = worker();
    let stalled = sink.clone();
    until(
        "the message to reach the server",
        Box::new(move || stalled.stalled.load(Ordering::SeqCst) == 1),
    )
    .await;
    first.kill().await.unwrap();
    let cut = message(&db, id).await;
    assert_eq!((cut.status.as_str(), cut.attempts), ("sending", 1));
    assert!(sink.accepted().is_empty());

    // A new process takes it again once the dead one's lease has ended.
    sink.stall.store(false, Ordering::SeqCst);
    let mut second = worker();
    for _ in 0..300 {
        if message(&db, id).await.status == "sent" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let sent = message(&db, id).await;
    assert_eq!((sent.status.as_str(), sent.attempts), ("sent", 2));
    // A few more polling rounds: still exactly one delivery.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    second.kill().await.unwrap();
    let received = sink.accepted();
    assert_eq!(received.len(), 1);
    assert!(received[0].contains(&format!("Message-ID: <outbox-{id}@lavka.test>")));
}

/// A manager, who edits the templates and the outbox.
async fn manager(state: &AppState) -> app::server::accounts::AuthUser {
    common::user(
        &state.db,
        "manager@example.com",
        "long enough password",
        app::domain::accounts::Role::Manager,
    )
    .await
}

/// Each instance keeps the active templates for a second; an edit made on
/// this one shows in the very next order's message.
#[tokio::test]
async fn an_edited_template_is_used_by_the_next_order_at_once() {
    let state = common::demo_state().await;
    let staff = manager(&state).await;
    let placed_email = notifications::templates(&state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|t| {
            t.event == NotificationEvent::OrderPlaced
                && t.channel == Channel::Email
                && t.lang == "en"
        })
        .unwrap();
    let subject_of = |order_id: i64| {
        let db = state.db.clone();
        async move {
            outbox::Entity::find()
                .filter(outbox::Column::OrderId.eq(order_id))
                .filter(outbox::Column::Channel.eq(Channel::Email.as_str()))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .subject
        }
    };
    // An order before the edit: this instance now keeps the templates.
    let before = place_order(&state, "template-key-000001").await;
    assert_eq!(
        subject_of(before).await,
        placed_email
            .subject
            .replace("{{number}}", &app::domain::checkout::order_number(before))
    );
    let saved = notifications::save_template(
        &state,
        &staff,
        placed_email.id,
        "Thank you: order {{number}}",
        "Hi {{name}}",
        true,
    )
    .await
    .unwrap();
    assert_eq!(saved, None);
    let after = place_order(&state, "template-key-000002").await;
    assert_eq!(
        subject_of(after).await,
        format!(
            "Thank you: order {}",
            app::domain::checkout::order_number(after)
        )
    );
}

#[tokio::test]
async fn templates_are_checked_and_a_failed_message_can_be_sent_again() {
    let state = common::state().await;
    let staff = manager(&state).await;
    let templates = notifications::templates(&state.db).await.unwrap();
    assert_eq!(
        templates.len(),
        40,
        "10 events × e-mail and SMS × ru and en"
    );
    let email = templates
        .iter()
        .find(|t| t.channel == Channel::Email && t.lang == "en")
        .unwrap();
    let problem =
        notifications::save_template(&state, &staff, email.id, "Order {{numbr}}", "Hi", true)
            .await
            .unwrap();
    assert_eq!(
        problem,
        Some(app::domain::notifications::TemplateProblem::UnknownPlaceholder("numbr".into()))
    );
    let saved = notifications::save_template(
        &state,
        &staff,
        email.id,
        "Your order {{number}}",
        "Hi {{name}}",
        true,
    )
    .await
    .unwrap();
    assert_eq!(saved, None);
    let reread = notifications::templates(&state.db).await.unwrap();
    let changed = reread.iter().find(|t| t.id == email.id).unwrap();
    assert_eq!(
        (changed.subject.as_str(), changed.body.as_str()),
        ("Your order {{number}}", "Hi {{name}}")
    );

    // An address no server takes fails at once; staff can queue it again.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let _sink = Sink::start(listener).await;
    let id = queue(&state.db, Channel::Email, "not an address", "x").await;
    let notifier = Notifier::new(&mail_config(port), Duration::seconds(60)).unwrap();
    let round = run_once(&state.db, &notifier, Utc::now()).await.unwrap();
    assert_eq!(
        round,
        Round {
            failed: 1,
            ..Default::default()
        }
    );
    assert_eq!(message(&state.db, id).await.status, "failed");
    notifications::resend(&state.db, &staff, id, Utc::now())
        .await
        .unwrap();
    let again = message(&state.db, id).await;
    assert_eq!((again.status.as_str(), again.attempts), ("pending", 0));
    // Only a failed message can be queued again.
    assert!(notifications::resend(&state.db, &staff, id, Utc::now())
        .await
        .is_err());
}
