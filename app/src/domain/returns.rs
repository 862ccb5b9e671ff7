//! Returns (ORD-7) and try-on at the door (LOG-3): which units may come
//! back, and how much money follows them. The refund is the paid share of
//! the returned goods: their price less their part of the order's
//! discounts (promo codes, quantity and companion discounts), spread by
//! value. Delivery is not refunded. Shares are counted cumulatively, so
//! several partial returns add up to exactly what was paid for the goods.
use super::money::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Units of one order line coming back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnedLine {
    pub line_id: i64,
    pub quantity: u32,
}

/// An order line as returns see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMoney {
    pub line_id: i64,
    pub unit_price: Decimal,
    pub ordered: u32,
    /// Already returned earlier (at the door or later).
    pub returned: u32,
}

impl LineMoney {
    fn left(&self) -> u32 {
        self.ordered.saturating_sub(self.returned)
    }
}

/// The order's money, as placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderMoney {
    pub goods: Decimal,
    /// All discounts on the goods together.
    pub discount: Decimal,
    /// Refunded (or, at the door, not collected) so far.
    pub refunded: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReturnProblem {
    /// No unit was chosen.
    Nothing,
    /// Not a line of this order.
    UnknownLine,
    /// More units than the line still has.
    TooMany { line_id: i64, left: u32 },
}

impl ReturnProblem {
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (ReturnProblem::Nothing, Lang::Ru) => "Укажите, сколько единиц возвращается.".into(),
            (ReturnProblem::Nothing, Lang::En) => "Enter how many units come back.".into(),
            (ReturnProblem::UnknownLine, Lang::Ru) => "Такого товара нет в заказе.".into(),
            (ReturnProblem::UnknownLine, Lang::En) => "This item is not in the order.".into(),
            (ReturnProblem::TooMany { left, .. }, Lang::Ru) => {
                format!("Вернуть можно не больше {left} шт. этого товара.")
            }
            (ReturnProblem::TooMany { left, .. }, Lang::En) => {
                format!("At most {left} of this item can come back.")
            }
        }
    }
}

/// The units asked for, merged per line and checked against what each
/// line still has; lines with zero units are dropped.
pub fn check_return(
    lines: &[LineMoney],
    wanted: &[ReturnedLine],
) -> Result<Vec<ReturnedLine>, ReturnProblem> {
    let mut merged: Vec<ReturnedLine> = Vec::new();
    for w in wanted.iter().filter(|w| w.quantity > 0) {
        match merged.iter_mut().find(|m| m.line_id == w.line_id) {
            Some(m) => m.quantity += w.quantity,
            None => merged.push(*w),
        }
    }
    if merged.is_empty() {
        return Err(ReturnProblem::Nothing);
    }
    for m in &merged {
        let line = lines
            .iter()
            .find(|l| l.line_id == m.line_id)
            .ok_or(ReturnProblem::UnknownLine)?;
        if m.quantity > line.left() {
            return Err(ReturnProblem::TooMany {
                line_id: m.line_id,
                left: line.left(),
            });
        }
    }
    Ok(merged)
}

/// Every unit the order still has, for "return everything".
pub fn everything_left(lines: &[LineMoney]) -> Vec<ReturnedLine> {
    lines
        .iter()
        .filter(|l| l.left() > 0)
        .map(|l| ReturnedLine {
            line_id: l.line_id,
            quantity: l.left(),
        })
        .collect()
}

/// Whether these units are all the order still has.
pub fn is_everything(lines: &[LineMoney], returned: &[ReturnedLine]) -> bool {
    let left: u32 = lines.iter().map(LineMoney::left).sum();
    let coming: u32 = returned.iter().map(|r| r.quantity).sum();
    left > 0 && coming == left
}

