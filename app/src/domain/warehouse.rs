//! Warehouse rules (WMS-1 … WMS-4): the stock movement ledger, shelf codes,
//! packing by scanning each item, parcels and their weights.
//!
//! Stock has two numbers per variant and warehouse: *on hand* (physically
//! there) and *reserved* (promised to orders not yet shipped); what the shop
//! can still sell is the difference. Every change is a movement whose
//! effect on both numbers follows from its kind, so the balance is always
//! the sum of the ledger.
use super::money::Lang;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MovementKind {
    /// The balance the ledger started from (written once, by the migration).
    Opening,
    /// Goods arrived from a supplier.
    Receipt,
    /// A count, damage or a correction, up or down, with a reason.
    Adjustment,
    /// Units promised to an order at checkout.
    Reservation,
    /// A cancelled order's promise given back.
    Release,
    /// Reserved units left with the carrier.
    Shipment,
    /// Returned units put back on the shelf.
    Return,
}

impl MovementKind {
    pub const ALL: [MovementKind; 7] = [
        MovementKind::Opening,
        MovementKind::Receipt,
        MovementKind::Adjustment,
        MovementKind::Reservation,
        MovementKind::Release,
        MovementKind::Shipment,
        MovementKind::Return,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Opening => "opening",
            MovementKind::Receipt => "receipt",
            MovementKind::Adjustment => "adjustment",
            MovementKind::Reservation => "reservation",
            MovementKind::Release => "release",
            MovementKind::Shipment => "shipment",
            MovementKind::Return => "return",
        }
    }

    pub fn parse(s: &str) -> Option<MovementKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (ru, en) = match self {
            MovementKind::Opening => ("Начальный остаток", "Opening balance"),
            MovementKind::Receipt => ("Приёмка", "Receipt"),
            MovementKind::Adjustment => ("Корректировка", "Adjustment"),
            MovementKind::Reservation => ("Резерв", "Reservation"),
            MovementKind::Release => ("Снятие резерва", "Release"),
            MovementKind::Shipment => ("Отгрузка", "Shipment"),
            MovementKind::Return => ("Возврат на склад", "Return to stock"),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// What `quantity` units of this kind do to on hand and to reserved.
    /// Only an adjustment may be negative (a write-down).
    pub fn effect(self, quantity: i32) -> Balance {
        let (on_hand, reserved) = match self {
            MovementKind::Opening
            | MovementKind::Receipt
            | MovementKind::Adjustment
            | MovementKind::Return => (quantity, 0),
            MovementKind::Reservation => (0, quantity),
            MovementKind::Release => (0, -quantity),
            MovementKind::Shipment => (-quantity, -quantity),
        };
        Balance { on_hand, reserved }
    }
}

/// A variant's stock in one warehouse (or a movement's change to it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub on_hand: i32,
    pub reserved: i32,
}

impl Balance {
    /// What the shop can still sell.
    pub fn available(self) -> i32 {
        self.on_hand - self.reserved
    }

    /// The balance after a movement, or why the movement cannot happen.
    pub fn apply(self, kind: MovementKind, quantity: i32) -> Result<Balance, StockProblem> {
        if quantity == 0 {
            return Err(StockProblem::Zero);
        }
        if quantity < 0 && kind != MovementKind::Adjustment {
            return Err(StockProblem::Negative);
        }
        if quantity.unsigned_abs() > MAX_UNITS as u32 {
            return Err(StockProblem::TooMany);
        }
        let change = kind.effect(quantity);
        let next = Balance {
            on_hand: self.on_hand + change.on_hand,
            reserved: self.reserved + change.reserved,
        };
        match kind {
            MovementKind::Adjustment | MovementKind::Reservation if next.available() < 0 => {
                Err(StockProblem::NotEnough {
                    available: self.available(),
                })
            }
            MovementKind::Release | MovementKind::Shipment if next.reserved < 0 => {
                Err(StockProblem::NotReserved {
                    reserved: self.reserved,
                })
            }
            _ if next.on_hand > MAX_UNITS => Err(StockProblem::TooMany),
            _ => Ok(next),
        }
    }
}

