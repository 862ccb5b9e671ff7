//! The customer's account page: profile, password change, logout.
use crate::api::auth::{ChangePassword, Logout};
use crate::components::errors::{error_for, FieldError};
use crate::components::seo::PageTitle;
use crate::components::session::use_auth;
use crate::domain::accounts::{role_allows, Permission};
use crate::i18n::*;
use crate::pages::auth::PasswordInput;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::components::Redirect;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let logout = ServerAction::<Logout>::new();
    let cart_count = crate::components::frame::use_cart_count();
    let change = ServerAction::<ChangePassword>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            // The cart stays with the account; this browser's copy is emptied.
            #[cfg(feature = "hydrate")]
            crate::domain::cart::browser::forget_account_cart();
            cart_count.set(0);
            auth.refresh();
        }
    });
    let result = change.value();
    let err =
        move |field: Option<&'static str>| Signal::derive(move || error_for(&result.get(), field));
    let changed = move || matches!(result.get(), Some(Ok(())));
    let body = move || {
        Suspend::new(async move {
            let user = match auth.user.await {
                Ok(Some(user)) => user,
                _ => return view! { <Redirect path="/login?next=/account" /> }.into_any(),
            };
            let admin = role_allows(user.role, Permission::AdminArea).then(|| {
                view! { <p><a class="button" href="/admin">{t!(i18n, nav_admin)}</a></p> }
            });
            let phone = user.phone.clone().unwrap_or_else(|| "—".into());
            view! {
                <h1>{t!(i18n, account_title)}</h1>
                <dl class="profile" data-testid="profile">
                    <dt>{t!(i18n, field_email)}</dt><dd data-testid="profile-email">{user.email.clone()}</dd>
                    <dt>{t!(i18n, field_name)}</dt><dd>{user.name.clone()}</dd>
                    <dt>{t!(i18n, field_phone)}</dt><dd>{phone}</dd>
                </dl>
                {admin}
                <p><a class="button" href="/account/orders" data-testid="my-orders">{t!(i18n, orders_title)}</a></p>
                <h2>{t!(i18n, change_password_title)}</h2>
                <ActionForm action=change attr:class="form" attr:novalidate=true>
                    <FieldError error=err(None) />
                    <label for="current-password">{t!(i18n, field_current_password)}</label>
                    <PasswordInput id="current-password" name="current_password" autocomplete="current-password" />
                    <FieldError error=err(Some("current_password")) />
                    <label for="new-password">{t!(i18n, field_new_password)}</label>
                    <PasswordInput id="new-password" name="new_password" autocomplete="new-password" described_by="new-password-hint" />
                    <p class="hint" id="new-password-hint">{t!(i18n, password_hint)}</p>
                    <FieldError error=err(Some("password")) />
                    <button type="submit" class="button">{t!(i18n, change_password_submit)}</button>
                    <Show when=changed><p class="notice" role="status">{t!(i18n, password_changed)}</p></Show>
                </ActionForm>
                <ActionForm action=logout attr:class="logout-form">
                    <button type="submit" class="button" data-testid="logout">{t!(i18n, logout)}</button>
                </ActionForm>
            }
            .into_any()
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, account_title).to_string() />
        <Meta name="robots" content="noindex" />
        <section class="page narrow">
            <Suspense>{body}</Suspense>
        </section>
    }
}
