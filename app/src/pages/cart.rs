//! The cart page (CART-1, CART-2, CART-8). The lines live in the browser's
//! localStorage; the server prices them from the catalog as it is now, and its
//! numbers and corrections (sold out, less stock, gone) are what is shown and
//! stored back.
use crate::api::cart::{price_cart, CartLineView, CartNoticeView, CartView};
use crate::api::catalog::load_home;
use crate::components::catalog::{use_currency, AvailabilityNote, Picture, ProductGrid};
use crate::components::errors::error_text;
use crate::components::frame::{lang, use_store_cart};
use crate::domain::cart::{CartNotice, StoredCart, StoredCartLine, MAX_LINE_QUANTITY};
use crate::domain::money::format_money;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use rust_decimal::Decimal;

#[component]
pub fn CartPage() -> impl IntoView {
    let i18n = use_i18n();
    let cart = RwSignal::new(StoredCart::default());
    // The server cannot see localStorage: until the browser has read it, the
    // page shows neither lines nor "empty".
    let loaded = RwSignal::new(false);
    let store_cart = use_store_cart();
    // A signed-in customer sees the account's cart; a visitor this browser's.
    #[cfg(feature = "hydrate")]
    {
        let auth = crate::components::session::use_auth();
        Effect::new(move |_| match auth.user.get() {
            Some(Ok(Some(_))) => {
                leptos::task::spawn_local(async move {
                    let account = crate::api::cart::load_account_cart().await;
                    cart.set(match account {
                        Ok(Some(c)) => c,
                        _ => crate::domain::cart::browser::load(),
                    });
                    loaded.set(true);
                });
            }
            Some(_) => {
                cart.set(crate::domain::cart::browser::load());
                loaded.set(true);
            }
            None => {}
        });
    }
    let priced = Resource::new(
        move || (loaded.get(), cart.get(), lang(i18n)),
        |(loaded, cart, lang)| async move {
            if loaded && !cart.lines.is_empty() {
                Some(price_cart(cart, lang).await)
            } else {
                None
            }
        },
    );
    // The last removed line, for undo: (position, line, product name).
    let removed = RwSignal::new(None::<(usize, StoredCartLine, String)>);
    // Every change is stored at once, so other tabs and the header follow.
    let change = move |variant_id: i64, quantity: u32| {
        if quantity == 0 {
            let position =
                cart.with_untracked(|c| c.lines.iter().position(|l| l.variant_id == variant_id));
            if let Some(position) = position {
                let line = cart.with_untracked(|c| c.lines[position].clone());
                let name = priced
                    .get_untracked()
                    .flatten()
                    .and_then(Result::ok)
                    .and_then(|v| v.lines.into_iter().find(|l| l.variant_id == variant_id))
                    .map(|l| l.name)
                    .unwrap_or_default();
                removed.set(Some((position, line, name)));
            }
        }
        cart.update(|c| c.set_quantity(variant_id, quantity));
        store_cart(cart.get_untracked());
    };
    let undo = move |_| {
        if let Some((position, line, _)) = removed.get_untracked() {
            cart.update(|c| c.restore(position, line));
            store_cart(cart.get_untracked());
            removed.set(None);
        }
    };
    // Another tab changed the cart: show the same (CART-1).
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::storage, move |ev| {
            if ev.key().as_deref() == Some(crate::domain::cart::STORAGE_KEY) {
                let other = StoredCart::from_json(ev.new_value().as_deref());
                if other != cart.get_untracked() {
                    cart.set(other);
                }
            }
        });
        on_cleanup(move || handle.remove());
    }
    // The server's corrections (stock, removed products) become the stored
    // cart; what was corrected stays on screen even if the cart is now empty.
    let notices = RwSignal::new(Vec::<CartNoticeView>::new());
    Effect::new(move |_| {
        if let Some(Some(Ok(view))) = priced.get() {
            if !view.notices.is_empty() {
                notices.set(view.notices.clone());
            }
            if view.cart != cart.get_untracked() {
                store_cart(view.cart.clone());
                cart.set(view.cart);
            }
        }
    });

    let body = move || {
        if !loaded.get() {
            return view! { <p class="loading">"…"</p> }.into_any();
        }
        if cart.with(|c| c.lines.is_empty()) {
            return view! {
                <div class="empty-state" data-testid="cart-empty">
                    <p>{t!(i18n, cart_empty)}</p>
                    <a class="button" href="/">{t!(i18n, cart_continue)}</a>
                </div>
                <PopularDeals />
            }
            .into_any();
        }
        view! {
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match priced.await {
                        Some(Ok(view)) => view! { <CartContents view change /> }.into_any(),
                        Some(Err(e)) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Transition>
        }
        .into_any()
    };
    view! {
        <Title text=move || t_string!(i18n, cart_title).to_string() />
        <Meta name="robots" content="noindex" />
        <section class="page cart-page">
            <h1>{t!(i18n, cart_title)}</h1>
            {move || removed.get().map(|(_, _, name)| view! {
                <p class="cart-undo" role="status" data-testid="cart-undo">
                    {t!(i18n, cart_removed, name)}" "
                    <button type="button" class="link-button" data-testid="cart-undo-button" on:click=undo>{t!(i18n, cart_undo)}</button>
                </p>
            })}
            <ul class="cart-notices" role="status" data-testid="cart-notices">
                {move || notices.get().into_iter().map(|n| view! { <li><Notice notice=n /></li> }).collect_view()}
            </ul>
            {body}
        </section>
    }
}

