//! The /admin shell: staff only (anonymous → login, customer → 403), a side
//! menu that later areas extend, and the pages every shop needs from day one.
mod audit;
mod callbacks;
mod catalog;
mod categories;
mod customers;
mod dashboard;
mod delivery;
mod goods_finder;
mod info_pages;
pub mod lazy;
mod notifications;
mod order_edit;
mod orders;
mod phone_order;
mod promotions;
mod returns;
mod users;
mod warehouse;

pub use audit::AuditPage;
pub use callbacks::CallbacksPage;
pub use catalog::{CatalogPage, ImportReportPage, ProductEditPage};
pub use categories::CategoriesPage;
pub use customers::{CustomerPage, CustomersPage};
pub use dashboard::DashboardPage;
pub use delivery::DeliveryPage;
pub use info_pages::InfoPagesPage;
pub use notifications::NotificationsPage;
pub use order_edit::OrderEditPage;
pub use orders::{OrderPage, OrdersPage};
pub use phone_order::PhoneOrderPage;
pub use promotions::PromotionsPage;
pub use returns::ReturnsPage;
pub use users::UsersPage;
pub use warehouse::{PackPage, WarehousePage};

use crate::api::auth::UserView;
use crate::components::session::use_auth;
use crate::domain::accounts::{role_allows, Permission};
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_location;

/// The signed-in staff member, for pages inside the admin shell.
pub fn use_staff() -> UserView {
    expect_context::<UserView>()
}

#[component]
pub fn AdminLayout() -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let i18n = use_i18n();
    let shell = move || {
        Suspend::new(async move {
            match auth.user.await {
                Ok(Some(user)) if role_allows(user.role, Permission::AdminArea) => {
                    let can_manage = role_allows(user.role, Permission::ManageUsers);
                    let can_catalog = role_allows(user.role, Permission::ManageCatalog);
                    let can_promote = role_allows(user.role, Permission::ManagePromotions);
                    let can_call = role_allows(user.role, Permission::HandleCallbacks);
                    let can_notify = role_allows(user.role, Permission::ManageNotifications);
                    let can_deliver = role_allows(user.role, Permission::ManageDelivery);
                    let can_order = role_allows(user.role, Permission::HandleOrders);
                    let can_store = role_allows(user.role, Permission::RunWarehouse);
                    let can_crm = role_allows(user.role, Permission::HandleCustomers);
                    let role = user.role;
                    provide_context(user);
                    view! {
                        <div class="admin">
                            <nav class="admin-menu" aria-label=move || t_string!(i18n, admin_menu_label)>
                                <p class="admin-role">{t!(i18n, admin_role)}": "{role.as_str()}</p>
                                <ul>
                                    <li><A href="/admin" exact=true>{t!(i18n, admin_dashboard)}</A></li>
                                    <Show when=move || can_order>
                                        <li><A href="/admin/orders">{t!(i18n, admin_orders)}</A></li>
                                        <li><A href="/admin/returns">{t!(i18n, admin_returns)}</A></li>
                                    </Show>
                                    <Show when=move || can_crm>
                                        <li><A href="/admin/customers">{t!(i18n, admin_customers)}</A></li>
                                    </Show>
                                    <Show when=move || can_store>
                                        <li><A href="/admin/warehouse">{t!(i18n, admin_warehouse)}</A></li>
                                    </Show>
                                    <Show when=move || can_catalog>
                                        <li><A href="/admin/catalog">{t!(i18n, admin_catalog)}</A></li>
                                        <li><A href="/admin/categories">{t!(i18n, admin_categories)}</A></li>
                                        <li><A href="/admin/pages">{t!(i18n, admin_pages)}</A></li>
                                    </Show>
                                    <Show when=move || can_promote>
                                        <li><A href="/admin/promotions">{t!(i18n, admin_promotions)}</A></li>
                                    </Show>
                                    <Show when=move || can_call>
                                        <li><A href="/admin/callbacks">{t!(i18n, admin_callbacks)}</A></li>
                                    </Show>
                                    <Show when=move || can_deliver>
                                        <li><A href="/admin/delivery">{t!(i18n, admin_delivery)}</A></li>
                                    </Show>
                                    <Show when=move || can_notify>
                                        <li><A href="/admin/notifications">{t!(i18n, admin_notifications)}</A></li>
                                    </Show>
                                    <Show when=move || can_manage>
                                        <li><A href="/admin/users">{t!(i18n, admin_users)}</A></li>
                                        <li><A href="/admin/audit">{t!(i18n, admin_audit)}</A></li>
                                    </Show>
                                </ul>
                            </nav>
                            <div class="admin-content"><Outlet /></div>
                        </div>
                    }
                    .into_any()
                }
                Ok(Some(_)) => view! { <Forbidden /> }.into_any(),
                _ => {
                    let next = location.pathname.get_untracked();
                    view! { <Redirect path=format!("/login?next={next}") /> }.into_any()
                }
            }
        })
    };
    view! {
        <Meta name="robots" content="noindex, nofollow" />
        <Suspense>{shell}</Suspense>
    }
}

/// Renders `children` only when the staff member's role allows `permission`.
#[component]
pub fn RequirePermission(permission: Permission, children: ChildrenFn) -> impl IntoView {
    let staff = use_staff();
    move || {
        if role_allows(staff.role, permission) {
            children().into_any()
        } else {
            view! { <Forbidden /> }.into_any()
        }
    }
}
