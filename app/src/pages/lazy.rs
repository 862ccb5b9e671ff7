//! The storefront pages a visitor reaches after the catalog (cart, checkout,
//! sign-in, account, orders) are lazy routes (`lazy_pages!`): a visitor who
//! lands on the home page, a category or a product downloads none of their
//! code until opening one of them. They are one WASM module, `split_shop_…`,
//! apart from the admin screens' `split_admin_…`: a test can tell them apart.
use super::account::AccountPage;
use super::auth::{LoginPage, RegisterPage};
use super::cart::CartPage;
use super::checkout::CheckoutPage;
use super::orders::{AccountOrderPage, AccountOrdersPage, OrderPage};

lazy_pages! {
    shop {
        ShopLoginRoute => LoginPage,
        ShopRegisterRoute => RegisterPage,
        ShopAccountRoute => AccountPage,
        ShopCartRoute => CartPage,
        ShopCheckoutRoute => CheckoutPage,
        ShopOrderRoute => OrderPage,
        ShopAccountOrdersRoute => AccountOrdersPage,
        ShopAccountOrderRoute => AccountOrderPage,
    }
}
