//! sea-orm entities, one module per table (server only).
pub mod audit_log;
pub mod login_attempts;
pub mod sessions;
pub mod settings;
pub mod users;
