//! The catalog on a real database (SQLite, or PostgreSQL with
//! LAVKA_TEST_POSTGRES_URL): demo catalog, exact money, snapshot freshness
//! across instances, listing and search through the storefront service,
//! database-level validation, pictures, and the pages over HTTP.
use crate::common;

use app::domain::catalog::listing::ListingQuery;
use app::domain::money::Lang;
use app::server::catalog::{bump_version, CatalogCache};
use app::server::entities::{products, stock, variants};
use app::server::{media, storefront, AppState};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use std::path::PathBuf;
use tower::ServiceExt;

fn media_dir() -> PathBuf {
    common::shared_media_dir()
}

async fn demo_state() -> AppState {
    common::demo_state().await
}

#[tokio::test]
async fn demo_catalog_is_believable_and_money_is_exact() {
    let state = demo_state().await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    assert_eq!(snap.products.len(), server::demo_catalog::DEMO_PRODUCTS);
    assert!(snap.products.iter().all(|p| p.variants.len() >= 2));
    assert!(snap.products.iter().all(|p| !p.photos.is_empty()));
    assert!(snap.products.iter().any(|p| p.is_discounted()));
    // Every photo exists on disk in every stored width.
    for photo in snap.products.iter().flat_map(|p| &p.photos) {
        for w in &photo.widths {
            assert!(media_dir().join(format!("{}-{w}.jpg", photo.key)).exists());
        }
    }
    // Running the loader again adds nothing.
    assert_eq!(
        server::demo_catalog::load_demo(&state.db, &media_dir())
            .await
            .unwrap(),
        0
    );

    // Kopecks survive the database on both engines.
    let variant = variants::Entity::find()
        .order_by_asc(variants::Column::Id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    let mut active = variant.clone().into_active_model();
    active.price_minor = Set(199_055);
    active.update(&state.db).await.unwrap();
    bump_version(&state.db).await.unwrap();
    state.catalog.invalidate();
    let snap = state.catalog.get(&state.db).await.unwrap();
    let reread = snap
        .products
        .iter()
        .flat_map(|p| &p.variants)
        .find(|v| v.id == variant.id)
        .unwrap();
    assert_eq!(reread.price.to_string(), "1990.55");
}

#[tokio::test]
async fn listing_filters_and_counts_through_the_service() {
    let state = demo_state().await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let all = storefront::category(&snap, "clothing", ListingQuery::default(), Lang::En).unwrap();
    assert!(all.total > 50, "clothing has {} products", all.total);
    assert_eq!(all.items.len(), 24);
    let colours = all
        .facets
        .iter()
        .find(|f| f.key == "color")
        .expect("colour facet");
    let red = colours
        .values
        .iter()
        .find(|v| v.code == "red")
        .expect("red");

    let query = ListingQuery::from_query_string("f.color=red&sort=price_asc");
    let filtered = storefront::category(&snap, "clothing", query, Lang::En).unwrap();
    assert_eq!(
        filtered.total as u32, red.count,
        "the count promised is the count shown"
    );
    let prices: Vec<_> = filtered.items.iter().map(|c| c.price).collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "price ascending");
    // The colour facet still offers the other colours, with their counts.
    let colours = filtered.facets.iter().find(|f| f.key == "color").unwrap();
    assert!(colours
        .values
        .iter()
        .any(|v| v.code != "red" && v.count > 0));
    assert!(colours.values.iter().any(|v| v.code == "red" && v.selected));

    // Garbage in the URL is ignored, never an error.
    let odd = ListingQuery::from_query_string("price_min=abc&page=-4&sort=%3Cx%3E&f.color=");
    let page = storefront::category(&snap, "clothing", odd, Lang::Ru).unwrap();
    assert_eq!(page.total, all.total);
    assert!(
        storefront::category(&snap, "no-such-category", ListingQuery::default(), Lang::Ru)
            .is_none()
    );
}

/// CAT-2: a snapshot runs each listing once; a product selling out makes a
/// new snapshot whose listing no longer counts it as in stock.
#[tokio::test]
async fn a_listing_runs_once_per_snapshot_and_a_sell_out_shows_in_the_next() {
    let state = demo_state().await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let clothing = snap.category("clothing").unwrap();
    let in_stock = ListingQuery::from_query_string("in_stock=1");
    let first = snap.run_listing(clothing, &in_stock);
    assert!(
        std::sync::Arc::ptr_eq(&first, &snap.run_listing(clothing, &in_stock)),
        "the same query on the same snapshot is answered from the first run"
    );
    let (position, _) = first.page_items[0];
    let product = &snap.products[snap.products_in(clothing)[position]];
    for variant in &product.variants {
        common::set_stock(&state, variant.id, 1, 0).await;
    }
    let next = state.catalog.get(&state.db).await.unwrap();
    assert!(
        !std::sync::Arc::ptr_eq(&snap, &next),
        "a sell-out makes a new snapshot"
    );
    let after = next.run_listing(clothing, &in_stock);
    assert_eq!(after.total, first.total - 1, "{} sold out", product.slug);
    let page = storefront::category(&next, "clothing", in_stock, Lang::En).unwrap();
    assert!(page.items.iter().all(|card| card.slug != product.slug));
}

