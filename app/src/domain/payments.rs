//! Online payment rules (CHK-3): what a provider's webhook event says, the
//! checks it must pass, and what it does to the order. Pure: the signature
//! itself is computed by the server (HMAC-SHA256), this module only decides.
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How old a signed webhook may be before it counts as a replay.
pub const WEBHOOK_TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentResult {
    Succeeded,
    Failed,
}

/// A provider's notification, as signed and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// Unique per event; a resent event keeps its id.
    pub event_id: String,
    /// The provider's id of the payment (ours: `payments.external_id`).
    pub payment_id: String,
    pub result: PaymentResult,
    /// In the shop's currency, e.g. "12990.00".
    pub amount: Decimal,
    /// Set on a refund's outcome (ORD-6): our id of the refund.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_id: Option<String>,
}

/// Why a webhook is refused (answered with an error status, nothing changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum WebhookRejection {
    #[error("no valid signature")]
    BadSignature,
    #[error("the signature is too old (a replay?)")]
    Stale,
    #[error("the body is not a payment event")]
    Malformed,
    #[error("no such payment")]
    UnknownPayment,
    #[error("the amount differs from the order's")]
    AmountMismatch,
}

/// `t=<unix seconds>,v1=<hex signature>` → its parts.
pub fn parse_signature_header(header: &str) -> Option<(i64, String)> {
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse().ok(),
            Some(("v1", v)) if !v.is_empty() => signature = Some(v.to_string()),
            _ => {}
        }
    }
    Some((timestamp?, signature?))
}

pub fn fresh(sent_at: i64, now: i64) -> bool {
    (now - sent_at).abs() <= WEBHOOK_TOLERANCE_SECS
}

/// What an authentic event does, given the payment and the order as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentDecision {
    /// The order is paid.
    MarkPaid,
    /// This attempt failed; the order stays unpaid and can be paid again.
    MarkFailed,
    /// The payment already has its final result; nothing changes.
    AlreadySettled,
    /// Money arrived for an order that was cancelled meanwhile: recorded on
    /// the payment and flagged for a refund, the order stays cancelled.
    PaidAfterCancel,
}

pub fn decide(
    event: &WebhookEvent,
    expected_amount: Decimal,
    payment_settled: bool,
    order_cancelled: bool,
) -> Result<PaymentDecision, WebhookRejection> {
    if event.amount != expected_amount {
        return Err(WebhookRejection::AmountMismatch);
    }
    Ok(match (payment_settled, event.result, order_cancelled) {
        (true, _, _) => PaymentDecision::AlreadySettled,
        (false, PaymentResult::Failed, _) => PaymentDecision::MarkFailed,
        (false, PaymentResult::Succeeded, true) => PaymentDecision::PaidAfterCancel,
        (false, PaymentResult::Succeeded, false) => PaymentDecision::MarkPaid,
    })
}

