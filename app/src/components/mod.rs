//! Reusable UI pieces.
pub mod errors;
pub mod frame;
pub mod session;
pub mod status;
