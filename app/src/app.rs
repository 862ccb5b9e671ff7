//! The application root: HTML shell, contexts and routes.
use crate::components::frame::{use_cart_count, use_navigation, use_shop_info, Footer, Header};
use crate::components::session::provide_auth;
use crate::i18n::*;
use crate::pages::{
    account, admin, auth, cart, catalog, checkout, home, info, not_found::NotFound, orders,
    product, search,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app; server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::MetaTags;
    let css = crate::server::web::stylesheet_href(&options);
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=css />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <HydrationScripts options />
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
                    <Route path=path!("login") view=auth::LoginPage />
                    <Route path=path!("register") view=auth::RegisterPage />
                    <Route path=path!("account") view=account::AccountPage ssr=SsrMode::Async />
                    <Route path=path!("cart") view=cart::CartPage />
                    <Route path=path!("checkout") view=checkout::CheckoutPage />
                    <Route path=path!("order/:token") view=orders::OrderPage ssr=SsrMode::Async />
                    <Route path=path!("account/orders") view=orders::AccountOrdersPage ssr=SsrMode::Async />
                    <Route path=path!("account/orders/:number") view=orders::AccountOrderPage ssr=SsrMode::Async />
                    <ParentRoute path=path!("admin") view=admin::AdminLayout ssr=SsrMode::Async>
                        <Route path=path!("") view=admin::DashboardPage />
                        <Route path=path!("users") view=admin::UsersPage />
                        <Route path=path!("audit") view=admin::AuditPage />
                        <Route path=path!("catalog") view=admin::CatalogPage />
                        <Route path=path!("pages") view=admin::InfoPagesPage />
                        <Route path=path!("categories") view=admin::CategoriesPage />
                        <Route path=path!("promotions") view=admin::PromotionsPage />
                        <Route path=path!("callbacks") view=admin::CallbacksPage />
                        <Route path=path!("notifications") view=admin::NotificationsPage />
                        <Route path=path!("delivery") view=admin::DeliveryPage />
                        <Route path=path!("orders") view=admin::OrdersPage />
                        <Route path=path!("orders/:number") view=admin::OrderPage />
                        <Route path=path!("orders/:number/edit") view=admin::OrderEditPage />
                        <Route path=path!("phone-order") view=admin::PhoneOrderPage />
                        <Route path=path!("returns") view=admin::ReturnsPage />
                        <Route path=path!("customers") view=admin::CustomersPage />
                        <Route path=path!("customers/:id") view=admin::CustomerPage />
                        <Route path=path!("warehouse") view=admin::WarehousePage />
                        <Route path=path!("warehouse/pack/:number") view=admin::PackPage />
                        <Route path=path!("catalog/new") view=admin::ProductEditPage />
                        <Route path=path!("catalog/import/:id") view=admin::ImportReportPage />
                        <Route path=path!("catalog/:id") view=admin::ProductEditPage />
                    </ParentRoute>
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
