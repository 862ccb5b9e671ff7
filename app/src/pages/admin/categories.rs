//! The category tree (CAT-5): rename, move under another parent, reorder,
//! feature on the home page, add and delete (only when empty).
use crate::api::admin_catalog::{
    admin_categories, admin_category_delete, admin_category_save, CategoryRow,
};
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::domain::catalog::editing::{CategoryForm, FieldProblem};
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn CategoriesPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::ManageCatalog>
            <Categories />
        </super::RequirePermission>
    }
}

#[component]
fn Categories() -> impl IntoView {
    let i18n = use_i18n();
    let changed = RwSignal::new(0u32);
    let rows = Resource::new(move || changed.get(), |_| admin_categories());
    let body = move || {
        Suspend::new(async move {
            match rows.await {
                Ok(rows) => {
                    let parents: Vec<(i64, String)> = rows
                        .iter()
                        .filter_map(|r| r.form.id.map(|id| (id, r.path.clone())))
                        .collect();
                    let editors = rows
                        .into_iter()
                        .map(|row| view! { <CategoryEditor row parents=parents.clone() changed /> })
                        .collect_view();
                    let blank = CategoryRow {
                        form: CategoryForm::default(),
                        path: String::new(),
                        products: 0,
                    };
                    view! {
                        <ul class="category-editors">{editors}</ul>
                        <h2>{t!(i18n, categories_new)}</h2>
                        <CategoryEditor row=blank parents changed />
                    }
                    .into_any()
                }
                Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                    .into_any(),
            }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, admin_categories).to_string() />
        <h1>{t!(i18n, admin_categories)}</h1>
        <Transition>{body}</Transition>
    }
}

#[component]
fn CategoryEditor(
    row: CategoryRow,
    parents: Vec<(i64, String)>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = row.form.slug.clone();
    let key = if key.is_empty() {
        "new".to_string()
    } else {
        key
    };
    let own_id = row.form.id;
    let form = RwSignal::new(row.form.clone());
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let save = Action::new(move |f: &CategoryForm| admin_category_save(f.clone()));
    let delete = Action::new(move |id: &i64| admin_category_delete(*id));
    let settle = move |result: Option<Result<Vec<FieldProblem>, crate::api::AppError>>| {
        if let Some(Ok(ps)) = result {
            let ok = ps.is_empty();
            problems.set(ps);
            if ok {
                changed.update(|n| *n += 1);
            }
        }
    };
    Effect::new(move |_| settle(save.value().get()));
    Effect::new(move |_| settle(delete.value().get()));
    let problem = move |field: &'static str| {
        move || {
            problems.with(|ps| {
                ps.iter()
                    .filter(|p| p.field == field)
                    .map(|p| view! { <p class="field-error" role="alert">{p.problem.message(lang(i18n))}</p> })
                    .collect_view()
            })
        }
    };
    let error = move || {
        save.value()
            .get()
            .or(delete.value().get())
            .and_then(|r| r.err())
            .map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })
    };
    let id_prefix = format!("category-{key}");
    let text = move |label: &'static str,
                     name: &'static str,
                     get: fn(&CategoryForm) -> String,
                     set: fn(&mut CategoryForm, String)| {
        let id = format!("{id_prefix}-{name}");
        view! {
            <label for=id.clone()>{label}</label>
            <input id=id.clone() type="text" data-testid=id prop:value=move || form.with(get)
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev))) />
            {problem(name)}
        }
    };
    let parent_options = parents
        .into_iter()
        .filter(|(id, _)| Some(*id) != own_id)
        .map(|(id, path)| {
            let selected = row.form.parent_id == Some(id);
            view! { <option value=id.to_string() selected=selected>{path}</option> }
        })
        .collect_view();
    let parent_id = format!("category-{key}-parent");
    view! {
        <li class="category-editor" data-testid=format!("category-{key}")>
            <form class="form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                save.dispatch(form.get_untracked());
            }>
                {(!row.path.is_empty()).then(|| view! { <h2>{row.path.clone()}" "<small>{t!(i18n, categories_products, count = row.products)}</small></h2> })}
                {text("Название (рус.)", "name_ru", |f| f.name_ru.clone(), |f, s| f.name_ru = s)}
                {text("Name (English)", "name_en", |f| f.name_en.clone(), |f, s| f.name_en = s)}
                {text("Адрес (slug)", "slug", |f| f.slug.clone(), |f, s| f.slug = s)}
                <label for=parent_id.clone()>{t!(i18n, categories_parent)}</label>
                <select id=parent_id.clone() data-testid=parent_id on:change=move |ev| {
                    let value = event_target_value(&ev);
                    form.update(|f| f.parent_id = value.parse().ok());
                }>
                    <option value="" selected=row.form.parent_id.is_none()>{t!(i18n, categories_top)}</option>
                    {parent_options}
                </select>
                {problem("parent_id")}
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || form.with(|f| f.featured)
                        on:change=move |ev| form.update(|f| f.featured = event_target_checked(&ev)) />
                    {t!(i18n, categories_featured)}
                </label>
                {error}
                <div class="photo-actions">
                    <button type="submit" class="button primary">{t!(i18n, catalog_save)}</button>
                    {own_id.map(|id| view! {
                        <button type="button" on:click=move |_| { delete.dispatch(id); }>{t!(i18n, catalog_remove)}</button>
                    })}
                </div>
                {problem("delete")}
            </form>
        </li>
    }
}
