//! Search results (CAT-3): ranked matches in both languages, paged. Result
//! pages are not indexed (robots.txt and a noindex tag).
use crate::api::catalog::search_products;
use crate::components::catalog::ProductGrid;
use crate::components::frame::lang;
use crate::components::seo::Seo;
use crate::i18n::*;
use crate::pages::catalog::load_error;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchRoute() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            let text = q.get("q").unwrap_or_default();
            let page = q
                .get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1)
                .min(10_000);
            (text, page, lang(i18n))
        },
        |(text, page, lang)| search_products(text, page, lang),
    );
    let body = move || {
        Suspend::new(async move {
            let result = match data.await {
                Ok(r) => r,
                Err(err) => return load_error(err),
            };
            let title = t_string!(i18n, search_title).to_string();
            let q = result.query.clone();
            let total = result.total;
            let heading = if q.trim().is_empty() {
                view! { <h1>{title.clone()}</h1> }.into_any()
            } else {
                let query = q.clone();
                view! { <h1>{t!(i18n, search_results_for, query)}</h1> }.into_any()
            };
            let pager = (result.pages > 1).then(|| {
                let encoded: String = q
                    .bytes()
                    .map(|b| match b {
                        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
                        b' ' => "+".to_string(),
                        _ => format!("%{b:02X}"),
                    })
                    .collect();
                let prev = (result.page > 1).then(|| {
                    view! { <a class="pager-step" rel="prev" href=format!("/search?q={encoded}&page={}", result.page - 1)>{t!(i18n, page_prev)}</a> }
                });
                let next = (result.page < result.pages).then(|| {
                    view! { <a class="pager-step" rel="next" href=format!("/search?q={encoded}&page={}", result.page + 1)>{t!(i18n, page_next)}</a> }
                });
                let (page, pages) = (result.page, result.pages);
                view! { <nav class="pager" aria-label=move || t_string!(i18n, pager_label)>{prev}<span>{page}" / "{pages}</span>{next}</nav> }
            });
            let results = if result.items.is_empty() {
                view! {
                    <div class="empty-state" data-testid="search-empty">
                        <p>{t!(i18n, search_nothing)}</p>
                        <a class="button" href="/">{t!(i18n, back_home)}</a>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <h2 class="visually-hidden">{t!(i18n, listing_products)}</h2>
                    <ProductGrid cards=result.items eager=4 />
                }
                .into_any()
            };
            view! {
                <Seo title=if q.is_empty() { title.clone() } else { format!("{title}: {q}") } description=title path="/search".to_string() noindex=true />
                <section class="page">
                    {heading}
                    <p class="listing-total" data-testid="search-total">{t!(i18n, listing_total, total)}</p>
                    {results}
                    {pager}
                </section>
            }
            .into_any()
        })
    };
    view! { <Transition fallback=|| view! { <p class="page loading">"…"</p> }>{body}</Transition> }
}
