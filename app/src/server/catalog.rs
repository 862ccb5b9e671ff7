//! The storefront's view of the catalog (CAT-1..3): an immutable in-memory
//! snapshot of every published product, with the listing index and the search
//! index built once, shared by all requests.
//!
//! Several app instances may share one database, so the snapshot is tied to a
//! version token in `settings` that every catalog write replaces; an instance
//! looks at the token at most once per [`RECHECK`] and rebuilds when it changed.
//!
//! Stock is the exception: orders change it all the time, and rebuilding the
//! whole snapshot per order would make checkout as slow as a rebuild. The
//! units on hand live in atomics that an order refreshes for its own variants;
//! at each recheck an instance re-reads the stock of the variants in the
//! stock ledger's movements since it last looked (other instances' orders,
//! receipts, returns). Every [`FULL_STOCK_READ`] a background task of the
//! server re-reads all stock levels ([`CatalogCache::read_all_stock`]) in
//! case a PostgreSQL transaction committed a movement out of id order; it
//! runs outside any request because it reads every stock row (over a second
//! under load with 10,000 products on SQLite). A variant running out (or
//! coming back) flips its "in stock" flag in the listing index in place and
//! drops the snapshot's kept listings; it rebuilds nothing, because a
//! rebuild of 10,000 products costs a second of CPU and about 150 MB while
//! the old snapshot still serves.
use super::entities::{
    categories, info_pages, media, photos, products, related_products, settings, stock,
    stock_movements, variants, warehouses,
};
use crate::domain::catalog::listing::{
    self, FacetValues, ListingIndex, ListingQuery, ListingResult, BRAND_KEY,
};
use crate::domain::catalog::search::{weight, SearchIndex, SearchIndexBuilder};
use crate::domain::catalog::{from_minor, slugify, Availability, OptionValue};
use crate::domain::delivery::StockAt;
use futures_util::TryStreamExt;
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    StreamTrait,
};
use std::collections::{HashMap, HashSet};
use std::pin::pin;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

pub const VERSION_KEY: &str = "catalog.version";
/// How stale another instance's catalog change may be seen here.
pub const RECHECK: Duration = Duration::from_secs(1);
/// While one request rechecks, the others are served a snapshot up to this old.
const STALE_MAX: Duration = Duration::from_secs(30);
/// How often an instance re-reads every stock level, not only the moved ones.
pub const FULL_STOCK_READ: Duration = Duration::from_secs(60);
/// More moved variants than this since the last look: re-read them all.
const MOVED_MAX: u64 = 2_000;
/// Products on each home page shelf.
pub const SHELF: usize = 8;

#[derive(Debug, Clone)]
pub struct CategoryRec {
    pub id: i64,
    pub parent: Option<usize>,
    pub slug: String,
    pub name_ru: String,
    pub name_en: String,
    pub featured: bool,
    /// Published products in this category and below.
    pub product_count: usize,
}

#[derive(Debug, Clone)]
pub struct VariantRec {
    pub id: i64,
    pub sku: String,
    pub barcode: Option<String>,
    /// Shared between variants: a catalog has few distinct option values.
    pub options: Vec<Arc<OptionValue>>,
    pub price: Decimal,
    pub old_price: Option<Decimal>,
    pub stock: StockLevel,
    pub backorder_days: Option<i32>,
}

impl VariantRec {
    pub fn availability(&self) -> Availability {
        Availability::of(self.stock.get(), self.backorder_days)
    }
}

/// Units on hand; orders update it in place. The total is what listings
/// read on every request, so it is a plain atomic; the split by warehouse
/// is read only for a cart's delivery dates.
#[derive(Debug, Default)]
pub struct StockLevel {
    total: AtomicI64,
    /// Units per warehouse holding any, with its days to dispatch.
    by_warehouse: RwLock<Vec<StockAt>>,
}

impl StockLevel {
    pub fn new(mut by_warehouse: Vec<StockAt>) -> StockLevel {
        by_warehouse.shrink_to_fit();
        StockLevel {
            total: AtomicI64::new(by_warehouse.iter().map(|s| s.units).sum()),
            by_warehouse: RwLock::new(by_warehouse),
        }
    }

    pub fn get(&self) -> i64 {
        self.total.load(Ordering::Relaxed)
    }

