//! Every integration test of the server, in one binary: the release test
//! build links the server once and instantiates the shared generics once,
//! not once per file.
mod accounts;
mod cart;
mod catalog;
mod catalog_admin;
mod catalog_csv;
mod common;
mod customers;
mod http;
mod notifications;
mod order_admin;
mod order_edits;
mod orders;
mod payments;
mod phone_orders;
mod promotions;
mod refunds;
mod return_requests;
mod returns;
mod role_matrix;
mod tracking;
mod warehouse;
