//! sea-orm entities, one module per table (server only).
pub mod audit_log;
pub mod cart_lines;
pub mod categories;
pub mod info_pages;
pub mod login_attempts;
pub mod media;
pub mod photos;
pub mod products;
pub mod related_products;
pub mod sessions;
pub mod settings;
pub mod stock;
pub mod users;
pub mod variants;
pub mod warehouses;
