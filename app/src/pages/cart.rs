//! The cart page (CART-1 … CART-8). The lines live in the browser's
//! localStorage (or the account, once signed in); the server prices them from
//! the catalog and the promotions as they are now, and its numbers and
//! corrections are what is stored back. While it answers, the page re-totals
//! a changed quantity or delivery at once with the same pricing code.
use crate::api::callbacks::request_callback;
use crate::api::cart::{
    price_cart, suggest_for_cart, CartLineView, CartNoticeView, CartSuggestion, CartView,
};
use crate::api::catalog::load_home;
use crate::api::AppError;
use crate::components::catalog::{
    use_currency, AvailabilityNote, Picture, ProductCardView, ProductGrid,
};
use crate::components::errors::error_text;
use crate::components::frame::{lang, use_store_cart};
use crate::components::seo::PageTitle;
use crate::domain::callbacks::CallbackProblem;
use crate::domain::cart::{CartChoices, CartNotice, StoredCart, StoredCartLine, MAX_LINE_QUANTITY};
use crate::domain::delivery::{DeliveryQuote, Unavailable};
use crate::domain::money::{format_day, format_money};
use crate::domain::pricing::{instalment_plans, monthly_payment, Totals};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Meta;
use rust_decimal::Decimal;

/// The page's state, shared by its parts.
#[derive(Clone, Copy)]
struct CartState {
    cart: RwSignal<StoredCart>,
    choices: RwSignal<CartChoices>,
    /// The server's last answer.
    view: RwSignal<Option<CartView>>,
    /// Bumped on every server answer, so lines re-render with its data.
    version: RwSignal<u64>,
    store: Callback<StoredCart>,
}

impl CartState {
    fn set_cart(&self, cart: StoredCart) {
        self.cart.set(cart.clone());
        self.store.run(cart);
    }

    fn change_choices(&self, change: impl FnOnce(&mut CartChoices)) {
        self.choices.update(change);
        #[cfg(feature = "hydrate")]
        crate::domain::cart::browser::save_choices(&self.choices.get_untracked());
    }

    /// The numbers to show now: the server's, re-totalled for what changed since.
    fn totals(&self) -> Option<(Totals, Vec<DeliveryQuote>)> {
        let delivery = self.choices.with(|c| c.delivery.clone());
        self.view.with(|v| {
            v.as_ref().map(|v| {
                self.cart
                    .with(|c| v.totals_for(c, delivery.as_deref(), v.destination.as_ref()))
            })
        })
    }
}

