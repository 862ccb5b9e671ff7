//! Error messages in the shopper's language, and the inline error element.
use crate::api::AppError;
use crate::domain::accounts::{EmailProblem, PasswordProblem, PhoneProblem};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The message for `err`, in the current language.
pub fn error_text(i18n: I18nContext<Locale>, err: &AppError) -> AnyView {
    let text = match err {
        AppError::Email(EmailProblem::Empty) => t_string!(i18n, err_email_empty).to_string(),
        AppError::Email(EmailProblem::Malformed) => {
            t_string!(i18n, err_email_malformed).to_string()
        }
        AppError::Password(PasswordProblem::TooShort) => {
            t_string!(i18n, err_password_short).to_string()
        }
        AppError::Password(PasswordProblem::TooLong) => {
            t_string!(i18n, err_password_long).to_string()
        }
        AppError::Password(PasswordProblem::TooCommon) => {
            t_string!(i18n, err_password_common).to_string()
        }
        AppError::Password(PasswordProblem::ContainsEmail) => {
            t_string!(i18n, err_password_email).to_string()
        }
        AppError::Phone(PhoneProblem::Malformed) => t_string!(i18n, err_phone).to_string(),
        AppError::NameTooLong => t_string!(i18n, err_name_long).to_string(),
        AppError::EmailTaken => t_string!(i18n, err_email_taken).to_string(),
        AppError::BadCredentials => t_string!(i18n, err_bad_credentials).to_string(),
        AppError::TooManyAttempts { minutes } => {
            let minutes = *minutes;
            return t!(i18n, err_too_many_attempts, minutes).into_any();
        }
        AppError::WrongCurrentPassword => t_string!(i18n, err_wrong_current_password).to_string(),
        AppError::NotLoggedIn => t_string!(i18n, err_not_logged_in).to_string(),
        AppError::Forbidden => t_string!(i18n, err_forbidden).to_string(),
        AppError::NotFound => t_string!(i18n, err_not_found).to_string(),
        AppError::UnknownRole => t_string!(i18n, err_unknown_role).to_string(),
        AppError::OwnRole => t_string!(i18n, err_own_role).to_string(),
        AppError::LastAdmin => t_string!(i18n, err_last_admin).to_string(),
        AppError::UnknownOption => t_string!(i18n, err_unknown_option).to_string(),
        AppError::StaleCheckout => t_string!(i18n, err_stale_checkout).to_string(),
        AppError::NothingToPay => t_string!(i18n, err_nothing_to_pay).to_string(),
        AppError::Stock(problem) => problem.message(crate::components::frame::lang(i18n)),
        AppError::Internal => t_string!(i18n, err_internal).to_string(),
        AppError::Transport(_) => t_string!(i18n, err_transport).to_string(),
    };
    text.into_any()
}

/// The error of `result` if it belongs to `field` (or, with `field = None`, to no field).
pub fn error_for<T>(result: &Option<Result<T, AppError>>, field: Option<&str>) -> Option<AppError> {
    match result {
        Some(Err(e)) if e.field() == field => Some(e.clone()),
        _ => None,
    }
}

/// An error shown next to a form field (or above the form), announced to screen readers.
#[component]
pub fn FieldError(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|e| {
            view! { <p class="field-error" role="alert" id=id>{error_text(i18n, &e)}</p> }
        })
    }
}
