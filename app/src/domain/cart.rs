//! The cart as stored in localStorage and in the account (CART-1): lines,
//! merging at login, the stock check, and the shopper's cart choices (promo
//! code, delivery, instalments) that carry into checkout.
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// localStorage key of the anonymous cart.
pub const STORAGE_KEY: &str = "lavka.cart";
/// Bumped on every format change; older carts are migrated or dropped, never crash.
/// Version 2 added the price each line was last seen at (`seen_price`).
pub const SCHEMA_VERSION: u32 = 2;
/// Versions [`StoredCart::from_json`] still reads (1 lacks `seen_price`).
const READABLE_VERSIONS: [u32; 2] = [1, 2];
/// Most units of one variant in a cart.
pub const MAX_LINE_QUANTITY: u32 = 999;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCartLine {
    pub variant_id: i64,
    pub quantity: u32,
    /// The unit price the shopper last saw; only used to tell them it
    /// changed (CART-8), never to price the cart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen_price: Option<Decimal>,
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
            .filter(|c| READABLE_VERSIONS.contains(&c.version))
            .map(|c| StoredCart {
                version: SCHEMA_VERSION,
                ..c
            })
            .unwrap_or_default()
    }

    /// Adds `quantity` of a variant, merging with an existing line; a line
    /// never exceeds [`MAX_LINE_QUANTITY`] (the server checks stock later).
    pub fn add(&mut self, variant_id: i64, quantity: u32) {
        self.add_line(StoredCartLine {
            variant_id,
            quantity,
            seen_price: None,
        });
    }

    /// Adds a line as [`StoredCart::add`] does, keeping the price it was
    /// seen at unless the cart already knows one.
    pub fn add_line(&mut self, new: StoredCartLine) {
        match self
            .lines
            .iter_mut()
            .find(|l| l.variant_id == new.variant_id)
        {
            Some(line) => {
                line.quantity = line
                    .quantity
                    .saturating_add(new.quantity)
                    .min(MAX_LINE_QUANTITY);
                line.seen_price = line.seen_price.or(new.seen_price);
            }
            None if new.quantity > 0 => self.lines.push(StoredCartLine {
                quantity: new.quantity.min(MAX_LINE_QUANTITY),
                ..new
            }),
            None => {}
        }
    }

    /// Swaps a line's variant for another of the same product (colour or
    /// size changed in the cart, CART-2), keeping its place and quantity; if
    /// the other variant is already in the cart, the two lines merge.
    pub fn replace_variant(&mut self, from: i64, to: i64) {
        if from == to {
            return;
        }
        let Some(at) = self.lines.iter().position(|l| l.variant_id == from) else {
            return;
        };
        let line = self.lines.remove(at);
        if self.quantity_of(to) > 0 {
            self.add(to, line.quantity);
        } else {
            self.lines.insert(
                at,
                StoredCartLine {
                    variant_id: to,
                    quantity: line.quantity,
                    seen_price: None,
                },
            );
        }
    }

    /// Sets a line's quantity (1 to [`MAX_LINE_QUANTITY`]); 0 removes the line.
    pub fn set_quantity(&mut self, variant_id: i64, quantity: u32) {
        if quantity == 0 {
            self.lines.retain(|l| l.variant_id != variant_id);
        } else if let Some(line) = self.lines.iter_mut().find(|l| l.variant_id == variant_id) {
            line.quantity = quantity.min(MAX_LINE_QUANTITY);
        }
    }

    /// Puts back a removed line where it was (undo); if the variant was added
    /// again meanwhile, the quantities add up instead.
    pub fn restore(&mut self, position: usize, line: StoredCartLine) {
        if self.quantity_of(line.variant_id) > 0 {
            self.add_line(line);
        } else if line.quantity > 0 {
            let at = position.min(self.lines.len());
            self.lines.insert(
                at,
                StoredCartLine {
                    quantity: line.quantity.min(MAX_LINE_QUANTITY),
                    ..line
                },
            );
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

/// What the shop knows about a variant when it merges or checks a cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariantStock {
    /// Units that can be sold now; `None` when the variant can be ordered
    /// beyond its stock (backorder), so only [`MAX_LINE_QUANTITY`] limits it.
    pub sellable: Option<u32>,
}

/// Why a cart line changed without the shopper asking; shown to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CartNotice {
    /// The variant was deleted or unpublished.
    Dropped { variant_id: i64 },
    /// Less stock than asked for: the quantity was lowered to what there is.
    Reduced { variant_id: i64, to: u32 },
    /// Sold out and not available to order.
    SoldOut { variant_id: i64 },
    /// The price is not what the shopper saw when they added it (CART-8).
    PriceChanged {
        variant_id: i64,
        from: Decimal,
        to: Decimal,
    },
}

