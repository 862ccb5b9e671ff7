//! The order queue and order actions in the back office (ORD-1, ORD-2,
//! ORD-6). Every action goes through `domain::orders::transition`; the
//! status changes with a conditional update, so two staff members clicking
//! at once cannot both move the same order.
use super::accounts::AuthUser;
use super::admin::{record, Actor as AuditActor};
use super::catalog::Snapshot;
use super::entities::{delivery_methods, order_events, order_notes, orders, parcels, payments};
use super::text_match::contains_ignoring_case;
use super::{notifications, returns, stock_ledger, AppState};
use crate::api::admin_orders::{
    BulkOutcome, OrderFilter, OrderQueue, OrderRow, OrderSort, StaffNote, StaffOrder, BULK_MAX,
    ORDERS_PER_PAGE,
};
use crate::api::AppError;
use crate::domain::accounts::{role_allows, Permission, Role};
use crate::domain::catalog::from_minor;
use crate::domain::checkout::{order_id, order_number, OrderStatus, PaymentMethod};
use crate::domain::delivery::DeliveryKind;
use crate::domain::money::Lang;
use crate::domain::notifications::NotificationEvent;
use crate::domain::orders::{
    available_actions, check_note, transition, ActionInput, Actor, NoteProblem, OrderAction,
    OrderFacts, TransitionError,
};
use crate::domain::payments::{check_part_payment, PartPaymentProblem};
use crate::domain::returns::{check_return, everything_left};
use crate::domain::warehouse::tracking_numbers;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend,
    DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

fn status_label(status: &str, lang: Lang) -> String {
    OrderStatus::parse(status)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| status.to_string())
}

/// The search box: an order number, phone digits, or part of an e-mail or name.
fn search_condition(backend: DbBackend, text: &str) -> Option<Condition> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut any = Condition::any();
    if let Some(id) = order_id(text) {
        any = any.add(orders::Column::Id.eq(id));
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.len() >= 4 {
        any = any.add(orders::Column::Phone.contains(&digits));
    }
    let contains =
        |column: orders::Column| contains_ignoring_case(backend, Expr::col(column), text);
    any = any
        .add(contains(orders::Column::Email))
        .add(contains(orders::Column::Name));
    Some(any)
}

pub async fn queue(
    db: &DatabaseConnection,
    filter: &OrderFilter,
    lang: Lang,
) -> Result<OrderQueue, DbErr> {
    let mut query = orders::Entity::find();
    if let Some(status) = &filter.status {
        query = query.filter(orders::Column::Status.eq(status.clone()));
    }
    match filter.paid {
        Some(true) => query = query.filter(orders::Column::PaymentStatus.eq("paid")),
        Some(false) => query = query.filter(orders::Column::PaymentStatus.ne("paid")),
        None => {}
    }
    if let Some(code) = &filter.delivery {
        query = query.filter(orders::Column::DeliveryCode.eq(code.clone()));
    }
    if let Some(from) = filter.from.and_then(|d| d.and_hms_opt(0, 0, 0)) {
        query = query.filter(orders::Column::CreatedAt.gte(from.and_utc()));
    }
    if let Some(to) = filter
        .to
        .and_then(|d| d.succ_opt())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        query = query.filter(orders::Column::CreatedAt.lt(to.and_utc()));
    }
    if let Some(found) = search_condition(db.get_database_backend(), &filter.search) {
        query = query.filter(found);
    }
    query = match filter.sort {
        OrderSort::Newest => query.order_by_desc(orders::Column::Id),
        OrderSort::Oldest => query.order_by_asc(orders::Column::Id),
        OrderSort::LargestTotal => query
            .order_by_desc(orders::Column::TotalMinor)
            .order_by_desc(orders::Column::Id),
    };
    let pages = query.paginate(db, ORDERS_PER_PAGE);
    let totals = pages.num_items_and_pages().await?;
    let rows = pages
        .fetch_page(filter.page)
        .await?
        .into_iter()
        .map(|o| OrderRow {
            number: order_number(o.id),
            created_at: o.created_at.format("%Y-%m-%d %H:%M").to_string(),
            status_label: status_label(&o.status, lang),
            status: o.status,
            name: o.name,
            phone: o.phone,
            email: o.email,
            delivery: o.delivery_name,
            payment: PaymentMethod::parse(&o.payment_method)
                .map(|p| p.label(lang).to_string())
                .unwrap_or(o.payment_method),
            paid: o.payment_status == "paid",
            total: from_minor(o.total_minor),
        })
        .collect();
    let per_status: Vec<(String, i64)> = orders::Entity::find()
        .select_only()
        .column(orders::Column::Status)
        .column_as(orders::Column::Id.count(), "orders")
        .group_by(orders::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let counts = OrderStatus::ALL
        .into_iter()
        .map(|s| {
            let n = per_status
                .iter()
                .find(|(code, _)| code == s.as_str())
                .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0));
            (s.as_str().to_string(), s.label(lang).to_string(), n)
        })
        .collect();
    let delivery_methods = delivery_methods::Entity::find()
        .order_by_asc(delivery_methods::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let name = match lang {
                Lang::Ru => m.name_ru,
                Lang::En => m.name_en,
            };
            (m.code, name)
        })
        .collect();
    Ok(OrderQueue {
        rows,
        found: totals.number_of_items,
        pages: totals.number_of_pages,
        counts,
        delivery_methods,
    })
}