    pub fn by_warehouse(&self) -> Vec<StockAt> {
        self.by_warehouse
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Replaces the levels; returns the total before.
    fn set(&self, by_warehouse: Vec<StockAt>) -> i64 {
        let total = by_warehouse.iter().map(|s| s.units).sum();
        *self
            .by_warehouse
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = by_warehouse;
        self.total.swap(total, Ordering::Relaxed)
    }
}

impl Clone for StockLevel {
    fn clone(&self) -> Self {
        StockLevel::new(self.by_warehouse())
    }
}

#[derive(Debug, Clone)]
pub struct PhotoRec {
    pub key: String,
    pub width: u32,
    pub height: u32,
    pub widths: Vec<u32>,
    pub has_webp: bool,
    pub alt_ru: String,
    pub alt_en: String,
    pub option_value: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ProductRec {
    pub id: i64,
    pub slug: String,
    /// Index into `Snapshot::categories`.
    pub category: usize,
    pub brand: String,
    pub name_ru: String,
    pub name_en: String,
    pub description_ru: String,
    pub description_en: String,
    pub attributes: Vec<Arc<OptionValue>>,
    pub weight_g: i32,
    pub dimensions_mm: (i32, i32, i32),
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub popularity: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub variants: Vec<VariantRec>,
    pub photos: Vec<PhotoRec>,
    /// Indexes into `Snapshot::products`.
    pub related: Vec<usize>,
}

impl ProductRec {
    pub fn min_price(&self) -> Option<&VariantRec> {
        self.variants.iter().min_by_key(|v| v.price)
    }

    pub fn is_discounted(&self) -> bool {
        self.variants
            .iter()
            .any(|v| v.old_price.is_some_and(|old| old > v.price))
    }
}

#[derive(Debug, Clone)]
pub struct InfoPageRec {
    pub slug: String,
    pub title_ru: String,
    pub title_en: String,
    pub body_ru: String,
    pub body_en: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Everything the storefront reads, built once per catalog version.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub version: String,
    /// Unique per build in this process: what a page rendered from it depends on.
    serial: u64,
    /// Counts changes of any variant's units on hand since the build.
    stock_changes: AtomicU64,
    /// The newest stock movement when stock was last read (see the module docs).
    stock_mark: AtomicI64,
    pub categories: Vec<CategoryRec>,
    pub products: Vec<ProductRec>,
    pub info_pages: Vec<InfoPageRec>,
    /// Every product, best sellers first.
    listing: ListingIndex,
    /// Parallel to `products`: each one's slot in `listing`.
    listing_slots: Vec<u32>,
    /// The numbering of facet values used by `listing`.
    pub facet_values: FacetValues,
    /// Documents are positions in `products`.
    pub search: SearchIndex,
    category_by_slug: HashMap<String, usize>,
    product_by_slug: HashMap<String, usize>,
    /// Variant id → (product position, variant position).
    variant_by_id: HashMap<i64, (usize, usize)>,
    /// Every ancestor of each category, itself included, parallel to `categories`.
    category_chains: Vec<Vec<usize>>,
    /// For each category, the products in it or below, best sellers first.
    category_products: Vec<Vec<usize>>,
    /// Newest products first (home page shelf).
    pub newest: Vec<usize>,
    /// Warehouse id → days to bring its goods to the dispatch point.
    pub dispatch_days: HashMap<i64, u32>,
    /// Discounted products, best sellers first (home page shelf).
    pub discounted: Vec<usize>,
    /// Names of every facet value: (key, code) → label, in first-seen order.
    facet_labels: HashMap<(String, String), FacetLabel>,
    /// Listings already run on this snapshot, by category and query (CAT-2).
    listings: ListingCache,
}

#[derive(Debug, Clone)]
pub struct FacetLabel {
    pub order: usize,
    pub value: OptionValue,
}

/// Snapshots built so far in this process.
static BUILDS: AtomicU64 = AtomicU64::new(1);

impl Snapshot {
    /// Changes whenever anything a storefront page shows from the catalog may
    /// have changed: a new snapshot, or new units on hand of any variant.
    pub fn edition(&self) -> (u64, u64) {
        (self.serial, self.stock_changes.load(Ordering::SeqCst))
    }

    pub fn category(&self, slug: &str) -> Option<usize> {
        self.category_by_slug.get(slug).copied()
    }

    pub fn product(&self, slug: &str) -> Option<&ProductRec> {
        self.product_by_slug.get(slug).map(|&i| &self.products[i])
    }

    /// A published product's variant, with its product.
    pub fn variant(&self, id: i64) -> Option<(&ProductRec, &VariantRec)> {
        self.variant_by_id.get(&id).map(|&(p, v)| {
            let product = &self.products[p];
            (product, &product.variants[v])
        })
    }

    /// Root first, the category itself last.
    pub fn chain(&self, category: usize) -> &[usize] {
        &self.category_chains[category]
    }