#[tokio::test]
async fn search_forgives_typos_in_both_languages() {
    let state = demo_state().await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let ru = storefront::search(&snap, "кросовк", 1, Lang::Ru);
    assert!(ru.total > 0);
    assert!(
        ru.items[0].name.starts_with("Кроссовки"),
        "{}",
        ru.items[0].name
    );
    let en = storefront::search(&snap, "snekaers", 1, Lang::En);
    assert!(en.total > 0);
    assert!(
        en.items[0].name.contains("Sneakers"),
        "{}",
        en.items[0].name
    );
    let sku = &snap.products[5].variants[0].sku;
    let by_sku = storefront::search(&snap, sku, 1, Lang::En);
    assert_eq!(by_sku.items[0].slug, snap.products[5].slug);
    assert!(
        storefront::suggest(&snap, "к", Lang::Ru).is_empty(),
        "one letter suggests nothing"
    );
    assert!(storefront::suggest(&snap, "круж", Lang::Ru).len() <= 6);
}

#[tokio::test]
async fn unpublished_products_disappear_and_other_instances_catch_up() {
    let state = demo_state().await;
    let other_instance = CatalogCache::default();
    let snap = other_instance.get(&state.db).await.unwrap();
    let slug = snap.products[0].slug.clone();
    assert!(storefront::product(&snap, &slug, Lang::Ru).is_some());

    let row = products::Entity::find()
        .filter(products::Column::Slug.eq(slug.clone()))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    let mut active = row.into_active_model();
    active.published = Set(false);
    active.update(&state.db).await.unwrap();
    bump_version(&state.db).await.unwrap();

    tokio::time::sleep(app::server::catalog::RECHECK + std::time::Duration::from_millis(100)).await;
    let snap = other_instance.get(&state.db).await.unwrap();
    assert!(storefront::product(&snap, &slug, Lang::Ru).is_none());
    assert!(!server::seo::urls(&snap, "http://x")
        .iter()
        .any(|(u, _)| u.ends_with(&slug)));
}

#[tokio::test]
async fn the_database_refuses_negative_prices_and_stock_and_duplicate_slugs() {
    let state = demo_state().await;
    let variant = variants::Entity::find()
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    let mut negative = variant.clone().into_active_model();
    negative.price_minor = Set(-1);
    assert!(negative.update(&state.db).await.is_err(), "negative price");

    let row = stock::Entity::find()
        .filter(stock::Column::VariantId.eq(variant.id))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    let mut negative = row.into_active_model();
    negative.quantity = Set(-3);
    assert!(negative.update(&state.db).await.is_err(), "negative stock");

    let first = products::Entity::find()
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    let mut copy = first.clone().into_active_model();
    copy.id = sea_orm::ActiveValue::NotSet;
    assert!(copy.insert(&state.db).await.is_err(), "duplicate slug");
}

