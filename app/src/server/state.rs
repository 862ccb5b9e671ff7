//! What every request handler and server function gets: the database pool and
//! the configuration.
use super::catalog::CatalogCache;
use crate::domain::accounts::{LoginThrottle, SessionPolicy};
use sea_orm::DatabaseConnection;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Config {
    /// Public base URL, e.g. `https://shop.example` (no trailing slash).
    pub base_url: String,
    /// Trust `X-Forwarded-For` for the client IP (only behind a proxy you run).
    pub trust_proxy: bool,
    pub sessions: SessionPolicy,
    pub login_throttle: LoginThrottle,
    /// Where uploaded and generated pictures are stored (served under `/media`).
    pub media_dir: PathBuf,
    /// Key of the payment provider's webhook signatures (HMAC-SHA256).
    pub payment_secret: String,
    pub notify: NotifyConfig,
}

/// Where customer notifications go (ORD-5). A channel without a URL keeps
/// its messages waiting in the outbox until one is configured.
#[derive(Debug, Clone, Default)]
pub struct NotifyConfig {
    /// e.g. `smtps://user:password@smtp.example.com` or `smtp://127.0.0.1:2525`.
    pub smtp_url: Option<String>,
    /// The `From:` of every e-mail, e.g. `Lavka <shop@example.com>`.
    pub mail_from: String,
    /// The SMS gateway's HTTP endpoint; messages are POSTed to it as JSON.
    pub sms_url: Option<String>,
    /// Sent as `Authorization: Bearer <key>` to the SMS gateway.
    pub sms_key: String,
}

impl Config {
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// `scheme://host[:port]` of the base URL, as browsers send it in `Origin`.
    pub fn origin(&self) -> &str {
        let after_scheme = self.base_url.find("://").map(|i| i + 3).unwrap_or(0);
        match self.base_url[after_scheme..].find('/') {
            Some(slash) => &self.base_url[..after_scheme + slash],
            None => &self.base_url,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub catalog: Arc<CatalogCache>,
    pub shop_info: Arc<super::settings::ShopInfoCache>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config) -> AppState {
        AppState {
            db,
            config: Arc::new(config),
            catalog: Arc::default(),
            shop_info: Arc::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str) -> Config {
        Config {
            base_url: base_url.into(),
            trust_proxy: false,
            sessions: SessionPolicy::default(),
            login_throttle: LoginThrottle::default(),
            media_dir: PathBuf::from("data/media"),
            payment_secret: "test".into(),
            notify: NotifyConfig::default(),
        }
    }

    #[test]
    fn origin_and_cookie_security_follow_the_base_url() {
        assert_eq!(
            config("https://shop.example/ru").origin(),
            "https://shop.example"
        );
        assert_eq!(
            config("http://127.0.0.1:3000").origin(),
            "http://127.0.0.1:3000"
        );
        assert!(config("https://shop.example").secure_cookies());
        assert!(!config("http://127.0.0.1:3000").secure_cookies());
    }
}
