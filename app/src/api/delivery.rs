//! Delivery settings in the back office (CHK-2, LOG-1): `/admin/delivery`.
use super::AppError;
use crate::domain::catalog::editing::FieldProblem;
use crate::domain::delivery::{DeliveryMethodForm, PickupPointForm, WarehouseDays};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliverySettings {
    pub methods: Vec<DeliveryMethodForm>,
    pub pickup_points: Vec<PickupPointForm>,
    pub warehouses: Vec<WarehouseDays>,
}

#[server(endpoint = "admin_delivery")]
pub async fn admin_delivery() -> Result<DeliverySettings, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{delivery, web};
    let state = web::state()?;
    web::require(Permission::ManageDelivery).await?;
    Ok(DeliverySettings {
        methods: delivery::admin_methods(&state.db).await?,
        pickup_points: delivery::admin_pickup_points(&state.db).await?,
        warehouses: delivery::admin_warehouses(&state.db).await?,
    })
}

/// Days from a warehouse to the dispatch point; delivery dates count them.
#[server(endpoint = "admin_warehouse_days", input = Json)]
pub async fn admin_save_warehouse_days(form: WarehouseDays) -> Result<Vec<FieldProblem>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{delivery, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageDelivery).await?;
    let problems =
        delivery::save_warehouse_days(&state.db, &actor, form.id, &form.dispatch_days).await?;
    if problems.is_empty() {
        // The catalog snapshot carries each warehouse's days with its stock.
        state.catalog.invalidate();
    }
    Ok(problems)
}

#[server(endpoint = "admin_delivery_method", input = Json)]
pub async fn admin_save_delivery_method(
    form: DeliveryMethodForm,
) -> Result<Vec<FieldProblem>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{delivery, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageDelivery).await?;
    delivery::save_method(&state, &actor, &form).await
}

#[server(endpoint = "admin_pickup_point", input = Json)]
pub async fn admin_save_pickup_point(form: PickupPointForm) -> Result<Vec<FieldProblem>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{delivery, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageDelivery).await?;
    delivery::save_pickup_point(&state.db, &actor, &form).await
}
