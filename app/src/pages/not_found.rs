use crate::components::seo::PageTitle;
use crate::components::status::set_http_status;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    set_http_status(404);
    view! {
        <PageTitle text=move || t_string!(i18n, not_found_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, not_found_title)}</h1>
            <p>{t!(i18n, not_found_text)}</p>
            <p><a class="button" href="/">{t!(i18n, back_home)}</a></p>
        </section>
    }
}

/// Shown when a signed-in user's role does not allow a page (HTTP 403).
#[component]
pub fn Forbidden() -> impl IntoView {
    let i18n = use_i18n();
    set_http_status(403);
    view! {
        <PageTitle text=move || t_string!(i18n, forbidden_title).to_string() />
        <section class="page narrow" data-testid="forbidden">
            <h1>{t!(i18n, forbidden_title)}</h1>
            <p>{t!(i18n, forbidden_text)}</p>
            <p><a class="button" href="/">{t!(i18n, back_home)}</a></p>
        </section>
    }
}
