//! Registration, login, logout, password change (accounts area).
use super::AppError;
use crate::domain::accounts::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub role: Role,
}

/// Only same-site relative paths are followed after login, never another host.
pub fn safe_next(next: Option<&str>, fallback: &str) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => fallback.to_string(),
    }
}

#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<UserView>, AppError> {
    Ok(crate::server::web::current_user().await?.map(|u| u.view()))
}

#[server(endpoint = "register")]
pub async fn register(
    email: String,
    password: String,
    name: String,
    phone: String,
    cart: Option<String>,
) -> Result<UserView, AppError> {
    use crate::server::{accounts, web};
    let state = web::state()?;
    let form = accounts::NewAccount::validate(&email, &password, &name, &phone, Role::Customer)?;
    let user = accounts::create_user(&state.db, form).await?;
    web::start_session(
        &state,
        user.id,
        web::session_token_from_request().as_deref(),
    )
    .await?;
    merge_browser_cart(&state, user.id, cart.as_deref()).await?;
    leptos_axum::redirect("/account");
    Ok(user.view())
}

#[server(endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    next: Option<String>,
    cart: Option<String>,
) -> Result<UserView, AppError> {
    use crate::server::{accounts, web};
    let state = web::state()?;
    let ip = web::client_ip();
    let user = accounts::authenticate(&state, &ip, &email, &password).await?;
    web::start_session(
        &state,
        user.id,
        web::session_token_from_request().as_deref(),
    )
    .await?;
    merge_browser_cart(&state, user.id, cart.as_deref()).await?;
    let fallback = if user.role().is_staff() {
        "/admin"
    } else {
        "/account"
    };
    leptos_axum::redirect(&safe_next(next.as_deref(), fallback));
    Ok(user.view())
}

/// The visitor's localStorage cart (sent by the login and registration forms)
/// joins the account's cart (CART-1); the browser then loads the result.
#[cfg(feature = "ssr")]
async fn merge_browser_cart(
    state: &crate::server::AppState,
    user_id: i64,
    cart_json: Option<&str>,
) -> Result<(), AppError> {
    let local = crate::domain::cart::StoredCart::from_json(cart_json);
    crate::server::cart::merge_at_login(&state.db, user_id, &local).await?;
    Ok(())
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::web;
    let state = web::state()?;
    web::end_session(&state).await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, web};
    let state = web::state()?;
    let user = web::require_user().await?;
    let keep = web::session_token_from_request();
    accounts::change_password(
        &state.db,
        &user,
        &current_password,
        &new_password,
        keep.as_deref(),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_only_follows_local_paths() {
        assert_eq!(safe_next(Some("/admin/users"), "/account"), "/admin/users");
        assert_eq!(safe_next(Some("//evil.example"), "/account"), "/account");
        assert_eq!(
            safe_next(Some("https://evil.example"), "/account"),
            "/account"
        );
        assert_eq!(safe_next(Some("/\\evil.example"), "/account"), "/account");
        assert_eq!(safe_next(None, "/account"), "/account");
    }
}
