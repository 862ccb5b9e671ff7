//! Return requests (ORD-7): opened by the customer from the order's page
//! (the order's private token is the key), decided by staff, and received
//! through the order's Return action, so the refund, restocking and status
//! follow the same rules as a return staff record at the counter.
use super::accounts::AuthUser;
use super::entities::{
    order_events, order_lines, orders, return_request_lines, return_requests, returns,
};
use super::{media, order_admin, AppState};
use crate::api::return_requests::{PhotoLink, ReturnRequestView, StaffReturnRequest};
use crate::api::AppError;
use crate::domain::checkout::{order_number, OrderStatus};
use crate::domain::money::Lang;
use crate::domain::notifications::NotificationEvent;
use crate::domain::orders::{ActionInput, OrderAction, TransitionError};
use crate::domain::return_requests::{
    check_request, decide as decide_rule, within_window, DecisionProblem, RequestDecision,
    RequestForm, RequestProblem, RequestStatus, ReturnReason,
};
use crate::domain::returns::{LineMoney, ReturnedLine};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;

/// The day the order was delivered, if it is delivered (or completed).
async fn delivered_on(
    db: &impl ConnectionTrait,
    order: &orders::Model,
) -> Result<Option<NaiveDate>, DbErr> {
    let delivered = [
        OrderStatus::Delivered.as_str(),
        OrderStatus::Completed.as_str(),
    ];
    if !delivered.contains(&order.status.as_str()) {
        return Ok(None);
    }
    Ok(order_events::Entity::find()
        .filter(order_events::Column::OrderId.eq(order.id))
        .filter(order_events::Column::Status.eq(OrderStatus::Delivered.as_str()))
        .order_by_asc(order_events::Column::Id)
        .one(db)
        .await?
        .map(|e| e.created_at.date_naive()))
}

/// The order's lines with the units already returned or held by open
/// requests counted as gone.
async fn lines_free(
    db: &impl ConnectionTrait,
    order: &orders::Model,
) -> Result<Vec<LineMoney>, DbErr> {
    let (_, mut lines) = super::returns::money_of(db, order).await?;
    for (line_id, units) in held(db, order.id).await? {
        if let Some(line) = lines.iter_mut().find(|l| l.line_id == line_id) {
            line.returned += units;
        }
    }
    Ok(lines)
}

