//! Promotions and promo codes (LOY-2, CART-4): when a promotion applies to a
//! cart, why it does not (in words a shopper can act on), how several
//! applicable ones combine, and the admin form's validation. Pure: the server
//! feeds in usage counts and the clock.
use super::catalog::editing::{parse_price, FieldProblem, Problem};
use super::catalog::from_minor;
use super::money::{format_money, Currency, Lang};
use super::pricing::{price, Delivery, Discount, DiscountKind, Line, Scope};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Longest promo code accepted, in characters.
pub const MAX_CODE_CHARS: usize = 64;

/// A promotion as the rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct PromotionRule {
    pub id: i64,
    /// Shown to the shopper next to the amount, e.g. "Autumn sale".
    pub name: String,
    /// `None` for an automatic promotion (no code needed).
    pub code: Option<String>,
    pub kind: DiscountKind,
    pub scope: Scope,
    pub min_order: Option<Decimal>,
    pub starts_at: Option<DateTime<Utc>>,
    /// Exclusive: the promotion has ended at this instant.
    pub ends_at: Option<DateTime<Utc>>,
    pub usage_limit: Option<u32>,
    pub per_customer_limit: Option<u32>,
    pub active: bool,
}

/// How often a promotion has been redeemed, in all and by this customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub total: u32,
    pub by_customer: u32,
}

/// Why a promo code does not apply; each tells the shopper what to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PromoProblem {
    Unknown,
    Paused,
    NotStarted {
        starts: NaiveDate,
    },
    Expired,
    MinimumNotReached {
        minimum: Decimal,
        missing: Decimal,
    },
    /// The promotion's total usage limit is reached.
    UsedUp,
    /// This customer has used it as often as allowed.
    AlreadyUsed,
    /// None of the cart's products is covered by the promotion.
    NotApplicable,
    /// Valid, but a better promotion applies and the shop does not stack them.
    NotCombinable,
}

impl PromoProblem {
    pub fn message(&self, lang: Lang, currency: Currency) -> String {
        let money = |amount: Decimal| format_money(amount, currency, lang);
        match (self, lang) {
            (PromoProblem::Unknown, Lang::Ru) => {
                "Такого промокода нет. Проверьте, нет ли опечатки.".into()
            }
            (PromoProblem::Unknown, Lang::En) => {
                "There is no such promo code. Check it for typos.".into()
            }
            (PromoProblem::Paused, Lang::Ru) => "Эта акция сейчас приостановлена.".into(),
            (PromoProblem::Paused, Lang::En) => "This promotion is paused at the moment.".into(),
            (PromoProblem::NotStarted { starts }, Lang::Ru) => {
                format!("Промокод начнёт действовать {}.", starts.format("%d.%m.%Y"))
            }
            (PromoProblem::NotStarted { starts }, Lang::En) => {
                format!("This code becomes valid on {}.", starts.format("%Y-%m-%d"))
            }
            (PromoProblem::Expired, Lang::Ru) => "Срок действия промокода истёк.".into(),
            (PromoProblem::Expired, Lang::En) => "This promo code has expired.".into(),
            (PromoProblem::MinimumNotReached { minimum, missing }, Lang::Ru) => format!(
                "Промокод действует на заказ от {}: добавьте товаров ещё на {}.",
                money(*minimum),
                money(*missing)
            ),
            (PromoProblem::MinimumNotReached { minimum, missing }, Lang::En) => format!(
                "The code needs an order of {} or more: add {} more.",
                money(*minimum),
                money(*missing)
            ),
            (PromoProblem::UsedUp, Lang::Ru) => "Промокоды этой акции закончились.".into(),
            (PromoProblem::UsedUp, Lang::En) => {
                "This promotion has been used up by other shoppers.".into()
            }
            (PromoProblem::AlreadyUsed, Lang::Ru) => "Вы уже использовали этот промокод.".into(),
            (PromoProblem::AlreadyUsed, Lang::En) => "You have already used this code.".into(),
            (PromoProblem::NotApplicable, Lang::Ru) => {
                "Промокод не действует на товары в корзине.".into()
            }
            (PromoProblem::NotApplicable, Lang::En) => {
                "The code does not apply to the products in your cart.".into()
            }
            (PromoProblem::NotCombinable, Lang::Ru) => {
                "Уже действует более выгодная акция; промокоды с ней не суммируются.".into()
            }
            (PromoProblem::NotCombinable, Lang::En) => {
                "A better promotion already applies, and they do not combine.".into()
            }
        }
    }
}