#[component]
pub fn CartPage() -> impl IntoView {
    let i18n = use_i18n();
    let store_cart = use_store_cart();
    let state = CartState {
        cart: RwSignal::new(StoredCart::default()),
        choices: RwSignal::new(CartChoices::default()),
        view: RwSignal::new(None),
        version: RwSignal::new(0),
        store: Callback::new(store_cart),
    };
    let cart = state.cart;
    // The server cannot see localStorage: until the browser has read it, the
    // page shows neither lines nor "empty".
    let loaded = RwSignal::new(false);
    // A signed-in customer sees the account's cart; a visitor this browser's.
    #[cfg(feature = "hydrate")]
    {
        let auth = crate::components::session::use_auth();
        let choices = state.choices;
        Effect::new(move |_| {
            choices.set(crate::domain::cart::browser::load_choices());
            match auth.user.get() {
                Some(Ok(Some(_))) => {
                    leptos::task::spawn_local(async move {
                        cart.set(crate::components::frame::sync_account_cart().await);
                        loaded.set(true);
                    });
                }
                Some(_) => {
                    cart.set(crate::domain::cart::browser::load());
                    loaded.set(true);
                }
                None => {}
            }
        });
    }
    let priced = Resource::new(
        move || (loaded.get(), cart.get(), state.choices.get(), lang(i18n)),
        |(loaded, cart, choices, lang)| async move {
            if loaded && !cart.lines.is_empty() {
                Some((cart.clone(), price_cart(cart, choices, lang).await))
            } else {
                None
            }
        },
    );
    // The server's corrections (stock, removed products, prices) become the
    // stored cart; what was corrected stays on screen even if the cart empties.
    let notices = RwSignal::new(Vec::<CartNoticeView>::new());
    let failure = RwSignal::new(None::<AppError>);
    Effect::new(move |_| match priced.get() {
        // An answer for a cart changed since it was asked (a second click
        // while the first was priced) would undo that change: the answer for
        // the newer cart is on its way.
        Some(Some((asked, _))) if asked != cart.get_untracked() => {}
        Some(Some((_, Ok(view)))) => {
            failure.set(None);
            if !view.notices.is_empty() {
                notices.set(view.notices.clone());
            }
            if view.cart != cart.get_untracked() {
                state.set_cart(view.cart.clone());
            }
            state.view.set(Some(view));
            state.version.update(|v| *v += 1);
        }
        Some(Some((_, Err(e)))) => failure.set(Some(e)),
        _ => {}
    });
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

    // The last removed line, for undo: (position, line, product name).
    let removed = RwSignal::new(None::<(usize, StoredCartLine, String)>);
    let change = move |variant_id: i64, quantity: u32| {
        if quantity == 0 {
            let position =
                cart.with_untracked(|c| c.lines.iter().position(|l| l.variant_id == variant_id));
            if let Some(position) = position {
                let line = cart.with_untracked(|c| c.lines[position].clone());
                let name = state
                    .view
                    .with_untracked(|v| {
                        v.as_ref()?
                            .lines
                            .iter()
                            .find(|l| l.variant_id == variant_id)
                            .map(|l| l.name.clone())
                    })
                    .unwrap_or_default();
                removed.set(Some((position, line, name)));
            }
        }
        let mut next = cart.get_untracked();
        next.set_quantity(variant_id, quantity);
        state.set_cart(next);
    };
    let undo = move |_| {
        if let Some((position, line, _)) = removed.get_untracked() {
            let mut next = cart.get_untracked();
            next.restore(position, line);
            state.set_cart(next);
            removed.set(None);
        }
    };

    // Memos: the page's parts re-render only when these change, not on every
    // quantity or server answer (which would reset what is being typed).
    let empty = Memo::new(move |_| cart.with(|c| c.lines.is_empty()));
    let priced_once = Memo::new(move |_| state.view.with(Option::is_some));
    let body = move || {
        if !loaded.get() {
            return view! { <div class="cart-pending"><p class="loading">"…"</p></div> }.into_any();
        }
        if empty.get() {
            return view! {
                <div class="empty-state" data-testid="cart-empty">
                    <p>{t!(i18n, cart_empty)}</p>
                    <a class="button" href="/">{t!(i18n, cart_continue)}</a>
                </div>
            }
            .into_any();
        }
        if !priced_once.get() {
            return match failure.get() {
                Some(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                    .into_any(),
                None => view! { <p class="loading">"…"</p> }.into_any(),
            };
        }
        view! { <CartContents state change /> }.into_any()
    };
    view! {
        <PageTitle text=move || t_string!(i18n, cart_title).to_string() />
        <Meta name="robots" content="noindex" />
        <Meta name="description" content=move || t_string!(i18n, cart_meta_description).to_string() />
        <section class="page cart-page">
            <h1>{t!(i18n, cart_title)}</h1>
            {move || removed.get().map(|(_, _, name)| view! {
                <p class="cart-undo" role="status" data-testid="cart-undo">
                    {t!(i18n, cart_removed, name)}" "
                    <button type="button" class="link-button" data-testid="cart-undo-button" on:click=undo>{t!(i18n, cart_undo)}</button>
                </p>
            })}
            <ul class="cart-notices" aria-live="polite" data-testid="cart-notices">
                {move || notices.get().into_iter().map(|n| view! { <li><Notice notice=n /></li> }).collect_view()}
            </ul>
            {body}
            // Server-rendered while the cart is not yet read, so the page's
            // largest paint does not wait for the WASM (issue 7); gone once
            // the browser finds lines. The pending box and the empty-state
            // box are one height, so nothing below them moves.
            <Show when=move || !loaded.get() || empty.get()>
                <PopularDeals />
            </Show>
            // After the deals: it appears only in the browser, below what
            // the server already drew.
            <Show when=move || loaded.get() && empty.get()>
                <Suggestions state />
            </Show>
        </section>
    }
}

/// Formats an amount in the shop's currency and the shopper's language.
fn use_money() -> impl Fn(Decimal) -> String + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    let currency = use_currency();
    move |amount| format_money(amount, currency.get(), lang(i18n))
}

