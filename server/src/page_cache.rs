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
//! delays nothing. Each kept page is compressed at most once per encoding
//! (brotli, gzip), when a browser first asks for it that way, so a hit costs
//! no compression; compressing per response would cost more than the cache
//! saves (4,800 instead of 32,000 product pages a second on 2 cores).
//!
//! Leptos's per-request nonce is reused with the page; the CSP does not use
//! nonces (see [`crate::http::CONTENT_SECURITY_POLICY`]).
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
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    stored: Instant,
}

impl Page {
    fn bytes(&self) -> usize {
        self.body.len()
            + self.brotli.as_ref().map_or(0, Bytes::len)
            + self.gzip.as_ref().map_or(0, Bytes::len)
    }

    fn encoded(&mut self, encoding: Encoding) -> &mut Option<Bytes> {
        match encoding {
            Encoding::Brotli => &mut self.brotli,
            Encoding::Gzip => &mut self.gzip,
        }
    }
}

/// What a kept page is sent compressed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    fn header_value(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        })
    }

    fn compress(self, body: &[u8]) -> Bytes {
        use std::io::Write;
        let mut out = Vec::with_capacity(body.len() / 4);
        match self {
            // Quality 4 and level 6: what tower-http compresses with.
            Encoding::Brotli => {
                let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 4, 22);
                writer.write_all(body).expect("compressing in memory");
            }
            Encoding::Gzip => {
                let mut writer =
                    flate2::write::GzEncoder::new(&mut out, flate2::Compression::default());
                writer.write_all(body).expect("compressing in memory");
                writer.finish().expect("compressing in memory");
            }
        }
        // An exact copy, for the same reason as the kept body (`serve`).
        Bytes::copy_from_slice(&out)
    }

    /// The encoding the request accepts, brotli before gzip unless the
    /// browser weighs gzip higher; `None`: send the page as it is.
    fn accepted(headers: &HeaderMap) -> Option<Encoding> {
        let mut brotli = 0.0f32;
        let mut gzip = 0.0f32;
        let offers = headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','));
        for offer in offers {
            let mut parts = offer.split(';');
            let name = parts.next().unwrap_or("").trim();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            if name.eq_ignore_ascii_case("br") {
                brotli = weight;
            } else if name.eq_ignore_ascii_case("gzip") {
                gzip = weight;
            }
        }
        if brotli > 0.0 && brotli >= gzip {
            Some(Encoding::Brotli)
        } else if gzip > 0.0 {
            Some(Encoding::Gzip)
        } else {
            None
        }
    }
}

/// A kept page as one request wants it.
enum Found {
    Ready(Response),
    /// Kept, but not yet compressed this way: the page to compress.
    Uncompressed(HeaderMap, Bytes),
}

impl PageCache {
    fn get(&self, key: &PageKey, encoding: Option<Encoding>) -> Option<Found> {
        let mut pages = self.pages.lock().expect("page cache lock");
        let page = pages.entries.get_mut(key)?;
        if page.stored.elapsed() >= TTL {
            return None;
        }
        let Some(encoding) = encoding else {
            return Some(Found::Ready(response(
                &page.headers,
                page.body.clone(),
                None,
                "HIT",
            )));
        };
        Some(match page.encoded(encoding) {
            Some(body) => {
                let body = body.clone();
                Found::Ready(response(&page.headers, body, Some(encoding), "HIT"))
            }
            None => Found::Uncompressed(page.headers.clone(), page.body.clone()),
        })
    }

    fn put(&self, key: PageKey, headers: HeaderMap, body: Bytes) {
        if body.len() > MAX_PAGE_BYTES {
            return;
        }
        let mut pages = self.pages.lock().expect("page cache lock");
        pages.make_room(body.len());
        pages.bytes += body.len();
        let page = Page {
            headers,
            body,
            brotli: None,
            gzip: None,
            stored: Instant::now(),
        };
        if let Some(replaced) = pages.entries.insert(key, page) {
            pages.bytes -= replaced.bytes();
        }
    }

    /// Keeps the page compressed this way, if the page is still kept and
    /// the copy fits in the budget.
    fn put_encoded(&self, key: &PageKey, encoding: Encoding, body: Bytes) {
        let mut pages = self.pages.lock().expect("page cache lock");
        let len = body.len();
        if pages.bytes + len > MAX_TOTAL_BYTES {
            return;
        }
        let Some(slot) = pages.entries.get_mut(key).map(|p| p.encoded(encoding)) else {
            return;
        };
        if slot.is_none() {
            *slot = Some(body);
            pages.bytes += len;
        }
    }
}

impl Pages {
    fn make_room(&mut self, wanted: usize) {
        if self.bytes + wanted <= MAX_TOTAL_BYTES {
            return;
        }
        self.entries.retain(|_, p| p.stored.elapsed() < TTL);
        self.bytes = self.entries.values().map(Page::bytes).sum();
        if self.bytes + wanted > MAX_TOTAL_BYTES {
            self.entries.clear();
            self.bytes = 0;
        }
    }
}