/// How a promo code is compared and stored: no spaces, upper case.
pub fn normalize_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.chars().count() <= MAX_CODE_CHARS
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Whether `rule` applies to a cart of `lines` at `now`, as a discount for
/// the pricing module. The checks run in the order a shopper can fix least
/// to most: a paused or expired code cannot be helped, a minimum can.
pub fn check(
    rule: &PromotionRule,
    lines: &[Line],
    now: DateTime<Utc>,
    usage: Usage,
) -> Result<Discount, PromoProblem> {
    if !rule.active {
        return Err(PromoProblem::Paused);
    }
    if let Some(starts) = rule.starts_at.filter(|s| now < *s) {
        return Err(PromoProblem::NotStarted {
            starts: starts.date_naive(),
        });
    }
    if rule.ends_at.is_some_and(|end| now >= end) {
        return Err(PromoProblem::Expired);
    }
    if rule.usage_limit.is_some_and(|limit| usage.total >= limit) {
        return Err(PromoProblem::UsedUp);
    }
    if rule
        .per_customer_limit
        .is_some_and(|limit| usage.by_customer >= limit)
    {
        return Err(PromoProblem::AlreadyUsed);
    }
    let goods = price(lines, &[], None).subtotal;
    if let Some(minimum) = rule.min_order.filter(|m| goods < *m) {
        return Err(PromoProblem::MinimumNotReached {
            minimum,
            missing: minimum - goods,
        });
    }
    let discount = Discount {
        promotion: Some(rule.id),
        name: rule.name.clone(),
        kind: rule.kind.clone(),
        scope: rule.scope.clone(),
    };
    let covered = price(lines, std::slice::from_ref(&discount), None);
    let covers_any = match rule.kind {
        DiscountKind::FreeDelivery => {
            rule.scope == Scope::All || lines.iter().any(|l| covered_by(&rule.scope, l))
        }
        _ => covered.discount_total > Decimal::ZERO,
    };
    if !covers_any {
        return Err(PromoProblem::NotApplicable);
    }
    Ok(discount)
}

fn covered_by(scope: &Scope, line: &Line) -> bool {
    match scope {
        Scope::All => true,
        Scope::Categories(ids) => ids.contains(&line.category_id),
        Scope::Products(ids) => ids.contains(&line.product_id),
    }
}

/// The shop's rule for several applicable promotions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Combination {
    /// Only the one that saves the shopper most.
    #[default]
    BestSingle,
    /// All of them, each on what the previous ones left.
    Stack,
}

impl Combination {
    pub fn as_str(self) -> &'static str {
        match self {
            Combination::BestSingle => "best",
            Combination::Stack => "stack",
        }
    }

    pub fn parse(s: &str) -> Combination {
        match s {
            "stack" => Combination::Stack,
            _ => Combination::BestSingle,
        }
    }
}

/// Picks the discounts to apply from the applicable ones. With
/// [`Combination::BestSingle`] the one giving the lowest total wins (the
/// first on a tie, so the result does not depend on luck).
pub fn select(
    applicable: Vec<Discount>,
    lines: &[Line],
    delivery: Option<&Delivery>,
    rule: Combination,
) -> Vec<Discount> {
    match rule {
        Combination::Stack => applicable,
        Combination::BestSingle => {
            let mut best: Option<(Decimal, Discount)> = None;
            for discount in applicable {
                let total = price(lines, std::slice::from_ref(&discount), delivery).total;
                if best.as_ref().is_none_or(|(t, _)| total < *t) {
                    best = Some((total, discount));
                }
            }
            best.map(|(_, d)| vec![d]).unwrap_or_default()
        }
    }
}

/// The admin form for a promotion, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PromotionForm {
    pub id: Option<i64>,
    pub name_ru: String,
    pub name_en: String,
    /// Empty for an automatic promotion.
    pub code: String,
    /// `percent`, `fixed` or `free_delivery`.
    pub kind: String,
    /// Percent or amount, by `kind`; ignored for free delivery.
    pub value: String,
    pub min_order: String,
    /// Dates `YYYY-MM-DD`, both inclusive, in UTC; empty: no limit.
    pub starts_on: String,
    pub ends_on: String,
    pub usage_limit: String,
    pub per_customer_limit: String,
    /// Category and product addresses (slugs), separated by commas or spaces.
    pub categories: String,
    pub products: String,
    pub active: bool,
}

/// A promotion ready to store; slugs are resolved by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPromotion {
    pub name_ru: String,
    pub name_en: String,
    pub code: Option<String>,
    pub kind: &'static str,
    pub percent: Option<i32>,
    pub amount_minor: Option<i64>,
    pub min_order_minor: Option<i64>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub usage_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
    pub category_slugs: Vec<String>,
    pub product_slugs: Vec<String>,
    pub active: bool,
}

pub fn split_slugs(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn parse_date(text: &str) -> Result<Option<NaiveDate>, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| Problem::BadDate)
}

fn parse_limit(text: &str) -> Result<Option<i32>, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i32>()
        .ok()
        .filter(|n| *n >= 1)
        .map(Some)
        .ok_or(Problem::BadNumber)
}

