//! Parcel tracking (LOG-2) behind a [`Carrier`] adapter: a poller asks each
//! carrier about the parcels of shipped orders and records every new
//! status once (a unique event key makes polling from several app instances
//! harmless); staff add statuses by hand for carriers without an API. When
//! every parcel of an order is delivered, the order is delivered through
//! the state machine, as the carrier (cash on delivery becomes paid). A
//! try-on order waits for the courier's record of what was kept.
use super::accounts::AuthUser;
use super::entities::{delivery_methods, order_events, orders, parcels, tracking_events};
use super::order_admin::{act_as, Acting};
use super::AppState;
use crate::api::checkout::{ParcelTracking, TrackingEventView};
use crate::api::AppError;
use crate::domain::checkout::{order_id, order_number, OrderStatus};
use crate::domain::delivery::tracking_link;
use crate::domain::money::Lang;
use crate::domain::orders::{ActionInput, OrderAction};
use crate::domain::tracking::{
    all_delivered, check_place, sandbox_events, ParcelStatus, TrackingProblem, CARRIERS,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set, TryInsertResult,
};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};

/// A parcel as the carrier is asked about it.
#[derive(Debug, Clone)]
pub struct ShippedParcel {
    pub number: String,
    pub shipped_at: DateTime<Utc>,
    pub to_pickup_point: bool,
}

/// One status the carrier reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarrierEvent {
    pub status: ParcelStatus,
    pub place: String,
    pub at: DateTime<Utc>,
}

/// The carrier's API did not answer; the next poll asks again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarrierUnavailable(pub String);

pub type Tracked<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<CarrierEvent>, CarrierUnavailable>> + Send + 'a>>;

pub trait Carrier: Send + Sync {
    /// The code delivery methods name it by (`domain::tracking::CARRIERS`).
    fn code(&self) -> &'static str;
    /// Everything the carrier knows about the parcel as of `now`.
    fn track<'a>(&'a self, parcel: &'a ShippedParcel, now: DateTime<Utc>) -> Tracked<'a>;
}

/// The built-in test carrier: parcels move one status every `step_secs`
/// after the handover (`domain::tracking::sandbox_story`), and like a real
/// API it is sometimes unavailable: every `fail_every`-th request fails.
pub struct SandboxCarrier {
    step_secs: i64,
    fail_every: u64,
    requests: AtomicU64,
}

impl SandboxCarrier {
    pub fn new(step_secs: i64, fail_every: u64) -> SandboxCarrier {
        SandboxCarrier {
            step_secs,
            fail_every,
            requests: AtomicU64::new(0),
        }
    }
}

impl Carrier for SandboxCarrier {
    fn code(&self) -> &'static str {
        "sandbox"
    }

    fn track<'a>(&'a self, parcel: &'a ShippedParcel, now: DateTime<Utc>) -> Tracked<'a> {
        let request = self.requests.fetch_add(1, Ordering::Relaxed) + 1;
        let failed = self.fail_every > 0 && request.is_multiple_of(self.fail_every);
        Box::pin(async move {
            if failed {
                return Err(CarrierUnavailable(
                    "sandbox carrier: 503 Service Unavailable".into(),
                ));
            }
            let elapsed = (now - parcel.shipped_at).num_seconds();
            Ok(sandbox_events(
                &parcel.number,
                parcel.to_pickup_point,
                self.step_secs,
                elapsed,
            )
            .into_iter()
            .map(|(offset, status)| CarrierEvent {
                status,
                place: String::new(),
                at: parcel.shipped_at + chrono::Duration::seconds(offset),
            })
            .collect())
        })
    }
}

/// What one poll did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PollReport {
    /// New statuses recorded.
    pub recorded: usize,
    /// Orders now delivered, by number.
    pub delivered: Vec<String>,
    /// Requests the carriers did not answer.
    pub unavailable: usize,
}

/// Asks the carriers about every parcel of every shipped order whose
/// delivery method is tracked by one of them.
pub async fn poll(
    state: &AppState,
    carriers: &[&dyn Carrier],
    now: DateTime<Utc>,
) -> Result<PollReport, AppError> {
    let db = &state.db;
    let mut report = PollReport::default();
    let methods: HashMap<String, String> = delivery_methods::Entity::find()
        .filter(delivery_methods::Column::Carrier.ne(""))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code, m.carrier))
        .collect();
    if methods.is_empty() {
        return Ok(report);
    }
    let shipped = orders::Entity::find()
        .filter(orders::Column::Status.eq(OrderStatus::Shipped.as_str()))
        .filter(orders::Column::DeliveryCode.is_in(methods.keys().cloned()))
        .order_by_asc(orders::Column::Id)
        .all(db)
        .await?;
    for order in shipped {
        let Some(carrier) = methods
            .get(&order.delivery_code)
            .and_then(|code| carriers.iter().find(|c| c.code() == code))
        else {
            continue;
        };
        let shipped_at = order_events::Entity::find()
            .filter(order_events::Column::OrderId.eq(order.id))
            .filter(order_events::Column::Status.eq(OrderStatus::Shipped.as_str()))
            .order_by_desc(order_events::Column::Id)
            .one(db)
            .await?
            .map_or(order.updated_at, |e| e.created_at);
        let mut learned = false;
        for number in parcel_numbers(db, order.id).await? {
            let parcel = ShippedParcel {
                number,
                shipped_at,
                to_pickup_point: order.pickup_point_id.is_some(),
            };
            match carrier.track(&parcel, now).await {
                Ok(events) => {
                    for event in events {
                        let key = format!(
                            "{}:{}:{}:{}",
                            carrier.code(),
                            parcel.number,
                            event.status.as_str(),
                            event.at.timestamp()
                        );
                        let event = CarrierEvent {
                            place: check_place(&event.place).unwrap_or_default(),
                            ..event
                        };
                        if insert_event(db, order.id, &parcel.number, &event, None, key).await? {
                            report.recorded += 1;
                            learned = true;
                        }
                    }
                }
                Err(CarrierUnavailable(why)) => {
                    tracing::warn!(carrier = carrier.code(), number = %parcel.number, %why, "tracking request failed");
                    report.unavailable += 1;
                }
            }
        }
        if learned && settle(state, &order, Acting::Carrier(carrier.code())).await? {
            report.delivered.push(order_number(order.id));
        }
    }
    Ok(report)
}

