//! Editing an order before it is picked (ORD-6): the customer calls to add
//! or drop goods or to change the delivery. The order is then priced and
//! reserved again by checkout's own code; these are the rules around it.
use super::checkout::{CheckoutProblem, OrderStatus};
use super::money::{format_money, Currency, Lang};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Most different goods one order may hold.
pub const MAX_LINES: usize = 100;

/// One line of the order as the editor leaves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditLine {
    pub variant_id: i64,
    pub quantity: u32,
}

/// The whole order as staff want it: its goods and where they go. Contact
/// details and payment stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEdit {
    pub lines: Vec<EditLine>,
    /// The delivery method's code.
    pub delivery: String,
    pub city: String,
    /// Street, house and flat.
    pub address: String,
    pub postcode: String,
    pub pickup_point: Option<i64>,
    /// Why, for the timeline (say, "the customer called").
    pub reason: String,
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EditProblem {
    /// Picking started (or the order is closed): the goods are on their way
    /// to the packing table.
    NotEditable(OrderStatus),
    /// Paid in full: change it by a return after delivery, or cancel it.
    AlreadyPaid,
    /// The customer is on the bank's page for it right now.
    PaymentInProgress,
    NoLines,
    TooManyLines,
    TooMany {
        variant_id: i64,
    },
    /// Not in the catalog (any more).
    UnknownProduct {
        variant_id: i64,
    },
    /// Not enough stock, and the product cannot be ordered ahead.
    OutOfStock(Vec<String>),
    /// The delivery fields, checked as at checkout.
    Delivery(Vec<CheckoutProblem>),
    /// The new total is below the money already received.
    BelowPaid {
        paid: Decimal,
        total: Decimal,
    },
    /// The bank's instalment plan does not cover the new total.
    PlanNoLongerFits,
    ReasonTooLong,
}

/// Longest reason kept on the timeline.
pub const REASON_MAX_CHARS: usize = 300;

impl EditProblem {
    pub fn message(&self, lang: Lang, currency: Currency) -> String {
        let money = |d: &Decimal| format_money(*d, currency, lang);
        match (self, lang) {
            (EditProblem::NotEditable(status), Lang::Ru) => format!(
                "Заказ в статусе «{}»: менять его уже нельзя. Изменить можно новый, подтверждённый или частично оплаченный заказ, пока его не начали собирать.",
                status.label(lang)
            ),
            (EditProblem::NotEditable(status), Lang::En) => format!(
                "The order is {}: it can no longer be changed. An order can be changed while it is new, confirmed or part paid, before picking starts.",
                status.label(lang).to_lowercase()
            ),
            (EditProblem::AlreadyPaid, Lang::Ru) => "Заказ полностью оплачен: уберите товар возвратом после доставки или отмените заказ.".into(),
            (EditProblem::AlreadyPaid, Lang::En) => "The order is paid in full: take goods off by a return after delivery, or cancel it.".into(),
            (EditProblem::PaymentInProgress, Lang::Ru) => "Покупатель сейчас оплачивает заказ на странице банка. Попробуйте через несколько минут.".into(),
            (EditProblem::PaymentInProgress, Lang::En) => "The customer is paying for this order on the bank's page right now. Try again in a few minutes.".into(),
            (EditProblem::NoLines, Lang::Ru) => "В заказе должен остаться хотя бы один товар. Чтобы отказаться от всего, отмените заказ.".into(),
            (EditProblem::NoLines, Lang::En) => "The order must keep at least one item. To drop everything, cancel the order.".into(),
            (EditProblem::TooManyLines, Lang::Ru) => format!("В заказе может быть не больше {MAX_LINES} разных товаров."),
            (EditProblem::TooManyLines, Lang::En) => format!("An order holds at most {MAX_LINES} different items."),
            (EditProblem::TooMany { variant_id }, Lang::Ru) => format!(
                "Товара #{variant_id} можно заказать не больше {} шт.",
                super::cart::MAX_LINE_QUANTITY
            ),
            (EditProblem::TooMany { variant_id }, Lang::En) => format!(
                "At most {} units of item #{variant_id} per order.",
                super::cart::MAX_LINE_QUANTITY
            ),
            (EditProblem::UnknownProduct { variant_id }, Lang::Ru) => format!("Товара #{variant_id} больше нет в каталоге."),
            (EditProblem::UnknownProduct { variant_id }, Lang::En) => format!("Item #{variant_id} is no longer in the catalog."),
            (EditProblem::OutOfStock(names), Lang::Ru) => format!("Не хватает на складе: {}.", names.join(", ")),
            (EditProblem::OutOfStock(names), Lang::En) => format!("Not enough in stock: {}.", names.join(", ")),
            (EditProblem::Delivery(problems), _) => problems
                .iter()
                .map(|p| p.message(lang))
                .collect::<Vec<_>>()
                .join(" "),
            (EditProblem::BelowPaid { paid, total }, Lang::Ru) => format!(
                "Покупатель уже заплатил {}, а новый итог — {}. Уберите меньше товаров или оформите возврат после доставки.",
                money(paid),
                money(total)
            ),
            (EditProblem::BelowPaid { paid, total }, Lang::En) => format!(
                "The customer has already paid {}, and the new total is {}. Take off less, or make a return after delivery.",
                money(paid),
                money(total)
            ),
            (EditProblem::PlanNoLongerFits, Lang::Ru) => "Банк не даёт выбранную рассрочку на новую сумму заказа.".into(),
            (EditProblem::PlanNoLongerFits, Lang::En) => "The bank's instalment plan chosen for this order does not cover the new total.".into(),
            (EditProblem::ReasonTooLong, Lang::Ru) => format!("Причина длиннее {REASON_MAX_CHARS} символов."),
            (EditProblem::ReasonTooLong, Lang::En) => format!("The reason is longer than {REASON_MAX_CHARS} characters."),
        }
    }
}

