//! Cart pricing (CART-8): line totals, discounts, delivery cost and the grand
//! total. Pure and compiled for both sides: the browser shows totals at once,
//! the server recomputes them from database prices, and the server's numbers
//! win.
//!
//! Rounding rules, explicit:
//! - prices are whole kopecks; a line total is price × quantity, exact;
//! - a percentage discount is computed on the whole eligible amount (not per
//!   line, so the order of lines cannot change it) and rounded to kopecks,
//!   half away from zero;
//! - discounts are applied in the order given, each capped by what is still
//!   left of the subtotal, so their sum never exceeds the subtotal;
//! - delivery is added after discounts; free delivery (by a promotion or by
//!   the threshold on the discounted goods total) makes it zero.
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// One cart line with the price the pricing is based on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub variant_id: i64,
    pub product_id: i64,
    pub category_id: i64,
    pub unit_price: Decimal,
    pub quantity: u32,
}

/// Which lines a discount applies to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Scope {
    All,
    Categories(Vec<i64>),
    Products(Vec<i64>),
}

impl Scope {
    fn covers(&self, line: &Line) -> bool {
        match self {
            Scope::All => true,
            Scope::Categories(ids) => ids.contains(&line.category_id),
            Scope::Products(ids) => ids.contains(&line.product_id),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DiscountKind {
    /// Percent off the eligible goods, e.g. `10` for 10 %.
    Percent(Decimal),
    /// A fixed amount off the eligible goods.
    Fixed(Decimal),
    FreeDelivery,
}

/// A discount already found applicable to this customer (dates, usage limits
/// and minimum order are the promotions module's business).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discount {
    /// The promotion that gives it, to count its use when an order is placed.
    pub promotion: Option<i64>,
    /// What the shopper sees, e.g. "Promo code AUTUMN10".
    pub name: String,
    pub kind: DiscountKind,
    pub scope: Scope,
}

/// The chosen delivery's price before promotions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub price: Decimal,
    /// Goods total (after discounts) from which delivery is free.
    pub free_from: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedDiscount {
    pub name: String,
    /// Amount taken off the goods (zero for free delivery).
    pub amount: Decimal,
    pub free_delivery: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Total per line, in the order of the lines given.
    pub line_totals: Vec<(i64, Decimal)>,
    pub subtotal: Decimal,
    pub discounts: Vec<AppliedDiscount>,
    pub discount_total: Decimal,
    /// `None` when no delivery was chosen yet.
    pub delivery: Option<Decimal>,
    pub total: Decimal,
}

/// Rounds to whole kopecks, half away from zero.
pub fn round_kopecks(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Prices a cart. Negative prices or percentages cannot come from the
/// catalog or the promotions module; they are treated as zero here so the
/// total can never go below zero.
pub fn price(lines: &[Line], discounts: &[Discount], delivery: Option<&Delivery>) -> Totals {
    let line_totals: Vec<(i64, Decimal)> = lines
        .iter()
        .map(|l| (l.variant_id, line_total(l)))
        .collect();
    let subtotal: Decimal = line_totals.iter().map(|(_, t)| *t).sum();

    let mut left = subtotal;
    let mut applied = Vec::new();
    let mut free_delivery = false;
    for discount in discounts {
        let eligible: Decimal = lines
            .iter()
            .filter(|l| discount.scope.covers(l))
            .map(line_total)
            .sum();
        let (amount, frees_delivery) = match &discount.kind {
            DiscountKind::Percent(p) => {
                let p = (*p).clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
                (round_kopecks(eligible * p / Decimal::ONE_HUNDRED), false)
            }
            DiscountKind::Fixed(a) => ((*a).max(Decimal::ZERO).min(eligible), false),
            DiscountKind::FreeDelivery => (Decimal::ZERO, true),
        };
        let amount = round_kopecks(amount).min(left);
        left -= amount;
        free_delivery |= frees_delivery;
        applied.push(AppliedDiscount {
            name: discount.name.clone(),
            amount,
            free_delivery: frees_delivery,
        });
    }

    let delivery = delivery.map(|d| {
        let over_threshold = d.free_from.is_some_and(|from| left >= from);
        if free_delivery || over_threshold {
            Decimal::ZERO
        } else {
            round_kopecks(d.price.max(Decimal::ZERO))
        }
    });
    Totals {
        line_totals,
        subtotal,
        discount_total: subtotal - left,
        discounts: applied,
        delivery,
        total: left + delivery.unwrap_or(Decimal::ZERO),
    }
}

fn line_total(line: &Line) -> Decimal {
    round_kopecks(line.unit_price.max(Decimal::ZERO)) * Decimal::from(line.quantity)
}

/// Monthly payment of an instalment plan (CART-7 estimate): the total plus
/// the bank's markup, spread over `months`, rounded up to whole kopecks so
/// the payments never fall short of the total.
pub fn monthly_payment(total: Decimal, markup_percent: Decimal, months: u32) -> Option<Decimal> {
    if months == 0 || total <= Decimal::ZERO {
        return None;
    }
    let with_markup =
        total * (Decimal::ONE_HUNDRED + markup_percent.max(Decimal::ZERO)) / Decimal::ONE_HUNDRED;
    Some(
        (with_markup / Decimal::from(months))
            .round_dp_with_strategy(2, RoundingStrategy::AwayFromZero),
    )
}

/// A way to pay in parts offered in the cart (CART-6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstalmentPlan {
    pub months: u32,
    /// The bank's markup on the total; zero for interest-free instalments.
    pub markup_percent: Decimal,
    /// Smallest order total the bank accepts.
    pub min_total: Decimal,
}

/// The plans of the shop's partner bank (the sandbox bank of checkout):
/// interest-free instalments over 4 months, and credit over 12 months.
pub fn instalment_plans() -> Vec<InstalmentPlan> {
    vec![
        InstalmentPlan {
            months: 4,
            markup_percent: Decimal::ZERO,
            min_total: Decimal::from(3000),
        },
        InstalmentPlan {
            months: 12,
            markup_percent: Decimal::new(149, 1),
            min_total: Decimal::from(10000),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn line(variant_id: i64, category_id: i64, price: &str, quantity: u32) -> Line {
        Line {
            variant_id,
            product_id: variant_id * 10,
            category_id,
            unit_price: d(price),
            quantity,
        }
    }

    fn discount(name: &str, kind: DiscountKind, scope: Scope) -> Discount {
        Discount {
            promotion: None,
            name: name.into(),
            kind,
            scope,
        }
    }

    #[test]
    fn lines_discounts_and_delivery_add_up() {
        let lines = [line(1, 5, "1990.00", 2), line(2, 7, "333.33", 3)];
        let discounts = [
            discount(
                "Promo code SHOES10",
                DiscountKind::Percent(d("10")),
                Scope::Categories(vec![5]),
            ),
            discount("Welcome", DiscountKind::Fixed(d("100")), Scope::All),
        ];
        let delivery = Delivery {
            price: d("350"),
            free_from: Some(d("5000")),
        };
        let t = price(&lines, &discounts, Some(&delivery));
        assert_eq!(t.line_totals, [(1, d("3980.00")), (2, d("999.99"))]);
        assert_eq!(t.subtotal, d("4979.99"));
        assert_eq!(t.discounts[0].amount, d("398.00"));
        assert_eq!(t.discounts[1].amount, d("100"));
        assert_eq!(t.discount_total, d("498.00"));
        assert_eq!(t.delivery, Some(d("350")));
        assert_eq!(t.total, d("4831.99"));
    }

    #[test]
    fn percentages_round_half_away_from_zero_on_the_whole_eligible_amount() {
        // 3 × 0.15 = 0.45; 5 % of it is 0.0225 → 0.02. Per line it would be 3 × 0.01.
        let lines = [
            line(1, 1, "0.15", 1),
            line(2, 1, "0.15", 1),
            line(3, 1, "0.15", 1),
        ];
        let t = price(
            &lines,
            &[discount("5%", DiscountKind::Percent(d("5")), Scope::All)],
            None,
        );
        assert_eq!(t.discount_total, d("0.02"));
        // 0.50 × 5 % = 0.025 → 0.03 (half away from zero).
        let t = price(
            &[line(1, 1, "0.50", 1)],
            &[discount("5%", DiscountKind::Percent(d("5")), Scope::All)],
            None,
        );
        assert_eq!(t.discount_total, d("0.03"));
    }

    #[test]
    fn free_delivery_by_promotion_or_threshold_after_discounts() {
        let delivery = Delivery {
            price: d("350"),
            free_from: Some(d("5000")),
        };
        let lines = [line(1, 1, "5100", 1)];
        assert_eq!(
            price(&lines, &[], Some(&delivery)).delivery,
            Some(Decimal::ZERO)
        );
        // A discount that brings the goods below the threshold brings delivery back.
        let t = price(
            &lines,
            &[discount("−200", DiscountKind::Fixed(d("200")), Scope::All)],
            Some(&delivery),
        );
        assert_eq!((t.delivery, t.total), (Some(d("350")), d("5250")));
        let t = price(
            &[line(1, 1, "100", 1)],
            &[discount(
                "Free delivery",
                DiscountKind::FreeDelivery,
                Scope::All,
            )],
            Some(&delivery),
        );
        assert_eq!((t.delivery, t.total), (Some(Decimal::ZERO), d("100")));
        assert!(t.discounts[0].free_delivery);
    }

    #[test]
    fn discounts_outside_their_scope_take_nothing() {
        let t = price(
            &[line(1, 1, "1000", 1)],
            &[discount(
                "Lamps −50%",
                DiscountKind::Percent(d("50")),
                Scope::Products(vec![999]),
            )],
            None,
        );
        assert_eq!((t.discount_total, t.total), (Decimal::ZERO, d("1000")));
    }

    #[test]
    fn instalments_never_fall_short_of_the_total() {
        assert_eq!(monthly_payment(d("10000"), d("0"), 3), Some(d("3333.34")));
        assert_eq!(monthly_payment(d("12000"), d("10"), 12), Some(d("1100")));
        assert_eq!(monthly_payment(d("100"), d("0"), 0), None);
    }

    fn any_line() -> impl Strategy<Value = Line> {
        (1i64..50, 1i64..5, 0i64..2_000_000, 0u32..20).prop_map(|(id, cat, kopecks, qty)| Line {
            variant_id: id,
            product_id: id,
            category_id: cat,
            unit_price: Decimal::new(kopecks, 2),
            quantity: qty,
        })
    }

    fn any_discount() -> impl Strategy<Value = Discount> {
        let kind = prop_oneof![
            (0i64..=10_000).prop_map(|p| DiscountKind::Percent(Decimal::new(p, 2))),
            (0i64..5_000_000).prop_map(|a| DiscountKind::Fixed(Decimal::new(a, 2))),
            Just(DiscountKind::FreeDelivery),
        ];
        let scope = prop_oneof![
            Just(Scope::All),
            proptest::collection::vec(1i64..5, 0..3).prop_map(Scope::Categories),
            proptest::collection::vec(1i64..50, 0..3).prop_map(Scope::Products),
        ];
        (kind, scope).prop_map(|(kind, scope)| Discount {
            promotion: None,
            name: "d".into(),
            kind,
            scope,
        })
    }

    fn any_delivery() -> impl Strategy<Value = Option<Delivery>> {
        proptest::option::of(
            (0i64..100_000, proptest::option::of(0i64..1_000_000)).prop_map(|(p, f)| Delivery {
                price: Decimal::new(p, 2),
                free_from: f.map(|f| Decimal::new(f, 2)),
            }),
        )
    }

    proptest! {
        #[test]
        fn totals_keep_their_invariants(
            lines in proptest::collection::vec(any_line(), 0..12),
            discounts in proptest::collection::vec(any_discount(), 0..4),
            delivery in any_delivery(),
        ) {
            let t = price(&lines, &discounts, delivery.as_ref());
            prop_assert!(t.total >= Decimal::ZERO);
            prop_assert!(t.discount_total >= Decimal::ZERO);
            prop_assert!(t.discount_total <= t.subtotal);
            let kopeck = |x: Decimal| x == round_kopecks(x);
            prop_assert!(kopeck(t.total) && kopeck(t.discount_total) && kopeck(t.subtotal));
            prop_assert!(t.discounts.iter().all(|a| kopeck(a.amount) && a.amount >= Decimal::ZERO));
            prop_assert_eq!(
                t.total,
                t.subtotal - t.discount_total + t.delivery.unwrap_or(Decimal::ZERO)
            );
        }

        #[test]
        fn the_order_of_lines_does_not_matter(
            lines in proptest::collection::vec(any_line(), 0..12),
            discounts in proptest::collection::vec(any_discount(), 0..4),
            delivery in any_delivery(),
            seed in any::<u64>(),
        ) {
            let mut shuffled = lines.clone();
            // A deterministic shuffle: rotate and reverse by the seed.
            if !shuffled.is_empty() {
                let n = shuffled.len();
                shuffled.rotate_left((seed as usize) % n);
            }
            if seed % 2 == 0 {
                shuffled.reverse();
            }
            let a = price(&lines, &discounts, delivery.as_ref());
            let b = price(&shuffled, &discounts, delivery.as_ref());
            prop_assert_eq!(a.subtotal, b.subtotal);
            prop_assert_eq!(a.discounts, b.discounts);
            prop_assert_eq!(a.delivery, b.delivery);
            prop_assert_eq!(a.total, b.total);
        }
    }
}
