//! Per-page SEO tags (ACQ-1): title, description, canonical URL, Open Graph,
//! robots. Pages that use it render with `SsrMode::Async`, so the tags are in
//! the server-rendered `<head>`.
use crate::api::catalog::Crumb;
use crate::components::catalog::JsonLd;
use crate::components::frame::use_shop_info;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

#[component]
pub fn Seo(
    title: String,
    description: String,
    /// Path and canonical query, e.g. `/c/shoes?f.color=red`.
    path: String,
    #[prop(optional_no_strip)] image: Option<String>,
    #[prop(optional)] noindex: bool,
    #[prop(default = "website")] og_type: &'static str,
) -> impl IntoView {
    let shop = use_shop_info();
    let tags = move || {
        let (title, description, path, image) = (
            title.clone(),
            description.clone(),
            path.clone(),
            image.clone(),
        );
        Suspend::new(async move {
            let shop = shop.await.unwrap_or_default();
            let base = shop.base_url.clone();
            let url = format!("{base}{path}");
            let image = image.map(|i| format!("{base}{i}"));
            view! {
                <Title text=title.clone() />
                <Meta name="description" content=description.clone() />
                <Link rel="canonical" href=url.clone() />
                <Meta property="og:type" content=og_type />
                <Meta property="og:title" content=title />
                <Meta property="og:description" content=description />
                <Meta property="og:url" content=url />
                <Meta property="og:site_name" content=shop.name />
                {image.map(|i| view! { <Meta property="og:image" content=i /> })}
                {noindex.then(|| view! { <Meta name="robots" content="noindex, follow" /> })}
            }
        })
    };
    view! { <Suspense>{tags}</Suspense> }
}

/// Breadcrumb trail with its schema.org BreadcrumbList.
#[component]
pub fn Breadcrumbs(crumbs: Vec<Crumb>, #[prop(optional)] current: Option<String>) -> impl IntoView {
    let shop = use_shop_info();
    let list = crumbs.clone();
    let json = move || {
        let list = list.clone();
        let current = current.clone();
        Suspend::new(async move {
            let base = shop.await.map(|s| s.base_url).unwrap_or_default();
            let mut items: Vec<serde_json::Value> = list
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    serde_json::json!({
                        "@type": "ListItem",
                        "position": i + 1,
                        "name": c.name,
                        "item": format!("{base}{}", c.href),
                    })
                })
                .collect();
            if let Some(name) = current {
                items.push(serde_json::json!({
                    "@type": "ListItem",
                    "position": items.len() + 1,
                    "name": name,
                }));
            }
            view! {
                <JsonLd value=serde_json::json!({
                    "@context": "https://schema.org",
                    "@type": "BreadcrumbList",
                    "itemListElement": items,
                }) />
            }
        })
    };
    view! {
        <nav class="crumbs" aria-label="Breadcrumbs">
            <ol>
                {crumbs
                    .into_iter()
                    .map(|c| view! { <li><a href=c.href>{c.name}</a></li> })
                    .collect_view()}
            </ol>
        </nav>
        <Suspense>{json}</Suspense>
    }
}

/// A page's `<title>` that follows the shop's language in the browser.
///
/// On the server the text is computed once, while the page renders:
/// leptos_meta reads the title after the render, when the request's reactive
/// values may be out of reach, and under concurrent load a title reading a
/// signal there panicked ("reactive value … already disposed") and cut the
/// connection (issue 7: the staff order list under `make bench`).
#[component]
pub fn PageTitle<F>(text: F) -> impl IntoView
where
    F: Fn() -> String + Send + Sync + 'static,
{
    #[cfg(feature = "ssr")]
    let text = leptos::text_prop::TextProp::from(text());
    view! { <Title text /> }
}
