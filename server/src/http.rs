//! The HTTP stack: Leptos routes and server functions, static assets,
//! `/healthz`, and the tower layers every response passes through.
use crate::page_cache::PageCache;
use app::api::AppError;
use app::domain::warehouse::StockProblem;
use app::server::accounts::resolve_session;
use app::server::security::{check_request, CsrfVerdict};
use app::server::web::{cookie_value, ClientIp, SESSION_COOKIE};
use app::server::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::OnceLock;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Scripts: the app's own module and its inline hydration bootstrap; WASM
/// compiled from our own origin. Nothing may frame the shop.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Largest accepted request body; forms and server-function calls are far smaller.
pub const BODY_LIMIT_BYTES: usize = 2 * 1024 * 1024;
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub fn router(state: AppState, options: LeptosOptions) -> Router {
    let routes = route_list();
    let pkg_path = format!("/{}", options.site_pkg_dir);
    // Hashed file names change with every build, so they may be cached for a year.
    let pkg_cache = if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let pkg = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(pkg_cache),
        ))
        .service(
            ServeDir::new(format!("{}{}", options.site_root, pkg_path))
                .precompressed_br()
                .precompressed_gzip(),
        );
    // Picture files are named by content hash: they never change.
    let media = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .service(ServeDir::new(&state.config.media_dir));
    let context_state = state.clone();
    let not_found_state = state.clone();
    let health_state = state.clone();
    let robots_body = crate::seo::robots(&state.config.base_url);
    let sitemap_state = state.clone();
    let sitemap_part_state = state.clone();
    let request_id = HeaderName::from_static("x-request-id");

    // Leptos's pages and server functions, each run to its end.
    let pages = Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context(
            move || provide_context(not_found_state.clone()),
            shell,
        ))
        .layer(middleware::from_fn(run_to_completion))
        .layer(middleware::from_fn(server_fn_error_status));

    Router::new()
        .route("/healthz", get(move || healthz(health_state.clone())))
        .route(
            "/robots.txt",
            get(move || {
                let body = robots_body.clone();
                async move { ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body) }
            }),
        )
        .route(
            "/sitemap.xml",
            get(move || crate::seo::sitemap(sitemap_state.clone())),
        )
        .route(
            "/sitemaps/{file}",
            get(move |file| crate::seo::sitemap_part(sitemap_part_state.clone(), file)),
        )
        .nest_service(&pkg_path, pkg)
        .nest_service("/media", media)
        .merge(pages)
        .with_state(options)
        .layer(middleware::from_fn_with_state(
            (state.clone(), Arc::new(PageCache::default())),
            crate::page_cache::serve,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .merge(crate::uploads::router(state.clone()))
        .merge(crate::return_form::router(state.clone()))
        .merge(crate::sandbox_bank::router(state.clone()))
        .merge(crate::documents::router(state.clone()))
        .merge(crate::pick_lists::router(state.clone()))
        .merge(crate::warehouse_docs::router(state.clone()))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), uri = %req.uri(), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(CompressionLayer::new().br(true).gzip(true))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(CONTENT_SECURITY_POLICY),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("strict-origin-when-cross-origin"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT)),
        )
}

/// The app's routes, listed once per process. Listing renders the app with
/// resource loading switched off for the whole process (a global flag in
/// leptos_server), so it must never overlap a real render: a page rendered
/// meanwhile would wait forever for its data.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Runs a page or server function to its end in a task of its own, its
/// answer read whole, even when the browser goes away or the request times
/// out meanwhile.
///
/// Dropped midway, a render frees its reactive owners on the connection's
/// thread while a resource's task may still render on the other one, and
/// reactive_graph 0.2.16 can deadlock there: `Owner::with_context`, holding
/// the lock of the owner it starts from, drops the last handle of a parent
/// it walked to, whose cleanup then waits for that same lock. The worker
/// thread stayed blocked for good, and the server could not stop; `wrk`
/// stopping with requests in flight did it within 20 one-second runs
/// (`scripts/cancel-soak.sh`).
async fn run_to_completion(req: Request, next: Next) -> Response {
    let task = tokio::spawn(async move {
        let (parts, body) = next.run(req).await.into_parts();
        match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => Response::from_parts(parts, Body::from(bytes)),
            Err(e) => {
                tracing::error!(error = %e, "an answer failed midway");
                unfinished_answer()
            }
        }
    });
    task.await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "a page or server function panicked");
        unfinished_answer()
    })
}