/// Whether an order in this state may be edited: before picking, and not
/// yet paid in full (a part payment is fine: the rest is due).
pub fn check_editable(status: OrderStatus, paid_in_full: bool) -> Result<(), EditProblem> {
    match status {
        OrderStatus::New | OrderStatus::Confirmed if paid_in_full => Err(EditProblem::AlreadyPaid),
        OrderStatus::New | OrderStatus::Confirmed => Ok(()),
        other => Err(EditProblem::NotEditable(other)),
    }
}

/// The lines as typed, cleaned: a product listed twice becomes one line,
/// zero quantities go, and the order keeps its first-seen order of lines.
pub fn check_lines(lines: &[EditLine]) -> Result<Vec<EditLine>, EditProblem> {
    let mut merged: Vec<EditLine> = Vec::new();
    for line in lines.iter().filter(|l| l.quantity > 0) {
        match merged.iter_mut().find(|m| m.variant_id == line.variant_id) {
            Some(known) => known.quantity = known.quantity.saturating_add(line.quantity),
            None => merged.push(*line),
        }
    }
    if merged.is_empty() {
        return Err(EditProblem::NoLines);
    }
    if merged.len() > MAX_LINES {
        return Err(EditProblem::TooManyLines);
    }
    if let Some(line) = merged
        .iter()
        .find(|l| l.quantity > super::cart::MAX_LINE_QUANTITY)
    {
        return Err(EditProblem::TooMany {
            variant_id: line.variant_id,
        });
    }
    Ok(merged)
}

/// The reason, trimmed, within its limit.
pub fn check_reason(reason: &str) -> Result<String, EditProblem> {
    let reason = reason.trim();
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err(EditProblem::ReasonTooLong);
    }
    Ok(reason.to_string())
}

/// The money already received may not exceed the new total.
pub fn check_total(total: Decimal, paid: Decimal) -> Result<(), EditProblem> {
    if total < paid {
        return Err(EditProblem::BelowPaid { paid, total });
    }
    Ok(())
}

/// "Name, options · SKU", as the editor lists a line.
pub fn label(name: &str, options: &str, sku: &str) -> String {
    match options.is_empty() {
        true => format!("{name} · {sku}"),
        false => format!("{name}, {options} · {sku}"),
    }
}

/// A line before or after the edit, for the timeline's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedLine {
    pub variant_id: i64,
    pub name: String,
    pub quantity: u32,
}

