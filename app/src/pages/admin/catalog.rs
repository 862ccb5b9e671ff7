//! Catalog management (CAT-5) for managers and admins: product list with
//! search and publish switches, and the product editor (texts, category,
//! variants with prices and stock per warehouse, photos).
use crate::api::admin_catalog::{
    admin_catalog_list, admin_import_report, admin_product_editor, admin_product_save,
    AdminPhotoEdit, AdminProductDelete, AdminProductPublish, PhotoAdminView, ProductEditor,
    SaveOutcome,
};
use crate::components::catalog::use_currency;
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::domain::catalog::editing::{FieldProblem, ProductForm, VariantForm};
use crate::domain::catalog::OptionValue;
use crate::domain::money::format_money;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

#[component]
pub fn CatalogPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::ManageCatalog>
            <ProductList />
        </super::RequirePermission>
    }
}

#[component]
pub fn ProductEditPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::ManageCatalog>
            <ProductEdit />
        </super::RequirePermission>
    }
}

#[component]
fn ProductList() -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let publish = ServerAction::<AdminProductPublish>::new();
    let list = Resource::new(
        move || (query.get(), page.get(), publish.version().get()),
        |(q, p, _)| admin_catalog_list(q, p),
    );
    let money = move |d| format_money(d, currency.get(), lang(i18n));
    let rows = move || {
        Suspend::new(async move {
            match list.await {
                Ok(l) => {
                    let (current, pages, total) = (l.page, l.pages, l.total);
                    let rows = l
                        .rows
                        .into_iter()
                        .map(|r| {
                            let id = r.id;
                            let published = r.published;
                            let price = match (r.price_min, r.price_max) {
                                (Some(a), Some(b)) if a != b => format!("{} – {}", money(a), money(b)),
                                (Some(a), _) => money(a),
                                _ => "—".into(),
                            };
                            view! {
                                <tr data-testid="catalog-row">
                                    <td>{r.thumb.map(|t| view! { <img src=t alt="" width="48" height="60" /> })}</td>
                                    <td><a href=format!("/admin/catalog/{id}")>{r.name}</a><br /><small>{r.slug.clone()}</small></td>
                                    <td>{r.category}</td>
                                    <td>{price}</td>
                                    <td>{r.variants}</td>
                                    <td>{r.stock}</td>
                                    <td>
                                        <button
                                            type="button"
                                            class="link-button"
                                            aria-pressed=published.to_string()
                                            data-testid="publish-toggle"
                                            on:click=move |_| { publish.dispatch(AdminProductPublish { id, published: !published }); }
                                        >
                                            {if published { t_string!(i18n, catalog_published) } else { t_string!(i18n, catalog_hidden) }}
                                        </button>
                                    </td>
                                    <td><a href=format!("/p/{}", r.slug) target="_blank">{t!(i18n, catalog_view)}</a></td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <p>{t!(i18n, catalog_total, total)}</p>
                        <div class="table-wrap">
                            <table class="data">
                                <thead><tr>
                                    <th><span class="visually-hidden">{t!(i18n, catalog_photo)}</span></th>
                                    <th>{t!(i18n, catalog_name)}</th>
                                    <th>{t!(i18n, catalog_category)}</th>
                                    <th>{t!(i18n, catalog_price)}</th>
                                    <th>{t!(i18n, catalog_variants)}</th>
                                    <th>{t!(i18n, catalog_stock)}</th>
                                    <th>{t!(i18n, catalog_status)}</th>
                                    <th></th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        <nav class="pager" aria-label=move || t_string!(i18n, pager_label)>
                            <button type="button" disabled={current <= 1} on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>{t!(i18n, page_prev)}</button>
                            <span>{ let total = pages; t!(i18n, page_of, current, total) }</span>
                            <button type="button" disabled={current >= pages} on:click=move |_| page.update(|p| *p += 1)>{t!(i18n, page_next)}</button>
                        </nav>
                    }
                    .into_any()
                }
                Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                    .into_any(),
            }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, admin_catalog).to_string() />
        <h1>{t!(i18n, admin_catalog)}</h1>
        <div class="filters">
            <label class="visually-hidden" for="catalog-search">{t!(i18n, catalog_search)}</label>
            <input id="catalog-search" type="search" placeholder=move || t_string!(i18n, catalog_search)
                on:input=move |ev| { query.set(event_target_value(&ev)); page.set(1); } />
            <a class="button primary" href="/admin/catalog/new" data-testid="new-product">{t!(i18n, catalog_new)}</a>
            <a class="button" href="/admin/catalog/export.csv" rel="external" download data-testid="export-csv">{t!(i18n, catalog_export)}</a>
        </div>
        <ImportForm />
        <Transition>{rows}</Transition>
    }
}

/// CSV import: a multipart form the server answers with the report page.
/// Once the page is interactive the file goes up with a progress bar; before
/// that, the plain form works the same without one.
#[component]
fn ImportForm() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // Percent of the file sent; `Some(100)` while the server checks the rows.
    let progress = RwSignal::new(None::<u8>);
    let failed = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            {
                ev.prevent_default();
                failed.set(false);
                progress.set(Some(0));
                if upload_with_progress(&form, progress, failed).is_err() {
                    progress.set(None);
                    failed.set(true);
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, failed);
    };
    let status = move || {
        progress.get().map(|p| {
            let text = if p < 100 {
                t!(i18n, import_uploading, percent = p).into_any()
            } else {
                t!(i18n, import_checking).into_any()
            };
            view! {
                <div class="import-progress" role="status" data-testid="import-progress">
                    <progress max="100" value=p.to_string()></progress>
                    <span>{text}</span>
                </div>
            }
        })
    };
    let send_failed = move || {
        failed.get().then(
            || view! { <p class="field-error" role="alert">{t!(i18n, import_send_failed)}</p> },
        )
    };
    let error = move || {
        query.read().get("import_error").map(|code| {
            let text = match code.as_str() {
                "too_large" => t_string!(i18n, upload_too_large),
                "missing" => t_string!(i18n, upload_missing),
                _ => t_string!(i18n, err_internal),
            };
            view! { <p class="field-error" role="alert">{text}</p> }
        })
    };
    view! {
        <details class="import">
            <summary>{t!(i18n, catalog_import)}</summary>
            {error}
            {send_failed}
            <form method="post" enctype="multipart/form-data" action="/admin/catalog/import" class="form" on:submit=on_submit>
                <label for="import-file">{t!(i18n, catalog_import_file)}</label>
                <input id="import-file" type="file" name="file" accept=".csv,text/csv" required data-testid="import-file" />
                <label class="checkbox">
                    <input type="checkbox" name="valid_only" value="1" data-testid="import-valid-only" />
                    {t!(i18n, catalog_import_valid_only)}
                </label>
                <p class="hint">{t!(i18n, catalog_import_hint)}</p>
                <button type="submit" class="button" data-testid="import-submit" disabled=move || progress.get().is_some()>{t!(i18n, catalog_import_button)}</button>
                {status}
            </form>
        </details>
    }
}

/// Sends the import form, reporting upload progress, then opens the page the
/// server answers with (the report, or the list with an error).
#[cfg(feature = "hydrate")]
fn upload_with_progress(
    form: &web_sys::HtmlFormElement,
    progress: RwSignal<Option<u8>>,
    failed: RwSignal<bool>,
) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let data = web_sys::FormData::new_with_form(form)?;
    let xhr = web_sys::XmlHttpRequest::new()?;
    xhr.open("POST", &form.action())?;
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                let percent = (ev.loaded() / ev.total() * 100.0).floor().clamp(0.0, 99.0);
                progress.set(Some(percent as u8));
            }
        });
    let upload = xhr.upload()?;
    upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let on_sent = Closure::<dyn FnMut()>::new(move || progress.set(Some(100)));
    upload.set_onload(Some(on_sent.as_ref().unchecked_ref()));
    let answered = xhr.clone();
    let on_done = Closure::<dyn FnMut()>::new(move || {
        let url = answered.response_url();
        let ok = answered.status().is_ok_and(|s| s < 400) && !url.is_empty();
        match web_sys::window() {
            Some(w) if ok => {
                let _ = w.location().assign(&url);
            }
            _ => {
                progress.set(None);
                failed.set(true);
            }
        }
    });
    xhr.set_onload(Some(on_done.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(on_done.as_ref().unchecked_ref()));
    xhr.send_with_opt_form_data(Some(&data))?;
    // The handlers live as long as this one request; leaking three small
    // closures per import is simpler than tying them to the request's end.
    on_progress.forget();
    on_sent.forget();
    on_done.forget();
    Ok(())
}

