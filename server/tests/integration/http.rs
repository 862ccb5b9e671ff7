//! The HTTP stack in-process: health check, security headers, CSRF refusal,
//! login cookie, the /admin guard for anonymous, customer and staff users,
//! and the HTTP status of server functions' errors.
use crate::common;

use app::domain::accounts::Role;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn app() -> (Router, app::server::AppState) {
    common::router().await
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

const SAME_SITE: &str = "http://127.0.0.1:3000";
const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// A server function call as the browser sends it from `origin`.
fn api_request(
    path: &str,
    content_type: &str,
    body: &str,
    origin: &str,
    cookie: Option<&str>,
) -> Request<Body> {
    let mut req = Request::post(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, origin)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(body.to_string())).unwrap()
}

fn login_request(email: &str, password: &str, origin: &str) -> Request<Body> {
    let form = format!("email={email}&password={password}&next=");
    api_request("/api/login", FORM, &form, origin, None)
}

async fn login_cookie(app: &Router, email: &str, password: &str) -> String {
    let (status, headers, body) = send(app, login_request(email, password, SAME_SITE)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = headers
        .get(header::SET_COOKIE)
        .expect("session cookie")
        .to_str()
        .unwrap();
    cookie.split(';').next().unwrap().to_string()
}

fn page(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(path).header(header::ACCEPT, "text/html");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn health_and_security_headers() {
    let (app, _) = app().await;
    let (status, headers, body) = send(&app, page("/healthz", None)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"));
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        headers[header::REFERRER_POLICY],
        "strict-origin-when-cross-origin"
    );
    assert!(headers.contains_key("x-request-id"));

    let (status, _, body) = send(&app, page("/no-such-page", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("<html"), "the 404 is a real page");
}

#[tokio::test]
async fn login_sets_a_strict_session_cookie_and_cross_site_posts_are_refused() {
    let (app, state) = app().await;
    common::user(
        &state.db,
        "anna@example.ru",
        "correct horse",
        Role::Customer,
    )
    .await;

    let (status, _, body) = send(
        &app,
        login_request("anna@example.ru", "correct+horse", "https://evil.example"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    let (status, headers, body) = send(
        &app,
        login_request("anna@example.ru", "correct+horse", SAME_SITE),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("lavka_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
            && !cookie.contains("Secure")
    );

    let (status, _, body) = send(
        &app,
        login_request("anna@example.ru", "wrong+horse", SAME_SITE),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a wrong password is no server failure"
    );
    assert!(body.contains("BadCredentials"), "{body}");

    // What was typed cannot be used: 422, with the error the form shows.
    let (status, _, body) = send(
        &app,
        api_request(
            "/api/register",
            FORM,
            "email=not-an-address&password=long+enough+pass&name=Anna&phone=",
            SAME_SITE,
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Email"), "{body}");
    // Fine on its own, but the e-mail is taken: 409.
    let (status, _, body) = send(
        &app,
        api_request(
            "/api/register",
            FORM,
            "email=anna@example.ru&password=long+enough+pass&name=Anna&phone=",
            SAME_SITE,
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("EmailTaken"), "{body}");
}

#[tokio::test]
async fn admin_requires_a_staff_role() {
    let (app, state) = app().await;
    common::user(
        &state.db,
        "client@example.ru",
        "correct horse",
        Role::Customer,
    )
    .await;
    common::user(&state.db, "op@example.ru", "operator pass", Role::Operator).await;

    for (path, cookie) in [
        ("/admin", None),
        ("/admin/users", None),
        ("/account", None),
        ("/account", Some("lavka_session=forged")),
    ] {
        let (status, headers, _) = send(&app, page(path, cookie)).await;
        assert_eq!(status, StatusCode::FOUND, "{path}");
        assert_eq!(headers[header::LOCATION], format!("/login?next={path}"));
    }

    let customer = login_cookie(&app, "client@example.ru", "correct+horse").await;
    let (status, _, body) = send(&app, page("/admin", Some(&customer))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("data-testid=\"forbidden\""));

    let operator = login_cookie(&app, "op@example.ru", "operator+pass").await;
    let (status, _, body) = send(&app, page("/admin", Some(&operator))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("data-testid=\"admin-greeting\""), "{body}");
    // An operator may open the dashboard but not staff management.
    let (status, _, _) = send(&app, page("/admin/users", Some(&operator))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The staff's server functions say the same in their status: 401 for a
    // visitor, 403 for a customer; the body names the error for the page.
    let queue = r#"{"filter":{"status":null,"paid":null,"delivery":null,"from":null,"to":null,"search":"","sort":"Newest","page":0},"lang":"Ru"}"#;
    for (cookie, expected, error) in [
        (None, StatusCode::UNAUTHORIZED, "NotLoggedIn"),
        (Some(customer.as_str()), StatusCode::FORBIDDEN, "Forbidden"),
        (Some(operator.as_str()), StatusCode::OK, "\"rows\""),
    ] {
        let (status, _, body) = send(
            &app,
            api_request("/api/admin_orders", JSON, queue, SAME_SITE, cookie),
        )
        .await;
        assert_eq!(status, expected, "{body}");
        assert!(body.contains(error), "{body}");
    }
}
