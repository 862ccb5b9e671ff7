//! Return requests (ORD-7): the customer's side is a plain form post (it
//! carries photos) handled by the server crate; staff decide here, in
//! `/admin/returns`.
use super::AppError;
use crate::domain::orders::TransitionError;
use crate::domain::return_requests::{DecisionProblem, RequestDecision, RequestStatus};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// A photo the customer attached: a small copy and the largest stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoLink {
    pub thumb: String,
    pub full: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnRequestView {
    pub id: i64,
    pub status: RequestStatus,
    pub status_label: String,
    pub reason: String,
    pub comment: String,
    /// Staff's answer to the customer.
    pub reply: String,
    pub created_at: String,
    /// (item, units)
    pub items: Vec<(String, u32)>,
    pub photos: Vec<PhotoLink>,
}

/// A request in `/admin/returns`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffReturnRequest {
    pub request: ReturnRequestView,
    pub order_number: String,
    /// Name and phone.
    pub customer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecisionOutcome {
    Done,
    Refused(DecisionProblem),
    OrderRefused(TransitionError),
}

#[server(endpoint = "admin_returns", input = Json)]
pub async fn admin_returns(
    open_only: bool,
    lang: crate::domain::money::Lang,
) -> Result<Vec<StaffReturnRequest>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{return_requests, web};
    let state = web::state()?;
    web::require(Permission::HandleOrders).await?;
    Ok(return_requests::queue(&state.db, open_only, lang).await?)
}

#[server(endpoint = "admin_return_decide", input = Json)]
pub async fn admin_return_decide(
    id: i64,
    decision: RequestDecision,
    reply: String,
    lang: crate::domain::money::Lang,
) -> Result<DecisionOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::return_requests::{decide, DecisionRefused};
    use crate::server::web;
    let state = web::state()?;
    let staff = web::require(Permission::HandleOrders).await?;
    Ok(
        match decide(&state, &staff, id, decision, &reply, lang).await? {
            Ok(()) => DecisionOutcome::Done,
            Err(DecisionRefused::Request(problem)) => DecisionOutcome::Refused(problem),
            Err(DecisionRefused::Order(refused)) => DecisionOutcome::OrderRefused(refused),
        },
    )
}
