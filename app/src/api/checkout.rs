//! Checkout and the customer's orders (CHK-1 … CHK-5, LOG-2).
use super::cart::CartView;
use super::AppError;
use crate::domain::cart::{CartChoices, StoredCart};
use crate::domain::checkout::{CheckoutForm, CheckoutProblem};
use crate::domain::money::Lang;
use crate::domain::promotions::PromoProblem;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What became of "Place order".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PlaceOutcome {
    /// The order exists (now, or from an earlier click with the same key).
    Placed {
        token: String,
        number: String,
    },
    /// Fields to fix, each shown next to its field.
    Problems(Vec<CheckoutProblem>),
    /// Stock or prices changed since the cart was shown: here is the cart as
    /// it is now, for the shopper to look at before placing the order.
    CartChanged(Box<CartView>),
    /// The typed promo code cannot be used (any more).
    Promo(PromoProblem),
    /// Sold out while the shopper was checking out.
    OutOfStock(Vec<String>),
    EmptyCart,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickupPointView {
    pub id: i64,
    pub name: String,
    pub city: String,
    pub address: String,
    pub hours: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub line_id: i64,
    pub variant_id: i64,
    pub name: String,
    pub options: String,
    pub sku: String,
    pub unit_price: Decimal,
    pub quantity: u32,
    pub line_total: Decimal,
    pub product_slug: Option<String>,
    /// Units that came back (ORD-7, LOG-3).
    pub returned: u32,
}

/// Goods that came back, and the money that followed (ORD-7, LOG-3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnView {
    pub at_door: bool,
    pub label: String,
    pub at: String,
    /// (item, units)
    pub items: Vec<(String, u32)>,
    /// Refunded, or at the door not collected.
    pub refund: Decimal,
    /// Back on sale (false: written off).
    pub restocked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderEventView {
    pub status: String,
    pub label: String,
    pub at: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub number: String,
    /// The private key of the order's page and documents.
    pub token: String,
    /// Paid by bank transfer: there is an invoice to download.
    pub invoice: bool,
    /// Paid by the bank's credit: "pay" means applying (again).
    pub credit: bool,
    pub status: String,
    pub status_label: String,
    pub payment: String,
    pub paid: bool,
    /// Paid by card online and not paid yet: the page offers to pay (again).
    pub can_pay: bool,
    /// The latest payment attempt has no result from the bank yet.
    pub payment_pending: bool,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub delivery: String,
    pub address: String,
    pub delivery_date: NaiveDate,
    /// The courier waits while the shopper tries the goods on.
    pub try_on: bool,
    /// Set once the parcel is with the carrier (LOG-2).
    pub tracking: Option<TrackingView>,
    pub lines: Vec<OrderLineView>,
    pub goods: Decimal,
    pub discounts: Vec<(String, Decimal)>,
    pub delivery_price: Decimal,
    pub total: Decimal,
    pub comment: String,
    pub created_at: String,
    pub timeline: Vec<OrderEventView>,
    pub returns: Vec<ReturnView>,
    /// All refunds together (or, at the door, not collected).
    pub refunded: Decimal,
    /// Each parcel's tracking statuses once handed over (LOG-2).
    #[serde(default)]
    pub parcels: Vec<ParcelTracking>,
    /// Delivered recently enough, with units left to send back (ORD-7).
    #[serde(default)]
    pub can_request_return: bool,
    /// The customer's return requests, newest first.
    #[serde(default)]
    pub return_requests: Vec<super::return_requests::ReturnRequestView>,
    /// Money received so far, online and taken by staff (ORD-6).
    #[serde(default)]
    pub paid_amount: Decimal,
}

/// One parcel on its way (LOG-2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParcelTracking {
    pub number: String,
    /// The carrier's page for this parcel, when the method has one.
    pub url: Option<String>,
    /// Oldest first.
    pub events: Vec<TrackingEventView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackingEventView {
    pub status: String,
    pub label: String,
    pub at: String,
    pub place: String,
    /// Entered by staff rather than reported by the carrier.
    pub by_staff: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackingView {
    pub number: String,
    /// The carrier's page for this parcel, when the method has one.
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub token: Option<String>,
    pub number: String,
    pub created_at: String,
    pub status_label: String,
    pub total: Decimal,
    pub items: u32,
}

/// Places the order. `key` is made when checkout opens; sending the same
/// request again (double click, retry after a timeout) returns the same order.
#[server(endpoint = "checkout_place", input = Json)]
pub async fn place_order(
    key: String,
    cart: StoredCart,
    choices: CartChoices,
    form: CheckoutForm,
    lang: Lang,
) -> Result<PlaceOutcome, AppError> {
    use crate::server::{orders, web};
    let state = web::state()?;
    let snapshot = web::catalog().await?;
    let user = web::current_user().await?;
    orders::place(
        &state,
        &snapshot,
        user.as_ref(),
        &orders::Request {
            key,
            cart,
            choices,
            form,
            lang,
        },
    )
    .await
}

#[server(endpoint = "checkout_pickup_points")]
pub async fn load_pickup_points(method: String) -> Result<Vec<PickupPointView>, AppError> {
    use crate::server::{orders, web};
    let state = web::state()?;
    Ok(orders::pickup_points(&state.db, &method).await?)
}

/// An order by its private link (guests) — the link is the key.
#[server(endpoint = "order_by_token")]
pub async fn load_order(token: String, lang: Lang) -> Result<OrderView, AppError> {
    use crate::server::{orders, web};
    let state = web::state()?;
    let snapshot = web::catalog().await?;
    orders::by_token(&state.db, &snapshot, &token, lang)
        .await?
        .ok_or(AppError::NotFound)
}

/// Starts paying an order by card online; the answer is the provider's page.
#[server(endpoint = "order_pay")]
pub async fn start_payment(token: String) -> Result<String, AppError> {
    use crate::server::{payments, web};
    let state = web::state()?;
    let provider = payments::provider(&state);
    payments::start(&state, &provider, &token).await
}

/// The signed-in customer's orders, newest first (LOG-2).
#[server(endpoint = "account_orders")]
pub async fn my_orders(lang: Lang) -> Result<Vec<OrderSummary>, AppError> {
    use crate::server::{orders, web};
    let state = web::state()?;
    let user = web::require_user().await?;
    Ok(orders::of_user(&state.db, user.id, lang).await?)
}

/// A signed-in customer's order by number.
#[server(endpoint = "account_order")]
pub async fn my_order(number: String, lang: Lang) -> Result<OrderView, AppError> {
    use crate::server::{orders, web};
    let state = web::state()?;
    let snapshot = web::catalog().await?;
    let user = web::require_user().await?;
    orders::of_user_by_number(&state.db, &snapshot, user.id, &number, lang)
        .await?
        .ok_or(AppError::NotFound)
}

/// A delivery address the signed-in customer used before (CHK-1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedAddress {
    pub id: i64,
    pub city: String,
    pub address: String,
    pub postcode: String,
}

/// The signed-in customer's last addresses, newest first; none for a guest.
#[server(endpoint = "account_addresses")]
pub async fn my_addresses() -> Result<Vec<SavedAddress>, AppError> {
    use crate::server::{orders, web};
    let state = web::state()?;
    match web::current_user().await? {
        Some(user) => Ok(orders::saved_addresses(&state.db, user.id).await?),
        None => Ok(Vec::new()),
    }
}

#[server(endpoint = "account_address_forget")]
pub async fn forget_address(id: i64) -> Result<(), AppError> {
    use crate::server::{orders, web};
    let state = web::state()?;
    let user = web::require_user().await?;
    orders::forget_address(&state.db, user.id, id).await
}
