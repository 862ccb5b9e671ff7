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
    /// A company pays a bank transfer against the shop's invoice (CHK-3).
    BankInvoice,
    /// The partner bank lends the money: instalments or credit (CHK-3).
    Credit,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 5] = [
        PaymentMethod::CardOnline,
        PaymentMethod::CashOnDelivery,
        PaymentMethod::CardOnDelivery,
        PaymentMethod::Credit,
        PaymentMethod::BankInvoice,
    ];

    /// Paid on the bank's pages: a card payment, or a credit application.
    pub fn online(self) -> bool {
        matches!(self, PaymentMethod::CardOnline | PaymentMethod::Credit)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::CashOnDelivery => "cash_on_delivery",
            PaymentMethod::CardOnDelivery => "card_on_delivery",
            PaymentMethod::CardOnline => "card_online",
            PaymentMethod::BankInvoice => "bank_invoice",
            PaymentMethod::Credit => "credit",
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
            (PaymentMethod::BankInvoice, Lang::Ru) => "Счёт для юрлица или ИП",
            (PaymentMethod::BankInvoice, Lang::En) => {
                "Bank transfer against an invoice (companies)"
            }
            (PaymentMethod::Credit, Lang::Ru) => "В рассрочку или кредит от банка",
            (PaymentMethod::Credit, Lang::En) => "Instalments or credit from the bank",
        }
    }
}

/// Order statuses (ORD-2); checkout creates `New`, the back office moves it
/// on through `domain::orders::transition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderStatus {
    New,
    Confirmed,
    Paid,
    Picking,
    Packed,
    Shipped,
    Delivered,
    Completed,
    Cancelled,
    Returned,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 10] = [
        OrderStatus::New,
        OrderStatus::Confirmed,
        OrderStatus::Paid,
        OrderStatus::Picking,
        OrderStatus::Packed,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
        OrderStatus::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::New => "new",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Paid => "paid",
            OrderStatus::Picking => "picking",
            OrderStatus::Packed => "packed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (ru, en) = match self {
            OrderStatus::New => ("Принят", "Received"),
            OrderStatus::Confirmed => ("Подтверждён", "Confirmed"),
            OrderStatus::Paid => ("Оплачен", "Paid"),
            OrderStatus::Picking => ("Собирается", "Being picked"),
            OrderStatus::Packed => ("Упакован", "Packed"),
            OrderStatus::Shipped => ("Передан в доставку", "Shipped"),
            OrderStatus::Delivered => ("Доставлен", "Delivered"),
            OrderStatus::Completed => ("Выполнен", "Completed"),
            OrderStatus::Cancelled => ("Отменён", "Cancelled"),
            OrderStatus::Returned => ("Возвращён", "Returned"),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
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
        "no_answer" => (
            "Не дозвонились для подтверждения",
            "We called to confirm and got no answer",
        ),
        "payment_failed" => ("Оплата не прошла", "Payment failed"),
        "payment_after_cancel" => ("Оплата после отмены", "Paid after cancellation"),
        "credit_approved" => ("Банк одобрил кредит", "Credit approved by the bank"),
        "credit_declined" => ("Банк отказал в кредите", "Credit declined by the bank"),
        "part_paid" => ("Получена часть оплаты", "Part payment received"),
        "edited" => ("Заказ изменён", "Order changed"),
        "return_requested" => (
            "Покупатель запросил возврат",
            "Return requested by the customer",
        ),
        "refund_paid" => ("Деньги возвращены на карту", "Refund paid back to the card"),
        "refund_failed" => ("Банк не провёл возврат", "The bank refused the refund"),
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
    /// The paying company, for a bank invoice.
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub inn: String,
    #[serde(default)]
    pub kpp: String,
    /// Try-on at the door, where the courier method offers it.
    #[serde(default)]
    pub try_on: bool,
}