#[component]
pub fn ImportReportPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::ManageCatalog>
            <ImportReportView />
        </super::RequirePermission>
    }
}

#[component]
fn ImportReportView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let report = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|s| s.parse::<i64>().ok())
                .unwrap_or(0)
        },
        admin_import_report,
    );
    let body = move || {
        Suspend::new(async move {
            match report.await {
                Ok(r) => {
                    let (rows, valid, applied, problems) = (
                        r.rows,
                        r.valid_products,
                        r.applied_products,
                        r.problem_count,
                    );
                    let outcome = if applied > 0 {
                        view! { <p class="notice" data-testid="import-applied">{t!(i18n, import_applied, applied)}</p> }.into_any()
                    } else {
                        view! { <p class="field-error" data-testid="import-nothing">{t!(i18n, import_nothing_applied)}</p> }.into_any()
                    };
                    let list = r
                        .problems
                        .into_iter()
                        .map(|p| view! {
                            <tr data-testid="import-problem"><td>{p.line}</td><td>{p.field}</td><td>{p.message}</td></tr>
                        })
                        .collect_view();
                    view! {
                        <p>{t!(i18n, import_summary, rows, valid, problems)}</p>
                        {outcome}
                        <div class="table-wrap">
                            <table class="data">
                                <thead><tr><th>{t!(i18n, import_line)}</th><th>{t!(i18n, import_field)}</th><th>{t!(i18n, import_problem)}</th></tr></thead>
                                <tbody>{list}</tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                }
                Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                    .into_any(),
            }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, import_title).to_string() />
        <p><a href="/admin/catalog">{t!(i18n, catalog_back)}</a></p>
        <h1>{t!(i18n, import_title)}</h1>
        <Transition>{body}</Transition>
    }
}

/// A row of the variants table, with a stable key for the list.
#[derive(Clone, Copy)]
struct VariantRow {
    key: u64,
    form: RwSignal<VariantForm>,
}

#[component]
fn ProductEdit() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let editor = Resource::new(id, admin_product_editor);
    let body = move || {
        Suspend::new(async move {
            match editor.await {
                Ok(data) => view! { <Editor data /> }.into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                    .into_any(),
            }
        })
    };
    let upload_error = move || {
        query.read().get("upload_error").map(|code| {
            let text = match code.as_str() {
                "too_large" => t_string!(i18n, upload_too_large),
                "unreadable" => t_string!(i18n, upload_unreadable),
                "missing" => t_string!(i18n, upload_missing),
                "unknown_option" => t_string!(i18n, err_unknown_option),
                _ => t_string!(i18n, err_internal),
            };
            view! { <p class="field-error" role="alert" data-testid="upload-error">{text}</p> }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, catalog_edit_title).to_string() />
        <p><a href="/admin/catalog">{t!(i18n, catalog_back)}</a></p>
        {upload_error}
        <Transition>{body}</Transition>
    }
}

#[component]
fn Editor(data: ProductEditor) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let product_id = data.form.id;
    let form = RwSignal::new(data.form.clone());
    let next_key = StoredValue::new(0u64);
    let make_row = move |v: VariantForm| {
        next_key.update_value(|k| *k += 1);
        VariantRow {
            key: next_key.get_value(),
            form: RwSignal::new(v),
        }
    };
    let rows = RwSignal::new(
        data.form
            .variants
            .iter()
            .cloned()
            .map(make_row)
            .collect::<Vec<_>>(),
    );
    let warehouses = StoredValue::new(data.warehouses.clone());
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let saved = RwSignal::new(false);

    let problem_for = move |field: String| {
        move || {
            problems.with(|ps| {
                ps.iter()
                    .find(|p| p.field == field)
                    .map(|p| view! { <p class="field-error" role="alert">{p.problem.message(lang(i18n))}</p> })
            })
        }
    };

    let save = Action::new(move |f: &ProductForm| admin_product_save(f.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(SaveOutcome::Saved { id, .. })) => {
            problems.set(Vec::new());
            saved.set(true);
            if product_id.is_none() {
                navigate(&format!("/admin/catalog/{id}"), Default::default());
            }
        }
        Some(Ok(SaveOutcome::Invalid(ps))) => {
            saved.set(false);
            problems.set(ps);
        }
        _ => {}
    });
    let save_error = move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let mut f = form.get_untracked();
        f.variants = rows
            .get_untracked()
            .iter()
            .map(|r| r.form.get_untracked())
            .collect();
        save.dispatch(f);
    };

    // A text field bound to one field of the product form.
    let text_field = move |label: &'static str,
                           name: &'static str,
                           get: fn(&ProductForm) -> String,
                           set: fn(&mut ProductForm, String),
                           multiline: bool| {
        let id = format!("product-{name}");
        let input = if multiline {
            view! { <textarea id=id.clone() name=name rows="4" prop:value=move || form.with(get) on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))></textarea> }.into_any()
        } else {
            view! { <input id=id.clone() name=name type="text" prop:value=move || form.with(get) on:input=move |ev| form.update(|f| set(f, event_target_value(&ev))) /> }.into_any()
        };
        view! {
            <label for=id>{label}</label>
            {input}
            {problem_for(name.to_string())}
        }
    };

    let categories = data.categories.clone();
    let variant_rows = move || {
        rows.get()
            .into_iter()
            .map(|row| {
                let index = move || rows.with(|rs| rs.iter().position(|r| r.key == row.key).unwrap_or(0));
                let cell = move |name: &'static str, get: fn(&VariantForm) -> String, set: fn(&mut VariantForm, String)| {
                    view! {
                        <td>
                            <input
                                type="text"
                                aria-label=name
                                data-testid=move || format!("variant-{}-{name}", index())
                                prop:value=move || row.form.with(get)
                                on:input=move |ev| row.form.update(|v| set(v, event_target_value(&ev)))
                            />
                            {move || problem_for(format!("variants.{}.{name}", index()))()}
                        </td>
                    }
                };
                let stock_cells = warehouses
                    .get_value()
                    .into_iter()
                    .map(|w| {
                        let wid = w.id;
                        view! {
                            <td>
                                <input
                                    type="text"
                                    inputmode="numeric"
                                    aria-label=format!("stock {}", w.code)
                                    data-testid=move || format!("variant-{}-stock-{}", index(), w.code)
                                    prop:value=move || row.form.with(|v| v.stock.iter().find(|(id, _)| *id == wid).map(|(_, q)| q.clone()).unwrap_or_default())
                                    on:input=move |ev| {
                                        let value = event_target_value(&ev);
                                        row.form.update(|v| match v.stock.iter_mut().find(|(id, _)| *id == wid) {
                                            Some(slot) => slot.1 = value,
                                            None => v.stock.push((wid, value)),
                                        });
                                    }
                                />
                                {move || problem_for(format!("variants.{}.stock.{wid}", index()))()}
                            </td>
                        }
                    })
                    .collect_view();
                view! {
                    <tr data-testid="variant-row">
                        {cell("sku", |v| v.sku.clone(), |v, s| v.sku = s)}
                        {cell("color_ru", |v| v.color_ru.clone(), |v, s| v.color_ru = s)}
                        {cell("color_en", |v| v.color_en.clone(), |v, s| v.color_en = s)}
                        {cell("swatch", |v| v.swatch.clone(), |v, s| v.swatch = s)}
                        {cell("size", |v| v.size.clone(), |v, s| v.size = s)}
                        {cell("price", |v| v.price.clone(), |v, s| v.price = s)}
                        {cell("old_price", |v| v.old_price.clone(), |v, s| v.old_price = s)}
                        {cell("backorder_days", |v| v.backorder_days.clone(), |v, s| v.backorder_days = s)}
                        {stock_cells}
                        <td>
                            <textarea
                                rows="2"
                                aria-label=move || t_string!(i18n, catalog_extra_options)
                                title=move || t_string!(i18n, catalog_extra_options_hint)
                                data-testid=move || format!("variant-{}-extra_options", index())
                                prop:value=move || row.form.with(|v| v.extra_options.clone())
                                on:input=move |ev| row.form.update(|v| v.extra_options = event_target_value(&ev))
                            ></textarea>
                            {move || problem_for(format!("variants.{}.extra_options", index()))()}
                        </td>
                        <td>
                            <button type="button" class="link-button" on:click=move |_| rows.update(|rs| rs.retain(|r| r.key != row.key))>
                                {t!(i18n, catalog_remove)}
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let stock_headers = data
        .warehouses
        .iter()
        .map(|w| view! { <th>{t!(i18n, catalog_stock)}" "{w.code.clone()}</th> })
        .collect_view();
    let add_variant = move |_| {
        let stock = warehouses
            .get_value()
            .iter()
            .map(|w| (w.id, String::new()))
            .collect();
        let row = make_row(VariantForm {
            stock,
            ..Default::default()
        });
        rows.update(|rs| rs.push(row));
    };

    view! {
        <h1>{move || {
            let name = form.with(|f| f.name_ru.clone());
            if name.is_empty() { t_string!(i18n, catalog_new).to_string() } else { name }
        }}</h1>
        <form class="form product-form" on:submit=on_submit novalidate>
            {text_field("Название (рус.)", "name_ru", |f| f.name_ru.clone(), |f, s| f.name_ru = s, false)}
            {text_field("Name (English)", "name_en", |f| f.name_en.clone(), |f, s| f.name_en = s, false)}
            {text_field("Адрес (slug)", "slug", |f| f.slug.clone(), |f, s| f.slug = s, false)}
            <p class="hint">{t!(i18n, catalog_slug_hint)}</p>
            {text_field("Бренд / Brand", "brand", |f| f.brand.clone(), |f, s| f.brand = s, false)}
            <label for="product-category">{t!(i18n, catalog_category)}</label>
            <select id="product-category" name="category_id" on:change=move |ev| {
                if let Ok(id) = event_target_value(&ev).parse::<i64>() { form.update(|f| f.category_id = id); }
            }>
                {categories.into_iter().map(|c| {
                    let selected = c.id == data.form.category_id;
                    view! { <option value=c.id.to_string() selected=selected>{c.name}</option> }
                }).collect_view()}
            </select>
            {problem_for("category_id".to_string())}
            {text_field("Описание (рус.)", "description_ru", |f| f.description_ru.clone(), |f, s| f.description_ru = s, true)}
            {text_field("Description (English)", "description_en", |f| f.description_en.clone(), |f, s| f.description_en = s, true)}
            {text_field("Вес, г / Weight, g", "weight_g", |f| f.details.as_ref().map(|d| d.weight_g.clone()).unwrap_or_default(), |f, s| f.details.get_or_insert_with(Default::default).weight_g = s, false)}
            {text_field("Длина, мм / Length, mm", "length_mm", |f| f.details.as_ref().map(|d| d.length_mm.clone()).unwrap_or_default(), |f, s| f.details.get_or_insert_with(Default::default).length_mm = s, false)}
            {text_field("Ширина, мм / Width, mm", "width_mm", |f| f.details.as_ref().map(|d| d.width_mm.clone()).unwrap_or_default(), |f, s| f.details.get_or_insert_with(Default::default).width_mm = s, false)}
            {text_field("Высота, мм / Height, mm", "height_mm", |f| f.details.as_ref().map(|d| d.height_mm.clone()).unwrap_or_default(), |f, s| f.details.get_or_insert_with(Default::default).height_mm = s, false)}
            {text_field("Характеристики: «Имя | Name | значение | value», по строке / Attributes, one a line", "attributes", |f| f.details.as_ref().map(|d| d.attributes.clone()).unwrap_or_default(), |f, s| f.details.get_or_insert_with(Default::default).attributes = s, true)}
            <label for="product-related">{t!(i18n, catalog_related)}</label>
            <input id="product-related" name="related" type="text" data-testid="related"
                prop:value=move || form.with(|f| f.related.clone().unwrap_or_default())
                on:input=move |ev| form.update(|f| f.related = Some(event_target_value(&ev))) />
            <p class="hint">{t!(i18n, catalog_related_hint)}</p>
            {problem_for("related".to_string())}
            {text_field("SEO title", "seo_title", |f| f.seo_title.clone(), |f, s| f.seo_title = s, false)}
            {text_field("SEO description", "seo_description", |f| f.seo_description.clone(), |f, s| f.seo_description = s, false)}
            <label class="checkbox">
                <input type="checkbox" name="published" data-testid="published" prop:checked=move || form.with(|f| f.published)
                    on:change=move |ev| form.update(|f| f.published = event_target_checked(&ev)) />
                {t!(i18n, catalog_published)}
            </label>

            <h2>{t!(i18n, catalog_variants)}</h2>
            {problem_for("variants".to_string())}
            <div class="table-wrap">
                <table class="data variants">
                    <thead><tr>
                        <th>"SKU"</th><th>"Цвет"</th><th>"Colour"</th><th>"#rrggbb"</th>
                        <th>{t!(i18n, catalog_size)}</th><th>{t!(i18n, catalog_price)}</th><th>{t!(i18n, catalog_old_price)}</th><th>{t!(i18n, catalog_backorder)}</th>
                        {stock_headers}<th>{t!(i18n, catalog_extra_options)}</th><th></th>
                    </tr></thead>
                    <tbody>{variant_rows}</tbody>
                </table>
            </div>
            <p><button type="button" data-testid="add-variant" on:click=add_variant>{t!(i18n, catalog_add_variant)}</button></p>
            {save_error}
            <button type="submit" class="button primary" data-testid="save-product" disabled=move || save.pending().get()>{t!(i18n, catalog_save)}</button>
            <p role="status" class="notice" data-testid="saved-note">{move || saved.get().then(|| t_string!(i18n, catalog_saved))}</p>
            <Show when=move || !problems.with(Vec::is_empty)>
                <p class="field-error" role="alert" data-testid="form-problems">{t!(i18n, catalog_fix_problems)}</p>
            </Show>
        </form>
        {product_id.map(|id| view! {
            <Photos product_id=id photos=data.photos.clone() options=data.photo_options.clone() />
            <DeleteProduct product_id=id />
        })}
    }
}

#[component]
fn Photos(
    product_id: i64,
    photos: Vec<PhotoAdminView>,
    options: Vec<OptionValue>,
) -> impl IntoView {
    let i18n = use_i18n();
    let edit = ServerAction::<AdminPhotoEdit>::new();
    let options = StoredValue::new(options);
    // "Any variant" and the product's option values, for a photo's "shows" choice.
    let shows_choices = move |current: String| {
        let any = view! { <option value="" selected=current.is_empty()>{t!(i18n, catalog_photo_shows_any)}</option> };
        let values = options
            .get_value()
            .into_iter()
            .map(|o| {
                let code = o.code();
                let label = format!("{}: {}", o.name(lang(i18n)), o.value(lang(i18n)));
                view! { <option value=code.clone() selected=code == current>{label}</option> }
            })
            .collect_view();
        view! { {any}{values} }
    };
    let edit_error = move || {
        edit.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })
    };
    // Changes reload the page's data from the server, so the list shows what is stored.
    Effect::new(move |_| {
        if let Some(Ok(())) = edit.value().get() {
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });
    let count = photos.len();
    let items = photos
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let id = p.id;
            let (alt_ru, alt_en) = (RwSignal::new(p.alt_ru.clone()), RwSignal::new(p.alt_en.clone()));
            let shows = RwSignal::new(p.shows.clone());
            let send = move |action: &str| {
                edit.dispatch(AdminPhotoEdit {
                    photo_id: id,
                    action: action.to_string(),
                    alt_ru: alt_ru.get_untracked(),
                    alt_en: alt_en.get_untracked(),
                    shows: shows.get_untracked(),
                });
            };
            view! {
                <li class="photo-item" data-testid="admin-photo">
                    <img src=p.thumb alt="" width="96" height="120" />
                    <div class="photo-fields">
                        <label>"Alt (рус.)"<input type="text" prop:value=move || alt_ru.get() on:input=move |ev| alt_ru.set(event_target_value(&ev)) /></label>
                        <label>"Alt (English)"<input type="text" prop:value=move || alt_en.get() on:input=move |ev| alt_en.set(event_target_value(&ev)) /></label>
                        <label>{t!(i18n, catalog_photo_shows)}
                            <select data-testid="photo-shows" on:change=move |ev| shows.set(event_target_value(&ev))>
                                {shows_choices(p.shows.clone())}
                            </select>
                        </label>
                        <div class="photo-actions">
                            <button type="button" data-testid="photo-save" on:click=move |_| send("details")>{t!(i18n, catalog_save)}</button>
                            <button type="button" disabled=i == 0 on:click=move |_| send("up")>"↑"</button>
                            <button type="button" disabled=i + 1 == count on:click=move |_| send("down")>"↓"</button>
                            <button type="button" on:click=move |_| send("delete")>{t!(i18n, catalog_remove)}</button>
                        </div>
                    </div>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="admin-photos">
            <h2>{t!(i18n, catalog_photos)}</h2>
            {edit_error}
            <ol class="photo-list">{items}</ol>
            <form method="post" enctype="multipart/form-data" action=format!("/admin/catalog/{product_id}/photos") class="form upload-form">
                <label for="photo-file">{t!(i18n, catalog_upload)}</label>
                <input id="photo-file" type="file" name="photo" accept="image/jpeg,image/png,image/webp" required data-testid="photo-file" />
                <label for="photo-alt-ru">"Alt (рус.)"</label>
                <input id="photo-alt-ru" type="text" name="alt_ru" />
                <label for="photo-alt-en">"Alt (English)"</label>
                <input id="photo-alt-en" type="text" name="alt_en" />
                <label for="photo-shows">{t!(i18n, catalog_photo_shows)}</label>
                <select id="photo-shows" name="shows" data-testid="upload-shows">{shows_choices(String::new())}</select>
                <p class="hint">{t!(i18n, catalog_upload_hint)}</p>
                <button type="submit" class="button" data-testid="photo-upload">{t!(i18n, catalog_upload_button)}</button>
            </form>
        </section>
    }
}

#[component]
fn DeleteProduct(product_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let delete = ServerAction::<AdminProductDelete>::new();
    let armed = RwSignal::new(false);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/admin/catalog", Default::default());
        }
    });
    view! {
        <section class="danger-zone">
            <Show
                when=move || armed.get()
                fallback=move || view! { <button type="button" on:click=move |_| armed.set(true)>{t!(i18n, catalog_delete)}</button> }
            >
                <button type="button" class="button danger" on:click=move |_| { delete.dispatch(AdminProductDelete { id: product_id }); }>
                    {t!(i18n, catalog_delete_confirm)}
                </button>
                <button type="button" class="link-button" on:click=move |_| armed.set(false)>{t!(i18n, catalog_cancel)}</button>
            </Show>
        </section>
    }
}
