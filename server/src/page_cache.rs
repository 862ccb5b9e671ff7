//! Whole storefront pages kept for one second for visitors without a session
//! (issue 7; CAT-1..3): when many shoppers open the same category or product
//! at once (a newsletter, an advert, a sale), one render serves them all.
//!
//! A page is told apart by everything its server-side render reads: the URL
//! with its query, the `Accept-Language` and `Cookie` headers (the language),
//! the catalog snapshot and its stock levels ([`Snapshot::edition`]) and the
//! shop settings ([`ShopInfoCache::edition`]). A catalog, stock or settings
//! change seen by this instance is therefore shown on the next request; the
//! one-second lifetime bounds anything else, the same delay other instances
//! already have ([`app::server::catalog::RECHECK`]).
//!
//! Pages are rendered in `SsrMode::Async`, so keeping a copy of the body
//! delays nothing. Leptos's per-request nonce is reused with the page; the
//! CSP does not use nonces (see [`crate::http::CONTENT_SECURITY_POLICY`]).
//! A page that starts reading anything else from the request must be left
//! out of [`storefront_page`].
//!
//! [`Snapshot::edition`]: app::server::catalog::Snapshot::edition
//! [`ShopInfoCache::edition`]: app::server::settings::ShopInfoCache::edition
use app::server::web::{cookie_value, SESSION_COOKIE};
use app::server::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a kept page is served.
pub const TTL: Duration = Duration::from_secs(1);
/// `HIT` or `MISS` on every page this cache looks at; absent on the others.
pub const CACHE_HEADER: HeaderName = HeaderName::from_static("x-cache");
/// Larger pages are not kept.
const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// All kept pages together; past it, expired pages go first, then all.
const MAX_TOTAL_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Default)]
pub struct PageCache {
    pages: Mutex<Pages>,
}

#[derive(Debug, Default)]
struct Pages {
    entries: HashMap<PageKey, Page>,
    bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PageKey {
    path_and_query: String,
    accept_language: Option<HeaderValue>,
    cookies: Vec<HeaderValue>,
    /// Catalog snapshot, its stock changes, shop settings.
    editions: (u64, u64, u64),
}

#[derive(Debug)]
struct Page {
    headers: HeaderMap,
    body: Bytes,
    stored: Instant,
}

impl PageCache {
    fn get(&self, key: &PageKey) -> Option<Response> {
        let pages = self.pages.lock().expect("page cache lock");
        let page = pages.entries.get(key)?;
        (page.stored.elapsed() < TTL).then(|| response(&page.headers, page.body.clone(), "HIT"))
    }

    fn put(&self, key: PageKey, headers: HeaderMap, body: Bytes) {
        if body.len() > MAX_PAGE_BYTES {
            return;
        }
        let mut pages = self.pages.lock().expect("page cache lock");
        if pages.bytes + body.len() > MAX_TOTAL_BYTES {
            pages.entries.retain(|_, p| p.stored.elapsed() < TTL);
            pages.bytes = pages.entries.values().map(|p| p.body.len()).sum();
            if pages.bytes + body.len() > MAX_TOTAL_BYTES {
                pages.entries.clear();
                pages.bytes = 0;
            }
        }
        pages.bytes += body.len();
        let page = Page {
            headers,
            body,
            stored: Instant::now(),
        };
        if let Some(replaced) = pages.entries.insert(key, page) {
            pages.bytes -= replaced.body.len();
        }
    }
}

fn response(headers: &HeaderMap, body: Bytes, verdict: &'static str) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = headers.clone();
    response
        .headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static(verdict));
    response
}

