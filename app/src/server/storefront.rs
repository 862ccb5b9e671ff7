//! Turns the catalog snapshot into what the storefront pages show, in the
//! shopper's language.
use super::catalog::{PhotoRec, ProductRec, Snapshot};
use crate::api::cart::{CartSuggestion, CartSuggestions};
use crate::api::catalog::{
    media_url, CategoryLink, CategoryPage, Crumb, FacetValueView, FacetView, HomeData, InfoLink,
    InfoPage, Navigation, OptionChoice, OptionGroup, PhotoView, ProductCard, ProductPage,
    SearchPage, Suggestion, VariantView,
};
use crate::domain::catalog::listing::{self, ListingQuery, BRAND_KEY, PAGE_SIZE};
use crate::domain::catalog::{discount_percent, localized, Availability};
use crate::domain::money::Lang;

const RELATED: usize = 8;
const SUGGESTIONS: usize = 6;
/// Longest search query looked at.
const MAX_QUERY_CHARS: usize = 100;

pub fn photo_view(photo: &PhotoRec, lang: Lang) -> PhotoView {
    PhotoView {
        key: photo.key.clone(),
        widths: photo.widths.clone(),
        webp: photo.has_webp,
        width: photo.width,
        height: photo.height,
        alt: localized(lang, &photo.alt_ru, &photo.alt_en).to_string(),
        option_value: photo.option_value.clone(),
    }
}

pub fn product_name(p: &ProductRec, lang: Lang) -> &str {
    localized(lang, &p.name_ru, &p.name_en)
}

/// A card priced by the cheapest variant (or, in listings, the cheapest matching one).
fn card(p: &ProductRec, lang: Lang, shown_price_minor: Option<i64>) -> ProductCard {
    let cheapest = shown_price_minor
        .and_then(|m| {
            p.variants
                .iter()
                .find(|v| crate::domain::catalog::to_minor(v.price) == Some(m))
        })
        .or_else(|| p.min_price())
        .expect("snapshot products have variants");
    let price_from = p.variants.iter().any(|v| v.price != cheapest.price);
    let availability = p
        .variants
        .iter()
        .map(|v| v.availability())
        .find(|a| matches!(a, Availability::InStock | Availability::Few(_)))
        .unwrap_or_else(|| cheapest.availability());
    ProductCard {
        id: p.id,
        slug: p.slug.clone(),
        name: product_name(p, lang).to_string(),
        brand: p.brand.clone(),
        price: cheapest.price,
        price_from,
        old_price: cheapest.old_price.filter(|o| *o > cheapest.price),
        discount: discount_percent(cheapest.price, cheapest.old_price),
        photo: p.photos.first().map(|ph| photo_view(ph, lang)),
        availability,
    }
}

/// A link to a category; `with_photo` adds the photo of its best seller.
fn category_link(s: &Snapshot, c: usize, lang: Lang, with_photo: bool) -> CategoryLink {
    let cat = &s.categories[c];
    let photo = with_photo
        .then(|| {
            s.products_in(c)
                .iter()
                .find_map(|&i| s.products[i].photos.first())
                .map(|ph| photo_view(ph, lang))
        })
        .flatten();
    CategoryLink {
        slug: cat.slug.clone(),
        name: localized(lang, &cat.name_ru, &cat.name_en).to_string(),
        count: cat.product_count,
        photo,
    }
}

fn crumbs(s: &Snapshot, category: usize, lang: Lang) -> Vec<Crumb> {
    s.chain(category)
        .iter()
        .map(|&c| {
            let cat = &s.categories[c];
            Crumb {
                name: localized(lang, &cat.name_ru, &cat.name_en).to_string(),
                href: format!("/c/{}", cat.slug),
            }
        })
        .collect()
}

pub fn navigation(s: &Snapshot, lang: Lang) -> Navigation {
    Navigation {
        categories: s
            .children(None)
            .filter(|&c| s.categories[c].product_count > 0)
            .map(|c| category_link(s, c, lang, false))
            .collect(),
        info: s
            .info_pages
            .iter()
            .map(|p| InfoLink {
                slug: p.slug.clone(),
                title: localized(lang, &p.title_ru, &p.title_en).to_string(),
            })
            .collect(),
    }
}

pub fn home(s: &Snapshot, lang: Lang) -> HomeData {
    let mut newest: Vec<&ProductRec> = s.products.iter().collect();
    newest.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    let mut discounted: Vec<&ProductRec> =
        s.products.iter().filter(|p| p.is_discounted()).collect();
    discounted.sort_by(|a, b| b.popularity.cmp(&a.popularity).then(a.id.cmp(&b.id)));
    HomeData {
        featured: (0..s.categories.len())
            .filter(|&c| s.categories[c].featured && s.categories[c].product_count > 0)
            .map(|c| category_link(s, c, lang, true))
            .collect(),
        new_arrivals: s
            .newest
            .iter()
            .map(|&i| card(&s.products[i], lang, None))
            .collect(),
        discounted: s
            .discounted
            .iter()
            .map(|&i| card(&s.products[i], lang, None))
            .collect(),
    }
}

