//! Notifications (ORD-5): the templates customers get per event, channel and
//! language, and the outbox with each message's state; a failed message can
//! be sent again.
use crate::api::notifications::{
    admin_notifications, admin_resend_notification, admin_save_template, OutboxRow, TemplateRow,
};
use crate::components::errors::error_text;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::domain::notifications::{
    Channel, NotificationEvent, OutboxStatus, TemplateProblem, PLACEHOLDERS,
};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::ManageNotifications>
            <Notifications />
        </super::RequirePermission>
    }
}

fn status_text(i18n: I18nContext<Locale>, status: OutboxStatus) -> String {
    match status {
        OutboxStatus::Pending => t_string!(i18n, outbox_pending),
        OutboxStatus::Sending => t_string!(i18n, outbox_sending),
        OutboxStatus::Sent => t_string!(i18n, outbox_sent),
        OutboxStatus::Failed => t_string!(i18n, outbox_failed),
    }
    .to_string()
}

fn event_text(i18n: I18nContext<Locale>, event: NotificationEvent) -> String {
    match event {
        NotificationEvent::OrderPlaced => t_string!(i18n, notify_order_placed),
        NotificationEvent::OrderPaid => t_string!(i18n, notify_order_paid),
        NotificationEvent::OrderCancelled => t_string!(i18n, notify_order_cancelled),
        NotificationEvent::OrderConfirmed => t_string!(i18n, notify_order_confirmed),
        NotificationEvent::OrderShipped => t_string!(i18n, notify_order_shipped),
        NotificationEvent::OrderDelivered => t_string!(i18n, notify_order_delivered),
        NotificationEvent::ReturnAccepted => t_string!(i18n, notify_return_accepted),
        NotificationEvent::ReturnRejected => t_string!(i18n, notify_return_rejected),
        NotificationEvent::ReturnReceived => t_string!(i18n, notify_return_received),
        NotificationEvent::OrderChanged => t_string!(i18n, notify_order_changed),
    }
    .to_string()
}

fn channel_text(i18n: I18nContext<Locale>, channel: Channel) -> String {
    match channel {
        Channel::Email => t_string!(i18n, notify_email),
        Channel::Sms => t_string!(i18n, notify_sms),
    }
    .to_string()
}

fn problem_text(i18n: I18nContext<Locale>, problem: &TemplateProblem) -> AnyView {
    match problem {
        TemplateProblem::EmptySubject => t!(i18n, template_empty_subject).into_any(),
        TemplateProblem::SubjectTooLong => t!(i18n, template_subject_long).into_any(),
        TemplateProblem::EmptyBody => t!(i18n, template_empty_body).into_any(),
        TemplateProblem::BodyTooLong(max) => {
            let max = *max;
            t!(i18n, template_body_long, max).into_any()
        }
        TemplateProblem::Unclosed => t!(i18n, template_unclosed).into_any(),
        TemplateProblem::UnknownPlaceholder(name) => {
            let name = format!("{{{{{name}}}}}");
            t!(
                i18n,
                template_unknown_placeholder,
                name = move || name.clone()
            )
            .into_any()
        }
    }
}

