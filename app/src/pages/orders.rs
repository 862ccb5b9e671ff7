//! After the order (CHK-5, LOG-2): the order page behind the guest's private
//! link, the customer's order history and each order with its timeline.
use crate::api::checkout::{load_order, my_order, my_orders, OrderView};
use crate::api::AppError;
use crate::components::catalog::use_currency;
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::domain::money::format_money;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// `/order/:token`: the confirmation page right after checkout, and the
/// guest's way back to the order later.
#[component]
pub fn OrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let order = Resource::new(
        move || {
            (
                params.with(|p| p.get("token").unwrap_or_default()),
                lang(i18n),
            )
        },
        |(token, lang)| load_order(token, lang),
    );
    view! {
        <Meta name="robots" content="noindex, nofollow" />
        <section class="page order-page">
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move { order_or_error(order.await, true) })}
            </Suspense>
        </section>
    }
}

/// `/account/orders`: the signed-in customer's orders, newest first.
#[component]
pub fn AccountOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let list = Resource::new(move || lang(i18n), my_orders);
    let body = move || {
        Suspend::new(async move {
            match list.await {
                Ok(orders) if orders.is_empty() => view! {
                    <p data-testid="orders-empty">{t!(i18n, orders_none)}</p>
                }
                .into_any(),
                Ok(orders) => view! {
                    <table class="data" data-testid="orders">
                        <thead><tr>
                            <th>{t!(i18n, orders_number)}</th><th>{t!(i18n, orders_date)}</th>
                            <th>{t!(i18n, orders_status)}</th><th>{t!(i18n, cart_total)}</th>
                        </tr></thead>
                        <tbody>
                            {orders.into_iter().map(|o| {
                                let total = o.total;
                                view! {
                                    <tr data-testid="order-row">
                                        <td><a href=format!("/account/orders/{}", o.number) data-testid="order-number">{o.number.clone()}</a></td>
                                        <td>{o.created_at}</td>
                                        <td data-testid="order-status">{o.status_label}</td>
                                        <td>{move || format_money(total, currency.get(), lang(i18n))}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any(),
                Err(AppError::NotLoggedIn) => view! {
                    <leptos_router::components::Redirect path="/login?next=/account/orders" />
                }
                .into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                    .into_any(),
            }
        })
    };
    view! {
        <Title text=move || t_string!(i18n, orders_title).to_string() />
        <Meta name="robots" content="noindex" />
        <section class="page narrow">
            <h1>{t!(i18n, orders_title)}</h1>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>{body}</Suspense>
        </section>
    }
}

/// `/account/orders/:number`.
#[component]
pub fn AccountOrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let order = Resource::new(
        move || {
            (
                params.with(|p| p.get("number").unwrap_or_default()),
                lang(i18n),
            )
        },
        |(number, lang)| my_order(number, lang),
    );
    view! {
        <Meta name="robots" content="noindex" />
        <section class="page order-page">
            <p><a href="/account/orders">{t!(i18n, orders_back)}</a></p>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move { order_or_error(order.await, false) })}
            </Suspense>
        </section>
    }
}

fn order_or_error(order: Result<OrderView, AppError>, thanks: bool) -> AnyView {
    match order {
        Ok(order) => view! { <OrderDetails order thanks /> }.into_any(),
        Err(AppError::NotFound) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
        Err(AppError::NotLoggedIn) => view! {
            <leptos_router::components::Redirect path="/login?next=/account/orders" />
        }
        .into_any(),
        Err(e) => {
            let i18n = use_i18n();
            view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }.into_any()
        }
    }
}

#[component]
fn OrderDetails(order: OrderView, thanks: bool) -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let money = move |amount| format_money(amount, currency.get(), lang(i18n));
    let number = order.number.clone();
    let lines = order
        .lines
        .into_iter()
        .map(|l| {
            let name = match l.product_slug {
                Some(slug) => view! { <a href=format!("/p/{slug}")>{l.name}</a> }.into_any(),
                None => view! { <span>{l.name}</span> }.into_any(),
            };
            let total = l.line_total;
            view! {
                <li data-testid="order-line">
                    {name}{(!l.options.is_empty()).then(|| format!(" ({})", l.options))}" × "{l.quantity}
                    <span class="mini-cart-sum">{move || money(total)}</span>
                </li>
            }
        })
        .collect_view();
    let discounts = order
        .discounts
        .into_iter()
        .filter(|(_, amount)| !amount.is_zero())
        .map(|(name, amount)| view! { <dt>{name}</dt><dd class="discount">"−"{move || money(amount)}</dd> })
        .collect_view();
    let timeline = order
        .timeline
        .into_iter()
        .map(|e| view! { <li><time>{e.at}</time>" — "{e.label}{(!e.note.is_empty()).then(|| format!(": {}", e.note))}</li> })
        .collect_view();
    let date = match lang(i18n) {
        crate::domain::money::Lang::Ru => order.delivery_date.format("%d.%m.%Y").to_string(),
        crate::domain::money::Lang::En => order.delivery_date.format("%b %-d, %Y").to_string(),
    };
    let (goods, delivery, total) = (order.goods, order.delivery_price, order.total);
    view! {
        <Title text=move || format!("{} {}", t_string!(i18n, orders_order), number) />
        {thanks.then(|| view! { <p class="notice" data-testid="order-thanks">{t!(i18n, order_thanks)}</p> })}
        <h1 data-testid="order-number">{t!(i18n, orders_order)}" "{order.number.clone()}</h1>
        <p>{t!(i18n, orders_status)}": "<strong data-testid="order-status">{order.status_label}</strong></p>
        <div class="order-grid">
            <div>
                <ul class="mini-cart-lines" data-testid="order-lines">{lines}</ul>
                <dl class="cart-totals">
                    <dt>{t!(i18n, cart_subtotal)}</dt><dd>{move || money(goods)}</dd>
                    {discounts}
                    <dt>{t!(i18n, cart_delivery)}</dt><dd>{move || money(delivery)}</dd>
                    <dt class="grand">{t!(i18n, cart_total)}</dt>
                    <dd class="grand" data-testid="order-total">{move || money(total)}</dd>
                </dl>
            </div>
            <dl class="specs">
                <div><dt>{t!(i18n, checkout_name)}</dt><dd>{order.name}</dd></div>
                <div><dt>{t!(i18n, callback_phone)}</dt><dd>{order.phone}</dd></div>
                <div><dt>{t!(i18n, cart_delivery)}</dt><dd data-testid="order-delivery">{order.delivery}</dd></div>
                <div><dt>{t!(i18n, checkout_address)}</dt><dd data-testid="order-address">{order.address}</dd></div>
                <div><dt>{t!(i18n, orders_delivery_date)}</dt><dd>{date}</dd></div>
                <div><dt>{t!(i18n, checkout_payment)}</dt><dd data-testid="order-payment">{order.payment}</dd></div>
                {(!order.comment.is_empty()).then(|| view! { <div><dt>{t!(i18n, checkout_comment)}</dt><dd>{order.comment.clone()}</dd></div> })}
            </dl>
        </div>
        <h2>{t!(i18n, orders_timeline)}</h2>
        <ul class="timeline" data-testid="order-timeline">{timeline}</ul>
    }
}