/// Checks the whole form at once, so staff fix every problem in one go.
pub fn validate_promotion(form: &PromotionForm) -> Result<ValidPromotion, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, problem: Problem| {
        problems.push(FieldProblem {
            field: field.into(),
            problem,
        })
    };
    for (field, name) in [("name_ru", &form.name_ru), ("name_en", &form.name_en)] {
        if name.trim().is_empty() {
            problem(field, Problem::Required);
        } else if name.trim().chars().count() > 200 {
            problem(field, Problem::TooLong);
        }
    }
    let code = normalize_code(&form.code);
    if !code.is_empty() && !valid_code(&code) {
        problem("code", Problem::BadCode);
    }
    let (mut percent, mut amount_minor) = (None, None);
    let kind = match form.kind.as_str() {
        "percent" => {
            match form.value.trim().parse::<i32>() {
                Ok(p) if (1..=100).contains(&p) => percent = Some(p),
                _ => problem("value", Problem::BadPercent),
            }
            "percent"
        }
        "fixed" => {
            match parse_price(&form.value) {
                Ok(m) if m > 0 => amount_minor = Some(m),
                Ok(_) => problem("value", Problem::Required),
                Err(p) => problem("value", p),
            }
            "fixed"
        }
        "free_delivery" => "free_delivery",
        _ => {
            problem("kind", Problem::Required);
            "percent"
        }
    };
    let min_order_minor = if form.min_order.trim().is_empty() {
        None
    } else {
        match parse_price(&form.min_order) {
            Ok(m) => Some(m),
            Err(p) => {
                problem("min_order", p);
                None
            }
        }
    };
    let starts = parse_date(&form.starts_on).unwrap_or_else(|p| {
        problem("starts_on", p);
        None
    });
    let ends = parse_date(&form.ends_on).unwrap_or_else(|p| {
        problem("ends_on", p);
        None
    });
    if let (Some(s), Some(e)) = (starts, ends) {
        if e < s {
            problem("ends_on", Problem::EndBeforeStart);
        }
    }
    let usage_limit = parse_limit(&form.usage_limit).unwrap_or_else(|p| {
        problem("usage_limit", p);
        None
    });
    let per_customer_limit = parse_limit(&form.per_customer_limit).unwrap_or_else(|p| {
        problem("per_customer_limit", p);
        None
    });
    let (category_slugs, product_slugs) =
        (split_slugs(&form.categories), split_slugs(&form.products));
    if !category_slugs.is_empty() && !product_slugs.is_empty() {
        problem("products", Problem::CategoriesOrProducts);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    Ok(ValidPromotion {
        name_ru: form.name_ru.trim().into(),
        name_en: form.name_en.trim().into(),
        code: (!code.is_empty()).then_some(code),
        kind,
        percent,
        amount_minor,
        min_order_minor,
        starts_at: starts.and_then(midnight),
        // The end date is inclusive: the promotion ends at the next midnight.
        ends_at: ends.and_then(|e| e.succ_opt()).and_then(midnight),
        usage_limit,
        per_customer_limit,
        category_slugs,
        product_slugs,
        active: form.active,
    })
}

