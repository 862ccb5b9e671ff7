//! Server-only code: database entities, services and request helpers.
//! Compiled only with the `ssr` feature, so none of it (nor sea-orm) reaches
//! the WASM bundle.
pub mod accounts;
pub mod admin;
pub mod callbacks;
pub mod cart;
pub mod catalog;
pub mod catalog_admin;
pub mod catalog_csv;
pub mod delivery;
pub mod entities;
pub mod media;
pub mod notifications;
pub mod orders;
pub mod payments;
pub mod promotions;
pub mod reservations;
pub mod security;
pub mod settings;
pub mod state;
pub mod storefront;
pub mod web;

pub use state::{AppState, Config, NotifyConfig};