    pub fn facet_label(&self, key: &str, code: &str) -> Option<&FacetLabel> {
        self.facet_labels.get(&(key.to_string(), code.to_string()))
    }

    pub fn products_in(&self, category: usize) -> &[usize] {
        &self.category_products[category]
    }

    /// The filtered, counted and sorted listing of a category (CAT-2), run
    /// once per query on this snapshot. Positions in the result are into
    /// [`Self::products_in`]. The answer is kept with the snapshot until a
    /// variant runs out or comes back, the one change the listing sees
    /// while a snapshot lives.
    pub fn run_listing(&self, category: usize, query: &ListingQuery) -> Arc<ListingResult> {
        let key = (category, query.clone());
        let (found, generation) = self.listings.get(&key);
        if let Some(found) = found {
            return found;
        }
        let slots: Vec<u32> = self.category_products[category]
            .iter()
            .map(|&i| self.listing_slots[i])
            .collect();
        let result = Arc::new(listing::run(
            &self.listing,
            &slots,
            &self.facet_values,
            query,
        ));
        self.listings.put(generation, key, result.clone());
        result
    }

    pub fn children(&self, category: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        self.categories
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.parent == category)
            .map(|(i, _)| i)
    }
}

/// Listing results of one snapshot. Bounded: when full it starts over, so a
/// crawler walking every filter combination costs no more than no cache.
#[derive(Debug, Default)]
struct ListingCache {
    kept: Mutex<KeptListings>,
}

#[derive(Debug, Default)]
struct KeptListings {
    /// Counts the times a variant's "in stock" flipped: a result computed
    /// before a flip is not kept after it.
    generation: u64,
    entries: HashMap<(usize, ListingQuery), Arc<ListingResult>>,
}

impl ListingCache {
    const CAPACITY: usize = 512;

    /// The kept result, and the generation to hand to [`Self::put`].
    fn get(&self, key: &(usize, ListingQuery)) -> (Option<Arc<ListingResult>>, u64) {
        let kept = self.kept.lock().expect("listing cache lock");
        (kept.entries.get(key).cloned(), kept.generation)
    }

    fn put(&self, generation: u64, key: (usize, ListingQuery), result: Arc<ListingResult>) {
        let mut kept = self.kept.lock().expect("listing cache lock");
        if kept.generation != generation {
            return;
        }
        if kept.entries.len() >= Self::CAPACITY {
            kept.entries.clear();
        }
        kept.entries.insert(key, result);
    }

    fn clear(&self) {
        let mut kept = self.kept.lock().expect("listing cache lock");
        kept.generation += 1;
        kept.entries.clear();
    }
}

/// The shared snapshot of one app instance.
#[derive(Debug, Default)]
pub struct CatalogCache {
    current: RwLock<Option<(Arc<Snapshot>, Instant)>>,
    rebuild: tokio::sync::Mutex<()>,
    /// Counts `invalidate` calls: a rebuild that started before one may have
    /// read the data from before the write, so it must not be kept as fresh.
    invalidations: AtomicU64,
}

/// What the snapshot reads from: a connection that can also hand rows over
/// one at a time, so a build or a full stock read never holds every row of
/// a table at once (on SQLite each row read whole costs about 100 bytes a
/// column before it is turned into a record).
pub trait CatalogSource: ConnectionTrait + StreamTrait + Send + Sync {}

impl<C: ConnectionTrait + StreamTrait + Send + Sync> CatalogSource for C {}

/// Units on hand grouped by variant, with each warehouse's days to dispatch.
#[derive(Debug, Default)]
struct StockByVariant(HashMap<i64, Vec<StockAt>>);

impl StockByVariant {
    fn add(&mut self, row: stock::Model, dispatch_days: &HashMap<i64, u32>) {
        if row.quantity > 0 {
            self.0.entry(row.variant_id).or_default().push(StockAt {
                dispatch_days: dispatch_days.get(&row.warehouse_id).copied().unwrap_or(0),
                units: i64::from(row.quantity),
            });
        }
    }

    fn of_rows(rows: Vec<stock::Model>, dispatch_days: &HashMap<i64, u32>) -> StockByVariant {
        let mut by_variant = StockByVariant::default();
        rows.into_iter()
            .for_each(|row| by_variant.add(row, dispatch_days));
        by_variant
    }

