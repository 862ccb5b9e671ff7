//! Delivery options for a cart (CART-3, and CHK-2 later): the price of each
//! method through the pricing module (so a free-delivery promotion or the
//! free-over threshold is applied exactly as in the total) and the earliest
//! date from stock and the carrier's lead time.
use super::catalog::editing::{parse_price, FieldProblem, Problem};
use super::pricing::{price, Delivery, Discount, Line, Totals};
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryKind {
    Courier,
    PickupPoint,
    Post,
}

impl DeliveryKind {
    pub fn parse(s: &str) -> Option<DeliveryKind> {
        match s {
            "courier" => Some(DeliveryKind::Courier),
            "pickup_point" => Some(DeliveryKind::PickupPoint),
            "post" => Some(DeliveryKind::Post),
            _ => None,
        }
    }
}

/// A delivery method as the shop configured it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryMethod {
    pub code: String,
    pub kind: DeliveryKind,
    pub name: String,
    pub price: Decimal,
    /// Goods total (after discounts) from which this method is free.
    pub free_from: Option<Decimal>,
    /// Days from handing over to the carrier to arrival.
    pub lead_days: u32,
}

impl DeliveryMethod {
    pub fn pricing(&self) -> Delivery {
        Delivery {
            price: self.price,
            free_from: self.free_from,
        }
    }
}

/// What a method costs for this cart and when it can arrive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryQuote {
    pub code: String,
    pub kind: DeliveryKind,
    pub name: String,
    pub price: Decimal,
    /// The method's price before thresholds and promotions, to show what is saved.
    pub base_price: Decimal,
    /// How much more in goods makes it free, when that is possible.
    pub free_in: Option<Decimal>,
    pub earliest: NaiveDate,
}

/// A line's readiness: units in stock now and, beyond them, the days to
/// get more (`None`: cannot be ordered beyond stock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readiness {
    pub quantity: u32,
    pub in_stock: i64,
    pub backorder_days: Option<u32>,
}

/// Days until the whole cart can be handed to a carrier: the slowest line
/// decides (one shipment); lines covered by stock are ready the same day.
pub fn ready_in_days(lines: &[Readiness]) -> u32 {
    lines
        .iter()
        .map(|l| {
            if i64::from(l.quantity) <= l.in_stock {
                0
            } else {
                l.backorder_days.unwrap_or(0)
            }
        })
        .max()
        .unwrap_or(0)
}

/// One quote per method, in the given order.
pub fn quotes(
    methods: &[DeliveryMethod],
    lines: &[Line],
    discounts: &[Discount],
    ready_days: u32,
    today: NaiveDate,
) -> Vec<DeliveryQuote> {
    let priced = price(lines, discounts, None);
    let goods = priced.subtotal - priced.discount_total;
    methods
        .iter()
        .map(|m| {
            let delivery = m.pricing();
            let price_now = price(lines, discounts, Some(&delivery))
                .delivery
                .unwrap_or(m.price);
            let free_in = m
                .free_from
                .filter(|from| price_now > Decimal::ZERO && *from > goods)
                .map(|from| from - goods);
            DeliveryQuote {
                code: m.code.clone(),
                kind: m.kind,
                name: m.name.clone(),
                price: price_now,
                base_price: m.price,
                free_in,
                earliest: today
                    .checked_add_days(Days::new(u64::from(ready_days + m.lead_days)))
                    .unwrap_or(today),
            }
        })
        .collect()
}

/// Everything the cart shows in numbers: the totals with the chosen
/// delivery (if any) and a quote per method. The server computes the cart
/// with it; the browser with the same inputs while the server is answering.
pub fn cart_totals(
    lines: &[Line],
    discounts: &[Discount],
    methods: &[DeliveryMethod],
    ready_days: u32,
    today: NaiveDate,
    chosen: Option<&str>,
) -> (Totals, Vec<DeliveryQuote>) {
    let delivery = methods
        .iter()
        .find(|m| Some(m.code.as_str()) == chosen)
        .map(DeliveryMethod::pricing);
    (
        price(lines, discounts, delivery.as_ref()),
        quotes(methods, lines, discounts, ready_days, today),
    )
}

