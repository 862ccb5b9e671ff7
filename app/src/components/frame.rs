//! The storefront frame: header (logo, search, cart, account) and footer
//! (contacts from settings, language switcher). CAT-4: contacts on every page.
use crate::api::catalog::{load_navigation, suggest, Navigation, Suggestion};
use crate::api::shop::{load_shop_info, ShopInfo};
use crate::components::session::use_auth;
use crate::domain::accounts::{role_allows, Permission};
use crate::domain::cart::StoredCart;
use crate::domain::money::{format_money, Lang};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

pub fn lang(i18n: I18nContext<Locale>) -> Lang {
    match i18n.get_locale() {
        Locale::ru => Lang::Ru,
        Locale::en => Lang::En,
    }
}

/// Shop settings for the frame, loaded once per page and shared.
pub fn use_shop_info() -> Resource<Option<ShopInfo>> {
    match use_context::<Resource<Option<ShopInfo>>>() {
        Some(r) => r,
        None => {
            let r = Resource::new(|| (), |_| async { load_shop_info().await.ok() });
            provide_context(r);
            r
        }
    }
}

/// Number of items in the browser's cart, shared by the header and the pages
/// that add to the cart, and kept in step with other tabs.
#[derive(Clone, Copy)]
pub struct CartCount(pub RwSignal<u32>);

pub fn use_cart_count() -> RwSignal<u32> {
    match use_context::<CartCount>() {
        Some(c) => c.0,
        None => {
            let count = RwSignal::new(0u32);
            provide_context(CartCount(count));
            count
        }
    }
}

/// Whether the visitor is signed in, as far as the page knows yet.
fn signed_in(auth: crate::components::session::Auth) -> bool {
    matches!(auth.user.get_untracked(), Some(Ok(Some(_))))
}

