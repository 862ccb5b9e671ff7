//! The browser-side cart as stored in localStorage (CART-1). The cart issue
//! grows this module; the walking skeleton needs the stored format and the
//! item count shown in the header.
use serde::{Deserialize, Serialize};

/// localStorage key of the anonymous cart.
pub const STORAGE_KEY: &str = "lavka.cart";
/// Bumped on every incompatible format change; older carts are migrated or dropped, never crash.
pub const SCHEMA_VERSION: u32 = 1;
/// Most units of one variant in a cart.
pub const MAX_LINE_QUANTITY: u32 = 999;

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

    /// Adds `quantity` of a variant, merging with an existing line; a line
    /// never exceeds [`MAX_LINE_QUANTITY`] (the server checks stock later).
    pub fn add(&mut self, variant_id: i64, quantity: u32) {
        match self.lines.iter_mut().find(|l| l.variant_id == variant_id) {
            Some(line) => {
                line.quantity = line
                    .quantity
                    .saturating_add(quantity)
                    .min(MAX_LINE_QUANTITY)
            }
            None if quantity > 0 => self.lines.push(StoredCartLine {
                variant_id,
                quantity: quantity.min(MAX_LINE_QUANTITY),
            }),
            None => {}
        }
    }

    pub fn quantity_of(&self, variant_id: i64) -> u32 {
        self.lines
            .iter()
            .find(|l| l.variant_id == variant_id)
            .map_or(0, |l| l.quantity)
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

    pub fn save(cart: &StoredCart) {
        if let Ok(json) = serde_json::to_string(cart) {
            let _ = LocalStorage::raw().set_item(STORAGE_KEY, &json);
        }
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
    fn adding_merges_lines_and_caps_quantity() {
        let mut cart = StoredCart::default();
        cart.add(7, 2);
        cart.add(9, 1);
        cart.add(7, 3);
        assert_eq!(cart.lines.len(), 2);
        assert_eq!(cart.quantity_of(7), 5);
        cart.add(9, u32::MAX);
        assert_eq!(cart.quantity_of(9), MAX_LINE_QUANTITY);
        cart.add(11, 0);
        assert_eq!(cart.lines.len(), 2, "zero adds nothing");
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
