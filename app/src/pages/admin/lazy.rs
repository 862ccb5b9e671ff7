//! Every admin screen is a lazy route (`lazy_pages!`), all in one WASM
//! module: the bundle a shopper downloads holds no admin code.
use super::*;

lazy_pages! {
    admin {
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
}