/// Most units of one variant one warehouse holds; keeps sums far from overflow.
pub const MAX_UNITS: i32 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockProblem {
    Zero,
    /// Only an adjustment may take units away.
    Negative,
    TooMany,
    /// Would leave less than what orders already reserved.
    NotEnough {
        available: i32,
    },
    NotReserved {
        reserved: i32,
    },
    /// An adjustment says why.
    ReasonRequired,
    UnknownSku,
    UnknownWarehouse,
}

impl StockProblem {
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (StockProblem::Zero, Lang::Ru) => "Укажите количество, отличное от нуля.".into(),
            (StockProblem::Zero, Lang::En) => "Enter a quantity other than zero.".into(),
            (StockProblem::Negative, Lang::Ru) => "Количество должно быть положительным.".into(),
            (StockProblem::Negative, Lang::En) => "The quantity must be positive.".into(),
            (StockProblem::TooMany, Lang::Ru) => {
                format!("Не больше {MAX_UNITS} единиц на складе.")
            }
            (StockProblem::TooMany, Lang::En) => {
                format!("At most {MAX_UNITS} units per warehouse.")
            }
            (StockProblem::NotEnough { available }, Lang::Ru) => {
                format!("Списать можно не больше {available}: остальное зарезервировано заказами.")
            }
            (StockProblem::NotEnough { available }, Lang::En) => {
                format!("At most {available} can be taken off: the rest is reserved for orders.")
            }
            (StockProblem::NotReserved { reserved }, Lang::Ru) => {
                format!("В резерве только {reserved}.")
            }
            (StockProblem::NotReserved { reserved }, Lang::En) => {
                format!("Only {reserved} are reserved.")
            }
            (StockProblem::ReasonRequired, Lang::Ru) => "Укажите причину корректировки.".into(),
            (StockProblem::ReasonRequired, Lang::En) => {
                "Give the reason for the adjustment.".into()
            }
            (StockProblem::UnknownSku, Lang::Ru) => "Нет товара с таким артикулом.".into(),
            (StockProblem::UnknownSku, Lang::En) => "No item has this SKU.".into(),
            (StockProblem::UnknownWarehouse, Lang::Ru) => "Нет такого склада.".into(),
            (StockProblem::UnknownWarehouse, Lang::En) => "No such warehouse.".into(),
        }
    }
}

/// Parses the quantity typed into a receipt or adjustment form.
pub fn parse_quantity(text: &str) -> Result<i32, StockProblem> {
    let text = text.trim().trim_start_matches('+');
    match text.parse::<i32>() {
        Ok(0) => Err(StockProblem::Zero),
        Ok(n) if n.unsigned_abs() > MAX_UNITS as u32 => Err(StockProblem::TooMany),
        Ok(n) => Ok(n),
        Err(_) if text.is_empty() => Err(StockProblem::Zero),
        Err(_) => Err(StockProblem::TooMany),
    }
}

/// An adjustment's reason, trimmed; a receipt may go without one.
pub fn check_reason(kind: MovementKind, reason: &str) -> Result<String, StockProblem> {
    let reason = reason.trim();
    if kind == MovementKind::Adjustment && reason.is_empty() {
        return Err(StockProblem::ReasonRequired);
    }
    Ok(reason.chars().take(500).collect())
}

/// Longest shelf code.
pub const SHELF_MAX_CHARS: usize = 20;