pub fn category(s: &Snapshot, slug: &str, query: ListingQuery, lang: Lang) -> Option<CategoryPage> {
    let c = s.category(slug)?;
    let members = s.products_in(c);
    let result = s.run_listing(c, &query);
    let facets = facet_views(s, &result.facets, &query, lang);
    let cat = &s.categories[c];
    Some(CategoryPage {
        slug: cat.slug.clone(),
        name: localized(lang, &cat.name_ru, &cat.name_en).to_string(),
        crumbs: crumbs(s, c, lang),
        children: s
            .children(Some(c))
            .filter(|&ch| s.categories[ch].product_count > 0)
            .map(|ch| category_link(s, ch, lang, false))
            .collect(),
        items: result
            .page_items
            .iter()
            .map(|&(i, price)| card(&s.products[members[i]], lang, Some(price)))
            .collect(),
        total: result.total,
        pages: result.pages,
        facets,
        price_min: result.facets.price_min,
        price_max: result.facets.price_max,
        in_stock_count: result.facets.in_stock,
        query,
    })
}

/// Facets with their labels: brand first, then in the order values were first
/// seen in the catalog (so sizes read S, M, L); selected values always shown.
fn facet_views(
    s: &Snapshot,
    counts: &listing::FacetCounts,
    query: &ListingQuery,
    lang: Lang,
) -> Vec<FacetView> {
    let mut keys: Vec<&String> = counts.values.keys().chain(query.facets.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut facets: Vec<(usize, FacetView)> = Vec::new();
    for key in keys {
        let mut values: Vec<(usize, FacetValueView)> = Vec::new();
        let counted = counts
            .values
            .get(key)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let selected = query.facets.get(key);
        let zero_selected = selected
            .into_iter()
            .flatten()
            .filter(|code| !counted.iter().any(|(c, _)| c == *code))
            .map(|code| (code, 0));
        for (code, count) in counted.iter().map(|(c, n)| (c, *n)).chain(zero_selected) {
            let Some(label) = s.facet_label(key, code) else {
                continue;
            };
            values.push((
                label.order,
                FacetValueView {
                    code: code.clone(),
                    label: label.value.value(lang).to_string(),
                    count,
                    selected: query.is_selected(key, code),
                    swatch: label.value.swatch.clone(),
                },
            ));
        }
        // A facet with one value narrows nothing.
        if values.len() < 2 && !values.iter().any(|(_, v)| v.selected) {
            continue;
        }
        values.sort_by_key(|(order, _)| *order);
        let first = &values[0].1;
        let label = s.facet_label(key, &first.code).expect("labelled above");
        let rank = if key == BRAND_KEY { 0 } else { label.order + 1 };
        facets.push((
            rank,
            FacetView {
                key: key.clone(),
                name: label.value.name(lang).to_string(),
                values: values.into_iter().map(|(_, v)| v).collect(),
            },
        ));
    }
    facets.sort_by_key(|(rank, _)| *rank);
    facets.into_iter().map(|(_, f)| f).collect()
}

fn brand_name(lang: Lang) -> &'static str {
    localized(lang, "Бренд", "Brand")
}

pub fn product(s: &Snapshot, slug: &str, lang: Lang) -> Option<ProductPage> {
    let p = s.product(slug)?;
    let mut options: Vec<OptionGroup> = Vec::new();
    for o in p.variants.iter().flat_map(|v| v.options.iter()) {
        let choice = OptionChoice {
            code: o.code(),
            label: o.value(lang).to_string(),
            swatch: o.swatch.clone(),
        };
        match options.iter_mut().find(|g| g.key == o.key) {
            Some(g) => {
                if !g.choices.iter().any(|c| c.code == choice.code) {
                    g.choices.push(choice);
                }
            }
            None => options.push(OptionGroup {
                key: o.key.clone(),
                name: o.name(lang).to_string(),
                choices: vec![choice],
            }),
        }
    }
    let name = product_name(p, lang).to_string();
    let description = localized(lang, &p.description_ru, &p.description_en).to_string();
    let mut attributes: Vec<(String, String)> = Vec::new();
    if !p.brand.is_empty() {
        attributes.push((brand_name(lang).into(), p.brand.clone()));
    }
    attributes.extend(
        p.attributes
            .iter()
            .map(|a| (a.name(lang).to_string(), a.value(lang).to_string())),
    );
    let mut related: Vec<ProductCard> = p
        .related
        .iter()
        .map(|&i| card(&s.products[i], lang, None))
        .collect();
    // Fill up with the category's best sellers when few are linked by hand.
    if related.len() < RELATED {
        let missing = RELATED - related.len();
        let best_sellers: Vec<ProductCard> = s
            .products_in(p.category)
            .iter()
            .map(|&i| &s.products[i])
            .filter(|o| o.id != p.id && !related.iter().any(|r| r.id == o.id))
            .take(missing)
            .map(|o| card(o, lang, None))
            .collect();
        related.extend(best_sellers);
    }
    let seo_description = p.seo_description.clone().unwrap_or_else(|| {
        let flat = description.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut d: String = flat.chars().take(155).collect();
        if flat.chars().count() > 155 {
            d = format!("{}…", d.trim_end());
        }
        d
    });
    Some(ProductPage {
        id: p.id,
        slug: p.slug.clone(),
        seo_title: p.seo_title.clone().unwrap_or_else(|| name.clone()),
        seo_description,
        name,
        brand: p.brand.clone(),
        description,
        crumbs: crumbs(s, p.category, lang),
        attributes,
        options,
        variants: p
            .variants
            .iter()
            .map(|v| VariantView {
                id: v.id,
                sku: v.sku.clone(),
                price: v.price,
                old_price: v.old_price.filter(|o| *o > v.price),
                discount: discount_percent(v.price, v.old_price),
                availability: v.availability(),
                options: v
                    .options
                    .iter()
                    .map(|o| (o.key.clone(), o.code()))
                    .collect(),
            })
            .collect(),
        photos: p.photos.iter().map(|ph| photo_view(ph, lang)).collect(),
        related,
        weight_g: p.weight_g,
        dimensions_mm: p.dimensions_mm,
    })
}

