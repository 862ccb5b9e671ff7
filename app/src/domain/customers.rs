//! The CRM's rules (ORD-3): what a customer is worth, which segment they are
//! in, how tags and contacts are checked, and how two records of the same
//! person become one.
use super::accounts::{normalize_email, normalize_phone, EmailProblem, PhoneProblem};
use super::money::Lang;
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Longest tag, in characters.
pub const TAG_MAX_CHARS: usize = 40;
/// Most tags on one customer.
pub const TAGS_MAX: usize = 20;
/// A customer who has not ordered for this long is "lapsed".
pub const LAPSED_AFTER_DAYS: i64 = 180;
/// Orders that make a customer "loyal".
pub const LOYAL_ORDERS: u32 = 5;

/// What one order adds to a customer's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderValue {
    pub cancelled: bool,
    pub total: Decimal,
    pub refunded: Decimal,
    pub placed_at: DateTime<Utc>,
}

/// Lifetime figures: cancelled orders do not count, refunds are taken off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Lifetime {
    pub orders: u32,
    pub spent: Decimal,
    pub last_order: Option<DateTime<Utc>>,
}

impl Lifetime {
    pub fn of(orders: impl IntoIterator<Item = OrderValue>) -> Lifetime {
        orders
            .into_iter()
            .filter(|o| !o.cancelled)
            .fold(Lifetime::default(), |acc, o| Lifetime {
                orders: acc.orders + 1,
                spent: acc.spent + o.total - o.refunded,
                last_order: acc.last_order.max(Some(o.placed_at)),
            })
    }

    /// Average order value, to the kopeck; none before the first order.
    pub fn average(&self) -> Option<Decimal> {
        (self.orders > 0).then(|| (self.spent / Decimal::from(self.orders)).round_dp(2))
    }

    pub fn segment(&self, now: DateTime<Utc>) -> Segment {
        match self.last_order {
            None => Segment::Prospect,
            Some(last) if now - last > Duration::days(LAPSED_AFTER_DAYS) => Segment::Lapsed,
            Some(_) if self.orders >= LOYAL_ORDERS => Segment::Loyal,
            Some(_) if self.orders >= 2 => Segment::Repeat,
            Some(_) => Segment::New,
        }
    }
}

/// Where a customer stands, for the call centre and for campaigns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Segment {
    /// Has an account or a callback but no order yet.
    Prospect,
    /// One order, recently.
    New,
    /// Two to four orders, the last one recently.
    Repeat,
    /// Five orders or more, the last one recently.
    Loyal,
    /// No order for half a year.
    Lapsed,
}

impl Segment {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Segment::Prospect, Lang::Ru) => "без заказов",
            (Segment::Prospect, Lang::En) => "no orders yet",
            (Segment::New, Lang::Ru) => "новый",
            (Segment::New, Lang::En) => "new",
            (Segment::Repeat, Lang::Ru) => "повторный",
            (Segment::Repeat, Lang::En) => "repeat",
            (Segment::Loyal, Lang::Ru) => "постоянный",
            (Segment::Loyal, Lang::En) => "loyal",
            (Segment::Lapsed, Lang::Ru) => "давно не заказывал",
            (Segment::Lapsed, Lang::En) => "lapsed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TagProblem {
    #[error("a tag cannot be empty")]
    Empty,
    #[error("a tag is at most 40 characters")]
    TooLong,
    #[error("a tag is letters, digits, spaces and dashes")]
    BadCharacters,
    #[error("a customer has at most 20 tags")]
    TooMany,
}

impl TagProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (TagProblem::Empty, Lang::Ru) => "Напишите метку.",
            (TagProblem::Empty, Lang::En) => "Type the tag first.",
            (TagProblem::TooLong, Lang::Ru) => "Метка длиннее 40 символов.",
            (TagProblem::TooLong, Lang::En) => "A tag is at most 40 characters.",
            (TagProblem::BadCharacters, Lang::Ru) => {
                "В метке могут быть буквы, цифры, пробелы и дефисы."
            }
            (TagProblem::BadCharacters, Lang::En) => {
                "A tag may have letters, digits, spaces and dashes."
            }
            (TagProblem::TooMany, Lang::Ru) => "У клиента уже 20 меток, удалите лишние.",
            (TagProblem::TooMany, Lang::En) => {
                "The customer has 20 tags already; remove one first."
            }
        }
    }
}