/// A delivery quote's price as shown: free, "from" until the address is
/// known, or why the method cannot take this parcel.
pub fn quote_price(
    i18n: leptos_i18n::I18nContext<Locale>,
    money: impl Fn(Decimal) -> String,
    quote: &DeliveryQuote,
) -> String {
    match quote.unavailable {
        Some(Unavailable::NotToThisAddress) => t_string!(i18n, delivery_not_here).to_string(),
        Some(Unavailable::TooHeavy) => t_string!(i18n, delivery_too_heavy).to_string(),
        None if quote.price.is_zero() => t_string!(i18n, cart_free).to_string(),
        None if quote.price_from => {
            format!(
                "{} {}",
                t_string!(i18n, delivery_price_from),
                money(quote.price)
            )
        }
        None => money(quote.price),
    }
}

#[component]
fn CartContents(
    state: CartState,
    change: impl Fn(i64, u32) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let money = use_money();
    let lines = move || {
        state.version.get();
        let lines = state
            .view
            .with_untracked(|v| v.as_ref().map(|v| v.lines.clone()).unwrap_or_default());
        lines
            .into_iter()
            .filter(|l| state.cart.with(|c| c.quantity_of(l.variant_id) > 0))
            .map(|line| view! { <Line line state change /> })
            .collect_view()
    };
    let count = move || state.cart.with(StoredCart::item_count);
    let total = move || {
        state
            .totals()
            .map(|(t, _)| money(t.total))
            .unwrap_or_default()
    };
    view! {
        <p data-testid="cart-summary">{t!(i18n, cart_items_label, count)}</p>
        <div class="cart-layout">
            <div class="cart-main">
                <ul class="cart-lines">{lines}</ul>
                <Suggestions state />
            </div>
            <aside class="cart-side">
                <div class="cart-checkout-bar" data-testid="cart-checkout-bar">
                    <p class="cart-checkout-total">
                        <span>{t!(i18n, cart_total)}</span>" "
                        <strong data-testid="cart-bar-total">{total}</strong>
                    </p>
                    <a class="button primary checkout-button" href="/checkout" data-testid="cart-checkout">
                        {t!(i18n, cart_checkout)}
                    </a>
                </div>
                <TotalsBlock state />
                <PromoCode state />
                <DeliveryOptions state />
                <Instalments state />
                <CallMeBack state />
            </aside>
        </div>
    }
}

#[component]
fn TotalsBlock(state: CartState) -> impl IntoView {
    let i18n = use_i18n();
    let money = use_money();
    let savings = move || {
        state.view.with(|v| {
            let v = v.as_ref()?;
            let saved: Decimal = v
                .lines
                .iter()
                .filter_map(|l| {
                    let old = l.old_price?;
                    let quantity = state.cart.with(|c| c.quantity_of(l.variant_id));
                    Some((old - l.unit_price).max(Decimal::ZERO) * Decimal::from(quantity))
                })
                .sum();
            (saved > Decimal::ZERO).then(|| {
                view! {
                    <dt>{t!(i18n, cart_savings)}</dt>
                    <dd data-testid="cart-savings">{money(saved)}</dd>
                }
            })
        })
    };
    let rows = move || {
        state.totals().map(|(totals, _)| {
            let discounts = totals
                .discounts
                .iter()
                .filter(|d| d.amount > Decimal::ZERO || d.free_delivery)
                .map(|d| {
                    let amount = if d.free_delivery && d.amount.is_zero() {
                        t_string!(i18n, cart_free_delivery).to_string()
                    } else {
                        format!("−{}", money(d.amount))
                    };
                    view! {
                        <dt class="discount-name">{d.name.clone()}</dt>
                        <dd class="discount" data-testid="cart-discount">{amount}</dd>
                    }
                })
                .collect_view();
            let delivery = match totals.delivery {
                Some(price) if price.is_zero() => t_string!(i18n, cart_free).to_string(),
                Some(price) => money(price),
                None => t_string!(i18n, cart_delivery_not_chosen).to_string(),
            };
            view! {
                <dt>{t!(i18n, cart_subtotal)}</dt>
                <dd data-testid="cart-subtotal">{money(totals.subtotal)}</dd>
                {discounts}
                <dt>{t!(i18n, cart_delivery)}</dt>
                <dd data-testid="cart-delivery">{delivery}</dd>
                <dt class="grand">{t!(i18n, cart_total)}</dt>
                <dd class="grand" data-testid="cart-total">{money(totals.total)}</dd>
            }
        })
    };
    view! { <dl class="cart-totals">{savings}{rows}</dl> }
}