/// A shelf code as stored: upper case letters and digits in parts joined by
/// dashes or dots (`A-03-2`); empty means "no shelf".
pub fn check_shelf(text: &str) -> Result<Option<String>, ShelfProblem> {
    let code = text.trim().to_uppercase();
    if code.is_empty() {
        return Ok(None);
    }
    let ok = code.chars().count() <= SHELF_MAX_CHARS
        && code
            .split(['-', '.'])
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphanumeric()));
    if ok {
        Ok(Some(code))
    } else {
        Err(ShelfProblem)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelfProblem;

impl ShelfProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ru => "Ячейка — буквы и цифры через дефис или точку, до 20 знаков (A-03-2).",
            Lang::En => {
                "A shelf is letters and digits joined by dashes or dots, up to 20 (A-03-2)."
            }
        }
    }
}

/// Walking order through the warehouse: shelf by shelf, numbers compared as
/// numbers (A-2 before A-10); items without a shelf come last.
pub fn shelf_order(a: Option<&str>, b: Option<&str>) -> Ordering {
    fn parts(code: &str) -> Vec<(u8, u64, String)> {
        code.split(['-', '.'])
            .map(|p| match p.parse::<u64>() {
                Ok(n) => (0, n, String::new()),
                Err(_) => (1, 0, p.to_string()),
            })
            .collect()
    }
    match (a, b) {
        (Some(a), Some(b)) => parts(a).cmp(&parts(b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// One order line as the packer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackItem {
    pub sku: String,
    pub barcode: Option<String>,
    pub name: String,
    pub quantity: u32,
}

/// Packing an order item by item (WMS-3): each scanned or typed barcode or
/// SKU must be one of the order's items still to pack. The browser uses it
/// for instant answers; the server replays the scans before it marks the
/// order packed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Packing {
    pub items: Vec<PackItem>,
    pub packed: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScanProblem {
    Empty,
    /// Not in this order: the wrong item was picked.
    NotInOrder(String),
    /// All units of this item are already packed.
    AlreadyPacked(String),
    /// Packing is finished only when every unit is scanned.
    Incomplete(Vec<(String, u32)>),
}

impl ScanProblem {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ScanProblem::Empty, Lang::Ru) => {
                "Отсканируйте или введите штрихкод либо артикул.".into()
            }
            (ScanProblem::Empty, Lang::En) => "Scan or type a barcode or SKU.".into(),
            (ScanProblem::NotInOrder(code), Lang::Ru) => {
                format!("«{code}» нет в этом заказе. Не кладите его в посылку.")
            }
            (ScanProblem::NotInOrder(code), Lang::En) => {
                format!("\"{code}\" is not in this order. Do not pack it.")
            }
            (ScanProblem::AlreadyPacked(sku), Lang::Ru) => {
                format!("{sku}: все единицы уже упакованы. Лишнюю не кладите.")
            }
            (ScanProblem::AlreadyPacked(sku), Lang::En) => {
                format!("{sku}: every unit is already packed. Leave the extra one out.")
            }
            (ScanProblem::Incomplete(left), lang) => {
                let list: Vec<String> =
                    left.iter().map(|(sku, n)| format!("{sku} × {n}")).collect();
                match lang {
                    Lang::Ru => format!("Ещё не упакованы: {}.", list.join(", ")),
                    Lang::En => format!("Not packed yet: {}.", list.join(", ")),
                }
            }
        }
    }
}

impl Packing {
    pub fn new(items: Vec<PackItem>) -> Packing {
        let packed = vec![0; items.len()];
        Packing { items, packed }
    }

    /// Counts one unit of the item with this barcode or SKU (SKUs are
    /// matched without regard to case); returns the item's index.
    pub fn scan(&mut self, code: &str) -> Result<usize, ScanProblem> {
        let code = code.trim();
        if code.is_empty() {
            return Err(ScanProblem::Empty);
        }
        let matches = |item: &PackItem| {
            item.barcode.as_deref() == Some(code) || item.sku.eq_ignore_ascii_case(code)
        };
        let mut found = None;
        for (i, item) in self.items.iter().enumerate() {
            if matches(item) {
                if self.packed[i] < item.quantity {
                    self.packed[i] += 1;
                    return Ok(i);
                }
                found = Some(item.sku.clone());
            }
        }
        Err(match found {
            Some(sku) => ScanProblem::AlreadyPacked(sku),
            None => ScanProblem::NotInOrder(code.to_string()),
        })
    }

