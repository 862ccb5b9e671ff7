//! Storefront catalog reads (CAT-1..4): home, category listings with facets,
//! product pages, search and suggestions, information pages. All read the
//! in-memory snapshot (`crate::server::catalog`), never the database per request.
use super::AppError;
use crate::domain::catalog::listing::ListingQuery;
use crate::domain::catalog::Availability;
use crate::domain::money::Lang;
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A picture with its stored sizes, ready for `<picture>`/`srcset`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoView {
    /// Fallback URL (a middle size, JPEG).
    pub src: String,
    pub srcset_jpeg: String,
    /// Present when a WebP copy is stored (smaller than the JPEG).
    pub srcset_webp: Option<String>,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    /// The option value (e.g. colour code) this photo shows.
    pub option_value: Option<String>,
    /// Largest stored copy, for zoom and Open Graph.
    pub large: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductCard {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub brand: String,
    pub price: Decimal,
    /// Variants differ in price: show "from".
    pub price_from: bool,
    pub old_price: Option<Decimal>,
    pub discount: Option<u32>,
    pub photo: Option<PhotoView>,
    pub availability: Availability,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryLink {
    pub slug: String,
    pub name: String,
    pub count: usize,
    pub photo: Option<PhotoView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Crumb {
    pub name: String,
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    pub featured: Vec<CategoryLink>,
    pub new_arrivals: Vec<ProductCard>,
    pub discounted: Vec<ProductCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FacetValueView {
    pub code: String,
    pub label: String,
    pub count: u32,
    pub selected: bool,
    pub swatch: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FacetView {
    pub key: String,
    pub name: String,
    pub values: Vec<FacetValueView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryPage {
    pub slug: String,
    pub name: String,
    pub crumbs: Vec<Crumb>,
    pub children: Vec<CategoryLink>,
    pub query: ListingQuery,
    pub items: Vec<ProductCard>,
    pub total: usize,
    pub pages: u32,
    pub facets: Vec<FacetView>,
    pub price_min: Option<Decimal>,
    pub price_max: Option<Decimal>,
    pub in_stock_count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionChoice {
    pub code: String,
    pub label: String,
    pub swatch: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionGroup {
    pub key: String,
    pub name: String,
    pub choices: Vec<OptionChoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantView {
    pub id: i64,
    pub sku: String,
    pub price: Decimal,
    pub old_price: Option<Decimal>,
    pub discount: Option<u32>,
    pub availability: Availability,
    /// (option key, value code).
    pub options: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub brand: String,
    pub description: String,
    pub crumbs: Vec<Crumb>,
    pub attributes: Vec<(String, String)>,
    pub options: Vec<OptionGroup>,
    pub variants: Vec<VariantView>,
    pub photos: Vec<PhotoView>,
    pub related: Vec<ProductCard>,
    pub seo_title: String,
    pub seo_description: String,
    pub weight_g: i32,
    pub dimensions_mm: (i32, i32, i32),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub query: String,
    pub items: Vec<ProductCard>,
    pub total: usize,
    pub page: u32,
    pub pages: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub slug: String,
    pub name: String,
    pub price: Decimal,
    pub thumb: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InfoLink {
    pub slug: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InfoPage {
    pub slug: String,
    pub title: String,
    /// Paragraphs, blank-line separated in the source.
    pub paragraphs: Vec<String>,
}

/// Top-level categories for the header navigation and the info pages for the footer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Navigation {
    pub categories: Vec<CategoryLink>,
    pub info: Vec<InfoLink>,
}

#[server(endpoint = "catalog_nav")]
pub async fn load_navigation(lang: Lang) -> Result<Navigation, AppError> {
    let snapshot = crate::server::web::catalog().await?;
    Ok(crate::server::storefront::navigation(&snapshot, lang))
}

#[server(endpoint = "catalog_home")]
pub async fn load_home(lang: Lang) -> Result<HomeData, AppError> {
    let snapshot = crate::server::web::catalog().await?;
    Ok(crate::server::storefront::home(&snapshot, lang))
}

/// `query` is the page's URL query string; it is parsed (and cleaned) here,
/// on the server, whatever the browser sent.
#[server(endpoint = "catalog_category")]
pub async fn load_category(
    slug: String,
    query: String,
    lang: Lang,
) -> Result<CategoryPage, AppError> {
    let snapshot = crate::server::web::catalog().await?;
    let query = ListingQuery::from_query_string(&query);
    crate::server::storefront::category(&snapshot, &slug, query, lang).ok_or(AppError::NotFound)
}

#[server(endpoint = "catalog_product")]
pub async fn load_product(slug: String, lang: Lang) -> Result<ProductPage, AppError> {
    let snapshot = crate::server::web::catalog().await?;
    crate::server::storefront::product(&snapshot, &slug, lang).ok_or(AppError::NotFound)
}

#[server(endpoint = "catalog_search")]
pub async fn search_products(q: String, page: u32, lang: Lang) -> Result<SearchPage, AppError> {
    let snapshot = crate::server::web::catalog().await?;
    Ok(crate::server::storefront::search(
        &snapshot,
        &q,
        page.max(1),
        lang,
    ))
}

#[server(endpoint = "catalog_suggest")]
pub async fn suggest(q: String, lang: Lang) -> Result<Vec<Suggestion>, AppError> {
    let snapshot = crate::server::web::catalog().await?;
    Ok(crate::server::storefront::suggest(&snapshot, &q, lang))
}

#[server(endpoint = "catalog_info")]
pub async fn load_info_page(slug: String, lang: Lang) -> Result<InfoPage, AppError> {
    let snapshot = crate::server::web::catalog().await?;
    crate::server::storefront::info(&snapshot, &slug, lang).ok_or(AppError::NotFound)
}
