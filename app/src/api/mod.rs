//! Server functions: the only door from the browser to the server. Each one is
//! thin: authenticate, authorise by role, validate, call a service in
//! `crate::server`, map errors to [`AppError`].
pub mod admin;
pub mod admin_catalog;
pub mod admin_orders;
pub mod auth;
pub mod callbacks;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod customers;
pub mod delivery;
pub mod error;
pub mod notifications;
pub mod order_edits;
pub mod phone_orders;
pub mod promotions;
pub mod return_requests;
pub mod shop;
pub mod warehouse;

pub use error::AppError;