    /// What is still to pack, by SKU.
    pub fn left(&self) -> Vec<(String, u32)> {
        self.items
            .iter()
            .zip(&self.packed)
            .filter(|(item, packed)| **packed < item.quantity)
            .map(|(item, packed)| (item.sku.clone(), item.quantity - packed))
            .collect()
    }

    pub fn finished(&self) -> Result<(), ScanProblem> {
        let left = self.left();
        if left.is_empty() {
            Ok(())
        } else {
            Err(ScanProblem::Incomplete(left))
        }
    }

    /// Replays a list of scans; the first wrong one stops it.
    pub fn replay(items: Vec<PackItem>, scans: &[String]) -> Result<Packing, ScanProblem> {
        let mut packing = Packing::new(items);
        for code in scans {
            packing.scan(code)?;
        }
        packing.finished()?;
        Ok(packing)
    }
}

/// Most parcels one order ships in.
pub const MAX_PARCELS: usize = 20;
/// Heaviest parcel, in grams.
pub const MAX_PARCEL_GRAMS: u32 = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParcelProblem {
    None,
    TooMany,
    /// The n-th parcel's weight (1-based) is not a weight.
    BadWeight(usize),
}

impl ParcelProblem {
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (ParcelProblem::None, Lang::Ru) => "Добавьте хотя бы одну посылку с весом.".into(),
            (ParcelProblem::None, Lang::En) => "Add at least one parcel with its weight.".into(),
            (ParcelProblem::TooMany, Lang::Ru) => format!("Не больше {MAX_PARCELS} посылок."),
            (ParcelProblem::TooMany, Lang::En) => format!("At most {MAX_PARCELS} parcels."),
            (ParcelProblem::BadWeight(n), Lang::Ru) => format!(
                "Посылка {n}: вес в килограммах, больше 0 и не больше {} (например 1,25).",
                MAX_PARCEL_GRAMS / 1000
            ),
            (ParcelProblem::BadWeight(n), Lang::En) => format!(
                "Parcel {n}: the weight in kilograms, above 0 and at most {} (e.g. 1.25).",
                MAX_PARCEL_GRAMS / 1000
            ),
        }
    }
}

/// Parcels' weights typed in kilograms ("1.25" or "1,25"), to grams.
pub fn parse_parcels(weights_kg: &[String]) -> Result<Vec<u32>, ParcelProblem> {
    if weights_kg.is_empty() {
        return Err(ParcelProblem::None);
    }
    if weights_kg.len() > MAX_PARCELS {
        return Err(ParcelProblem::TooMany);
    }
    weights_kg
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let text = text.trim().replace(',', ".");
            let grams = text
                .parse::<rust_decimal::Decimal>()
                .ok()
                .and_then(|kg| (kg * rust_decimal::Decimal::from(1000)).round().to_u32());
            match grams {
                Some(g) if g > 0 && g <= MAX_PARCEL_GRAMS => Ok(g),
                _ => Err(ParcelProblem::BadWeight(i + 1)),
            }
        })
        .collect()
}

/// Grams shown as kilograms with up to three decimals: 1250 → "1.25".
pub fn kilograms(grams: u32) -> String {
    let kg = rust_decimal::Decimal::new(grams as i64, 3).normalize();
    kg.to_string()
}

/// Splits the tracking numbers typed for an order's parcels (by spaces,
/// commas or line breaks).
pub fn tracking_numbers(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(|s| s.to_uppercase())
        .collect()
}

