//! Catalog management server functions (CAT-5), for managers and admins.
use super::AppError;
use crate::domain::catalog::editing::{CategoryForm, FieldProblem, InfoPageForm, ProductForm};
use crate::domain::catalog::OptionValue;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminProductRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub category: String,
    pub price_min: Option<Decimal>,
    pub price_max: Option<Decimal>,
    pub stock: i64,
    pub variants: usize,
    pub published: bool,
    pub thumb: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminProductList {
    pub rows: Vec<AdminProductRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryOption {
    pub id: i64,
    /// With its parents: "Одежда › Футболки".
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarehouseView {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoAdminView {
    pub id: i64,
    pub thumb: String,
    pub alt_ru: String,
    pub alt_en: String,
    /// The option value (its code) this photo shows, e.g. `red`; empty: any.
    pub shows: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductEditor {
    pub form: ProductForm,
    pub photos: Vec<PhotoAdminView>,
    /// The variants' option values a photo can be linked to, colours first.
    pub photo_options: Vec<OptionValue>,
    pub categories: Vec<CategoryOption>,
    pub warehouses: Vec<WarehouseView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// Line of the CSV file (the header is line 1).
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// What a CSV import found and did.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    pub valid_only: bool,
    pub rows: usize,
    pub valid_products: usize,
    pub applied_products: usize,
    /// All problems found; `problems` lists the first few hundred.
    pub problem_count: usize,
    pub problems: Vec<ImportProblem>,
}

/// The report of an earlier import, kept in the audit log.
#[server(endpoint = "admin_import_report")]
pub async fn admin_import_report(id: i64) -> Result<ImportReport, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{catalog_csv, web};
    let state = web::state()?;
    web::require(Permission::ManageCatalog).await?;
    catalog_csv::report(&state.db, id).await
}

/// A category in the editor, with its full path and its own product count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub form: CategoryForm,
    pub path: String,
    pub products: u64,
}

/// The result of saving: stored, or the problems to show next to their fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SaveOutcome {
    Saved { id: i64, slug: String },
    Invalid(Vec<FieldProblem>),
}

#[server(endpoint = "admin_catalog_list")]
pub async fn admin_catalog_list(query: String, page: u64) -> Result<AdminProductList, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{catalog_admin, web};
    let state = web::state()?;
    web::require(Permission::ManageCatalog).await?;
    catalog_admin::list(&state.db, &query, page.max(1)).await
}

#[server(endpoint = "admin_product_editor")]
pub async fn admin_product_editor(id: Option<i64>) -> Result<ProductEditor, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{catalog_admin, web};
    let state = web::state()?;
    web::require(Permission::ManageCatalog).await?;
    catalog_admin::editor(&state.db, id).await
}

#[server(endpoint = "admin_product_save", input = Json)]
pub async fn admin_product_save(form: ProductForm) -> Result<SaveOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{catalog_admin, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageCatalog).await?;
    catalog_admin::save(&state, &actor, form).await
}

#[server(endpoint = "admin_product_publish")]
pub async fn admin_product_publish(id: i64, published: bool) -> Result<(), AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{catalog_admin, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageCatalog).await?;
    catalog_admin::set_published(&state, &actor, id, published).await
}

#[server(endpoint = "admin_product_delete")]
pub async fn admin_product_delete(id: i64) -> Result<(), AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{catalog_admin, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageCatalog).await?;
    catalog_admin::delete(&state, &actor, id).await
}

/// `action`: `details` (alt texts and the option value shown), `up`, `down` or `delete`.
#[server(endpoint = "admin_photo_edit")]
pub async fn admin_photo_edit(
    photo_id: i64,
    action: String,
    alt_ru: String,
    alt_en: String,
    shows: String,
) -> Result<(), AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::catalog_admin::{self, PhotoChange};
    use crate::server::web;
    let state = web::state()?;
    let actor = web::require(Permission::ManageCatalog).await?;
    let change = match action.as_str() {
        "details" => PhotoChange::Details {
            alt_ru,
            alt_en,
            shows,
        },
        "up" => PhotoChange::Shift(-1),
        "down" => PhotoChange::Shift(1),
        "delete" => PhotoChange::Delete,
        _ => return Err(AppError::NotFound),
    };
    catalog_admin::edit_photo(&state, &actor, photo_id, change).await
}

#[server(endpoint = "admin_info_pages")]
pub async fn admin_info_pages() -> Result<Vec<InfoPageForm>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{catalog_admin, web};
    let state = web::state()?;
    web::require(Permission::ManageCatalog).await?;
    catalog_admin::info_pages(&state.db).await
}

/// Creates or replaces an information page; problems come back for the form.
#[server(endpoint = "admin_info_page_save", input = Json)]
pub async fn admin_info_page_save(form: InfoPageForm) -> Result<Vec<FieldProblem>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{catalog_admin, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageCatalog).await?;
    catalog_admin::save_info_page(&state, &actor, form).await
}

#[server(endpoint = "admin_categories")]
pub async fn admin_categories() -> Result<Vec<CategoryRow>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{catalog_admin, web};
    let state = web::state()?;
    web::require(Permission::ManageCatalog).await?;
    catalog_admin::category_rows(&state.db).await
}

#[server(endpoint = "admin_category_save", input = Json)]
pub async fn admin_category_save(form: CategoryForm) -> Result<Vec<FieldProblem>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{catalog_admin, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageCatalog).await?;
    catalog_admin::save_category(&state, &actor, form).await
}

#[server(endpoint = "admin_category_delete")]
pub async fn admin_category_delete(id: i64) -> Result<Vec<FieldProblem>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{catalog_admin, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageCatalog).await?;
    catalog_admin::delete_category(&state, &actor, id).await
}