    async fn read(
        db: &impl CatalogSource,
        query: Select<stock::Entity>,
        dispatch_days: &HashMap<i64, u32>,
    ) -> Result<StockByVariant, DbErr> {
        let mut by_variant = StockByVariant::default();
        let mut rows = pin!(query.stream(db).await?);
        while let Some(row) = rows.try_next().await? {
            by_variant.add(row, dispatch_days);
        }
        Ok(by_variant)
    }
}

impl CatalogCache {
    /// Forgets the snapshot, so this instance sees its own writes at once.
    pub fn invalidate(&self) {
        self.invalidations.fetch_add(1, Ordering::SeqCst);
        *self.current.write().expect("catalog lock") = None;
    }

    /// The current snapshot, rebuilt first if the catalog changed.
    pub async fn get(&self, db: &impl CatalogSource) -> Result<Arc<Snapshot>, DbErr> {
        let held = self.current.read().expect("catalog lock").clone();
        if let Some((snapshot, checked)) = &held {
            if checked.elapsed() < RECHECK {
                return Ok(snapshot.clone());
            }
        }
        // One recheck at a time. While it runs (a full stock read can take a
        // second under load), the others keep the snapshot they have rather
        // than queue behind it, unless this instance invalidated it.
        let _guard = match self.rebuild.try_lock() {
            Ok(guard) => guard,
            Err(_) => match held {
                Some((snapshot, checked)) if checked.elapsed() < STALE_MAX => return Ok(snapshot),
                _ => self.rebuild.lock().await,
            },
        };
        let cached = self.current.read().expect("catalog lock").clone();
        if let Some((snapshot, checked)) = &cached {
            if checked.elapsed() < RECHECK {
                return Ok(snapshot.clone());
            }
        }
        let generation = self.invalidations.load(Ordering::SeqCst);
        let version = current_version(db).await?;
        let current = match cached {
            Some((snapshot, _)) if snapshot.version == version => {
                snapshot.catch_up_stock(db).await?;
                Some(snapshot)
            }
            _ => None,
        };
        let snapshot = match current {
            Some(snapshot) => snapshot,
            None => {
                let started = Instant::now();
                let built = Arc::new(build(db, version).await?);
                release_freed_memory();
                tracing::info!(
                    products = built.products.len(),
                    ms = started.elapsed().as_millis() as u64,
                    "catalog snapshot built"
                );
                built
            }
        };
        // Kept only if no write of this instance happened meanwhile; else the
        // next request rebuilds.
        if self.invalidations.load(Ordering::SeqCst) == generation {
            *self.current.write().expect("catalog lock") = Some((snapshot.clone(), Instant::now()));
        }
        Ok(snapshot)
    }
}

/// The snapshot build leaves much freed scratch memory; hand it back to the
/// system instead of keeping it in the allocator's arenas.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

async fn current_version(db: &impl ConnectionTrait) -> Result<String, DbErr> {
    Ok(settings::Entity::find_by_id(VERSION_KEY)
        .one(db)
        .await?
        .map(|s| s.value)
        .unwrap_or_default())
}

async fn newest_stock_movement(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    Ok(stock_movements::Entity::find()
        .select_only()
        .column_as(stock_movements::Column::Id.max(), "newest")
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten()
        .unwrap_or(0))
}

impl Snapshot {
    /// Re-reads the stock that moved since the last look (all of it after
    /// a burst).
    async fn catch_up_stock(&self, db: &impl CatalogSource) -> Result<(), DbErr> {
        let mark = self.stock_mark.load(Ordering::SeqCst);
        let moved: Vec<(i64, i64)> = stock_movements::Entity::find()
            .select_only()
            .column(stock_movements::Column::Id)
            .column(stock_movements::Column::VariantId)
            .filter(stock_movements::Column::Id.gt(mark))
            .order_by_asc(stock_movements::Column::Id)
            .limit(MOVED_MAX + 1)
            .into_tuple()
            .all(db)
            .await?;
        if moved.len() as u64 > MOVED_MAX {
            return self.read_all_stock(db).await;
        }
        let Some(&(newest, _)) = moved.last() else {
            return Ok(());
        };
        // Stock is read after the movements, so it is at least this new.
        self.stock_mark.fetch_max(newest, Ordering::SeqCst);
        let mut variants: Vec<i64> = moved.into_iter().map(|(_, v)| v).collect();
        variants.sort_unstable();
        variants.dedup();
        self.refresh_stock(db, Some(&variants)).await
    }

    async fn read_all_stock(&self, db: &impl CatalogSource) -> Result<(), DbErr> {
        let newest = newest_stock_movement(db).await?;
        self.stock_mark.fetch_max(newest, Ordering::SeqCst);
        self.refresh_stock(db, None).await
    }

