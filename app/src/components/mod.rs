//! Reusable UI pieces.
pub mod catalog;
pub mod errors;
pub mod frame;
pub mod seo;
pub mod session;
pub mod status;
pub mod tracking;
