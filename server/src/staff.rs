//! The staff member behind a plain axum request (uploads, printable pages),
//! checked the same way as server functions: session cookie, then role.
use app::domain::accounts::{role_allows, Permission};
use app::server::accounts::{resolve_session, AuthUser};
use app::server::web::{cookie_value, SESSION_COOKIE};
use app::server::AppState;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// The signed-in user whose role allows `permission`, or the response to
/// send instead: the login page (back to `back_to`) or 403.
pub async fn allowed(
    state: &AppState,
    headers: &HeaderMap,
    permission: Permission,
    back_to: &str,
) -> Result<AuthUser, Response> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookie_value(h, SESSION_COOKIE).map(str::to_string));
    let user = match token {
        Some(t) => resolve_session(&state.db, &state.config.sessions, &t).await,
        None => Ok(None),
    };
    let user = match user {
        Ok(Some(u)) => u,
        Ok(None) => return Err(Redirect::to(&format!("/login?next={back_to}")).into_response()),
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            return Err((StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response());
        }
    };
    if !role_allows(user.role(), permission) {
        return Err((StatusCode::FORBIDDEN, "your role does not allow this").into_response());
    }
    Ok(user)
}