/// The order's tracking numbers, parcel by parcel.
async fn parcel_numbers(db: &impl ConnectionTrait, order_id: i64) -> Result<Vec<String>, DbErr> {
    Ok(parcels::Entity::find()
        .filter(parcels::Column::OrderId.eq(order_id))
        .order_by_asc(parcels::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.tracking_number)
        .filter(|n| !n.is_empty())
        .collect())
}

/// Records a status unless its key is already there; true if it was new.
async fn insert_event(
    db: &impl ConnectionTrait,
    order_id: i64,
    number: &str,
    event: &CarrierEvent,
    staff: Option<i64>,
    key: String,
) -> Result<bool, DbErr> {
    let inserted = tracking_events::Entity::insert(tracking_events::ActiveModel {
        order_id: Set(order_id),
        tracking_number: Set(number.to_string()),
        status: Set(event.status.as_str().into()),
        place: Set(event.place.clone()),
        source: Set(if staff.is_some() { "staff" } else { "carrier" }.into()),
        actor_user_id: Set(staff),
        happened_at: Set(event.at),
        event_key: Set(key),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([tracking_events::Column::EventKey])
    .exec(db)
    .await?;
    Ok(matches!(inserted, TryInsertResult::Inserted(_)))
}

/// Delivers the order once every parcel is delivered, unless the courier
/// must first record a try-on. True if the order moved.
async fn settle(
    state: &AppState,
    order: &orders::Model,
    who: Acting<'_>,
) -> Result<bool, AppError> {
    if order.try_on {
        return Ok(false);
    }
    let numbers = parcel_numbers(&state.db, order.id).await?;
    let events: Vec<(String, ParcelStatus)> = tracking_events::Entity::find()
        .filter(tracking_events::Column::OrderId.eq(order.id))
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|e| Some((e.tracking_number, ParcelStatus::parse(&e.status)?)))
        .collect();
    if !all_delivered(&numbers, events.iter().map(|(n, s)| (n.as_str(), *s))) {
        return Ok(false);
    }
    let reason = match who {
        Acting::Carrier(code) => CARRIERS
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(code, |(_, name)| name)
            .to_string(),
        Acting::Staff(_) => String::new(),
    };
    let input = ActionInput {
        reason,
        ..Default::default()
    };
    let moved = act_as(
        state,
        who,
        &order_number(order.id),
        OrderAction::Deliver,
        &input,
    )
    .await?;
    Ok(moved.is_ok())
}

/// A status entered by staff for one of a shipped order's parcels, e.g.
/// from a carrier's phone call or its website.
pub async fn add_by_hand(
    state: &AppState,
    staff: &AuthUser,
    number: &str,
    tracking_number: &str,
    status: &str,
    place: &str,
) -> Result<Result<(), TrackingProblem>, AppError> {
    let id = order_id(number).ok_or(AppError::NotFound)?;
    let order = orders::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if order.status != OrderStatus::Shipped.as_str() {
        return Ok(Err(TrackingProblem::NotOnTheWay));
    }
    let tracking_number = tracking_number.trim();
    if !parcel_numbers(&state.db, id)
        .await?
        .iter()
        .any(|n| n == tracking_number)
    {
        return Ok(Err(TrackingProblem::UnknownParcel));
    }
    let Some(status) = ParcelStatus::parse(status) else {
        return Ok(Err(TrackingProblem::UnknownStatus));
    };
    let place = match check_place(place) {
        Ok(place) => place,
        Err(problem) => return Ok(Err(problem)),
    };
    let event = CarrierEvent {
        status,
        place,
        at: Utc::now(),
    };
    // Staff may enter the same status twice (two failed attempts): the key is unique per entry.
    let key = format!(
        "staff:{}:{}",
        staff.id,
        super::accounts::new_session_token().0
    );
    insert_event(&state.db, id, tracking_number, &event, Some(staff.id), key).await?;
    settle(state, &order, Acting::Staff(staff)).await?;
    Ok(Ok(()))
}

/// Each parcel of the order with its statuses, oldest first; empty until
/// the order is handed over.
pub async fn parcels_of(
    db: &impl ConnectionTrait,
    order: &orders::Model,
    tracking_url: &str,
    lang: Lang,
) -> Result<Vec<ParcelTracking>, DbErr> {
    let numbers = parcel_numbers(db, order.id).await?;
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let events = tracking_events::Entity::find()
        .filter(tracking_events::Column::OrderId.eq(order.id))
        .order_by_asc(tracking_events::Column::HappenedAt)
        .order_by_asc(tracking_events::Column::Id)
        .all(db)
        .await?;
    Ok(numbers
        .into_iter()
        .map(|number| ParcelTracking {
            url: tracking_link(tracking_url, &number),
            events: events
                .iter()
                .filter(|e| e.tracking_number == number)
                .map(|e| TrackingEventView {
                    label: ParcelStatus::parse(&e.status)
                        .map_or(e.status.clone(), |s| s.label(lang).to_string()),
                    status: e.status.clone(),
                    at: e.happened_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                    place: e.place.clone(),
                    by_staff: e.source == "staff",
                })
                .collect(),
            number,
        })
        .collect())
}