/// server_fn 0.8 answers every error of a server function with HTTP 500.
/// A wrong password or an expired session is no server failure, and
/// monitoring, proxies and logs should not count it as one: the answer
/// keeps its body (the `AppError` as JSON, which the browser decodes from
/// any 4xx or 5xx) and gets the status that says what went wrong.
async fn server_fn_error_status(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // run_to_completion has already read the body whole: no limit needed.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return unfinished_answer();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = status_of(&error);
        if let AppError::TooManyAttempts { minutes } = error {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(minutes.max(0) * 60));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The HTTP status of a server function's error. Every variant is listed, so
/// a new one must be given its status here.
fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::NotLoggedIn | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        // The request was understood, but what was typed cannot be used.
        AppError::Email(_)
        | AppError::Password(_)
        | AppError::Phone(_)
        | AppError::NameTooLong
        | AppError::WrongCurrentPassword
        | AppError::UnknownRole
        | AppError::UnknownOption => StatusCode::UNPROCESSABLE_ENTITY,
        // Fine on its own, but not with the shop's data as it is now.
        AppError::EmailTaken
        | AppError::OwnRole
        | AppError::LastAdmin
        | AppError::StaleCheckout
        | AppError::NothingToPay => StatusCode::CONFLICT,
        AppError::Stock(problem) => match problem {
            StockProblem::NotEnough { .. } | StockProblem::NotReserved { .. } => {
                StatusCode::CONFLICT
            }
            StockProblem::Zero
            | StockProblem::Negative
            | StockProblem::TooMany
            | StockProblem::ReasonRequired
            | StockProblem::UnknownSku
            | StockProblem::UnknownWarehouse => StatusCode::UNPROCESSABLE_ENTITY,
        },
        // `Transport` carries server_fn's own errors as text: a request it
        // could not read and an answer it could not write look alike, so
        // both stay 500 with our own failures.
        AppError::Transport(_) | AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn unfinished_answer() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "The answer could not be completed; please try again.",
    )
        .into_response()
}

/// Records the client IP for server functions and refuses cross-site writes.
async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let forwarded = state
        .config
        .trust_proxy
        .then(|| req.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|ip| ip.trim().to_string());
    let ip = forwarded.or(peer).unwrap_or_else(|| "unknown".into());
    req.extensions_mut().insert(ClientIp(ip));

    if let CsrfVerdict::Refused(reason) =
        check_request(req.method(), req.headers(), state.config.origin())
    {
        tracing::warn!(uri = %req.uri(), reason, "refused cross-site request");
        return (StatusCode::FORBIDDEN, reason).into_response();
    }
    let private_page = private_page_request(&req);
    if let Some(login) = login_redirect_for_anonymous(&state, private_page).await {
        return login;
    }
    next.run(req).await
}

/// Pages that need a signed-in user send visitors without a valid session
/// straight to the login page, before any rendering starts. (Roles are
/// checked by the pages and, authoritatively, by every server function.)
fn private_page_request(req: &Request) -> Option<(String, Option<String>)> {
    let path = req.uri().path();
    let private = path == "/account" || path == "/admin" || path.starts_with("/admin/");
    if !private || req.method() != Method::GET {
        return None;
    }
    let token = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookie_value(h, SESSION_COOKIE).map(str::to_string));
    Some((path.to_string(), token))
}

async fn login_redirect_for_anonymous(
    state: &AppState,
    private_page: Option<(String, Option<String>)>,
) -> Option<Response> {
    let (path, token) = private_page?;
    if let Some(token) = token {
        match resolve_session(&state.db, &state.config.sessions, &token).await {
            Ok(Some(_)) => return None,
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return Some(
                    (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
                );
            }
        }
    }
    let location = format!("/login?next={path}");
    Some((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

/// 200 when the database answers, 503 otherwise (for load balancers).
async fn healthz(state: AppState) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use tower::ServiceExt;

    /// `/slow` answers "done" after 100 ms and notes that it finished;
    /// `/panic` panics.
    fn app(finished: Arc<AtomicBool>) -> Router {
        Router::new()
            .route(
                "/slow",
                get(move || async move {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    finished.store(true, Ordering::SeqCst);
                    "done"
                }),
            )
            .route(
                "/panic",
                get(|| async {
                    if true {
                        panic!("a broken page");
                    }
                    "never"
                }),
            )
            .layer(middleware::from_fn(run_to_completion))
    }

    fn get_request(path: &str) -> Request {
        Request::get(path).body(Body::empty()).expect("request")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_request_abandoned_by_its_client_still_runs_to_its_end() {
        let finished = Arc::new(AtomicBool::new(false));
        let app = app(finished.clone());
        let abandoned = tokio::time::timeout(
            Duration::from_millis(10),
            app.clone().oneshot(get_request("/slow")),
        )
        .await;
        assert!(abandoned.is_err(), "the client gave up first");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(finished.load(Ordering::SeqCst), "the handler finished");

        let answer = app.oneshot(get_request("/slow")).await.expect("answer");
        assert_eq!(answer.status(), StatusCode::OK);
        let body = axum::body::to_bytes(answer.into_body(), usize::MAX)
            .await
            .expect("body");
        assert_eq!(&body[..], b"done");
    }

    #[tokio::test]
    async fn a_panic_is_answered_with_a_500() {
        let answer = app(Arc::default())
            .oneshot(get_request("/panic"))
            .await
            .expect("answer");
        assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
