//! Category listing (CAT-3): faceted filters whose counts follow the
//! selection, sorting, paging; every state is a plain URL
//! (`/c/shoes?f.color=red&price_max=5000&sort=price_asc`) that can be shared,
//! bookmarked and indexed, and works without JavaScript.
use crate::api::catalog::{load_category, CategoryPage};
use crate::api::AppError;
use crate::components::catalog::ProductGrid;
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::{Breadcrumbs, Seo};
use crate::components::status::set_http_status;
use crate::domain::catalog::listing::{ListingQuery, Sort};
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_location, use_params_map};

/// The page for a failed catalog load: 404 for unknown addresses, otherwise the reason.
pub fn load_error(err: AppError) -> AnyView {
    if err == AppError::NotFound {
        return view! { <NotFound /> }.into_any();
    }
    let i18n = use_i18n();
    set_http_status(503);
    view! {
        <section class="page narrow">
            <p class="form-error" role="alert">{error_text(i18n, &err)}</p>
        </section>
    }
    .into_any()
}

#[component]
pub fn CategoryRoute() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let location = use_location();
    let data = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                location.search.get(),
                lang(i18n),
            )
        },
        |(slug, search, lang)| load_category(slug, search, lang),
    );
    let body = move || {
        Suspend::new(async move {
            match data.await {
                Ok(page) => view! { <CategoryView page /> }.into_any(),
                Err(err) => load_error(err),
            }
        })
    };
    view! { <Transition fallback=|| view! { <p class="page loading">"…"</p> }>{body}</Transition> }
}

