//! The order queue and each order's actions in the back office (ORD-1,
//! ORD-2, ORD-6): `/admin/orders`.
use super::checkout::OrderView;
use super::AppError;
use crate::domain::orders::{ActionInput, NoteProblem, OrderAction, TransitionError};
use crate::domain::payments::PartPaymentProblem;
use crate::domain::tracking::TrackingProblem;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Orders shown per page of the queue.
pub const ORDERS_PER_PAGE: u64 = 50;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderSort {
    #[default]
    Newest,
    Oldest,
    LargestTotal,
}

/// The queue's filters, as the URL carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFilter {
    /// A status code (`new`, `confirmed`, …); `None`: all.
    pub status: Option<String>,
    /// `Some(true)`: paid only; `Some(false)`: unpaid only.
    pub paid: Option<bool>,
    /// A delivery method's code.
    pub delivery: Option<String>,
    /// Placed on or after this day (UTC).
    pub from: Option<NaiveDate>,
    /// Placed on or before this day (UTC).
    pub to: Option<NaiveDate>,
    /// An order number, phone digits, or part of an e-mail or name.
    pub search: String,
    pub sort: OrderSort,
    /// 0-based.
    pub page: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderRow {
    pub number: String,
    pub created_at: String,
    pub status: String,
    pub status_label: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub delivery: String,
    pub payment: String,
    pub paid: bool,
    pub total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderQueue {
    pub rows: Vec<OrderRow>,
    /// Orders matching the filters, over all pages.
    pub found: u64,
    pub pages: u64,
    /// Orders per status over the whole shop: (status, label, count).
    pub counts: Vec<(String, String, u64)>,
    /// The delivery methods to filter by: (code, name).
    pub delivery_methods: Vec<(String, String)>,
}

/// One order as staff see it: the customer's view plus what may be done
/// now and the staff's own notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffOrder {
    pub order: OrderView,
    pub actions: Vec<OrderAction>,
    pub notes: Vec<StaffNote>,
    /// The customer's CRM card (ORD-3).
    pub customer_id: Option<i64>,
    /// `site` or `phone` (ORD-4).
    pub channel: String,
    /// This staff member may record money received for it (ORD-6).
    #[serde(default)]
    pub can_take_payment: bool,
    /// Not picked yet nor paid in full: the goods and delivery may change (ORD-6).
    #[serde(default)]
    pub can_edit: bool,
}

/// An internal comment on an order (ORD-1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffNote {
    pub author: String,
    pub at: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ActionOutcome {
    Done(Box<StaffOrder>),
    Refused(TransitionError),
    BadNote(NoteProblem),
    BadTracking(TrackingProblem),
    BadPayment(PartPaymentProblem),
}

/// What a bulk action (confirm selected, start picking, handover) did:
/// each order on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub done: Vec<String>,
    pub refused: Vec<(String, TransitionError)>,
}

/// Most orders one bulk action takes.
pub const BULK_MAX: usize = 200;

#[server(endpoint = "admin_orders", input = Json)]
pub async fn admin_orders(
    filter: OrderFilter,
    lang: crate::domain::money::Lang,
) -> Result<OrderQueue, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{order_admin, web};
    let state = web::state()?;
    web::require(Permission::HandleOrders).await?;
    Ok(order_admin::queue(&state.db, &filter, lang).await?)
}

#[server(endpoint = "admin_order", input = Json)]
pub async fn admin_order(
    number: String,
    lang: crate::domain::money::Lang,
) -> Result<StaffOrder, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{order_admin, web};
    let state = web::state()?;
    let staff = web::require(Permission::HandleOrders).await?;
    let snapshot = web::catalog().await?;
    order_admin::staff_order(&state.db, &snapshot, &number, staff.role(), lang)
        .await?
        .ok_or(AppError::NotFound)
}

#[server(endpoint = "admin_order_act", input = Json)]
pub async fn admin_order_act(
    number: String,
    action: OrderAction,
    input: ActionInput,
    lang: crate::domain::money::Lang,
) -> Result<ActionOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{order_admin, web};
    let state = web::state()?;
    let staff = web::require(Permission::HandleOrders).await?;
    if let Err(refused) = order_admin::act(&state, &staff, &number, action, &input).await? {
        return Ok(ActionOutcome::Refused(refused));
    }
    let snapshot = web::catalog().await?;
    let order = order_admin::staff_order(&state.db, &snapshot, &number, staff.role(), lang)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ActionOutcome::Done(Box::new(order)))
}

#[server(endpoint = "admin_order_note", input = Json)]
pub async fn admin_order_note(
    number: String,
    text: String,
    lang: crate::domain::money::Lang,
) -> Result<ActionOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{order_admin, web};
    let state = web::state()?;
    let staff = web::require(Permission::HandleOrders).await?;
    if let Err(problem) = order_admin::add_note(&state.db, &staff, &number, &text).await? {
        return Ok(ActionOutcome::BadNote(problem));
    }
    let snapshot = web::catalog().await?;
    let order = order_admin::staff_order(&state.db, &snapshot, &number, staff.role(), lang)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ActionOutcome::Done(Box::new(order)))
}

/// A tracking status entered by hand for one of a shipped order's parcels (LOG-2).
#[server(endpoint = "admin_order_tracking", input = Json)]
pub async fn admin_order_tracking(
    number: String,
    tracking_number: String,
    status: String,
    place: String,
    lang: crate::domain::money::Lang,
) -> Result<ActionOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{order_admin, tracking, web};
    let state = web::state()?;
    let staff = web::require(Permission::HandleOrders).await?;
    let added =
        tracking::add_by_hand(&state, &staff, &number, &tracking_number, &status, &place).await?;
    if let Err(problem) = added {
        return Ok(ActionOutcome::BadTracking(problem));
    }
    let snapshot = web::catalog().await?;
    let order = order_admin::staff_order(&state.db, &snapshot, &number, staff.role(), lang)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ActionOutcome::Done(Box::new(order)))
}

/// Money staff received for an order, all or part of what it owes (ORD-6).
#[server(endpoint = "admin_order_payment", input = Json)]
pub async fn admin_order_payment(
    number: String,
    amount: String,
    lang: crate::domain::money::Lang,
) -> Result<ActionOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::order_admin::{self, PartPaymentRefused};
    use crate::server::web;
    let state = web::state()?;
    let staff = web::require(Permission::TakePayments).await?;
    match order_admin::take_part_payment(&state, &staff, &number, &amount).await? {
        Ok(()) => {}
        Err(PartPaymentRefused::Forbidden) => {
            return Ok(ActionOutcome::Refused(TransitionError::Forbidden))
        }
        Err(PartPaymentRefused::Problem(problem)) => return Ok(ActionOutcome::BadPayment(problem)),
    }
    let snapshot = web::catalog().await?;
    let order = order_admin::staff_order(&state.db, &snapshot, &number, staff.role(), lang)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ActionOutcome::Done(Box::new(order)))
}

/// Confirms the chosen orders from the queue (ORD-1 bulk action); each one
/// goes through the same rules as on its own page.
#[server(endpoint = "admin_orders_confirm", input = Json)]
pub async fn admin_orders_confirm(numbers: Vec<String>) -> Result<BulkOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{order_admin, web};
    let state = web::state()?;
    let staff = web::require(Permission::HandleOrders).await?;
    order_admin::confirm_many(&state, &staff, &numbers).await
}