/// A tag as stored: trimmed, lower case, inner spaces collapsed, so "VIP"
/// and " vip " are the same tag.
pub fn normalize_tag(raw: &str) -> Result<String, TagProblem> {
    let tag = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if tag.is_empty() {
        Err(TagProblem::Empty)
    } else if tag.chars().count() > TAG_MAX_CHARS {
        Err(TagProblem::TooLong)
    } else if !tag
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '_')
    {
        Err(TagProblem::BadCharacters)
    } else {
        Ok(tag)
    }
}

/// The contact part of a customer card, as staff type it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactsForm {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub city: String,
    pub email_consent: bool,
    pub sms_consent: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactProblem {
    NameRequired,
    NameTooLong,
    Phone(PhoneProblem),
    Email(EmailProblem),
    /// Neither a phone nor an e-mail: the shop could not reach them.
    NoWayToReach,
    CityTooLong,
    /// E-mail news agreed to without an e-mail to send them to.
    ConsentWithoutEmail,
    ConsentWithoutPhone,
}

impl ContactProblem {
    pub fn field(self) -> &'static str {
        match self {
            ContactProblem::NameRequired | ContactProblem::NameTooLong => "name",
            ContactProblem::Phone(_) | ContactProblem::ConsentWithoutPhone => "phone",
            ContactProblem::Email(_) | ContactProblem::ConsentWithoutEmail => "email",
            ContactProblem::NoWayToReach => "phone",
            ContactProblem::CityTooLong => "city",
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        let (ru, en) = match self {
            ContactProblem::NameRequired => ("Укажите имя.", "Enter the name."),
            ContactProblem::NameTooLong => (
                "Имя длиннее 120 символов.",
                "The name is longer than 120 characters.",
            ),
            ContactProblem::Phone(_) => (
                "В номере телефона 10–15 цифр, например +7 900 123-45-67.",
                "A phone number has 10 to 15 digits, e.g. +7 900 123-45-67.",
            ),
            ContactProblem::Email(_) => (
                "Проверьте адрес почты: он должен быть вида name@example.ru.",
                "Check the e-mail: it should look like name@example.com.",
            ),
            ContactProblem::NoWayToReach => (
                "Нужен телефон или почта, иначе с клиентом не связаться.",
                "Keep a phone or an e-mail, or the shop cannot reach the customer.",
            ),
            ContactProblem::CityTooLong => (
                "Название города длиннее 120 символов.",
                "The city is longer than 120 characters.",
            ),
            ContactProblem::ConsentWithoutEmail => (
                "Согласие на письма без адреса почты: укажите почту.",
                "Consent to e-mails needs an e-mail address.",
            ),
            ContactProblem::ConsentWithoutPhone => (
                "Согласие на СМС без телефона: укажите телефон.",
                "Consent to SMS needs a phone number.",
            ),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
}

/// Contacts as stored: phone `+<digits>`, e-mail lower case; all problems at once.
pub fn check_contacts(form: &ContactsForm) -> Result<ContactsForm, Vec<ContactProblem>> {
    let mut problems = Vec::new();
    let name = form.name.trim();
    if name.is_empty() {
        problems.push(ContactProblem::NameRequired);
    } else if name.chars().count() > 120 {
        problems.push(ContactProblem::NameTooLong);
    }
    let phone = match form.phone.trim() {
        "" => String::new(),
        typed => normalize_phone(typed)
            .map_err(|p| problems.push(ContactProblem::Phone(p)))
            .unwrap_or_default(),
    };
    let email = match form.email.trim() {
        "" => String::new(),
        typed => normalize_email(typed)
            .map_err(|p| problems.push(ContactProblem::Email(p)))
            .unwrap_or_default(),
    };
    if form.phone.trim().is_empty() && form.email.trim().is_empty() {
        problems.push(ContactProblem::NoWayToReach);
    }
    let city = form.city.trim();
    if city.chars().count() > 120 {
        problems.push(ContactProblem::CityTooLong);
    }
    if form.email_consent && form.email.trim().is_empty() {
        problems.push(ContactProblem::ConsentWithoutEmail);
    }
    if form.sms_consent && form.phone.trim().is_empty() {
        problems.push(ContactProblem::ConsentWithoutPhone);
    }
    if problems.is_empty() {
        Ok(ContactsForm {
            name: name.to_string(),
            phone,
            email,
            city: city.to_string(),
            ..form.clone()
        })
    } else {
        Err(problems)
    }
}

/// One customer record, as far as merging is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeSide {
    pub id: i64,
    pub user_id: Option<i64>,
    pub contacts: ContactsForm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MergeProblem {
    SameCustomer,
    /// Two accounts are two logins; one cannot absorb the other.
    BothHaveAccounts,
}

impl MergeProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (MergeProblem::SameCustomer, Lang::Ru) => "Это один и тот же клиент.",
            (MergeProblem::SameCustomer, Lang::En) => "That is the same customer.",
            (MergeProblem::BothHaveAccounts, Lang::Ru) => {
                "У обоих клиентов есть учётные записи на сайте, их нельзя объединить."
            }
            (MergeProblem::BothHaveAccounts, Lang::En) => {
                "Both customers have their own accounts on the site; they cannot be merged."
            }
        }
    }
}