#[component]
fn CategoryView(page: CategoryPage) -> impl IntoView {
    let i18n = use_i18n();
    let base = format!("/c/{}", page.slug);
    let q = page.query.clone();
    let href = {
        let base = base.clone();
        move |q: &ListingQuery| q.href(&base)
    };
    let show_filters = RwSignal::new(false);

    let title = if q.page > 1 {
        format!("{} — {} {}", page.name, t_string!(i18n, page_label), q.page)
    } else {
        page.name.clone()
    };
    let description = match lang(i18n) {
        crate::domain::money::Lang::Ru => format!(
            "{}: {} товаров с доставкой. Фильтры по цене, бренду, цвету и размеру.",
            page.name, page.total
        ),
        crate::domain::money::Lang::En => format!(
            "{}: {} products delivered. Filter by price, brand, colour and size.",
            page.name, page.total
        ),
    };
    let canonical = href(&q);
    let first_photo = page
        .items
        .first()
        .and_then(|c| c.photo.as_ref())
        .map(|p| p.large());

    let children = (!page.children.is_empty()).then(|| {
        view! {
            <ul class="subcategories">
                {page.children.iter().map(|c| view! {
                    <li><a href=format!("/c/{}", c.slug)>{c.name.clone()}" "<span class="count">{c.count}</span></a></li>
                }).collect_view()}
            </ul>
        }
    });

    // Hidden fields keep the other filters when the price form is submitted.
    let hidden = {
        let mut fields: Vec<(String, String)> = Vec::new();
        for (key, values) in &q.facets {
            for v in values {
                fields.push((format!("f.{key}"), v.clone()));
            }
        }
        if q.in_stock {
            fields.push(("in_stock".into(), "1".into()));
        }
        if q.sort != Sort::Popular {
            fields.push(("sort".into(), q.sort.as_str().into()));
        }
        fields
            .into_iter()
            .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
            .collect_view()
    };
    let price_min = q.price_min.map(|p| p.to_string()).unwrap_or_default();
    let price_max = q.price_max.map(|p| p.to_string()).unwrap_or_default();
    let placeholder_min = page
        .price_min
        .map(|p| p.trunc().to_string())
        .unwrap_or_default();
    let placeholder_max = page
        .price_max
        .map(|p| p.ceil().to_string())
        .unwrap_or_default();

    let in_stock_toggle = {
        let mut toggled = q.clone();
        toggled.in_stock = !q.in_stock;
        toggled.page = 1;
        let count = page.in_stock_count;
        view! {
            <a class="facet-option" role="checkbox" aria-checked=q.in_stock.to_string() href=href(&toggled) data-testid="facet-in-stock">
                <span class="check" aria-hidden="true"></span>
                {t!(i18n, filter_in_stock)}
                <span class="count">{count}</span>
            </a>
        }
    };

    let facets = page
        .facets
        .iter()
        .map(|facet| {
            let options = facet
                .values
                .iter()
                .map(|v| {
                    let link = href(&q.toggled(&facet.key, &v.code));
                    let swatch = v.swatch.clone().map(|c| {
                        view! { <span class="swatch" style=format!("background:{c}") aria-hidden="true"></span> }
                    });
                    view! {
                        <li>
                            <a
                                class="facet-option"
                                role="checkbox"
                                aria-checked=v.selected.to_string()
                                href=link
                                rel="nofollow"
                                data-testid=format!("facet-{}-{}", facet.key, v.code)
                            >
                                <span class="check" aria-hidden="true"></span>
                                {swatch}
                                {v.label.clone()}
                                <span class="count">{v.count}</span>
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="facet">
                    <legend>{facet.name.clone()}</legend>
                    <ul>{options}</ul>
                </fieldset>
            }
        })
        .collect_view();

    let reset = q
        .is_filtered()
        .then(|| view! { <a class="reset" href=base.clone()>{t!(i18n, filter_reset)}</a> });

    let sorts = Sort::ALL
        .into_iter()
        .map(|sort| {
            let mut target = q.clone();
            target.sort = sort;
            target.page = 1;
            let label = match sort {
                Sort::Popular => t_string!(i18n, sort_popular),
                Sort::PriceAsc => t_string!(i18n, sort_price_asc),
                Sort::PriceDesc => t_string!(i18n, sort_price_desc),
                Sort::New => t_string!(i18n, sort_new),
            };
            let current = (q.sort == sort).then_some("true");
            view! { <a href=href(&target) aria-current=current data-testid=format!("sort-{}", sort.as_str())>{label}</a> }
        })
        .collect_view();

    let pager = (page.pages > 1).then(|| {
        let current = q.page;
        let last = page.pages;
        let pages: Vec<u32> = (1..=last)
            .filter(|p| *p == 1 || *p == last || p.abs_diff(current) <= 2)
            .collect();
        let mut items = Vec::new();
        let mut previous = 0;
        for p in pages {
            if p > previous + 1 {
                items.push(view! { <li class="gap">"…"</li> }.into_any());
            }
            let link = href(&q.with_page(p));
            let aria = (p == current).then_some("page");
            items.push(view! { <li><a href=link aria-current=aria>{p}</a></li> }.into_any());
            previous = p;
        }
        let prev = (current > 1).then(|| {
            view! { <a class="pager-step" rel="prev" href=href(&q.with_page(current - 1))>{t!(i18n, page_prev)}</a> }
        });
        let next = (current < last).then(|| {
            view! { <a class="pager-step" rel="next" href=href(&q.with_page(current + 1))>{t!(i18n, page_next)}</a> }
        });
        view! {
            <nav class="pager" aria-label=move || t_string!(i18n, pager_label)>
                {prev}<ol>{items}</ol>{next}
            </nav>
        }
    });

    let results = if page.items.is_empty() {
        view! {
            <div class="empty-state" data-testid="listing-empty">
                <p>{t!(i18n, listing_empty)}</p>
                <a class="button" href=base.clone()>{t!(i18n, filter_reset)}</a>
            </div>
        }
        .into_any()
    } else {
        // The cards' h3 titles need an h2 above them (heading order).
        view! {
            <h2 class="visually-hidden">{t!(i18n, listing_products)}</h2>
            <ProductGrid cards=page.items.clone() eager=4 />
        }
        .into_any()
    };
    let total = page.total;
    // Type-erased: the whole page as one static type is too deep for the compiler.
    let aside = view! {
        <aside id="filters" class="facets-panel" class:open=move || show_filters.get() aria-label=move || t_string!(i18n, filters_title)>
            <fieldset class="facet">
                <legend>{t!(i18n, filter_price)}</legend>
                <Form method="GET" action=base.clone()>
                    {hidden}
                    <div class="price-range">
                        <label>
                            <span class="visually-hidden">{t!(i18n, filter_price_from)}</span>
                            <input type="number" name="price_min" min="0" step="1" inputmode="numeric" value=price_min placeholder=placeholder_min data-testid="price-min" />
                        </label>
                        "–"
                        <label>
                            <span class="visually-hidden">{t!(i18n, filter_price_to)}</span>
                            <input type="number" name="price_max" min="0" step="1" inputmode="numeric" value=price_max placeholder=placeholder_max data-testid="price-max" />
                        </label>
                    </div>
                    <button type="submit" class="button small" data-testid="price-apply">{t!(i18n, filter_apply)}</button>
                </Form>
            </fieldset>
            <div class="facet">{in_stock_toggle}</div>
            {facets}
            {reset}
        </aside>
    }
    .into_any();

    view! {
        <Seo title=title description=description path=canonical image=first_photo noindex={ q.facets.values().map(|v| v.len()).sum::<usize>() > 2 } />
        <div class="page listing">
            <Breadcrumbs crumbs=page.crumbs[..page.crumbs.len().saturating_sub(1)].to_vec() current=page.name.clone() />
            <header class="listing-head">
                <h1>{page.name.clone()}</h1>
                <p class="listing-total" data-testid="listing-total">{t!(i18n, listing_total, total)}</p>
            </header>
            {children}
            <button type="button" class="filters-toggle" aria-expanded=move || show_filters.get().to_string() aria-controls="filters" on:click=move |_| show_filters.update(|s| *s = !*s)>
                {t!(i18n, filters_title)}
            </button>
            <div class="listing-body">
                {aside}
                <section class="listing-results" aria-label=move || t_string!(i18n, listing_results)>
                    <nav class="sort" aria-label=move || t_string!(i18n, sort_label)>
                        <span>{t!(i18n, sort_label)}":"</span>
                        {sorts}
                    </nav>
                    {results}
                    {pager}
                </section>
            </div>
        </div>
    }
}
