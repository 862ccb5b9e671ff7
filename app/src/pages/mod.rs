//! One module per page or page group; routes are declared in `crate::app`.
pub mod account;
pub mod admin;
pub mod auth;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod home;
pub mod info;
pub mod not_found;
pub mod orders;
pub mod product;
pub mod search;
