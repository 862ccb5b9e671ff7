use crate::api::admin::{audit_log, AuditEntryView};
use crate::components::errors::error_text;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditTable(entries: Vec<AuditEntryView>) -> impl IntoView {
    let i18n = use_i18n();
    if entries.is_empty() {
        return view! { <p>{t!(i18n, audit_empty)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="audit-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, audit_when)}</th>
                    <th scope="col">{t!(i18n, audit_who)}</th>
                    <th scope="col">{t!(i18n, audit_action)}</th>
                    <th scope="col">{t!(i18n, audit_object)}</th>
                    <th scope="col">{t!(i18n, audit_before)}</th>
                    <th scope="col">{t!(i18n, audit_after)}</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| view! {
                        <tr>
                            <td><time datetime=e.at.clone()>{e.at.replace('T', " ").replace('Z', " UTC")}</time></td>
                            <td>{e.actor_email}</td>
                            <td><code>{e.action}</code></td>
                            <td>{format!("{} #{}", e.entity, e.entity_id)}</td>
                            <td><code class="json">{e.before.unwrap_or_default()}</code></td>
                            <td><code class="json">{e.after.unwrap_or_default()}</code></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::ReadAuditLog>
            <AuditLog />
        </super::RequirePermission>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
    };
    let data = Resource::new(page, audit_log);
    view! {
        <PageTitle text=move || t_string!(i18n, admin_audit).to_string() />
        <h1>{t!(i18n, admin_audit)}</h1>
        <Transition>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => {
                        let prev = (p.page > 1).then(|| view! { <a rel="prev" href=format!("/admin/audit?page={}", p.page - 1)>{t!(i18n, page_prev)}</a> });
                        let next = (p.page < p.pages).then(|| view! { <a rel="next" href=format!("/admin/audit?page={}", p.page + 1)>{t!(i18n, page_next)}</a> });
                        let (current, total) = (p.page, p.pages);
                        view! {
                            <AuditTable entries=p.entries />
                            <nav class="pager" aria-label=move || t_string!(i18n, pager_label)>
                                {prev}<span>{t!(i18n, page_of, current, total)}</span>{next}
                            </nav>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
