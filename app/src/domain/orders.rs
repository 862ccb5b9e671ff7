//! The order life cycle (ORD-2) as one pure state machine: which action may
//! move an order from which status, who may take it, and what follows
//! (stock released, the order counted as paid). The server applies the
//! answer in one transaction; the back office shows only the actions this
//! function allows.
use super::accounts::Role;
use super::checkout::{OrderStatus, PaymentMethod};
use super::money::Lang;
use super::returns::{ReturnProblem, ReturnedLine};
use super::warehouse::{shelf_order, tracking_numbers, MAX_PARCELS, MAX_PARCEL_GRAMS};
use serde::{Deserialize, Serialize};

/// Something staff (or the payment provider) does to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderAction {
    /// The operator confirmed the order with the customer (by phone).
    Confirm,
    /// The confirmation call went unanswered (ORD-4): recorded on the
    /// timeline, the order waits for the next call.
    NoAnswer,
    /// The money arrived (provider webhook, or a transfer recorded by a manager).
    RecordPayment,
    StartPicking,
    Pack,
    /// Handed to the carrier; needs a tracking number unless picked up in a showroom.
    Ship,
    Deliver,
    Complete,
    /// Needs a reason; the reserved goods go back to stock.
    Cancel,
    /// The customer sent everything back after delivery.
    Return,
}

impl OrderAction {
    pub const ALL: [OrderAction; 10] = [
        OrderAction::Confirm,
        OrderAction::NoAnswer,
        OrderAction::RecordPayment,
        OrderAction::StartPicking,
        OrderAction::Pack,
        OrderAction::Ship,
        OrderAction::Deliver,
        OrderAction::Complete,
        OrderAction::Cancel,
        OrderAction::Return,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderAction::Confirm => "confirm",
            OrderAction::NoAnswer => "no_answer",
            OrderAction::RecordPayment => "record_payment",
            OrderAction::StartPicking => "start_picking",
            OrderAction::Pack => "pack",
            OrderAction::Ship => "ship",
            OrderAction::Deliver => "deliver",
            OrderAction::Complete => "complete",
            OrderAction::Cancel => "cancel",
            OrderAction::Return => "return",
        }
    }

    pub fn parse(s: &str) -> Option<OrderAction> {
        OrderAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (ru, en) = match self {
            OrderAction::Confirm => ("Подтвердить", "Confirm"),
            OrderAction::NoAnswer => ("Не дозвонились", "No answer"),
            OrderAction::RecordPayment => ("Отметить оплату", "Record payment"),
            OrderAction::StartPicking => ("Начать сборку", "Start picking"),
            OrderAction::Pack => ("Упаковано", "Mark packed"),
            OrderAction::Ship => ("Передать в доставку", "Ship"),
            OrderAction::Deliver => ("Доставлен", "Mark delivered"),
            OrderAction::Complete => ("Завершить", "Complete"),
            OrderAction::Cancel => ("Отменить", "Cancel"),
            OrderAction::Return => ("Оформить возврат", "Record return"),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// The roles that may take the action (admins always may).
    fn allowed_for(self, role: Role) -> bool {
        use Role::*;
        match self {
            OrderAction::Confirm | OrderAction::NoAnswer | OrderAction::Cancel => {
                matches!(role, Operator | Manager | Admin)
            }
            OrderAction::RecordPayment | OrderAction::Complete | OrderAction::Return => {
                matches!(role, Manager | Admin)
            }
            OrderAction::StartPicking | OrderAction::Pack | OrderAction::Ship => {
                matches!(role, Warehouse | Manager | Admin)
            }
            OrderAction::Deliver => matches!(role, Operator | Warehouse | Manager | Admin),
        }
    }
}

/// Who acts: a staff member, the shop itself (the payment webhook), or a
/// carrier reporting every parcel delivered (LOG-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Staff(Role),
    System,
    Carrier,
}