async fn facts(db: &impl ConnectionTrait, order: &orders::Model) -> Result<OrderFacts, DbErr> {
    let kind = delivery_methods::Entity::find()
        .filter(delivery_methods::Column::Code.eq(order.delivery_code.clone()))
        .one(db)
        .await?
        .and_then(|m| DeliveryKind::parse(&m.kind));
    Ok(OrderFacts {
        status: OrderStatus::parse(&order.status).unwrap_or(OrderStatus::New),
        payment: PaymentMethod::parse(&order.payment_method)
            .unwrap_or(PaymentMethod::CashOnDelivery),
        paid: order.payment_status == "paid",
        // A pickup point may be the shop's own showroom: no tracking number needed.
        carrier: matches!(kind, Some(DeliveryKind::Courier | DeliveryKind::Post)),
        parcels: parcels::Entity::find()
            .filter(parcels::Column::OrderId.eq(order.id))
            .count(db)
            .await? as u32,
        try_on: order.try_on,
        units_left: returns::money_of(db, order)
            .await?
            .1
            .iter()
            .map(|l| l.ordered.saturating_sub(l.returned))
            .sum(),
    })
}

pub async fn staff_order(
    db: &DatabaseConnection,
    snapshot: &Snapshot,
    number: &str,
    role: Role,
    lang: Lang,
) -> Result<Option<StaffOrder>, DbErr> {
    let Some(id) = order_id(number) else {
        return Ok(None);
    };
    let Some(order) = orders::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let facts = facts(db, &order).await?;
    let notes = order_notes::Entity::find()
        .filter(order_notes::Column::OrderId.eq(id))
        .order_by_asc(order_notes::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|n| StaffNote {
            author: n.author_email,
            at: n.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            text: n.text,
        })
        .collect();
    let closed = [
        OrderStatus::Cancelled.as_str(),
        OrderStatus::Returned.as_str(),
    ];
    let can_take_payment = role_allows(role, Permission::TakePayments)
        && order.payment_status != "paid"
        && !closed.contains(&order.status.as_str());
    let can_edit =
        crate::domain::order_edits::check_editable(facts.status, order.payment_status == "paid")
            .is_ok();
    Ok(Some(StaffOrder {
        can_take_payment,
        can_edit,
        actions: available_actions(&facts, role),
        customer_id: order.customer_id,
        channel: order.channel.clone(),
        order: super::orders::view_of(db, snapshot, order, lang).await?,
        notes,
    }))
}

/// Adds a staff note to an order; the customer never sees it.
pub async fn add_note(
    db: &DatabaseConnection,
    staff: &AuthUser,
    number: &str,
    text: &str,
) -> Result<Result<(), NoteProblem>, AppError> {
    let id = order_id(number).ok_or(AppError::NotFound)?;
    let text = match check_note(text) {
        Ok(t) => t,
        Err(problem) => return Ok(Err(problem)),
    };
    orders::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    order_notes::ActiveModel {
        order_id: Set(id),
        author_id: Set(Some(staff.id)),
        author_email: Set(staff.email.clone()),
        text: Set(text),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Ok(()))
}