fn response(
    headers: &HeaderMap,
    body: Bytes,
    encoding: Option<Encoding>,
    verdict: &'static str,
) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = headers.clone();
    let headers = response.headers_mut();
    headers.insert(CACHE_HEADER, HeaderValue::from_static(verdict));
    if let Some(encoding) = encoding {
        // Sent compressed already: the compression layer leaves it alone.
        headers.insert(header::CONTENT_ENCODING, encoding.header_value());
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// The public storefront pages: the same for every visitor without a session.
/// The cart is one: its lines live in the browser, and the server draws only
/// the frame and the deals shelf (CART-2). Checkout, orders, account and the
/// back office are not.
fn storefront_page(path: &str) -> bool {
    path == "/"
        || path == "/search"
        || path == "/cart"
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
    let encoding = Encoding::accepted(req.headers());
    match cache.get(&key, encoding) {
        Some(Found::Ready(hit)) => return hit,
        Some(Found::Uncompressed(headers, body)) => {
            return compressed(&cache, &key, encoding, headers, body, "HIT")
        }
        None => {}
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
    let (mut parts, body) = rendered.into_parts();
    // The length is the body's as sent, compressed or not.
    parts.headers.remove(header::CONTENT_LENGTH);
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => {
            // Kept as an exact copy: the rendered body shares the renderer's
            // buffer, grown by doubling, which would keep up to twice the
            // bytes the budget counts (heaptrack: 34 MB held for a 16 MB
            // budget under a load of pages rendered anew).
            cache.put(
                key.clone(),
                parts.headers.clone(),
                Bytes::copy_from_slice(&body),
            );
            compressed(&cache, &key, encoding, parts.headers, body, "MISS")
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

/// The page in the encoding asked for, compressed now and kept that way.
fn compressed(
    cache: &PageCache,
    key: &PageKey,
    encoding: Option<Encoding>,
    headers: HeaderMap,
    body: Bytes,
    verdict: &'static str,
) -> Response {
    let Some(encoding) = encoding else {
        return response(&headers, body, None, verdict);
    };
    let encoded = encoding.compress(&body);
    cache.put_encoded(key, encoding, encoded.clone());
    response(&headers, encoded, Some(encoding), verdict)
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
            "/cart",
        ] {
            assert!(storefront_page(page), "{page}");
        }
        for page in [
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
        let full = MAX_TOTAL_BYTES / MAX_PAGE_BYTES;
        for i in 0..full {
            cache.put(key(&format!("/p/{i}")), HeaderMap::new(), page.clone());
        }
        assert_eq!(cache.pages.lock().unwrap().bytes, MAX_TOTAL_BYTES);
        // A compressed copy that does not fit is not kept.
        cache.put_encoded(&key("/p/0"), Encoding::Gzip, Bytes::from_static(b"gz"));
        assert_eq!(cache.pages.lock().unwrap().bytes, MAX_TOTAL_BYTES);
        assert!(cache.pages.lock().unwrap().entries[&key("/p/0")]
            .gzip
            .is_none());
        for i in full..full + 3 {
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
        assert!(cache.get(&key("/big"), None).is_none());
    }

    #[test]
    fn a_page_is_served_for_its_lifetime_only() {
        let cache = PageCache::default();
        cache.put(key("/"), HeaderMap::new(), Bytes::from_static(b"home"));
        assert!(cache.get(&key("/"), None).is_some());
        let mut other = key("/");
        other.editions.1 += 1;
        assert!(cache.get(&other, None).is_none());
        cache
            .pages
            .lock()
            .unwrap()
            .entries
            .get_mut(&key("/"))
            .unwrap()
            .stored -= TTL;
        assert!(cache.get(&key("/"), None).is_none());
    }

    #[test]
    fn brotli_first_unless_refused_or_weighed_lower() {
        let accepted = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(value).unwrap(),
            );
            Encoding::accepted(&headers)
        };
        assert_eq!(accepted("gzip, deflate, br, zstd"), Some(Encoding::Brotli));
        assert_eq!(accepted("gzip, deflate"), Some(Encoding::Gzip));
        assert_eq!(accepted("br;q=0, gzip"), Some(Encoding::Gzip));
        assert_eq!(accepted("br;q=0.5, gzip;q=0.8"), Some(Encoding::Gzip));
        assert_eq!(accepted("BR"), Some(Encoding::Brotli));
        assert_eq!(accepted("identity"), None);
        assert_eq!(accepted("gzip;q=0"), None);
        assert_eq!(Encoding::accepted(&HeaderMap::new()), None);
    }

    #[test]
    fn a_page_is_compressed_once_per_encoding_and_counted() {
        let cache = PageCache::default();
        let body = Bytes::from("<p>shop</p>".repeat(500));
        cache.put(key("/"), HeaderMap::new(), body.clone());
        let Some(Found::Uncompressed(headers, page)) = cache.get(&key("/"), Some(Encoding::Brotli))
        else {
            panic!("kept uncompressed only");
        };
        let first = compressed(
            &cache,
            &key("/"),
            Some(Encoding::Brotli),
            headers,
            page,
            "HIT",
        );
        assert_eq!(first.headers()[header::CONTENT_ENCODING], "br");
        assert!(matches!(
            cache.get(&key("/"), Some(Encoding::Brotli)),
            Some(Found::Ready(_))
        ));
        let pages = cache.pages.lock().unwrap();
        let kept = &pages.entries[&key("/")];
        assert!(kept.brotli.as_ref().unwrap().len() < body.len() / 10);
        assert_eq!(pages.bytes, kept.bytes());
        assert!(kept.gzip.is_none());
    }
}
