//! The product page (CAT-2): gallery (zoom on desktop, swipe on mobile),
//! variant picker that changes price, photo and availability without a
//! reload, delivery block, related products, "add to cart" into the
//! localStorage cart, and the Product JSON-LD (ACQ-1).
use crate::api::catalog::{load_product, PhotoView, ProductPage, VariantView};
use crate::components::catalog::{
    use_currency, AvailabilityNote, JsonLd, Picture, Price, ProductGrid,
};
use crate::components::frame::{lang, use_shop_info, use_store_cart};
use crate::components::seo::{Breadcrumbs, Seo};
use crate::domain::catalog::Availability;
use crate::domain::money::format_money;
use crate::i18n::*;
use crate::pages::catalog::load_error;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProductRoute() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let data = Resource::new(
        move || (params.read().get("slug").unwrap_or_default(), lang(i18n)),
        |(slug, lang)| load_product(slug, lang),
    );
    let body = move || {
        Suspend::new(async move {
            match data.await {
                Ok(page) => view! { <ProductView page /> }.into_any(),
                Err(err) => load_error(err),
            }
        })
    };
    view! { <Transition fallback=|| view! { <p class="page loading">"…"</p> }>{body}</Transition> }
}

/// The variant matching every selected option.
fn matching<'a>(
    variants: &'a [VariantView],
    selected: &[(String, String)],
) -> Option<&'a VariantView> {
    variants
        .iter()
        .find(|v| selected.iter().all(|s| v.options.contains(s)))
}

/// Selection after choosing `code` for `key`: keep the other choices when such
/// a variant exists, otherwise jump to the best variant with that value.
fn choose(
    variants: &[VariantView],
    selected: &[(String, String)],
    key: &str,
    code: &str,
) -> Vec<(String, String)> {
    let mut wanted: Vec<(String, String)> =
        selected.iter().filter(|(k, _)| k != key).cloned().collect();
    wanted.push((key.to_string(), code.to_string()));
    if let Some(v) = matching(variants, &wanted) {
        return v.options.clone();
    }
    let with_value = |v: &&VariantView| v.options.iter().any(|(k, c)| k == key && c == code);
    variants
        .iter()
        .filter(with_value)
        .find(|v| v.availability.can_buy())
        .or_else(|| variants.iter().find(with_value))
        .map(|v| v.options.clone())
        .unwrap_or_else(|| selected.to_vec())
}

fn photo_for(photos: &[PhotoView], selected: &[(String, String)]) -> Option<usize> {
    photos.iter().position(|p| {
        p.option_value
            .as_ref()
            .is_some_and(|o| selected.iter().any(|(_, c)| c == o))
    })
}

