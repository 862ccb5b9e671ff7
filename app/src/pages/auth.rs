//! Log in and register.
use crate::api::auth::{Login, Register};
use crate::components::errors::{error_for, FieldError};
use crate::components::seo::PageTitle;
use crate::components::session::use_auth;
use crate::i18n::*;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

/// A password input with a show/hide button (works once the page is hydrated).
#[component]
pub fn PasswordInput(
    id: &'static str,
    name: &'static str,
    autocomplete: &'static str,
    #[prop(optional)] described_by: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let visible = RwSignal::new(false);
    view! {
        <div class="password-field">
            <input
                id=id
                name=name
                type=move || if visible.get() { "text" } else { "password" }
                autocomplete=autocomplete
                required
                aria-describedby=described_by
            />
            <button
                type="button"
                class="link-button"
                aria-controls=id
                aria-pressed=move || visible.get().to_string()
                on:click=move |_| visible.update(|v| *v = !*v)
            >
                {move || if visible.get() { t_string!(i18n, hide_password) } else { t_string!(i18n, show_password) }}
            </button>
        </div>
    }
}

/// This browser's cart, sent with login and registration so that it joins
/// the account's cart (CART-1). Empty before hydration: then nothing joins.
#[component]
fn BrowserCartField() -> impl IntoView {
    let value = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let cart = crate::domain::cart::browser::load();
        value.set(serde_json::to_string(&cart).unwrap_or_default());
    });
    view! { <input type="hidden" name="cart" prop:value=move || value.get() /> }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            auth.refresh();
        }
    });
    let result = login.value();
    view! {
        <PageTitle text=move || t_string!(i18n, login_title).to_string() />
        <Meta name="robots" content="noindex" />
        <section class="page narrow">
            <h1>{t!(i18n, login_title)}</h1>
            <ActionForm action=login attr:class="form" attr:novalidate=true>
                <FieldError error=Signal::derive(move || error_for(&result.get(), None)) />
                <input type="hidden" name="next" prop:value=next />
                <BrowserCartField />
                <label for="login-email">{t!(i18n, field_email)}</label>
                <input id="login-email" name="email" type="email" autocomplete="username" required />
                <FieldError error=Signal::derive(move || error_for(&result.get(), Some("email"))) />
                <label for="login-password">{t!(i18n, field_password)}</label>
                <PasswordInput id="login-password" name="password" autocomplete="current-password" />
                <button type="submit" class="button primary" disabled=move || login.pending().get()>
                    {t!(i18n, login_submit)}
                </button>
            </ActionForm>
            <p>{t!(i18n, login_no_account)}" "<a href="/register">{t!(i18n, register_link)}</a></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let register = ServerAction::<Register>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = register.value().get() {
            auth.refresh();
        }
    });
    let result = register.value();
    let err =
        move |field: Option<&'static str>| Signal::derive(move || error_for(&result.get(), field));
    view! {
        <PageTitle text=move || t_string!(i18n, register_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, register_title)}</h1>
            <ActionForm action=register attr:class="form" attr:novalidate=true>
                <BrowserCartField />
                <FieldError error=err(None) />
                <label for="reg-email">{t!(i18n, field_email)}</label>
                <input id="reg-email" name="email" type="email" autocomplete="email" required />
                <FieldError error=err(Some("email")) />
                <label for="reg-password">{t!(i18n, field_password)}</label>
                <PasswordInput id="reg-password" name="password" autocomplete="new-password" described_by="reg-password-hint" />
                <p class="hint" id="reg-password-hint">{t!(i18n, password_hint)}</p>
                <FieldError error=err(Some("password")) />
                <label for="reg-name">{t!(i18n, field_name)}" "<span class="optional">{t!(i18n, optional)}</span></label>
                <input id="reg-name" name="name" type="text" autocomplete="name" maxlength="120" />
                <FieldError error=err(Some("name")) />
                <label for="reg-phone">{t!(i18n, field_phone)}" "<span class="optional">{t!(i18n, optional)}</span></label>
                <input id="reg-phone" name="phone" type="tel" autocomplete="tel" inputmode="tel" placeholder="+7 900 123-45-67" />
                <FieldError error=err(Some("phone")) />
                <button type="submit" class="button primary" disabled=move || register.pending().get()>
                    {t!(i18n, register_submit)}
                </button>
            </ActionForm>
            <p>{t!(i18n, register_have_account)}" "<a href="/login">{t!(i18n, nav_login)}</a></p>
        </section>
    }
}