#[component]
fn Notifications() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let filter = RwSignal::new(None::<OutboxStatus>);
    let page = Resource::new(
        move || (filter.get(), reload.get()),
        |(status, _)| admin_notifications(status),
    );
    let resend = Action::new(|id: &i64| admin_resend_notification(*id));
    Effect::new(move |_| {
        if let Some(Ok(())) = resend.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let body = move || {
        Suspend::new(async move {
            match page.await {
                Ok(p) => {
                    let warnings = view! {
                        <Show when=move || !p.email_configured>
                            <p class="notice" data-testid="email-not-configured">{t!(i18n, notify_email_off)}</p>
                        </Show>
                        <Show when=move || !p.sms_configured>
                            <p class="notice" data-testid="sms-not-configured">{t!(i18n, notify_sms_off)}</p>
                        </Show>
                    };
                    let counts = p
                        .counts
                        .into_iter()
                        .map(|(status, n)| {
                            view! {
                                <li data-testid=format!("outbox-count-{}", status.as_str())>
                                    {status_text(i18n, status)}": "<strong>{n}</strong>
                                </li>
                            }
                        })
                        .collect_view();
                    let rows = if p.outbox.is_empty() {
                        view! { <p data-testid="outbox-empty">{t!(i18n, outbox_empty)}</p> }
                            .into_any()
                    } else {
                        let rows = p
                            .outbox
                            .into_iter()
                            .map(|row| view! { <OutboxLine row resend /> })
                            .collect_view();
                        view! {
                            <div class="table-wrap">
                                <table class="data outbox" data-testid="outbox">
                                    <thead><tr>
                                        <th>{t!(i18n, outbox_created)}</th>
                                        <th>{t!(i18n, outbox_to)}</th>
                                        <th>{t!(i18n, outbox_message)}</th>
                                        <th>{t!(i18n, outbox_status)}</th>
                                        <th>{t!(i18n, outbox_attempts)}</th>
                                        <th></th>
                                    </tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }
                        .into_any()
                    };
                    let templates = p
                        .templates
                        .into_iter()
                        .map(|template| view! { <TemplateEditor template /> })
                        .collect_view();
                    view! {
                        {warnings}
                        <h2>{t!(i18n, outbox_title)}</h2>
                        <ul class="outbox-counts">{counts}</ul>
                        {rows}
                        <h2>{t!(i18n, templates_title)}</h2>
                        <p class="hint">{t!(i18n, templates_placeholders)}" "
                            <code>{PLACEHOLDERS.iter().map(|p| format!("{{{{{p}}}}}")).collect::<Vec<_>>().join(" ")}</code>
                        </p>
                        <div class="template-list">{templates}</div>
                    }
                    .into_any()
                }
                Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                    .into_any(),
            }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, admin_notifications).to_string() />
        <h1>{t!(i18n, admin_notifications)}</h1>
        <label for="outbox-filter">{t!(i18n, outbox_show)}</label>
        <select id="outbox-filter" data-testid="outbox-filter"
            on:change=move |ev| filter.set(OutboxStatus::parse(&event_target_value(&ev)))>
            <option value="">{t!(i18n, outbox_all)}</option>
            {OutboxStatus::ALL
                .into_iter()
                .map(|s| view! { <option value=s.as_str()>{status_text(i18n, s)}</option> })
                .collect_view()}
        </select>
        <p role="alert" class="field-error">
            {move || resend.value().get().and_then(Result::err).map(|e| error_text(i18n, &e))}
        </p>
        <Transition>{body}</Transition>
    }
}

#[component]
fn OutboxLine(
    row: OutboxRow,
    resend: Action<i64, Result<(), crate::api::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = row.id;
    let failed = row.status == OutboxStatus::Failed;
    let what = if row.subject.is_empty() {
        row.event.clone()
    } else {
        row.subject.clone()
    };
    let order = row.order_number.map(|n| format!(" · №{n}"));
    let error = row
        .last_error
        .map(|e| view! { <br /><small class="field-error">{e}</small> });
    let at = (!row.at.is_empty()).then(|| view! { <br /><small>{row.at.clone()}</small> });
    view! {
        <tr data-testid="outbox-row" data-status=row.status.as_str()>
            <td>{row.created_at}</td>
            <td>{channel_text(i18n, row.channel)}": "{row.recipient}</td>
            <td>{what}{order}</td>
            <td data-testid="outbox-status">{status_text(i18n, row.status)}{at}{error}</td>
            <td>{row.attempts}</td>
            <td>
                <Show when=move || failed>
                    <button type="button" class="button" data-testid="outbox-resend"
                        disabled=move || resend.pending().get()
                        on:click=move |_| { resend.dispatch(id); }>
                        {t!(i18n, outbox_resend)}
                    </button>
                </Show>
            </td>
        </tr>
    }
}

#[component]
fn TemplateEditor(template: TemplateRow) -> impl IntoView {
    let i18n = use_i18n();
    let id = template.id;
    let subject = RwSignal::new(template.subject.clone());
    let body = RwSignal::new(template.body.clone());
    let active = RwSignal::new(template.active);
    let save = Action::new(move |_: &()| {
        admin_save_template(
            id,
            subject.get_untracked(),
            body.get_untracked(),
            active.get_untracked(),
        )
    });
    // The form already shows what was saved; reloading the page would close it.
    let is_email = template.channel == Channel::Email;
    let title = format!(
        "{} · {} · {}",
        event_text(i18n, template.event),
        channel_text(i18n, template.channel),
        template.lang.to_uppercase()
    );
    let key = format!(
        "{}-{}-{}",
        template.event.as_str(),
        template.channel.as_str(),
        template.lang
    );
    let subject_id = format!("template-subject-{id}");
    let body_id = format!("template-body-{id}");
    let problem = move || match save.value().get() {
        Some(Ok(Some(problem))) => Some(problem_text(i18n, &problem)),
        Some(Err(e)) => Some(error_text(i18n, &e)),
        _ => None,
    };
    view! {
        <details class="template" data-testid=format!("template-{key}")>
            <summary>{title}{move || (!active.get()).then(|| view! { " · " {t!(i18n, template_off)} })}</summary>
            <form on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <Show when=move || is_email>
                    <label for=subject_id.clone()>{t!(i18n, template_subject)}</label>
                    <input id=subject_id.clone() type="text" data-testid="template-subject" prop:value=subject
                        on:input=move |ev| subject.set(event_target_value(&ev)) />
                </Show>
                <label for=body_id.clone()>{t!(i18n, template_body)}</label>
                <textarea id=body_id rows=if is_email { "8" } else { "3" } data-testid="template-body"
                    prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                <label class="checkbox">
                    <input type="checkbox" data-testid="template-active" prop:checked=active
                        on:change=move |ev| active.set(event_target_checked(&ev)) />
                    {t!(i18n, template_active)}
                </label>
                <p class="field-error" role="alert" data-testid="template-problem">{problem}</p>
                <p role="status" class="notice" data-testid="template-saved">
                    {move || matches!(save.value().get(), Some(Ok(None))).then(|| t_string!(i18n, catalog_saved))}
                </p>
                <button type="submit" class="button" data-testid="template-save"
                    disabled=move || save.pending().get()>{t!(i18n, template_save)}</button>
            </form>
        </details>
    }
}
