//! Delivery options for a cart (CART-3, CHK-2): the price of each method by
//! the destination's zone and the parcel's weight, through the pricing module
//! (so a free-delivery promotion or the free-over threshold is applied
//! exactly as in the total), and the earliest date from where the stock
//! lies and the carrier's lead time.
use super::catalog::editing::{parse_price, FieldProblem, Problem};
use super::catalog::from_minor;
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
    /// Prices by zone and weight; empty: `price` everywhere.
    pub rates: Vec<Rate>,
    /// The courier waits while the shopper tries the goods on.
    pub try_on: bool,
}

impl DeliveryMethod {
    /// The price rule for this parcel, or why the method cannot take it.
    pub fn pricing(&self, parcel: &Parcel) -> Result<(Delivery, bool), Unavailable> {
        let base = base_price(self, parcel.to.as_ref(), parcel.grams)?;
        Ok((
            Delivery {
                price: base.price,
                free_from: self.free_from,
            },
            base.from,
        ))
    }
}

/// What is being sent where: the weight of the goods and, once the shopper
/// has said, the destination.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parcel {
    pub grams: u32,
    pub to: Option<Destination>,
}

/// Where the parcel goes, as far as the shopper has said.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destination {
    pub city: String,
    pub postcode: String,
}

impl Destination {
    fn is_known(&self) -> bool {
        !self.city.trim().is_empty() || !self.postcode.trim().is_empty()
    }
}

/// Where a delivery rate applies (CHK-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Zone {
    Anywhere,
    City(String),
    /// Postcodes starting with these digits.
    Postcode(String),
}

fn same_city(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim().to_lowercase().replace('ё', "е");
    norm(a) == norm(b)
}

impl Zone {
    /// How closely the zone fits the destination; `None`: not at all. A
    /// Russian postcode's first three digits name a regional sorting centre,
    /// so a city is more specific than a prefix of up to three digits and
    /// less specific than a longer one.
    fn fit(&self, to: &Destination) -> Option<usize> {
        match self {
            Zone::Anywhere => Some(0),
            Zone::City(city) => {
                (!to.city.trim().is_empty() && same_city(city, &to.city)).then_some(7)
            }
            Zone::Postcode(prefix) => to
                .postcode
                .trim()
                .starts_with(prefix.as_str())
                .then_some(2 * prefix.len()),
        }
    }
}

/// One price rule of a method: parcels to `zone` weighing up to `up_to_grams`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub zone: Zone,
    /// `None`: any weight.
    pub up_to_grams: Option<u32>,
    pub price: Decimal,
}

impl Rate {
    fn takes(&self, grams: u32) -> bool {
        self.up_to_grams.is_none_or(|max| grams <= max)
    }
}

/// Why a method cannot carry this parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unavailable {
    NotToThisAddress,
    TooHeavy,
}

/// A method's price for a parcel before thresholds and promotions, and
/// whether it is only a lower bound because the address is not known yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasePrice {
    pub price: Decimal,
    pub from: bool,
}

/// The rate for a parcel: among the rates that take its weight, those of
/// the zone that fits the destination most closely; of these, the one with
/// the tightest weight limit. A method without rates costs its flat price
/// everywhere. Without an address the cheapest possible rate is shown as
/// "from".
pub fn base_price(
    method: &DeliveryMethod,
    to: Option<&Destination>,
    grams: u32,
) -> Result<BasePrice, Unavailable> {
    if method.rates.is_empty() {
        return Ok(BasePrice {
            price: method.price,
            from: false,
        });
    }
    let heavy_enough: Vec<&Rate> = method.rates.iter().filter(|r| r.takes(grams)).collect();
    let Some(to) = to.filter(|t| t.is_known()) else {
        let cheapest = heavy_enough
            .iter()
            .map(|r| r.price)
            .min()
            .ok_or(Unavailable::TooHeavy)?;
        return Ok(BasePrice {
            price: cheapest,
            from: heavy_enough.iter().any(|r| r.price != cheapest),
        });
    };
    if !method.rates.iter().any(|r| r.zone.fit(to).is_some()) {
        return Err(Unavailable::NotToThisAddress);
    }
    heavy_enough
        .iter()
        .filter_map(|r| r.zone.fit(to).map(|fit| (fit, r)))
        .max_by(|(fa, a), (fb, b)| {
            fa.cmp(fb)
                .then_with(|| {
                    b.up_to_grams
                        .unwrap_or(u32::MAX)
                        .cmp(&a.up_to_grams.unwrap_or(u32::MAX))
                })
                .then_with(|| b.price.cmp(&a.price))
        })
        .map(|(_, r)| BasePrice {
            price: r.price,
            from: false,
        })
        .ok_or(Unavailable::TooHeavy)
}

