//! The cart read (CART-1 … CART-8): the browser sends its stored lines and
//! choices, the server prices them from the catalog and the promotions as
//! they are now and says what changed.
use super::catalog::{PhotoView, ProductCard};
use super::AppError;
use crate::domain::cart::{CartChoices, CartNotice, StoredCart};
use crate::domain::catalog::Availability;
use crate::domain::delivery::{
    cart_totals, ready_in_days, DeliveryMethod, DeliveryQuote, Destination, Parcel, Readiness,
    StockAt,
};
use crate::domain::money::Lang;
use crate::domain::pricing::{Discount, Line, Totals};
use crate::domain::promotions::PromoProblem;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Another variant of the line's product, to switch to in place (CART-2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantChoice {
    pub variant_id: i64,
    /// Its options, e.g. "Red, M".
    pub label: String,
    pub available: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartLineView {
    pub variant_id: i64,
    pub product_id: i64,
    pub category_id: i64,
    pub product_slug: String,
    pub name: String,
    /// The chosen options, e.g. "Red, M".
    pub options: String,
    /// Every variant of the product, this one included; empty when it has one.
    pub variants: Vec<VariantChoice>,
    pub photo: Option<PhotoView>,
    pub unit_price: Decimal,
    pub old_price: Option<Decimal>,
    pub quantity: u32,
    pub availability: Availability,
    /// Most units that can be ordered now; `None`: only the cart's own limit.
    pub max_quantity: Option<u32>,
    pub in_stock: i64,
    /// The same units by warehouse, for the delivery date.
    pub stock: Vec<StockAt>,
    pub backorder_days: Option<u32>,
    /// Shipping weight of one unit.
    pub weight_g: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartNoticeView {
    pub notice: CartNotice,
    /// The product the notice is about, when the catalog still knows it.
    pub name: Option<String>,
}

/// The typed promo code and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromoStatus {
    pub code: String,
    /// The promotion's name, when the code exists.
    pub name: Option<String>,
    /// `None`: applied.
    pub problem: Option<PromoProblem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartView {
    pub lines: Vec<CartLineView>,
    pub notices: Vec<CartNoticeView>,
    /// What the shopper saves against old prices.
    pub savings: Decimal,
    /// The promotions applied, as rules, so the browser can re-total at once.
    pub discount_rules: Vec<Discount>,
    pub promo: Option<PromoStatus>,
    pub delivery_methods: Vec<DeliveryMethod>,
    pub today: NaiveDate,
    /// The chosen delivery method's code, if it is still offered.
    pub chosen_delivery: Option<String>,
    /// Where the shopper said the parcel goes, if anywhere yet.
    pub destination: Option<Destination>,
    pub totals: Totals,
    pub delivery: Vec<DeliveryQuote>,
    /// The cart as the server accepted it; the browser stores this copy.
    pub cart: StoredCart,
}

impl CartView {
    /// The view's numbers for other quantities of the same lines, or another
    /// delivery or destination: what the browser shows the moment the
    /// shopper changes one, before the server's answer (which wins) arrives.
    /// The server computes its own numbers with this very function.
    pub fn totals_for(
        &self,
        cart: &StoredCart,
        delivery: Option<&str>,
        to: Option<&Destination>,
    ) -> (Totals, Vec<DeliveryQuote>) {
        let quantity = |l: &CartLineView| cart.quantity_of(l.variant_id);
        let lines: Vec<Line> = self
            .lines
            .iter()
            .filter(|l| quantity(l) > 0)
            .map(|l| Line {
                variant_id: l.variant_id,
                product_id: l.product_id,
                category_id: l.category_id,
                unit_price: l.unit_price,
                quantity: quantity(l),
            })
            .collect();
        let readiness: Vec<Readiness> = self
            .lines
            .iter()
            .map(|l| Readiness {
                quantity: quantity(l),
                stock: &l.stock,
                backorder_days: l.backorder_days,
            })
            .collect();
        let parcel = Parcel {
            grams: self
                .lines
                .iter()
                .map(|l| l.weight_g.saturating_mul(quantity(l)))
                .fold(0, u32::saturating_add),
            to: to.cloned(),
        };
        cart_totals(
            &lines,
            &self.discount_rules,
            &self.delivery_methods,
            ready_in_days(&readiness),
            &parcel,
            self.today,
            delivery,
        )
    }
}

#[server(endpoint = "cart_price", input = Json)]
pub async fn price_cart(
    cart: StoredCart,
    choices: CartChoices,
    lang: Lang,
) -> Result<CartView, AppError> {
    use crate::server::{cart, web};
    let state = web::state()?;
    let snapshot = web::catalog().await?;
    let customer = web::current_user().await?.map(|u| format!("user:{}", u.id));
    Ok(cart::view(
        &state,
        &snapshot,
        &cart,
        &choices,
        customer.as_deref(),
        chrono::Utc::now(),
        lang,
    )
    .await?)
}

/// A product suggested in the cart, with the variant one tap adds (`None`:
/// the shopper must choose a size or colour on the product page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartSuggestion {
    pub card: ProductCard,
    pub quick_add: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartSuggestions {
    /// Related to what is in the cart (CART-5).
    pub related: Vec<CartSuggestion>,
    /// Recently viewed in this browser, for an empty cart.
    pub recent: Vec<CartSuggestion>,
}

#[server(endpoint = "cart_suggestions", input = Json)]
pub async fn suggest_for_cart(
    in_cart: Vec<i64>,
    recent: Vec<i64>,
    lang: Lang,
) -> Result<CartSuggestions, AppError> {
    /// Most product ids a suggestions request looks at.
    const MAX_SUGGESTION_INPUT: usize = 50;
    let snapshot = crate::server::web::catalog().await?;
    let cap = |ids: Vec<i64>| {
        ids.into_iter()
            .take(MAX_SUGGESTION_INPUT)
            .collect::<Vec<_>>()
    };
    Ok(crate::server::storefront::cart_suggestions(
        &snapshot,
        &cap(in_cart),
        &cap(recent),
        lang,
    ))
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
