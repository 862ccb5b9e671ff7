//! Checkout (CHK-1 … CHK-4): what a shopper must give to place an order, the
//! ways to pay, the order's statuses and its number. Pure rules, shared by
//! the checkout page (errors next to the fields as they type) and the server
//! (which checks again).
use super::accounts::{normalize_email, normalize_phone, EmailProblem, PhoneProblem};
use super::delivery::DeliveryKind;
use super::money::Lang;
use serde::{Deserialize, Serialize};

pub const NAME_MAX_CHARS: usize = 120;
pub const ADDRESS_MAX_CHARS: usize = 300;
pub const COMMENT_MAX_CHARS: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// Cash to the courier or at the pickup point.
    CashOnDelivery,
    /// A card terminal at the door or at the pickup point.
    CardOnDelivery,
    /// A card now, on the payment provider's page (CHK-3).
    CardOnline,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] = [
        PaymentMethod::CardOnline,
        PaymentMethod::CashOnDelivery,
        PaymentMethod::CardOnDelivery,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::CashOnDelivery => "cash_on_delivery",
            PaymentMethod::CardOnDelivery => "card_on_delivery",
            PaymentMethod::CardOnline => "card_online",
        }
    }

    pub fn parse(s: &str) -> Option<PaymentMethod> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PaymentMethod::CashOnDelivery, Lang::Ru) => "Наличными при получении",
            (PaymentMethod::CashOnDelivery, Lang::En) => "Cash on delivery",
            (PaymentMethod::CardOnDelivery, Lang::Ru) => "Картой при получении",
            (PaymentMethod::CardOnDelivery, Lang::En) => "Card on delivery",
            (PaymentMethod::CardOnline, Lang::Ru) => "Картой онлайн",
            (PaymentMethod::CardOnline, Lang::En) => "Card online",
        }
    }
}

/// Order statuses (ORD-2); checkout creates `New`, the back office moves it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    New,
    Confirmed,
    Cancelled,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::New => "new",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        [
            OrderStatus::New,
            OrderStatus::Confirmed,
            OrderStatus::Cancelled,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (OrderStatus::New, Lang::Ru) => "Принят",
            (OrderStatus::New, Lang::En) => "Received",
            (OrderStatus::Confirmed, Lang::Ru) => "Подтверждён",
            (OrderStatus::Confirmed, Lang::En) => "Confirmed",
            (OrderStatus::Cancelled, Lang::Ru) => "Отменён",
            (OrderStatus::Cancelled, Lang::En) => "Cancelled",
        }
    }
}

/// A line of the order's timeline: a status, or a payment event.
pub fn event_label(event: &str, lang: Lang) -> String {
    if let Some(status) = OrderStatus::parse(event) {
        return status.label(lang).to_string();
    }
    let (ru, en) = match event {
        "paid" => ("Оплачен", "Paid"),
        "payment_failed" => ("Оплата не прошла", "Payment failed"),
        "payment_after_cancel" => ("Оплата после отмены", "Paid after cancellation"),
        other => return other.to_string(),
    };
    match lang {
        Lang::Ru => ru.into(),
        Lang::En => en.into(),
    }
}

/// The number shoppers and operators say on the phone: short, unique, never reused.
pub fn order_number(id: i64) -> String {
    (100_000 + id).to_string()
}

/// The order id behind a number, `None` for anything that is not one.
pub fn order_id(number: &str) -> Option<i64> {
    number
        .trim()
        .parse::<i64>()
        .ok()
        .map(|n| n - 100_000)
        .filter(|id| *id > 0)
}

/// The checkout form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutForm {
    pub name: String,
    pub phone: String,
    pub email: String,
    /// Code of the delivery method.
    pub delivery: String,
    pub city: String,
    pub address: String,
    pub postcode: String,
    pub pickup_point: Option<i64>,
    pub payment: String,
    pub comment: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckoutProblem {
    NameRequired,
    NameTooLong,
    Phone(PhoneProblem),
    Email(EmailProblem),
    DeliveryRequired,
    CityRequired,
    AddressRequired,
    AddressTooLong,
    /// Russian Post needs a six-digit postcode.
    PostcodeInvalid,
    PickupPointRequired,
    PaymentRequired,
    CommentTooLong,
}

