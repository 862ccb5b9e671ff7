//! The cart page (CART-1). The cart issue builds the full page; here it reads
//! the localStorage cart and shows its state.
use crate::domain::cart::StoredCart;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn CartPage() -> impl IntoView {
    let i18n = use_i18n();
    let cart = RwSignal::new(StoredCart::default());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| cart.set(crate::domain::cart::browser::load()));
    view! {
        <Title text=move || t_string!(i18n, cart_title).to_string() />
        <Meta name="robots" content="noindex" />
        <section class="page">
            <h1>{t!(i18n, cart_title)}</h1>
            {move || {
                let c = cart.get();
                if c.lines.is_empty() {
                    view! {
                        <div class="empty-state" data-testid="cart-empty">
                            <p>{t!(i18n, cart_empty)}</p>
                            <a class="button" href="/">{t!(i18n, cart_continue)}</a>
                        </div>
                    }
                    .into_any()
                } else {
                    let count = c.item_count();
                    view! {
                        <p data-testid="cart-summary">{t!(i18n, cart_items_label, count)}</p>
                        <ul class="cart-lines">
                            {c.lines.into_iter().map(|l| {
                                let (variant, quantity) = (l.variant_id, l.quantity);
                                view! { <li>{t!(i18n, cart_line, variant, quantity)}</li> }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