#[component]
fn ProductView(page: ProductPage) -> impl IntoView {
    let i18n = use_i18n();
    let shop = use_shop_info();
    let currency = use_currency();
    let store_cart = use_store_cart();
    // Remembered for the empty cart's "recently viewed" (CART-2).
    #[cfg(feature = "hydrate")]
    {
        let id = page.id;
        Effect::new(move |_| crate::domain::cart::browser::remember_viewed(id));
    }

    let variants = StoredValue::new(page.variants.clone());
    let photos = StoredValue::new(page.photos.clone());
    let initial = page
        .variants
        .iter()
        .find(|v| v.availability.can_buy())
        .or(page.variants.first())
        .map(|v| v.options.clone())
        .unwrap_or_default();
    let initial_photo = photo_for(&page.photos, &initial).unwrap_or(0);
    let selected = RwSignal::new(initial);
    let photo_index = RwSignal::new(initial_photo);
    let current = Memo::new(move |_| {
        variants.with_value(|vs| selected.with(|sel| matching(vs, sel).cloned()))
    });
    let added = RwSignal::new(false);

    let pick = move |key: String, code: String| {
        let next = variants.with_value(|vs| choose(vs, &selected.get_untracked(), &key, &code));
        if let Some(i) = photos.with_value(|ps| photo_for(ps, &next)) {
            photo_index.set(i);
        }
        selected.set(next);
        added.set(false);
    };

    let option_groups = page
        .options
        .iter()
        .map(|group| {
            let key = group.key.clone();
            let choices = group
                .choices
                .iter()
                .map(|choice| {
                    let (key, code) = (key.clone(), choice.code.clone());
                    let is_selected = {
                        let (key, code) = (key.clone(), code.clone());
                        move || selected.with(|s| s.iter().any(|(k, c)| *k == key && *c == code))
                    };
                    // Does this value exist together with the other current choices?
                    let combinable = {
                        let (key, code) = (key.clone(), code.clone());
                        move || {
                            let mut wanted: Vec<(String, String)> = selected
                                .get()
                                .into_iter()
                                .filter(|(k, _)| *k != key)
                                .collect();
                            wanted.push((key.clone(), code.clone()));
                            variants.with_value(|vs| {
                                matching(vs, &wanted).is_some_and(|v| v.availability.can_buy())
                            })
                        }
                    };
                    let swatch = choice.swatch.clone().map(|c| {
                        view! { <span class="swatch" style=format!("background:{c}") aria-hidden="true"></span> }
                    });
                    let on_click = {
                        let (key, code) = (key.clone(), code.clone());
                        move |_| pick(key.clone(), code.clone())
                    };
                    view! {
                        <button
                            type="button"
                            class="choice"
                            class:unavailable=move || !combinable()
                            aria-pressed=move || is_selected().to_string()
                            data-testid=format!("option-{}-{}", key, code)
                            on:click=on_click
                        >
                            {swatch}
                            {choice.label.clone()}
                        </button>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="option-group">
                    <legend>{group.name.clone()}":"</legend>
                    <div class="choices">{choices}</div>
                </fieldset>
            }
        })
        .collect_view();

    let price = move || {
        current.get().map(|v| {
            view! { <Price price=v.price old_price=v.old_price discount=v.discount /> }
        })
    };
    let availability = move || {
        current
            .get()
            .map(|v| view! { <AvailabilityNote availability=v.availability /> })
    };
    let sku = move || current.get().map(|v| v.sku);

    let add = move |_| {
        let Some(variant) = current.get_untracked() else {
            return;
        };
        #[cfg(feature = "hydrate")]
        {
            let mut cart = crate::domain::cart::browser::load();
            cart.add_line(crate::domain::cart::StoredCartLine {
                variant_id: variant.id,
                quantity: 1,
                seen_price: Some(variant.price),
            });
            store_cart(cart);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (variant, store_cart);
        added.set(true);
    };
    let can_buy = move || current.get().is_some_and(|v| v.availability.can_buy());

    // Delivery: the shop's free-delivery threshold and when this variant ships.
    let delivery = move || {
        let shop = shop.get().flatten()?;
        let free = shop.free_delivery_from.map(|amount| {
            let sum = format_money(amount, currency.get(), lang(i18n));
            view! { <li>{t!(i18n, free_delivery_from, sum)}</li> }
        });
        let ships = current.get().map(|v| match v.availability {
            Availability::InStock | Availability::Few(_) => {
                view! { <li>{t!(i18n, delivery_ships_tomorrow)}</li> }.into_any()
            }
            Availability::OnOrder(days) => {
                view! { <li>{t!(i18n, delivery_ships_in, days)}</li> }.into_any()
            }
            Availability::OutOfStock => {
                view! { <li>{t!(i18n, delivery_unavailable)}</li> }.into_any()
            }
        });
        Some(view! { <ul>{ships}{free}</ul> })
    };

    // Gallery: thumbnails, keyboard and swipe; hover zoom follows the pointer.
    let photo_count = page.photos.len();
    let step = move |delta: isize| {
        if photo_count > 1 {
            photo_index
                .update(|i| *i = ((*i as isize + delta).rem_euclid(photo_count as isize)) as usize);
        }
    };
    let touch_x = RwSignal::new(None::<i32>);
    let zoom_origin = RwSignal::new(String::from("50% 50%"));
    let main_photo = move || {
        let i = photo_index.get();
        photos.with_value(|ps| ps.get(i).cloned()).map(|p| {
            view! { <Picture photo=p sizes="(max-width: 800px) 100vw, 600px" eager=true class="main-picture" /> }
        })
    };
    let thumbs = page
        .photos
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let thumb = p.smallest();
            let label = format!("{} {}", t_string!(i18n, gallery_photo), i + 1);
            view! {
                <li>
                    <button type="button" class="thumb" aria-label=label aria-current=move || (photo_index.get() == i).then_some("true") on:click=move |_| photo_index.set(i)>
                        <img src=thumb alt="" width="64" height="80" loading="lazy" />
                    </button>
                </li>
            }
        })
        .collect_view();

    let json_ld = {
        let page = page.clone();
        move || {
            let page = page.clone();
            Suspend::new(async move {
                let shop = shop.await.unwrap_or_default();
                let base = shop.base_url.clone();
                let url = format!("{base}/p/{}", page.slug);
                let offers: Vec<serde_json::Value> = page
                    .variants
                    .iter()
                    .map(|v| {
                        serde_json::json!({
                            "@type": "Offer",
                            "sku": v.sku,
                            "price": v.price.round_dp(2).to_string(),
                            "priceCurrency": shop.currency.code(),
                            "availability": v.availability.schema_org(),
                            "url": url,
                        })
                    })
                    .collect();
                let images: Vec<String> = page
                    .photos
                    .iter()
                    .map(|p| format!("{base}{}", p.large()))
                    .collect();
                view! {
                    <JsonLd value=serde_json::json!({
                        "@context": "https://schema.org",
                        "@type": "Product",
                        "name": page.name,
                        "description": page.seo_description,
                        "sku": page.variants.first().map(|v| v.sku.clone()),
                        "brand": { "@type": "Brand", "name": page.brand },
                        "image": images,
                        "url": url,
                        "offers": offers,
                    }) />
                }
            })
        }
    };

    let attributes = page
        .attributes
        .iter()
        .map(|(name, value)| view! { <div><dt>{name.clone()}</dt><dd>{value.clone()}</dd></div> })
        .collect_view();
    let description = page
        .description
        .split("\n\n")
        .map(|p| view! { <p>{p.to_string()}</p> })
        .collect_view();
    let related = (!page.related.is_empty()).then(|| {
        view! {
            <section class="shelf" aria-labelledby="related-title">
                <h2 id="related-title">{t!(i18n, product_related)}</h2>
                <ProductGrid cards=page.related.clone() />
            </section>
        }
    });
    let og_image = page.photos.first().map(|p| p.large());

    view! {
        <Seo title=page.seo_title.clone() description=page.seo_description.clone() path=format!("/p/{}", page.slug) image=og_image og_type="product" />
        <Suspense>{json_ld}</Suspense>
        <div class="page product" data-testid="product-page">
            <Breadcrumbs crumbs=page.crumbs.clone() current=page.name.clone() />
            <div class="product-main">
                <section class="gallery" aria-label=move || t_string!(i18n, gallery_label)>
                    <div
                        class="gallery-main"
                        data-testid="main-photo"
                        style=move || format!("--zoom-origin:{}", zoom_origin.get())
                        on:mousemove=move |ev| {
                            #[cfg(feature = "hydrate")]
                            {
                                use wasm_bindgen::JsCast;
                                if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                                    let w = el.offset_width().max(1) as f64;
                                    let h = el.offset_height().max(1) as f64;
                                    let r = el.get_bounding_client_rect();
                                    let x = ((ev.client_x() as f64 - r.left()) / w * 100.0).clamp(0.0, 100.0);
                                    let y = ((ev.client_y() as f64 - r.top()) / h * 100.0).clamp(0.0, 100.0);
                                    zoom_origin.set(format!("{x:.0}% {y:.0}%"));
                                }
                            }
                            #[cfg(not(feature = "hydrate"))]
                            let _ = ev;
                        }
                        on:touchstart=move |ev| {
                            #[cfg(feature = "hydrate")]
                            touch_x.set(ev.changed_touches().get(0).map(|t| t.client_x()));
                            #[cfg(not(feature = "hydrate"))]
                            let _ = ev;
                        }
                        on:touchend=move |ev| {
                            #[cfg(feature = "hydrate")]
                            if let (Some(start), Some(end)) = (touch_x.get_untracked(), ev.changed_touches().get(0).map(|t| t.client_x())) {
                                if (end - start).abs() > 40 {
                                    step(if end < start { 1 } else { -1 });
                                }
                            }
                            #[cfg(not(feature = "hydrate"))]
                            let _ = (ev, touch_x);
                        }
                    >
                        {main_photo}
                        {(photo_count > 1).then(|| view! {
                            <button type="button" class="gallery-step prev" aria-label=move || t_string!(i18n, gallery_prev) on:click=move |_| step(-1)>"‹"</button>
                            <button type="button" class="gallery-step next" aria-label=move || t_string!(i18n, gallery_next) on:click=move |_| step(1)>"›"</button>
                        })}
                    </div>
                    <ol class="thumbs">{thumbs}</ol>
                </section>
                <section class="buy-box">
                    <h1 data-testid="product-name">{page.name.clone()}</h1>
                    <p class="card-brand">{page.brand.clone()}</p>
                    <p class="product-price" data-testid="product-price">{price}</p>
                    <p>{availability}</p>
                    {option_groups}
                    <p class="sku">{t!(i18n, product_sku)}": "<span data-testid="sku">{sku}</span></p>
                    <button type="button" class="button buy" data-testid="add-to-cart" disabled=move || !can_buy() on:click=add>
                        {t!(i18n, product_add_to_cart)}
                    </button>
                    <p class="added" role="status" data-testid="added-note">
                        {move || added.get().then(|| view! {
                            {t!(i18n, product_added)}" "<a href="/cart">{t!(i18n, product_go_to_cart)}</a>
                        })}
                    </p>
                    <section class="delivery-info" aria-labelledby="delivery-title">
                        <h2 id="delivery-title">{t!(i18n, delivery_title)}</h2>
                        <Suspense>{delivery}</Suspense>
                        <a href="/info/delivery">{t!(i18n, delivery_more)}</a>
                    </section>
                </section>
            </div>
            <div class="product-details">
                <section aria-labelledby="description-title">
                    <h2 id="description-title">{t!(i18n, product_description)}</h2>
                    {description}
                </section>
                <section aria-labelledby="specs-title">
                    <h2 id="specs-title">{t!(i18n, product_specs)}</h2>
                    <dl class="specs">{attributes}</dl>
                </section>
            </div>
            {related}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(id: i64, can_buy: bool, opts: &[(&str, &str)]) -> VariantView {
        VariantView {
            id,
            sku: format!("S{id}"),
            price: rust_decimal::Decimal::from(100),
            old_price: None,
            discount: None,
            availability: if can_buy {
                Availability::InStock
            } else {
                Availability::OutOfStock
            },
            options: opts
                .iter()
                .map(|(k, c)| (k.to_string(), c.to_string()))
                .collect(),
        }
    }

    #[test]
    fn choosing_keeps_other_options_or_jumps_to_a_buyable_variant() {
        let vs = vec![
            v(1, true, &[("color", "red"), ("size", "s")]),
            v(2, true, &[("color", "red"), ("size", "m")]),
            v(3, false, &[("color", "blue"), ("size", "s")]),
            v(4, true, &[("color", "blue"), ("size", "l")]),
        ];
        let sel = vs[1].options.clone();
        let pairs = |s: &[(String, String)]| s.to_vec();
        // Red M → size S keeps red.
        assert_eq!(pairs(&choose(&vs, &sel, "size", "s")), vs[0].options);
        // Red M → blue: no blue M, so the buyable blue L is chosen.
        assert_eq!(pairs(&choose(&vs, &sel, "color", "blue")), vs[3].options);
        // Unknown value leaves the selection alone.
        assert_eq!(pairs(&choose(&vs, &sel, "color", "green")), sel);
    }
}