/// The sandbox bank's credit rule (CHK-3): the plan must exist for this
/// total, and the monthly payment may take at most 40 % of the applicant's
/// monthly income. Returns the monthly payment of an approved application.
pub fn credit_decision(
    total: Decimal,
    months: u32,
    monthly_income: Decimal,
) -> Result<Decimal, CreditDecline> {
    let plan = crate::domain::pricing::instalment_plans()
        .into_iter()
        .find(|p| p.months == months && total >= p.min_total)
        .ok_or(CreditDecline::NoSuchPlan)?;
    let monthly = crate::domain::pricing::monthly_payment(total, plan.markup_percent, months)
        .ok_or(CreditDecline::NoSuchPlan)?;
    if monthly * Decimal::from(10) > monthly_income * Decimal::from(4) {
        return Err(CreditDecline::IncomeTooLow);
    }
    Ok(monthly)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditDecline {
    NoSuchPlan,
    IncomeTooLow,
}

/// Banking days a bank invoice is valid (CHK-3); the goods are held till then.
pub const INVOICE_BANKING_DAYS: u32 = 5;

/// The last day an invoice issued on `issued` may be paid: the fifth
/// weekday after it. (Public holidays are not counted out: the shop holds
/// the goods a little longer around them, never shorter.)
pub fn invoice_last_day(issued: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::{Datelike, Weekday};
    let mut day = issued;
    let mut left = INVOICE_BANKING_DAYS;
    while left > 0 {
        day = day.succ_opt().unwrap_or(day);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    day
}

/// Why a part payment staff typed in is refused (ORD-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartPaymentProblem {
    /// Not an amount of money, or zero.
    BadAmount,
    /// More than the order still owes.
    MoreThanDue(Decimal),
    /// Fully paid, cancelled or returned: nothing to take.
    NothingDue,
}

impl PartPaymentProblem {
    pub fn message(self, lang: super::money::Lang) -> String {
        use super::money::Lang;
        match (self, lang) {
            (PartPaymentProblem::BadAmount, Lang::Ru) => {
                "Введите сумму больше нуля, например 1500 или 1 500,50.".into()
            }
            (PartPaymentProblem::BadAmount, Lang::En) => {
                "Enter an amount above zero, e.g. 1500 or 1,500.50.".into()
            }
            (PartPaymentProblem::MoreThanDue(due), Lang::Ru) => {
                format!("Заказ должен ещё {due} ₽: больше принять нельзя.")
            }
            (PartPaymentProblem::MoreThanDue(due), Lang::En) => {
                format!("The order owes {due} ₽ more; no more can be taken.")
            }
            (PartPaymentProblem::NothingDue, Lang::Ru) => "По этому заказу платить нечего.".into(),
            (PartPaymentProblem::NothingDue, Lang::En) => "Nothing is due on this order.".into(),
        }
    }
}

/// Checks a part payment typed by staff (`1500`, `1 500,50`) against what
/// the order still owes; returns the amount.
pub fn check_part_payment(text: &str, due: Decimal) -> Result<Decimal, PartPaymentProblem> {
    if due <= Decimal::ZERO {
        return Err(PartPaymentProblem::NothingDue);
    }
    let minor =
        super::catalog::editing::parse_price(text).map_err(|_| PartPaymentProblem::BadAmount)?;
    let amount = super::catalog::from_minor(minor);
    if amount <= Decimal::ZERO {
        return Err(PartPaymentProblem::BadAmount);
    }
    if amount > due {
        return Err(PartPaymentProblem::MoreThanDue(due));
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invoice_is_valid_five_banking_days() {
        let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        // (issued, last day to pay)
        for (issued, last) in [
            // Thursday: Fri, Mon, Tue, Wed, Thu.
            ("2026-11-26", "2026-12-03"),
            // Monday: the same week's Friday, then Monday.
            ("2026-11-23", "2026-11-30"),
            // Saturday: Mon … Fri.
            ("2026-11-28", "2026-12-04"),
        ] {
            assert_eq!(invoice_last_day(day(issued)), day(last), "{issued}");
        }
    }

    /// The release of unpaid invoices (server/reservations.rs) looks only at
    /// invoices at least this many calendar days old: never later than the
    /// last day, on any day of the week.
    #[test]
    fn an_invoice_lasts_at_least_five_calendar_days_from_any_weekday() {
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let spans: Vec<i64> = (0..7)
            .map(|d| {
                let issued = monday + chrono::Duration::days(d);
                (invoice_last_day(issued) - issued).num_days()
            })
            .collect();
        // Monday … Sunday.
        assert_eq!(spans, [7, 7, 7, 7, 7, 6, 5]);
        assert_eq!(
            spans.iter().min().copied(),
            Some(i64::from(INVOICE_BANKING_DAYS))
        );
    }

    fn event(result: PaymentResult, amount: &str) -> WebhookEvent {
        WebhookEvent {
            event_id: "evt_1".into(),
            payment_id: "pay_1".into(),
            result,
            amount: amount.parse().unwrap(),
            refund_id: None,
        }
    }

    #[test]
    fn signature_headers_are_read_or_refused() {
        assert_eq!(
            parse_signature_header("t=1700000000,v1=abcd"),
            Some((1_700_000_000, "abcd".into()))
        );
        assert_eq!(parse_signature_header("v1=abcd"), None);
        assert_eq!(parse_signature_header("t=soon,v1=abcd"), None);
        assert_eq!(parse_signature_header("t=1,v1="), None);
        assert!(fresh(1000, 1000 + WEBHOOK_TOLERANCE_SECS));
        assert!(!fresh(1000, 1001 + WEBHOOK_TOLERANCE_SECS));
    }

    #[test]
    fn events_settle_a_payment_once_and_never_for_another_amount() {
        let total: Decimal = "1990.00".parse().unwrap();
        let paid = event(PaymentResult::Succeeded, "1990");
        assert_eq!(
            decide(&paid, total, false, false),
            Ok(PaymentDecision::MarkPaid)
        );
        assert_eq!(
            decide(&paid, total, true, false),
            Ok(PaymentDecision::AlreadySettled)
        );
        assert_eq!(
            decide(&paid, total, false, true),
            Ok(PaymentDecision::PaidAfterCancel)
        );
        let failed = event(PaymentResult::Failed, "1990.00");
        assert_eq!(
            decide(&failed, total, false, false),
            Ok(PaymentDecision::MarkFailed)
        );
        let short = event(PaymentResult::Succeeded, "1.00");
        assert_eq!(
            decide(&short, total, false, false),
            Err(WebhookRejection::AmountMismatch)
        );
    }

    #[test]
    fn credit_is_approved_when_the_payment_fits_the_income() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        // 12 000 over 4 months interest-free: 3 000 a month, needs 7 500 income.
        assert_eq!(credit_decision(d("12000"), 4, d("7500")), Ok(d("3000")));
        assert_eq!(
            credit_decision(d("12000"), 4, d("7499")),
            Err(CreditDecline::IncomeTooLow)
        );
        // 12 months only from 10 000; 4 months only from 3 000.
        assert_eq!(
            credit_decision(d("9000"), 12, d("100000")),
            Err(CreditDecline::NoSuchPlan)
        );
        assert_eq!(
            credit_decision(d("2000"), 4, d("100000")),
            Err(CreditDecline::NoSuchPlan)
        );
        assert_eq!(
            credit_decision(d("10000"), 6, d("100000")),
            Err(CreditDecline::NoSuchPlan)
        );
    }

    #[test]
    fn a_part_payment_is_an_amount_up_to_what_is_due() {
        let due = Decimal::new(300_000, 2);
        assert_eq!(
            check_part_payment("1 000,50", due),
            Ok(Decimal::new(100_050, 2))
        );
        assert_eq!(check_part_payment("3000", due), Ok(due));
        for bad in ["", "abc", "0", "-5", "1.234"] {
            assert_eq!(
                check_part_payment(bad, due),
                Err(PartPaymentProblem::BadAmount),
                "{bad}"
            );
        }
        assert_eq!(
            check_part_payment("3000.01", due),
            Err(PartPaymentProblem::MoreThanDue(due))
        );
        assert_eq!(
            check_part_payment("10", Decimal::ZERO),
            Err(PartPaymentProblem::NothingDue)
        );
    }
}
