//! The browser-side cart as stored in localStorage (CART-1). The cart issue
//! grows this module; the walking skeleton needs the stored format and the
//! item count shown in the header.
use serde::{Deserialize, Serialize};

/// localStorage key of the anonymous cart.
pub const STORAGE_KEY: &str = "lavka.cart";
/// Bumped on every incompatible format change; older carts are migrated or dropped, never crash.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCartLine {
    pub variant_id: i64,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCart {
    pub version: u32,
    pub lines: Vec<StoredCartLine>,
}

impl Default for StoredCart {
    fn default() -> Self {
        StoredCart {
            version: SCHEMA_VERSION,
            lines: Vec::new(),
        }
    }
}

impl StoredCart {
    /// Reads what localStorage holds; anything unreadable or from an unknown
    /// schema version becomes an empty cart instead of an error page.
    pub fn from_json(raw: Option<&str>) -> StoredCart {
        raw.and_then(|s| serde_json::from_str::<StoredCart>(s).ok())
            .filter(|c| c.version == SCHEMA_VERSION)
            .unwrap_or_default()
    }

    pub fn item_count(&self) -> u32 {
        self.lines
            .iter()
            .fold(0u32, |n, l| n.saturating_add(l.quantity))
    }
}

#[cfg(feature = "hydrate")]
pub mod browser {
    //! localStorage access, browser only.
    use super::{StoredCart, STORAGE_KEY};
    use gloo_storage::{LocalStorage, Storage};

    pub fn load() -> StoredCart {
        let raw = LocalStorage::raw().get_item(STORAGE_KEY).ok().flatten();
        StoredCart::from_json(raw.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_or_foreign_carts_become_empty() {
        assert_eq!(StoredCart::from_json(None), StoredCart::default());
        assert_eq!(
            StoredCart::from_json(Some("{not json")),
            StoredCart::default()
        );
        assert_eq!(
            StoredCart::from_json(Some(
                r#"{"version":99,"lines":[{"variant_id":1,"quantity":2}]}"#
            )),
            StoredCart::default()
        );
    }

    #[test]
    fn counts_items_across_lines() {
        let cart = StoredCart::from_json(Some(
            r#"{"version":1,"lines":[{"variant_id":1,"quantity":2},{"variant_id":7,"quantity":3}]}"#,
        ));
        assert_eq!(cart.item_count(), 5);
        let huge = StoredCart {
            version: 1,
            lines: vec![
                StoredCartLine {
                    variant_id: 1,
                    quantity: u32::MAX,
                },
                StoredCartLine {
                    variant_id: 2,
                    quantity: 1,
                },
            ],
        };
        assert_eq!(huge.item_count(), u32::MAX);
    }
}
