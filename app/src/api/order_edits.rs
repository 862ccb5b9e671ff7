//! Editing an order before picking (ORD-6): `/admin/orders/<number>/edit`.
//! The page asks for a preview on every change (priced and reserved by
//! checkout's code inside a transaction that is rolled back), then saves.
use super::AppError;
use crate::domain::delivery::DeliveryQuote;
use crate::domain::money::Lang;
use crate::domain::order_edits::{EditProblem, OrderEdit};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The order as the editor opens it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditDraft {
    pub number: String,
    pub edit: OrderEdit,
    /// Each line's label (name, options, SKU) by variant.
    pub labels: Vec<(i64, String)>,
}

/// One line of the edited order, priced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PricedLine {
    pub variant_id: i64,
    pub unit_price: Decimal,
    pub quantity: u32,
    pub line_total: Decimal,
    /// Units no warehouse has now, ordered ahead (the product allows it).
    pub backordered: u32,
}

/// The order as it would be after the edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditPreview {
    pub lines: Vec<PricedLine>,
    pub subtotal: Decimal,
    pub discounts: Vec<(String, Decimal)>,
    pub delivery_price: Decimal,
    pub total: Decimal,
    /// The total before the edit.
    pub total_before: Decimal,
    /// Money already received; the rest is due.
    pub paid: Decimal,
    /// Every delivery method with its price for the edited goods.
    pub quotes: Vec<DeliveryQuote>,
    /// The order's promo code no longer gives its discount: why.
    pub promo_note: Option<String>,
    /// What changes, as the timeline will say it.
    pub changes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EditOutcome {
    /// Nothing was saved.
    Preview(Box<EditPreview>),
    Saved(Box<EditPreview>),
    Refused(EditProblem),
}

#[server(endpoint = "admin_order_edit_draft", input = Json)]
pub async fn admin_order_edit_draft(number: String, lang: Lang) -> Result<EditDraft, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{order_edits, web};
    let state = web::state()?;
    web::require(Permission::HandleOrders).await?;
    let snapshot = web::catalog().await?;
    order_edits::draft(&state.db, &snapshot, &number, lang)
        .await?
        .ok_or(AppError::NotFound)
}

/// `save: false` previews; `true` saves, as one transaction.
#[server(endpoint = "admin_order_edit", input = Json)]
pub async fn admin_order_edit(
    number: String,
    edit: OrderEdit,
    save: bool,
    lang: Lang,
) -> Result<EditOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{order_edits, web};
    let state = web::state()?;
    let staff = web::require(Permission::HandleOrders).await?;
    let snapshot = web::catalog().await?;
    order_edits::edit(&state, &snapshot, &staff, &number, &edit, save, lang).await
}