/// A tracking number the shop issues itself (its own couriers, or a
/// carrier that takes the shop's numbers): order number and parcel.
pub fn shop_tracking_number(order_number: &str, seq: usize) -> String {
    format!("LV{order_number}-{seq}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use MovementKind::*;

    fn bal(on_hand: i32, reserved: i32) -> Balance {
        Balance { on_hand, reserved }
    }

    #[test]
    fn each_kind_moves_on_hand_and_reserved_as_a_warehouse_does() {
        let start = bal(10, 3);
        assert_eq!(start.available(), 7);
        assert_eq!(start.apply(Receipt, 5), Ok(bal(15, 3)));
        assert_eq!(start.apply(Adjustment, -7), Ok(bal(3, 3)));
        assert_eq!(start.apply(Adjustment, 2), Ok(bal(12, 3)));
        assert_eq!(start.apply(Reservation, 7), Ok(bal(10, 10)));
        assert_eq!(start.apply(Release, 3), Ok(bal(10, 0)));
        assert_eq!(start.apply(Shipment, 3), Ok(bal(7, 0)));
        assert_eq!(start.apply(Return, 1), Ok(bal(11, 3)));
    }

    #[test]
    fn movements_that_would_break_the_balance_are_refused() {
        let start = bal(10, 3);
        assert_eq!(
            start.apply(Adjustment, -8),
            Err(StockProblem::NotEnough { available: 7 })
        );
        assert_eq!(
            start.apply(Reservation, 8),
            Err(StockProblem::NotEnough { available: 7 })
        );
        assert_eq!(
            start.apply(Release, 4),
            Err(StockProblem::NotReserved { reserved: 3 })
        );
        assert_eq!(
            start.apply(Shipment, 4),
            Err(StockProblem::NotReserved { reserved: 3 })
        );
        assert_eq!(start.apply(Receipt, -1), Err(StockProblem::Negative));
        assert_eq!(start.apply(Receipt, 0), Err(StockProblem::Zero));
        assert_eq!(start.apply(Receipt, MAX_UNITS), Err(StockProblem::TooMany));
    }

    #[test]
    fn quantities_and_reasons_are_read_as_typed() {
        assert_eq!(parse_quantity(" +12 "), Ok(12));
        assert_eq!(parse_quantity("-3"), Ok(-3));
        assert_eq!(parse_quantity("0"), Err(StockProblem::Zero));
        assert_eq!(parse_quantity(""), Err(StockProblem::Zero));
        assert_eq!(parse_quantity("2000000"), Err(StockProblem::TooMany));
        assert_eq!(parse_quantity("abc"), Err(StockProblem::TooMany));
        assert_eq!(
            check_reason(Adjustment, "  "),
            Err(StockProblem::ReasonRequired)
        );
        assert_eq!(check_reason(Receipt, " "), Ok(String::new()));
        assert_eq!(check_reason(Adjustment, " damaged "), Ok("damaged".into()));
    }

    #[test]
    fn shelves_are_checked_and_walked_in_natural_order() {
        assert_eq!(check_shelf(" a-03-2 "), Ok(Some("A-03-2".into())));
        assert_eq!(check_shelf(""), Ok(None));
        assert_eq!(check_shelf("A--1"), Err(ShelfProblem));
        assert_eq!(check_shelf("A 1"), Err(ShelfProblem));
        assert_eq!(check_shelf(&"A".repeat(21)), Err(ShelfProblem));
        let mut shelves = vec![None, Some("B-1"), Some("A-10"), Some("A-2"), Some("A-2.3")];
        shelves.sort_by(|a, b| shelf_order(*a, *b));
        assert_eq!(
            shelves,
            vec![Some("A-2"), Some("A-2.3"), Some("A-10"), Some("B-1"), None]
        );
    }

    fn items() -> Vec<PackItem> {
        vec![
            PackItem {
                sku: "TEA-1".into(),
                barcode: Some("4600000000017".into()),
                name: "Tea".into(),
                quantity: 2,
            },
            PackItem {
                sku: "CUP-1".into(),
                barcode: None,
                name: "Cup".into(),
                quantity: 1,
            },
        ]
    }

    #[test]
    fn packing_takes_each_unit_once_and_refuses_the_wrong_item() {
        let mut packing = Packing::new(items());
        assert_eq!(packing.scan("4600000000017"), Ok(0));
        assert_eq!(packing.scan("cup-1"), Ok(1));
        assert_eq!(
            packing.scan("CUP-1"),
            Err(ScanProblem::AlreadyPacked("CUP-1".into()))
        );
        assert_eq!(
            packing.scan("SPOON-9"),
            Err(ScanProblem::NotInOrder("SPOON-9".into()))
        );
        assert_eq!(packing.scan("  "), Err(ScanProblem::Empty));
        assert_eq!(
            packing.finished(),
            Err(ScanProblem::Incomplete(vec![("TEA-1".into(), 1)]))
        );
        assert_eq!(packing.scan("TEA-1"), Ok(0));
        assert_eq!(packing.finished(), Ok(()));
        assert!(
            Packing::replay(items(), &["TEA-1".into(), "TEA-1".into(), "CUP-1".into()]).is_ok()
        );
        assert_eq!(
            Packing::replay(items(), &["TEA-1".into(), "CUP-1".into()]).map(|_| ()),
            Err(ScanProblem::Incomplete(vec![("TEA-1".into(), 1)]))
        );
    }

    #[test]
    fn parcels_are_weighed_in_kilograms() {
        let kg = |list: &[&str]| -> Vec<String> { list.iter().map(|s| s.to_string()).collect() };
        assert_eq!(parse_parcels(&kg(&["1,25", "0.4"])), Ok(vec![1250, 400]));
        assert_eq!(parse_parcels(&kg(&["2"])), Ok(vec![2000]));
        assert_eq!(parse_parcels(&[]), Err(ParcelProblem::None));
        assert_eq!(
            parse_parcels(&kg(&["1", "0"])),
            Err(ParcelProblem::BadWeight(2))
        );
        assert_eq!(
            parse_parcels(&kg(&["abc"])),
            Err(ParcelProblem::BadWeight(1))
        );
        assert_eq!(
            parse_parcels(&kg(&["101"])),
            Err(ParcelProblem::BadWeight(1))
        );
        assert_eq!(
            parse_parcels(&vec!["1".to_string(); 21]),
            Err(ParcelProblem::TooMany)
        );
        assert_eq!(kilograms(1250), "1.25");
        assert_eq!(kilograms(2000), "2");
        assert_eq!(
            tracking_numbers("rr1-a, RR2-B\nX3"),
            vec!["RR1-A", "RR2-B", "X3"]
        );
    }

    proptest::proptest! {
        /// Any sequence of movements, each applied only if the rules allow
        /// it: the balance always equals the sum of the accepted movements'
        /// effects, and never goes below zero or below what is reserved.
        #[test]
        fn the_balance_is_the_sum_of_the_ledger(
            ops in proptest::collection::vec((0usize..6, -50i32..50), 0..200)
        ) {
            let kinds = [Receipt, Adjustment, Reservation, Release, Shipment, Return];
            let mut balance = Balance::default();
            let mut ledger: Vec<Balance> = Vec::new();
            for (k, quantity) in ops {
                let kind = kinds[k];
                if let Ok(next) = balance.apply(kind, quantity) {
                    ledger.push(kind.effect(quantity));
                    balance = next;
                }
                let sum = ledger.iter().fold(Balance::default(), |s, m| Balance {
                    on_hand: s.on_hand + m.on_hand,
                    reserved: s.reserved + m.reserved,
                });
                proptest::prop_assert_eq!(balance, sum);
                proptest::prop_assert!(balance.reserved >= 0);
                proptest::prop_assert!(balance.available() >= 0);
            }
        }
    }
}
