//! "Call me back" (CART-6) and the operators' queue (ORD-4).
use super::AppError;
use crate::domain::callbacks::{CallbackProblem, CallbackStatus};
use crate::domain::cart::StoredCart;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A cart line as it was when the shopper asked for a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackItem {
    /// Kept so an operator can turn the request into a phone order (ORD-4).
    #[serde(default)]
    pub variant_id: Option<i64>,
    pub name: String,
    pub options: String,
    pub quantity: u32,
    pub unit_price: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackRow {
    pub id: i64,
    pub created_at: String,
    pub name: String,
    pub phone: String,
    pub items: Vec<CallbackItem>,
    pub total: Decimal,
    pub status: CallbackStatus,
    pub note: String,
    pub handled_by: Option<String>,
    pub handled_at: Option<String>,
    /// The phone order the call ended in.
    pub order_number: Option<String>,
}

/// Asks the shop to call back; problems come back for the form (empty: done).
#[server(endpoint = "callback_request", input = Json)]
pub async fn request_callback(
    name: String,
    phone: String,
    cart: StoredCart,
) -> Result<Vec<CallbackProblem>, AppError> {
    use crate::server::{callbacks, web};
    let state = web::state()?;
    let snapshot = web::catalog().await?;
    let user = web::current_user().await?;
    callbacks::request(&state, &snapshot, user.as_ref(), &name, &phone, &cart).await
}

#[server(endpoint = "admin_callbacks")]
pub async fn admin_callbacks(all: bool) -> Result<Vec<CallbackRow>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{callbacks, web};
    let state = web::state()?;
    web::require(Permission::HandleCallbacks).await?;
    callbacks::queue(&state, all).await
}

#[server(endpoint = "admin_callback_update")]
pub async fn admin_callback_update(id: i64, status: String, note: String) -> Result<(), AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{callbacks, web};
    let state = web::state()?;
    let actor = web::require(Permission::HandleCallbacks).await?;
    let status = CallbackStatus::parse(&status).ok_or(AppError::NotFound)?;
    callbacks::update(&state, &actor, id, status, &note).await
}
