//! The /admin shell: staff users, roles and the audit log.
use super::auth::UserView;
use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub id: i64,
    pub actor_email: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// RFC 3339, UTC.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub customers: u64,
    pub staff: u64,
    pub active_sessions: u64,
    pub recent_audit: Vec<AuditEntryView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntryView>,
    pub page: u64,
    pub pages: u64,
}

#[server(endpoint = "admin_dashboard")]
pub async fn admin_dashboard() -> Result<Dashboard, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{admin, web};
    let state = web::state()?;
    web::require(Permission::AdminArea).await?;
    admin::dashboard(&state.db).await
}

/// `staff_only` hides customers; `query` matches e-mail, name or phone.
#[server(endpoint = "admin_list_users")]
pub async fn list_users(staff_only: bool, query: String) -> Result<Vec<UserView>, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{admin, web};
    let state = web::state()?;
    web::require(Permission::ManageUsers).await?;
    admin::list_users(&state.db, staff_only, query.trim()).await
}

#[server(endpoint = "admin_create_staff")]
pub async fn create_staff_user(
    email: String,
    name: String,
    role: String,
    password: String,
) -> Result<UserView, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{accounts, admin, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageUsers).await?;
    let role: crate::domain::accounts::Role = role.parse().map_err(|_| AppError::UnknownRole)?;
    if !role.is_staff() {
        return Err(AppError::UnknownRole);
    }
    let form = accounts::NewAccount::validate(&email, &password, &name, "", role)?;
    admin::create_staff(&state.db, &actor, form).await
}

#[server(endpoint = "admin_change_role")]
pub async fn change_user_role(user_id: i64, role: String) -> Result<UserView, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{admin, web};
    let state = web::state()?;
    let actor = web::require(Permission::ManageUsers).await?;
    let role: crate::domain::accounts::Role = role.parse().map_err(|_| AppError::UnknownRole)?;
    admin::change_role(&state.db, &actor, user_id, role).await
}

#[server(endpoint = "admin_audit_log")]
pub async fn audit_log(page: u64) -> Result<AuditPage, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{admin, web};
    let state = web::state()?;
    web::require(Permission::ReadAuditLog).await?;
    admin::audit_page(&state.db, page.max(1)).await
}