#[component]
fn PromoCode(state: CartState) -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let draft = RwSignal::new(
        state
            .choices
            .with_untracked(|c| c.promo_code.clone().unwrap_or_default()),
    );
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = draft.get_untracked().trim().to_string();
        state.change_choices(|c| c.promo_code = (!code.is_empty()).then_some(code));
    };
    let clear = move |_| {
        draft.set(String::new());
        state.change_choices(|c| c.promo_code = None);
    };
    let status = move || {
        state.view.with(|v| {
            let promo = v.as_ref()?.promo.clone()?;
            Some(match promo.problem {
                Some(problem) => view! {
                    <p class="field-error" role="alert" data-testid="promo-message">
                        {problem.message(lang(i18n), currency.get())}
                    </p>
                }
                .into_any(),
                None => {
                    let code = promo.code;
                    let name = promo.name.unwrap_or_default();
                    view! {
                        <p class="notice promo-applied" role="status" data-testid="promo-message">
                            {t!(i18n, cart_promo_applied, code, name)}" "
                            <button type="button" class="link-button" data-testid="promo-remove" on:click=clear>
                                {t!(i18n, cart_promo_remove)}
                            </button>
                        </p>
                    }
                    .into_any()
                }
            })
        })
    };
    view! {
        <form class="promo-form" on:submit=apply>
            <label for="promo-code">{t!(i18n, cart_promo_label)}</label>
            <div class="inline-field">
                <input id="promo-code" type="text" autocomplete="off" autocapitalize="characters"
                    data-testid="promo-code" prop:value=draft
                    on:input=move |ev| draft.set(event_target_value(&ev)) />
                <button type="submit" class="button" data-testid="promo-apply">{t!(i18n, cart_promo_apply)}</button>
            </div>
            {status}
        </form>
    }
}

