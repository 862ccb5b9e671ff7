//! Category listings (CAT-3): the filter state as it appears in a URL, and
//! filtering, facet counting, sorting and paging over an in-memory index.
//!
//! Every filter applies to variants: a product matches when one of its
//! variants passes all filters (a red shirt in size M, not a red S and a blue
//! M). Product attributes and the brand count as values of every variant.
//! A facet's counts ignore that facet's own selection, so choosing "red"
//! still shows how many products are blue.
use super::{from_minor, to_minor};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

pub const PAGE_SIZE: usize = 24;
/// Beyond this page number a listing is certainly empty; keeps URLs sane.
const MAX_PAGE: u32 = 10_000;
/// Values per facet accepted from a URL; more is not a shopper.
const MAX_VALUES: usize = 50;
/// The facet key under which brands are filtered (`f.brand=...`).
pub const BRAND_KEY: &str = "brand";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Sort {
    #[default]
    Popular,
    PriceAsc,
    PriceDesc,
    New,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Popular, Sort::PriceAsc, Sort::PriceDesc, Sort::New];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Popular => "popular",
            Sort::PriceAsc => "price_asc",
            Sort::PriceDesc => "price_desc",
            Sort::New => "new",
        }
    }

    fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Filters, sort order and page of a listing, as carried in the URL:
/// `?price_min=1000&price_max=5000&f.color=red&f.brand=nord&in_stock=1&sort=price_asc&page=2`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct ListingQuery {
    pub price_min: Option<Decimal>,
    pub price_max: Option<Decimal>,
    /// Facet key → selected value codes (OR within a facet, AND across facets).
    pub facets: BTreeMap<String, BTreeSet<String>>,
    pub in_stock: bool,
    pub sort: Sort,
    /// 1-based.
    pub page: u32,
}

