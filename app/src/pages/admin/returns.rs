//! Return requests (ORD-7) at `/admin/returns`: what customers asked to
//! send back, with their reasons and photos; staff accept or reject them
//! (a rejection tells the customer why), then receive the goods back on
//! sale or written off, which records the return and its refund.
use crate::api::return_requests::{
    admin_return_decide, admin_returns, DecisionOutcome, StaffReturnRequest,
};
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::domain::money::Lang;
use crate::domain::return_requests::{RequestDecision, RequestStatus};
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ReturnsPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::HandleOrders>
            <Returns />
        </super::RequirePermission>
    }
}

#[component]
fn Returns() -> impl IntoView {
    let i18n = use_i18n();
    let all = RwSignal::new(false);
    let reload = RwSignal::new(0u32);
    // Loaded in the browser: the page is all controls (see the staff order page).
    let queue = LocalResource::new(move || {
        reload.track();
        admin_returns(!all.get(), lang(i18n))
    });
    let body = move || {
        Suspend::new(async move {
            match queue.await {
                Ok(rows) if rows.is_empty() => {
                    view! { <p data-testid="returns-empty">{t!(i18n, returns_empty)}</p> }.into_any()
                }
                Ok(rows) => view! {
                    <ul class="callback-list">
                        {rows.into_iter().map(|row| view! { <ReturnItem row reload /> }).collect_view()}
                    </ul>
                }
                .into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                    .into_any(),
            }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, admin_returns).to_string() />
        <h1>{t!(i18n, admin_returns)}</h1>
        <label class="checkbox">
            <input type="checkbox" data-testid="returns-all" prop:checked=all
                on:change=move |ev| all.set(event_target_checked(&ev)) />
            {t!(i18n, returns_show_all)}
        </label>
        <Transition>{body}</Transition>
    }
}

#[component]
fn ReturnItem(row: StaffReturnRequest, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let request = row.request;
    let id = request.id;
    let reply = RwSignal::new(request.reply.clone());
    let decide = Action::new(
        move |(decision, reply, lang): &(RequestDecision, String, Lang)| {
            admin_return_decide(id, *decision, reply.clone(), *lang)
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(DecisionOutcome::Done)) = decide.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let problem = move || {
        let text = match decide.value().get()? {
            Ok(DecisionOutcome::Done) => return None,
            Ok(DecisionOutcome::Refused(problem)) => problem.message(lang(i18n)).into_any(),
            Ok(DecisionOutcome::OrderRefused(refused)) => refused.message(lang(i18n)).into_any(),
            Err(e) => error_text(i18n, &e),
        };
        Some(view! { <p class="field-error" role="alert" data-testid="return-error">{text}</p> })
    };
    let items = request
        .items
        .into_iter()
        .map(|(name, units)| view! { <li>{name}" × "{units}</li> })
        .collect_view();
    let photos = request
        .photos
        .into_iter()
        .map(|p| view! {
            <a href=p.full target="_blank" rel="noopener" data-testid="return-photo">
                <img src=p.thumb alt=t_string!(i18n, returns_photo) width="120" loading="lazy" />
            </a>
        })
        .collect_view();
    let order_href = format!("/admin/orders/{}", row.order_number);
    let reply_id = format!("return-reply-{id}");
    let open = request.status.open();
    let button = move |decision: RequestDecision, label: String, testid: &'static str| {
        view! {
            <button type="button" class="button" data-testid=testid
                disabled=move || decide.pending().get()
                on:click=move |_| {
                    decide.dispatch((decision, reply.get_untracked(), lang(i18n)));
                }>
                {label}
            </button>
        }
    };
    let buttons = match request.status {
        RequestStatus::Requested => view! {
            {button(RequestDecision::Accept, t_string!(i18n, returns_accept).into(), "return-accept")}
            {button(RequestDecision::Reject, t_string!(i18n, returns_reject).into(), "return-reject")}
        }
        .into_any(),
        RequestStatus::Accepted => view! {
            {button(RequestDecision::Receive { restock: true }, t_string!(i18n, returns_receive_restock).into(), "return-receive")}
            {button(RequestDecision::Receive { restock: false }, t_string!(i18n, returns_receive_write_off).into(), "return-receive-write-off")}
            {button(RequestDecision::Reject, t_string!(i18n, returns_reject).into(), "return-reject")}
        }
        .into_any(),
        RequestStatus::Rejected | RequestStatus::Received => ().into_any(),
    };
    view! {
        <li class="callback-request" data-testid="return-request">
            <p class="callback-head">
                <a href=order_href data-testid="return-order">{row.order_number.clone()}</a>" · "
                <span>{row.customer}</span>" · "
                <span>{request.created_at}</span>" · "
                <strong data-testid="return-status">{request.status_label}</strong>
            </p>
            <ul class="callback-items">{items}</ul>
            <p><span data-testid="return-reason">{request.reason}</span>
                {(!request.comment.is_empty()).then(|| view! { ": "<q data-testid="return-comment">{request.comment}</q> })}</p>
            <div class="return-photos">{photos}</div>
            {open.then(|| view! {
                <label for=reply_id.clone()>{t!(i18n, returns_reply)}</label>
                <textarea id=reply_id.clone() rows="2" data-testid="return-reply" prop:value=reply
                    on:input=move |ev| reply.set(event_target_value(&ev))></textarea>
            })}
            {(!open && !request.reply.is_empty()).then(|| view! { <p class="hint">{t!(i18n, returns_reply)}": "{request.reply.clone()}</p> })}
            {problem}
            <div class="button-row">{buttons}</div>
        </li>
    }
}