/// Heaviest parcel a rate may name, in kilograms.
pub const MAX_RATE_KG: u32 = 1000;

/// Parses the rates as typed in `/admin/delivery`, one per line:
/// `zone; up to kg; price`, where the zone is `*` (anywhere), a postcode
/// prefix (digits) or a city, and an empty weight means any weight.
/// Errors name the 1-based line.
pub fn parse_rates(text: &str) -> Result<Vec<Rate>, u32> {
    let mut rates = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index as u32 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split(';').map(str::trim).collect();
        let [zone, weight, price] = parts[..] else {
            return Err(line_no);
        };
        let zone = match zone {
            "" => return Err(line_no),
            "*" => Zone::Anywhere,
            z if z.chars().all(|c| c.is_ascii_digit()) => {
                if z.len() > 6 {
                    return Err(line_no);
                }
                Zone::Postcode(z.to_string())
            }
            z if z.chars().count() <= 120 => Zone::City(z.to_string()),
            _ => return Err(line_no),
        };
        let up_to_grams = if weight.is_empty() {
            None
        } else {
            let kg: Decimal = weight.replace(',', ".").parse().map_err(|_| line_no)?;
            if kg <= Decimal::ZERO || kg > Decimal::from(MAX_RATE_KG) {
                return Err(line_no);
            }
            Some(
                (kg * Decimal::from(1000))
                    .round()
                    .try_into()
                    .map_err(|_| line_no)?,
            )
        };
        let price = parse_price(price).map_err(|_| line_no)?;
        rates.push(Rate {
            zone,
            up_to_grams,
            price: from_minor(price),
        });
    }
    Ok(rates)
}

/// The rates back as text, in the form `parse_rates` reads.
pub fn format_rates(rates: &[Rate]) -> String {
    rates
        .iter()
        .map(|r| {
            let zone = match &r.zone {
                Zone::Anywhere => "*".to_string(),
                Zone::City(c) => c.clone(),
                Zone::Postcode(p) => p.clone(),
            };
            let weight = r
                .up_to_grams
                .map(|g| {
                    (Decimal::from(g) / Decimal::from(1000))
                        .normalize()
                        .to_string()
                })
                .unwrap_or_default();
            format!("{zone}; {weight}; {}", r.price.normalize())
        })
        .collect::<Vec<_>>()
        .join("\n")
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
    /// The price is the lowest possible until the address is known.
    pub price_from: bool,
    /// Set when the method cannot carry this parcel there.
    pub unavailable: Option<Unavailable>,
    pub try_on: bool,
}

/// A line's readiness: the units in each warehouse with its days to
/// dispatch and, beyond all stock, the days to get more (`None`: cannot be
/// ordered beyond stock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness<'a> {
    pub quantity: u32,
    pub stock: &'a [StockAt],
    pub backorder_days: Option<u32>,
}

/// Units of a variant in one warehouse and that warehouse's days to bring
/// them to the dispatch point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockAt {
    pub dispatch_days: u32,
    pub units: i64,
}

/// Days until a line is at the dispatch point: taken from the nearest
/// warehouses first (as the reservation does), so the farthest one needed
/// decides; beyond all stock, the supplier's days.
fn line_ready_in_days(line: &Readiness) -> u32 {
    let mut stock = line.stock.to_vec();
    stock.sort_by_key(|s| s.dispatch_days);
    let mut have = 0;
    for s in stock {
        have += s.units.max(0);
        if have >= i64::from(line.quantity) {
            return s.dispatch_days;
        }
    }
    line.backorder_days.unwrap_or(0)
}

/// Days until the whole cart can be handed to a carrier: the slowest line
/// decides (one shipment).
pub fn ready_in_days(lines: &[Readiness]) -> u32 {
    lines.iter().map(line_ready_in_days).max().unwrap_or(0)
}

