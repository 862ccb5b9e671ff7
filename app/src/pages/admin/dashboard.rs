use super::audit::AuditTable;
use crate::api::admin::admin_dashboard;
use crate::components::errors::error_text;
use crate::components::seo::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let staff = super::use_staff();
    let data = Resource::new(|| (), |_| admin_dashboard());
    let name = if staff.name.is_empty() {
        staff.email.clone()
    } else {
        staff.name.clone()
    };
    view! {
        <PageTitle text=move || t_string!(i18n, admin_dashboard).to_string() />
        <h1>{t!(i18n, admin_dashboard)}</h1>
        <p data-testid="admin-greeting">{t!(i18n, admin_hello, name)}</p>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <ul class="stats">
                            <li><span class="stat-value">{d.customers}</span>{t!(i18n, stat_customers)}</li>
                            <li><span class="stat-value">{d.staff}</span>{t!(i18n, stat_staff)}</li>
                            <li><span class="stat-value">{d.active_sessions}</span>{t!(i18n, stat_sessions)}</li>
                        </ul>
                        <h2>{t!(i18n, recent_actions)}</h2>
                        <AuditTable entries=d.recent_audit />
                    }.into_any(),
                    Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
