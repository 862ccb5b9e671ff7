//! Orders taken by phone (ORD-4): an operator finds or starts the customer,
//! picks the goods, and places the order through the same pricing, stock
//! and delivery rules as the site's checkout. Pricing on the page uses the
//! shop's own cart pricing (`cart_price`).
use super::checkout::PlaceOutcome;
use super::customers::CustomerRow;
use super::AppError;
use crate::domain::cart::{CartChoices, StoredCart};
use crate::domain::checkout::CheckoutForm;
use crate::domain::money::Lang;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A variant the operator can add, found by name, SKU or barcode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantPick {
    pub variant_id: i64,
    pub sku: String,
    pub name: String,
    pub options: String,
    pub price: Decimal,
    /// Units for sale now.
    pub in_stock: i64,
    /// Can be ordered although none is in stock.
    pub backorder: bool,
}

/// What a callback request brings to the phone order page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackPrefill {
    pub name: String,
    pub phone: String,
    /// The cart the shopper had when they asked for the call.
    pub cart: StoredCart,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhoneOrder {
    /// Made when the page opened; the same key twice places one order.
    pub key: String,
    pub cart: StoredCart,
    pub choices: CartChoices,
    pub form: CheckoutForm,
    /// The CRM record chosen after the phone search; `None`: a new customer
    /// (or one matched by phone).
    pub customer_id: Option<i64>,
    /// The callback request this call answers.
    pub callback_id: Option<i64>,
}

/// Customers whose phone, name or e-mail matches (at most 10).
#[server(endpoint = "admin_phone_customers", input = Json)]
pub async fn admin_phone_customers(
    search: String,
    lang: Lang,
) -> Result<Vec<CustomerRow>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{phone_orders, web};
    let state = web::state()?;
    web::require(Permission::HandleOrders).await?;
    Ok(phone_orders::find_customers(&state.db, &search, lang).await?)
}

#[server(endpoint = "admin_phone_products", input = Json)]
pub async fn admin_phone_products(query: String, lang: Lang) -> Result<Vec<VariantPick>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{phone_orders, web};
    web::require(Permission::HandleOrders).await?;
    let snapshot = web::catalog().await?;
    Ok(phone_orders::find_variants(&snapshot, &query, lang))
}

#[server(endpoint = "admin_phone_callback", input = Json)]
pub async fn admin_phone_callback(id: i64) -> Result<CallbackPrefill, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{phone_orders, web};
    let state = web::state()?;
    web::require(Permission::HandleOrders).await?;
    phone_orders::callback_prefill(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[server(endpoint = "admin_phone_order", input = Json)]
pub async fn admin_phone_order(order: PhoneOrder, lang: Lang) -> Result<PlaceOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::orders::{place_by_phone, Origin, Request};
    use crate::server::web;
    let state = web::state()?;
    let operator = web::require(Permission::HandleOrders).await?;
    let snapshot = web::catalog().await?;
    let request = Request {
        key: order.key,
        cart: order.cart,
        choices: order.choices,
        form: order.form,
        lang,
    };
    let origin = Origin {
        operator: Some(&operator),
        customer_id: order.customer_id,
        callback_id: order.callback_id,
    };
    place_by_phone(&state, &snapshot, origin, &request).await
}