#[tokio::test]
async fn pictures_are_resized_and_unreadable_files_refused() {
    let dir = std::env::temp_dir().join(format!("lavka-media-{}", rand_tag()));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        900,
        600,
        image::Rgb([200, 40, 40]),
    ))
    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
    .unwrap();
    let stored = media::process(&png, &dir).unwrap();
    assert_eq!((stored.width, stored.height), (900, 600));
    assert_eq!(stored.widths, vec![320, 640, 900]);
    for w in &stored.widths {
        let file = dir.join(format!("{}-{w}.jpg", stored.key));
        let decoded = image::open(&file).unwrap();
        assert_eq!(decoded.width(), *w);
    }
    // Same bytes, same key: stored once.
    assert_eq!(media::process(&png, &dir).unwrap().key, stored.key);
    assert!(matches!(
        media::process(b"definitely not a picture", &dir),
        Err(media::MediaError::Unreadable(_))
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn rand_tag() -> u64 {
    use rand::Rng;
    rand::thread_rng().gen()
}

/// The whole HTTP stack over this state.
fn http_stack(state: &AppState) -> axum::Router {
    let options = LeptosOptions::builder()
        .output_name("lavka")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    server::http::router(state.clone(), options)
}

async fn get(app: &axum::Router, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    get_with(app, path, &[]).await
}

#[tokio::test]
async fn storefront_pages_sitemap_and_robots_over_http() {
    let state = demo_state().await;
    let app = http_stack(&state);
    let snap = state.catalog.get(&state.db).await.unwrap();
    let product = &snap.products[3];

    let (status, _, body) = get(&app, &format!("/p/{}", product.slug)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("application/ld+json"));
    assert!(body.contains("\"@type\":\"Product\""));
    assert!(body.contains("\"@type\":\"BreadcrumbList\""));
    assert!(body.contains(&format!(
        "<link href=\"http://127.0.0.1:3000/p/{}\" rel=\"canonical\">",
        product.slug
    )));
    assert!(body.contains("og:title"));
    assert!(body.contains("srcset="));

    let (status, _, body) = get(&app, "/c/clothing?price_min=abc&page=-3&f.color=red").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("data-testid=\"product-card\""));
    let (status, _, _) = get(&app, "/p/no-such-product").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(&app, "/c/no-such-category").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, body) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"@type\":\"Organization\""));

    let (status, headers, body) = get(&app, "/sitemap.xml").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/xml"));
    assert!(body.contains(&format!("/p/{}</loc>", product.slug)));
    assert!(body.contains("/c/clothing</loc>"));
    assert!(body.contains("/info/delivery</loc>"));
    let (status, _, body) = get(&app, "/robots.txt").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Disallow: /admin"));

    let photo = &product.photos[0];
    let (status, headers, _) = get(&app, &format!("/media/{}-320.jpg", photo.key)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
}

