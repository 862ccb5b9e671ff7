//! The callback queue (ORD-4, CART-6): who asked to be called, with what in
//! the cart; the operator records "called" or "no answer" with a note.
use crate::api::callbacks::{admin_callback_update, admin_callbacks, CallbackRow};
use crate::components::catalog::use_currency;
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::domain::callbacks::CallbackStatus;
use crate::domain::money::format_money;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn CallbacksPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::HandleCallbacks>
            <Callbacks />
        </super::RequirePermission>
    }
}

#[component]
fn Callbacks() -> impl IntoView {
    let i18n = use_i18n();
    let all = RwSignal::new(false);
    let reload = RwSignal::new(0u32);
    let queue = Resource::new(
        move || (all.get(), reload.get()),
        |(all, _)| admin_callbacks(all),
    );
    let body = move || {
        Suspend::new(async move {
            match queue.await {
                Ok(rows) if rows.is_empty() => {
                    view! { <p data-testid="callbacks-empty">{t!(i18n, callbacks_empty)}</p> }.into_any()
                }
                Ok(rows) => view! {
                    <ul class="callback-list">
                        {rows.into_iter().map(|row| view! { <CallbackItem row reload /> }).collect_view()}
                    </ul>
                }
                .into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                    .into_any(),
            }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, admin_callbacks).to_string() />
        <h1>{t!(i18n, admin_callbacks)}</h1>
        <label class="checkbox">
            <input type="checkbox" data-testid="callbacks-all" prop:checked=all
                on:change=move |ev| all.set(event_target_checked(&ev)) />
            {t!(i18n, callbacks_show_all)}
        </label>
        <Transition>{body}</Transition>
    }
}

fn status_text(i18n: leptos_i18n::I18nContext<Locale>, status: CallbackStatus) -> String {
    match status {
        CallbackStatus::New => t_string!(i18n, callbacks_status_new).to_string(),
        CallbackStatus::Called => t_string!(i18n, callbacks_status_called).to_string(),
        CallbackStatus::NoAnswer => t_string!(i18n, callbacks_status_no_answer).to_string(),
    }
}

#[component]
fn CallbackItem(row: CallbackRow, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let id = row.id;
    let note = RwSignal::new(row.note.clone());
    let save = Action::new(move |(status, note): &(CallbackStatus, String)| {
        admin_callback_update(id, status.as_str().to_string(), note.clone())
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let total = row.total;
    let items = row
        .items
        .into_iter()
        .map(|item| {
            let price = item.unit_price;
            view! {
                <li>{item.name}{(!item.options.is_empty()).then(|| format!(" ({})", item.options))}
                    " × "{item.quantity}" · "{move || format_money(price, currency.get(), lang(i18n))}</li>
            }
        })
        .collect_view();
    let handled = row.handled_by.map(|by| {
        let at = row.handled_at.unwrap_or_default();
        view! { <p class="hint">{t!(i18n, callbacks_handled, by, at)}</p> }
    });
    let order = row.order_number.map(|number| {
        let href = format!("/admin/orders/{number}");
        view! { <p>{t!(i18n, callbacks_order)}": "<a href=href data-testid="callback-order">{number}</a></p> }
    });
    let take_order = format!("/admin/phone-order?callback={id}");
    let note_id = format!("callback-note-{id}");
    let phone_href = format!("tel:{}", row.phone);
    let status = status_text(i18n, row.status);
    let error = move || {
        save.value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })
    };
    let mark = move |status: CallbackStatus| {
        move |_| {
            save.dispatch((status, note.get_untracked()));
        }
    };
    view! {
        <li class="callback-request" data-testid="callback-request">
            <p class="callback-head">
                <strong data-testid="callback-request-name">{row.name}</strong>" · "
                <a href=phone_href data-testid="callback-request-phone">{row.phone}</a>" · "
                <span>{row.created_at}</span>" · "
                <span data-testid="callback-request-status">{status}</span>
            </p>
            <ul class="callback-items">{items}</ul>
            <p>{t!(i18n, cart_total)}": "{move || format_money(total, currency.get(), lang(i18n))}</p>
            {handled}
            {order}
            <label for=note_id.clone()>{t!(i18n, callbacks_note)}</label>
            <textarea id=note_id rows="2" data-testid="callback-note" prop:value=note
                on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            {error}
            <div class="button-row">
                <a class="button primary" href=take_order data-testid="callback-take-order">{t!(i18n, phone_order_take)}</a>
                <button type="button" class="button" data-testid="callback-called"
                    disabled=move || save.pending().get() on:click=mark(CallbackStatus::Called)>
                    {t!(i18n, callbacks_mark_called)}
                </button>
                <button type="button" class="button" data-testid="callback-no-answer"
                    disabled=move || save.pending().get() on:click=mark(CallbackStatus::NoAnswer)>
                    {t!(i18n, callbacks_mark_no_answer)}
                </button>
            </div>
        </li>
    }
}
