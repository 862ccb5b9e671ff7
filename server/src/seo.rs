//! ACQ-1: `/robots.txt` and `/sitemap.xml`, generated from the live catalog.
//! Past 50,000 URLs (the protocol's limit per file) the sitemap becomes an
//! index of `/sitemaps/N.xml` files.
use app::server::catalog::Snapshot;
use app::server::AppState;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

pub const URLS_PER_SITEMAP: usize = 50_000;

pub fn robots(base_url: &str) -> String {
    format!(
        "User-agent: *\nDisallow: /admin\nDisallow: /account\nDisallow: /cart\nDisallow: /checkout\n\
         Disallow: /search\nDisallow: /login\nDisallow: /register\nDisallow: /api/\n\nSitemap: {base_url}/sitemap.xml\n"
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Every indexable URL with its last modification date, if known.
pub fn urls(snapshot: &Snapshot, base_url: &str) -> Vec<(String, Option<String>)> {
    let mut out = vec![(format!("{base_url}/"), None)];
    out.extend(
        snapshot
            .categories
            .iter()
            .filter(|c| c.product_count > 0)
            .map(|c| (format!("{base_url}/c/{}", c.slug), None)),
    );
    out.extend(snapshot.products.iter().map(|p| {
        (
            format!("{base_url}/p/{}", p.slug),
            Some(p.updated_at.format("%Y-%m-%d").to_string()),
        )
    }));
    out.extend(snapshot.info_pages.iter().map(|p| {
        (
            format!("{base_url}/info/{}", p.slug),
            Some(p.updated_at.format("%Y-%m-%d").to_string()),
        )
    }));
    out
}

pub fn urlset(urls: &[(String, Option<String>)]) -> String {
    let mut xml = String::with_capacity(urls.len() * 90 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (loc, lastmod) in urls {
        xml.push_str("<url><loc>");
        xml.push_str(&escape(loc));
        xml.push_str("</loc>");
        if let Some(date) = lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(date);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn index(base_url: &str, files: usize) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for n in 1..=files {
        xml.push_str(&format!(
            "<sitemap><loc>{}/sitemaps/{n}.xml</loc></sitemap>\n",
            escape(base_url)
        ));
    }
    xml.push_str("</sitemapindex>\n");
    xml
}

fn xml(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=600"),
        ],
        body,
    )
        .into_response()
}

async fn snapshot_or_503(state: &AppState) -> Result<std::sync::Arc<Snapshot>, Response> {
    state.catalog.get(&state.db).await.map_err(|e| {
        tracing::error!(error = %e, "catalog unavailable for the sitemap");
        (StatusCode::SERVICE_UNAVAILABLE, "catalog unavailable").into_response()
    })
}

pub async fn sitemap(state: AppState) -> Response {
    let snapshot = match snapshot_or_503(&state).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let base = &state.config.base_url;
    let all = urls(&snapshot, base);
    if all.len() <= URLS_PER_SITEMAP {
        xml(urlset(&all))
    } else {
        xml(index(base, all.len().div_ceil(URLS_PER_SITEMAP)))
    }
}

pub async fn sitemap_part(state: AppState, Path(file): Path<String>) -> Response {
    let Some(n) = file
        .strip_suffix(".xml")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n >= 1)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let snapshot = match snapshot_or_503(&state).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let all = urls(&snapshot, &state.config.base_url);
    let part: Vec<_> = all
        .chunks(URLS_PER_SITEMAP)
        .nth(n - 1)
        .map(<[_]>::to_vec)
        .unwrap_or_default();
    if part.is_empty() {
        return StatusCode::NOT_FOUND.into_response();
    }
    xml(urlset(&part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_hides_private_and_search_pages() {
        let r = robots("https://shop.example");
        for path in ["/admin", "/cart", "/checkout", "/search"] {
            assert!(r.contains(&format!("Disallow: {path}\n")), "{path}");
        }
        assert!(r.contains("Sitemap: https://shop.example/sitemap.xml"));
    }

    #[test]
    fn urlset_escapes_and_dates() {
        let xml = urlset(&[(
            "https://s.example/p/a?x=1&y=2".into(),
            Some("2026-11-25".into()),
        )]);
        assert!(xml
            .contains("<loc>https://s.example/p/a?x=1&amp;y=2</loc><lastmod>2026-11-25</lastmod>"));
        let index = index("https://s.example", 3);
        assert!(index.contains("https://s.example/sitemaps/3.xml"));
        assert!(!index.contains("/sitemaps/4.xml"));
    }
}