/// The record that remains when `source` is merged into `target`: the
/// target's contacts win, the source fills what the target lacks, and the
/// account (if either has one) is kept. A consent survives only for the
/// contact it was given for.
pub fn merge(target: &MergeSide, source: &MergeSide) -> Result<MergeSide, MergeProblem> {
    if target.id == source.id {
        return Err(MergeProblem::SameCustomer);
    }
    if target.user_id.is_some() && source.user_id.is_some() {
        return Err(MergeProblem::BothHaveAccounts);
    }
    let (t, s) = (&target.contacts, &source.contacts);
    let pick = |mine: &str, theirs: &str| {
        if mine.is_empty() {
            theirs.to_string()
        } else {
            mine.to_string()
        }
    };
    let email = pick(&t.email, &s.email);
    let phone = pick(&t.phone, &s.phone);
    let email_consent =
        (t.email_consent && t.email == email) || (s.email_consent && s.email == email);
    let sms_consent = (t.sms_consent && t.phone == phone) || (s.sms_consent && s.phone == phone);
    Ok(MergeSide {
        id: target.id,
        user_id: target.user_id.or(source.user_id),
        contacts: ContactsForm {
            name: pick(&t.name, &s.name),
            phone,
            email,
            city: pick(&t.city, &s.city),
            email_consent,
            sms_consent,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap()
    }

    fn order(total: Decimal, refunded: Decimal, cancelled: bool, day: u32) -> OrderValue {
        OrderValue {
            cancelled,
            total,
            refunded,
            placed_at: at(day),
        }
    }

    #[test]
    fn lifetime_value_leaves_out_cancelled_orders_and_takes_off_refunds() {
        let life = Lifetime::of([
            order(dec("1000"), dec("0"), false, 1),
            order(dec("500"), dec("200"), false, 10),
            order(dec("9999"), dec("0"), true, 20),
        ]);
        assert_eq!(life.orders, 2);
        assert_eq!(life.spent, dec("1300"));
        assert_eq!(life.last_order, Some(at(10)));
        assert_eq!(life.average(), Some(dec("650")));
    }

    #[test]
    fn the_average_is_rounded_to_kopecks_and_absent_without_orders() {
        let life = Lifetime::of([
            order(dec("100"), dec("0"), false, 1),
            order(dec("100"), dec("0"), false, 2),
            order(dec("100.01"), dec("0"), false, 3),
        ]);
        assert_eq!(life.average(), Some(dec("100.00")));
        assert_eq!(Lifetime::of([]).average(), None);
        assert_eq!(
            Lifetime::of([order(dec("5"), dec("0"), true, 1)]).average(),
            None
        );
    }

    #[test]
    fn segments_follow_order_count_and_recency() {
        let now = at(25);
        let with = |n: u32, day: u32| Lifetime {
            orders: n,
            spent: dec("1"),
            last_order: Some(at(day)),
        };
        assert_eq!(Lifetime::default().segment(now), Segment::Prospect);
        assert_eq!(with(1, 20).segment(now), Segment::New);
        assert_eq!(with(2, 20).segment(now), Segment::Repeat);
        assert_eq!(with(4, 20).segment(now), Segment::Repeat);
        assert_eq!(with(5, 20).segment(now), Segment::Loyal);
        let long_ago = Lifetime {
            last_order: Some(now - Duration::days(LAPSED_AFTER_DAYS + 1)),
            ..with(7, 1)
        };
        assert_eq!(long_ago.segment(now), Segment::Lapsed);
        let just_in_time = Lifetime {
            last_order: Some(now - Duration::days(LAPSED_AFTER_DAYS)),
            ..with(7, 1)
        };
        assert_eq!(just_in_time.segment(now), Segment::Loyal);
    }

    #[test]
    fn tags_are_normalised_or_refused() {
        assert_eq!(normalize_tag("  VIP  "), Ok("vip".into()));
        assert_eq!(normalize_tag("Опт   клиент"), Ok("опт клиент".into()));
        assert_eq!(normalize_tag("b2b-moscow_1"), Ok("b2b-moscow_1".into()));
        assert_eq!(normalize_tag("   "), Err(TagProblem::Empty));
        assert_eq!(normalize_tag(&"я".repeat(41)), Err(TagProblem::TooLong));
        assert_eq!(normalize_tag(&"я".repeat(40)), Ok("я".repeat(40)));
        assert_eq!(normalize_tag("<script>"), Err(TagProblem::BadCharacters));
        assert_eq!(normalize_tag("a,b"), Err(TagProblem::BadCharacters));
    }

    fn contacts(name: &str, phone: &str, email: &str) -> ContactsForm {
        ContactsForm {
            name: name.into(),
            phone: phone.into(),
            email: email.into(),
            ..ContactsForm::default()
        }
    }

    #[test]
    fn contacts_are_normalised_and_every_problem_is_reported() {
        let ok = check_contacts(&ContactsForm {
            city: " Москва ".into(),
            email_consent: true,
            ..contacts(" Анна ", "8 916 123-45-67", "Anna@Example.RU")
        })
        .unwrap();
        assert_eq!(ok.name, "Анна");
        assert_eq!(ok.phone, "+79161234567");
        assert_eq!(ok.email, "anna@example.ru");
        assert_eq!(ok.city, "Москва");
        assert!(ok.email_consent);
        assert!(check_contacts(&contacts("Анна", "", "anna@example.ru")).is_ok());

        let problems = check_contacts(&ContactsForm {
            sms_consent: true,
            email_consent: true,
            ..contacts("", "", "")
        })
        .unwrap_err();
        assert_eq!(
            problems,
            vec![
                ContactProblem::NameRequired,
                ContactProblem::NoWayToReach,
                ContactProblem::ConsentWithoutEmail,
                ContactProblem::ConsentWithoutPhone,
            ]
        );
        let problems = check_contacts(&contacts("Анна", "12", "not-an-email")).unwrap_err();
        assert!(matches!(problems[0], ContactProblem::Phone(_)));
        assert!(matches!(problems[1], ContactProblem::Email(_)));
        assert_eq!(problems[0].field(), "phone");
        assert_eq!(problems[1].field(), "email");
    }

    fn side(id: i64, user: Option<i64>, contacts: ContactsForm) -> MergeSide {
        MergeSide {
            id,
            user_id: user,
            contacts,
        }
    }

    #[test]
    fn merging_keeps_the_targets_contacts_and_fills_the_gaps() {
        let target = side(1, None, contacts("Анна", "+79161234567", ""));
        let source = side(
            2,
            Some(7),
            ContactsForm {
                city: "Тула".into(),
                email_consent: true,
                sms_consent: true,
                ..contacts("Анна Петрова", "+79990000000", "anna@example.ru")
            },
        );
        let merged = merge(&target, &source).unwrap();
        assert_eq!(merged.id, 1);
        assert_eq!(
            merged.user_id,
            Some(7),
            "the account moves to the kept record"
        );
        assert_eq!(merged.contacts.name, "Анна");
        assert_eq!(merged.contacts.phone, "+79161234567");
        assert_eq!(merged.contacts.email, "anna@example.ru");
        assert_eq!(merged.contacts.city, "Тула");
        assert!(
            merged.contacts.email_consent,
            "given for the e-mail that is kept"
        );
        assert!(
            !merged.contacts.sms_consent,
            "given for another phone than the one kept"
        );
    }

    #[test]
    fn merging_is_refused_for_one_record_or_two_accounts() {
        let a = side(1, Some(1), contacts("A", "+79161234567", ""));
        let b = side(2, Some(2), contacts("B", "+79161234567", ""));
        assert_eq!(merge(&a, &a), Err(MergeProblem::SameCustomer));
        assert_eq!(merge(&a, &b), Err(MergeProblem::BothHaveAccounts));
        let guest = side(3, None, contacts("A", "+79161234567", ""));
        assert_eq!(merge(&guest, &a).unwrap().user_id, Some(1));
    }
}