impl CartNotice {
    pub fn variant_id(&self) -> i64 {
        match self {
            CartNotice::Dropped { variant_id }
            | CartNotice::Reduced { variant_id, .. }
            | CartNotice::SoldOut { variant_id }
            | CartNotice::PriceChanged { variant_id, .. } => *variant_id,
        }
    }
}

/// The browser's cart added to the account's at login (CART-1): the same
/// variant adds up; the account's lines keep their order, new lines follow.
/// Stock is applied by [`check`] when the cart is next read, so what it
/// changes is shown to the shopper.
pub fn combine(account: &StoredCart, local: &StoredCart) -> StoredCart {
    let mut combined = StoredCart::default();
    for line in account.lines.iter().chain(&local.lines) {
        combined.add_line(line.clone());
    }
    combined
}

/// Checks a cart against the catalog as it is now: quantities capped by
/// sellable stock, variants that are gone dropped, each change with a notice.
/// `stock` answers `None` for a variant that no longer exists or is unpublished.
pub fn check(
    cart: &StoredCart,
    stock: impl Fn(i64) -> Option<VariantStock>,
) -> (StoredCart, Vec<CartNotice>) {
    let mut checked = StoredCart::default();
    let mut notices = Vec::new();
    for line in &cart.lines {
        let variant_id = line.variant_id;
        match stock(variant_id) {
            None => notices.push(CartNotice::Dropped { variant_id }),
            Some(VariantStock { sellable: None }) => checked.lines.push(line.clone()),
            Some(VariantStock { sellable: Some(0) }) => {
                notices.push(CartNotice::SoldOut { variant_id })
            }
            Some(VariantStock { sellable: Some(n) }) if n < line.quantity => {
                notices.push(CartNotice::Reduced { variant_id, to: n });
                checked.lines.push(StoredCartLine {
                    quantity: n,
                    ..line.clone()
                });
            }
            Some(_) => checked.lines.push(line.clone()),
        }
    }
    (checked, notices)
}

/// localStorage key of the shopper's cart choices.
pub const CHOICES_KEY: &str = "lavka.cart.choices";

/// What the shopper chose in the cart; checkout starts from it (CART-3,
/// CART-4, CART-6). Kept in the browser next to the cart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartChoices {
    /// The promo code as typed; the server checks it on every read.
    #[serde(default)]
    pub promo_code: Option<String>,
    /// Code of the chosen delivery method.
    #[serde(default)]
    pub delivery: Option<String>,
    /// Months of the chosen instalment or credit plan.
    #[serde(default)]
    pub instalment_months: Option<u32>,
    /// Where the parcel goes, once the shopper has said (delivery zones).
    #[serde(default)]
    pub destination: Option<super::delivery::Destination>,
}

impl CartChoices {
    pub fn from_json(raw: Option<&str>) -> CartChoices {
        raw.and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    }
}

/// localStorage key of the recently viewed product ids, newest first.
pub const RECENT_KEY: &str = "lavka.recent";
/// How many recently viewed products are remembered.
pub const RECENT_MAX: usize = 12;

/// Puts a viewed product first in the list, once, keeping at most [`RECENT_MAX`].
pub fn push_recent(recent: &mut Vec<i64>, product_id: i64) {
    recent.retain(|id| *id != product_id);
    recent.insert(0, product_id);
    recent.truncate(RECENT_MAX);
}

