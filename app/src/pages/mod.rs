//! One module per page or page group; routes are declared in `crate::app`.
pub mod account;
pub mod admin;
pub mod auth;
pub mod cart;
pub mod home;
pub mod not_found;
