//! The home page: the shop's promise, featured categories, new arrivals and
//! discounted products, and the Organization JSON-LD (ACQ-1).
use crate::api::catalog::load_home;
use crate::components::catalog::{JsonLd, Picture, ProductGrid};
use crate::components::frame::{lang, use_shop_info};
use crate::components::seo::Seo;
use crate::components::session::use_auth;
use crate::domain::money::{format_money, Lang};
use crate::i18n::*;
use crate::pages::catalog::load_error;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let shop = use_shop_info();
    let auth = use_auth();
    let data = Resource::new(move || lang(i18n), load_home);
    let hero = move || {
        Suspend::new(async move {
            let s = shop.await?;
            let tagline = match lang(i18n) {
                Lang::Ru => s.tagline_ru.clone(),
                Lang::En => s.tagline_en.clone(),
            };
            let delivery = s.free_delivery_from.map(|amount| {
                let sum = format_money(amount, s.currency, lang(i18n));
                view! { <li>{t!(i18n, home_free_delivery, sum)}</li> }
            });
            let phone = (!s.phone.is_empty()).then(|| {
                let phone = s.phone.clone();
                view! { <li>{t!(i18n, home_call_us, phone)}</li> }
            });
            let same_as: Vec<String> = [(!s.telegram.is_empty())
                .then(|| format!("https://t.me/{}", s.telegram.trim_start_matches('@')))]
            .into_iter()
            .flatten()
            .collect();
            Some(view! {
                <Seo title=String::new() description=tagline.clone() path="/".to_string() />
                <JsonLd value=serde_json::json!({
                    "@context": "https://schema.org",
                    "@type": "Organization",
                    "name": s.name,
                    "url": format!("{}/", s.base_url),
                    "logo": format!("{}/favicon.svg", s.base_url),
                    "email": s.email,
                    "telephone": s.phone,
                    "address": s.address,
                    "sameAs": same_as,
                }) />
                <h1>{s.name.clone()}</h1>
                <p class="tagline">{tagline}</p>
                <ul class="perks">{delivery}{phone}</ul>
            })
        })
    };
    let greeting = move || {
        Suspend::new(async move {
            match auth.user.await {
                Ok(Some(user)) => {
                    let name = if user.name.is_empty() {
                        user.email
                    } else {
                        user.name
                    };
                    view! { <p class="greeting">{t!(i18n, home_welcome_back, name)}</p> }.into_any()
                }
                _ => view! {
                    <p class="greeting">
                        <a class="button" href="/register">{t!(i18n, home_create_account)}</a>
                        " "
                        <a href="/login">{t!(i18n, nav_login)}</a>
                    </p>
                }
                .into_any(),
            }
        })
    };
    let shelves = move || {
        Suspend::new(async move {
            let home = match data.await {
                Ok(h) => h,
                Err(err) => return load_error(err),
            };
            let featured = (!home.featured.is_empty()).then(|| {
                view! {
                    <section class="shelf" aria-labelledby="featured-title">
                        <h2 id="featured-title">{t!(i18n, home_featured)}</h2>
                        <ul class="category-tiles" data-testid="featured-categories">
                            {home.featured.into_iter().enumerate().map(|(i, c)| {
                                let photo = c.photo.map(|p| view! { <Picture photo=p sizes="(max-width: 600px) 50vw, 200px" eager=i < 4 /> });
                                view! {
                                    <li><a href=format!("/c/{}", c.slug)>{photo}<span>{c.name}</span></a></li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }
            });
            let discounted = (!home.discounted.is_empty()).then(|| {
                view! {
                    <section class="shelf" aria-labelledby="sale-title">
                        <h2 id="sale-title">{t!(i18n, home_sale)}</h2>
                        <ProductGrid cards=home.discounted />
                    </section>
                }
            });
            view! {
                {featured}
                <section class="shelf" aria-labelledby="new-title">
                    <h2 id="new-title">{t!(i18n, home_new)}</h2>
                    <ProductGrid cards=home.new_arrivals />
                </section>
                {discounted}
            }
            .into_any()
        })
    };
    view! {
        <section class="hero">
            <Suspense>{hero}</Suspense>
            <Transition>{greeting}</Transition>
        </section>
        <div class="page home">
            <Suspense>{shelves}</Suspense>
        </div>
    }
}