#[cfg(feature = "hydrate")]
pub mod browser {
    //! localStorage access, browser only.
    use super::{push_recent, CartChoices, StoredCart, CHOICES_KEY, RECENT_KEY, STORAGE_KEY};
    use gloo_storage::{LocalStorage, Storage};
    use std::sync::atomic::{AtomicU32, Ordering};

    const UNSYNCED_KEY: &str = "lavka.cart.unsynced";

    /// Counts the log-outs in this page: an account's cart that arrives after
    /// one belongs to the session that ended and must not be stored here.
    static SESSION: AtomicU32 = AtomicU32::new(0);

    pub fn session() -> u32 {
        SESSION.load(Ordering::SeqCst)
    }

    /// At log-out (CART-1): the cart stays with the account, this browser's
    /// copy is emptied, and account carts still on their way are ignored.
    pub fn forget_account_cart() {
        SESSION.fetch_add(1, Ordering::SeqCst);
        save(&StoredCart::default());
        mark_unsynced(false);
    }

    /// Marks whether this browser holds a signed-in customer's change that
    /// the server has not confirmed yet (the page may be left before it is).
    pub fn mark_unsynced(unsynced: bool) {
        let storage = LocalStorage::raw();
        let _ = if unsynced {
            storage.set_item(UNSYNCED_KEY, "1")
        } else {
            storage.remove_item(UNSYNCED_KEY)
        };
    }

    pub fn unsynced() -> bool {
        LocalStorage::raw()
            .get_item(UNSYNCED_KEY)
            .ok()
            .flatten()
            .is_some()
    }

    pub fn recently_viewed() -> Vec<i64> {
        LocalStorage::get(RECENT_KEY).unwrap_or_default()
    }

    pub fn remember_viewed(product_id: i64) {
        let mut recent = recently_viewed();
        push_recent(&mut recent, product_id);
        let _ = LocalStorage::set(RECENT_KEY, recent);
    }

    pub fn load_choices() -> CartChoices {
        let raw = LocalStorage::raw().get_item(CHOICES_KEY).ok().flatten();
        CartChoices::from_json(raw.as_deref())
    }

    pub fn save_choices(choices: &CartChoices) {
        if let Ok(json) = serde_json::to_string(choices) {
            let _ = LocalStorage::raw().set_item(CHOICES_KEY, &json);
        }
    }

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

    fn cart(lines: &[(i64, u32)]) -> StoredCart {
        let mut c = StoredCart::default();
        for (id, q) in lines {
            c.add(*id, *q);
        }
        c
    }

    #[test]
    fn merging_at_login_adds_up_caps_by_stock_and_drops_what_is_gone() {
        let account = cart(&[(1, 2), (2, 1), (5, 1)]);
        let local = cart(&[(1, 3), (3, 4), (4, 1), (6, 2)]);
        let stock = |id: i64| match id {
            1 => Some(VariantStock { sellable: Some(4) }),
            2 | 3 => Some(VariantStock { sellable: None }),
            4 => None,
            5 => Some(VariantStock { sellable: Some(0) }),
            6 => Some(VariantStock { sellable: Some(9) }),
            _ => unreachable!(),
        };
        let (merged, notices) = check(&combine(&account, &local), stock);
        assert_eq!(
            merged
                .lines
                .iter()
                .map(|l| (l.variant_id, l.quantity))
                .collect::<Vec<_>>(),
            [(1, 4), (2, 1), (3, 4), (6, 2)]
        );
        assert_eq!(
            notices,
            [
                CartNotice::Reduced {
                    variant_id: 1,
                    to: 4
                },
                CartNotice::SoldOut { variant_id: 5 },
                CartNotice::Dropped { variant_id: 4 },
            ]
        );
        assert_eq!(merged.version, SCHEMA_VERSION);
    }

    #[test]
    fn quantities_are_set_within_limits_and_zero_removes() {
        let mut c = cart(&[(1, 2), (2, 1)]);
        c.set_quantity(1, 5000);
        assert_eq!(c.quantity_of(1), MAX_LINE_QUANTITY);
        c.set_quantity(2, 0);
        c.set_quantity(3, 4);
        assert_eq!(c.lines.len(), 1, "unknown variants are not added");
    }

