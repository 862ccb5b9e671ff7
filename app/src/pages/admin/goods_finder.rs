//! Finding goods to add to an order by name, SKU or barcode: the phone
//! order (ORD-4) and the order editor (ORD-6) share it. `testid` prefixes
//! every test id (`<testid>-find-product`, `<testid>-add`, …).
use crate::api::phone_orders::{admin_phone_products, VariantPick};
use crate::components::catalog::use_currency;
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::domain::money::{format_money, Lang};
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn GoodsFinder(
    /// The section's heading.
    title: String,
    testid: &'static str,
    /// Called with the variant the operator chose.
    on_add: Callback<VariantPick>,
) -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let search = RwSignal::new(String::new());
    let find =
        Action::new(|(query, lang): &(String, Lang)| admin_phone_products(query.clone(), *lang));
    let id = move |suffix: &str| format!("{testid}-{suffix}");
    let matches = move || {
        find.value().get().map(|answer| match answer {
            Ok(found) if found.is_empty() => {
                view! { <p data-testid=id("no-products")>{t!(i18n, search_nothing)}</p> }.into_any()
            }
            Ok(found) => found
                .into_iter()
                .map(|v| {
                    let can_order = v.in_stock > 0 || v.backorder;
                    let price = format_money(v.price, currency.get_untracked(), lang(i18n));
                    let chosen = v.clone();
                    view! {
                        <li data-testid=id("product")>
                            {v.sku}" · "{v.name}" "<small>{v.options}</small>" · "{price}
                            " · "{t!(i18n, phone_order_in_stock)}": "{v.in_stock}
                            " "<button type="button" class="button" data-testid=id("add")
                                disabled=!can_order
                                on:click=move |_| on_add.run(chosen.clone())>
                                {t!(i18n, phone_order_add)}
                            </button>
                        </li>
                    }
                })
                .collect_view()
                .into_any(),
            Err(e) => {
                view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }.into_any()
            }
        })
    };
    let heading = id("goods-title");
    let labelled_by = heading.clone();
    let input = id("find-product");
    view! {
        <section aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            <form class="form inline" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                find.dispatch((search.get_untracked(), lang(i18n)));
            }>
                <label for=input.clone()>{t!(i18n, phone_order_find_product)}</label>
                <input id=input.clone() type="search" data-testid=input
                    prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
                <button type="submit" class="button" data-testid=id("find-product-go")>{t!(i18n, phone_order_find)}</button>
            </form>
            <ul data-testid=id("products")>{matches}</ul>
        </section>
    }
}