/// What changed, in one line for the timeline: "+2 × Кружка; −1 × Чай;
/// доставка: Курьер → Пункт выдачи". `delivery` and `address` are (before,
/// after); the address is named when only it changed. Empty when nothing did.
pub fn describe_changes(
    before: &[NamedLine],
    after: &[NamedLine],
    delivery: (&str, &str),
    address: (&str, &str),
    lang: Lang,
) -> String {
    let mut parts = Vec::new();
    let quantity = |lines: &[NamedLine], id: i64| {
        lines
            .iter()
            .find(|l| l.variant_id == id)
            .map_or(0, |l| l.quantity)
    };
    for line in after {
        let was = quantity(before, line.variant_id);
        if line.quantity > was {
            parts.push(format!("+{} × {}", line.quantity - was, line.name));
        }
    }
    for line in before {
        let now = quantity(after, line.variant_id);
        if now < line.quantity {
            parts.push(format!("−{} × {}", line.quantity - now, line.name));
        }
    }
    let (from, to) = delivery;
    let (word, address_word) = match lang {
        Lang::Ru => ("доставка", "адрес"),
        Lang::En => ("delivery", "address"),
    };
    if from != to {
        parts.push(format!("{word}: {from} → {to}"));
    } else if address.0 != address.1 {
        parts.push(format!("{address_word}: {}", address.1));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(variant_id: i64, quantity: u32) -> EditLine {
        EditLine {
            variant_id,
            quantity,
        }
    }

    #[test]
    fn only_orders_not_yet_picked_or_paid_in_full_are_editable() {
        assert_eq!(check_editable(OrderStatus::New, false), Ok(()));
        assert_eq!(check_editable(OrderStatus::Confirmed, false), Ok(()));
        assert_eq!(
            check_editable(OrderStatus::Confirmed, true),
            Err(EditProblem::AlreadyPaid)
        );
        for status in [
            OrderStatus::Paid,
            OrderStatus::Picking,
            OrderStatus::Packed,
            OrderStatus::Shipped,
            OrderStatus::Delivered,
            OrderStatus::Completed,
            OrderStatus::Cancelled,
            OrderStatus::Returned,
        ] {
            assert_eq!(
                check_editable(status, false),
                Err(EditProblem::NotEditable(status)),
                "{status:?}"
            );
        }
    }

    #[test]
    fn lines_merge_drop_zeros_and_keep_their_order() {
        let cleaned = check_lines(&[line(5, 1), line(3, 0), line(7, 2), line(5, 2)]).unwrap();
        assert_eq!(cleaned, vec![line(5, 3), line(7, 2)]);
    }

    #[test]
    fn an_order_cannot_be_emptied_or_overfilled() {
        assert_eq!(check_lines(&[line(1, 0)]), Err(EditProblem::NoLines));
        assert_eq!(check_lines(&[]), Err(EditProblem::NoLines));
        assert_eq!(
            check_lines(&[line(1, 600), line(1, 400)]),
            Err(EditProblem::TooMany { variant_id: 1 })
        );
        let many: Vec<EditLine> = (1..=(MAX_LINES as i64 + 1)).map(|id| line(id, 1)).collect();
        assert_eq!(check_lines(&many), Err(EditProblem::TooManyLines));
    }

    #[test]
    fn the_new_total_may_not_fall_below_what_was_paid() {
        let paid = Decimal::new(1500, 0);
        assert_eq!(check_total(Decimal::new(1500, 0), paid), Ok(()));
        assert_eq!(check_total(Decimal::new(2000, 0), paid), Ok(()));
        assert_eq!(
            check_total(Decimal::new(1000, 0), paid),
            Err(EditProblem::BelowPaid {
                paid,
                total: Decimal::new(1000, 0)
            })
        );
        assert!(EditProblem::BelowPaid {
            paid,
            total: Decimal::new(1000, 0)
        }
        .message(Lang::En, Currency::Rub)
        .contains("already paid"));
    }

    #[test]
    fn a_long_reason_is_refused() {
        assert_eq!(check_reason("  called  "), Ok("called".into()));
        assert_eq!(
            check_reason(&"я".repeat(REASON_MAX_CHARS + 1)),
            Err(EditProblem::ReasonTooLong)
        );
    }

    #[test]
    fn the_summary_names_what_came_what_went_and_the_delivery() {
        let named = |variant_id, name: &str, quantity| NamedLine {
            variant_id,
            name: name.into(),
            quantity,
        };
        let before = [named(1, "Mug", 1), named(2, "Tea", 3)];
        let after = [named(1, "Mug", 3), named(3, "Spoon", 1)];
        let same = ("Moscow, Tverskaya 1", "Moscow, Tverskaya 1");
        assert_eq!(
            describe_changes(&before, &after, ("Courier", "Pickup point"), same, Lang::En),
            "+2 × Mug; +1 × Spoon; −3 × Tea; delivery: Courier → Pickup point"
        );
        assert_eq!(
            describe_changes(&before, &before, ("Courier", "Courier"), same, Lang::En),
            ""
        );
        assert_eq!(
            describe_changes(
                &before,
                &before,
                ("Courier", "Courier"),
                ("Moscow, Tverskaya 1", "Moscow, Arbat 2"),
                Lang::Ru
            ),
            "адрес: Moscow, Arbat 2"
        );
    }
}
