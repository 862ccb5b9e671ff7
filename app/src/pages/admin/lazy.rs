//! Every admin screen is a lazily loaded route (issue 7): built with
//! `cargo leptos build --split`, its code is a separate WASM chunk that the
//! browser fetches the first time staff open the screen, so the bundle a
//! shopper downloads holds no admin code. On the server the routes render
//! as before.
use super::*;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// `Route => Page`: a lazy route showing the page component.
macro_rules! lazy_pages {
    ($($route:ident => $page:ident),* $(,)?) => {
        $(
            pub struct $route;

            #[lazy_route]
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(_this: Self) -> AnyView {
                    view! { <$page /> }.into_any()
                }
            }
        )*
    };
}

lazy_pages! {
    DashboardRoute => DashboardPage,
    UsersRoute => UsersPage,
    AuditRoute => AuditPage,
    CatalogRoute => CatalogPage,
    InfoPagesRoute => InfoPagesPage,
    CategoriesRoute => CategoriesPage,
    PromotionsRoute => PromotionsPage,
    CallbacksRoute => CallbacksPage,
    NotificationsRoute => NotificationsPage,
    DeliveryRoute => DeliveryPage,
    OrdersRoute => OrdersPage,
    OrderRoute => OrderPage,
    OrderEditRoute => OrderEditPage,
    PhoneOrderRoute => PhoneOrderPage,
    ReturnsRoute => ReturnsPage,
    CustomersRoute => CustomersPage,
    CustomerRoute => CustomerPage,
    WarehouseRoute => WarehousePage,
    PackRoute => PackPage,
    ProductEditRoute => ProductEditPage,
    ImportReportRoute => ImportReportPage,
}
