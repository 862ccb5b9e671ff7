//! Promotions in the back office (LOY-2): list with usage, create, edit,
//! pause, and the rule for combining them.
use super::AppError;
use crate::domain::catalog::editing::FieldProblem;
use crate::domain::promotions::{Combination, PromotionForm};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PromotionState {
    Running,
    Scheduled,
    Ended,
    UsedUp,
    Paused,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromotionRow {
    pub form: PromotionForm,
    pub state: PromotionState,
    /// Orders that used it.
    pub uses: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromotionsPage {
    pub rows: Vec<PromotionRow>,
    pub combination: Combination,
}

#[server(endpoint = "admin_promotions")]
pub async fn admin_promotions() -> Result<PromotionsPage, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{promotions, web};
    let state = web::state()?;
    web::require(Permission::ManagePromotions).await?;
    Ok(PromotionsPage {
        rows: promotions::list(&state.db).await?,
        combination: promotions::combination(&state.db).await?,
    })
}

/// Creates or updates a promotion; problems come back for the form.
#[server(endpoint = "admin_promotion_save", input = Json)]
pub async fn admin_promotion_save(form: PromotionForm) -> Result<Vec<FieldProblem>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{promotions, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManagePromotions).await?;
    promotions::save(&state, &actor, form).await
}

#[server(endpoint = "admin_promotion_active")]
pub async fn admin_promotion_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{promotions, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManagePromotions).await?;
    promotions::set_active(&state, &actor, id, active).await
}

#[server(endpoint = "admin_promotion_combination", input = Json)]
pub async fn admin_promotion_combination(rule: Combination) -> Result<(), AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{promotions, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManagePromotions).await?;
    promotions::set_combination(&state, &actor, rule).await
}