    /// Re-reads the units on hand of `only` these variants (or of all).
    pub async fn refresh_stock(
        &self,
        db: &impl CatalogSource,
        only: Option<&[i64]>,
    ) -> Result<(), DbErr> {
        let mut query = stock::Entity::find();
        if let Some(ids) = only {
            query = query.filter(stock::Column::VariantId.is_in(ids.iter().copied()));
        }
        let units = StockByVariant::read(db, query, &self.dispatch_days).await?;
        self.set_stock(&units, only);
        Ok(())
    }

    /// Takes `units` as every stock row of `only` these variants (or of
    /// all). A variant that ran out or came back flips its "in stock" in the
    /// listing index, and the listings kept so far go (CAT-2).
    fn set_stock(&self, units: &StockByVariant, only: Option<&[i64]>) {
        let mut flipped = false;
        let mut changed = false;
        // `get`, not `remove`: a variant may be named twice.
        let mut update = |product: usize, variant: usize| {
            let rec = &self.products[product].variants[variant];
            let now = units.0.get(&rec.id).cloned().unwrap_or_default();
            let total = now.iter().map(|s| s.units).sum::<i64>();
            changed |= rec.stock.set(now) != total;
            let listed = self
                .listing
                .in_stock(self.listing_slots[product] as usize, variant);
            flipped |= listed.set(total > 0) != (total > 0);
        };
        match only {
            Some(ids) => ids
                .iter()
                .filter_map(|id| self.variant_by_id.get(id))
                .for_each(|&(p, v)| update(p, v)),
            None => {
                for (p, product) in self.products.iter().enumerate() {
                    (0..product.variants.len()).for_each(|v| update(p, v));
                }
            }
        }
        if flipped {
            self.listings.clear();
        }
        if changed {
            self.stock_changes.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl CatalogCache {
    /// Re-reads every stock level of the current snapshot (see the module
    /// docs).
    pub async fn read_all_stock(&self, db: &impl CatalogSource) -> Result<(), DbErr> {
        self.get(db).await?.read_all_stock(db).await
    }

    /// After an order or a cancellation changed these variants' stock: shows
    /// the new levels here at once; other instances catch up from the stock
    /// ledger within [`RECHECK`]. `None`: any variant may have changed.
    pub async fn stock_changed(
        &self,
        db: &impl CatalogSource,
        variants: Option<&[i64]>,
    ) -> Result<(), DbErr> {
        self.get(db).await?.refresh_stock(db, variants).await
    }

    /// Like [`Self::stock_changed`], with the stock rows the change left
    /// (every row with units of these variants), so nothing is read again.
    pub async fn stock_known(
        &self,
        db: &impl CatalogSource,
        variants: &[i64],
        rows: Vec<stock::Model>,
    ) -> Result<(), DbErr> {
        let snapshot = self.get(db).await?;
        let units = StockByVariant::of_rows(rows, &snapshot.dispatch_days);
        snapshot.set_stock(&units, Some(variants));
        Ok(())
    }
}

/// Marks the catalog as changed, so every instance rebuilds its snapshot.
/// Call it in the same transaction as the change.
pub async fn bump_version(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let token = format!(
        "{}-{:08x}",
        chrono::Utc::now().timestamp_micros(),
        rand::random::<u32>()
    );
    super::settings::put(db, VERSION_KEY, &token).await
}

/// One shared copy of every distinct option value.
type OptionPool = HashMap<OptionValue, Arc<OptionValue>>;

fn parse_options(pool: &mut OptionPool, json: &str, what: &str, id: i64) -> Vec<Arc<OptionValue>> {
    let values: Vec<OptionValue> = serde_json::from_str(json).unwrap_or_else(|e| {
        tracing::warn!(%what, id, error = %e, "unreadable option values; shown without them");
        Vec::new()
    });
    // Not `into_iter().map().collect()`: that collects in place and keeps the
    // parsed values' allocation, ten times the size of the shared pointers,
    // for every variant and product of the snapshot (38 MB for 10,000
    // products, measured with heaptrack).
    let mut shared = Vec::with_capacity(values.len());
    for value in values {
        let one = match pool.get(&value) {
            Some(known) => known.clone(),
            None => {
                let new = Arc::new(value.clone());
                pool.insert(value, new.clone());
                new
            }
        };
        shared.push(one);
    }
    shared
}

/// Reads a whole table row by row (see [`CatalogSource`]).
async fn each_row<E: EntityTrait>(
    db: &impl CatalogSource,
    query: Select<E>,
    mut take: impl FnMut(E::Model),
) -> Result<(), DbErr> {
    let mut rows = pin!(query.stream(db).await?);
    while let Some(row) = rows.try_next().await? {
        take(row);
    }
    Ok(())
}

async fn build(db: &impl CatalogSource, version: String) -> Result<Snapshot, DbErr> {
    let category_rows = categories::Entity::find()
        .order_by_asc(categories::Column::Position)
        .order_by_asc(categories::Column::Id)
        .all(db)
        .await?;
    let position_of: HashMap<i64, usize> = category_rows
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    let mut categories: Vec<CategoryRec> = category_rows
        .iter()
        .map(|c| CategoryRec {
            id: c.id,
            parent: c.parent_id.and_then(|p| position_of.get(&p).copied()),
            slug: c.slug.clone(),
            name_ru: c.name_ru.clone(),
            name_en: c.name_en.clone(),
            featured: c.featured,
            product_count: 0,
        })
        .collect();
    let category_chains: Vec<Vec<usize>> = (0..categories.len())
        .map(|i| {
            let mut chain = vec![i];
            let mut at = categories[i].parent;
            // A cycle cannot be saved through the admin, but never loop forever.
            while let Some(p) = at.filter(|p| !chain.contains(p)) {
                chain.push(p);
                at = categories[p].parent;
            }
            chain.reverse();
            chain
        })
        .collect();

    // Read before the stock, so a movement in between is caught by the next check.
    let stock_mark = newest_stock_movement(db).await?;
    let dispatch_days: HashMap<i64, u32> = warehouses::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.dispatch_days.max(0) as u32))
        .collect();
    let mut stock_by_variant =
        StockByVariant::read(db, stock::Entity::find(), &dispatch_days).await?;
    let mut pool = OptionPool::new();
    let mut variants_by_product: HashMap<i64, Vec<VariantRec>> = HashMap::new();
    each_row(
        db,
        variants::Entity::find()
            .order_by_asc(variants::Column::Position)
            .order_by_asc(variants::Column::Id),
        |v| {
            variants_by_product
                .entry(v.product_id)
                .or_default()
                .push(VariantRec {
                    id: v.id,
                    options: parse_options(&mut pool, &v.options, "variant", v.id),
                    sku: v.sku,
                    barcode: v.barcode,
                    price: from_minor(v.price_minor),
                    old_price: v.old_price_minor.map(from_minor),
                    stock: StockLevel::new(stock_by_variant.0.remove(&v.id).unwrap_or_default()),
                    backorder_days: v.backorder_days,
                })
        },
    )
    .await?;
    drop(stock_by_variant);
    let mut media_by_key: HashMap<String, media::Model> = HashMap::new();
    each_row(db, media::Entity::find(), |m| {
        media_by_key.insert(m.key.clone(), m);
    })
    .await?;
    let mut photos_by_product: HashMap<i64, Vec<PhotoRec>> = HashMap::new();
    each_row(
        db,
        photos::Entity::find()
            .order_by_asc(photos::Column::Position)
            .order_by_asc(photos::Column::Id),
        |p| {
            let Some(m) = media_by_key.get(&p.media_key) else {
                return;
            };
            photos_by_product
                .entry(p.product_id)
                .or_default()
                .push(PhotoRec {
                    key: m.key.clone(),
                    width: m.width.max(1) as u32,
                    height: m.height.max(1) as u32,
                    widths: serde_json::from_str(&m.widths).unwrap_or_default(),
                    has_webp: m.has_webp,
                    alt_ru: p.alt_ru,
                    alt_en: p.alt_en,
                    option_value: p.option_value,
                })
        },
    )
    .await?;
    drop(media_by_key);
    let mut related_rows: HashMap<i64, Vec<(i32, i64)>> = HashMap::new();
    each_row(db, related_products::Entity::find(), |r| {
        related_rows
            .entry(r.product_id)
            .or_default()
            .push((r.position, r.related_id))
    })
    .await?;

    let mut products: Vec<ProductRec> = Vec::new();
    each_row(
        db,
        products::Entity::find()
            .filter(products::Column::Published.eq(true))
            .order_by_asc(products::Column::Id),
        |p| {
            let Some(&category) = position_of.get(&p.category_id) else {
                return;
            };
            let mut variants = variants_by_product.remove(&p.id).unwrap_or_default();
            // A product without a variant has nothing to sell.
            if variants.is_empty() {
                return;
            }
            // Grown one push at a time: give back the spare room they kept.
            variants.shrink_to_fit();
            let mut photos = photos_by_product.remove(&p.id).unwrap_or_default();
            photos.shrink_to_fit();
            products.push(ProductRec {
                id: p.id,
                attributes: parse_options(&mut pool, &p.attributes, "product", p.id),
                slug: p.slug,
                category,
                brand: p.brand,
                name_ru: p.name_ru,
                name_en: p.name_en,
                description_ru: p.description_ru,
                description_en: p.description_en,
                weight_g: p.weight_g,
                dimensions_mm: (p.length_mm, p.width_mm, p.height_mm),
                seo_title: p.seo_title,
                seo_description: p.seo_description,
                popularity: i64::from(p.popularity),
                created_at: p.created_at,
                updated_at: p.updated_at,
                variants,
                photos,
                related: Vec::new(),
            });
        },
    )
    .await?;
    products.shrink_to_fit();
    // Variants and photos of unpublished products.
    drop((variants_by_product, photos_by_product));
    let product_by_slug: HashMap<String, usize> = products
        .iter()
        .enumerate()
        .map(|(i, p)| (p.slug.clone(), i))
        .collect();
    let variant_by_id: HashMap<i64, (usize, usize)> = products
        .iter()
        .enumerate()
        .flat_map(|(p, product)| {
            product
                .variants
                .iter()
                .enumerate()
                .map(move |(v, variant)| (variant.id, (p, v)))
        })
        .collect();
    let index_of_id: HashMap<i64, usize> = products
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();
    for product in &mut products {
        if let Some(mut links) = related_rows.remove(&product.id) {
            links.sort();
            product.related = links
                .into_iter()
                .filter_map(|(_, id)| index_of_id.get(&id).copied())
                .collect();
        }
    }

    let mut category_products: Vec<Vec<usize>> = vec![Vec::new(); categories.len()];
    for (i, p) in products.iter().enumerate() {
        for &c in &category_chains[p.category] {
            category_products[c].push(i);
        }
    }
    let by_popularity = |a: &usize, b: &usize| {
        products[*b]
            .popularity
            .cmp(&products[*a].popularity)
            .then(products[*a].id.cmp(&products[*b].id))
    };
    for (c, list) in category_products.iter_mut().enumerate() {
        list.sort_by(by_popularity);
        categories[c].product_count = list.len();
    }
    let mut newest: Vec<usize> = (0..products.len()).collect();
    newest.sort_by(|a, b| {
        products[*b]
            .created_at
            .cmp(&products[*a].created_at)
            .then(products[*b].id.cmp(&products[*a].id))
    });
    newest.truncate(SHELF);
    let mut discounted: Vec<usize> = (0..products.len())
        .filter(|&i| products[i].is_discounted())
        .collect();
    discounted.sort_by(by_popularity);
    discounted.truncate(SHELF);

    // In best-seller order, as every category lists them: a listing then
    // reads the index front to back.
    let mut facet_values = FacetValues::default();
    let mut option_ids = OptionIds::default();
    let mut listing = ListingIndex::default();
    let mut listing_slots = vec![0; products.len()];
    let mut best_sellers: Vec<usize> = (0..products.len()).collect();
    best_sellers.sort_by(by_popularity);
    for p in best_sellers {
        listing_slots[p] = index_product(
            &products[p],
            &mut facet_values,
            &mut option_ids,
            &mut listing,
        ) as u32;
    }
    listing.shrink_to_fit();
    let mut facet_labels: HashMap<(String, String), FacetLabel> = HashMap::new();
    let mut labelled: HashSet<usize> = HashSet::new();
    for p in &products {
        let brand = (!p.brand.is_empty()).then(|| OptionValue {
            key: BRAND_KEY.into(),
            name_ru: "Бренд".into(),
            name_en: "Brand".into(),
            value_ru: p.brand.clone(),
            value_en: p.brand.clone(),
            swatch: None,
        });
        // A value shared by many variants is named once.
        let shared = p
            .attributes
            .iter()
            .chain(p.variants.iter().flat_map(|v| v.options.iter()))
            .filter(|o| labelled.insert(Arc::as_ptr(o) as usize))
            .map(|o| o.as_ref());
        for value in brand.iter().chain(shared) {
            let order = facet_labels.len();
            facet_labels
                .entry((value.key.clone(), value.code()))
                .or_insert_with(|| FacetLabel {
                    order,
                    value: OptionValue::clone(value),
                });
        }
    }
    let mut search = SearchIndexBuilder::default();
    for p in &products {
        search.add_document(search_fields(p, &categories[p.category]));
    }
    let search = search.finish();

    let info_pages = info_pages::Entity::find()
        .order_by_asc(info_pages::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|p| InfoPageRec {
            slug: p.slug,
            title_ru: p.title_ru,
            title_en: p.title_en,
            body_ru: p.body_ru,
            body_en: p.body_en,
            updated_at: p.updated_at,
        })
        .collect();

    Ok(Snapshot {
        version,
        serial: BUILDS.fetch_add(1, Ordering::Relaxed),
        stock_changes: AtomicU64::new(0),
        dispatch_days,
        stock_mark: AtomicI64::new(stock_mark),
        category_by_slug: categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.clone(), i))
            .collect(),
        categories,
        product_by_slug,
        variant_by_id,
        category_chains,
        category_products,
        newest,
        discounted,
        facet_labels,
        facet_values,
        listing,
        listing_slots,
        search,
        products,
        info_pages,
        listings: ListingCache::default(),
    })
}

