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

/// A picture with its stored sizes, ready for `<picture>`/`srcset`. It
/// carries the media key and the widths kept, not every copy's URL: the
/// URLs follow from them ([`media_url`]), and a listing hands the browser
/// about 150 bytes a picture instead of about 560.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoView {
    pub key: String,
    /// The widths of the stored copies, ascending.
    pub widths: Vec<u32>,
    /// WebP copies are stored besides the JPEG ones (smaller).
    pub webp: bool,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    /// The option value (e.g. colour code) this photo shows.
    pub option_value: Option<String>,
}

impl PhotoView {
    /// Fallback URL: the first copy at least 640 wide (or the largest), JPEG.
    pub fn src(&self) -> String {
        let middle = self.widths.iter().copied().find(|w| *w >= 640);
        self.url(middle.or(self.widths.last().copied()))
    }

    pub fn srcset_jpeg(&self) -> String {
        self.srcset("jpg")
    }

    pub fn srcset_webp(&self) -> Option<String> {
        self.webp.then(|| self.srcset("webp"))
    }

    /// The largest copy, for zoom and Open Graph.
    pub fn large(&self) -> String {
        self.url(self.widths.last().copied())
    }

    /// The smallest copy, for thumbnails.
    pub fn smallest(&self) -> String {
        self.url(self.widths.first().copied())
    }

    fn url(&self, width: Option<u32>) -> String {
        media_url(&self.key, width.unwrap_or(self.width), "jpg")
    }

    /// Written into one string: every product card renders two of these.
    fn srcset(&self, ext: &str) -> String {
        use std::fmt::Write as _;
        let mut set = String::with_capacity(self.widths.len() * (self.key.len() + 24));
        for (i, w) in self.widths.iter().enumerate() {
            if i > 0 {
                set.push_str(", ");
            }
            push_media_url(&mut set, &self.key, *w, ext);
            write!(set, " {w}w").expect("writing to a String cannot fail");
        }
        set
    }
}

/// Where a stored copy of a picture is served.
pub fn media_url(key: &str, width: u32, ext: &str) -> String {
    let mut url = String::with_capacity(key.len() + 20);
    push_media_url(&mut url, key, width, ext);
    url
}

fn push_media_url(out: &mut String, key: &str, width: u32, ext: &str) {
    use std::fmt::Write as _;
    write!(out, "/media/{key}-{width}.{ext}").expect("writing to a String cannot fail");
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

#[cfg(test)]
mod tests {
    use super::PhotoView;

    fn photo(widths: &[u32], webp: bool) -> PhotoView {
        PhotoView {
            key: "k1".into(),
            widths: widths.to_vec(),
            webp,
            width: 1500,
            height: 1000,
            alt: String::new(),
            option_value: None,
        }
    }

    #[test]
    fn urls_follow_from_the_key_and_the_widths() {
        let p = photo(&[320, 640, 1200], true);
        assert_eq!(p.src(), "/media/k1-640.jpg");
        assert_eq!(
            p.srcset_jpeg(),
            "/media/k1-320.jpg 320w, /media/k1-640.jpg 640w, /media/k1-1200.jpg 1200w"
        );
        assert_eq!(
            p.srcset_webp().as_deref(),
            Some("/media/k1-320.webp 320w, /media/k1-640.webp 640w, /media/k1-1200.webp 1200w")
        );
        assert_eq!(p.large(), "/media/k1-1200.jpg");
        assert_eq!(p.smallest(), "/media/k1-320.jpg");
    }

    #[test]
    fn a_small_original_falls_back_to_its_largest_copy() {
        let p = photo(&[320, 480], false);
        assert_eq!(
            p.src(),
            "/media/k1-480.jpg",
            "nothing 640 wide: the largest"
        );
        assert_eq!(p.srcset_webp(), None);
        let none = photo(&[], false);
        assert_eq!(
            none.src(),
            "/media/k1-1500.jpg",
            "no copies: the original width"
        );
    }
}
