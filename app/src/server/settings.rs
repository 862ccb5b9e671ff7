//! Shop settings (key/value rows) with the defaults a fresh shop starts with.
use super::entities::settings;
use crate::api::shop::ShopInfo;
use crate::domain::money::Currency;
use sea_orm::{sea_query::OnConflict, ConnectionTrait, DbErr, EntityTrait, Set};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

pub const KEYS: [&str; 17] = [
    "shop.name",
    "shop.tagline_ru",
    "shop.tagline_en",
    "shop.phone",
    "shop.email",
    "shop.address",
    "shop.telegram",
    "shop.whatsapp",
    "shop.currency",
    "shop.free_delivery_from",
    // The seller on invoices and receipts (CHK-3).
    "shop.legal_name",
    "shop.inn",
    "shop.kpp",
    "shop.bank",
    "shop.bik",
    "shop.account",
    "shop.corr_account",
];

/// Shop settings are read on every page; an instance re-reads them at most
/// once per [`super::catalog::RECHECK`], so a change reaches all instances within it.
#[derive(Debug, Default)]
pub struct ShopInfoCache {
    current: std::sync::RwLock<Option<(ShopInfo, std::time::Instant)>>,
    /// Counts the changes seen, so pages rendered from older settings can be told apart.
    edition: AtomicU64,
}

impl ShopInfoCache {
    pub async fn get(&self, db: &impl ConnectionTrait) -> Result<ShopInfo, DbErr> {
        if let Some((info, at)) = self.current.read().expect("settings lock").as_ref() {
            if at.elapsed() < super::catalog::RECHECK {
                return Ok(info.clone());
            }
        }
        let info = load(db).await?;
        let mut current = self.current.write().expect("settings lock");
        if current.as_ref().is_some_and(|(held, _)| *held != info) {
            self.edition.fetch_add(1, Ordering::SeqCst);
        }
        *current = Some((info.clone(), std::time::Instant::now()));
        Ok(info)
    }

    /// Changes whenever the settings [`Self::get`] returns changed.
    pub fn edition(&self) -> u64 {
        self.edition.load(Ordering::SeqCst)
    }
}

pub async fn load(db: &impl ConnectionTrait) -> Result<ShopInfo, DbErr> {
    let map: HashMap<String, String> = settings::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.key, s.value))
        .collect();
    let get = |k: &str| map.get(k).cloned().unwrap_or_default();
    Ok(ShopInfo {
        base_url: String::new(),
        name: map
            .get("shop.name")
            .cloned()
            .unwrap_or_else(|| "Lavka".into()),
        tagline_ru: get("shop.tagline_ru"),
        tagline_en: get("shop.tagline_en"),
        phone: get("shop.phone"),
        email: get("shop.email"),
        address: get("shop.address"),
        telegram: get("shop.telegram"),
        whatsapp: get("shop.whatsapp"),
        currency: get("shop.currency").parse().unwrap_or(Currency::Rub),
        free_delivery_from: get("shop.free_delivery_from").parse().ok(),
    })
}

/// Inserts or replaces settings; unknown keys are refused so typos do not pass silently.
pub async fn save(db: &impl ConnectionTrait, pairs: &[(&str, String)]) -> Result<(), DbErr> {
    for (key, value) in pairs {
        if !KEYS.contains(key) {
            return Err(DbErr::Custom(format!("unknown setting \"{key}\"")));
        }
        put(db, key, value).await?;
    }
    Ok(())
}

/// Inserts or replaces one settings row, whatever its key (internal keys too).
pub async fn put(db: &impl ConnectionTrait, key: &str, value: &str) -> Result<(), DbErr> {
    settings::Entity::insert(settings::ActiveModel {
        key: Set(key.to_string()),
        value: Set(value.to_string()),
    })
    .on_conflict(
        OnConflict::column(settings::Column::Key)
            .update_column(settings::Column::Value)
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// One settings row's value, if set.
pub async fn value(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, DbErr> {
    Ok(settings::Entity::find_by_id(key.to_string())
        .one(db)
        .await?
        .map(|s| s.value))
}