pub fn search(s: &Snapshot, q: &str, page: u32, lang: Lang) -> SearchPage {
    let q: String = q.chars().take(MAX_QUERY_CHARS).collect();
    let hits = s.search.search(&q);
    let total = hits.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let start = (page as usize - 1).saturating_mul(PAGE_SIZE);
    SearchPage {
        items: hits
            .iter()
            .skip(start)
            .take(PAGE_SIZE)
            .map(|h| card(&s.products[h.doc as usize], lang, None))
            .collect(),
        query: q,
        total,
        page,
        pages,
    }
}

pub fn suggest(s: &Snapshot, q: &str, lang: Lang) -> Vec<Suggestion> {
    let q: String = q.chars().take(MAX_QUERY_CHARS).collect();
    if q.trim().chars().count() < 2 {
        return Vec::new();
    }
    s.search
        .search(&q)
        .into_iter()
        .take(SUGGESTIONS)
        .map(|h| {
            let p = &s.products[h.doc as usize];
            let cheapest = p.min_price().expect("snapshot products have variants");
            Suggestion {
                slug: p.slug.clone(),
                name: product_name(p, lang).to_string(),
                price: cheapest.price,
                thumb: p
                    .photos
                    .first()
                    .and_then(|ph| ph.widths.first().map(|w| media_url(&ph.key, *w, "jpg"))),
            }
        })
        .collect()
}

pub fn info(s: &Snapshot, slug: &str, lang: Lang) -> Option<InfoPage> {
    let p = s.info_pages.iter().find(|p| p.slug == slug)?;
    let body = localized(lang, &p.body_ru, &p.body_en);
    Some(InfoPage {
        slug: p.slug.clone(),
        title: localized(lang, &p.title_ru, &p.title_en).to_string(),
        paragraphs: body
            .split("\n\n")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

/// A suggestion with the variant one tap adds (a product with a single
/// variant that can be bought); others need a choice on the product page.
fn suggestion(p: &ProductRec, lang: Lang) -> CartSuggestion {
    let quick_add = match p.variants.as_slice() {
        [only] if only.availability().can_buy() => Some(only.id),
        _ => None,
    };
    CartSuggestion {
        card: card(p, lang, None),
        quick_add,
    }
}

/// Cross-sell for the cart (CART-5): the related products of what is in it,
/// then best sellers of the same categories; and the recently viewed
/// products (for an empty cart). Nothing already in the cart is suggested.
pub fn cart_suggestions(
    s: &Snapshot,
    in_cart: &[i64],
    recent: &[i64],
    lang: Lang,
) -> CartSuggestions {
    let position = |id: i64| s.products.iter().position(|p| p.id == id);
    let cart_products: Vec<usize> = in_cart.iter().filter_map(|&id| position(id)).collect();
    let mut picked: Vec<usize> = Vec::new();
    let wanted = |i: &usize, picked: &Vec<usize>| !cart_products.contains(i) && !picked.contains(i);
    for &c in &cart_products {
        for &r in &s.products[c].related {
            if picked.len() < RELATED && wanted(&r, &picked) {
                picked.push(r);
            }
        }
    }
    for &c in &cart_products {
        for &r in s.products_in(s.products[c].category) {
            if picked.len() < RELATED && wanted(&r, &picked) {
                picked.push(r);
            }
        }
    }
    let recent: Vec<CartSuggestion> = recent
        .iter()
        .filter_map(|&id| position(id))
        .filter(|i| !cart_products.contains(i))
        .take(RELATED)
        .map(|i| suggestion(&s.products[i], lang))
        .collect();
    CartSuggestions {
        related: picked
            .into_iter()
            .map(|i| suggestion(&s.products[i], lang))
            .collect(),
        recent,
    }
}
