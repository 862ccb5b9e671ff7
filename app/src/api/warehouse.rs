//! The warehouse in the back office (WMS-1 … WMS-4): `/admin/warehouse`.
//! Warehouse staff see the orders to pick, pack and hand over with only
//! what that work needs, the stock with its shelves, and the movement
//! ledger; receipts and adjustments are the only ways to change stock by
//! hand.
use super::admin_orders::BulkOutcome;
use super::AppError;
use crate::domain::money::Lang;
use crate::domain::orders::TransitionError;
use crate::domain::warehouse::{
    MovementKind, PackItem, ParcelProblem, ScanProblem, ShelfProblem, StockProblem,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Stock rows and ledger rows per page.
pub const WAREHOUSE_PAGE: u64 = 50;

/// An order as the warehouse sees it: no customer contacts, no prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarehouseOrder {
    pub number: String,
    pub created_at: String,
    pub status: String,
    pub status_label: String,
    pub delivery_code: String,
    pub delivery: String,
    /// Units in the order.
    pub units: u32,
    /// The goods' weight from the catalog, to check the scale against.
    pub weight_grams: u32,
    /// Parcels recorded at packing, with their weights in grams.
    pub parcels: Vec<u32>,
    /// The carrier needs a tracking number per parcel.
    pub needs_tracking: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarehouseBoard {
    /// Paid, or confirmed and paid at the door: ready to pick.
    pub to_pick: Vec<WarehouseOrder>,
    pub picking: Vec<WarehouseOrder>,
    /// Packed, waiting for the carrier.
    pub packed: Vec<WarehouseOrder>,
}

/// A variant's stock in one warehouse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockRow {
    pub variant_id: i64,
    pub sku: String,
    pub barcode: Option<String>,
    pub name: String,
    pub options: String,
    pub warehouse_id: i64,
    pub warehouse: String,
    pub on_hand: i32,
    pub reserved: i32,
    pub available: i32,
    pub shelf: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockPage {
    pub rows: Vec<StockRow>,
    pub pages: u64,
    pub warehouses: Vec<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovementRow {
    pub at: String,
    pub kind: MovementKind,
    pub sku: String,
    pub warehouse: String,
    pub on_hand_delta: i32,
    pub reserved_delta: i32,
    pub order: Option<String>,
    pub reason: String,
    pub actor: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovementPage {
    pub rows: Vec<MovementRow>,
    pub pages: u64,
}

/// A receipt or an adjustment typed by warehouse staff.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StockMoveForm {
    /// A SKU or a barcode.
    pub code: String,
    pub warehouse_id: i64,
    /// Receipts are positive; an adjustment may be negative.
    pub quantity: String,
    pub reason: String,
    pub adjustment: bool,
}

/// What a receipt or adjustment did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MoveOutcome {
    Done(StockRow),
    Refused(StockProblem),
}

/// The packing screen's order (WMS-3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackingView {
    pub order: WarehouseOrder,
    pub items: Vec<PackItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PackOutcome {
    Packed,
    BadScan(ScanProblem),
    BadParcels(ParcelProblem),
    Refused(TransitionError),
}

#[server(endpoint = "warehouse_queue", input = Json)]
pub async fn warehouse_queue(lang: Lang) -> Result<WarehouseBoard, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{warehouse, web};
    let state = web::state()?;
    web::require(Permission::RunWarehouse).await?;
    Ok(warehouse::queue(&state.db, lang).await?)
}

#[server(endpoint = "warehouse_stock", input = Json)]
pub async fn warehouse_stock(
    search: String,
    warehouse_id: Option<i64>,
    page: u64,
    lang: Lang,
) -> Result<StockPage, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{warehouse, web};
    let state = web::state()?;
    web::require(Permission::RunWarehouse).await?;
    Ok(warehouse::stock_page(&state.db, &search, warehouse_id, page, lang).await?)
}

#[server(endpoint = "warehouse_movements", input = Json)]
pub async fn warehouse_movements(search: String, page: u64) -> Result<MovementPage, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{warehouse, web};
    let state = web::state()?;
    web::require(Permission::RunWarehouse).await?;
    Ok(warehouse::movements(&state.db, &search, page).await?)
}

#[server(endpoint = "warehouse_move", input = Json)]
pub async fn warehouse_move(form: StockMoveForm, lang: Lang) -> Result<MoveOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{warehouse, web};
    let state = web::state()?;
    let staff = web::require(Permission::RunWarehouse).await?;
    warehouse::move_stock(&state, &staff, &form, lang).await
}

#[server(endpoint = "warehouse_shelf", input = Json)]
pub async fn warehouse_shelf(
    variant_id: i64,
    warehouse_id: i64,
    shelf: String,
) -> Result<Result<Option<String>, ShelfProblem>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{warehouse, web};
    let state = web::state()?;
    let staff = web::require(Permission::RunWarehouse).await?;
    warehouse::set_shelf(&state.db, &staff, variant_id, warehouse_id, &shelf).await
}

/// "Start picking" for the chosen orders, each through the state machine.
#[server(endpoint = "warehouse_start_picking", input = Json)]
pub async fn warehouse_start_picking(numbers: Vec<String>) -> Result<BulkOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::domain::orders::{ActionInput, OrderAction};
    use crate::server::{order_admin, web};
    let state = web::state()?;
    let staff = web::require(Permission::RunWarehouse).await?;
    let each = numbers
        .into_iter()
        .map(|n| (n, ActionInput::default()))
        .collect::<Vec<_>>();
    order_admin::act_each(&state, &staff, OrderAction::StartPicking, &each).await
}

#[server(endpoint = "warehouse_packing", input = Json)]
pub async fn warehouse_packing(number: String, lang: Lang) -> Result<PackingView, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{warehouse, web};
    let state = web::state()?;
    web::require(Permission::RunWarehouse).await?;
    warehouse::packing(&state.db, &number, lang)
        .await?
        .ok_or(AppError::NotFound)
}

/// Marks the order packed once every scanned code checks out against its
/// lines and the parcels are weighed.
#[server(endpoint = "warehouse_pack", input = Json)]
pub async fn warehouse_pack(
    number: String,
    scans: Vec<String>,
    weights_kg: Vec<String>,
) -> Result<PackOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{warehouse, web};
    let state = web::state()?;
    let staff = web::require(Permission::RunWarehouse).await?;
    warehouse::pack(&state, &staff, &number, &scans, &weights_kg).await
}

/// Hands packed orders to the carrier: each with its tracking numbers (one
/// per parcel), each through the state machine; the manifest is printed
/// for the ones that went.
#[server(endpoint = "warehouse_handover", input = Json)]
pub async fn warehouse_handover(shipments: Vec<(String, String)>) -> Result<BulkOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::domain::orders::{ActionInput, OrderAction};
    use crate::server::{order_admin, web};
    let state = web::state()?;
    let staff = web::require(Permission::RunWarehouse).await?;
    let each = shipments
        .into_iter()
        .map(|(number, tracking)| {
            (
                number,
                ActionInput {
                    tracking_number: tracking,
                    ..Default::default()
                },
            )
        })
        .collect::<Vec<_>>();
    order_admin::act_each(&state, &staff, OrderAction::Ship, &each).await
}
