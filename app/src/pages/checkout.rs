//! Checkout (CHK-1 … CHK-4): contacts, delivery (address or pickup point),
//! payment and a comment on one page that works on a phone. What is typed is
//! kept in the browser, so a reload or an error loses nothing; the key made
//! when the page opens makes "Place order" safe to press twice.
use crate::api::cart::{price_cart, CartView};
use crate::api::checkout::{
    forget_address, load_pickup_points, my_addresses, place_order, start_payment, PlaceOutcome,
};
use crate::components::catalog::use_currency;
use crate::components::errors::error_text;
use crate::components::frame::{lang, use_store_cart};
use crate::components::seo::PageTitle;
use crate::components::session::use_auth;
use crate::domain::cart::{CartChoices, StoredCart};
use crate::domain::checkout::{CheckoutForm, CheckoutProblem, PaymentMethod};
use crate::domain::delivery::{DeliveryKind, Destination};
use crate::domain::money::{format_day, format_money, Lang};
use crate::i18n::*;
use crate::pages::cart::quote_price;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_navigate;

/// Where the form and the key are kept in the browser.
#[cfg(feature = "hydrate")]
mod kept {
    use crate::domain::checkout::CheckoutForm;
    use gloo_storage::{LocalStorage, SessionStorage, Storage};

    const FORM_KEY: &str = "lavka.checkout.form";
    const REQUEST_KEY: &str = "lavka.checkout.key";

    pub fn form() -> CheckoutForm {
        LocalStorage::get(FORM_KEY).unwrap_or_default()
    }

    pub fn save_form(form: &CheckoutForm) {
        let _ = LocalStorage::set(FORM_KEY, form);
    }

    /// The idempotency key of this checkout: made once, kept across reloads
    /// of the tab until the order is placed.
    pub fn request_key() -> String {
        if let Ok(key) = SessionStorage::get::<String>(REQUEST_KEY) {
            return key;
        }
        let random = |_| {
            format!(
                "{:08x}",
                (js_sys::Math::random() * f64::from(u32::MAX)) as u32
            )
        };
        let key = format!(
            "{:x}-{}",
            js_sys::Date::now() as u64,
            (0..3).map(random).collect::<String>()
        );
        let _ = SessionStorage::set(REQUEST_KEY, &key);
        key
    }

    pub fn forget_request_key() {
        SessionStorage::delete(REQUEST_KEY);
    }
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let cart = RwSignal::new(StoredCart::default());
    let choices = RwSignal::new(CartChoices::default());
    let form = RwSignal::new(CheckoutForm::default());
    let loaded = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use crate::domain::cart::browser;
        let Some(user) = auth.user.get() else { return };
        choices.set(browser::load_choices());
        let mut kept_form = kept::form();
        if let Ok(Some(user)) = &user {
            // Start from the profile where the shopper has typed nothing yet.
            if kept_form.name.is_empty() {
                kept_form.name = user.name.clone();
            }
            if kept_form.email.is_empty() {
                kept_form.email = user.email.clone();
            }
            if kept_form.phone.is_empty() {
                kept_form.phone = user.phone.clone().unwrap_or_default();
            }
        }
        if kept_form.delivery.is_empty() {
            kept_form.delivery = browser::load_choices().delivery.unwrap_or_default();
        }
        form.set(kept_form);
        let signed_in = matches!(user, Ok(Some(_)));
        leptos::task::spawn_local(async move {
            cart.set(if signed_in {
                crate::components::frame::sync_account_cart().await
            } else {
                browser::load()
            });
            loaded.set(true);
        });
    });
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if loaded.get() {
            form.with(kept::save_form);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = auth;

    let priced = Resource::new(
        move || {
            (
                loaded.get(),
                cart.get(),
                choices.get(),
                form.with(|f| f.delivery.clone()),
                lang(i18n),
            )
        },
        |(loaded, cart, choices, delivery, lang)| async move {
            if !loaded || cart.lines.is_empty() {
                return None;
            }
            let choices = CartChoices {
                delivery: (!delivery.is_empty()).then_some(delivery),
                ..choices
            };
            Some(price_cart(cart, choices, lang).await)
        },
    );
    let empty = Memo::new(move |_| cart.with(|c| c.lines.is_empty()));
    let body = move || {
        if !loaded.get() {
            return view! { <p class="loading">"…"</p> }.into_any();
        }
        if empty.get() {
            return view! {
                <div class="empty-state" data-testid="checkout-empty">
                    <p>{t!(i18n, cart_empty)}</p>
                    <a class="button" href="/">{t!(i18n, cart_continue)}</a>
                </div>
            }
            .into_any();
        }
        view! { <CheckoutFields cart choices form priced /> }.into_any()
    };
    view! {
        <PageTitle text=move || t_string!(i18n, checkout_title).to_string() />
        <Meta name="robots" content="noindex" />
        <section class="page checkout-page">
            <h1>{t!(i18n, checkout_title)}</h1>
            {body}
        </section>
    }
}