impl CheckoutProblem {
    /// The form field the problem is shown next to.
    pub fn field(self) -> &'static str {
        match self {
            CheckoutProblem::NameRequired | CheckoutProblem::NameTooLong => "name",
            CheckoutProblem::Phone(_) => "phone",
            CheckoutProblem::Email(_) => "email",
            CheckoutProblem::DeliveryRequired => "delivery",
            CheckoutProblem::CityRequired => "city",
            CheckoutProblem::AddressRequired | CheckoutProblem::AddressTooLong => "address",
            CheckoutProblem::PostcodeInvalid => "postcode",
            CheckoutProblem::PickupPointRequired => "pickup_point",
            CheckoutProblem::PaymentRequired => "payment",
            CheckoutProblem::CommentTooLong => "comment",
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        let (ru, en) = match self {
            CheckoutProblem::NameRequired => {
                ("Укажите имя получателя.", "Enter the recipient's name.")
            }
            CheckoutProblem::NameTooLong => (
                "Имя длиннее 120 символов.",
                "The name is longer than 120 characters.",
            ),
            CheckoutProblem::Phone(_) => (
                "Телефон — 10–15 цифр, например +7 900 123-45-67.",
                "A phone number has 10 to 15 digits, e.g. +7 900 123-45-67.",
            ),
            CheckoutProblem::Email(_) => (
                "Проверьте e-mail: например, anna@example.ru.",
                "Check the e-mail address, e.g. anna@example.com.",
            ),
            CheckoutProblem::DeliveryRequired => {
                ("Выберите способ доставки.", "Choose a delivery method.")
            }
            CheckoutProblem::CityRequired => ("Укажите город.", "Enter the city."),
            CheckoutProblem::AddressRequired => (
                "Укажите улицу, дом и квартиру.",
                "Enter the street, house and flat.",
            ),
            CheckoutProblem::AddressTooLong => (
                "Адрес длиннее 300 символов.",
                "The address is longer than 300 characters.",
            ),
            CheckoutProblem::PostcodeInvalid => {
                ("Индекс — шесть цифр.", "A postcode has six digits.")
            }
            CheckoutProblem::PickupPointRequired => {
                ("Выберите пункт выдачи.", "Choose a pickup point.")
            }
            CheckoutProblem::PaymentRequired => ("Выберите способ оплаты.", "Choose how to pay."),
            CheckoutProblem::CommentTooLong => (
                "Комментарий длиннее 1000 символов.",
                "The comment is longer than 1000 characters.",
            ),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
}

/// A checked form, normalised: phone `+<digits>`, e-mail lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCheckout {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub delivery: String,
    /// Courier and post: "postcode, city, address"; empty for a pickup point.
    pub address: String,
    pub pickup_point: Option<i64>,
    pub payment: PaymentMethod,
    pub comment: String,
}

/// Checks the form for the chosen delivery kind (`None`: the method is not
/// offered), all problems at once.
pub fn validate(
    form: &CheckoutForm,
    kind: Option<DeliveryKind>,
) -> Result<ValidCheckout, Vec<CheckoutProblem>> {
    let mut problems = Vec::new();
    let name = form.name.trim();
    if name.is_empty() {
        problems.push(CheckoutProblem::NameRequired);
    } else if name.chars().count() > NAME_MAX_CHARS {
        problems.push(CheckoutProblem::NameTooLong);
    }
    let phone = match form.phone.trim() {
        "" => Err(PhoneProblem::Malformed),
        p => normalize_phone(p),
    }
    .map_err(|p| problems.push(CheckoutProblem::Phone(p)))
    .unwrap_or_default();
    let email = if form.email.trim().is_empty() {
        String::new()
    } else {
        normalize_email(&form.email)
            .map_err(|p| problems.push(CheckoutProblem::Email(p)))
            .unwrap_or_default()
    };
    let (city, street, postcode) = (form.city.trim(), form.address.trim(), form.postcode.trim());
    let mut address = String::new();
    let mut pickup_point = None;
    match kind {
        None => problems.push(CheckoutProblem::DeliveryRequired),
        Some(DeliveryKind::PickupPoint) => match form.pickup_point {
            Some(id) => pickup_point = Some(id),
            None => problems.push(CheckoutProblem::PickupPointRequired),
        },
        Some(kind) => {
            if city.is_empty() {
                problems.push(CheckoutProblem::CityRequired);
            }
            if street.is_empty() {
                problems.push(CheckoutProblem::AddressRequired);
            }
            let postcode_ok = postcode.len() == 6 && postcode.chars().all(|c| c.is_ascii_digit());
            if kind == DeliveryKind::Post && !postcode_ok {
                problems.push(CheckoutProblem::PostcodeInvalid);
            }
            address = [postcode, city, street]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            if address.chars().count() > ADDRESS_MAX_CHARS {
                problems.push(CheckoutProblem::AddressTooLong);
            }
        }
    }
    let payment = PaymentMethod::parse(&form.payment);
    if payment.is_none() {
        problems.push(CheckoutProblem::PaymentRequired);
    }
    let comment = form.comment.trim();
    if comment.chars().count() > COMMENT_MAX_CHARS {
        problems.push(CheckoutProblem::CommentTooLong);
    }
    match payment {
        Some(payment) if problems.is_empty() => Ok(ValidCheckout {
            name: name.to_string(),
            phone,
            email,
            delivery: form.delivery.clone(),
            address,
            pickup_point,
            payment,
            comment: comment.to_string(),
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn courier_form() -> CheckoutForm {
        CheckoutForm {
            name: " Анна Петрова ".into(),
            phone: "8 916 123-45-67".into(),
            email: "Anna@Example.RU".into(),
            delivery: "courier".into(),
            city: "Москва".into(),
            address: "ул. Примерная, 1, кв. 2".into(),
            payment: "cash_on_delivery".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_courier_order_is_normalised() {
        let valid = validate(&courier_form(), Some(DeliveryKind::Courier)).unwrap();
        assert_eq!(valid.name, "Анна Петрова");
        assert_eq!(valid.phone, "+79161234567");
        assert_eq!(valid.email, "anna@example.ru");
        assert_eq!(valid.address, "Москва, ул. Примерная, 1, кв. 2");
        assert_eq!(valid.payment, PaymentMethod::CashOnDelivery);
    }

    #[test]
    fn every_problem_is_reported_next_to_its_field() {
        let form = CheckoutForm {
            comment: "x".repeat(1001),
            ..Default::default()
        };
        let problems = validate(&form, Some(DeliveryKind::Post)).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field()).collect();
        assert_eq!(
            fields,
            ["name", "phone", "city", "address", "postcode", "payment", "comment"]
        );
        assert_eq!(
            validate(&form, None).unwrap_err()[2],
            CheckoutProblem::DeliveryRequired
        );
        let pickup = validate(&form, Some(DeliveryKind::PickupPoint)).unwrap_err();
        assert!(pickup.contains(&CheckoutProblem::PickupPointRequired));
        assert!(
            !pickup.contains(&CheckoutProblem::CityRequired),
            "no address for a pickup point"
        );
    }

    #[test]
    fn an_email_is_optional_but_checked() {
        let mut form = courier_form();
        form.email = String::new();
        assert!(validate(&form, Some(DeliveryKind::Courier)).is_ok());
        form.email = "not-an-email".into();
        assert!(matches!(
            validate(&form, Some(DeliveryKind::Courier)).unwrap_err()[..],
            [CheckoutProblem::Email(_)]
        ));
    }

    #[test]
    fn order_numbers_are_short_and_distinct() {
        assert_eq!(order_number(1), "100001");
        assert_ne!(order_number(41), order_number(42));
        assert_eq!(order_id(&order_number(42)), Some(42));
        assert_eq!(order_id("42"), None);
        assert_eq!(order_id("abc"), None);
    }
}