#[component]
fn DeliveryOptions(state: CartState) -> impl IntoView {
    let i18n = use_i18n();
    let money = use_money();
    let options = move || {
        let chosen = state.choices.with(|c| c.delivery.clone());
        state.totals().map(|(_, quotes)| {
            quotes
                .into_iter()
                .map(|q| {
                    let code = q.code.clone();
                    let checked = chosen.as_deref() == Some(q.code.as_str());
                    let price = quote_price(i18n, money, &q);
                    let date = format_day(q.earliest, lang(i18n), false);
                    let free_in = q.free_in.map(|amount| {
                        let sum = money(amount);
                        view! { <span class="delivery-hint">{t!(i18n, cart_delivery_free_in, sum)}</span> }
                    });
                    view! {
                        <label class="delivery-option" data-testid=format!("delivery-{}", q.code)>
                            <input type="radio" name="delivery" value=q.code.clone() prop:checked=checked
                                on:change=move |_| {
                                    let code = code.clone();
                                    state.change_choices(|c| c.delivery = Some(code));
                                } />
                            <span class="delivery-name">{q.name.clone()}</span>
                            <span class="delivery-price" data-testid="delivery-price">{price}</span>
                            <span class="delivery-date" data-testid="delivery-date">{t!(i18n, cart_delivery_from, date)}</span>
                            {free_in}
                        </label>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <fieldset class="delivery-options" data-testid="delivery-options">
            <legend>{t!(i18n, cart_delivery)}</legend>
            {options}
        </fieldset>
    }
}

/// Paying in parts (CART-6): the monthly payment of each plan for this total;
/// the choice is kept for checkout.
#[component]
fn Instalments(state: CartState) -> impl IntoView {
    let i18n = use_i18n();
    let money = use_money();
    let plans = move || {
        let total = state.totals().map(|(t, _)| t.total).unwrap_or_default();
        let chosen = state.choices.with(|c| c.instalment_months);
        let pay_now = view! {
            <label class="instalment-option">
                <input type="radio" name="instalments" prop:checked=chosen.is_none()
                    on:change=move |_| state.change_choices(|c| c.instalment_months = None) />
                {t!(i18n, cart_pay_at_once)}
            </label>
        };
        let plans = instalment_plans()
            .into_iter()
            .map(|plan| {
                let months = plan.months;
                let monthly = monthly_payment(total, plan.markup_percent, months)
                    .filter(|_| total >= plan.min_total);
                let label = match monthly {
                    Some(m) if plan.markup_percent.is_zero() => {
                        let sum = money(m);
                        t!(i18n, cart_instalments_plan, months, sum).into_any()
                    }
                    Some(m) => {
                        let sum = money(m);
                        let markup = plan.markup_percent.normalize().to_string();
                        t!(i18n, cart_credit_plan, months, sum, markup).into_any()
                    }
                    None => {
                        let sum = money(plan.min_total);
                        t!(i18n, cart_plan_from, months, sum).into_any()
                    }
                };
                view! {
                    <label class="instalment-option" data-testid=format!("instalments-{months}")>
                        <input type="radio" name="instalments" disabled=monthly.is_none()
                            prop:checked={chosen == Some(months)}
                            on:change=move |_| state.change_choices(|c| c.instalment_months = Some(months)) />
                        {label}
                    </label>
                }
            })
            .collect_view();
        view! { {pay_now}{plans} }
    };
    view! {
        <fieldset class="instalments" data-testid="instalments">
            <legend>{t!(i18n, cart_instalments)}</legend>
            {plans}
        </fieldset>
    }
}

/// "Call me back" (CART-6): a name and a phone, queued for the operators
/// with the cart as it is now.
#[component]
fn CallMeBack(state: CartState) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let send = Action::new(move |(name, phone, cart): &(String, String, StoredCart)| {
        request_callback(name.clone(), phone.clone(), cart.clone())
    });
    let problems = move || match send.value().get() {
        Some(Ok(problems)) => problems,
        _ => Vec::new(),
    };
    let done = move || matches!(send.value().get(), Some(Ok(p)) if p.is_empty());
    let problem = move |of_phone: bool| {
        move || {
            problems()
                .into_iter()
                .filter(|p| matches!(p, CallbackProblem::Phone(_)) == of_phone)
                .map(|p| {
                    let text = match p {
                        CallbackProblem::NameRequired => {
                            t_string!(i18n, callback_name_required).to_string()
                        }
                        CallbackProblem::NameTooLong => {
                            t_string!(i18n, callback_name_too_long).to_string()
                        }
                        CallbackProblem::Phone(_) => {
                            t_string!(i18n, callback_phone_invalid).to_string()
                        }
                    };
                    view! { <p class="field-error" role="alert">{text}</p> }
                })
                .collect_view()
        }
    };
    let error = move || {
        send.value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.dispatch((
            name.get_untracked(),
            phone.get_untracked(),
            state.cart.get_untracked(),
        ));
    };
    view! {
        <details class="callback" data-testid="callback">
            <summary>{t!(i18n, callback_title)}</summary>
            <Show when=move || !done() fallback=move || view! {
                <p class="notice" role="status" data-testid="callback-done">{t!(i18n, callback_done)}</p>
            }>
                <form class="form" on:submit=submit>
                    <p class="hint">{t!(i18n, callback_hint)}</p>
                    <label for="callback-name">{t!(i18n, callback_name)}</label>
                    <input id="callback-name" type="text" autocomplete="name" data-testid="callback-name"
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                    {problem(false)}
                    <label for="callback-phone">{t!(i18n, callback_phone)}</label>
                    <input id="callback-phone" type="tel" inputmode="tel" autocomplete="tel"
                        placeholder="+7 900 123-45-67" data-testid="callback-phone"
                        prop:value=phone on:input=move |ev| phone.set(event_target_value(&ev)) />
                    {problem(true)}
                    {error}
                    <button type="submit" class="button" data-testid="callback-send"
                        disabled=move || send.pending().get()>{t!(i18n, callback_send)}</button>
                </form>
            </Show>
        </details>
    }
}

/// Related products for a full cart, recently viewed ones for an empty cart
/// (CART-2, CART-5); a single-variant product is added with one tap.
#[component]
fn Suggestions(state: CartState) -> impl IntoView {
    let i18n = use_i18n();
    let empty = state.cart.with_untracked(|c| c.lines.is_empty());
    let in_cart = move || {
        state.version.get();
        state.view.with_untracked(|v| {
            let mut ids: Vec<i64> = v
                .as_ref()
                .map(|v| v.lines.iter().map(|l| l.product_id).collect())
                .unwrap_or_default();
            ids.dedup();
            ids
        })
    };
    let suggestions = Resource::new(
        move || (in_cart(), lang(i18n)),
        move |(in_cart, lang)| async move {
            #[cfg(feature = "hydrate")]
            let recent = if empty {
                crate::domain::cart::browser::recently_viewed()
            } else {
                Vec::new()
            };
            #[cfg(not(feature = "hydrate"))]
            let recent = Vec::new();
            suggest_for_cart(in_cart, recent, lang).await
        },
    );
    let add = move |variant_id: i64, price: Decimal| {
        let mut next = state.cart.get_untracked();
        next.add_line(StoredCartLine {
            variant_id,
            quantity: 1,
            seen_price: Some(price),
        });
        state.set_cart(next);
    };
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let found = suggestions.await.ok()?;
                let (list, title, testid) = if empty {
                    (found.recent, t_string!(i18n, cart_recently_viewed).to_string(), "cart-recent")
                } else {
                    (found.related, t_string!(i18n, cart_related).to_string(), "cart-related")
                };
                (!list.is_empty()).then(|| view! {
                    <section class="shelf" data-testid=testid>
                        <h2>{title}</h2>
                        <div class="grid">
                            {list.into_iter().map(|s| view! { <SuggestionCard suggestion=s add /> }).collect_view()}
                        </div>
                    </section>
                })
            })}
        </Transition>
    }
}

