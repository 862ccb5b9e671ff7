//! Photo upload for the catalog admin (CAT-5): a plain multipart form post,
//! so it works with or without the WASM app. The picture is resized into the
//! stored widths (`app::server::media`) and added as the product's last photo.
use app::domain::accounts::Permission;
use app::domain::money::Lang;
use app::server::web::cookie_value;
use app::server::{catalog_admin, catalog_csv, media, AppState};
use axum::extract::{DefaultBodyLimit, Multipart, Path};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;

/// A little over the largest accepted picture, for the form's other fields.
const UPLOAD_BODY_LIMIT: usize = media::MAX_UPLOAD_BYTES + 64 * 1024;

pub fn router(state: AppState) -> Router {
    let (export_state, import_state) = (state.clone(), state.clone());
    Router::new()
        .route(
            "/admin/catalog/{id}/photos",
            post(move |id: Path<i64>, headers: HeaderMap, form: Multipart| {
                upload(state.clone(), id, headers, form)
            }),
        )
        .route(
            "/admin/catalog/export.csv",
            get(move |headers: HeaderMap| export(export_state.clone(), headers)),
        )
        .route(
            "/admin/catalog/import",
            post(move |headers: HeaderMap, form: Multipart| {
                import(import_state.clone(), headers, form)
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
    let user = match crate::staff::allowed(
        &state,
        &headers,
        Permission::ManageCatalog,
        &format!("/admin/catalog/{id}"),
    )
    .await
    {
        Ok(u) => u,
        Err(response) => return response,
    };
    let (mut bytes, mut alt_ru, mut alt_en, mut shows) =
        (None, String::new(), String::new(), String::new());
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
                    "shows" => shows = String::from_utf8_lossy(&data).into_owned(),
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
    match catalog_admin::add_photo(&state, &user, id, &stored.key, &alt_ru, &alt_en, &shows).await {
        Ok(()) => back(id, None),
        Err(app::api::AppError::UnknownOption) => back(id, Some("unknown_option")),
        Err(app::api::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => back(id, Some("failed")),
    }
}

async fn export(state: AppState, headers: HeaderMap) -> Response {
    if let Err(response) = crate::staff::allowed(
        &state,
        &headers,
        Permission::ManageCatalog,
        "/admin/catalog",
    )
    .await
    {
        return response;
    }
    match catalog_csv::export(&state.db).await {
        Ok(csv) => {
            let name = format!("catalog-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                ],
                csv,
            )
                .into_response()
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the export failed; try again",
        )
            .into_response(),
    }
}

/// The shopper's or staff member's chosen language: the UI's cookie, then the browser's.
fn language(headers: &HeaderMap) -> Lang {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookie_value(h, "i18n_pref_locale").map(str::to_string));
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    match cookie.or(accept) {
        Some(l) if l.trim_start().starts_with("en") => Lang::En,
        _ => Lang::Ru,
    }
}

async fn import(state: AppState, headers: HeaderMap, mut form: Multipart) -> Response {
    let user = match crate::staff::allowed(
        &state,
        &headers,
        Permission::ManageCatalog,
        "/admin/catalog",
    )
    .await
    {
        Ok(u) => u,
        Err(response) => return response,
    };
    let (mut bytes, mut valid_only) = (None, false);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let Ok(data) = field.bytes().await else {
                    return Redirect::to("/admin/catalog?import_error=too_large").into_response();
                };
                match name.as_str() {
                    "file" if !data.is_empty() => bytes = Some(data.to_vec()),
                    "valid_only" => valid_only = true,
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => return Redirect::to("/admin/catalog?import_error=too_large").into_response(),
        }
    }
    let Some(bytes) = bytes else {
        return Redirect::to("/admin/catalog?import_error=missing").into_response();
    };
    match catalog_csv::import(&state, &user, &bytes, valid_only, language(&headers)).await {
        Ok((id, _)) => Redirect::to(&format!("/admin/catalog/import/{id}")).into_response(),
        Err(_) => Redirect::to("/admin/catalog?import_error=failed").into_response(),
    }
}
