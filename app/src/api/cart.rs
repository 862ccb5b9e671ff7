//! The cart read (CART-1 … CART-8): the browser sends its stored lines, the
//! server prices them from the catalog as it is now and says what changed.
use super::catalog::PhotoView;
use super::AppError;
use crate::domain::cart::{CartNotice, StoredCart};
use crate::domain::catalog::Availability;
use crate::domain::money::Lang;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartLineView {
    pub variant_id: i64,
    pub product_slug: String,
    pub name: String,
    /// The chosen options, e.g. "Red, M".
    pub options: String,
    pub photo: Option<PhotoView>,
    pub unit_price: Decimal,
    pub old_price: Option<Decimal>,
    pub quantity: u32,
    pub line_total: Decimal,
    pub availability: Availability,
    /// Most units that can be ordered now; `None`: only the cart's own limit.
    pub max_quantity: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartNoticeView {
    pub notice: CartNotice,
    /// The product the notice is about, when the catalog still knows it.
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartView {
    pub lines: Vec<CartLineView>,
    pub notices: Vec<CartNoticeView>,
    pub subtotal: Decimal,
    /// What the shopper saves against old prices.
    pub savings: Decimal,
    pub total: Decimal,
    /// The cart as the server accepted it; the browser stores this copy.
    pub cart: StoredCart,
}

#[server(endpoint = "cart_price", input = Json)]
pub async fn price_cart(cart: StoredCart, lang: Lang) -> Result<CartView, AppError> {
    let snapshot = crate::server::web::catalog().await?;
    Ok(crate::server::cart::view(&snapshot, &cart, lang))
}

/// The signed-in customer's stored cart; `None` for a visitor.
#[server(endpoint = "cart_account")]
pub async fn load_account_cart() -> Result<Option<StoredCart>, AppError> {
    use crate::server::{cart, web};
    let state = web::state()?;
    match web::current_user().await? {
        Some(user) => Ok(Some(cart::account_cart(&state.db, user.id).await?)),
        None => Ok(None),
    }
}

/// Stores the signed-in customer's cart after a change in this browser.
#[server(endpoint = "cart_save", input = Json)]
pub async fn save_account_cart(cart: StoredCart) -> Result<(), AppError> {
    use crate::server::{cart as carts, web};
    let state = web::state()?;
    let user = web::require_user().await?;
    Ok(carts::save_account_cart(&state.db, user.id, &cart).await?)
}