#[component]
fn SuggestionCard(
    suggestion: CartSuggestion,
    add: impl Fn(i64, Decimal) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/p/{}", suggestion.card.slug);
    let price = suggestion.card.price;
    let action = match suggestion.quick_add {
        Some(variant_id) => view! {
            <button type="button" class="button" data-testid="suggestion-add"
                on:click=move |_| add(variant_id, price)>{t!(i18n, product_add_to_cart)}</button>
        }
        .into_any(),
        None => {
            view! { <a class="button" href=href>{t!(i18n, cart_choose_variant)}</a> }.into_any()
        }
    };
    view! {
        <div class="suggestion">
            <ProductCardView card=suggestion.card />
            {action}
        </div>
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
                            // Under the cart box on every screen: the first row is the page's largest paint.
                            <ProductGrid cards eager=4 />
                        </section>
                    }
                })
            })}
        </Transition>
    }
}

#[component]
pub(crate) fn Notice(notice: CartNoticeView) -> impl IntoView {
    let i18n = use_i18n();
    let money = use_money();
    let name = notice.name.unwrap_or_default();
    match notice.notice {
        CartNotice::Dropped { .. } => t!(i18n, cart_notice_dropped).into_any(),
        CartNotice::SoldOut { .. } => t!(i18n, cart_notice_sold_out, name).into_any(),
        CartNotice::Reduced { to, .. } => t!(i18n, cart_notice_reduced, name, to).into_any(),
        CartNotice::PriceChanged { from, to, .. } => {
            let (from, to) = (money(from), money(to));
            view! {
                <span data-testid="cart-price-changed">{t!(i18n, cart_notice_price_changed, name, from, to)}</span>
            }
            .into_any()
        }
    }
}

