//! Public shop information shown in the storefront frame (CAT-4: contacts on every page).
use super::AppError;
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::money::Currency;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ShopInfo {
    /// Public base URL without a trailing slash, for canonical links and JSON-LD.
    pub base_url: String,
    pub name: String,
    pub tagline_ru: String,
    pub tagline_en: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub telegram: String,
    pub whatsapp: String,
    pub currency: Currency,
    pub free_delivery_from: Option<Decimal>,
}

#[server(endpoint = "shop_info")]
pub async fn load_shop_info() -> Result<ShopInfo, AppError> {
    let state = crate::server::web::state()?;
    let mut info = state.shop_info.get(&state.db).await?;
    info.base_url = state.config.base_url.clone();
    Ok(info)
}
