//! The one error type of the API layer. Variants carry what the UI needs to
//! tell a shopper or an operator what to do next; internal details stay in the
//! server log.
use crate::domain::accounts::{EmailProblem, PasswordProblem, PhoneProblem};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("e-mail: {0}")]
    Email(EmailProblem),
    #[error("password: {0}")]
    Password(PasswordProblem),
    #[error("phone: {0}")]
    Phone(PhoneProblem),
    #[error("name: at most 120 characters")]
    NameTooLong,
    #[error("an account with this e-mail already exists")]
    EmailTaken,
    #[error("wrong e-mail or password")]
    BadCredentials,
    #[error("too many failed attempts; try again in {minutes} min")]
    TooManyAttempts { minutes: i64 },
    #[error("the current password is wrong")]
    WrongCurrentPassword,
    #[error("log in first")]
    NotLoggedIn,
    #[error("your role does not allow this")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("unknown role")]
    UnknownRole,
    #[error("you cannot change your own role")]
    OwnRole,
    #[error("the shop must keep at least one admin")]
    LastAdmin,
    #[error("this product has no variant with that option")]
    UnknownOption,
    #[error("this checkout page is out of date; reload it and place the order again")]
    StaleCheckout,
    #[error("this order has nothing to pay online")]
    NothingToPay,
    #[error("stock: {0:?}")]
    Stock(crate::domain::warehouse::StockProblem),
    #[error("a server error occurred; nothing was changed, please try again")]
    Internal,
    #[error("the shop could not be reached: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl AppError {
    /// The form field an error belongs to, so the UI can show it next to that field.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            AppError::Email(_) | AppError::EmailTaken => Some("email"),
            AppError::Password(_) => Some("password"),
            AppError::Phone(_) => Some("phone"),
            AppError::NameTooLong => Some("name"),
            AppError::WrongCurrentPassword => Some("current_password"),
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}