/// One quote per method, in the given order.
pub fn quotes(
    methods: &[DeliveryMethod],
    lines: &[Line],
    discounts: &[Discount],
    ready_days: u32,
    parcel: &Parcel,
    today: NaiveDate,
) -> Vec<DeliveryQuote> {
    let priced = price(lines, discounts, None);
    let goods = priced.subtotal - priced.discount_total;
    methods
        .iter()
        .map(|m| {
            let earliest = today
                .checked_add_days(Days::new(u64::from(ready_days + m.lead_days)))
                .unwrap_or(today);
            let mut quote = DeliveryQuote {
                code: m.code.clone(),
                kind: m.kind,
                name: m.name.clone(),
                price: m.price,
                base_price: m.price,
                free_in: None,
                earliest,
                price_from: false,
                unavailable: None,
                try_on: m.try_on,
            };
            match m.pricing(parcel) {
                Ok((delivery, from)) => {
                    let price_now = price(lines, discounts, Some(&delivery))
                        .delivery
                        .unwrap_or(delivery.price);
                    quote.free_in = m
                        .free_from
                        .filter(|from| price_now > Decimal::ZERO && *from > goods)
                        .map(|from| from - goods);
                    quote.price = price_now;
                    quote.base_price = delivery.price;
                    quote.price_from = from && price_now > Decimal::ZERO;
                }
                Err(why) => quote.unavailable = Some(why),
            }
            quote
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
    parcel: &Parcel,
    today: NaiveDate,
    chosen: Option<&str>,
) -> (Totals, Vec<DeliveryQuote>) {
    let delivery = methods
        .iter()
        .find(|m| Some(m.code.as_str()) == chosen)
        .and_then(|m| m.pricing(parcel).ok())
        .map(|(delivery, _)| delivery);
    (
        price(lines, discounts, delivery.as_ref()),
        quotes(methods, lines, discounts, ready_days, parcel, today),
    )
}

/// A delivery method in `/admin/delivery` (CHK-2), as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryMethodForm {
    /// 0 for a new method.
    pub id: i64,
    /// Chosen when the method is added, then fixed: orders and carts refer to it.
    pub code: String,
    pub kind: String,
    pub name_ru: String,
    pub name_en: String,
    pub price: String,
    /// Goods total from which delivery is free; empty: never free.
    pub free_from: String,
    pub lead_days: String,
    pub active: bool,
    /// `zone; up to kg; price` a line; empty: the flat price everywhere.
    pub rates: String,
    pub try_on: bool,
    /// The carrier's tracking page, `{number}` standing for the number; may be empty.
    #[serde(default)]
    pub tracking_url: String,
    /// The carrier adapter reporting its parcels' statuses (LOG-2,
    /// `domain::tracking::CARRIERS`); empty: staff enter them by hand.
    #[serde(default)]
    pub carrier: String,
}

/// A checked delivery method, money in minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDeliveryMethod {
    pub code: String,
    pub kind: DeliveryKind,
    pub name_ru: String,
    pub name_en: String,
    pub price_minor: i64,
    pub free_from_minor: Option<i64>,
    pub lead_days: i32,
    pub active: bool,
    pub rates: Vec<Rate>,
    pub try_on: bool,
    pub tracking_url: String,
    pub carrier: String,
}

/// The customer's link to the carrier's tracking page (LOG-2): the method's
/// address with the number in place of `{number}`.
pub fn tracking_link(template: &str, number: &str) -> Option<String> {
    let number = number.trim();
    (!number.is_empty() && template.contains("{number}")).then(|| {
        let safe: String = number
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        template.replace("{number}", &safe)
    })
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
    let code = form.code.trim().to_lowercase();
    if code.is_empty()
        || code.len() > 40
        || !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        problems.push(FieldProblem {
            field: "code".into(),
            problem: Problem::BadCode,
        });
    }
    let kind = DeliveryKind::parse(&form.kind);
    if kind.is_none() {
        problems.push(FieldProblem {
            field: "kind".into(),
            problem: Problem::Required,
        });
    }
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
    let rates = parse_rates(&form.rates)
        .map_err(|line| {
            problems.push(FieldProblem {
                field: "rates".into(),
                problem: Problem::BadRate { line },
            })
        })
        .unwrap_or_default();
    let tracking_url = form.tracking_url.trim().to_string();
    let url_ok = tracking_url.is_empty()
        || ((tracking_url.starts_with("https://") || tracking_url.starts_with("http://"))
            && tracking_url.contains("{number}")
            && tracking_url.len() <= 300
            && !tracking_url
                .chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '<'));
    if !url_ok {
        problems.push(FieldProblem {
            field: "tracking_url".into(),
            problem: Problem::BadTrackingUrl,
        });
    }
    let carrier = form.carrier.trim().to_string();
    if !super::tracking::known_carrier(&carrier) {
        problems.push(FieldProblem {
            field: "carrier".into(),
            problem: Problem::UnknownCarrier,
        });
    }
    if form.try_on && kind.is_some_and(|k| k != DeliveryKind::Courier) {
        problems.push(FieldProblem {
            field: "try_on".into(),
            problem: Problem::TryOnCourierOnly,
        });
    }
    match (problems.is_empty(), kind) {
        (true, Some(kind)) => Ok(ValidDeliveryMethod {
            code,
            kind,
            name_ru,
            name_en,
            price_minor,
            free_from_minor,
            lead_days,
            active: form.active,
            rates,
            try_on: form.try_on,
            tracking_url,
            carrier,
        }),
        _ => Err(problems),
    }
}