    #[test]
    fn undo_puts_a_line_back_in_place() {
        let mut c = cart(&[(1, 1), (2, 3), (3, 1)]);
        let removed = c.lines[1].clone();
        c.set_quantity(2, 0);
        c.restore(1, removed.clone());
        assert_eq!(c, cart(&[(1, 1), (2, 3), (3, 1)]));
        // Added again meanwhile: the quantities add up, nothing is duplicated.
        c.restore(5, removed);
        assert_eq!(c.quantity_of(2), 6);
        assert_eq!(c.lines.len(), 3);
    }

    #[test]
    fn an_empty_account_takes_the_browsers_cart_as_it_is() {
        let local = cart(&[(3, 2), (1, 1)]);
        assert_eq!(combine(&StoredCart::default(), &local), local);
        assert_eq!(
            combine(&StoredCart::default(), &StoredCart::default()),
            StoredCart::default()
        );
    }

    #[test]
    fn merging_an_empty_local_cart_changes_nothing() {
        let account = cart(&[(1, 2)]);
        let (merged, notices) = check(&combine(&account, &StoredCart::default()), |_| {
            Some(VariantStock { sellable: None })
        });
        assert_eq!((merged, notices), (account, vec![]));
    }

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
    fn a_version_one_cart_is_read_and_upgraded() {
        let old = StoredCart::from_json(Some(
            r#"{"version":1,"lines":[{"variant_id":4,"quantity":2}]}"#,
        ));
        assert_eq!(old.version, SCHEMA_VERSION);
        assert_eq!((old.quantity_of(4), old.lines[0].seen_price), (2, None));
        let json = serde_json::to_string(&old).unwrap();
        assert_eq!(StoredCart::from_json(Some(&json)), old);
    }

    #[test]
    fn merging_keeps_the_price_a_line_was_seen_at() {
        let seen = |id, quantity, price: &str| StoredCartLine {
            variant_id: id,
            quantity,
            seen_price: Some(price.parse().unwrap()),
        };
        let mut account = StoredCart::default();
        account.add(1, 1);
        let mut local = StoredCart::default();
        local.add_line(seen(1, 2, "990"));
        local.add_line(seen(2, 1, "150"));
        let merged = combine(&account, &local);
        assert_eq!(merged.lines[0], seen(1, 3, "990"));
        assert_eq!(merged.lines[1], seen(2, 1, "150"));
    }

    #[test]
    fn changing_a_lines_variant_keeps_its_place_or_merges() {
        let mut c = cart(&[(1, 2), (2, 1), (3, 4)]);
        c.replace_variant(2, 9);
        assert_eq!(c, cart(&[(1, 2), (9, 1), (3, 4)]));
        c.replace_variant(9, 3);
        assert_eq!(c, cart(&[(1, 2), (3, 5)]));
        c.replace_variant(42, 1);
        assert_eq!(
            c,
            cart(&[(1, 2), (3, 5)]),
            "an unknown line changes nothing"
        );
    }

    #[test]
    fn recently_viewed_keeps_the_newest_once() {
        let mut recent = Vec::new();
        for id in [1, 2, 3, 2] {
            push_recent(&mut recent, id);
        }
        assert_eq!(recent, [2, 3, 1]);
        for id in 10..30 {
            push_recent(&mut recent, id);
        }
        assert_eq!(recent.len(), RECENT_MAX);
        assert_eq!(recent[0], 29);
    }

    #[test]
    fn choices_survive_garbage() {
        assert_eq!(CartChoices::from_json(Some("[1,2")), CartChoices::default());
        let c = CartChoices::from_json(Some(r#"{"promo_code":"AUTUMN"}"#));
        assert_eq!(c.promo_code.as_deref(), Some("AUTUMN"));
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
                    seen_price: None,
                },
                StoredCartLine {
                    variant_id: 2,
                    quantity: 1,
                    seen_price: None,
                },
            ],
        };
        assert_eq!(huge.item_count(), u32::MAX);
    }
}