/// Facet value ids of the shared option values seen so far, by address: a
/// value shared by thousands of variants is named and looked up once.
#[derive(Default)]
struct OptionIds(HashMap<usize, u32>);

impl OptionIds {
    fn id(&mut self, values: &mut FacetValues, option: &Arc<OptionValue>) -> u32 {
        *self
            .0
            .entry(Arc::as_ptr(option) as usize)
            .or_insert_with(|| values.intern(&option.key, &option.code()))
    }
}

/// Adds `p` to the listing index; returns its slot.
fn index_product(
    p: &ProductRec,
    values: &mut FacetValues,
    option_ids: &mut OptionIds,
    index: &mut ListingIndex,
) -> usize {
    let mut shared: Vec<u32> = p
        .attributes
        .iter()
        .map(|a| option_ids.id(values, a))
        .collect();
    if !p.brand.is_empty() {
        shared.push(values.intern(BRAND_KEY, &slugify(&p.brand)));
    }
    let slot = index.push_product(p.popularity, p.created_at.timestamp(), &shared);
    let mut options = Vec::new();
    for v in &p.variants {
        options.clear();
        options.extend(v.options.iter().map(|o| option_ids.id(values, o)));
        index.push_variant(
            crate::domain::catalog::to_minor(v.price).unwrap_or(i64::MAX),
            v.stock.get() > 0,
            &options,
        );
    }
    slot
}