/// What the rules need to know about the order besides its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderFacts {
    pub status: OrderStatus,
    pub payment: PaymentMethod,
    pub paid: bool,
    /// Handed to a carrier (courier, post, pickup point), so shipping needs a tracking number.
    pub carrier: bool,
    /// Parcels recorded when it was packed; each gets its own tracking number.
    pub parcels: u32,
    /// The shopper may try the goods on and hand some back at the door (LOG-3).
    pub try_on: bool,
    /// Units not returned yet.
    pub units_left: u32,
}

/// What the action asks for besides the click.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionInput {
    /// Why: required to cancel or return; otherwise an optional note.
    pub reason: String,
    /// Required to ship through a carrier: one per parcel, separated by
    /// spaces or commas.
    pub tracking_number: String,
    /// Packing: each parcel's weight in grams (WMS-3).
    #[serde(default)]
    pub parcels: Vec<u32>,
    /// Delivery with a try-on, or a return: the units coming back (checked
    /// against the order's lines by `domain::returns::check_return`). An
    /// empty list on a return means everything.
    #[serde(default)]
    pub returned: Vec<ReturnedLine>,
    /// The returned goods are written off instead of going back on sale.
    #[serde(default)]
    pub write_off: bool,
}

/// The result of an allowed action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub to: OrderStatus,
    /// The order now counts as paid (a recorded payment, or cash at the door).
    pub mark_paid: bool,
    /// The reserved units go back to their warehouses.
    pub release_stock: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransitionError {
    /// This action is not possible in the order's current status.
    NotFrom(OrderStatus),
    /// The role may not take this action.
    Forbidden,
    /// A prepaid order cannot be picked before the money arrives.
    NotPaidYet,
    ReasonRequired,
    TrackingRequired,
    /// Tracking numbers are letters, digits and dashes, up to 40.
    BadTracking,
    /// One tracking number per parcel: the order left in this many.
    TrackingPerParcel(u32),
    /// Packing records the parcels and their weights.
    ParcelsRequired,
    /// Only an order with a try-on can be partly handed back at the door.
    NoTryOn,
    /// A carrier cannot tell what was kept at a try-on: the courier records it.
    TryOnNeedsCourier,
    Return(ReturnProblem),
}

impl TransitionError {
    pub fn message(self, lang: Lang) -> String {
        let (ru, en) = match self {
            TransitionError::NotFrom(status) => {
                return match lang {
                    Lang::Ru => format!(
                        "В статусе «{}» это действие невозможно.",
                        status.label(lang)
                    ),
                    Lang::En => format!(
                        "This is not possible while the order is \"{}\".",
                        status.label(lang)
                    ),
                };
            }
            TransitionError::Forbidden => (
                "Вашей роли это действие недоступно.",
                "Your role cannot take this action.",
            ),
            TransitionError::NotPaidYet => (
                "Заказ с предоплатой собирают после оплаты.",
                "A prepaid order is picked once it is paid.",
            ),
            TransitionError::ReasonRequired => ("Укажите причину.", "Give the reason."),
            TransitionError::TrackingRequired => (
                "Укажите трек-номер отправления.",
                "Enter the parcel's tracking number.",
            ),
            TransitionError::BadTracking => (
                "Трек-номер — буквы, цифры и дефисы, до 40 знаков.",
                "A tracking number is letters, digits and dashes, up to 40.",
            ),
            TransitionError::TrackingPerParcel(n) => {
                return match lang {
                    Lang::Ru => format!("Нужен трек-номер на каждую посылку: {n}."),
                    Lang::En => format!("Enter one tracking number per parcel: {n}."),
                };
            }
            TransitionError::Return(problem) => return problem.message(lang),
            TransitionError::NoTryOn => (
                "Этот заказ без примерки: частично отказаться у двери нельзя, оформите возврат.",
                "This order has no try-on: nothing is handed back at the door; record a return instead.",
            ),
            TransitionError::TryOnNeedsCourier => (
                "Заказ с примеркой: что оставлено и что возвращено, отмечает курьер или оператор.",
                "An order with a try-on: the courier or operator records what was kept and what came back.",
            ),
            TransitionError::ParcelsRequired => (
                "Упакуйте заказ на экране упаковки: там записываются посылки и вес.",
                "Pack the order on the packing screen, which records the parcels and weight.",
            ),
        };
        match lang {
            Lang::Ru => ru.into(),
            Lang::En => en.into(),
        }
    }
}

