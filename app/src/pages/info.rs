//! Information pages (CAT-4): delivery, payment, returns, contacts.
use crate::api::catalog::load_info_page;
use crate::components::frame::lang;
use crate::components::seo::Seo;
use crate::i18n::*;
use crate::pages::catalog::load_error;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InfoRoute() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let data = Resource::new(
        move || (params.read().get("slug").unwrap_or_default(), lang(i18n)),
        |(slug, lang)| load_info_page(slug, lang),
    );
    let body = move || {
        Suspend::new(async move {
            match data.await {
                Ok(page) => {
                    let description = page.paragraphs.first().cloned().unwrap_or_default();
                    view! {
                        <Seo title=page.title.clone() description=description path=format!("/info/{}", page.slug) />
                        <article class="page narrow info">
                            <h1>{page.title.clone()}</h1>
                            {page.paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                        </article>
                    }
                    .into_any()
                }
                Err(err) => load_error(err),
            }
        })
    };
    view! { <Transition fallback=|| view! { <p class="page loading">"…"</p> }>{body}</Transition> }
}