#[component]
fn Line(
    line: CartLineView,
    state: CartState,
    change: impl Fn(i64, u32) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let money = use_money();
    let id = line.variant_id;
    let quantity = move || state.cart.with(|c| c.quantity_of(id));
    let most = line
        .max_quantity
        .unwrap_or(MAX_LINE_QUANTITY)
        .min(MAX_LINE_QUANTITY);
    let href = format!("/p/{}", line.product_slug);
    let photo = line.photo.map(|p| {
        view! { <Picture photo=p sizes="(max-width: 600px) 30vw, 160px" class="cart-photo" /> }
    });
    let (unit, old) = (line.unit_price, line.old_price);
    let on_input = move |ev: leptos::ev::Event| {
        if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
            change(id, n.clamp(1, most));
        }
    };
    // Colour or size changed in place (CART-2): the line becomes the other variant.
    let variant_choice = (!line.variants.is_empty()).then(|| {
        let choices = line
            .variants
            .iter()
            .map(|v| {
                let label = if v.available {
                    v.label.clone()
                } else {
                    format!("{} — {}", v.label, t_string!(i18n, cart_variant_sold_out))
                };
                view! {
                    <option value=v.variant_id.to_string() selected={v.variant_id == id}
                        disabled={!v.available && v.variant_id != id}>{label}</option>
                }
            })
            .collect_view();
        view! {
            <select class="cart-variant" data-testid="cart-variant"
                aria-label=move || t_string!(i18n, cart_variant)
                on:change=move |ev| {
                    if let Ok(to) = event_target_value(&ev).parse::<i64>() {
                        let mut next = state.cart.get_untracked();
                        next.replace_variant(id, to);
                        state.set_cart(next);
                    }
                }>
                {choices}
            </select>
        }
    });
    let options = variant_choice
        .is_none()
        .then(|| view! { <p class="cart-line-options">{line.options.clone()}</p> });
    view! {
        <li class="cart-line" data-testid="cart-line">
            <a href=href.clone() class="cart-photo-link" tabindex="-1">{photo}</a>
            <div class="cart-line-info">
                <a href=href class="cart-line-name" data-testid="cart-line-name">{line.name}</a>
                {options}
                {variant_choice}
                <AvailabilityNote availability=line.availability />
                <p class="cart-line-unit">
                    {move || money(unit)}
                    {old.map(|o| view! { " " <s>{move || money(o)}</s> })}
                </p>
            </div>
            <div class="stepper" role="group" aria-label=move || t_string!(i18n, cart_quantity)>
                <button type="button" aria-label=move || t_string!(i18n, cart_less) data-testid="cart-less"
                    disabled={move || quantity() <= 1} on:click=move |_| change(id, quantity().saturating_sub(1).max(1))>"−"</button>
                <input type="number" inputmode="numeric" min="1" max=most.to_string()
                    prop:value=move || quantity().to_string() data-testid="cart-quantity"
                    aria-label=move || t_string!(i18n, cart_quantity) on:change=on_input />
                <button type="button" aria-label=move || t_string!(i18n, cart_more) data-testid="cart-more"
                    disabled={move || quantity() >= most} on:click=move |_| change(id, (quantity() + 1).min(most))>"+"</button>
            </div>
            <p class="cart-line-total" data-testid="cart-line-total">
                {move || money(unit * Decimal::from(quantity()))}
            </p>
            <button type="button" class="link-button" data-testid="cart-remove" on:click=move |_| change(id, 0)>
                {t!(i18n, cart_remove)}
            </button>
        </li>
    }
}