async fn get_with(
    app: &axum::Router,
    path: &str,
    headers: &[(header::HeaderName, &str)],
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::get(path).header(header::ACCEPT, "text/html");
    for (name, value) in headers {
        req = req.header(name, *value);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn cache_verdict(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(server::page_cache::CACHE_HEADER)
        .map(|v| v.to_str().unwrap())
}

// CART-2: the server's cart page is the same for every visitor (the lines
// are the browser's), so it is kept like a catalog page; the checkout is not.
#[tokio::test]
async fn the_cart_page_is_kept_for_visitors_and_the_checkout_is_not() {
    let state = demo_state().await;
    let app = http_stack(&state);
    let (status, headers, first) = get(&app, "/cart").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cache_verdict(&headers), Some("MISS"));
    assert!(first.contains("cart-pending"), "lines wait for the browser");
    assert!(first.contains("product-card"), "the deals shelf is drawn");
    let (_, headers, again) = get(&app, "/cart").await;
    assert_eq!(cache_verdict(&headers), Some("HIT"));
    assert_eq!(again, first);
    let (_, headers, _) = get(&app, "/checkout").await;
    assert_eq!(cache_verdict(&headers), None);
}

#[tokio::test]
async fn storefront_pages_are_kept_a_second_and_changes_show_at_once() {
    use app::domain::money::{format_money, Currency};
    use app::server::stock_ledger::{set_available, Why};
    let state = demo_state().await;
    let app = http_stack(&state);
    let snap = state.catalog.get(&state.db).await.unwrap();
    let product = snap
        .products
        .iter()
        .find(|p| p.variants.iter().all(|v| v.stock.get() > 10))
        .expect("a demo product with every variant well stocked");
    let slug = product.slug.clone();
    let variant_ids: Vec<i64> = product.variants.iter().map(|v| v.id).collect();
    let path = format!("/p/{slug}");
    let en = [(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")];

    let (status, headers, first) = get_with(&app, &path, &en).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cache_verdict(&headers), Some("MISS"));
    assert!(first.contains("In stock"), "English page");
    let (_, headers, again) = get_with(&app, &path, &en).await;
    assert_eq!(cache_verdict(&headers), Some("HIT"));
    assert_eq!(again, first);

    // Browsers get the same page compressed, compressed once per encoding.
    for encoding in ["br", "gzip"] {
        for _ in 0..2 {
            let req = Request::get(&path)
                .header(header::ACCEPT_LANGUAGE, en[0].1)
                .header(
                    header::ACCEPT_ENCODING,
                    format!("{encoding}, identity;q=0.5"),
                )
                .body(Body::empty())
                .unwrap();
            let res = app.clone().oneshot(req).await.unwrap();
            assert_eq!(cache_verdict(res.headers()), Some("HIT"));
            assert_eq!(res.headers()[header::CONTENT_ENCODING], encoding);
            assert!(res.headers()[header::VARY]
                .to_str()
                .unwrap()
                .contains("accept-encoding"));
            let sent = res.into_body().collect().await.unwrap().to_bytes();
            let mut page = String::new();
            use std::io::Read;
            if encoding == "br" {
                brotli::Decompressor::new(&sent[..], 4096)
                    .read_to_string(&mut page)
                    .unwrap();
            } else {
                flate2::read::GzDecoder::new(&sent[..])
                    .read_to_string(&mut page)
                    .unwrap();
            }
            assert_eq!(page, first);
        }
    }

    // Another language is another page.
    let (_, headers, russian) = get_with(&app, &path, &[(header::ACCEPT_LANGUAGE, "ru")]).await;
    assert_eq!(cache_verdict(&headers), Some("MISS"));
    assert!(russian.contains("В наличии"));

    // Orders elsewhere leave three units of each variant: the snapshot
    // stays, its stock changes, and the next visitor sees the new level.
    let txn = app::server::begin_write(&state.db).await.unwrap();
    let why = Why {
        order_id: None,
        reason: "test: sold elsewhere",
        actor: None,
        at: chrono::Utc::now(),
    };
    let rows = stock::Entity::find()
        .filter(stock::Column::VariantId.is_in(variant_ids.clone()))
        .order_by_asc(stock::Column::WarehouseId)
        .all(&txn)
        .await
        .unwrap();
    let mut left = std::collections::HashSet::new();
    for row in &rows {
        let units = if left.insert(row.variant_id) { 3 } else { 0 };
        set_available(&txn, row.variant_id, row.warehouse_id, units, why)
            .await
            .unwrap()
            .unwrap();
    }
    txn.commit().await.unwrap();
    state
        .catalog
        .stock_changed(&state.db, Some(&variant_ids))
        .await
        .unwrap();
    assert!(std::sync::Arc::ptr_eq(
        &snap,
        &state.catalog.get(&state.db).await.unwrap()
    ));
    let (_, headers, body) = get_with(&app, &path, &en).await;
    assert_eq!(cache_verdict(&headers), Some("MISS"));
    assert!(body.contains("Only 3 left"));

    // A catalog change made on this instance shows on the next request.
    for id in &variant_ids {
        let row = variants::Entity::find_by_id(*id)
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        let mut changed = row.into_active_model();
        changed.price_minor = Set(77_700);
        changed.old_price_minor = Set(None);
        changed.update(&state.db).await.unwrap();
    }
    bump_version(&state.db).await.unwrap();
    state.catalog.invalidate();
    let (_, headers, body) = get_with(&app, &path, &en).await;
    assert_eq!(cache_verdict(&headers), Some("MISS"));
    let price = format_money(rust_decimal::Decimal::new(777, 0), Currency::Rub, Lang::En);
    assert!(body.contains(&price), "{price} on the page");

    // Signed-in visitors always get their own render.
    let (status, headers, _) =
        get_with(&app, &path, &[(header::COOKIE, "lavka_session=anything")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cache_verdict(&headers), None);
    // Neither are pages outside the public storefront kept.
    let (_, headers, _) = get_with(&app, "/checkout", &en).await;
    assert_eq!(cache_verdict(&headers), None);

    // After its second a page is rendered again.
    let (_, headers, _) = get_with(&app, &path, &en).await;
    assert_eq!(cache_verdict(&headers), Some("HIT"));
    tokio::time::sleep(server::page_cache::TTL + std::time::Duration::from_millis(50)).await;
    let (_, headers, _) = get_with(&app, &path, &en).await;
    assert_eq!(cache_verdict(&headers), Some("MISS"));
}

#[tokio::test]
async fn the_full_stock_read_finds_a_change_no_movement_announced() {
    let state = demo_state().await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let variant = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .find(|v| v.stock.get() > 10)
        .expect("a well stocked variant");
    let (before, edition) = (variant.stock.get(), snap.edition());
    // As if a transaction committed its movement out of id order: the level
    // changes, no newer movement shows it.
    let row = stock::Entity::find()
        .filter(stock::Column::VariantId.eq(variant.id))
        .filter(stock::Column::Quantity.gte(3))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    let quantity = row.quantity;
    let mut changed = row.into_active_model();
    changed.quantity = Set(quantity - 3);
    changed.update(&state.db).await.unwrap();

    tokio::time::sleep(app::server::catalog::RECHECK + std::time::Duration::from_millis(100)).await;
    let rechecked = state.catalog.get(&state.db).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&snap, &rechecked));
    assert_eq!(
        variant.stock.get(),
        before,
        "the recheck follows movements only"
    );

    state.catalog.read_all_stock(&state.db).await.unwrap();
    assert_eq!(variant.stock.get(), before - 3);
    assert_ne!(
        snap.edition(),
        edition,
        "pages showing the old level are not served"
    );
}
