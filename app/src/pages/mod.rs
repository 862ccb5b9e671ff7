//! One module per page or page group; routes are declared in `crate::app`.

/// `group { Route => Page, ... }`: lazily loaded routes showing the page
/// components (issue 7). Built with `cargo leptos build --split`, the code of
/// all pages of a group is one WASM module that the browser fetches the first
/// time one of them is opened, so a shopper landing on the catalog downloads
/// none of it. On the server the routes render as any other.
///
/// One module per group, not per page: `wasm-split` puts code that several
/// modules share into a chunk per set of sharers, and with a module per page
/// the cart needed 141 chunks (shared with every admin screen), each one a
/// request and an instantiation before the page could hydrate.
macro_rules! lazy_pages {
    ($group:ident { $($route:ident => $page:ident),* $(,)? }) => {
        $(
            pub struct $route;

            paste::paste! {
                #[allow(non_snake_case)]
                #[leptos::lazy($group)]
                fn [<__ $route _view>](_this: $route) -> leptos::prelude::AnyView {
                    use leptos::prelude::*;
                    view! { <$page /> }.into_any()
                }

                impl leptos_router::LazyRoute for $route {
                    fn data() -> Self {
                        $route
                    }

                    async fn view(this: Self) -> leptos::prelude::AnyView {
                        [<__ $route _view>](this).await
                    }

                    // Lets the router fetch the module while it loads the page's data.
                    async fn preload() {
                        #[cfg(target_arch = "wasm32")]
                        [<__preload___ $route _view>]().await;
                    }
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
