//! One module per page or page group; routes are declared in `crate::app`.

/// `Route => Page`: a lazily loaded route showing the page component
/// (issue 7). Built with `cargo leptos build --split`, the page's code is a
/// separate WASM chunk that the browser fetches the first time the page is
/// opened, so a shopper landing on the catalog downloads none of it. On the
/// server the route renders as any other.
macro_rules! lazy_pages {
    ($($route:ident => $page:ident),* $(,)?) => {
        $(
            pub struct $route;

            #[leptos_router::lazy_route]
            impl leptos_router::LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(_this: Self) -> leptos::prelude::AnyView {
                    use leptos::prelude::*;
                    view! { <$page /> }.into_any()
                }
            }
        )*
    };
}

pub mod account;
pub mod admin;
pub mod auth;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod home;
pub mod info;
pub mod lazy;
pub mod not_found;
pub mod orders;
pub mod product;
pub mod search;