/// Longest staff note on an order.
pub const NOTE_MAX_CHARS: usize = 2000;

/// What is wrong with a staff note (ORD-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteProblem {
    Empty,
    TooLong,
}

impl NoteProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (NoteProblem::Empty, Lang::Ru) => "Напишите текст заметки.",
            (NoteProblem::Empty, Lang::En) => "Write the note first.",
            (NoteProblem::TooLong, Lang::Ru) => "Заметка длиннее 2000 символов.",
            (NoteProblem::TooLong, Lang::En) => "The note is longer than 2,000 characters.",
        }
    }
}

/// A staff note as it will be stored: trimmed, not empty, not too long.
pub fn check_note(text: &str) -> Result<String, NoteProblem> {
    let text = text.trim();
    if text.is_empty() {
        Err(NoteProblem::Empty)
    } else if text.chars().count() > NOTE_MAX_CHARS {
        Err(NoteProblem::TooLong)
    } else {
        Ok(text.to_string())
    }
}

/// One line to take from a shelf (WMS-2): units of a SKU reserved for an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickLine {
    pub warehouse: String,
    pub shelf: Option<String>,
    pub sku: String,
    pub name: String,
    pub options: String,
    pub quantity: u32,
    pub order: String,
}

/// The pick list per warehouse: each SKU once, with its total and the
/// orders it goes to, in walking order: by shelf (numbers as numbers),
/// then SKU; items with no shelf come last.
pub fn pick_list(lines: Vec<PickLine>) -> Vec<(String, Vec<PickLine>)> {
    let mut merged: Vec<PickLine> = Vec::new();
    for line in lines {
        match merged
            .iter_mut()
            .find(|seen| seen.warehouse == line.warehouse && seen.sku == line.sku)
        {
            Some(seen) => {
                seen.quantity += line.quantity;
                if !seen.order.split(", ").any(|o| o == line.order) {
                    seen.order = format!("{}, {}", seen.order, line.order);
                }
            }
            None => merged.push(line),
        }
    }
    merged.sort_by(|a, b| {
        a.warehouse
            .cmp(&b.warehouse)
            .then_with(|| shelf_order(a.shelf.as_deref(), b.shelf.as_deref()))
            .then_with(|| a.sku.cmp(&b.sku))
    });
    let mut out: Vec<(String, Vec<PickLine>)> = Vec::new();
    for line in merged {
        match out.last_mut() {
            Some((w, lines)) if *w == line.warehouse => lines.push(line),
            _ => out.push((line.warehouse.clone(), vec![line])),
        }
    }
    out
}

/// Pays when it arrives, at the door or at the pickup point.
fn pays_on_delivery(payment: PaymentMethod) -> bool {
    matches!(
        payment,
        PaymentMethod::CashOnDelivery | PaymentMethod::CardOnDelivery
    )
}

