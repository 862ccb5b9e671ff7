//! Notifications to customers (ORD-5, CHK-5): which order events send a
//! message, the templates the messages are written from, and when a failed
//! send is tried again.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Email, Channel::Sms];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The order events a customer hears about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NotificationEvent {
    OrderPlaced,
    OrderPaid,
    OrderCancelled,
    OrderConfirmed,
    OrderShipped,
    OrderDelivered,
    /// A return request (ORD-7) accepted: send the goods back.
    ReturnAccepted,
    /// A return request rejected; the reply is on the order's page.
    ReturnRejected,
    /// The returned goods arrived and the refund is made.
    ReturnReceived,
    /// Staff changed the goods or the delivery at the customer's request (ORD-6).
    OrderChanged,
}

impl NotificationEvent {
    pub const ALL: [NotificationEvent; 10] = [
        NotificationEvent::OrderPlaced,
        NotificationEvent::OrderPaid,
        NotificationEvent::OrderCancelled,
        NotificationEvent::OrderConfirmed,
        NotificationEvent::OrderShipped,
        NotificationEvent::OrderDelivered,
        NotificationEvent::ReturnAccepted,
        NotificationEvent::ReturnRejected,
        NotificationEvent::ReturnReceived,
        NotificationEvent::OrderChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationEvent::OrderPlaced => "order_placed",
            NotificationEvent::OrderPaid => "order_paid",
            NotificationEvent::OrderCancelled => "order_cancelled",
            NotificationEvent::OrderConfirmed => "order_confirmed",
            NotificationEvent::OrderShipped => "order_shipped",
            NotificationEvent::OrderDelivered => "order_delivered",
            NotificationEvent::ReturnAccepted => "return_accepted",
            NotificationEvent::ReturnRejected => "return_rejected",
            NotificationEvent::ReturnReceived => "return_received",
            NotificationEvent::OrderChanged => "order_changed",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationEvent> {
        NotificationEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// The values a template may use, as `{{name}}`.
pub const PLACEHOLDERS: [&str; 7] = [
    "name",
    "number",
    "total",
    "order_url",
    "delivery",
    "payment",
    "tracking",
];

/// Longest SMS template: five Cyrillic segments, leaving room for the values.
pub const SMS_MAX_CHARS: usize = 300;
pub const SUBJECT_MAX_CHARS: usize = 200;
pub const BODY_MAX_CHARS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TemplateProblem {
    EmptySubject,
    SubjectTooLong,
    EmptyBody,
    BodyTooLong(usize),
    Unclosed,
    UnknownPlaceholder(String),
}

impl std::fmt::Display for TemplateProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateProblem::EmptySubject => write!(f, "An e-mail needs a subject."),
            TemplateProblem::SubjectTooLong => {
                write!(
                    f,
                    "The subject is longer than {SUBJECT_MAX_CHARS} characters."
                )
            }
            TemplateProblem::EmptyBody => write!(f, "The message text is empty."),
            TemplateProblem::BodyTooLong(max) => {
                write!(f, "The message text is longer than {max} characters.")
            }
            TemplateProblem::Unclosed => {
                write!(f, "A placeholder opened with {{{{ is not closed with }}}}.")
            }
            TemplateProblem::UnknownPlaceholder(name) => write!(
                f,
                "Unknown placeholder {{{{{name}}}}}; use one of: {}.",
                PLACEHOLDERS.join(", ")
            ),
        }
    }
}

/// The placeholders a text uses, in order; an error for an unclosed one.
fn placeholders(text: &str) -> Result<Vec<&str>, TemplateProblem> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or(TemplateProblem::Unclosed)?;
        found.push(after[..close].trim());
        rest = &after[close + 2..];
    }
    Ok(found)
}

/// Checks a template before it is saved, so a typo never reaches a customer.
pub fn check_template(channel: Channel, subject: &str, body: &str) -> Result<(), TemplateProblem> {
    if channel == Channel::Email {
        if subject.trim().is_empty() {
            return Err(TemplateProblem::EmptySubject);
        }
        if subject.chars().count() > SUBJECT_MAX_CHARS {
            return Err(TemplateProblem::SubjectTooLong);
        }
    }
    if body.trim().is_empty() {
        return Err(TemplateProblem::EmptyBody);
    }
    let max = match channel {
        Channel::Email => BODY_MAX_CHARS,
        Channel::Sms => SMS_MAX_CHARS,
    };
    if body.chars().count() > max {
        return Err(TemplateProblem::BodyTooLong(max));
    }
    for name in placeholders(subject)?
        .into_iter()
        .chain(placeholders(body)?)
    {
        if !PLACEHOLDERS.contains(&name) {
            return Err(TemplateProblem::UnknownPlaceholder(name.to_string()));
        }
    }
    Ok(())
}