/// A delivery method in `/admin/delivery` (CHK-2), as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryMethodForm {
    pub id: i64,
    /// Shown, not edited: orders and carts refer to it.
    pub code: String,
    pub kind: String,
    pub name_ru: String,
    pub name_en: String,
    pub price: String,
    /// Goods total from which delivery is free; empty: never free.
    pub free_from: String,
    pub lead_days: String,
    pub active: bool,
}

/// A checked delivery method, money in minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDeliveryMethod {
    pub name_ru: String,
    pub name_en: String,
    pub price_minor: i64,
    pub free_from_minor: Option<i64>,
    pub lead_days: i32,
    pub active: bool,
}

/// Days a carrier may take at most, as a sanity bound.
pub const MAX_LEAD_DAYS: i64 = 90;

fn required(problems: &mut Vec<FieldProblem>, field: &str, text: &str, max_chars: usize) -> String {
    let text = text.trim();
    if text.is_empty() {
        problems.push(FieldProblem {
            field: field.into(),
            problem: Problem::Required,
        });
    } else if text.chars().count() > max_chars {
        problems.push(FieldProblem {
            field: field.into(),
            problem: Problem::TooLong,
        });
    }
    text.to_string()
}

pub fn validate_method(
    form: &DeliveryMethodForm,
) -> Result<ValidDeliveryMethod, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let name_ru = required(&mut problems, "name_ru", &form.name_ru, 200);
    let name_en = required(&mut problems, "name_en", &form.name_en, 200);
    let price_minor = parse_price(&form.price)
        .map_err(|problem| {
            problems.push(FieldProblem {
                field: "price".into(),
                problem,
            })
        })
        .unwrap_or(0);
    let free_from_minor = if form.free_from.trim().is_empty() {
        None
    } else {
        parse_price(&form.free_from)
            .map_err(|problem| {
                problems.push(FieldProblem {
                    field: "free_from".into(),
                    problem,
                })
            })
            .ok()
    };
    let lead_days = match form.lead_days.trim().parse::<i64>() {
        Ok(days) if (0..=MAX_LEAD_DAYS).contains(&days) => days as i32,
        _ => {
            problems.push(FieldProblem {
                field: "lead_days".into(),
                problem: Problem::BadNumber,
            });
            0
        }
    };
    if problems.is_empty() {
        Ok(ValidDeliveryMethod {
            name_ru,
            name_en,
            price_minor,
            free_from_minor,
            lead_days,
            active: form.active,
        })
    } else {
        Err(problems)
    }
}

/// A pickup point or parcel locker in `/admin/delivery` (LOG-1), as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupPointForm {
    /// `None` for a new point.
    pub id: Option<i64>,
    /// The pickup-point delivery method it belongs to.
    pub method_code: String,
    pub name: String,
    pub city: String,
    pub address: String,
    pub hours: String,
    pub active: bool,
}

