//! What every request handler and server function gets: the database pool,
//! the configuration and the instance's caches.
use super::catalog::{CatalogCache, RECHECK};
use super::delivery::Offered;
use super::entities::notification_templates;
use crate::domain::accounts::{LoginThrottle, SessionPolicy};
use sea_orm::{DatabaseConnection, DbErr};
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

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
    /// The active delivery methods (every cart read and checkout prices them).
    pub delivery_methods: Arc<Reread<Offered>>,
    /// The active notification templates (every order event renders them).
    pub notification_templates: Arc<Reread<Vec<notification_templates::Model>>>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config) -> AppState {
        AppState {
            db,
            config: Arc::new(config),
            catalog: Arc::default(),
            shop_info: Arc::default(),
            delivery_methods: Arc::default(),
            notification_templates: Arc::default(),
        }
    }
}

/// A small table that many requests read and staff rarely edit, kept by
/// each instance for [`RECHECK`] like the catalog snapshot: an edit reaches
/// the other instances within it, and this one at once through
/// [`Reread::invalidate`]. Each read saved is a round trip off checkout.
#[derive(Debug)]
pub struct Reread<T> {
    current: RwLock<Option<(Arc<T>, Instant)>>,
    /// Counts invalidations: a load that began before one may hold the rows
    /// from before the edit, so it is used once but not kept.
    invalidations: AtomicU64,
}

impl<T> Default for Reread<T> {
    fn default() -> Self {
        Reread {
            current: RwLock::new(None),
            invalidations: AtomicU64::new(0),
        }
    }
}

impl<T> Reread<T> {
    /// The kept value, or what `load` reads if it is older than [`RECHECK`].
    pub async fn get<F>(&self, load: impl FnOnce() -> F) -> Result<Arc<T>, DbErr>
    where
        F: Future<Output = Result<T, DbErr>>,
    {
        if let Some((held, at)) = self.current.read().expect("reread lock").as_ref() {
            if at.elapsed() < RECHECK {
                return Ok(held.clone());
            }
        }
        let generation = self.invalidations.load(Ordering::SeqCst);
        let fresh = Arc::new(load().await?);
        if self.invalidations.load(Ordering::SeqCst) == generation {
            *self.current.write().expect("reread lock") = Some((fresh.clone(), Instant::now()));
        }
        Ok(fresh)
    }

    /// Forgets the kept value: call after committing an edit of it.
    pub fn invalidate(&self) {
        self.invalidations.fetch_add(1, Ordering::SeqCst);
        *self.current.write().expect("reread lock") = None;
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

    #[tokio::test]
    async fn reread_keeps_a_value_until_invalidated_and_drops_a_load_that_raced_an_edit() {
        let cache: Reread<u32> = Reread::default();
        let loads = AtomicU64::new(0);
        let load = || async { Ok::<_, DbErr>(loads.fetch_add(1, Ordering::SeqCst) as u32) };
        assert_eq!(*cache.get(load).await.unwrap(), 0);
        assert_eq!(*cache.get(load).await.unwrap(), 0, "kept within RECHECK");
        cache.invalidate();
        assert_eq!(
            *cache.get(load).await.unwrap(),
            1,
            "read again after an edit"
        );
        cache.invalidate();
        // An edit lands while a load is under way: its answer is not kept.
        let raced = cache
            .get(|| async {
                cache.invalidate();
                Ok::<_, DbErr>(99)
            })
            .await
            .unwrap();
        assert_eq!(*raced, 99);
        assert_eq!(*cache.get(load).await.unwrap(), 2);
        // A failed read keeps nothing and reports the error.
        cache.invalidate();
        assert!(cache
            .get(|| async { Err::<u32, _>(DbErr::Custom("down".into())) })
            .await
            .is_err());
        assert_eq!(*cache.get(load).await.unwrap(), 3);
    }
}