/// Fills `{{name}}` placeholders; an unknown or unclosed one stays as typed
/// (templates are checked when saved, so that only happens to old rows).
pub fn render(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = after[..close].trim();
        match values.iter().find(|(k, _)| *k == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[open..open + 2 + close + 2]),
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// Sends tried before a message is given up as failed (about an hour and a
/// quarter of retries with [`retry_delay_secs`]).
pub const MAX_ATTEMPTS: i32 = 8;

/// Seconds to wait after failed attempt number `attempt` (1-based): 30 s,
/// doubling, at most an hour.
pub fn retry_delay_secs(attempt: i32) -> i64 {
    let doublings = attempt.clamp(1, 20) - 1;
    (30_i64 << doublings).min(3600)
}

/// Where a message is in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutboxStatus {
    /// Waiting for its first send or for a retry.
    Pending,
    /// Taken by a worker; if the worker dies, taken again when its lease ends.
    Sending,
    Sent,
    /// Given up after [`MAX_ATTEMPTS`]; staff can send it again.
    Failed,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 4] = [
        OutboxStatus::Pending,
        OutboxStatus::Sending,
        OutboxStatus::Sent,
        OutboxStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<OutboxStatus> {
        OutboxStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a failed send means for the message: try again later, or give up.
pub fn after_failure(attempt: i32) -> (OutboxStatus, Option<i64>) {
    if attempt >= MAX_ATTEMPTS {
        (OutboxStatus::Failed, None)
    } else {
        (OutboxStatus::Pending, Some(retry_delay_secs(attempt)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_left_as_typed() {
        let values = [
            ("name", "Анна".to_string()),
            ("number", "100042".to_string()),
        ];
        assert_eq!(
            render("{{name}}, заказ №{{ number }} принят", &values),
            "Анна, заказ №100042 принят"
        );
        assert_eq!(render("{{nope}} {{name}}", &values), "{{nope}} Анна");
        assert_eq!(render("broken {{name", &values), "broken {{name");
        assert_eq!(render("no placeholders", &values), "no placeholders");
    }

    #[test]
    fn templates_are_checked_before_saving() {
        assert_eq!(
            check_template(Channel::Email, "Order {{number}}", "Hi {{name}}"),
            Ok(())
        );
        assert_eq!(
            check_template(Channel::Email, " ", "Hi"),
            Err(TemplateProblem::EmptySubject)
        );
        // An SMS has no subject.
        assert_eq!(check_template(Channel::Sms, "", "Order {{number}}"), Ok(()));
        assert_eq!(
            check_template(Channel::Sms, "", "Order {{numbr}}"),
            Err(TemplateProblem::UnknownPlaceholder("numbr".into()))
        );
        assert_eq!(
            check_template(Channel::Email, "Order {{number", "x"),
            Err(TemplateProblem::Unclosed)
        );
        assert_eq!(
            check_template(Channel::Sms, "", &"я".repeat(SMS_MAX_CHARS + 1)),
            Err(TemplateProblem::BodyTooLong(SMS_MAX_CHARS))
        );
        assert_eq!(
            check_template(Channel::Sms, "", "\n"),
            Err(TemplateProblem::EmptyBody)
        );
        let message = TemplateProblem::UnknownPlaceholder("numbr".into()).to_string();
        assert!(
            message.contains("{{numbr}}") && message.contains("order_url"),
            "{message}"
        );
    }

    #[test]
    fn retries_back_off_and_then_give_up() {
        let delays: Vec<i64> = (1..=8).map(retry_delay_secs).collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920, 3600]);
        assert_eq!(retry_delay_secs(40), 3600);
        assert_eq!(after_failure(1), (OutboxStatus::Pending, Some(30)));
        assert_eq!(after_failure(MAX_ATTEMPTS - 1).0, OutboxStatus::Pending);
        assert_eq!(after_failure(MAX_ATTEMPTS), (OutboxStatus::Failed, None));
    }
}
