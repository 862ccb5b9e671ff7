//! A phone order (ORD-4): the operator finds the caller in the CRM by phone
//! (or takes a new customer), adds goods by name, SKU or barcode, chooses
//! delivery and payment, and places the order. Totals and delivery prices
//! come from the shop's cart pricing; placing goes through checkout's rules.
//! Opened from a callback request (`?callback=<id>`), it starts with the
//! caller's name, phone and cart.
use crate::api::cart::price_cart;
use crate::api::checkout::{load_pickup_points, PlaceOutcome};
use crate::api::customers::CustomerRow;
use crate::api::phone_orders::{
    admin_phone_callback, admin_phone_customers, admin_phone_order, PhoneOrder,
};
use crate::components::catalog::use_currency;
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::domain::cart::{CartChoices, StoredCart};
use crate::domain::checkout::{CheckoutForm, CheckoutProblem, PaymentMethod};
use crate::domain::delivery::{DeliveryKind, Destination};
use crate::domain::money::{format_money, Lang};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn PhoneOrderPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::HandleOrders>
            <PhoneOrderForm />
        </super::RequirePermission>
    }
}

/// Payment methods that work over the phone: at the door, or a card
/// payment link the customer gets in the order message.
const PHONE_PAYMENTS: [PaymentMethod; 3] = [
    PaymentMethod::CashOnDelivery,
    PaymentMethod::CardOnDelivery,
    PaymentMethod::CardOnline,
];