/// Something to start from when the cart is empty (CART-2): the best-selling
/// discounted products.
#[component]
fn PopularDeals() -> impl IntoView {
    let i18n = use_i18n();
    let shelf = Resource::new(move || lang(i18n), load_home);
    view! {
        <Transition>
            {move || Suspend::new(async move {
                shelf.await.ok().filter(|h| !h.discounted.is_empty()).map(|h| {
                    let cards = h.discounted.into_iter().take(8).collect::<Vec<_>>();
                    view! {
                        <section class="shelf" data-testid="cart-suggestions">
                            <h2>{t!(i18n, cart_popular_deals)}</h2>
                            <ProductGrid cards />
                        </section>
                    }
                })
            })}
        </Transition>
    }
}

/// Formats an amount in the shop's currency and the shopper's language.
fn use_money() -> impl Fn(Decimal) -> String + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    let currency = use_currency();
    move |amount| format_money(amount, currency.get(), lang(i18n))
}

#[component]
fn CartContents(
    view: CartView,
    change: impl Fn(i64, u32) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let money = use_money();
    let count = view.cart.item_count();
    let lines = view
        .lines
        .into_iter()
        .map(|line| view! { <Line line change /> })
        .collect_view();
    let (subtotal, savings, total) = (view.subtotal, view.savings, view.total);
    view! {
        <p data-testid="cart-summary">{t!(i18n, cart_items_label, count)}</p>
        <ul class="cart-lines">{lines}</ul>
        <dl class="cart-totals">
            <dt>{t!(i18n, cart_subtotal)}</dt>
            <dd data-testid="cart-subtotal">{move || money(subtotal)}</dd>
            {(savings > Decimal::ZERO).then(|| view! {
                <dt>{t!(i18n, cart_savings)}</dt>
                <dd data-testid="cart-savings">{move || money(savings)}</dd>
            })}
            <dt class="grand">{t!(i18n, cart_total)}</dt>
            <dd class="grand" data-testid="cart-total">{move || money(total)}</dd>
        </dl>
    }
}

#[component]
fn Notice(notice: CartNoticeView) -> impl IntoView {
    let i18n = use_i18n();
    let name = notice.name.unwrap_or_default();
    match notice.notice {
        CartNotice::Dropped { .. } => t!(i18n, cart_notice_dropped).into_any(),
        CartNotice::SoldOut { .. } => t!(i18n, cart_notice_sold_out, name).into_any(),
        CartNotice::Reduced { to, .. } => t!(i18n, cart_notice_reduced, name, to).into_any(),
    }
}

#[component]
fn Line(
    line: CartLineView,
    change: impl Fn(i64, u32) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let money = use_money();
    let id = line.variant_id;
    let quantity = line.quantity;
    let most = line
        .max_quantity
        .unwrap_or(MAX_LINE_QUANTITY)
        .min(MAX_LINE_QUANTITY);
    let href = format!("/p/{}", line.product_slug);
    let photo = line.photo.map(|p| {
        view! { <Picture photo=p sizes="(max-width: 600px) 30vw, 160px" class="cart-photo" /> }
    });
    let (unit, total, old) = (line.unit_price, line.line_total, line.old_price);
    let on_input = move |ev: leptos::ev::Event| {
        if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
            change(id, n.clamp(1, most));
        }
    };
    view! {
        <li class="cart-line" data-testid="cart-line">
            <a href=href.clone() class="cart-photo-link" tabindex="-1">{photo}</a>
            <div class="cart-line-info">
                <a href=href class="cart-line-name" data-testid="cart-line-name">{line.name}</a>
                <p class="cart-line-options">{line.options}</p>
                <AvailabilityNote availability=line.availability />
                <p class="cart-line-unit">
                    {move || money(unit)}
                    {old.map(|o| view! { " " <s>{move || money(o)}</s> })}
                </p>
            </div>
            <div class="stepper" role="group" aria-label=move || t_string!(i18n, cart_quantity)>
                <button type="button" aria-label=move || t_string!(i18n, cart_less) data-testid="cart-less"
                    disabled={quantity <= 1} on:click=move |_| change(id, quantity - 1)>"−"</button>
                <input type="number" inputmode="numeric" min="1" max=most.to_string()
                    prop:value=quantity.to_string() data-testid="cart-quantity"
                    aria-label=move || t_string!(i18n, cart_quantity) on:change=on_input />
                <button type="button" aria-label=move || t_string!(i18n, cart_more) data-testid="cart-more"
                    disabled={quantity >= most} on:click=move |_| change(id, quantity + 1)>"+"</button>
            </div>
            <p class="cart-line-total" data-testid="cart-line-total">{move || money(total)}</p>
            <button type="button" class="link-button" data-testid="cart-remove" on:click=move |_| change(id, 0)>
                {t!(i18n, cart_remove)}
            </button>
        </li>
    }
}
