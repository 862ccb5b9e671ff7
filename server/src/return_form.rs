//! The customer's return request (ORD-7): a plain multipart form on the
//! order's page, so photos go up with it and it works with or without the
//! WASM app. The order's private token in the address is the key, as for
//! the page itself; the answer is a redirect back to that page.
use app::domain::return_requests::{RequestForm, MAX_PHOTOS};
use app::domain::returns::ReturnedLine;
use app::server::{media, return_requests, AppState};
use axum::extract::{DefaultBodyLimit, Multipart, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;

/// Room for the largest photos allowed plus the form's text fields.
const BODY_LIMIT: usize = (MAX_PHOTOS + 1) * media::MAX_UPLOAD_BYTES;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route(
            "/order/{token}/return-request",
            post(move |token: Path<String>, form: Multipart| request(state.clone(), token, form)),
        )
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
}

fn back(token: &str, outcome: &str) -> Response {
    // The token only ever holds URL-safe characters; anything else is not an order.
    if !token
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    Redirect::to(&format!("/order/{token}?{outcome}#return-request")).into_response()
}

async fn request(state: AppState, Path(token): Path<String>, mut multipart: Multipart) -> Response {
    let mut form = RequestForm::default();
    let mut photos: Vec<Vec<u8>> = Vec::new();
    let mut too_many = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let Ok(data) = field.bytes().await else {
                    return back(&token, "return_error=bad_photo");
                };
                let text = || String::from_utf8_lossy(&data).into_owned();
                match name.as_str() {
                    "reason" => form.reason = text(),
                    "comment" => form.comment = text(),
                    "photo" if !data.is_empty() => {
                        if photos.len() == MAX_PHOTOS {
                            too_many = true;
                        } else {
                            photos.push(data.to_vec());
                        }
                    }
                    _ => {
                        // One number field per order line: `qty_<line id>`.
                        if let Some(line_id) =
                            name.strip_prefix("qty_").and_then(|id| id.parse().ok())
                        {
                            let quantity = text().trim().parse().unwrap_or(0);
                            form.lines.push(ReturnedLine { line_id, quantity });
                        }
                    }
                }
            }
            Ok(None) => break,
            Err(_) => return back(&token, "return_error=bad_photo"),
        }
    }
    if too_many {
        return back(&token, "return_error=too_many_photos");
    }
    match return_requests::open(&state, &token, form, photos, chrono::Utc::now()).await {
        Ok(Ok(_)) => back(&token, "return=sent"),
        Ok(Err(problem)) => back(&token, &format!("return_error={}", problem.code())),
        Err(app::api::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a return request failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the request could not be saved; try again",
            )
                .into_response()
        }
    }
}