fn is_code(s: &str, max_len: usize) -> bool {
    !s.is_empty()
        && s.len() <= max_len
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn parse_price(s: &str) -> Option<Decimal> {
    let amount: Decimal = s.trim().parse().ok()?;
    // Whole kopecks or less precision, not negative, at most a billion.
    const MAX_MINOR: i64 = 100_000_000_000;
    to_minor(amount.round_dp(2)).filter(|m| *m <= MAX_MINOR)?;
    Some(amount.round_dp(2).normalize())
}

impl ListingQuery {
    /// Reads URL query pairs. Anything malformed (a price that is not a number,
    /// an unknown sort, a page of zero, a facet code with odd characters) is
    /// ignored, so a hand-edited or stale link still shows a sensible page.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> ListingQuery {
        let mut q = ListingQuery {
            page: 1,
            ..ListingQuery::default()
        };
        for (key, value) in pairs {
            let (key, value) = (key.as_ref(), value.as_ref().trim());
            match key {
                "price_min" => q.price_min = parse_price(value),
                "price_max" => q.price_max = parse_price(value),
                "in_stock" => q.in_stock = matches!(value, "1" | "true" | "on"),
                "sort" => q.sort = Sort::parse(value).unwrap_or_default(),
                "page" => {
                    q.page = value
                        .parse::<u32>()
                        .ok()
                        .filter(|p| *p >= 1)
                        .map_or(1, |p| p.min(MAX_PAGE))
                }
                _ => {
                    if let Some(facet) = key.strip_prefix("f.") {
                        if is_code(facet, 40) && is_code(value, 80) {
                            let values = q.facets.entry(facet.to_string()).or_default();
                            if values.len() < MAX_VALUES {
                                values.insert(value.to_string());
                            }
                        }
                    }
                }
            }
        }
        if let (Some(min), Some(max)) = (q.price_min, q.price_max) {
            if min > max {
                q.price_min = Some(max);
                q.price_max = Some(min);
            }
        }
        q
    }

    /// Parses a raw query string (`a=1&b=2`, with or without a leading `?`).
    pub fn from_query_string(query: &str) -> ListingQuery {
        ListingQuery::from_pairs(
            query
                .trim_start_matches('?')
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (percent_decode(k), percent_decode(v))
                }),
        )
    }

    /// `path` with the canonical URL query (stable order, defaults left
    /// out), or `path` alone when nothing is set. Written into one string:
    /// a category page builds one for each facet value it links to.
    pub fn href(&self, path: &str) -> String {
        let mut url = String::with_capacity(path.len() + 64);
        url.push_str(path);
        let mut separator = '?';
        let mut part = |url: &mut String, args: std::fmt::Arguments| {
            url.push(separator);
            separator = '&';
            url.write_fmt(args)
                .expect("writing to a String cannot fail");
        };
        if let Some(min) = self.price_min {
            part(&mut url, format_args!("price_min={min}"));
        }
        if let Some(max) = self.price_max {
            part(&mut url, format_args!("price_max={max}"));
        }
        for (key, values) in &self.facets {
            for value in values {
                part(&mut url, format_args!("f.{key}={value}"));
            }
        }
        if self.in_stock {
            part(&mut url, format_args!("in_stock=1"));
        }
        if self.sort != Sort::Popular {
            part(&mut url, format_args!("sort={}", self.sort.as_str()));
        }
        if self.page > 1 {
            part(&mut url, format_args!("page={}", self.page));
        }
        url
    }

    /// Anything narrowing the listing (sort and page do not).
    pub fn is_filtered(&self) -> bool {
        self.price_min.is_some()
            || self.price_max.is_some()
            || self.in_stock
            || self.facets.values().any(|v| !v.is_empty())
    }

    pub fn is_selected(&self, key: &str, code: &str) -> bool {
        self.facets.get(key).is_some_and(|v| v.contains(code))
    }

    /// The same query with one facet value switched on or off, back on page 1.
    pub fn toggled(&self, key: &str, code: &str) -> ListingQuery {
        let mut q = self.clone();
        q.page = 1;
        let values = q.facets.entry(key.to_string()).or_default();
        if !values.remove(code) {
            values.insert(code.to_string());
        }
        if values.is_empty() {
            q.facets.remove(key);
        }
        q
    }

    pub fn with_page(&self, page: u32) -> ListingQuery {
        ListingQuery {
            page,
            ..self.clone()
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Every facet value (key and code) of a catalog, numbered, so filtering and
/// counting compare integers instead of strings.
#[derive(Debug, Clone, Default)]
pub struct FacetValues {
    pairs: Vec<(String, String)>,
    keys: Vec<String>,
    /// Parallel to `keys`: each key's codes and their ids. Looked up by
    /// `&str`, so finding a known value allocates nothing.
    ids: Vec<HashMap<String, u32>>,
    /// Parallel to `pairs`: the position of the value's key in `keys`.
    key_of: Vec<u32>,
}

impl FacetValues {
    pub fn intern(&mut self, key: &str, code: &str) -> u32 {
        let key_index = match self.key_index(key) {
            Some(i) => i,
            None => {
                self.keys.push(key.to_string());
                self.ids.push(HashMap::new());
                self.keys.len() as u32 - 1
            }
        };
        if let Some(id) = self.ids[key_index as usize].get(code) {
            return *id;
        }
        let id = self.pairs.len() as u32;
        self.pairs.push((key.to_string(), code.to_string()));
        self.key_of.push(key_index);
        self.ids[key_index as usize].insert(code.to_string(), id);
        id
    }

    pub fn get(&self, key: &str, code: &str) -> Option<u32> {
        let key_index = self.key_index(key)?;
        self.ids[key_index as usize].get(code).copied()
    }

    /// (key, code) of a value.
    pub fn pair(&self, id: u32) -> (&str, &str) {
        let (k, c) = &self.pairs[id as usize];
        (k, c)
    }

    fn key_index(&self, key: &str) -> Option<u32> {
        self.keys.iter().position(|k| k == key).map(|i| i as u32)
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// Whether a variant is physically in stock. Its owner flips it in place
/// when the last unit sells or stock comes back, so the index outlives stock
/// changes; a listing run meanwhile sees either value.
#[derive(Debug, Default)]
pub struct InStock(AtomicBool);

impl InStock {
    pub fn new(in_stock: bool) -> InStock {
        InStock(AtomicBool::new(in_stock))
    }

    pub fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Returns the value before.
    pub fn set(&self, in_stock: bool) -> bool {
        self.0.swap(in_stock, Ordering::Relaxed)
    }
}

impl Clone for InStock {
    fn clone(&self) -> InStock {
        InStock::new(self.get())
    }
}

impl PartialEq for InStock {
    fn eq(&self, other: &InStock) -> bool {
        self.get() == other.get()
    }
}

/// The catalog as the listing reads it, packed for one pass over a
/// category: fixed-size entries in three arrays instead of a heap block per
/// product, variant and value list. Products are pushed best sellers first,
/// so a category's products, listed in that order too, are read front to
/// back through memory.
#[derive(Debug, Default)]
pub struct ListingIndex {
    products: Vec<ProductEntry>,
    variants: Vec<VariantEntry>,
    /// Parallel to `variants`: physically in stock right now.
    available: Vec<InStock>,
    /// Ids (in [`FacetValues`]): each product's attributes and brand, then
    /// its variants' options.
    values: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct ProductEntry {
    popularity: i64,
    /// Seconds since the epoch, for "new first".
    created: i64,
    /// The values every variant of the product has, in `values`.
    shared: (u32, u32),
    /// The product's variants, in `variants`.
    variants: (u32, u32),
}

#[derive(Debug, Clone, Copy)]
struct VariantEntry {
    price_minor: i64,
    /// The variant's own options, in `values`.
    options: (u32, u32),
}

impl ListingIndex {
    /// Adds a product whose every variant has the `shared` values (its
    /// attributes and brand); returns its slot.
    pub fn push_product(&mut self, popularity: i64, created: i64, shared: &[u32]) -> usize {
        let shared = self.push_values(shared);
        let first_variant = self.variants.len() as u32;
        self.products.push(ProductEntry {
            popularity,
            created,
            shared,
            variants: (first_variant, first_variant),
        });
        self.products.len() - 1
    }

    /// Adds a variant to the product pushed last.
    pub fn push_variant(&mut self, price_minor: i64, in_stock: bool, options: &[u32]) {
        let options = self.push_values(options);
        self.variants.push(VariantEntry {
            price_minor,
            options,
        });
        self.available.push(InStock::new(in_stock));
        let product = self
            .products
            .last_mut()
            .expect("a variant is pushed after its product");
        product.variants.1 = self.variants.len() as u32;
    }

    /// The live "in stock" flag of the product in `slot`'s `variant`th variant.
    pub fn in_stock(&self, slot: usize, variant: usize) -> &InStock {
        let (first, end) = self.products[slot].variants;
        debug_assert!(
            first as usize + variant < end as usize,
            "variant {variant} of slot {slot}"
        );
        &self.available[first as usize + variant]
    }

    /// Gives back the spare room the arrays grew into while products were
    /// pushed (up to half of each; the index lives as long as its snapshot).
    pub fn shrink_to_fit(&mut self) {
        self.products.shrink_to_fit();
        self.variants.shrink_to_fit();
        self.available.shrink_to_fit();
        self.values.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.products.len()
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    fn push_values(&mut self, ids: &[u32]) -> (u32, u32) {
        let start = self.values.len() as u32;
        self.values.extend_from_slice(ids);
        (start, self.values.len() as u32)
    }

    fn values_in(&self, (start, end): (u32, u32)) -> &[u32] {
        &self.values[start as usize..end as usize]
    }
}

/// Facet counts for the current selection.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FacetCounts {
    /// Facet key → (value code, number of matching products), codes sorted.
    pub values: BTreeMap<String, Vec<(String, u32)>>,
    /// Price range of products matching every filter but the price.
    pub price_min: Option<Decimal>,
    pub price_max: Option<Decimal>,
    /// Products that would match with "in stock only" switched on.
    pub in_stock: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListingResult {
    /// Positions in the input slice of the products on the requested page,
    /// each with its lowest price among the matching variants.
    pub page_items: Vec<(usize, i64)>,
    pub total: usize,
    pub pages: u32,
    pub facets: FacetCounts,
}

/// Which filter a variant fails.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Price,
    InStock,
    Facet(usize),
}

/// Filters, counts, sorts and pages the products in these `slots` of
/// `index` for `query`. Positions in the result are into `slots`.
pub fn run(
    index: &ListingIndex,
    slots: &[u32],
    values: &FacetValues,
    query: &ListingQuery,
) -> ListingResult {
    let min_minor = query.price_min.and_then(to_minor);
    let max_minor = query.price_max.and_then(to_minor);
    // (key index, selected value ids); a code nobody has matches nothing.
    let filters: Vec<(Option<u32>, Vec<u32>)> = query
        .facets
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(key, codes)| {
            (
                values.key_index(key),
                codes.iter().filter_map(|c| values.get(key, c)).collect(),
            )
        })
        .collect();

    let mut counts: Vec<u32> = vec![0; values.len()];
    // The last product (position + 1) counted for each value: a product counts once per value.
    let mut counted_for: Vec<u32> = vec![0; values.len()];
    let mut matched: Vec<(usize, i64)> = Vec::new();
    let (mut price_lo, mut price_hi) = (i64::MAX, i64::MIN);
    let mut in_stock_count = 0u32;
    // Per filter, for the product at hand: its own values (brand, attributes)
    // meet the filter, the same for every variant, so they are checked once.
    let mut shared_meets: Vec<bool> = vec![false; filters.len()];
    // Per filter: some variant of the product fails this filter and no other.
    let mut failed_only: Vec<bool> = vec![false; filters.len()];

    for (position, &slot) in slots.iter().enumerate() {
        let product = &index.products[slot as usize];
        let shared = index.values_in(product.shared);
        let stamp = position as u32 + 1;
        let mut hit = |v: u32| {
            let slot = &mut counted_for[v as usize];
            if *slot != stamp {
                *slot = stamp;
                counts[v as usize] += 1;
            }
        };
        for (meets, (_, wanted)) in shared_meets.iter_mut().zip(&filters) {
            *meets = shared.iter().any(|v| wanted.contains(v));
        }
        failed_only.fill(false);
        let mut best_price: Option<i64> = None;
        let mut in_stock_product = false;
        let (first, end) = product.variants;
        for v in first as usize..end as usize {
            let variant = &index.variants[v];
            let available = &index.available[v];
            let options = index.values_in(variant.options);
            // The one filter this variant fails, or `None` when it fails none;
            // a variant failing two filters contributes to nothing.
            let mut failed: Option<Group> = None;
            let mut out = false;
            let mut fail = |g: Group, failed: &mut Option<Group>| {
                if failed.is_some() {
                    out = true;
                } else {
                    *failed = Some(g);
                }
            };
            if min_minor.is_some_and(|m| variant.price_minor < m)
                || max_minor.is_some_and(|m| variant.price_minor > m)
            {
                fail(Group::Price, &mut failed);
            }
            if query.in_stock && !available.get() {
                fail(Group::InStock, &mut failed);
            }
            for (i, (_, wanted)) in filters.iter().enumerate() {
                if !shared_meets[i] && !options.iter().any(|v| wanted.contains(v)) {
                    fail(Group::Facet(i), &mut failed);
                }
            }
            if out {
                continue;
            }
            match failed {
                None => {
                    best_price = Some(
                        best_price.map_or(variant.price_minor, |p| p.min(variant.price_minor)),
                    );
                    options.iter().for_each(|v| hit(*v));
                }
                Some(Group::Price) | Some(Group::InStock) => {}
                Some(Group::Facet(i)) => {
                    if let Some(key) = filters[i].0 {
                        options
                            .iter()
                            .filter(|v| values.key_of[**v as usize] == key)
                            .for_each(|v| hit(*v));
                        failed_only[i] = true;
                    }
                }
            }
            if matches!(failed, None | Some(Group::Price)) {
                price_lo = price_lo.min(variant.price_minor);
                price_hi = price_hi.max(variant.price_minor);
            }
            if failed.is_none() && available.get() {
                in_stock_product = true;
            }
        }
        // The product's own values count once for it, as its variants'
        // options did: all of them when a variant matched every filter, else
        // those under a filter that a variant failed alone.
        if best_price.is_some() {
            shared.iter().for_each(|v| hit(*v));
        } else {
            for (i, (key, _)) in filters.iter().enumerate() {
                if let (true, Some(key)) = (failed_only[i], key) {
                    shared
                        .iter()
                        .filter(|v| values.key_of[**v as usize] == *key)
                        .for_each(|v| hit(*v));
                }
            }
        }
        if in_stock_product {
            in_stock_count += 1;
        }
        if let Some(price) = best_price {
            matched.push((position, price));
        }
    }

    let product = |i: usize| &index.products[slots[i] as usize];
    let popularity = |i: usize| product(i).popularity;
    let created = |i: usize| product(i).created;
    match query.sort {
        Sort::Popular => {
            matched.sort_by(|a, b| popularity(b.0).cmp(&popularity(a.0)).then(a.0.cmp(&b.0)))
        }
        Sort::PriceAsc => matched.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0))),
        Sort::PriceDesc => matched.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0))),
        Sort::New => matched.sort_by(|a, b| created(b.0).cmp(&created(a.0)).then(b.0.cmp(&a.0))),
    }

    let total = matched.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let start = (query.page.max(1) as usize - 1).saturating_mul(PAGE_SIZE);
    let page_items = matched.into_iter().skip(start).take(PAGE_SIZE).collect();

    let mut facet_values: BTreeMap<String, Vec<(String, u32)>> = BTreeMap::new();
    for (id, n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
        let (key, code) = values.pair(id as u32);
        facet_values
            .entry(key.to_string())
            .or_default()
            .push((code.to_string(), *n));
    }
    for list in facet_values.values_mut() {
        list.sort();
    }
    let has_range = price_lo <= price_hi;
    ListingResult {
        page_items,
        total,
        pages,
        facets: FacetCounts {
            values: facet_values,
            price_min: has_range.then(|| from_minor(price_lo)),
            price_max: has_range.then(|| from_minor(price_hi)),
            in_stock: in_stock_count,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static VALUES: std::cell::RefCell<FacetValues> = Default::default();
    }

    /// A variant: price in roubles, in stock, its values as (key, code).
    type Variant<'a> = (i64, bool, &'a [(&'a str, &'a str)]);

    fn ids_of(values: &[(&str, &str)]) -> Vec<u32> {
        VALUES.with(|t| {
            let mut t = t.borrow_mut();
            values.iter().map(|(k, v)| t.intern(k, v)).collect()
        })
    }

    /// An index of products given as (popularity, created, variants).
    fn index(products: &[(i64, i64, Vec<Variant>)]) -> ListingIndex {
        let mut index = ListingIndex::default();
        for (popularity, created, variants) in products {
            index.push_product(*popularity, *created, &[]);
            for (price, in_stock, values) in variants {
                index.push_variant(price * 100, *in_stock, &ids_of(values));
            }
        }
        index
    }

    /// Every product of the index, in the order pushed.
    fn run(index: &ListingIndex, query: &ListingQuery) -> ListingResult {
        let slots: Vec<u32> = (0..index.len() as u32).collect();
        VALUES.with(|t| super::run(index, &slots, &t.borrow(), query))
    }

    /// Three shirts: 0 = red S/blue M (brand a), 1 = red M (brand b), 2 = blue S sold out (brand a).
    fn shirts() -> ListingIndex {
        index(&[
            (
                5,
                100,
                vec![
                    (
                        1000,
                        true,
                        &[("color", "red"), ("size", "s"), ("brand", "a")],
                    ),
                    (
                        1200,
                        true,
                        &[("color", "blue"), ("size", "m"), ("brand", "a")],
                    ),
                ],
            ),
            (
                9,
                300,
                vec![(
                    2000,
                    true,
                    &[("color", "red"), ("size", "m"), ("brand", "b")],
                )],
            ),
            (
                1,
                200,
                vec![(
                    500,
                    false,
                    &[("color", "blue"), ("size", "s"), ("brand", "a")],
                )],
            ),
        ])
    }

    /// The shirts again, with the brand and the colour as product-wide values.
    fn shirts_with_shared_values() -> ListingIndex {
        let mut index = ListingIndex::default();
        index.push_product(5, 100, &ids_of(&[("brand", "a")]));
        index.push_variant(100_000, true, &ids_of(&[("color", "red"), ("size", "s")]));
        index.push_variant(120_000, true, &ids_of(&[("color", "blue"), ("size", "m")]));
        index.push_product(9, 300, &ids_of(&[("brand", "b"), ("color", "red")]));
        index.push_variant(200_000, true, &ids_of(&[("size", "m")]));
        index.push_product(1, 200, &ids_of(&[("brand", "a"), ("color", "blue")]));
        index.push_variant(50_000, false, &ids_of(&[("size", "s")]));
        index
    }

    fn q(s: &str) -> ListingQuery {
        ListingQuery::from_query_string(s)
    }

    fn count(r: &ListingResult, key: &str, code: &str) -> u32 {
        r.facets.values[key]
            .iter()
            .find(|(c, _)| c == code)
            .map_or(0, |(_, n)| *n)
    }

    fn ids(r: &ListingResult) -> Vec<usize> {
        r.page_items.iter().map(|(i, _)| *i).collect()
    }

    #[test]
    fn no_filter_counts_everything() {
        let r = run(&shirts(), &q(""));
        assert_eq!(r.total, 3);
        assert_eq!(ids(&r), vec![1, 0, 2], "popular first");
        assert_eq!(count(&r, "color", "red"), 2);
        assert_eq!(count(&r, "color", "blue"), 2);
        assert_eq!(count(&r, "brand", "a"), 2);
        assert_eq!(r.facets.in_stock, 2);
        assert_eq!(r.facets.price_min, Some(Decimal::from(500)));
        assert_eq!(r.facets.price_max, Some(Decimal::from(2000)));
    }

    #[test]
    fn filters_match_within_one_variant() {
        // Red and size M together exist only in product 1.
        let r = run(&shirts(), &q("f.color=red&f.size=m"));
        assert_eq!(ids(&r), vec![1]);
        // Own-facet counts ignore the own selection: with size M, blue is product 0.
        assert_eq!(count(&r, "color", "blue"), 1);
        assert_eq!(count(&r, "color", "red"), 1);
        // With colour red: sizes S (product 0) and M (product 1).
        assert_eq!(count(&r, "size", "s"), 1);
        assert_eq!(count(&r, "size", "m"), 1);
    }

    #[test]
    fn values_of_one_facet_are_alternatives() {
        let r = run(&shirts(), &q("f.color=red&f.color=blue"));
        assert_eq!(r.total, 3);
    }

    #[test]
    fn price_range_in_stock_and_their_counts() {
        let r = run(&shirts(), &q("price_min=900&price_max=1500"));
        assert_eq!(ids(&r), vec![0]);
        assert_eq!(r.page_items[0].1, 100_000, "lowest matching price");
        // The price range shown ignores the price filter itself.
        assert_eq!(r.facets.price_min, Some(Decimal::from(500)));
        let r = run(&shirts(), &q("in_stock=1"));
        assert_eq!(r.total, 2);
        assert_eq!(r.facets.in_stock, 2);
        assert_eq!(
            count(&r, "color", "blue"),
            1,
            "the sold-out blue shirt drops"
        );
    }

    #[test]
    fn a_variant_flipped_in_place_changes_the_next_run() {
        let shirts = shirts();
        // The blue shirt comes back; the red M (product 1) sells out.
        assert!(!shirts.in_stock(2, 0).set(true));
        assert!(shirts.in_stock(1, 0).set(false));
        let r = run(&shirts, &q("in_stock=1"));
        assert_eq!(ids(&r), vec![0, 2]);
        assert_eq!(r.facets.in_stock, 2);
        assert_eq!(count(&r, "brand", "b"), 0);
    }

    #[test]
    fn product_wide_values_count_as_every_variants() {
        let a = shirts();
        let b = shirts_with_shared_values();
        for query in [
            "",
            "f.color=red&f.size=m",
            "f.brand=a",
            "f.brand=b",
            "f.brand=a&f.color=red",
            "f.brand=b&f.size=s",
            "f.color=blue&price_max=1500",
            "in_stock=1&f.color=blue",
            "in_stock=1&f.brand=a&f.size=m",
            "f.color=green",
            "f.material=wool",
        ] {
            assert_eq!(run(&a, &q(query)), run(&b, &q(query)), "{query}");
        }
    }

    #[test]
    fn a_subset_of_slots_in_its_own_order() {
        let shirts = shirts();
        let r = VALUES.with(|t| super::run(&shirts, &[2, 0], &t.borrow(), &q("sort=price_desc")));
        // Positions are into the slots given: slot 0 is position 1.
        assert_eq!(ids(&r), vec![1, 0]);
        assert_eq!(r.total, 2);
        assert_eq!(count(&r, "brand", "b"), 0);
        assert_eq!(count(&r, "brand", "a"), 2);
    }

    #[test]
    fn a_value_is_numbered_once_per_key() {
        let mut values = FacetValues::default();
        let red = values.intern("color", "red");
        let size_red = values.intern("size", "red");
        assert_ne!(
            red, size_red,
            "the same code under another key is another value"
        );
        assert_eq!(values.intern("color", "red"), red);
        assert_eq!(values.get("color", "red"), Some(red));
        assert_eq!(values.get("color", "blue"), None);
        assert_eq!(values.get("material", "red"), None);
        assert_eq!(values.pair(size_red), ("size", "red"));
        assert_eq!(values.len(), 2);
    }

    #[test]
    fn sorting_and_paging() {
        assert_eq!(ids(&run(&shirts(), &q("sort=price_asc"))), vec![2, 0, 1]);
        assert_eq!(ids(&run(&shirts(), &q("sort=price_desc"))), vec![1, 0, 2]);
        assert_eq!(ids(&run(&shirts(), &q("sort=new"))), vec![1, 2, 0]);
        let many = index(
            &(0..50)
                .map(|i| (i, i, vec![(10, true, &[][..])]))
                .collect::<Vec<_>>(),
        );
        let page3 = run(&many, &q("page=3"));
        assert_eq!(page3.pages, 3);
        assert_eq!(page3.page_items.len(), 2);
        assert!(run(&many, &q("page=9")).page_items.is_empty());
    }

    #[test]
    fn bad_url_values_are_ignored_never_fatal() {
        let parsed = q("price_min=abc&price_max=-5&sort=cheapest&page=0&f.Color=red&f.size=%3Cscript%3E&in_stock=maybe");
        assert_eq!(
            parsed,
            ListingQuery {
                page: 1,
                ..Default::default()
            }
        );
        assert_eq!(q("page=999999999").page, MAX_PAGE);
        assert_eq!(q("page=-1").page, 1);
        // Swapped bounds are put right rather than showing nothing.
        let swapped = q("price_min=5000&price_max=1000");
        assert_eq!(swapped.price_min, Some(Decimal::from(1000)));
        assert_eq!(swapped.price_max, Some(Decimal::from(5000)));
        let many = (0..200)
            .map(|i| format!("f.color=c{i}"))
            .collect::<Vec<_>>()
            .join("&");
        assert_eq!(q(&many).facets["color"].len(), MAX_VALUES);
    }

    #[test]
    fn query_string_round_trips_in_canonical_form() {
        let parsed = q("?sort=price_asc&f.size=m&f.color=red&price_min=1000.50&page=2&in_stock=on");
        assert_eq!(
            parsed.href("/c/shirts"),
            "/c/shirts?price_min=1000.5&f.color=red&f.size=m&in_stock=1&sort=price_asc&page=2"
        );
        assert_eq!(q(&parsed.href("")), parsed);
        let toggled = parsed.toggled("color", "red");
        assert!(!toggled.facets.contains_key("color"));
        assert_eq!(toggled.page, 1);
        assert!(toggled
            .toggled("color", "blue")
            .is_selected("color", "blue"));
        assert_eq!(q("").href("/c/shirts"), "/c/shirts");
        assert_eq!(q("page=1&sort=popular").href("/c/shirts"), "/c/shirts");
    }
}