pub fn validate_pickup_point(form: &PickupPointForm) -> Result<PickupPointForm, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let valid = PickupPointForm {
        id: form.id,
        method_code: form.method_code.trim().to_string(),
        name: required(&mut problems, "name", &form.name, 200),
        city: required(&mut problems, "city", &form.city, 120),
        address: required(&mut problems, "address", &form.address, 300),
        hours: required(&mut problems, "hours", &form.hours, 120),
        active: form.active,
    };
    if valid.method_code.is_empty() {
        problems.push(FieldProblem {
            field: "method_code".into(),
            problem: Problem::Required,
        });
    }
    if problems.is_empty() {
        Ok(valid)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pricing::{DiscountKind, Scope};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn method(code: &str, price: &str, free_from: Option<&str>, lead_days: u32) -> DeliveryMethod {
        DeliveryMethod {
            code: code.into(),
            kind: DeliveryKind::Courier,
            name: code.into(),
            price: d(price),
            free_from: free_from.map(d),
            lead_days,
        }
    }

    fn goods(amount: &str) -> Vec<Line> {
        vec![Line {
            variant_id: 1,
            product_id: 1,
            category_id: 1,
            unit_price: d(amount),
            quantity: 1,
        }]
    }

    /// (goods, discounts, ready days, courier price, free_in, days until the courier, post price)
    type Case<'a> = (
        &'a str,
        Vec<Discount>,
        u32,
        &'a str,
        Option<&'a str>,
        u32,
        &'a str,
    );

    #[test]
    fn prices_dates_and_thresholds_per_method() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let methods = [
            method("courier", "390", Some("5000"), 1),
            method("post", "290", None, 5),
        ];
        // (goods, discounts, ready days) → (courier price, free_in, days until the courier, post price)
        let ten_percent = Discount {
            promotion: None,
            name: "10%".into(),
            kind: DiscountKind::Percent(d("10")),
            scope: Scope::All,
        };
        let free = Discount {
            promotion: None,
            name: "free".into(),
            kind: DiscountKind::FreeDelivery,
            scope: Scope::All,
        };
        let table: [Case; 5] = [
            ("1000", vec![], 0, "390", Some("4000"), 1, "290"),
            ("5000", vec![], 0, "0", None, 1, "290"),
            // The threshold counts goods after discounts: 5,000 − 10 % is below it.
            ("5000", vec![ten_percent], 0, "390", Some("500"), 1, "290"),
            ("1000", vec![free], 0, "0", None, 1, "0"),
            ("1000", vec![], 14, "390", Some("4000"), 15, "290"),
        ];
        for (amount, discounts, ready, courier, free_in, days, post) in table {
            let q = quotes(&methods, &goods(amount), &discounts, ready, today);
            assert_eq!(q[0].price, d(courier), "{amount} {discounts:?}");
            assert_eq!(q[0].free_in, free_in.map(d), "{amount} {discounts:?}");
            assert_eq!(q[0].earliest, today + Days::new(u64::from(days)));
            assert_eq!(q[1].price, d(post));
            assert_eq!(q[0].base_price, d("390"));
        }
    }

    #[test]
    fn the_slowest_line_decides_when_the_cart_is_ready() {
        let line = |quantity, in_stock, backorder_days| Readiness {
            quantity,
            in_stock,
            backorder_days,
        };
        assert_eq!(ready_in_days(&[]), 0);
        assert_eq!(ready_in_days(&[line(2, 5, None), line(1, 1, Some(9))]), 0);
        assert_eq!(
            ready_in_days(&[line(2, 1, Some(7)), line(3, 0, Some(14))]),
            14
        );
    }

    #[test]
    fn delivery_settings_are_checked_before_saving() {
        let form = DeliveryMethodForm {
            id: 1,
            name_ru: "Курьер".into(),
            name_en: "Courier".into(),
            price: "390,50".into(),
            free_from: "5 000".into(),
            lead_days: "2".into(),
            active: true,
            ..Default::default()
        };
        let valid = validate_method(&form).unwrap();
        assert_eq!(
            (valid.price_minor, valid.free_from_minor, valid.lead_days),
            (39050, Some(500_000), 2)
        );
        let never_free = DeliveryMethodForm {
            free_from: " ".into(),
            ..form.clone()
        };
        assert_eq!(validate_method(&never_free).unwrap().free_from_minor, None);
        let bad = DeliveryMethodForm {
            name_en: "".into(),
            price: "-1".into(),
            lead_days: "365".into(),
            ..form
        };
        let fields: Vec<String> = validate_method(&bad)
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["name_en", "price", "lead_days"]);

        let point = PickupPointForm {
            method_code: "pickup".into(),
            name: " Лавка ".into(),
            city: "Москва".into(),
            address: "Тверская, 1".into(),
            hours: "10–22".into(),
            ..Default::default()
        };
        assert_eq!(validate_pickup_point(&point).unwrap().name, "Лавка");
        let empty = PickupPointForm {
            hours: "".into(),
            ..point
        };
        assert_eq!(validate_pickup_point(&empty).unwrap_err()[0].field, "hours");
    }
}
