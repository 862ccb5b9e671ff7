//! Staff management: list users, create staff, change roles (admin only).
use crate::api::admin::{list_users, ChangeUserRole, CreateStaffUser};
use crate::api::auth::UserView;
use crate::components::errors::{error_for, error_text, FieldError};
use crate::components::seo::PageTitle;
use crate::domain::accounts::{Permission, Role};
use crate::i18n::*;
use crate::pages::auth::PasswordInput;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::ManageUsers>
            <Users />
        </super::RequirePermission>
    }
}

fn role_label(i18n: I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Customer => t_string!(i18n, role_customer),
        Role::Operator => t_string!(i18n, role_operator),
        Role::Warehouse => t_string!(i18n, role_warehouse),
        Role::Manager => t_string!(i18n, role_manager),
        Role::Admin => t_string!(i18n, role_admin),
    }
}

#[component]
fn Users() -> impl IntoView {
    let i18n = use_i18n();
    let me = super::use_staff();
    let staff_only = RwSignal::new(true);
    let query = RwSignal::new(String::new());
    let create = ServerAction::<CreateStaffUser>::new();
    let change_role = ServerAction::<ChangeUserRole>::new();
    let users = Resource::new(
        move || {
            (
                staff_only.get(),
                query.get(),
                create.version().get(),
                change_role.version().get(),
            )
        },
        |(staff, q, _, _)| list_users(staff, q),
    );
    let created = create.value();
    let err =
        move |field: Option<&'static str>| Signal::derive(move || error_for(&created.get(), field));
    let created_ok = move || {
        created.get().and_then(|r| r.ok()).map(|u: UserView| {
            let email = u.email;
            view! { <p class="notice" role="status" data-testid="staff-created">{t!(i18n, staff_created, email)}</p> }
        })
    };
    let role_error = move || {
        change_role.value().get().and_then(|r| r.err()).map(|e| {
            view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
        })
    };
    let row = move |u: UserView| {
        let user_id = u.id;
        let is_me = u.id == me.id;
        let current = u.role;
        let select_id = format!("role-{}", u.id);
        view! {
            <tr data-testid="user-row">
                <td>{u.email.clone()}</td>
                <td>{u.name.clone()}</td>
                <td>
                    <label class="visually-hidden" for=select_id.clone()>{t!(i18n, users_role_of)}" "{u.email.clone()}</label>
                    <select
                        id=select_id
                        disabled=is_me
                        on:change=move |ev| {
                            change_role.dispatch(ChangeUserRole { user_id, role: event_target_value(&ev) });
                        }
                    >
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == current>{role_label(i18n, r)}</option>
                        }).collect_view()}
                    </select>
                </td>
            </tr>
        }
    };
    view! {
        <PageTitle text=move || t_string!(i18n, admin_users).to_string() />
        <h1>{t!(i18n, admin_users)}</h1>
        <div class="filters">
            <label for="user-search">{t!(i18n, users_search)}</label>
            <input id="user-search" type="search" on:input=move |ev| query.set(event_target_value(&ev)) prop:value=query />
            <label class="checkbox">
                <input type="checkbox" prop:checked=staff_only on:change=move |ev| staff_only.set(event_target_checked(&ev)) />
                {t!(i18n, users_staff_only)}
            </label>
        </div>
        {role_error}
        <Transition>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, users_none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap">
                            <table class="data" data-testid="users-table">
                                <thead><tr>
                                    <th scope="col">{t!(i18n, field_email)}</th>
                                    <th scope="col">{t!(i18n, field_name)}</th>
                                    <th scope="col">{t!(i18n, users_role)}</th>
                                </tr></thead>
                                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                }
            })}
        </Transition>

        <h2>{t!(i18n, staff_create_title)}</h2>
        <ActionForm action=create attr:class="form" attr:novalidate=true>
            <FieldError error=err(None) />
            <label for="staff-email">{t!(i18n, field_email)}</label>
            <input id="staff-email" name="email" type="email" autocomplete="off" required />
            <FieldError error=err(Some("email")) />
            <label for="staff-name">{t!(i18n, field_name)}</label>
            <input id="staff-name" name="name" type="text" maxlength="120" />
            <FieldError error=err(Some("name")) />
            <label for="staff-role">{t!(i18n, users_role)}</label>
            <select id="staff-role" name="role">
                {Role::STAFF.into_iter().map(|r| view! { <option value=r.as_str()>{role_label(i18n, r)}</option> }).collect_view()}
            </select>
            <label for="staff-password">{t!(i18n, staff_password)}</label>
            <PasswordInput id="staff-password" name="password" autocomplete="new-password" described_by="staff-password-hint" />
            <p class="hint" id="staff-password-hint">{t!(i18n, password_hint)}</p>
            <FieldError error=err(Some("password")) />
            <button type="submit" class="button primary" disabled=move || create.pending().get()>{t!(i18n, staff_create_submit)}</button>
            {created_ok}
        </ActionForm>
    }
}
