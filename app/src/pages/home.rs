//! The home page. The catalog issue adds featured categories and products;
//! the frame shows what the shop has configured so far.
use crate::components::frame::{lang, use_shop_info};
use crate::components::session::use_auth;
use crate::domain::money::{format_money, Lang};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let shop = use_shop_info();
    let auth = use_auth();
    let tagline = move || {
        shop.get().flatten().map(|s| match lang(i18n) {
            Lang::Ru => s.tagline_ru,
            Lang::En => s.tagline_en,
        })
    };
    let hero = move || {
        shop.get().flatten().map(|s| {
            let delivery = s.free_delivery_from.map(|amount| {
                let sum = format_money(amount, s.currency, lang(i18n));
                view! { <li>{t!(i18n, home_free_delivery, sum)}</li> }
            });
            let phone = (!s.phone.is_empty()).then(|| {
                let phone = s.phone.clone();
                view! { <li>{t!(i18n, home_call_us, phone)}</li> }
            });
            view! {
                <Title text=s.name.clone() />
                <h1>{s.name.clone()}</h1>
                <p class="tagline">{tagline}</p>
                <ul class="perks">{delivery}{phone}</ul>
            }
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
    view! {
        <Meta name="description" content=move || tagline().unwrap_or_default() />
        <section class="hero">
            <Suspense>{hero}</Suspense>
            <Transition>{greeting}</Transition>
        </section>
    }
}