/// A warehouse's days to bring goods to the dispatch point, as typed in
/// `/admin/delivery`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseDays {
    pub id: i64,
    pub name: String,
    pub dispatch_days: String,
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
    /// Decimal degrees, e.g. 55.7558; both empty when unknown.
    #[serde(default)]
    pub latitude: String,
    #[serde(default)]
    pub longitude: String,
}

/// A pickup point's coordinates from the form: `Ok(None)` when both are empty.
pub fn parse_coordinates(latitude: &str, longitude: &str) -> Result<Option<(f64, f64)>, Problem> {
    let (lat, lon) = (latitude.trim(), longitude.trim());
    if lat.is_empty() && lon.is_empty() {
        return Ok(None);
    }
    let number = |s: &str| {
        s.replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
    };
    match (number(lat), number(lon)) {
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            Ok(Some((lat, lon)))
        }
        _ => Err(Problem::BadCoordinates),
    }
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
        latitude: form.latitude.trim().to_string(),
        longitude: form.longitude.trim().to_string(),
    };
    if let Err(problem) = parse_coordinates(&valid.latitude, &valid.longitude) {
        problems.push(FieldProblem {
            field: "coordinates".into(),
            problem,
        });
    }
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
            rates: Vec::new(),
            try_on: false,
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
            let q = quotes(
                &methods,
                &goods(amount),
                &discounts,
                ready,
                &Parcel::default(),
                today,
            );
            assert_eq!(q[0].price, d(courier), "{amount} {discounts:?}");
            assert_eq!(q[0].free_in, free_in.map(d), "{amount} {discounts:?}");
            assert_eq!(q[0].earliest, today + Days::new(u64::from(days)));
            assert_eq!(q[1].price, d(post));
            assert_eq!(q[0].base_price, d("390"));
        }
    }

    #[test]
    fn the_slowest_line_decides_when_the_cart_is_ready() {
        let here = |units| StockAt {
            dispatch_days: 0,
            units,
        };
        let line = |quantity, stock, backorder_days| Readiness {
            quantity,
            stock,
            backorder_days,
        };
        assert_eq!(ready_in_days(&[]), 0);
        let (five, one) = ([here(5)], [here(1)]);
        assert_eq!(
            ready_in_days(&[line(2, &five, None), line(1, &one, Some(9))]),
            0
        );
        assert_eq!(
            ready_in_days(&[line(2, &one, Some(7)), line(3, &[], Some(14))]),
            14
        );
    }

    #[test]
    fn the_farthest_warehouse_needed_decides_a_line() {
        // 2 units in the shop's own warehouse, 5 in a regional one 3 days away.
        let stock = [
            StockAt {
                dispatch_days: 3,
                units: 5,
            },
            StockAt {
                dispatch_days: 0,
                units: 2,
            },
        ];
        // (quantity, backorder days) → days until the line can be dispatched
        let table = [
            (1, None, 0),
            (2, None, 0),
            (3, None, 3),
            (7, None, 3),
            (8, Some(10), 10),
        ];
        for (quantity, backorder_days, days) in table {
            let line = Readiness {
                quantity,
                stock: &stock,
                backorder_days,
            };
            assert_eq!(ready_in_days(&[line]), days, "{quantity} units");
        }
    }

    fn rate(zone: Zone, up_to_kg: Option<u32>, price: &str) -> Rate {
        Rate {
            zone,
            up_to_grams: up_to_kg.map(|kg| kg * 1000),
            price: d(price),
        }
    }

    fn to(city: &str, postcode: &str) -> Option<Destination> {
        Some(Destination {
            city: city.into(),
            postcode: postcode.into(),
        })
    }

    #[test]
    fn rates_by_zone_and_weight() {
        let courier = DeliveryMethod {
            rates: vec![
                rate(Zone::City("Москва".into()), Some(5), "390"),
                rate(Zone::City("Москва".into()), Some(30), "690"),
                rate(Zone::Postcode("19".into()), Some(30), "490"),
                rate(Zone::Postcode("1985".into()), Some(30), "590"),
                rate(Zone::Anywhere, Some(10), "890"),
            ],
            ..method("courier", "999", None, 1)
        };
        let ok = |price: &str, from: bool| {
            Ok(BasePrice {
                price: d(price),
                from,
            })
        };
        // (destination, grams) → price or why not
        let table = [
            (to("Москва", "101000"), 1_000, ok("390", false)),
            (to(" москва ", ""), 5_000, ok("390", false)),
            (to("Москва", ""), 5_001, ok("690", false)),
            (to("Москва", ""), 30_001, Err(Unavailable::TooHeavy)),
            // A 2-digit prefix is less specific than a city…
            (to("Санкт-Петербург", "190000"), 2_000, ok("490", false)),
            // …a 4-digit one more specific.
            (to("Петергоф", "198510"), 2_000, ok("590", false)),
            (to("Казань", "420000"), 2_000, ok("890", false)),
            (to("Казань", "420000"), 12_000, Err(Unavailable::TooHeavy)),
            // Without an address: the cheapest rate that takes the weight, as "from".
            (None, 2_000, ok("390", true)),
            (to(" ", ""), 12_000, ok("490", true)),
            (None, 31_000, Err(Unavailable::TooHeavy)),
        ];
        for (dest, grams, expected) in table {
            assert_eq!(
                base_price(&courier, dest.as_ref(), grams),
                expected,
                "{dest:?} {grams} g"
            );
        }
        let only_moscow = DeliveryMethod {
            rates: vec![rate(Zone::City("Москва".into()), None, "0")],
            ..courier.clone()
        };
        assert_eq!(
            base_price(&only_moscow, to("Тула", "300000").as_ref(), 1),
            Err(Unavailable::NotToThisAddress)
        );
        // No rates: the flat price anywhere, any weight.
        let flat = method("post", "290", None, 5);
        assert_eq!(
            base_price(&flat, to("Тула", "").as_ref(), 90_000),
            ok("290", false)
        );
    }

    #[test]
    fn an_unavailable_method_has_no_delivery_in_the_totals() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let methods = [DeliveryMethod {
            rates: vec![rate(Zone::City("Москва".into()), Some(5), "390")],
            try_on: true,
            ..method("courier", "0", Some("5000"), 1)
        }];
        let parcel = |grams, city: &str| Parcel {
            grams,
            to: to(city, ""),
        };
        let (totals, q) = cart_totals(
            &goods("1000"),
            &[],
            &methods,
            0,
            &parcel(1000, "Москва"),
            today,
            Some("courier"),
        );
        assert_eq!((totals.delivery, totals.total), (Some(d("390")), d("1390")));
        assert!(q[0].try_on && q[0].unavailable.is_none());
        // The threshold still makes the zone's rate free.
        let (totals, _) = cart_totals(
            &goods("6000"),
            &[],
            &methods,
            0,
            &parcel(1000, "Москва"),
            today,
            Some("courier"),
        );
        assert_eq!(totals.delivery, Some(d("0")));
        let (totals, q) = cart_totals(
            &goods("1000"),
            &[],
            &methods,
            0,
            &parcel(1000, "Тверь"),
            today,
            Some("courier"),
        );
        assert_eq!((totals.delivery, totals.total), (None, d("1000")));
        assert_eq!(q[0].unavailable, Some(Unavailable::NotToThisAddress));
    }

    #[test]
    fn rates_are_read_from_text_and_written_back() {
        let text = "Москва; 5; 390\n\n190; ; 490,50\n*; 0,5; 0";
        let rates = parse_rates(text).unwrap();
        assert_eq!(
            rates,
            [
                rate(Zone::City("Москва".into()), Some(5), "390"),
                rate(Zone::Postcode("190".into()), None, "490.50"),
                Rate {
                    zone: Zone::Anywhere,
                    up_to_grams: Some(500),
                    price: d("0"),
                },
            ]
        );
        assert_eq!(parse_rates(&format_rates(&rates)).unwrap(), rates);
        // The first bad line is named.
        for (bad, line) in [
            ("Москва; 5", 1),
            ("*; 5; 390\n; 5; 390", 2),
            ("*; -1; 390", 1),
            ("*; 5; -390", 1),
            ("*; пять; 390", 1),
            ("1234567; ; 1", 1),
        ] {
            assert_eq!(parse_rates(bad), Err(line), "{bad}");
        }
    }

    #[test]
    fn coordinates_are_both_or_neither_and_in_range() {
        assert_eq!(parse_coordinates(" ", ""), Ok(None));
        assert_eq!(
            parse_coordinates("55,7558", "37.6173"),
            Ok(Some((55.7558, 37.6173)))
        );
        for (lat, lon) in [
            ("55.7", ""),
            ("91", "37"),
            ("55", "181"),
            ("x", "1"),
            ("NaN", "1"),
        ] {
            assert_eq!(parse_coordinates(lat, lon), Err(Problem::BadCoordinates));
        }
    }

    #[test]
    fn delivery_settings_are_checked_before_saving() {
        let form = DeliveryMethodForm {
            id: 1,
            code: "courier".into(),
            kind: "courier".into(),
            rates: "Москва; 5; 390".into(),
            try_on: true,
            name_ru: "Курьер".into(),
            name_en: "Courier".into(),
            price: "390,50".into(),
            free_from: "5 000".into(),
            lead_days: "2".into(),
            active: true,
            tracking_url: String::new(),
            carrier: "sandbox".into(),
        };
        let valid = validate_method(&form).unwrap();
        assert_eq!(valid.carrier, "sandbox");
        let unknown = DeliveryMethodForm {
            carrier: "dhl".into(),
            ..form.clone()
        };
        assert_eq!(
            validate_method(&unknown).unwrap_err()[0].problem,
            Problem::UnknownCarrier
        );
        assert_eq!(
            (valid.price_minor, valid.free_from_minor, valid.lead_days),
            (39050, Some(500_000), 2)
        );
        let never_free = DeliveryMethodForm {
            free_from: " ".into(),
            ..form.clone()
        };
        assert_eq!(validate_method(&never_free).unwrap().free_from_minor, None);
        assert_eq!(validate_method(&form).unwrap().rates.len(), 1);
        let bad = DeliveryMethodForm {
            code: "Курьер 2".into(),
            name_en: "".into(),
            price: "-1".into(),
            lead_days: "365".into(),
            rates: "*; 1; 1\nМосква".into(),
            ..form.clone()
        };
        let problems: Vec<(String, Problem)> = validate_method(&bad)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.field, p.problem))
            .collect();
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["code", "name_en", "price", "lead_days", "rates"]);
        assert_eq!(problems[4].1, Problem::BadRate { line: 2 });
        let try_on_by_post = DeliveryMethodForm {
            kind: "post".into(),
            ..form.clone()
        };
        assert_eq!(
            validate_method(&try_on_by_post).unwrap_err()[0].problem,
            Problem::TryOnCourierOnly
        );
        let no_kind = DeliveryMethodForm {
            kind: "drone".into(),
            ..form.clone()
        };
        assert_eq!(validate_method(&no_kind).unwrap_err()[0].field, "kind");
        for (url, ok) in [
            ("", true),
            ("https://www.pochta.ru/tracking#{number}", true),
            ("https://carrier.example/track", false),
            ("javascript:alert({number})", false),
            ("https://x.example/{number}\"><script>", false),
        ] {
            let with_url = DeliveryMethodForm {
                tracking_url: url.into(),
                ..form.clone()
            };
            assert_eq!(validate_method(&with_url).is_ok(), ok, "{url}");
        }
        assert_eq!(
            tracking_link("https://www.pochta.ru/tracking#{number}", " RA123-4 "),
            Some("https://www.pochta.ru/tracking#RA123-4".into())
        );
        assert_eq!(tracking_link("", "RA1"), None);
        assert_eq!(tracking_link("https://x.example/{number}", ""), None);

        let point = PickupPointForm {
            method_code: "pickup".into(),
            name: " Лавка ".into(),
            city: "Москва".into(),
            address: "Тверская, 1".into(),
            hours: "10–22".into(),
            ..Default::default()
        };
        assert_eq!(validate_pickup_point(&point).unwrap().name, "Лавка");
        let half_placed = PickupPointForm {
            latitude: "55.75".into(),
            ..point.clone()
        };
        assert_eq!(
            validate_pickup_point(&half_placed).unwrap_err()[0].field,
            "coordinates"
        );
        let empty = PickupPointForm {
            hours: "".into(),
            ..point
        };
        assert_eq!(validate_pickup_point(&empty).unwrap_err()[0].field, "hours");
    }
}
