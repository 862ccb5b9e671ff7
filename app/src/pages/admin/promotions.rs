//! Promotions and promo codes (LOY-2): create, edit, pause and resume, see
//! how often each was used, and choose how several combine.
use crate::api::promotions::{
    admin_promotion_active, admin_promotion_combination, admin_promotion_save, admin_promotions,
    PromotionRow, PromotionState,
};
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::domain::catalog::editing::FieldProblem;
use crate::domain::promotions::{Combination, PromotionForm};
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn PromotionsPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::ManagePromotions>
            <Promotions />
        </super::RequirePermission>
    }
}

#[component]
fn Promotions() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let page = Resource::new(move || reload.get(), |_| admin_promotions());
    let set_rule = Action::new(|rule: &Combination| admin_promotion_combination(*rule));
    let toggle = Action::new(|(id, active): &(i64, bool)| admin_promotion_active(*id, *active));
    Effect::new(move |_| {
        if let Some(Ok(())) = toggle.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let body = move || {
        Suspend::new(async move {
            match page.await {
                Ok(p) => {
                    let rule = p.combination;
                    let rows = p
                        .rows
                        .into_iter()
                        .map(|row| view! { <PromotionItem row toggle reload /> })
                        .collect_view();
                    view! {
                        <label for="promo-combination">{t!(i18n, promo_combination)}</label>
                        <select id="promo-combination" data-testid="promo-combination"
                            on:change=move |ev| {
                                let rule = Combination::parse(&event_target_value(&ev));
                                set_rule.dispatch(rule);
                            }>
                            <option value="best" selected={rule == Combination::BestSingle}>{t!(i18n, promo_combination_best)}</option>
                            <option value="stack" selected={rule == Combination::Stack}>{t!(i18n, promo_combination_stack)}</option>
                        </select>
                        <p role="status" class="notice">
                            {move || matches!(set_rule.value().get(), Some(Ok(()))).then(|| t_string!(i18n, catalog_saved))}
                        </p>
                        <ul class="promotion-list">{rows}</ul>
                        <h2>{t!(i18n, promo_new)}</h2>
                        <PromotionEditor form=PromotionForm { active: true, kind: "percent".into(), ..Default::default() } reload />
                    }
                    .into_any()
                }
                Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                    .into_any(),
            }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, admin_promotions).to_string() />
        <h1>{t!(i18n, admin_promotions)}</h1>
        <Transition>{body}</Transition>
    }
}

#[component]
fn PromotionItem(
    row: PromotionRow,
    toggle: Action<(i64, bool), Result<(), crate::api::AppError>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = row.form.id.unwrap_or_default();
    let active = row.form.active;
    let state = match row.state {
        PromotionState::Running => t_string!(i18n, promo_state_running).to_string(),
        PromotionState::Scheduled => t_string!(i18n, promo_state_scheduled).to_string(),
        PromotionState::Ended => t_string!(i18n, promo_state_ended).to_string(),
        PromotionState::UsedUp => t_string!(i18n, promo_state_used_up).to_string(),
        PromotionState::Paused => t_string!(i18n, promo_state_paused).to_string(),
    };
    let code = if row.form.code.is_empty() {
        t_string!(i18n, promo_automatic).to_string()
    } else {
        row.form.code.clone()
    };
    let uses = row.uses;
    let key = if row.form.code.is_empty() {
        id.to_string()
    } else {
        row.form.code.to_lowercase()
    };
    view! {
        <li class="promotion" data-testid=format!("promotion-{key}")>
            <p class="promotion-head">
                <strong>{row.form.name_ru.clone()}</strong>" · "<code>{code}</code>" · "
                <span data-testid="promotion-state">{state}</span>" · "
                <span data-testid="promotion-uses">{t!(i18n, promo_uses, uses)}</span>" "
                <button type="button" class="link-button" data-testid="promotion-toggle"
                    on:click=move |_| { toggle.dispatch((id, !active)); }>
                    {if active { t_string!(i18n, promo_pause) } else { t_string!(i18n, promo_resume) }}
                </button>
            </p>
            <details>
                <summary>{t!(i18n, promo_edit)}</summary>
                <PromotionEditor form=row.form reload />
            </details>
        </li>
    }
}

#[component]
fn PromotionEditor(form: PromotionForm, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let key = form
        .id
        .map(|id| id.to_string())
        .unwrap_or_else(|| "new".into());
    let form = RwSignal::new(form);
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let saved = RwSignal::new(false);
    let save = Action::new(move |f: &PromotionForm| admin_promotion_save(f.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(ps)) => {
            saved.set(ps.is_empty());
            let done = ps.is_empty();
            problems.set(ps);
            if done {
                reload.update(|n| *n += 1);
            }
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
    let key_for_fields = key.clone();
    let field = move |label: String,
                      name: &'static str,
                      input_type: &'static str,
                      get: fn(&PromotionForm) -> String,
                      set: fn(&mut PromotionForm, String)| {
        let id = format!("promo-{key_for_fields}-{name}");
        view! {
            <label for=id.clone()>{label}</label>
            <input id=id.clone() type=input_type data-testid=id
                prop:value=move || form.with(get)
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev))) />
            {problem(name)}
        }
    };
    let kind_id = format!("promo-{key}-kind");
    let active_id = format!("promo-{key}-active");
    let error = move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })
    };
    let kind = move || form.with(|f| f.kind.clone());
    view! {
        <form class="form promotion-editor" data-testid=format!("promo-form-{key}")
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                saved.set(false);
                save.dispatch(form.get_untracked());
            }>
            {field(t_string!(i18n, promo_name_ru).to_string(), "name_ru", "text", |f| f.name_ru.clone(), |f, s| f.name_ru = s)}
            {field(t_string!(i18n, promo_name_en).to_string(), "name_en", "text", |f| f.name_en.clone(), |f, s| f.name_en = s)}
            {field(t_string!(i18n, promo_code).to_string(), "code", "text", |f| f.code.clone(), |f, s| f.code = s)}
            <label for=kind_id.clone()>{t!(i18n, promo_kind)}</label>
            <select id=kind_id.clone() data-testid=kind_id
                on:change=move |ev| form.update(|f| f.kind = event_target_value(&ev))>
                <option value="percent" selected={kind() == "percent"}>{t!(i18n, promo_kind_percent)}</option>
                <option value="fixed" selected={kind() == "fixed"}>{t!(i18n, promo_kind_fixed)}</option>
                <option value="free_delivery" selected={kind() == "free_delivery"}>{t!(i18n, promo_kind_free_delivery)}</option>
            </select>
            {problem("kind")}
            {field(t_string!(i18n, promo_value).to_string(), "value", "text", |f| f.value.clone(), |f, s| f.value = s)}
            {field(t_string!(i18n, promo_min_order).to_string(), "min_order", "text", |f| f.min_order.clone(), |f, s| f.min_order = s)}
            {field(t_string!(i18n, promo_starts_on).to_string(), "starts_on", "date", |f| f.starts_on.clone(), |f, s| f.starts_on = s)}
            {field(t_string!(i18n, promo_ends_on).to_string(), "ends_on", "date", |f| f.ends_on.clone(), |f, s| f.ends_on = s)}
            {field(t_string!(i18n, promo_usage_limit).to_string(), "usage_limit", "text", |f| f.usage_limit.clone(), |f, s| f.usage_limit = s)}
            {field(t_string!(i18n, promo_per_customer_limit).to_string(), "per_customer_limit", "text", |f| f.per_customer_limit.clone(), |f, s| f.per_customer_limit = s)}
            {field(t_string!(i18n, promo_categories).to_string(), "categories", "text", |f| f.categories.clone(), |f, s| f.categories = s)}
            {field(t_string!(i18n, promo_products).to_string(), "products", "text", |f| f.products.clone(), |f, s| f.products = s)}
            <label class="checkbox" for=active_id.clone()>
                <input id=active_id.clone() type="checkbox" data-testid=active_id.clone()
                    prop:checked=move || form.with(|f| f.active)
                    on:change=move |ev| form.update(|f| f.active = event_target_checked(&ev)) />
                {t!(i18n, promo_active)}
            </label>
            {error}
            <button type="submit" class="button primary" data-testid="promo-save" disabled=move || save.pending().get()>{t!(i18n, catalog_save)}</button>
            <p role="status" class="notice">{move || saved.get().then(|| t_string!(i18n, catalog_saved))}</p>
        </form>
    }
}