type Priced = Resource<Option<Result<CartView, crate::api::AppError>>>;

#[component]
fn CheckoutFields(
    cart: RwSignal<StoredCart>,
    choices: RwSignal<CartChoices>,
    form: RwSignal<CheckoutForm>,
    priced: Priced,
) -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let money = move |amount| format_money(amount, currency.get(), lang(i18n));
    let store_cart = use_store_cart();
    let navigate = use_navigate();
    // The last answer, kept while the next one loads, so the page never blanks.
    let view = RwSignal::new(None::<CartView>);
    Effect::new(move |_| {
        if let Some(Some(Ok(v))) = priced.get() {
            view.set(Some(v));
        }
    });
    // The chosen pickup point's city: its zone prices the delivery.
    let point_city = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<CheckoutProblem>::new());
    let message = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<crate::api::AppError>);
    let place = Action::new(
        move |(key, cart, choices, form, lang): &(
            String,
            StoredCart,
            CartChoices,
            CheckoutForm,
            Lang,
        )| {
            place_order(
                key.clone(),
                cart.clone(),
                choices.clone(),
                form.clone(),
                *lang,
            )
        },
    );
    Effect::new(move |_| {
        let Some(result) = place.value().get() else {
            return;
        };
        problems.set(Vec::new());
        message.set(None);
        failure.set(None);
        match result {
            Ok(PlaceOutcome::Placed { token, .. }) => {
                #[cfg(feature = "hydrate")]
                kept::forget_request_key();
                store_cart(StoredCart::default());
                let online = form.with_untracked(|f| {
                    PaymentMethod::parse(&f.payment).is_some_and(PaymentMethod::online)
                });
                if online {
                    // On to the payment provider's page; the order page offers
                    // to pay again if that fails.
                    leptos::task::spawn_local(async move {
                        match start_payment(token.clone()).await {
                            Ok(url) => go_to(&url),
                            Err(_) => go_to(&format!("/order/{token}")),
                        }
                    });
                } else {
                    navigate(&format!("/order/{token}"), Default::default());
                }
            }
            Ok(PlaceOutcome::Problems(ps)) => {
                message.set(Some(t_string!(i18n, checkout_fix_fields).to_string()));
                problems.set(ps);
            }
            Ok(PlaceOutcome::CartChanged(changed)) => {
                message.set(Some(t_string!(i18n, checkout_cart_changed).to_string()));
                store_cart(changed.cart.clone());
                cart.set(changed.cart.clone());
            }
            Ok(PlaceOutcome::Promo(problem)) => {
                message.set(Some(problem.message(lang(i18n), currency.get_untracked())));
            }
            Ok(PlaceOutcome::OutOfStock(names)) => {
                let names = names.join(", ");
                message.set(Some(format!(
                    "{} {names}",
                    t_string!(i18n, checkout_sold_out)
                )));
            }
            Ok(PlaceOutcome::EmptyCart) => {
                message.set(Some(t_string!(i18n, cart_empty).to_string()));
            }
            Err(e) => failure.set(Some(e)),
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if place.pending().get_untracked() {
            return;
        }
        #[cfg(feature = "hydrate")]
        let key = kept::request_key();
        #[cfg(not(feature = "hydrate"))]
        let key = String::new();
        place.dispatch((
            key,
            cart.get_untracked(),
            choices.get_untracked(),
            form.get_untracked(),
            lang(i18n),
        ));
    };
    let problem = move |field: &'static str| {
        move || {
            problems
                .get()
                .into_iter()
                .filter(|p| p.field() == field)
                .map(|p| view! { <p class="field-error" role="alert">{p.message(lang(i18n))}</p> })
                .collect_view()
        }
    };
    let text_field = move |id: &'static str,
                           label: String,
                           kind: &'static str,
                           autocomplete: &'static str,
                           get: fn(&CheckoutForm) -> String,
                           set: fn(&mut CheckoutForm, String)| {
        view! {
            <label for=format!("checkout-{id}")>{label}</label>
            <input id=format!("checkout-{id}") type=kind autocomplete=autocomplete data-testid=format!("checkout-{id}")
                prop:value=move || form.with(get)
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev))) />
            {problem(id)}
        }
    };
    // The mask applies while the number grows; deleting stays as typed, so a
    // bracket or dash can be removed.
    fn set_phone(form: &mut CheckoutForm, typed: String) {
        form.phone = if typed.len() > form.phone.len() {
            crate::domain::accounts::mask_phone(&typed)
        } else {
            typed
        };
    }
    // A memo, so typing in other fields does not rebuild the address block
    // (and lose the pickup-point search).
    let kind = Memo::new(move |_| {
        let code = form.with(|f| f.delivery.clone());
        view.with(|v| {
            v.as_ref()
                .and_then(|v| v.delivery.iter().find(|q| q.code == code).map(|q| q.kind))
        })
    });
    let delivery_code = Memo::new(move |_| form.with(|f| f.delivery.clone()));
    // Totals and quotes for the address as typed, at once, with the same pure
    // function the server prices the order with.
    let numbers = Memo::new(move |_| {
        let to = match kind.get() {
            Some(DeliveryKind::PickupPoint) => Destination {
                city: point_city.get(),
                postcode: String::new(),
            },
            _ => form.with(|f| Destination {
                city: f.city.trim().to_string(),
                postcode: f.postcode.trim().to_string(),
            }),
        };
        let delivery = delivery_code.get();
        view.with(|v| {
            v.as_ref()
                .map(|v| v.totals_for(&v.cart, Some(&delivery), Some(&to)))
        })
    });
    let delivery_options = move || {
        let chosen = delivery_code.get();
        numbers.with(|n| {
            n.as_ref().map(|(_, quotes)| {
                quotes
                    .iter()
                    .map(|q| {
                        let code = q.code.clone();
                        let price = quote_price(i18n, money, q);
                        let date = format_day(q.earliest, lang(i18n), false);
                        view! {
                            <label class="delivery-option" data-testid=format!("checkout-delivery-{}", q.code)>
                                <input type="radio" name="delivery" prop:checked={chosen == q.code}
                                    on:change=move |_| form.update(|f| f.delivery = code.clone()) />
                                <span class="delivery-name">{q.name.clone()}</span>
                                <span class="delivery-price">{price}</span>
                                <span class="delivery-date">{t!(i18n, cart_delivery_from, date)}</span>
                            </label>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let address = move || {
        match kind.get() {
        Some(DeliveryKind::PickupPoint) => {
            let method = delivery_code.get();
            view! { <PickupPoints form method point_city /> }.into_any()
        }
        Some(kind) => view! {
            <SavedAddresses form />
            {text_field("city", t_string!(i18n, checkout_city).to_string(), "text", "address-level2", |f| f.city.clone(), |f, s| f.city = s)}
            {text_field("address", t_string!(i18n, checkout_address).to_string(), "text", "street-address", |f| f.address.clone(), |f, s| f.address = s)}
            {text_field(
                "postcode",
                if kind == DeliveryKind::Post {
                    t_string!(i18n, checkout_postcode).to_string()
                } else {
                    t_string!(i18n, checkout_postcode_optional).to_string()
                },
                "text",
                "postal-code",
                |f| f.postcode.clone(),
                |f, s| f.postcode = s,
            )}
        }
        .into_any(),
        None => ().into_any(),
    }
    };
    // Try-on at the door, where the chosen courier offers it (CHK-2).
    let try_on = move || {
        let offered = numbers.with(|n| {
            n.as_ref().is_some_and(|(_, quotes)| {
                quotes
                    .iter()
                    .any(|q| q.code == delivery_code.get() && q.try_on)
            })
        });
        offered.then(|| {
            view! {
                <label class="checkbox" for="checkout-try-on">
                    <input id="checkout-try-on" type="checkbox" data-testid="checkout-try-on"
                        prop:checked=move || form.with(|f| f.try_on)
                        on:change=move |ev| form.update(|f| f.try_on = event_target_checked(&ev)) />
                    {t!(i18n, checkout_try_on)}
                </label>
            }
        })
    };
    let payments = move || {
        let chosen = form.with(|f| f.payment.clone());
        PaymentMethod::ALL
            .into_iter()
            .map(|m| {
                view! {
                    <label class="instalment-option" data-testid=format!("checkout-payment-{}", m.as_str())>
                        <input type="radio" name="payment" prop:checked={chosen == m.as_str()}
                            on:change=move |_| form.update(|f| f.payment = m.as_str().to_string()) />
                        {m.label(lang(i18n))}
                    </label>
                }
            })
            .collect_view()
    };
    // A company paying by transfer: who gets the invoice (CHK-3).
    let invoice_chosen =
        Memo::new(move |_| form.with(|f| f.payment == PaymentMethod::BankInvoice.as_str()));
    let company = move || {
        invoice_chosen.get().then(|| view! {
            <p class="hint">{t!(i18n, checkout_invoice_hint)}</p>
            {text_field("company", t_string!(i18n, checkout_company).to_string(), "text", "organization", |f| f.company.clone(), |f, s| f.company = s)}
            {text_field("inn", t_string!(i18n, checkout_inn).to_string(), "text", "off", |f| f.inn.clone(), |f, s| f.inn = s)}
            {text_field("kpp", t_string!(i18n, checkout_kpp).to_string(), "text", "off", |f| f.kpp.clone(), |f, s| f.kpp = s)}
        })
    };
    // Credit: the plans the bank offers for this total, with the monthly payment.
    let credit_chosen =
        Memo::new(move |_| form.with(|f| f.payment == PaymentMethod::Credit.as_str()));
    let plans = move || {
        if !credit_chosen.get() {
            return None;
        }
        let total = numbers.with(|n| n.as_ref().map(|(totals, _)| totals.total))?;
        let chosen = choices.with(|c| c.instalment_months);
        let options = crate::domain::pricing::instalment_plans()
            .into_iter()
            .filter(|p| total >= p.min_total)
            .map(|p| {
                let months = p.months;
                let monthly = crate::domain::pricing::monthly_payment(total, p.markup_percent, months)
                    .unwrap_or_default();
                let pick = move |_| {
                    choices.update(|c| c.instalment_months = Some(months));
                    #[cfg(feature = "hydrate")]
                    crate::domain::cart::browser::save_choices(&choices.get_untracked());
                };
                view! {
                    <label class="instalment-option" data-testid=format!("checkout-plan-{months}")>
                        <input type="radio" name="plan" prop:checked={chosen == Some(months)} on:change=pick />
                        {months}" "{t!(i18n, checkout_months)}" × "{money(monthly)}
                    </label>
                }
            })
            .collect_view();
        Some(view! { <div class="credit-plans" data-testid="checkout-plans">{options}</div> })
    };
    let instalments = move || {
        choices.with(|c| c.instalment_months).map(|months| {
            view! { <p class="hint" data-testid="checkout-instalments">{t!(i18n, checkout_instalments_note, months)}</p> }
        })
    };
    let summary = move || {
        let totals = numbers.get().map(|(totals, _)| totals)?;
        view.with(|v| {
            v.as_ref().map(|v| {
                let lines = v
                    .lines
                    .iter()
                    .zip(&totals.line_totals)
                    .map(|(l, (_, total))| {
                        let total = *total;
                        view! { <li>{l.name.clone()}" × "{l.quantity}<span class="mini-cart-sum">{money(total)}</span></li> }
                    })
                    .collect_view();
                let discounts = v
                    .totals
                    .discounts
                    .iter()
                    .filter(|d| !d.amount.is_zero())
                    .map(|d| view! { <dt>{d.name.clone()}</dt><dd class="discount">"−"{money(d.amount)}</dd> })
                    .collect_view();
                let delivery = totals.delivery.map(|d| {
                    let price = if d.is_zero() { t_string!(i18n, cart_free).to_string() } else { money(d) };
                    view! { <dt>{t!(i18n, cart_delivery)}</dt><dd data-testid="checkout-delivery-price">{price}</dd> }
                });
                let total = totals.total;
                view! {
                    <ul class="mini-cart-lines" data-testid="checkout-lines">{lines}</ul>
                    <dl class="cart-totals">
                        <dt>{t!(i18n, cart_subtotal)}</dt><dd>{money(totals.subtotal)}</dd>
                        {discounts}
                        {delivery}
                        <dt class="grand">{t!(i18n, cart_total)}</dt>
                        <dd class="grand" data-testid="checkout-total">{money(total)}</dd>
                    </dl>
                }
            })
        })
    };
    view! {
        <form class="checkout-layout" novalidate on:submit=submit>
            <div class="checkout-main form">
                <fieldset>
                    <legend>{t!(i18n, checkout_contacts)}</legend>
                    {text_field("name", t_string!(i18n, checkout_name).to_string(), "text", "name", |f| f.name.clone(), |f, s| f.name = s)}
                    {text_field("phone", t_string!(i18n, callback_phone).to_string(), "tel", "tel", |f| f.phone.clone(), set_phone)}
                    {text_field("email", t_string!(i18n, checkout_email).to_string(), "email", "email", |f| f.email.clone(), |f, s| f.email = s)}
                </fieldset>
                <fieldset class="delivery-options" data-testid="checkout-delivery">
                    <legend>{t!(i18n, cart_delivery)}</legend>
                    {delivery_options}
                    {problem("delivery")}
                    {try_on}
                    {address}
                    {problem("pickup_point")}
                </fieldset>
                <fieldset class="instalments">
                    <legend>{t!(i18n, checkout_payment)}</legend>
                    {payments}
                    {plans}
                    {problem("payment")}
                    {company}
                    {instalments}
                </fieldset>
                <label for="checkout-comment">{t!(i18n, checkout_comment)}</label>
                <textarea id="checkout-comment" rows="3" data-testid="checkout-comment"
                    prop:value=move || form.with(|f| f.comment.clone())
                    on:input=move |ev| form.update(|f| f.comment = event_target_value(&ev))></textarea>
                {problem("comment")}
            </div>
            <aside class="cart-side checkout-summary">
                {summary}
                <p class="field-error" role="alert" data-testid="checkout-message">
                    {move || message.get()}
                    {move || failure.get().map(|e| error_text(i18n, &e))}
                </p>
                <div class="cart-checkout-bar">
                    <button type="submit" class="button primary checkout-button" data-testid="checkout-place"
                        disabled=move || place.pending().get()>
                        {t!(i18n, checkout_place)}
                    </button>
                </div>
            </aside>
        </form>
    }
}

/// A full page load of another address (the payment provider's page).
pub(crate) fn go_to(url: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
}

/// A signed-in customer's earlier addresses: one tap fills the fields.
#[component]
fn SavedAddresses(form: RwSignal<CheckoutForm>) -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let saved = Resource::new(move || reload.get(), |_| my_addresses());
    let forget = Action::new(|id: &i64| forget_address(*id));
    Effect::new(move |_| {
        if let Some(Ok(())) = forget.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let list = move || {
        Suspend::new(async move {
            let addresses = saved.await.unwrap_or_default();
            (!addresses.is_empty()).then(|| {
                let items = addresses
                    .into_iter()
                    .map(|a| {
                        let id = a.id;
                        let text = [a.postcode.as_str(), a.city.as_str(), a.address.as_str()]
                            .into_iter()
                            .filter(|p| !p.is_empty())
                            .collect::<Vec<_>>()
                            .join(", ");
                        let use_it = move |_| {
                            form.update(|f| {
                                f.city = a.city.clone();
                                f.address = a.address.clone();
                                f.postcode = a.postcode.clone();
                            })
                        };
                        view! {
                            <li data-testid="saved-address">
                                <button type="button" class="button" data-testid="saved-address-use" on:click=use_it>{text}</button>
                                <button type="button" class="link-button" data-testid="saved-address-forget"
                                    aria-label=move || t_string!(i18n, checkout_forget_address)
                                    on:click=move |_| { forget.dispatch(id); }>"×"</button>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <p class="hint">{t!(i18n, checkout_saved_addresses)}</p>
                    <ul class="saved-addresses">{items}</ul>
                }
            })
        })
    };
    view! { <Transition>{list}</Transition> }
}

/// The pickup points of the chosen method, searchable by city, name or address.
#[component]
fn PickupPoints(
    form: RwSignal<CheckoutForm>,
    method: String,
    point_city: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let points = Resource::new(move || method.clone(), load_pickup_points);
    let search = RwSignal::new(String::new());
    let list = move || {
        Suspend::new(async move {
            let points = points.await.unwrap_or_default();
            let chosen = form.with(|f| f.pickup_point);
            // A point kept from before a reload prices the delivery too.
            if let Some(point) = points.iter().find(|p| Some(p.id) == chosen) {
                if point_city.get_untracked() != point.city {
                    point_city.set(point.city.clone());
                }
            }
            let needle = search.get().to_lowercase();
            points
                .into_iter()
                .filter(|p| {
                    needle.is_empty()
                        || format!("{} {} {}", p.city, p.name, p.address)
                            .to_lowercase()
                            .contains(&needle)
                })
                .map(|p| {
                    let id = p.id;
                    let city = p.city.clone();
                    view! {
                        <label class="delivery-option pickup-point" data-testid="pickup-point">
                            <input type="radio" name="pickup_point" prop:checked={chosen == Some(id)}
                                on:change=move |_| {
                                    point_city.set(city.clone());
                                    form.update(|f| f.pickup_point = Some(id));
                                } />
                            <span class="delivery-name">{p.name}</span>
                            <span class="delivery-date">{p.city}", "{p.address}" · "{p.hours}</span>
                        </label>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <label for="pickup-search">{t!(i18n, checkout_pickup_search)}</label>
        <input id="pickup-search" type="search" data-testid="pickup-search" prop:value=search
            on:input=move |ev| search.set(event_target_value(&ev)) />
        <div class="pickup-list" role="radiogroup">
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>{list}</Transition>
        </div>
        {move || form.with(|f| f.pickup_point.is_none()).then(|| view! { <p class="hint">{t!(i18n, checkout_pickup_hint)}</p> })}
    }
}
