//! Building blocks of the storefront: responsive pictures, prices, product
//! cards and shelves, and JSON-LD blocks for search engines (ACQ-1).
use crate::api::catalog::{PhotoView, ProductCard};
use crate::components::frame::{lang, use_shop_info};
use crate::domain::catalog::Availability;
use crate::domain::money::{format_money, Currency};
use crate::i18n::*;
use leptos::prelude::*;
use rust_decimal::Decimal;

/// `<picture>` with WebP and JPEG sources, explicit size (no layout shift)
/// and lazy loading unless `eager` (the first pictures on screen).
#[component]
pub fn Picture(
    photo: PhotoView,
    /// The `sizes` attribute: how wide the picture is shown.
    sizes: &'static str,
    #[prop(optional)] eager: bool,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let webp = photo.srcset_webp().map(|srcset| {
        view! { <source type="image/webp" srcset=srcset sizes=sizes /> }
    });
    view! {
        <picture class=class>
            {webp}
            <img
                src=photo.src()
                srcset=photo.srcset_jpeg()
                sizes=sizes
                width=photo.width
                height=photo.height
                alt=photo.alt.clone()
                loading=if eager { "eager" } else { "lazy" }
                decoding="async"
                fetchpriority=if eager { "high" } else { "auto" }
            />
        </picture>
    }
}

/// The shop's currency (roubles until the settings say otherwise).
pub fn use_currency() -> Signal<Currency> {
    let shop = use_shop_info();
    Signal::derive(move || {
        shop.get()
            .flatten()
            .map(|s| s.currency)
            .unwrap_or(Currency::Rub)
    })
}

/// A price, with the old price struck through and the discount when there is one.
#[component]
pub fn Price(
    price: Decimal,
    #[prop(optional_no_strip)] old_price: Option<Decimal>,
    #[prop(optional_no_strip)] discount: Option<u32>,
    #[prop(optional)] from: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let text = move |amount: Decimal| format_money(amount, currency.get(), lang(i18n));
    view! {
        <span class="price" data-testid="price">
            {from.then(|| view! { <span class="price-from">{t!(i18n, price_from)}" "</span> })}
            <span class="price-now" class:price-sale=old_price.is_some()>{move || text(price)}</span>
            {old_price.map(|old| view! {
                " "<s class="price-old"><span class="visually-hidden">{t!(i18n, price_old)}" "</span>{move || text(old)}</s>
            })}
            {discount.map(|d| view! { " "<span class="badge-sale">"−"{d}"%"</span> })}
        </span>
    }
}

/// "In stock", "Only 3 left", "Out of stock", "On order: ships in 14 days".
#[component]
pub fn AvailabilityNote(availability: Availability) -> impl IntoView {
    let i18n = use_i18n();
    let (class, text) = match availability {
        Availability::InStock => ("stock-in", t_string!(i18n, stock_in).to_string()),
        Availability::Few(n) => ("stock-few", {
            let n = n.to_string();
            match lang(i18n) {
                crate::domain::money::Lang::Ru => format!("Осталось {n} шт."),
                crate::domain::money::Lang::En => format!("Only {n} left"),
            }
        }),
        Availability::OutOfStock => ("stock-out", t_string!(i18n, stock_out).to_string()),
        Availability::OnOrder(days) => ("stock-order", {
            match lang(i18n) {
                crate::domain::money::Lang::Ru => format!("Под заказ: отправим через {days} дн."),
                crate::domain::money::Lang::En => format!("On order: ships in {days} days"),
            }
        }),
    };
    view! { <span class=format!("stock {class}") data-testid="availability">{text}</span> }
}

#[component]
pub fn ProductCardView(card: ProductCard, #[prop(optional)] eager: bool) -> impl IntoView {
    let href = format!("/p/{}", card.slug);
    let photo = card.photo.clone().map(|p| {
        view! {
            <Picture photo=p sizes="(max-width: 600px) 50vw, (max-width: 1100px) 33vw, 260px" eager=eager />
        }
    });
    view! {
        <article class="card" data-testid="product-card">
            <a class="card-link" href=href>
                <div class="card-photo">{photo}</div>
                <h3 class="card-title">{card.name.clone()}</h3>
            </a>
            <p class="card-brand">{card.brand.clone()}</p>
            <p class="card-price">
                <Price price=card.price old_price=card.old_price discount=card.discount from=card.price_from />
            </p>
            <AvailabilityNote availability=card.availability />
        </article>
    }
}

/// A grid of product cards; the first `eager` ones load at once.
#[component]
pub fn ProductGrid(cards: Vec<ProductCard>, #[prop(optional)] eager: usize) -> impl IntoView {
    view! {
        <div class="grid" data-testid="product-grid">
            {cards
                .into_iter()
                .enumerate()
                .map(|(i, card)| view! { <ProductCardView card eager={i < eager} /> })
                .collect_view()}
        </div>
    }
}

/// A schema.org JSON-LD block. `<` is escaped so the text cannot close the script.
#[component]
pub fn JsonLd(value: serde_json::Value) -> impl IntoView {
    let json = value.to_string().replace('<', "\\u003c");
    view! { <script type="application/ld+json" inner_html=json></script> }
}
