//! Information pages (CAT-4: delivery, payment, returns, contacts, ...),
//! edited by managers and admins; the storefront shows a change within a second.
use crate::api::admin_catalog::{admin_info_page_save, admin_info_pages};
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::domain::catalog::editing::{FieldProblem, InfoPageForm};
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn InfoPagesPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::ManageCatalog>
            <InfoPages />
        </super::RequirePermission>
    }
}

#[component]
fn InfoPages() -> impl IntoView {
    let i18n = use_i18n();
    let pages = Resource::new(|| (), |_| admin_info_pages());
    let body = move || {
        Suspend::new(async move {
            match pages.await {
                Ok(list) => view! {
                    {list.into_iter().map(|p| view! { <PageEditor page=p /> }).collect_view()}
                    <h2>{t!(i18n, pages_new)}</h2>
                    <PageEditor page=InfoPageForm::default() />
                }
                .into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                    .into_any(),
            }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, admin_pages).to_string() />
        <h1>{t!(i18n, admin_pages)}</h1>
        <Transition>{body}</Transition>
    }
}

#[component]
fn PageEditor(page: InfoPageForm) -> impl IntoView {
    let i18n = use_i18n();
    let is_new = page.slug.is_empty();
    let key = if is_new {
        "new".to_string()
    } else {
        page.slug.clone()
    };
    let form = RwSignal::new(page);
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let saved = RwSignal::new(false);
    let save = Action::new(move |f: &InfoPageForm| admin_info_page_save(f.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(ps)) => {
            saved.set(ps.is_empty());
            problems.set(ps);
        }
        Some(Err(_)) => saved.set(false),
        None => {}
    });
    let problem = move |field: &'static str| {
        move || {
            problems.with(|ps| {
                ps.iter()
                    .find(|p| p.field == field)
                    .map(|p| view! { <p class="field-error" role="alert">{p.problem.message(lang(i18n))}</p> })
            })
        }
    };
    let field = move |label: &'static str,
                      name: &'static str,
                      get: fn(&InfoPageForm) -> String,
                      set: fn(&mut InfoPageForm, String),
                      multiline: bool| {
        let id = format!(
            "page-{}-{name}",
            form.with_untracked(|f| if f.slug.is_empty() {
                "new".to_string()
            } else {
                f.slug.clone()
            })
        );
        let input = if multiline {
            view! { <textarea id=id.clone() rows="6" data-testid=id.clone() prop:value=move || form.with(get) on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))></textarea> }.into_any()
        } else {
            view! { <input id=id.clone() type="text" data-testid=id.clone() prop:value=move || form.with(get) on:input=move |ev| form.update(|f| set(f, event_target_value(&ev))) /> }.into_any()
        };
        view! { <label for=id>{label}</label>{input}{problem(name)} }
    };
    let slug_field = is_new.then(|| {
        field(
            "Адрес (slug)",
            "slug",
            |f| f.slug.clone(),
            |f, s| f.slug = s,
            false,
        )
    });
    let error = move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })
    };
    view! {
        <form class="form info-editor" data-testid=format!("page-form-{key}") on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            saved.set(false);
            save.dispatch(form.get_untracked());
        }>
            {(!is_new).then(|| view! { <h2>{move || form.with(|f| f.title_ru.clone())}" · /info/"{form.with_untracked(|f| f.slug.clone())}</h2> })}
            {slug_field}
            {field("Заголовок (рус.)", "title_ru", |f| f.title_ru.clone(), |f, s| f.title_ru = s, false)}
            {field("Title (English)", "title_en", |f| f.title_en.clone(), |f, s| f.title_en = s, false)}
            {field("Текст (рус.), абзацы через пустую строку", "body_ru", |f| f.body_ru.clone(), |f, s| f.body_ru = s, true)}
            {field("Text (English), paragraphs separated by a blank line", "body_en", |f| f.body_en.clone(), |f, s| f.body_en = s, true)}
            {error}
            <button type="submit" class="button primary" disabled=move || save.pending().get()>{t!(i18n, catalog_save)}</button>
            <p role="status" class="notice">{move || saved.get().then(|| t_string!(i18n, catalog_saved))}</p>
        </form>
    }
}