/// The public storefront pages: the same for every visitor without a session.
/// (Cart, checkout, orders, account and the back office are not among them.)
fn storefront_page(path: &str) -> bool {
    path == "/"
        || path == "/search"
        || ["/c/", "/p/", "/info/"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

fn has_session(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|h| cookie_value(h, SESSION_COOKIE).is_some())
}

/// The middleware: answers from the cache, or renders and keeps the answer.
pub async fn serve(
    State((state, cache)): State<(AppState, Arc<PageCache>)>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != Method::GET
        || !storefront_page(req.uri().path())
        || has_session(req.headers())
    {
        return next.run(req).await;
    }
    // Unreadable catalog or settings: the page itself reports it.
    let (Ok(snapshot), Ok(_)) = (
        state.catalog.get(&state.db).await,
        state.shop_info.get(&state.db).await,
    ) else {
        return next.run(req).await;
    };
    let (serial, stock) = snapshot.edition();
    let key = PageKey {
        path_and_query: req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        accept_language: req.headers().get(header::ACCEPT_LANGUAGE).cloned(),
        cookies: req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .cloned()
            .collect(),
        editions: (serial, stock, state.shop_info.edition()),
    };
    drop(snapshot);
    if let Some(hit) = cache.get(&key) {
        return hit;
    }
    let rendered = next.run(req).await;
    let keep = rendered.status() == StatusCode::OK
        && !rendered.headers().contains_key(header::SET_COOKIE)
        && rendered
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
    if !keep {
        return rendered;
    }
    let (parts, body) = rendered.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => {
            cache.put(key, parts.headers.clone(), body.clone());
            response(&parts.headers, body, "MISS")
        }
        Err(e) => {
            tracing::error!(error = %e, "rendering a storefront page failed midway");
            Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .body(Body::from("The page could not be rendered; please reload."))
                .expect("static response")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &str) -> PageKey {
        PageKey {
            path_and_query: path.into(),
            accept_language: None,
            cookies: Vec::new(),
            editions: (1, 0, 0),
        }
    }

    #[test]
    fn only_public_storefront_pages_are_kept() {
        for page in [
            "/",
            "/search",
            "/c/clothing",
            "/p/a-shirt",
            "/info/delivery",
        ] {
            assert!(storefront_page(page), "{page}");
        }
        for page in [
            "/cart",
            "/checkout",
            "/account",
            "/order/abc",
            "/admin",
            "/api/cart_price",
        ] {
            assert!(!storefront_page(page), "{page}");
        }
    }

    #[test]
    fn a_session_cookie_bypasses_the_cache() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("lang=en"));
        assert!(!has_session(&headers));
        headers.append(header::COOKIE, HeaderValue::from_static("lavka_session=t"));
        assert!(has_session(&headers));
    }

    #[test]
    fn kept_bytes_stay_under_the_budget() {
        let cache = PageCache::default();
        let page = Bytes::from(vec![b'x'; MAX_PAGE_BYTES]);
        for i in 0..(MAX_TOTAL_BYTES / MAX_PAGE_BYTES + 3) {
            cache.put(key(&format!("/p/{i}")), HeaderMap::new(), page.clone());
            let pages = cache.pages.lock().unwrap();
            assert!(pages.bytes <= MAX_TOTAL_BYTES);
            assert_eq!(pages.bytes, pages.entries.len() * MAX_PAGE_BYTES);
        }
        cache.put(
            key("/big"),
            HeaderMap::new(),
            Bytes::from(vec![0; MAX_PAGE_BYTES + 1]),
        );
        assert!(cache.get(&key("/big")).is_none());
    }

    #[test]
    fn a_page_is_served_for_its_lifetime_only() {
        let cache = PageCache::default();
        cache.put(key("/"), HeaderMap::new(), Bytes::from_static(b"home"));
        assert!(cache.get(&key("/")).is_some());
        let mut other = key("/");
        other.editions.1 += 1;
        assert!(cache.get(&other).is_none());
        cache
            .pages
            .lock()
            .unwrap()
            .entries
            .get_mut(&key("/"))
            .unwrap()
            .stored -= TTL;
        assert!(cache.get(&key("/")).is_none());
    }
}