/// One idempotency key per phone order page: a double click places one order.
fn fresh_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        let random = || (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
        format!(
            "phone-{:x}-{:08x}{:08x}",
            js_sys::Date::now() as u64,
            random(),
            random()
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

#[component]
fn PhoneOrderForm() -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let navigate = use_navigate();
    let query = use_query_map();
    let callback_id = move || {
        query
            .read()
            .get("callback")
            .and_then(|s| s.parse::<i64>().ok())
    };
    let form = RwSignal::new(CheckoutForm {
        payment: PaymentMethod::CashOnDelivery.as_str().into(),
        ..Default::default()
    });
    let cart = RwSignal::new(StoredCart::default());
    let customer = RwSignal::new(None::<CustomerRow>);
    let promo = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<CheckoutProblem>::new());
    let message = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<crate::api::AppError>);

    // A callback request brings the caller and their cart.
    let prefill = LocalResource::new(move || {
        let id = callback_id();
        async move {
            match id {
                Some(id) => admin_phone_callback(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(Some(found))) = prefill.get() {
            form.update(|f| {
                f.name = found.name.clone();
                f.phone = found.phone.clone();
            });
            cart.set(found.cart.clone());
        }
    });

    let customer_search = RwSignal::new(String::new());
    let find_customers =
        Action::new(|(search, lang): &(String, Lang)| admin_phone_customers(search.clone(), *lang));

    let choices = Memo::new(move |_| {
        form.with(|f| CartChoices {
            promo_code: Some(promo.get()).filter(|p| !p.trim().is_empty()),
            delivery: Some(f.delivery.clone()).filter(|d| !d.is_empty()),
            instalment_months: None,
            destination: Some(Destination {
                city: f.city.trim().to_string(),
                postcode: f.postcode.trim().to_string(),
            })
            .filter(|d| !d.city.is_empty()),
        })
    });
    let priced = LocalResource::new(move || {
        let (cart, choices, lang) = (cart.get(), choices.get(), lang(i18n));
        price_cart(cart, choices, lang)
    });
    let delivery_kind = Memo::new(move |_| {
        let code = form.with(|f| f.delivery.clone());
        priced.get().and_then(|p| {
            p.ok().and_then(|view| {
                view.delivery_methods
                    .iter()
                    .find(|m| m.code == code)
                    .map(|m| m.kind)
            })
        })
    });
    let pickup_points = LocalResource::new(move || {
        let code = form.with(|f| f.delivery.clone());
        let pickup = delivery_kind.get() == Some(DeliveryKind::PickupPoint);
        async move {
            if pickup {
                load_pickup_points(code).await.unwrap_or_default()
            } else {
                Vec::new()
            }
        }
    });

    let place =
        Action::new(|(order, lang): &(PhoneOrder, Lang)| admin_phone_order(order.clone(), *lang));
    Effect::new(move |_| {
        let Some(answer) = place.value().get() else {
            return;
        };
        problems.set(Vec::new());
        message.set(None);
        failure.set(None);
        match answer {
            Ok(PlaceOutcome::Placed { number, .. }) => {
                navigate(&format!("/admin/orders/{number}"), Default::default());
            }
            Ok(PlaceOutcome::Problems(found)) => {
                message.set(Some(t_string!(i18n, checkout_fix_fields).to_string()));
                problems.set(found);
            }
            Ok(PlaceOutcome::CartChanged(changed)) => {
                message.set(Some(t_string!(i18n, checkout_cart_changed).to_string()));
                cart.set(changed.cart.clone());
            }
            Ok(PlaceOutcome::Promo(problem)) => {
                message.set(Some(problem.message(lang(i18n), currency.get_untracked())));
            }
            Ok(PlaceOutcome::OutOfStock(names)) => {
                message.set(Some(format!(
                    "{} {}",
                    t_string!(i18n, checkout_sold_out),
                    names.join(", ")
                )));
            }
            Ok(PlaceOutcome::EmptyCart) => {
                message.set(Some(t_string!(i18n, phone_order_no_goods).to_string()));
            }
            Err(e) => failure.set(Some(e)),
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if key.with_untracked(String::is_empty) {
            key.set(fresh_key());
        }
        let mut typed = form.get_untracked();
        if delivery_kind.get_untracked() != Some(DeliveryKind::PickupPoint) {
            typed.pickup_point = None;
        }
        place.dispatch((
            PhoneOrder {
                key: key.get_untracked(),
                cart: cart.get_untracked(),
                choices: choices.get_untracked(),
                form: typed,
                customer_id: customer.with_untracked(|c| c.as_ref().map(|c| c.id)),
                callback_id: callback_id(),
            },
            lang(i18n),
        ));
    };

    let field_problems = move |fields: &'static [&'static str]| {
        move || {
            problems.with(|found| {
                found
                    .iter()
                    .filter(|p| fields.contains(&p.field()))
                    .map(|p| p.message(lang(i18n)))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        }
    };
    let input = move |field: &'static str,
                      label: String,
                      get: fn(&CheckoutForm) -> String,
                      set: fn(&mut CheckoutForm, String)| {
        let id = format!("phone-order-{field}");
        let fields: &'static [&'static str] = match field {
            "name" => &["name"],
            "phone" => &["phone"],
            "email" => &["email"],
            "city" => &["city"],
            "address" => &["address"],
            "postcode" => &["postcode"],
            _ => &["comment"],
        };
        view! {
            <label for=id.clone()>{label}</label>
            <input id=id.clone() type="text" data-testid=id
                prop:value=move || form.with(get)
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev))) />
            <span class="field-error" role="alert">{field_problems(fields)}</span>
        }
    };

    let customer_matches = move || {
        find_customers.value().get().map(|answer| match answer {
            Ok(rows) if rows.is_empty() => {
                view! { <p data-testid="phone-order-no-customer">{t!(i18n, phone_order_new_customer)}</p> }.into_any()
            }
            Ok(rows) => rows
                .into_iter()
                .map(|row| {
                    let chosen = row.clone();
                    view! {
                        <li data-testid="phone-order-customer-match">
                            {row.name.clone()}" · "{row.phone.clone()}" "{row.email.clone()}
                            " · "{row.city.clone()}" · "{t!(i18n, customers_orders)}": "{row.orders}
                            " "<button type="button" class="button" data-testid="phone-order-choose-customer"
                                on:click=move |_| {
                                    let c = chosen.clone();
                                    form.update(|f| {
                                        f.name = c.name.clone();
                                        f.phone = c.phone.clone();
                                        f.email = c.email.clone();
                                        f.city = c.city.clone();
                                    });
                                    customer.set(Some(c));
                                }>
                                {t!(i18n, phone_order_choose)}
                            </button>
                        </li>
                    }
                })
                .collect_view()
                .into_any(),
            Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
        })
    };
    let summary = move || {
        Suspend::new(async move {
            let view = match priced.await {
                Ok(v) => v,
                Err(e) => {
                    return view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                        .into_any()
                }
            };
            let money = move |d| format_money(d, currency.get_untracked(), lang(i18n));
            let lines = view
                .lines
                .iter()
                .map(|l| {
                    let id = l.variant_id;
                    let label = format!("{} {}", t_string!(i18n, cart_quantity), l.name);
                    let line_total = view
                        .totals
                        .line_totals
                        .iter()
                        .find(|(v, _)| *v == id)
                        .map(|(_, t)| money(*t))
                        .unwrap_or_default();
                    view! {
                        <tr data-testid="phone-order-line">
                            <td>{l.name.clone()}" "<small>{l.options.clone()}</small></td>
                            <td><input type="number" min="0" class="short" aria-label=label
                                data-testid="phone-order-quantity"
                                prop:value=l.quantity.to_string()
                                on:change=move |ev| {
                                    let n = event_target_value(&ev).parse::<u32>().unwrap_or(0);
                                    cart.update(|c| c.set_quantity(id, n));
                                } /></td>
                            <td class="num">{money(l.unit_price)}</td>
                            <td class="num">{line_total}</td>
                            <td><button type="button" class="link" data-testid="phone-order-remove"
                                on:click=move |_| cart.update(|c| c.set_quantity(id, 0))>"×"</button></td>
                        </tr>
                    }
                })
                .collect_view();
            let notices = view
                .notices
                .iter()
                .cloned()
                .map(|notice| view! { <crate::pages::cart::Notice notice /> })
                .collect_view();
            let chosen = form.with_untracked(|f| f.delivery.clone());
            let methods = view
                .delivery
                .iter()
                .map(|q| {
                    let code = q.code.clone();
                    let testid = format!("phone-order-delivery-{}", q.code);
                    let checked = q.code == chosen;
                    let price = if q.unavailable.is_some() {
                        t_string!(i18n, phone_order_not_available).to_string()
                    } else {
                        money(q.price)
                    };
                    view! {
                        <label data-testid=testid>
                            <input type="radio" name="phone-order-delivery" checked=checked
                                disabled=q.unavailable.is_some()
                                on:change=move |_| form.update(|f| f.delivery = code.clone()) />
                            " "{q.name.clone()}" — "{price}
                        </label>
                    }
                })
                .collect_view();
            let discounts = view
                .totals
                .discounts
                .iter()
                .map(|d| view! { <tr><th colspan="3">{d.name.clone()}</th><td class="num">"−"{money(d.amount)}</td></tr> })
                .collect_view();
            let delivery_price = view
                .totals
                .delivery
                .map(money)
                .unwrap_or_else(|| "—".into());
            view! {
                <div class="notices">{notices}</div>
                <div class="table-wrap"><table class="admin-table">
                    <tbody>{lines}</tbody>
                    <tfoot>
                        <tr><th colspan="3">{t!(i18n, cart_subtotal)}</th><td class="num">{money(view.totals.subtotal)}</td></tr>
                        {discounts}
                        <tr><th colspan="3">{t!(i18n, cart_delivery)}</th><td class="num">{delivery_price}</td></tr>
                        <tr><th colspan="3">{t!(i18n, orders_total)}</th><td class="num" data-testid="phone-order-total">{money(view.totals.total)}</td></tr>
                    </tfoot>
                </table></div>
                <fieldset data-testid="phone-order-delivery">
                    <legend>{t!(i18n, cart_delivery)}</legend>
                    {methods}
                    <span class="field-error" role="alert">{field_problems(&["delivery"])}</span>
                </fieldset>
            }
            .into_any()
        })
    };
    let pickup_select = move || {
        (delivery_kind.get() == Some(DeliveryKind::PickupPoint)).then(|| {
            let options = move || {
                pickup_points
                    .get()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| {
                        view! { <option value=p.id.to_string()>{p.name}", "{p.city}", "{p.address}</option> }
                    })
                    .collect_view()
            };
            view! {
                <label for="phone-order-pickup">{t!(i18n, delivery_kind_pickup_point)}</label>
                <select id="phone-order-pickup" data-testid="phone-order-pickup"
                    on:change=move |ev| form.update(|f| f.pickup_point = event_target_value(&ev).parse().ok())>
                    <option value="">"—"</option>
                    {options}
                </select>
                <span class="field-error" role="alert">{field_problems(&["pickup_point"])}</span>
            }
        })
    };
    let payments = PHONE_PAYMENTS
        .into_iter()
        .map(|p| {
            let testid = format!("phone-order-payment-{}", p.as_str());
            view! {
                <label data-testid=testid>
                    <input type="radio" name="phone-order-payment"
                        prop:checked=move || form.with(|f| f.payment == p.as_str())
                        on:change=move |_| form.update(|f| f.payment = p.as_str().into()) />
                    " "{p.label(lang(i18n))}
                </label>
            }
        })
        .collect_view();

    view! {
        <PageTitle text=move || t_string!(i18n, phone_order_title).to_string() />
        <h1>{t!(i18n, phone_order_title)}</h1>
        {move || callback_id().map(|id| view! { <p class="notice" data-testid="phone-order-callback">{t!(i18n, phone_order_from_callback)}" #"{id}</p> })}
        <section aria-labelledby="phone-order-customer-title">
            <h2 id="phone-order-customer-title">{t!(i18n, orders_customer)}</h2>
            <form class="form inline" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                find_customers.dispatch((customer_search.get_untracked(), lang(i18n)));
            }>
                <label for="phone-order-find-customer">{t!(i18n, customers_search)}</label>
                <input id="phone-order-find-customer" type="search" data-testid="phone-order-find-customer"
                    prop:value=customer_search on:input=move |ev| customer_search.set(event_target_value(&ev)) />
                <button type="submit" class="button" data-testid="phone-order-find-customer-go">{t!(i18n, phone_order_find)}</button>
            </form>
            <ul data-testid="phone-order-customers">{customer_matches}</ul>
            {move || customer.get().map(|c| view! {
                <p class="notice" data-testid="phone-order-chosen-customer">
                    {t!(i18n, phone_order_chosen)}": "{c.name}" · "{c.phone}
                    " "<button type="button" class="link" on:click=move |_| customer.set(None)>{t!(i18n, phone_order_unchoose)}</button>
                </p>
            })}
        </section>
        <super::goods_finder::GoodsFinder title=t_string!(i18n, phone_order_goods).to_string()
            testid="phone-order"
            on_add=Callback::new(move |v: crate::api::phone_orders::VariantPick| cart.update(|c| c.add(v.variant_id, 1))) />
        <form class="form" data-testid="phone-order-form" on:submit=submit>
            {input("name", t_string!(i18n, checkout_name).to_string(), |f| f.name.clone(), |f, v| f.name = v)}
            {input("phone", t_string!(i18n, field_phone).to_string(), |f| f.phone.clone(), |f, v| f.phone = v)}
            {input("email", t_string!(i18n, checkout_email).to_string(), |f| f.email.clone(), |f, v| f.email = v)}
            <Transition>{summary}</Transition>
            {input("city", t_string!(i18n, checkout_city).to_string(), |f| f.city.clone(), |f, v| f.city = v)}
            {input("address", t_string!(i18n, checkout_address).to_string(), |f| f.address.clone(), |f, v| f.address = v)}
            {input("postcode", t_string!(i18n, checkout_postcode).to_string(), |f| f.postcode.clone(), |f, v| f.postcode = v)}
            {pickup_select}
            <fieldset data-testid="phone-order-payment">
                <legend>{t!(i18n, checkout_payment)}</legend>
                {payments}
                <span class="field-error" role="alert">{field_problems(&["payment"])}</span>
            </fieldset>
            <label for="phone-order-promo">{t!(i18n, cart_promo_label)}</label>
            <input id="phone-order-promo" type="text" data-testid="phone-order-promo"
                prop:value=promo on:input=move |ev| promo.set(event_target_value(&ev)) />
            {input("comment", t_string!(i18n, checkout_comment).to_string(), |f| f.comment.clone(), |f, v| f.comment = v)}
            {move || message.get().map(|m| view! { <p class="field-error" role="alert" data-testid="phone-order-message">{m}</p> })}
            {move || failure.get().map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
            <button type="submit" class="button primary" data-testid="phone-order-place"
                disabled=move || place.pending().get()>{t!(i18n, phone_order_place)}</button>
        </form>
    }
}
