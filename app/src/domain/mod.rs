//! Pure business rules, compiled for both the browser and the server.
//! Nothing here touches the network, the database or the DOM, so every rule is
//! unit-tested without a browser or a server.
pub mod accounts;
pub mod callbacks;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod customers;
pub mod delivery;
pub mod money;
pub mod notifications;
pub mod order_edits;
pub mod orders;
pub mod payments;
pub mod pricing;
pub mod promotions;
pub mod return_requests;
pub mod returns;
pub mod tracking;
pub mod warehouse;