/// The message an action sends the customer, if any.
fn notification_for(action: OrderAction) -> Option<NotificationEvent> {
    match action {
        OrderAction::Confirm => Some(NotificationEvent::OrderConfirmed),
        OrderAction::RecordPayment => Some(NotificationEvent::OrderPaid),
        OrderAction::Ship => Some(NotificationEvent::OrderShipped),
        OrderAction::Deliver => Some(NotificationEvent::OrderDelivered),
        OrderAction::Cancel => Some(NotificationEvent::OrderCancelled),
        OrderAction::NoAnswer
        | OrderAction::StartPicking
        | OrderAction::Pack
        | OrderAction::Complete
        | OrderAction::Return => None,
    }
}

/// Takes an action on an order: the rules decide, then in one transaction
/// the status moves (only from the status the rules saw), stock goes back
/// if the order is cancelled, the timeline and the audit log record who,
/// when and why, and the customer's message is queued.
pub async fn act(
    state: &AppState,
    staff: &AuthUser,
    number: &str,
    action: OrderAction,
    input: &ActionInput,
) -> Result<Result<OrderStatus, TransitionError>, AppError> {
    act_as(state, Acting::Staff(staff), number, action, input).await
}

/// Who takes an order action.
#[derive(Clone, Copy)]
pub enum Acting<'a> {
    Staff(&'a AuthUser),
    /// A carrier adapter (by its code) reporting every parcel delivered.
    Carrier(&'a str),
}

impl Acting<'_> {
    fn actor(self) -> Actor {
        match self {
            Acting::Staff(staff) => Actor::Staff(staff.role()),
            Acting::Carrier(_) => Actor::Carrier,
        }
    }

    fn user_id(self) -> Option<i64> {
        match self {
            Acting::Staff(staff) => Some(staff.id),
            Acting::Carrier(_) => None,
        }
    }

    fn audit(&self) -> AuditActor<'_> {
        match self {
            Acting::Staff(staff) => AuditActor::User(staff),
            Acting::Carrier(code) => AuditActor::Carrier(code),
        }
    }
}

