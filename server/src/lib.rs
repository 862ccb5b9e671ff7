//! The Lavka server: configuration, database set-up, the HTTP stack around the
//! Leptos app, and the command-line tasks. `main.rs` only parses the CLI.
#![recursion_limit = "512"]
pub mod config;
pub mod db;
pub mod demo;
pub mod demo_catalog;
pub mod demo_orders;
pub mod documents;
pub mod drawing;
pub mod http;
pub mod notifier;
pub mod page_cache;
pub mod pick_lists;
pub mod refunds;
pub mod return_form;
pub mod sandbox_bank;
pub mod seo;
pub mod staff;
pub mod uploads;
pub mod warehouse_docs;