/// Stores a changed cart (CART-1): localStorage, the header count and, for a
/// signed-in customer, the account's copy on the server.
pub fn use_store_cart() -> impl Fn(StoredCart) + Copy + 'static {
    let count = use_cart_count();
    let auth = use_auth();
    move |cart: StoredCart| {
        count.set(cart.item_count());
        #[cfg(feature = "hydrate")]
        {
            use crate::domain::cart::browser;
            browser::save(&cart);
            if signed_in(auth) {
                browser::mark_unsynced(true);
                leptos::task::spawn_local(async move {
                    let saved = crate::api::cart::save_account_cart(cart.clone()).await;
                    // Only if nothing changed meanwhile: a newer change has its own save.
                    if saved.is_ok() && browser::load() == cart {
                        browser::mark_unsynced(false);
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (cart, auth, signed_in);
    }
}

/// A signed-in customer's cart, reconciled with this browser: a change made
/// here that has not reached the server yet (the page was left before the
/// save finished) is sent now; otherwise the account's copy replaces this
/// browser's, so the cart follows the customer between browsers.
#[cfg(feature = "hydrate")]
pub async fn sync_account_cart() -> StoredCart {
    use crate::domain::cart::browser;
    let session = browser::session();
    if browser::unsynced() {
        let local = browser::load();
        if crate::api::cart::save_account_cart(local.clone())
            .await
            .is_ok()
            && browser::load() == local
        {
            browser::mark_unsynced(false);
        }
        // A log-out during the save emptied the browser's cart: show that.
        if browser::session() != session {
            return browser::load();
        }
        return local;
    }
    match crate::api::cart::load_account_cart().await {
        // Not if the customer logged out while it was on its way.
        Ok(Some(cart)) if browser::session() == session => {
            browser::save(&cart);
            cart
        }
        _ => browser::load(),
    }
}

fn cart_count() -> RwSignal<u32> {
    let count = use_cart_count();
    let set_count = count.write_only();
    #[cfg(feature = "hydrate")]
    {
        use crate::domain::cart::{browser, STORAGE_KEY};
        Effect::new(move |_| set_count.set(browser::load().item_count()));
        let auth = use_auth();
        Effect::new(move |_| {
            if let Some(Ok(Some(_))) = auth.user.get() {
                leptos::task::spawn_local(async move {
                    set_count.set(sync_account_cart().await.item_count());
                });
            }
        });
        let handle = window_event_listener(leptos::ev::storage, move |ev| {
            if ev.key().as_deref() == Some(STORAGE_KEY) {
                let cart = StoredCart::from_json(ev.new_value().as_deref());
                set_count.set(cart.item_count());
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_count, StoredCart::default);
    count
}

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let shop = use_shop_info();
    let count = cart_count();
    let banner = move || {
        shop.get().flatten().and_then(|s| {
            s.free_delivery_from.map(|amount| {
                let sum = format_money(amount, s.currency, lang(i18n));
                view! { <p class="topbar">{t!(i18n, free_delivery_from, sum)}</p> }
            })
        })
    };
    let nav = use_navigation();
    let category_nav = move || {
        Suspend::new(async move {
            nav.await.map(|n| {
                view! {
                    <nav class="category-nav" aria-label=move || t_string!(i18n, nav_catalog)>
                        <ul>
                            {n.categories.into_iter().map(|c| view! {
                                <li><a href=format!("/c/{}", c.slug)>{c.name}</a></li>
                            }).collect_view()}
                        </ul>
                    </nav>
                }
            })
        })
    };
    let shop_name = move || {
        shop.get()
            .flatten()
            .map(|s| s.name)
            .unwrap_or_else(|| "Lavka".into())
    };
    let account_link = move || {
        Suspend::new(async move {
            match auth.user.await {
                Ok(Some(user)) => {
                    let admin = role_allows(user.role, Permission::AdminArea).then(|| {
                        view! { <a class="header-link" href="/admin">{t!(i18n, nav_admin)}</a> }
                    });
                    let label = if user.name.is_empty() { user.email.clone() } else { user.name.clone() };
                    view! {
                        {admin}
                        <a class="header-link" href="/account" data-testid="account-link">{label}</a>
                    }
                    .into_any()
                }
                _ => view! {
                    <a class="header-link" href="/login" data-testid="account-link">{t!(i18n, nav_login)}</a>
                }
                .into_any(),
            }
        })
    };
    view! {
        <header class="site-header">
            <Suspense>{banner}</Suspense>
            <div class="header-row">
                <a class="logo" href="/">
                    <Suspense fallback=|| "Lavka">{shop_name}</Suspense>
                </a>
                <SearchBox />
                <nav class="header-nav" aria-label=move || t_string!(i18n, nav_label)>
                    <a class="header-link cart-link" href="/cart" data-testid="cart-link">
                        {t!(i18n, nav_cart)}
                        <span class="badge" data-testid="cart-count" aria-hidden="true">{count}</span>
                        <span class="visually-hidden">{t!(i18n, cart_items_label, count)}</span>
                    </a>
                    <MiniCart count />
                    <Transition fallback=move || view! { <a class="header-link" href="/account">{t!(i18n, nav_account)}</a> }>
                        {account_link}
                    </Transition>
                </nav>
            </div>
            <Transition>{category_nav}</Transition>
        </header>
    }
}

/// The mini-cart (CART-7): a drop-down under the header's cart link with the
/// lines, the total and the way to checkout. Priced by the server when opened
/// and again whenever the cart changes while it is open.
#[component]
fn MiniCart(count: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let currency = crate::components::catalog::use_currency();
    let open = RwSignal::new(false);
    let preview = Resource::new(
        move || (open.get(), count.get(), lang(i18n)),
        |(open, _, lang)| async move {
            if !open {
                return None::<crate::api::cart::CartView>;
            }
            #[cfg(feature = "hydrate")]
            {
                use crate::domain::cart::browser;
                let cart = browser::load();
                if cart.lines.is_empty() {
                    return None;
                }
                crate::api::cart::price_cart(cart, browser::load_choices(), lang)
                    .await
                    .ok()
            }
            #[cfg(not(feature = "hydrate"))]
            {
                let _ = lang;
                None
            }
        },
    );
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" {
                open.set(false);
            }
        });
        on_cleanup(move || handle.remove());
    }
    let money = move |amount| format_money(amount, currency.get(), lang(i18n));
    let contents = move || {
        Suspend::new(async move {
            let Some(view) = preview.await else {
                return view! { <p data-testid="mini-cart-empty">{t!(i18n, cart_empty)}</p> }
                    .into_any();
            };
            const SHOWN: usize = 5;
            let more = view.lines.len().saturating_sub(SHOWN);
            let lines = view
                .lines
                .iter()
                .zip(&view.totals.line_totals)
                .take(SHOWN)
                .map(|(line, (_, total))| {
                    let total = *total;
                    view! {
                        <li>
                            <a href=format!("/p/{}", line.product_slug)>{line.name.clone()}</a>
                            " × "{line.quantity}
                            <span class="mini-cart-sum">{move || money(total)}</span>
                        </li>
                    }
                })
                .collect_view();
            let total = view.totals.total;
            view! {
                <ul class="mini-cart-lines" data-testid="mini-cart-lines">{lines}</ul>
                {(more > 0).then(|| view! { <p class="hint">{t!(i18n, mini_cart_more, more)}</p> })}
                <p class="mini-cart-total">
                    {t!(i18n, cart_total)}" "<strong data-testid="mini-cart-total">{move || money(total)}</strong>
                </p>
                <div class="button-row">
                    <a class="button" href="/cart" on:click=move |_| open.set(false)>{t!(i18n, mini_cart_open)}</a>
                    <a class="button primary" href="/checkout" on:click=move |_| open.set(false)>{t!(i18n, cart_checkout)}</a>
                </div>
            }
            .into_any()
        })
    };
    view! {
        <div class="mini-cart">
            <button type="button" class="mini-cart-toggle" data-testid="mini-cart-toggle"
                aria-expanded=move || open.get().to_string()
                aria-label=move || t_string!(i18n, mini_cart_toggle)
                on:click=move |_| open.update(|o| *o = !*o)>"▾"</button>
            <Show when=move || open.get()>
                <div class="mini-cart-panel" data-testid="mini-cart">
                    <Transition fallback=|| view! { <p class="loading">"…"</p> }>{contents}</Transition>
                </div>
            </Show>
        </div>
    }
}

/// Top-level categories and information pages, loaded once per page and shared.
pub fn use_navigation() -> Resource<Option<Navigation>> {
    match use_context::<Resource<Option<Navigation>>>() {
        Some(r) => r,
        None => {
            let i18n = use_i18n();
            let r = Resource::new(
                move || lang(i18n),
                |l| async move { load_navigation(l).await.ok() },
            );
            provide_context(r);
            r
        }
    }
}

/// The header search box with suggestions as the shopper types (CAT-3).
#[component]
fn SearchBox() -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let suggestions = RwSignal::new(Vec::<Suggestion>::new());
    let open = RwSignal::new(false);
    // Every keystroke bumps the generation; only the newest answer is shown.
    let generation = StoredValue::new(0u64);
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        if value.trim().chars().count() < 2 {
            suggestions.set(Vec::new());
            open.set(false);
            return;
        }
        let language = lang(i18n);
        leptos::task::spawn_local(async move {
            // A short pause, so fast typing sends one request, not one per key.
            #[cfg(feature = "hydrate")]
            gloo_timers_sleep(150).await;
            if generation.get_value() != mine {
                return;
            }
            if let Ok(found) = suggest(value, language).await {
                if generation.get_value() == mine {
                    open.set(!found.is_empty());
                    suggestions.set(found);
                }
            }
        });
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            open.set(false);
        }
    };
    let currency = crate::components::catalog::use_currency();
    view! {
        <form class="search" role="search" action="/search" method="get">
            <label class="visually-hidden" for="header-search">{t!(i18n, search_label)}</label>
            <input
                id="header-search"
                type="search"
                name="q"
                autocomplete="off"
                role="combobox"
                aria-autocomplete="list"
                aria-controls="search-suggestions"
                aria-expanded=move || open.get().to_string()
                placeholder=move || t_string!(i18n, search_placeholder)
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_key
                on:blur=move |_| {
                    // Let a click on a suggestion land before the list goes away.
                    leptos::task::spawn_local(async move {
                        #[cfg(feature = "hydrate")]
                        gloo_timers_sleep(200).await;
                        open.set(false);
                    });
                }
            />
            <button type="submit" aria-label=move || t_string!(i18n, search_button)>
                <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M15.5 15.5 21 21" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>
            </button>
            <ul id="search-suggestions" class="suggestions" role="listbox" hidden=move || !open.get() data-testid="suggestions">
                <For each=move || suggestions.get() key=|s| s.slug.clone() let:s>
                    <li role="option">
                        <a href=format!("/p/{}", s.slug)>
                            {s.thumb.clone().map(|t| view! { <img src=t alt="" width="40" height="50" /> })}
                            <span class="suggestion-name">{s.name.clone()}</span>
                            <span class="suggestion-price">{move || format_money(s.price, currency.get(), lang(i18n))}</span>
                        </a>
                    </li>
                </For>
            </ul>
        </form>
    }
}