fn tracking_ok(number: &str) -> bool {
    !number.is_empty()
        && number.len() <= 40
        && number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Decides an action on an order. Checks, in order: the actor's role, the
/// current status, then the action's own conditions.
pub fn transition(
    order: &OrderFacts,
    action: OrderAction,
    actor: Actor,
    input: &ActionInput,
) -> Result<Transition, TransitionError> {
    use OrderStatus::*;
    let allowed = match actor {
        Actor::Staff(role) => action.allowed_for(role),
        // The shop itself only records payments from the provider.
        Actor::System => action == OrderAction::RecordPayment,
        Actor::Carrier => action == OrderAction::Deliver,
    };
    if !allowed {
        return Err(TransitionError::Forbidden);
    }
    let to = |status| Transition {
        to: status,
        mark_paid: false,
        release_stock: false,
    };
    let from = order.status;
    let next = match (action, from) {
        (OrderAction::Confirm, New) => to(if order.paid { Paid } else { Confirmed }),
        (OrderAction::NoAnswer, New) => to(New),
        // Paid before confirmation: the confirmation moves it to Paid later.
        (OrderAction::RecordPayment, New) if !order.paid => Transition {
            mark_paid: true,
            ..to(New)
        },
        (OrderAction::RecordPayment, Confirmed) if !order.paid => Transition {
            mark_paid: true,
            ..to(Paid)
        },
        (OrderAction::StartPicking, Paid) => to(Picking),
        (OrderAction::StartPicking, Confirmed) => {
            if !pays_on_delivery(order.payment) {
                return Err(TransitionError::NotPaidYet);
            }
            to(Picking)
        }
        (OrderAction::Pack, Picking) => {
            let weighed = input
                .parcels
                .iter()
                .all(|g| (1..=MAX_PARCEL_GRAMS).contains(g));
            if input.parcels.is_empty() || input.parcels.len() > MAX_PARCELS || !weighed {
                return Err(TransitionError::ParcelsRequired);
            }
            to(Packed)
        }
        (OrderAction::Ship, Packed) => {
            let numbers = tracking_numbers(&input.tracking_number);
            if order.carrier && numbers.is_empty() {
                return Err(TransitionError::TrackingRequired);
            }
            if !numbers.iter().all(|n| tracking_ok(n)) {
                return Err(TransitionError::BadTracking);
            }
            if !numbers.is_empty() && order.parcels > 0 && numbers.len() != order.parcels as usize {
                return Err(TransitionError::TrackingPerParcel(order.parcels));
            }
            to(Shipped)
        }
        (OrderAction::Deliver, Shipped) => {
            if actor == Actor::Carrier && order.try_on {
                return Err(TransitionError::TryOnNeedsCourier);
            }
            let back: u32 = input.returned.iter().map(|r| r.quantity).sum();
            if back > 0 && !order.try_on {
                return Err(TransitionError::NoTryOn);
            }
            if back > 0 && back >= order.units_left {
                // Everything tried on and handed back: nothing to pay for.
                to(Returned)
            } else {
                Transition {
                    // Cash or card at the door: the money arrives with the goods.
                    mark_paid: !order.paid && pays_on_delivery(order.payment),
                    ..to(Delivered)
                }
            }
        }
        (OrderAction::Complete, Delivered) => to(Completed),
        (OrderAction::Cancel, New | Confirmed | Paid | Picking | Packed) => {
            if input.reason.trim().is_empty() {
                return Err(TransitionError::ReasonRequired);
            }
            Transition {
                release_stock: true,
                ..to(Cancelled)
            }
        }
        (OrderAction::Return, Delivered | Completed) => {
            if input.reason.trim().is_empty() {
                return Err(TransitionError::ReasonRequired);
            }
            let back: u32 = input.returned.iter().map(|r| r.quantity).sum();
            if back == 0 || back >= order.units_left {
                to(Returned)
            } else {
                // A partial return: the order keeps its status, the return is on record.
                to(from)
            }
        }
        _ => return Err(TransitionError::NotFrom(from)),
    };
    Ok(next)
}

/// The actions to offer this role on this order: those the rules allow,
/// assuming the form's reason and tracking number are filled in.
pub fn available_actions(order: &OrderFacts, role: Role) -> Vec<OrderAction> {
    let filled = ActionInput {
        reason: "-".into(),
        tracking_number: vec!["X-1"; order.parcels.max(1) as usize].join(" "),
        parcels: vec![1000],
        ..Default::default()
    };
    OrderAction::ALL
        .into_iter()
        .filter(|a| transition(order, *a, Actor::Staff(role), &filled).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderAction::*;
    use OrderStatus::*;

    fn facts(status: OrderStatus, payment: PaymentMethod, paid: bool) -> OrderFacts {
        OrderFacts {
            status,
            payment,
            paid,
            carrier: true,
            parcels: 1,
            try_on: false,
            units_left: 3,
        }
    }

    fn input() -> ActionInput {
        ActionInput {
            reason: "customer asked".into(),
            tracking_number: "RA123456789RU".into(),
            parcels: vec![1200],
            ..Default::default()
        }
    }

    /// Every (status, action) pair for a manager on a card-prepaid, paid
    /// order and on an unpaid cash-on-delivery one: exactly the listed pairs
    /// are allowed, with the listed result; every other pair is refused
    /// with `NotFrom` (or the named condition).
    #[test]
    fn every_status_and_action_for_prepaid_and_cash_orders() {
        let manager = Actor::Staff(Role::Manager);
        // (payment, paid, status, action) → Ok(to, mark_paid, release) or Err
        type Expected = Result<(OrderStatus, bool, bool), TransitionError>;
        let allowed = |payment, paid, status, action| -> Expected {
            use PaymentMethod::*;
            let cod = payment == CashOnDelivery;
            match (action, status) {
                (Confirm, New) => Ok((if paid { Paid } else { Confirmed }, false, false)),
                (NoAnswer, New) => Ok((New, false, false)),
                (RecordPayment, New) if !paid => Ok((New, true, false)),
                (RecordPayment, Confirmed) if !paid => Ok((Paid, true, false)),
                (StartPicking, Paid) => Ok((Picking, false, false)),
                (StartPicking, Confirmed) if cod => Ok((Picking, false, false)),
                (StartPicking, Confirmed) => Err(TransitionError::NotPaidYet),
                (Pack, Picking) => Ok((Packed, false, false)),
                (Ship, Packed) => Ok((Shipped, false, false)),
                (Deliver, Shipped) => Ok((Delivered, cod && !paid, false)),
                (Complete, Delivered) => Ok((Completed, false, false)),
                (Cancel, New | Confirmed | Paid | Picking | Packed) => Ok((Cancelled, false, true)),
                (Return, Delivered | Completed) => Ok((Returned, false, false)),
                _ => Err(TransitionError::NotFrom(status)),
            }
        };
        let mut checked = 0;
        for (payment, paid) in [
            (PaymentMethod::CardOnline, true),
            (PaymentMethod::CardOnline, false),
            (PaymentMethod::CashOnDelivery, false),
        ] {
            for status in OrderStatus::ALL {
                for action in OrderAction::ALL {
                    let got = transition(&facts(status, payment, paid), action, manager, &input())
                        .map(|t| (t.to, t.mark_paid, t.release_stock));
                    assert_eq!(
                        got,
                        allowed(payment, paid, status, action),
                        "{payment:?} paid={paid} {status:?} {action:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 3 * 10 * 10);
    }

    #[test]
    fn each_role_takes_only_its_actions() {
        // The first status each action applies to, on an unpaid cash order.
        let from = |action| match action {
            Confirm | NoAnswer | RecordPayment => New,
            StartPicking => Confirmed,
            Pack => Picking,
            Ship => Packed,
            Deliver => Shipped,
            Complete | Return => Delivered,
            Cancel => New,
        };
        let may = |role: Role, action| match role {
            Role::Admin | Role::Manager => true,
            Role::Operator => matches!(action, Confirm | NoAnswer | Cancel | Deliver),
            Role::Warehouse => matches!(action, StartPicking | Pack | Ship | Deliver),
            Role::Customer => false,
        };
        for role in Role::ALL {
            for action in OrderAction::ALL {
                let order = facts(from(action), PaymentMethod::CashOnDelivery, false);
                let result = transition(&order, action, Actor::Staff(role), &input());
                assert_eq!(result.is_ok(), may(role, action), "{role:?} {action:?}");
                if !may(role, action) {
                    assert_eq!(result, Err(TransitionError::Forbidden));
                }
            }
        }
        // The payment webhook may only record a payment.
        for action in OrderAction::ALL {
            let order = facts(from(action), PaymentMethod::CardOnline, false);
            let result = transition(&order, action, Actor::System, &input());
            assert_eq!(result.is_ok(), action == RecordPayment, "{action:?}");
        }
        // A carrier may only report the order delivered, and not a try-on,
        // whose outcome only the courier knows.
        for action in OrderAction::ALL {
            let order = facts(from(action), PaymentMethod::CashOnDelivery, false);
            let result = transition(&order, action, Actor::Carrier, &input());
            assert_eq!(result.is_ok(), action == Deliver, "{action:?}");
        }
        let delivered = transition(
            &facts(Shipped, PaymentMethod::CashOnDelivery, false),
            Deliver,
            Actor::Carrier,
            &input(),
        )
        .unwrap();
        assert_eq!((delivered.to, delivered.mark_paid), (Delivered, true));
        let try_on = OrderFacts {
            try_on: true,
            ..facts(Shipped, PaymentMethod::CashOnDelivery, false)
        };
        assert_eq!(
            transition(&try_on, Deliver, Actor::Carrier, &input()),
            Err(TransitionError::TryOnNeedsCourier)
        );
    }

    #[test]
    fn cancelling_needs_a_reason_and_shipping_a_tracking_number() {
        let manager = Actor::Staff(Role::Manager);
        let order = facts(Packed, PaymentMethod::CardOnline, true);
        let blank = ActionInput::default();
        assert_eq!(
            transition(&order, Cancel, manager, &blank),
            Err(TransitionError::ReasonRequired)
        );
        assert_eq!(
            transition(&order, Ship, manager, &blank),
            Err(TransitionError::TrackingRequired)
        );
        let bad = ActionInput {
            tracking_number: "RA/123'--".into(),
            ..blank.clone()
        };
        assert_eq!(
            transition(&order, Ship, manager, &bad),
            Err(TransitionError::BadTracking)
        );
        // Picked up in the shop's own showroom: no carrier, no tracking number.
        let showroom = OrderFacts {
            carrier: false,
            ..order
        };
        assert!(transition(&showroom, Ship, manager, &blank).is_ok());
        // Two parcels: two numbers, no fewer, no more.
        let two = OrderFacts {
            parcels: 2,
            ..order
        };
        let numbers = |text: &str| ActionInput {
            tracking_number: text.into(),
            ..blank.clone()
        };
        assert_eq!(
            transition(&two, Ship, manager, &numbers("RA1")),
            Err(TransitionError::TrackingPerParcel(2))
        );
        assert!(transition(&two, Ship, manager, &numbers("RA1, RA2")).is_ok());
        // Packing records at least one weighed parcel.
        let picking = facts(Picking, PaymentMethod::CardOnline, true);
        assert_eq!(
            transition(&picking, Pack, manager, &blank),
            Err(TransitionError::ParcelsRequired)
        );
        let weightless = ActionInput {
            parcels: vec![0],
            ..blank.clone()
        };
        assert_eq!(
            transition(&picking, Pack, manager, &weightless),
            Err(TransitionError::ParcelsRequired)
        );
        let delivered = facts(Delivered, PaymentMethod::CardOnline, true);
        assert_eq!(
            transition(&delivered, Return, manager, &blank),
            Err(TransitionError::ReasonRequired)
        );
    }

    #[test]
    fn goods_come_back_at_the_door_only_with_a_try_on_and_partly_keep_the_status() {
        let manager = Actor::Staff(Role::Manager);
        let shipped = OrderFacts {
            try_on: true,
            ..facts(Shipped, PaymentMethod::CashOnDelivery, false)
        };
        let back = |n| ActionInput {
            returned: vec![ReturnedLine {
                line_id: 1,
                quantity: n,
            }],
            ..Default::default()
        };
        // One of three handed back: delivered, and the rest paid for at the door.
        assert_eq!(
            transition(&shipped, Deliver, manager, &back(1)),
            Ok(Transition {
                to: Delivered,
                mark_paid: true,
                release_stock: false
            })
        );
        // All three: the order is returned and nothing is paid.
        assert_eq!(
            transition(&shipped, Deliver, manager, &back(3)),
            Ok(Transition {
                to: Returned,
                mark_paid: false,
                release_stock: false
            })
        );
        let plain = OrderFacts {
            try_on: false,
            ..shipped
        };
        assert_eq!(
            transition(&plain, Deliver, manager, &back(1)),
            Err(TransitionError::NoTryOn)
        );
        // After delivery: a partial return keeps the status, the last units return the order.
        let delivered = facts(Delivered, PaymentMethod::CardOnline, true);
        let because = |n| ActionInput {
            reason: "too small".into(),
            ..back(n)
        };
        assert_eq!(
            transition(&delivered, Return, manager, &because(1)).map(|t| t.to),
            Ok(Delivered)
        );
        assert_eq!(
            transition(&delivered, Return, manager, &because(3)).map(|t| t.to),
            Ok(Returned)
        );
    }

    #[test]
    fn a_pick_list_groups_by_warehouse_sums_each_sku_and_walks_the_shelves() {
        let line = |warehouse: &str, sku: &str, quantity, order: &str| PickLine {
            warehouse: warehouse.into(),
            // TS-2 lies on an earlier shelf than TS-1; TS-3 has none.
            shelf: match sku {
                "TS-1" => Some("A-10".into()),
                "TS-2" => Some("A-2".into()),
                _ => None,
            },
            sku: sku.into(),
            name: sku.to_lowercase(),
            options: String::new(),
            quantity,
            order: order.into(),
        };
        let list = pick_list(vec![
            line("Moscow", "TS-2", 1, "100001"),
            line("St Petersburg", "TS-1", 2, "100002"),
            line("Moscow", "TS-1", 1, "100002"),
            line("Moscow", "TS-2", 2, "100003"),
            line("Moscow", "TS-2", 1, "100003"),
            line("Moscow", "TS-3", 1, "100001"),
        ]);
        type Row = (String, u32, String);
        let shape: Vec<(String, Vec<Row>)> = list
            .into_iter()
            .map(|(w, lines)| {
                (
                    w,
                    lines
                        .into_iter()
                        .map(|l| (l.sku, l.quantity, l.order))
                        .collect(),
                )
            })
            .collect();
        let row =
            |sku: &str, quantity, orders: &str| (sku.to_string(), quantity, orders.to_string());
        assert_eq!(
            shape,
            [
                (
                    "Moscow".to_string(),
                    vec![
                        row("TS-2", 4, "100001, 100003"),
                        row("TS-1", 1, "100002"),
                        row("TS-3", 1, "100001"),
                    ]
                ),
                ("St Petersburg".to_string(), vec![row("TS-1", 2, "100002")]),
            ]
        );
    }

    #[test]
    fn notes_are_trimmed_and_bounded() {
        assert_eq!(
            check_note("  call after 6 pm \n"),
            Ok("call after 6 pm".into())
        );
        assert_eq!(check_note(" \n "), Err(NoteProblem::Empty));
        assert_eq!(
            check_note(&"я".repeat(NOTE_MAX_CHARS)).map(|t| t.chars().count()),
            Ok(NOTE_MAX_CHARS)
        );
        assert_eq!(
            check_note(&"я".repeat(NOTE_MAX_CHARS + 1)),
            Err(NoteProblem::TooLong)
        );
    }

    #[test]
    fn the_offered_actions_follow_the_rules() {
        let order = facts(New, PaymentMethod::CashOnDelivery, false);
        assert_eq!(
            available_actions(&order, Role::Operator),
            [Confirm, NoAnswer, Cancel]
        );
        assert_eq!(
            available_actions(&order, Role::Manager),
            [Confirm, NoAnswer, RecordPayment, Cancel]
        );
        assert!(available_actions(&order, Role::Warehouse).is_empty());
        let confirmed = facts(Confirmed, PaymentMethod::CardOnline, false);
        assert_eq!(
            available_actions(&confirmed, Role::Warehouse),
            Vec::<OrderAction>::new(),
            "not paid yet"
        );
        let cancelled = facts(Cancelled, PaymentMethod::CardOnline, true);
        assert!(available_actions(&cancelled, Role::Admin).is_empty());
    }
}