/// [`act`] for any actor.
pub async fn act_as(
    state: &AppState,
    who: Acting<'_>,
    number: &str,
    action: OrderAction,
    input: &ActionInput,
) -> Result<Result<OrderStatus, TransitionError>, AppError> {
    let id = order_id(number).ok_or(AppError::NotFound)?;
    let txn = super::begin_write(&state.db).await?;
    let order = orders::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = facts(&txn, &order).await?;
    // Units coming back (a try-on at the door, a return), checked against the lines.
    let mut input = input.clone();
    input.returned.retain(|r| r.quantity > 0);
    let coming_back = matches!(action, OrderAction::Deliver | OrderAction::Return);
    if coming_back {
        let (_, lines) = returns::money_of(&txn, &order).await?;
        if action == OrderAction::Return && input.returned.is_empty() {
            input.returned = everything_left(&lines);
        }
        if !input.returned.is_empty() {
            match check_return(&lines, &input.returned) {
                Ok(checked) => input.returned = checked,
                Err(problem) => return Ok(Err(TransitionError::Return(problem))),
            }
        }
    }
    let input = &input;
    let next = match transition(&facts, action, who.actor(), input) {
        Ok(next) => next,
        Err(refused) => return Ok(Err(refused)),
    };
    let now = Utc::now();
    let numbers = tracking_numbers(&input.tracking_number);
    let tracking = numbers.join(" ");
    let mut update = orders::Entity::update_many()
        .col_expr(orders::Column::Status, Expr::value(next.to.as_str()))
        .col_expr(orders::Column::UpdatedAt, Expr::value(now));
    if next.mark_paid {
        update = update.col_expr(orders::Column::PaymentStatus, Expr::value("paid"));
    }
    if action == OrderAction::Ship && !numbers.is_empty() {
        // The customer's page and messages show the first parcel's number;
        // every parcel keeps its own.
        update = update.col_expr(
            orders::Column::TrackingNumber,
            Expr::value(numbers[0].clone()),
        );
    }
    let moved = update
        .filter(orders::Column::Id.eq(id))
        .filter(orders::Column::Status.eq(order.status.clone()))
        .filter(orders::Column::PaymentStatus.eq(order.payment_status.clone()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        // Someone else moved the order in between: refuse from where it is now.
        let now_status = orders::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .and_then(|o| OrderStatus::parse(&o.status))
            .unwrap_or(facts.status);
        return Ok(Err(TransitionError::NotFrom(now_status)));
    }
    let why = stock_ledger::Why {
        order_id: Some(id),
        reason: input.reason.trim(),
        actor: who.user_id(),
        at: now,
    };
    let released = if next.release_stock {
        stock_ledger::release_order(&txn, id, why).await?
    } else {
        Vec::new()
    };
    let mut note_extra = String::new();
    if coming_back && !input.returned.is_empty() {
        let refund = returns::record(
            &txn,
            &order,
            returns::Coming {
                at_door: action == OrderAction::Deliver,
                lines: &input.returned,
                restock: !input.write_off,
            },
            why,
        )
        .await?;
        let units: u32 = input.returned.iter().map(|r| r.quantity).sum();
        note_extra = format!("↩ {units} · {refund}");
    }
    match action {
        OrderAction::Pack => record_parcels(&txn, id, &input.parcels).await?,
        OrderAction::Ship => {
            stock_ledger::ship_order(&txn, id, why).await?;
            for (seq, number) in numbers.iter().enumerate() {
                parcels::Entity::update_many()
                    .col_expr(parcels::Column::TrackingNumber, Expr::value(number.clone()))
                    .filter(parcels::Column::OrderId.eq(id))
                    .filter(parcels::Column::Seq.eq(seq as i32 + 1))
                    .exec(&txn)
                    .await?;
            }
        }
        _ => {}
    }
    let note = match action {
        OrderAction::Ship if !tracking.is_empty() => format!("{tracking} {}", input.reason.trim())
            .trim()
            .to_string(),
        _ => input.reason.trim().to_string(),
    };
    let note = format!("{note} {note_extra}").trim().to_string();
    let event = match action {
        OrderAction::RecordPayment => "paid",
        OrderAction::NoAnswer => "no_answer",
        _ => next.to.as_str(),
    };
    order_events::ActiveModel {
        order_id: Set(id),
        status: Set(event.into()),
        actor_user_id: Set(who.user_id()),
        note: Set(note.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        who.audit(),
        &format!("order.{}", action.as_str()),
        "order",
        &order_number(id),
        Some(serde_json::json!({ "status": order.status, "payment_status": order.payment_status })),
        Some(serde_json::json!({
            "status": next.to.as_str(), "paid": next.mark_paid || order.payment_status == "paid",
            "note": note,
        })),
    )
    .await?;
    if let Some(event) = notification_for(action) {
        let updated = orders::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        notifications::enqueue(&txn, state, event, &updated, now).await?;
    }
    txn.commit().await?;
    if !released.is_empty() {
        state
            .catalog
            .stock_changed(&state.db, Some(&released))
            .await?;
    }
    Ok(Ok(next.to))
}

/// Money received for the order so far: its settled payments, online
/// and taken by staff (ORD-6).
pub async fn paid_so_far(db: &impl ConnectionTrait, order_id: i64) -> Result<i64, DbErr> {
    Ok(payments::Entity::find()
        .filter(payments::Column::OrderId.eq(order_id))
        .filter(payments::Column::Status.eq("succeeded"))
        .all(db)
        .await?
        .iter()
        .map(|p| p.amount_minor)
        .sum())
}

/// The money for an order is all in: it is paid, and moves on by the
/// state machine's payment rule where that applies. Paid in full after it
/// left (say, before a cash-on-delivery courier), the status stays.
pub(crate) async fn mark_paid(
    txn: &impl ConnectionTrait,
    order: &orders::Model,
    actor: Actor,
    now: chrono::DateTime<Utc>,
) -> Result<(), DbErr> {
    let facts = facts(txn, order).await?;
    let next = transition(
        &facts,
        OrderAction::RecordPayment,
        actor,
        &ActionInput::default(),
    );
    let status = next.map_or(order.status.clone(), |n| n.to.as_str().to_string());
    orders::Entity::update_many()
        .col_expr(orders::Column::PaymentStatus, Expr::value("paid"))
        .col_expr(orders::Column::Status, Expr::value(status))
        .col_expr(orders::Column::UpdatedAt, Expr::value(now))
        .filter(orders::Column::Id.eq(order.id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Why a part payment was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartPaymentRefused {
    Forbidden,
    Problem(PartPaymentProblem),
}

/// Records money staff received for an order (cash at the office, a bank
/// transfer), all or part of what it owes (ORD-6). The last part makes the
/// order paid, through the state machine's payment rule where it applies.
pub async fn take_part_payment(
    state: &AppState,
    staff: &AuthUser,
    number: &str,
    amount: &str,
) -> Result<Result<(), PartPaymentRefused>, AppError> {
    if !role_allows(staff.role(), Permission::TakePayments) {
        return Ok(Err(PartPaymentRefused::Forbidden));
    }
    let id = order_id(number).ok_or(AppError::NotFound)?;
    let txn = super::begin_write(&state.db).await?;
    let order = orders::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let closed = [
        OrderStatus::Cancelled.as_str(),
        OrderStatus::Returned.as_str(),
    ];
    let paid = paid_so_far(&txn, id).await?;
    let due = if order.payment_status == "paid" || closed.contains(&order.status.as_str()) {
        0
    } else {
        std::cmp::max(order.total_minor - paid, 0)
    };
    let amount = match check_part_payment(amount, from_minor(due)) {
        Ok(amount) => amount,
        Err(problem) => return Ok(Err(PartPaymentRefused::Problem(problem))),
    };
    let amount_minor = crate::domain::catalog::to_minor(amount).ok_or(AppError::Internal)?;
    let now = Utc::now();
    payments::ActiveModel {
        order_id: Set(id),
        provider: Set("manual".into()),
        external_id: Set(format!("man_{}", super::accounts::new_session_token().0)),
        amount_minor: Set(amount_minor),
        status: Set("succeeded".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let settled = amount_minor == due;
    if settled {
        mark_paid(&txn, &order, Actor::Staff(staff.role()), now).await?;
    }
    order_events::ActiveModel {
        order_id: Set(id),
        status: Set(if settled { "paid" } else { "part_paid" }.into()),
        actor_user_id: Set(Some(staff.id)),
        note: Set(amount.to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        AuditActor::User(staff),
        "order.part_payment",
        "order",
        &order_number(id),
        Some(serde_json::json!({ "paid_minor": paid })),
        Some(serde_json::json!({ "paid_minor": paid + amount_minor, "settled": settled })),
    )
    .await?;
    if settled {
        let updated = orders::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        notifications::enqueue(&txn, state, NotificationEvent::OrderPaid, &updated, now).await?;
    }
    txn.commit().await?;
    Ok(Ok(()))
}

/// Replaces the order's parcels with the packer's weighed boxes.
async fn record_parcels(
    txn: &impl ConnectionTrait,
    order_id: i64,
    weights: &[u32],
) -> Result<(), DbErr> {
    parcels::Entity::delete_many()
        .filter(parcels::Column::OrderId.eq(order_id))
        .exec(txn)
        .await?;
    for (seq, grams) in weights.iter().enumerate() {
        parcels::ActiveModel {
            order_id: Set(order_id),
            seq: Set(seq as i32 + 1),
            weight_grams: Set(*grams as i32),
            tracking_number: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// "Confirm selected" in the queue.
pub async fn confirm_many(
    state: &AppState,
    staff: &AuthUser,
    numbers: &[String],
) -> Result<BulkOutcome, AppError> {
    let each: Vec<(String, ActionInput)> = numbers
        .iter()
        .map(|n| (n.clone(), ActionInput::default()))
        .collect();
    act_each(state, staff, OrderAction::Confirm, &each).await
}

/// One action on many orders (bulk confirm, start picking, handover): each
/// order through `act` on its own, so one that moved meanwhile or lacks
/// its input is reported, not fatal.
pub async fn act_each(
    state: &AppState,
    staff: &AuthUser,
    action: OrderAction,
    each: &[(String, ActionInput)],
) -> Result<BulkOutcome, AppError> {
    let mut outcome = BulkOutcome {
        done: Vec::new(),
        refused: Vec::new(),
    };
    for (number, input) in each.iter().take(BULK_MAX) {
        match act(state, staff, number, action, input).await? {
            Ok(_) => outcome.done.push(number.clone()),
            Err(why) => outcome.refused.push((number.clone(), why)),
        }
    }
    Ok(outcome)
}
