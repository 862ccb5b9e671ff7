//! After the order (CHK-5, LOG-2): the order page behind the guest's private
//! link, the customer's order history and each order with its timeline.
use crate::api::checkout::{load_order, my_order, my_orders, start_payment, OrderView};
use crate::api::return_requests::ReturnRequestView;
use crate::api::AppError;
use crate::components::catalog::use_currency;
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::components::tracking::ParcelTimelines;
use crate::domain::money::{format_day, format_money};
use crate::domain::return_requests::{RequestProblem, ReturnReason};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/order/:token`: the confirmation page right after checkout, and the
/// guest's way back to the order later.
#[component]
pub fn OrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    // Back from the payment page: the bank's webhook may still be on its way,
    // so the order is read again every second for a while.
    let polls = RwSignal::new(0u32);
    let order = Resource::new(
        move || {
            (
                params.with(|p| p.get("token").unwrap_or_default()),
                lang(i18n),
                polls.get(),
            )
        },
        |(token, lang, _)| load_order(token, lang),
    );
    let returning = move || query.with(|q| q.get("payment").is_some());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(Ok(o)) = order.get() {
            if returning() && o.payment_pending && polls.get_untracked() < MAX_POLLS {
                set_timeout(
                    move || polls.update(|n| *n += 1),
                    std::time::Duration::from_secs(1),
                );
            }
        }
    });
    let waiting = move || returning() && polls.get() < MAX_POLLS;
    view! {
        <Meta name="robots" content="noindex, nofollow" />
        <section class="page order-page">
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
                    order_or_error(order.await, true, Some(token), waiting())
                })}
            </Transition>
        </section>
    }
}

/// Reads of the order while waiting for the payment's confirmation.
const MAX_POLLS: u32 = 30;

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
                    <div class="table-wrap"><table class="data" data-testid="orders">
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
                    </table></div>
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
        <PageTitle text=move || t_string!(i18n, orders_title).to_string() />
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
                {move || Suspend::new(async move { order_or_error(order.await, false, None, false) })}
            </Suspense>
        </section>
    }
}

/// `token`: the order's private link, which can start a payment; `waiting`:
/// back from the payment page, the confirmation may still come.
fn order_or_error(
    order: Result<OrderView, AppError>,
    thanks: bool,
    token: Option<String>,
    waiting: bool,
) -> AnyView {
    match order {
        Ok(order) => view! { <OrderDetails order thanks token waiting /> }.into_any(),
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
fn OrderDetails(
    order: OrderView,
    thanks: bool,
    token: Option<String>,
    waiting: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let pay = Action::new(|token: &String| start_payment(token.clone()));
    Effect::new(move |_| {
        if let Some(Ok(url)) = pay.value().get() {
            crate::pages::checkout::go_to(&url);
        }
    });
    let payment_state = if order.paid {
        view! { <strong data-testid="order-paid">{t!(i18n, order_paid)}</strong> }.into_any()
    } else if order.payment_pending && waiting {
        view! { <span data-testid="order-payment-waiting">{t!(i18n, order_payment_waiting)}</span> }
            .into_any()
    } else if !order.paid_amount.is_zero() {
        // Part paid (ORD-6): what came in and what is still due.
        let (paid, due) = (order.paid_amount, order.total - order.paid_amount);
        let currency = use_currency();
        let money = move |amount| format_money(amount, currency.get(), lang(i18n));
        view! {
            <span data-testid="order-paid-part">{t!(i18n, orders_paid_part)}" "{move || money(paid)}
                ", "{t!(i18n, orders_due)}" "{move || money(due)}</span>
        }
        .into_any()
    } else {
        view! { <span data-testid="order-unpaid">{t!(i18n, order_unpaid)}</span> }.into_any()
    };
    let credit = order.credit;
    let pay_button = token.filter(|_| order.can_pay).map(|token| {
        view! {
            <button type="button" class="button primary" data-testid="order-pay"
                disabled=move || pay.pending().get()
                on:click=move |_| { pay.dispatch(token.clone()); }>
                {if credit { t!(i18n, order_apply_credit).into_any() } else { t!(i18n, order_pay).into_any() }}
            </button>
            {move || pay.value().get().and_then(Result::err).map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
        }
    });
    let currency = use_currency();
    let money = move |amount| format_money(amount, currency.get(), lang(i18n));
    let number = order.number.clone();
    // "Repeat this order" (LOG-2): the lines go back into the cart, which
    // re-prices them and says what is no longer available.
    let (invoice, document_token) = (order.invoice, order.token.clone());
    let repeat_lines: Vec<(i64, u32)> = order
        .lines
        .iter()
        .map(|l| (l.variant_id, l.quantity))
        .collect();
    let store_cart = crate::components::frame::use_store_cart();
    let navigate = leptos_router::hooks::use_navigate();
    let repeat = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let mut cart = crate::domain::cart::browser::load();
            for (variant_id, quantity) in &repeat_lines {
                cart.add(*variant_id, *quantity);
            }
            store_cart(cart);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&repeat_lines, store_cart);
        navigate("/cart", Default::default());
    };
    // What may still be sent back (ORD-7); the server counts open requests too.
    let returnable: Vec<(i64, String, u32)> = order
        .lines
        .iter()
        .filter(|l| l.quantity > l.returned)
        .map(|l| (l.line_id, l.name.clone(), l.quantity - l.returned))
        .collect();
    let return_section = view! {
        <ReturnRequests
            token=order.token.clone()
            can_request=order.can_request_return
            returnable
            requests=order.return_requests
        />
    };
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
                    {(l.returned > 0).then(|| view! { " " <small data-testid="order-line-returned">"(↩ "{l.returned}")"</small> })}
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
    let date = format_day(order.delivery_date, lang(i18n), true);
    let (goods, delivery, total) = (order.goods, order.delivery_price, order.total);
    let refunded = order.refunded;
    let parcels = order.parcels;
    let tracked = parcels.iter().any(|p| !p.events.is_empty());
    let returns = order
        .returns
        .into_iter()
        .map(|r| {
            let items = r
                .items
                .iter()
                .map(|(name, n)| format!("{name} × {n}"))
                .collect::<Vec<_>>()
                .join(", ");
            let refund = r.refund;
            view! {
                <li data-testid="order-return"><time>{r.at}</time>" — "{r.label}": "{items}" · "
                    {t!(i18n, order_refunded)}" "{move || money(refund)}</li>
            }
        })
        .collect_view();
    view! {
        <PageTitle text=move || format!("{} {}", t_string!(i18n, orders_order), number) />
        {thanks.then(|| view! { <p class="notice" data-testid="order-thanks">{t!(i18n, order_thanks)}</p> })}
        <h1 data-testid="order-number">{t!(i18n, orders_order)}" "{order.number.clone()}</h1>
        <p>{t!(i18n, orders_status)}": "<strong data-testid="order-status">{order.status_label}</strong></p>
        <p>{t!(i18n, order_payment)}": "{payment_state}</p>
        {pay_button}
        <div class="order-grid">
            <div>
                <ul class="mini-cart-lines" data-testid="order-lines">{lines}</ul>
                <dl class="cart-totals">
                    <dt>{t!(i18n, cart_subtotal)}</dt><dd>{move || money(goods)}</dd>
                    {discounts}
                    <dt>{t!(i18n, cart_delivery)}</dt><dd>{move || money(delivery)}</dd>
                    <dt class="grand">{t!(i18n, cart_total)}</dt>
                    <dd class="grand" data-testid="order-total">{move || money(total)}</dd>
                    {(!refunded.is_zero()).then(|| view! {
                        <dt>{t!(i18n, order_refunded)}</dt>
                        <dd class="discount" data-testid="order-refunded">"−"{move || money(refunded)}</dd>
                        <dt class="grand">{t!(i18n, order_final)}</dt>
                        <dd class="grand" data-testid="order-final">{move || money(total - refunded)}</dd>
                    })}
                </dl>
            </div>
            <dl class="specs">
                <div><dt>{t!(i18n, checkout_name)}</dt><dd>{order.name}</dd></div>
                <div><dt>{t!(i18n, callback_phone)}</dt><dd>{order.phone}</dd></div>
                <div><dt>{t!(i18n, cart_delivery)}</dt><dd data-testid="order-delivery">{order.delivery}</dd></div>
                <div><dt>{t!(i18n, checkout_address)}</dt><dd data-testid="order-address">{order.address}</dd></div>
                <div><dt>{t!(i18n, orders_delivery_date)}</dt><dd>{date}</dd></div>
                {order.try_on.then(|| view! { <div><dt>{t!(i18n, order_try_on)}</dt><dd data-testid="order-try-on">"✓"</dd></div> })}
                {order.tracking.map(|t| view! {
                    <div>
                        <dt>{t!(i18n, order_tracking)}</dt>
                        <dd>
                            <span data-testid="order-tracking">{t.number}</span>
                            {t.url.map(|url| view! { " · " <a href=url rel="noopener noreferrer" target="_blank" data-testid="order-tracking-link">{t!(i18n, order_track_link)}</a> })}
                        </dd>
                    </div>
                })}
                <div><dt>{t!(i18n, checkout_payment)}</dt><dd data-testid="order-payment">{order.payment}</dd></div>
                {(!order.comment.is_empty()).then(|| view! { <div><dt>{t!(i18n, checkout_comment)}</dt><dd>{order.comment.clone()}</dd></div> })}
            </dl>
        </div>
        <div class="button-row">
            <button type="button" class="button" data-testid="order-repeat" on:click=repeat>
                {t!(i18n, order_repeat)}
            </button>
            {invoice.then(|| view! {
                <a class="button" rel="external" target="_blank" href=format!("/order/{document_token}/invoice") data-testid="order-invoice">
                    {t!(i18n, order_invoice)}
                </a>
            })}
            <a class="button" rel="external" target="_blank" href=format!("/order/{}/receipt", order.token) data-testid="order-receipt">
                {t!(i18n, order_receipt)}
            </a>
        </div>
        <ul class="timeline" data-testid="order-returns">{returns}</ul>
        {return_section}
        {tracked.then(|| view! {
            <h2>{t!(i18n, tracking_title)}</h2>
            <ParcelTimelines parcels=parcels />
        })}
        <h2>{t!(i18n, orders_timeline)}</h2>
        <ul class="timeline" data-testid="order-timeline">{timeline}</ul>
    }
}

/// The customer's return requests (ORD-7) and, while the order may still be
/// returned, the form: a plain multipart post (it carries photos) answered
/// by a redirect back here with `return=sent` or `return_error=<code>`.
#[component]
fn ReturnRequests(
    token: String,
    can_request: bool,
    returnable: Vec<(i64, String, u32)>,
    requests: Vec<ReturnRequestView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let sent = move || query.read().get("return").as_deref() == Some("sent");
    let problem = move || {
        query
            .read()
            .get("return_error")
            .and_then(|code| RequestProblem::from_code(&code))
            .map(|p| p.message(lang(i18n)))
    };
    let listed = (!requests.is_empty()).then(|| {
        let items = requests
            .into_iter()
            .map(|r| {
                let items = r
                    .items
                    .iter()
                    .map(|(name, n)| format!("{name} × {n}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let photos = r
                    .photos
                    .into_iter()
                    .map(|p| view! { <a href=p.full target="_blank" rel="noopener"><img src=p.thumb alt="" width="80" loading="lazy" /></a> })
                    .collect_view();
                view! {
                    <li data-testid="return-request-item">
                        <time>{r.created_at}</time>" — "{items}" · "{r.reason}
                        " · "<strong data-testid="return-request-status">{r.status_label}</strong>
                        {(!r.reply.is_empty()).then(|| view! { <p data-testid="return-request-reply">{r.reply}</p> })}
                        <div class="return-photos">{photos}</div>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h2>{t!(i18n, return_requests_title)}</h2>
            <ul class="timeline" data-testid="return-requests">{items}</ul>
        }
    });
    let form = (can_request && !returnable.is_empty()).then(|| {
        let quantities = returnable
            .into_iter()
            .map(|(line_id, name, left)| {
                let id = format!("return-qty-{line_id}");
                view! {
                    <label for=id.clone()>{name}" (≤ "{left}")"</label>
                    <input id=id type="number" class="short" name=format!("qty_{line_id}") min="0"
                        max=left.to_string() value="0" data-testid="return-request-qty" />
                }
            })
            .collect_view();
        let reasons = ReturnReason::ALL
            .into_iter()
            .map(|r| view! { <option value=r.as_str()>{r.label(lang(i18n))}</option> })
            .collect_view();
        view! {
            <details class="return-request" data-testid="return-request-open" open=move || problem().is_some()>
                <summary>{t!(i18n, return_request_title)}</summary>
                <form method="post" enctype="multipart/form-data" class="form"
                    action=format!("/order/{token}/return-request") data-testid="return-request-form">
                    <p class="hint">{t!(i18n, return_request_intro)}</p>
                    <fieldset>
                        <legend>{t!(i18n, return_request_units)}</legend>
                        {quantities}
                    </fieldset>
                    <label for="return-reason">{t!(i18n, return_request_reason)}</label>
                    <select id="return-reason" name="reason" data-testid="return-request-reason">
                        <option value="">{t!(i18n, return_request_reason_choose)}</option>
                        {reasons}
                    </select>
                    <label for="return-comment">{t!(i18n, return_request_comment)}</label>
                    <textarea id="return-comment" name="comment" rows="3" maxlength="1000"
                        data-testid="return-request-comment"></textarea>
                    <label for="return-photos">{t!(i18n, return_request_photos)}</label>
                    <input id="return-photos" type="file" name="photo" multiple
                        accept="image/jpeg,image/png,image/webp" data-testid="return-request-photos" />
                    <button type="submit" class="button" data-testid="return-request-send">
                        {t!(i18n, return_request_send)}
                    </button>
                </form>
            </details>
        }
    });
    view! {
        <div id="return-request">
            {move || sent().then(|| view! { <p class="notice" role="status" data-testid="return-request-sent">{t!(i18n, return_request_sent)}</p> })}
            {move || problem().map(|p| view! { <p class="field-error" role="alert" data-testid="return-request-error">{p}</p> })}
            {listed}
            {form}
        </div>
    }
}