/// Waits `ms` milliseconds in the browser.
#[cfg(feature = "hydrate")]
async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    let shop = use_shop_info();
    let contacts = move || {
        shop.get().flatten().map(|s| {
            let tel = s.phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>();
            let phone = (!s.phone.is_empty()).then(|| view! {
                <li>{t!(i18n, contact_phone)}": "<a href=format!("tel:{tel}")>{s.phone.clone()}</a></li>
            });
            let email = (!s.email.is_empty()).then(|| view! {
                <li>{t!(i18n, contact_email)}": "<a href=format!("mailto:{}", s.email)>{s.email.clone()}</a></li>
            });
            let address = (!s.address.is_empty()).then(|| view! {
                <li>{t!(i18n, contact_address)}": "{s.address.clone()}</li>
            });
            let telegram = (!s.telegram.is_empty()).then(|| view! {
                <li><a href=format!("https://t.me/{}", s.telegram.trim_start_matches('@')) rel="noopener">"Telegram"</a></li>
            });
            let whatsapp = (!s.whatsapp.is_empty()).then(|| {
                let digits: String = s.whatsapp.chars().filter(char::is_ascii_digit).collect();
                view! { <li><a href=format!("https://wa.me/{digits}") rel="noopener">"WhatsApp"</a></li> }
            });
            view! {
                <ul class="contacts" data-testid="contacts">{phone}{email}{address}{telegram}{whatsapp}</ul>
                <p class="copyright">"© "{s.name}</p>
            }
        })
    };
    let nav = use_navigation();
    let info_links = move || {
        Suspend::new(async move {
            nav.await.map(|n| {
                view! {
                    <ul class="info-links">
                        {n.info.into_iter().map(|p| view! {
                            <li><a href=format!("/info/{}", p.slug)>{p.title}</a></li>
                        }).collect_view()}
                    </ul>
                }
            })
        })
    };
    let switch = move |to: Locale| move |_| i18n.set_locale(to);
    let is = move |l: Locale| move || (i18n.get_locale() == l).to_string();
    view! {
        <footer class="site-footer">
            <section aria-labelledby="footer-contacts">
                <h2 id="footer-contacts">{t!(i18n, footer_contacts)}</h2>
                <Suspense>{contacts}</Suspense>
            </section>
            <section aria-labelledby="footer-info">
                <h2 id="footer-info">{t!(i18n, footer_info)}</h2>
                <Transition>{info_links}</Transition>
            </section>
            <section class="lang-switch" aria-labelledby="footer-lang">
                <h2 id="footer-lang">{t!(i18n, footer_language)}</h2>
                <button type="button" lang="ru" aria-pressed=is(Locale::ru) on:click=switch(Locale::ru)>"Русский"</button>
                <button type="button" lang="en" aria-pressed=is(Locale::en) on:click=switch(Locale::en)>"English"</button>
            </section>
        </footer>
    }
}