/// What a product is found by (CAT-3), read in place.
fn search_fields<'a>(p: &'a ProductRec, category: &'a CategoryRec) -> Vec<(&'a str, u8)> {
    let mut fields = vec![
        (p.name_ru.as_str(), weight::NAME),
        (&p.name_en, weight::NAME),
        (&p.brand, weight::BRAND),
        (&category.name_ru, weight::CATEGORY),
        (&category.name_en, weight::CATEGORY),
        (&p.description_ru, weight::DESCRIPTION),
        (&p.description_en, weight::DESCRIPTION),
    ];
    let values = p
        .variants
        .iter()
        .flat_map(|v| v.options.iter())
        .chain(&p.attributes);
    for v in &p.variants {
        fields.push((&v.sku, weight::SKU));
    }
    for value in values {
        fields.push((&value.value_ru, weight::ATTRIBUTE));
        fields.push((&value.value_en, weight::ATTRIBUTE));
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database without the catalog's tables: any read of it fails, so a
    /// snapshot that comes back was served without asking the database.
    async fn empty_db() -> sea_orm::DatabaseConnection {
        sea_orm::Database::connect("sqlite::memory:")
            .await
            .expect("in-memory sqlite")
    }

    fn cache_checked(ago: Duration) -> CatalogCache {
        let cache = CatalogCache::default();
        let checked = Instant::now() - ago;
        *cache.current.write().unwrap() = Some((Arc::new(Snapshot::default()), checked));
        cache
    }

    #[tokio::test]
    async fn requests_during_a_recheck_keep_the_snapshot_they_have() {
        let db = empty_db().await;
        let cache = cache_checked(RECHECK * 2);
        let held = cache.current.read().unwrap().clone().unwrap().0;

        let recheck = cache.rebuild.lock().await;
        let served = cache.get(&db).await.expect("served without the database");
        assert!(Arc::ptr_eq(&served, &held));
        drop(recheck);

        // With nobody rechecking, this request rechecks itself (and fails here).
        assert!(cache.get(&db).await.is_err());
    }

    #[tokio::test]
    async fn an_invalidated_or_too_old_snapshot_waits_for_the_recheck() {
        let db = empty_db().await;
        for cache in [cache_checked(STALE_MAX * 2), {
            let cache = cache_checked(RECHECK * 2);
            cache.invalidate();
            cache
        }] {
            let _recheck = cache.rebuild.lock().await;
            let waited = tokio::time::timeout(Duration::from_millis(200), cache.get(&db)).await;
            assert!(waited.is_err(), "served a snapshot it should not have");
        }
    }
}
