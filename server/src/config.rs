//! Configuration from the environment (and an optional `.env`); the README's
//! configuration table lists every variable.
use app::domain::accounts::{LoginThrottle, SessionPolicy};
use app::server::{Config, NotifyConfig};
use std::net::SocketAddr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/lavka.db";

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub site_addr: SocketAddr,
    pub app: Config,
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Settings> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let site_addr: SocketAddr = var("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| anyhow::anyhow!("LEPTOS_SITE_ADDR must look like 127.0.0.1:3000: {e}"))?;
        let base_url = var("LAVKA_BASE_URL")
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_string();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            anyhow::bail!(
                "LAVKA_BASE_URL must start with http:// or https:// (got \"{base_url}\")"
            );
        }
        let trust_proxy = match var("LAVKA_TRUST_PROXY").as_deref() {
            None | Some("0") | Some("false") => false,
            Some("1") | Some("true") => true,
            Some(other) => {
                anyhow::bail!("LAVKA_TRUST_PROXY must be true or false (got \"{other}\")")
            }
        };
        Ok(Settings {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            site_addr,
            app: Config {
                base_url,
                trust_proxy,
                sessions: SessionPolicy::default(),
                login_throttle: LoginThrottle::default(),
                media_dir: var("LAVKA_MEDIA_DIR")
                    .unwrap_or_else(|| "data/media".into())
                    .into(),
                payment_secret: var("LAVKA_PAYMENT_SECRET").unwrap_or_else(|| {
                    // One instance only: several must share the key.
                    tracing::warn!(
                        "LAVKA_PAYMENT_SECRET is not set; using a random key for this run"
                    );
                    app::server::accounts::new_session_token().0
                }),
                notify: NotifyConfig {
                    smtp_url: var("LAVKA_SMTP_URL"),
                    mail_from: var("LAVKA_MAIL_FROM")
                        .unwrap_or_else(|| "Lavka <shop@localhost>".into()),
                    sms_url: var("LAVKA_SMS_URL"),
                    sms_key: var("LAVKA_SMS_KEY").unwrap_or_default(),
                },
            },
        })
    }
}
