//! Cross-site request forgery defence for state-changing requests: the
//! browser's own `Sec-Fetch-Site` and `Origin` headers must say the request
//! comes from this site (OWASP "verifying origin with standard headers").
use http::{HeaderMap, Method};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsrfVerdict {
    Allowed,
    Refused(&'static str),
}

/// `expected_origin` is the configured public origin; an `Origin` equal to the
/// request's own `Host` is also accepted, so the shop works under any name it is served by.
pub fn check_request(method: &Method, headers: &HeaderMap, expected_origin: &str) -> CsrfVerdict {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return CsrfVerdict::Allowed;
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        if !matches!(site, "same-origin" | "none") {
            return CsrfVerdict::Refused("cross-site request refused (Sec-Fetch-Site)");
        }
    }
    match header("origin") {
        Some(origin) => {
            let host_matches = header("host").is_some_and(|host| {
                origin
                    .split_once("://")
                    .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
            });
            if origin.eq_ignore_ascii_case(expected_origin) || host_matches {
                CsrfVerdict::Allowed
            } else {
                CsrfVerdict::Refused("cross-site request refused (Origin)")
            }
        }
        // Browsers send Origin (or at least Sec-Fetch-Site) on every cross-origin
        // POST; with neither header the request is not from a browser page.
        None => CsrfVerdict::Allowed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    const ORIGIN: &str = "https://shop.example";

    #[test]
    fn safe_methods_pass() {
        let h = headers(&[
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ]);
        assert_eq!(
            check_request(&Method::GET, &h, ORIGIN),
            CsrfVerdict::Allowed
        );
    }

    #[test]
    fn same_origin_posts_pass() {
        let h = headers(&[
            ("origin", "https://shop.example"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert_eq!(
            check_request(&Method::POST, &h, ORIGIN),
            CsrfVerdict::Allowed
        );
        let by_host = headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert_eq!(
            check_request(&Method::POST, &by_host, ORIGIN),
            CsrfVerdict::Allowed
        );
        assert_eq!(
            check_request(&Method::POST, &HeaderMap::new(), ORIGIN),
            CsrfVerdict::Allowed
        );
    }

    #[test]
    fn cross_site_posts_are_refused() {
        let by_fetch_site = headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://shop.example"),
        ]);
        assert!(matches!(
            check_request(&Method::POST, &by_fetch_site, ORIGIN),
            CsrfVerdict::Refused(_)
        ));
        let same_site = headers(&[("sec-fetch-site", "same-site")]);
        assert!(matches!(
            check_request(&Method::POST, &same_site, ORIGIN),
            CsrfVerdict::Refused(_)
        ));
        let by_origin = headers(&[("origin", "https://evil.example"), ("host", "shop.example")]);
        assert!(matches!(
            check_request(&Method::DELETE, &by_origin, ORIGIN),
            CsrfVerdict::Refused(_)
        ));
        let null_origin = headers(&[("origin", "null"), ("host", "shop.example")]);
        assert!(matches!(
            check_request(&Method::POST, &null_origin, ORIGIN),
            CsrfVerdict::Refused(_)
        ));
    }
}