/// Units per order line held by the order's open requests.
async fn held(db: &impl ConnectionTrait, order_id: i64) -> Result<HashMap<i64, u32>, DbErr> {
    let open: Vec<i64> = return_requests::Entity::find()
        .filter(return_requests::Column::OrderId.eq(order_id))
        .filter(
            return_requests::Column::Status.is_in(
                RequestStatus::ALL
                    .into_iter()
                    .filter(|s| s.open())
                    .map(RequestStatus::as_str),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let mut out = HashMap::new();
    for line in return_request_lines::Entity::find()
        .filter(return_request_lines::Column::RequestId.is_in(open))
        .all(db)
        .await?
    {
        *out.entry(line.order_line_id).or_default() += line.quantity.max(0) as u32;
    }
    Ok(out)
}

/// Whether the customer may still ask to return something from the order.
pub async fn can_request(
    db: &impl ConnectionTrait,
    order: &orders::Model,
    today: NaiveDate,
) -> Result<bool, DbErr> {
    let Some(delivered) = delivered_on(db, order).await? else {
        return Ok(false);
    };
    if !within_window(delivered, today) {
        return Ok(false);
    }
    let lines = lines_free(db, order).await?;
    Ok(lines.iter().any(|l| l.ordered > l.returned))
}

/// Opens a request for the order with this private token. The photos are
/// stored (resized, metadata dropped) before the request is written.
pub async fn open(
    state: &AppState,
    token: &str,
    form: RequestForm,
    photos: Vec<Vec<u8>>,
    now: DateTime<Utc>,
) -> Result<Result<i64, RequestProblem>, AppError> {
    if token.len() < 20 {
        return Err(AppError::NotFound);
    }
    let order = orders::Entity::find()
        .filter(orders::Column::Token.eq(token))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = RequestForm {
        photos: photos.len(),
        ..form
    };
    let check =
        |lines: &[LineMoney], delivered| check_request(&form, lines, delivered, now.date_naive());
    let delivered = delivered_on(&state.db, &order).await?;
    if let Err(problem) = check(&lines_free(&state.db, &order).await?, delivered) {
        return Ok(Err(problem));
    }
    let mut links = Vec::with_capacity(photos.len());
    for bytes in photos {
        match media::store_upload(&state.db, &state.config.media_dir, bytes).await {
            Ok(stored) => links.push(PhotoLink {
                thumb: format!("/media/{}-{}.jpg", stored.key, stored.widths[0]),
                full: format!(
                    "/media/{}-{}.jpg",
                    stored.key,
                    stored.widths[stored.widths.len() - 1]
                ),
            }),
            Err(media::MediaError::Io(e)) => {
                tracing::error!(error = %e, "storing a return photo failed");
                return Err(AppError::Internal);
            }
            Err(media::MediaError::Db(e)) => return Err(e.into()),
            Err(_) => return Ok(Err(RequestProblem::BadPhoto)),
        }
    }
    let txn = super::begin_write(&state.db).await?;
    // Checked again under the order's lock: two requests at once cannot
    // both take the same units.
    let order = orders::Entity::find_by_id(order.id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let valid = match check(&lines_free(&txn, &order).await?, delivered) {
        Ok(valid) => valid,
        Err(problem) => return Ok(Err(problem)),
    };
    let request = return_requests::ActiveModel {
        order_id: Set(order.id),
        status: Set(RequestStatus::Requested.as_str().into()),
        reason: Set(valid.reason.as_str().into()),
        comment: Set(valid.comment.clone()),
        photos: Set(serde_json::to_string(&links).map_err(|_| AppError::Internal)?),
        reply: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for line in &valid.lines {
        return_request_lines::ActiveModel {
            request_id: Set(request.id),
            order_line_id: Set(line.line_id),
            quantity: Set(line.quantity as i32),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    order_events::ActiveModel {
        order_id: Set(order.id),
        status: Set("return_requested".into()),
        actor_user_id: Set(order.user_id),
        note: Set(valid
            .reason
            .label(if order.lang == "en" {
                Lang::En
            } else {
                Lang::Ru
            })
            .into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Ok(request.id))
}

/// Requests with their lines' names, newest first.
async fn views(
    db: &impl ConnectionTrait,
    requests: Vec<return_requests::Model>,
    lang: Lang,
) -> Result<Vec<ReturnRequestView>, DbErr> {
    let ids: Vec<i64> = requests.iter().map(|r| r.id).collect();
    let lines = return_request_lines::Entity::find()
        .filter(return_request_lines::Column::RequestId.is_in(ids))
        .order_by_asc(return_request_lines::Column::Id)
        .all(db)
        .await?;
    let names: HashMap<i64, String> = order_lines::Entity::find()
        .filter(order_lines::Column::Id.is_in(lines.iter().map(|l| l.order_line_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    Ok(requests
        .into_iter()
        .map(|r| {
            let status = RequestStatus::parse(&r.status).unwrap_or(RequestStatus::Requested);
            ReturnRequestView {
                id: r.id,
                status,
                status_label: status.label(lang).into(),
                reason: ReturnReason::parse(&r.reason)
                    .map_or(r.reason.clone(), |reason| reason.label(lang).into()),
                comment: r.comment,
                reply: r.reply,
                created_at: r.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                items: lines
                    .iter()
                    .filter(|l| l.request_id == r.id)
                    .map(|l| {
                        (
                            names.get(&l.order_line_id).cloned().unwrap_or_default(),
                            l.quantity.max(0) as u32,
                        )
                    })
                    .collect(),
                photos: serde_json::from_str(&r.photos).unwrap_or_default(),
            }
        })
        .collect())
}

/// The order's requests, newest first, for its pages.
pub async fn for_order(
    db: &impl ConnectionTrait,
    order_id: i64,
    lang: Lang,
) -> Result<Vec<ReturnRequestView>, DbErr> {
    let requests = return_requests::Entity::find()
        .filter(return_requests::Column::OrderId.eq(order_id))
        .order_by_desc(return_requests::Column::Id)
        .all(db)
        .await?;
    if requests.is_empty() {
        return Ok(Vec::new());
    }
    views(db, requests, lang).await
}

/// Most requests `/admin/returns` lists at once.
pub const QUEUE_MAX: u64 = 200;

/// Requests for `/admin/returns`: open ones (oldest first, as they wait),
/// or all (newest first).
pub async fn queue(
    db: &impl ConnectionTrait,
    open_only: bool,
    lang: Lang,
) -> Result<Vec<StaffReturnRequest>, DbErr> {
    let mut find = return_requests::Entity::find();
    find = if open_only {
        find.filter(return_requests::Column::Status.is_in([
            RequestStatus::Requested.as_str(),
            RequestStatus::Accepted.as_str(),
        ]))
        .order_by_asc(return_requests::Column::Id)
    } else {
        find.order_by_desc(return_requests::Column::Id)
    };
    let requests = find.limit(QUEUE_MAX).all(db).await?;
    let order_ids: Vec<i64> = requests.iter().map(|r| r.order_id).collect();
    let order_of: HashMap<i64, i64> = requests.iter().map(|r| (r.id, r.order_id)).collect();
    let customers: HashMap<i64, (String, String)> = orders::Entity::find()
        .filter(orders::Column::Id.is_in(order_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, (o.name, o.phone)))
        .collect();
    Ok(views(db, requests, lang)
        .await?
        .into_iter()
        .map(|request| {
            let order_id = order_of.get(&request.id).copied().unwrap_or_default();
            let (name, phone) = customers.get(&order_id).cloned().unwrap_or_default();
            StaffReturnRequest {
                order_number: order_number(order_id),
                customer: format!("{name}, {phone}"),
                request,
            }
        })
        .collect())
}

/// Why staff's decision was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DecisionRefused {
    Request(DecisionProblem),
    /// Receiving goes through the order's Return action, which refused.
    Order(TransitionError),
}

/// Accepts, rejects or receives a request. The status moves only from the
/// status the rules saw, so two staff members cannot both receive it.
pub async fn decide(
    state: &AppState,
    staff: &AuthUser,
    id: i64,
    decision: RequestDecision,
    reply: &str,
    lang: Lang,
) -> Result<Result<(), DecisionRefused>, AppError> {
    let request = return_requests::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let from = RequestStatus::parse(&request.status).unwrap_or(RequestStatus::Requested);
    let (to, reply) = match decide_rule(from, decision, reply) {
        Ok(next) => next,
        Err(problem) => return Ok(Err(DecisionRefused::Request(problem))),
    };
    let now = Utc::now();
    let txn = super::begin_write(&state.db).await?;
    let moved = return_requests::Entity::update_many()
        .col_expr(return_requests::Column::Status, Expr::value(to.as_str()))
        .col_expr(return_requests::Column::Reply, Expr::value(reply.clone()))
        .col_expr(return_requests::Column::DecidedAt, Expr::value(Some(now)))
        .col_expr(
            return_requests::Column::DecidedBy,
            Expr::value(Some(staff.id)),
        )
        .filter(return_requests::Column::Id.eq(id))
        .filter(return_requests::Column::Status.eq(from.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        let now_status = return_requests::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .and_then(|r| RequestStatus::parse(&r.status))
            .unwrap_or(from);
        return Ok(Err(DecisionRefused::Request(DecisionProblem::NotFrom(
            now_status,
        ))));
    }
    let RequestDecision::Receive { restock } = decision else {
        let event = if to == RequestStatus::Accepted {
            NotificationEvent::ReturnAccepted
        } else {
            NotificationEvent::ReturnRejected
        };
        tell_customer(state, &txn, request.order_id, event, now).await?;
        txn.commit().await?;
        return Ok(Ok(()));
    };
    txn.commit().await?;
    let lines: Vec<ReturnedLine> = return_request_lines::Entity::find()
        .filter(return_request_lines::Column::RequestId.eq(id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|l| ReturnedLine {
            line_id: l.order_line_id,
            quantity: l.quantity.max(0) as u32,
        })
        .collect();
    let reason = ReturnReason::parse(&request.reason)
        .map_or(request.reason.clone(), |r| r.label(lang).to_string());
    let input = ActionInput {
        reason: format!("{reason}. {}", request.comment)
            .trim_end_matches(". ")
            .to_string(),
        returned: lines,
        write_off: !restock,
        ..Default::default()
    };
    let number = order_number(request.order_id);
    match order_admin::act(state, staff, &number, OrderAction::Return, &input).await? {
        Ok(_) => {
            let recorded = returns::Entity::find()
                .filter(returns::Column::OrderId.eq(request.order_id))
                .order_by_desc(returns::Column::Id)
                .one(&state.db)
                .await?
                .map(|r| r.id);
            let txn = super::begin_write(&state.db).await?;
            return_requests::Entity::update_many()
                .col_expr(return_requests::Column::ReturnId, Expr::value(recorded))
                .filter(return_requests::Column::Id.eq(id))
                .exec(&txn)
                .await?;
            let event = NotificationEvent::ReturnReceived;
            tell_customer(state, &txn, request.order_id, event, now).await?;
            txn.commit().await?;
            Ok(Ok(()))
        }
        Err(refused) => {
            // Back to accepted: the goods were not taken in.
            return_requests::Entity::update_many()
                .col_expr(return_requests::Column::Status, Expr::value(from.as_str()))
                .filter(return_requests::Column::Id.eq(id))
                .exec(&state.db)
                .await?;
            Ok(Err(DecisionRefused::Order(refused)))
        }
    }
}

/// Queues the customer's message about their request (ORD-5).
async fn tell_customer(
    state: &AppState,
    txn: &impl ConnectionTrait,
    order_id: i64,
    event: NotificationEvent,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let order = orders::Entity::find_by_id(order_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    super::notifications::enqueue(txn, state, event, &order, now).await?;
    Ok(())
}
