//! Photo upload for the catalog admin (CAT-5): a plain multipart form post,
//! so it works with or without the WASM app. The picture is resized into the
//! stored widths (`app::server::media`) and added as the product's last photo.
use app::domain::accounts::{role_allows, Permission};
use app::server::accounts::resolve_session;
use app::server::web::{cookie_value, SESSION_COOKIE};
use app::server::{catalog_admin, media, AppState};
use axum::extract::{DefaultBodyLimit, Multipart, Path};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;

/// A little over the largest accepted picture, for the form's other fields.
const UPLOAD_BODY_LIMIT: usize = media::MAX_UPLOAD_BYTES + 64 * 1024;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route(
            "/admin/catalog/{id}/photos",
            post(move |id: Path<i64>, headers: HeaderMap, form: Multipart| {
                upload(state.clone(), id, headers, form)
            }),
        )
        .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(UPLOAD_BODY_LIMIT))
}

fn back(id: i64, problem: Option<&str>) -> Response {
    let location = match problem {
        Some(p) => format!("/admin/catalog/{id}?upload_error={p}"),
        None => format!("/admin/catalog/{id}?uploaded=1"),
    };
    Redirect::to(&location).into_response()
}

async fn upload(
    state: AppState,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
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
        Ok(None) => {
            return Redirect::to(&format!("/login?next=/admin/catalog/{id}")).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
        }
    };
    if !role_allows(user.role(), Permission::ManageCatalog) {
        return (StatusCode::FORBIDDEN, "your role does not allow this").into_response();
    }
    let (mut bytes, mut alt_ru, mut alt_en) = (None, String::new(), String::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let data = match field.bytes().await {
                    Ok(d) => d,
                    Err(_) => return back(id, Some("too_large")),
                };
                match name.as_str() {
                    "photo" if !data.is_empty() => bytes = Some(data.to_vec()),
                    "alt_ru" => alt_ru = String::from_utf8_lossy(&data).into_owned(),
                    "alt_en" => alt_en = String::from_utf8_lossy(&data).into_owned(),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => return back(id, Some("too_large")),
        }
    }
    let Some(bytes) = bytes else {
        return back(id, Some("missing"));
    };
    let stored = match media::store_upload(&state.db, &state.config.media_dir, bytes).await {
        Ok(s) => s,
        Err(media::MediaError::TooLarge) | Err(media::MediaError::TooManyPixels(..)) => {
            return back(id, Some("too_large"))
        }
        Err(media::MediaError::Unreadable(reason)) => {
            tracing::info!(%reason, "refused an unreadable upload");
            return back(id, Some("unreadable"));
        }
        Err(e) => {
            tracing::error!(error = %e, "storing an upload failed");
            return back(id, Some("failed"));
        }
    };
    match catalog_admin::add_photo(&state, &user, id, &stored.key, &alt_ru, &alt_en).await {
        Ok(()) => back(id, None),
        Err(app::api::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => back(id, Some("failed")),
    }
}