/// The discount a stored promotion gives.
pub fn discount_kind(kind: &str, percent: Option<i32>, amount_minor: Option<i64>) -> DiscountKind {
    match kind {
        "fixed" => DiscountKind::Fixed(from_minor(amount_minor.unwrap_or(0))),
        "free_delivery" => DiscountKind::FreeDelivery,
        _ => DiscountKind::Percent(Decimal::from(percent.unwrap_or(0))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn at(y: i32, m: u32, day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, 12, 0, 0).unwrap()
    }

    fn line(product_id: i64, category_id: i64, price: &str, quantity: u32) -> Line {
        Line {
            variant_id: product_id * 10,
            product_id,
            category_id,
            unit_price: d(price),
            quantity,
        }
    }

    fn rule(kind: DiscountKind) -> PromotionRule {
        PromotionRule {
            id: 1,
            name: "AUTUMN".into(),
            code: Some("AUTUMN".into()),
            kind,
            scope: Scope::All,
            min_order: None,
            starts_at: Some(at(2026, 9, 1)),
            ends_at: Some(at(2026, 12, 1)),
            usage_limit: Some(100),
            per_customer_limit: Some(1),
            active: true,
        }
    }

    #[test]
    fn a_valid_code_becomes_a_discount() {
        let r = rule(DiscountKind::Percent(d("10")));
        let lines = [line(1, 1, "1000", 2)];
        let discount = check(&r, &lines, at(2026, 11, 26), Usage::default()).unwrap();
        assert_eq!(price(&lines, &[discount], None).total, d("1800"));
    }

    #[test]
    fn each_reason_a_code_fails_is_told_apart() {
        let lines = [line(1, 1, "1000", 1)];
        let now = at(2026, 11, 26);
        let base = rule(DiscountKind::Fixed(d("300")));
        let fails = |r: &PromotionRule, now, usage| check(r, &lines, now, usage).unwrap_err();

        let paused = PromotionRule {
            active: false,
            ..base.clone()
        };
        assert_eq!(fails(&paused, now, Usage::default()), PromoProblem::Paused);
        assert_eq!(
            fails(&base, at(2026, 8, 31), Usage::default()),
            PromoProblem::NotStarted {
                starts: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()
            }
        );
        assert_eq!(
            fails(&base, at(2026, 12, 1), Usage::default()),
            PromoProblem::Expired,
            "the end instant is already outside"
        );
        let used = |total, by_customer| Usage { total, by_customer };
        assert_eq!(fails(&base, now, used(100, 0)), PromoProblem::UsedUp);
        assert_eq!(fails(&base, now, used(5, 1)), PromoProblem::AlreadyUsed);
        let with_minimum = PromotionRule {
            min_order: Some(d("2500")),
            ..base.clone()
        };
        assert_eq!(
            fails(&with_minimum, now, Usage::default()),
            PromoProblem::MinimumNotReached {
                minimum: d("2500"),
                missing: d("1500")
            }
        );
        let other_category = PromotionRule {
            scope: Scope::Categories(vec![7]),
            ..base.clone()
        };
        assert_eq!(
            fails(&other_category, now, Usage::default()),
            PromoProblem::NotApplicable
        );
        assert!(check(&base, &lines, now, used(99, 0)).is_ok());
        let unlimited = PromotionRule {
            usage_limit: None,
            per_customer_limit: None,
            ..base
        };
        assert!(check(&unlimited, &lines, now, used(10_000, 50)).is_ok());
    }

    #[test]
    fn best_single_keeps_the_biggest_saving_and_stacking_keeps_all() {
        let lines = [line(1, 1, "1000", 3)];
        let delivery = Delivery {
            price: d("390"),
            free_from: None,
        };
        let ten = Discount {
            promotion: None,
            name: "10%".into(),
            kind: DiscountKind::Percent(d("10")),
            scope: Scope::All,
        };
        let free = Discount {
            promotion: None,
            name: "free delivery".into(),
            kind: DiscountKind::FreeDelivery,
            scope: Scope::All,
        };
        let chosen = select(
            vec![free.clone(), ten.clone()],
            &lines,
            Some(&delivery),
            Combination::BestSingle,
        );
        // 10 % of 3,000 saves 300; free delivery saves 390.
        assert_eq!(chosen, vec![free.clone()]);
        let stacked = select(
            vec![ten.clone(), free.clone()],
            &lines,
            Some(&delivery),
            Combination::Stack,
        );
        assert_eq!(price(&lines, &stacked, Some(&delivery)).total, d("2700"));
        // With fewer than two the rule makes no difference, so the server
        // does not read it then.
        for rule in [Combination::BestSingle, Combination::Stack] {
            assert!(select(vec![], &lines, None, rule).is_empty());
            let one = select(vec![ten.clone()], &lines, Some(&delivery), rule);
            assert_eq!(one, vec![ten.clone()]);
        }
    }

    #[test]
    fn the_form_is_checked_all_at_once() {
        let form = PromotionForm {
            name_ru: " ".into(),
            name_en: "Autumn".into(),
            code: "осень!".into(),
            kind: "percent".into(),
            value: "150".into(),
            min_order: "abc".into(),
            starts_on: "2026-12-10".into(),
            ends_on: "2026-12-01".into(),
            usage_limit: "0".into(),
            per_customer_limit: "1".into(),
            ..Default::default()
        };
        let fields: Vec<String> = validate_promotion(&form)
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "name_ru",
                "code",
                "value",
                "min_order",
                "ends_on",
                "usage_limit"
            ]
        );
    }

    #[test]
    fn a_valid_form_normalises_the_code_and_includes_the_end_date() {
        let form = PromotionForm {
            name_ru: "Осень".into(),
            name_en: "Autumn".into(),
            code: " autumn 10 ".into(),
            kind: "fixed".into(),
            value: "500,50".into(),
            ends_on: "2026-11-30".into(),
            products: "red-dress, blue-jeans".into(),
            active: true,
            ..Default::default()
        };
        let valid = validate_promotion(&form).unwrap();
        assert_eq!(valid.code.as_deref(), Some("AUTUMN10"));
        assert_eq!(valid.amount_minor, Some(50_050));
        assert_eq!(
            valid.ends_at,
            Some(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap())
        );
        assert_eq!(valid.product_slugs, ["red-dress", "blue-jeans"]);
        assert_eq!(
            discount_kind("fixed", None, valid.amount_minor),
            DiscountKind::Fixed(d("500.50"))
        );
    }
}