/// The taxpayer number (ИНН) of a company (10 digits) or a sole trader (12),
/// with its check digits.
pub fn inn_valid(inn: &str) -> bool {
    let digits: Vec<u32> = inn.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != inn.chars().count() {
        return false;
    }
    let check = |weights: &[u32], at: usize| {
        let sum: u32 = weights.iter().zip(&digits).map(|(w, d)| w * d).sum();
        sum % 11 % 10 == digits[at]
    };
    match digits.len() {
        10 => check(&[2, 4, 10, 3, 5, 9, 4, 6, 8], 9),
        12 => {
            check(&[7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 10)
                && check(&[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 11)
        }
        _ => false,
    }
}

/// The registration reason code (КПП): nine characters, the fifth and sixth
/// may be capital Latin letters.
pub fn kpp_valid(kpp: &str) -> bool {
    let chars: Vec<char> = kpp.chars().collect();
    chars.len() == 9
        && chars
            .iter()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || ((i == 4 || i == 5) && c.is_ascii_uppercase()))
}

/// Who pays a bank invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub name: String,
    pub inn: String,
    /// Empty for a sole trader (12-digit INN).
    pub kpp: String,
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
    CompanyRequired,
    InnInvalid,
    KppInvalid,
    /// Credit chosen without a plan the bank offers for this total.
    PlanRequired,
    /// The chosen method has no rate for the address.
    NotDeliveredHere,
    /// The goods weigh more than the chosen method takes there.
    TooHeavyForDelivery,
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
            CheckoutProblem::CompanyRequired => "company",
            CheckoutProblem::InnInvalid => "inn",
            CheckoutProblem::KppInvalid => "kpp",
            CheckoutProblem::PlanRequired => "payment",
            CheckoutProblem::NotDeliveredHere | CheckoutProblem::TooHeavyForDelivery => "delivery",
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
            CheckoutProblem::CompanyRequired => {
                ("Укажите название организации.", "Enter the company's name.")
            }
            CheckoutProblem::InnInvalid => (
                "ИНН — 10 цифр у организации или 12 у ИП; проверьте цифры.",
                "The INN has 10 digits (company) or 12 (sole trader); check the digits.",
            ),
            CheckoutProblem::KppInvalid => (
                "КПП организации — 9 знаков, например 773601001.",
                "A company's KPP has 9 characters, e.g. 773601001.",
            ),
            CheckoutProblem::PlanRequired => (
                "Выберите срок рассрочки, доступный для этой суммы.",
                "Choose an instalment plan available for this total.",
            ),
            CheckoutProblem::NotDeliveredHere => (
                "Этот способ не доставляет по указанному адресу — выберите другой.",
                "This method does not deliver to that address; choose another.",
            ),
            CheckoutProblem::TooHeavyForDelivery => (
                "Заказ тяжелее, чем берёт этот способ доставки, — выберите другой.",
                "The order weighs more than this method takes; choose another.",
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
    /// Set exactly when paying by bank invoice.
    pub company: Option<Company>,
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
            // Post needs one; for a courier it is optional but, if typed, must be real.
            if !postcode_ok && (kind == DeliveryKind::Post || !postcode.is_empty()) {
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
    let company = (payment == Some(PaymentMethod::BankInvoice)).then(|| {
        let name = form.company.trim();
        let inn: String = form.inn.chars().filter(|c| !c.is_whitespace()).collect();
        let kpp: String = form.kpp.chars().filter(|c| !c.is_whitespace()).collect();
        if name.is_empty() || name.chars().count() > NAME_MAX_CHARS * 2 {
            problems.push(CheckoutProblem::CompanyRequired);
        }
        if !inn_valid(&inn) {
            problems.push(CheckoutProblem::InnInvalid);
        }
        // Only a company (10-digit INN) has a KPP.
        let kpp = if inn.len() == 12 { String::new() } else { kpp };
        if inn.len() == 10 && !kpp_valid(&kpp) {
            problems.push(CheckoutProblem::KppInvalid);
        }
        Company {
            name: name.to_string(),
            inn,
            kpp,
        }
    });
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
            company,
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

    #[test]
    fn inn_and_kpp_are_checked_with_their_check_digits() {
        assert!(inn_valid("7707083893"));
        assert!(!inn_valid("7707083894"));
        assert!(inn_valid("500100732259"));
        assert!(!inn_valid("500100732258"));
        assert!(!inn_valid("77070838"));
        assert!(!inn_valid("77070838９3"));
        assert!(kpp_valid("773601001"));
        assert!(kpp_valid("7736AB001"));
        assert!(!kpp_valid("77360100"));
        assert!(!kpp_valid("77360100x"));
        assert!(!kpp_valid("AB3601001"));
    }

    #[test]
    fn a_bank_invoice_needs_the_company_and_its_numbers() {
        let form = CheckoutForm {
            name: "Анна".into(),
            phone: "+7 916 123-45-67".into(),
            delivery: "courier".into(),
            city: "Москва".into(),
            address: "ул. Примерная, 1".into(),
            payment: "bank_invoice".into(),
            ..Default::default()
        };
        let problems = validate(&form, Some(DeliveryKind::Courier)).unwrap_err();
        assert_eq!(
            problems,
            [
                CheckoutProblem::CompanyRequired,
                CheckoutProblem::InnInvalid
            ]
        );
        let company = CheckoutForm {
            company: "ООО «Ромашка»".into(),
            inn: "7707 083893".into(),
            kpp: "773601001".into(),
            ..form.clone()
        };
        let valid = validate(&company, Some(DeliveryKind::Courier)).unwrap();
        assert_eq!(
            valid.company,
            Some(Company {
                name: "ООО «Ромашка»".into(),
                inn: "7707083893".into(),
                kpp: "773601001".into()
            })
        );
        let no_kpp = CheckoutForm {
            kpp: String::new(),
            ..company.clone()
        };
        assert_eq!(
            validate(&no_kpp, Some(DeliveryKind::Courier)).unwrap_err(),
            [CheckoutProblem::KppInvalid]
        );
        // A sole trader has no KPP; one typed anyway is dropped.
        let trader = CheckoutForm {
            inn: "500100732259".into(),
            ..company.clone()
        };
        assert_eq!(
            validate(&trader, Some(DeliveryKind::Courier))
                .unwrap()
                .company
                .unwrap()
                .kpp,
            ""
        );
        // Other payments ignore the company fields.
        let cash = CheckoutForm {
            payment: "cash_on_delivery".into(),
            inn: "1".into(),
            ..form
        };
        assert_eq!(
            validate(&cash, Some(DeliveryKind::Courier))
                .unwrap()
                .company,
            None
        );
    }
}
