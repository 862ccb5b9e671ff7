//! The application root: HTML shell, contexts and routes.
use crate::components::frame::{use_cart_count, use_navigation, use_shop_info, Footer, Header};
use crate::components::session::provide_auth;
use crate::i18n::*;
use crate::pages::admin::lazy;
use crate::pages::lazy as shop;
use crate::pages::{admin, catalog, home, info, not_found::NotFound, product, search};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, Lazy, SsrMode,
};

/// The HTML document around the app; server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::MetaTags;
    let css = crate::server::web::stylesheet_href(&options);
    let start_app = crate::server::web::hydration_script(&options);
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=css />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <script type="module">{start_app}</script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider>
            <AppWithI18n />
        </I18nContextProvider>
    }
}

#[component]
fn AppWithI18n() -> impl IntoView {
    let i18n = use_i18n();
    provide_auth();
    // Created here, above the header and the pages, so every part of the page shares one load.
    use_shop_info();
    use_navigation();
    use_cart_count();
    view! {
        <Title formatter=|title: String| if title.is_empty() { "Lavka".to_string() } else { format!("{title} — Lavka") } />
        <Router>
            <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
            <Header />
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("") view=home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug") view=catalog::CategoryRoute ssr=SsrMode::Async />
                    <Route path=path!("p/:slug") view=product::ProductRoute ssr=SsrMode::Async />
                    <Route path=path!("search") view=search::SearchRoute ssr=SsrMode::Async />
                    <Route path=path!("info/:slug") view=info::InfoRoute ssr=SsrMode::Async />
                    <Route path=path!("login") view={Lazy::<shop::ShopLoginRoute>::new()} />
                    <Route path=path!("register") view={Lazy::<shop::ShopRegisterRoute>::new()} />
                    <Route path=path!("account") view={Lazy::<shop::ShopAccountRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("cart") view={Lazy::<shop::ShopCartRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("checkout") view={Lazy::<shop::ShopCheckoutRoute>::new()} />
                    <Route path=path!("order/:token") view={Lazy::<shop::ShopOrderRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("account/orders") view={Lazy::<shop::ShopAccountOrdersRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("account/orders/:number") view={Lazy::<shop::ShopAccountOrderRoute>::new()} ssr=SsrMode::Async />
                    <ParentRoute path=path!("admin") view=admin::AdminLayout ssr=SsrMode::Async>
                        <Route path=path!("") view={Lazy::<lazy::DashboardRoute>::new()} />
                        <Route path=path!("users") view={Lazy::<lazy::UsersRoute>::new()} />
                        <Route path=path!("audit") view={Lazy::<lazy::AuditRoute>::new()} />
                        <Route path=path!("catalog") view={Lazy::<lazy::CatalogRoute>::new()} />
                        <Route path=path!("pages") view={Lazy::<lazy::InfoPagesRoute>::new()} />
                        <Route path=path!("categories") view={Lazy::<lazy::CategoriesRoute>::new()} />
                        <Route path=path!("promotions") view={Lazy::<lazy::PromotionsRoute>::new()} />
                        <Route path=path!("callbacks") view={Lazy::<lazy::CallbacksRoute>::new()} />
                        <Route path=path!("notifications") view={Lazy::<lazy::NotificationsRoute>::new()} />
                        <Route path=path!("delivery") view={Lazy::<lazy::DeliveryRoute>::new()} />
                        <Route path=path!("orders") view={Lazy::<lazy::OrdersRoute>::new()} />
                        <Route path=path!("orders/:number") view={Lazy::<lazy::OrderRoute>::new()} />
                        <Route path=path!("orders/:number/edit") view={Lazy::<lazy::OrderEditRoute>::new()} />
                        <Route path=path!("phone-order") view={Lazy::<lazy::PhoneOrderRoute>::new()} />
                        <Route path=path!("returns") view={Lazy::<lazy::ReturnsRoute>::new()} />
                        <Route path=path!("customers") view={Lazy::<lazy::CustomersRoute>::new()} />
                        <Route path=path!("customers/:id") view={Lazy::<lazy::CustomerRoute>::new()} />
                        <Route path=path!("warehouse") view={Lazy::<lazy::WarehouseRoute>::new()} />
                        <Route path=path!("warehouse/pack/:number") view={Lazy::<lazy::PackRoute>::new()} />
                        <Route path=path!("catalog/new") view={Lazy::<lazy::ProductEditRoute>::new()} />
                        <Route path=path!("catalog/import/:id") view={Lazy::<lazy::ImportReportRoute>::new()} />
                        <Route path=path!("catalog/:id") view={Lazy::<lazy::ProductEditRoute>::new()} />
                    </ParentRoute>
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