/// The money the returned units are worth now: their value's share of the
/// goods' price after discounts, counted over all returns so far (checked
/// units only: call `check_return` first).
pub fn refund(order: &OrderMoney, lines: &[LineMoney], returned: &[ReturnedLine]) -> Decimal {
    if order.goods <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let value = |units: &dyn Fn(&LineMoney) -> u32| -> Decimal {
        lines
            .iter()
            .map(|l| l.unit_price * Decimal::from(units(l)))
            .sum()
    };
    let now = |l: &LineMoney| {
        returned
            .iter()
            .filter(|r| r.line_id == l.line_id)
            .map(|r| r.quantity)
            .sum::<u32>()
    };
    let returned_value = value(&|l| l.returned + now(l));
    let paid_for_goods = (order.goods - order.discount).max(Decimal::ZERO);
    let share = (paid_for_goods * returned_value / order.goods).round_dp(2);
    (share.min(paid_for_goods) - order.refunded).max(Decimal::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(n: i64) -> Decimal {
        Decimal::from(n)
    }

    fn lines() -> Vec<LineMoney> {
        vec![
            LineMoney {
                line_id: 1,
                unit_price: dec(1000),
                ordered: 2,
                returned: 0,
            },
            LineMoney {
                line_id: 2,
                unit_price: dec(500),
                ordered: 1,
                returned: 0,
            },
        ]
    }

    fn back(line_id: i64, quantity: u32) -> ReturnedLine {
        ReturnedLine { line_id, quantity }
    }

    #[test]
    fn only_units_still_in_the_order_come_back() {
        let lines = lines();
        assert_eq!(
            check_return(&lines, &[back(1, 1), back(1, 1), back(2, 0)]),
            Ok(vec![back(1, 2)])
        );
        assert_eq!(
            check_return(&lines, &[back(2, 0)]),
            Err(ReturnProblem::Nothing)
        );
        assert_eq!(
            check_return(&lines, &[back(9, 1)]),
            Err(ReturnProblem::UnknownLine)
        );
        assert_eq!(
            check_return(&lines, &[back(1, 3)]),
            Err(ReturnProblem::TooMany {
                line_id: 1,
                left: 2
            })
        );
        let mut after = lines.clone();
        after[0].returned = 2;
        assert_eq!(
            check_return(&after, &[back(1, 1)]),
            Err(ReturnProblem::TooMany {
                line_id: 1,
                left: 0
            })
        );
        assert_eq!(everything_left(&after), vec![back(2, 1)]);
        assert!(is_everything(&after, &[back(2, 1)]));
        assert!(!is_everything(&lines, &[back(2, 1)]));
    }

    #[test]
    fn the_refund_is_the_paid_share_of_the_returned_goods() {
        // 2500 of goods, 10% promo: 2250 paid for the goods.
        let order = OrderMoney {
            goods: dec(2500),
            discount: dec(250),
            refunded: dec(0),
        };
        let lines = lines();
        // One 1000 item of 2500: 40% of 2250.
        assert_eq!(refund(&order, &lines, &[back(1, 1)]), dec(900));
        // The 500 item: 20%.
        assert_eq!(refund(&order, &lines, &[back(2, 1)]), dec(450));
        // Everything: all that was paid for the goods, delivery stays.
        assert_eq!(refund(&order, &lines, &[back(1, 2), back(2, 1)]), dec(2250));
        // No discount: the price itself.
        let plain = OrderMoney {
            discount: dec(0),
            ..order
        };
        assert_eq!(refund(&plain, &lines, &[back(2, 1)]), dec(500));
    }

    #[test]
    fn partial_refunds_add_up_to_exactly_what_was_paid() {
        // Thirds do not divide evenly: 1000 paid for three equal items.
        let order = OrderMoney {
            goods: dec(1200),
            discount: dec(200),
            refunded: dec(0),
        };
        let mut lines = vec![LineMoney {
            line_id: 1,
            unit_price: dec(400),
            ordered: 3,
            returned: 0,
        }];
        let mut order = order;
        let mut total = dec(0);
        for _ in 0..3 {
            let r = refund(&order, &lines, &[back(1, 1)]);
            total += r;
            order.refunded += r;
            lines[0].returned += 1;
        }
        assert_eq!(total, dec(1000));
        assert_eq!(order.refunded, dec(1000));
    }
}
