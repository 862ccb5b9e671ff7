//! Delivery settings (CHK-2, LOG-1): each method's names, price, free-over
//! threshold, lead time and whether it is offered; the pickup points and
//! parcel lockers shoppers choose from.
use crate::api::delivery::{admin_delivery, admin_save_delivery_method, admin_save_pickup_point};
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::domain::accounts::Permission;
use crate::domain::catalog::editing::FieldProblem;
use crate::domain::delivery::{DeliveryMethodForm, PickupPointForm};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DeliveryPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::ManageDelivery>
            <Delivery />
        </super::RequirePermission>
    }
}

#[component]
fn Delivery() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let settings = Resource::new(move || reload.get(), |_| admin_delivery());
    let body = move || {
        Suspend::new(async move {
            match settings.await {
                Ok(s) => {
                    let pickup_methods: Vec<String> = s
                        .methods
                        .iter()
                        .filter(|m| m.kind == "pickup_point")
                        .map(|m| m.code.clone())
                        .collect();
                    let first_pickup = pickup_methods.first().cloned().unwrap_or_default();
                    let methods = s
                        .methods
                        .into_iter()
                        .map(|form| view! { <MethodEditor form /> })
                        .collect_view();
                    let points = s
                        .pickup_points
                        .into_iter()
                        .map(|form| {
                            let title = format!("{}: {}", form.city, form.name);
                            view! {
                                <details class="template" data-testid="pickup-point-row">
                                    <summary>{title}{(!form.active).then(|| view! { " · " {t!(i18n, template_off)} })}</summary>
                                    <PointEditor form reload />
                                </details>
                            }
                        })
                        .collect_view();
                    let new_point = PickupPointForm {
                        method_code: first_pickup,
                        active: true,
                        ..Default::default()
                    };
                    view! {
                        <h2>{t!(i18n, delivery_methods)}</h2>
                        <div class="template-list">{methods}</div>
                        <h2>{t!(i18n, delivery_points)}</h2>
                        <div class="template-list">{points}</div>
                        <h3>{t!(i18n, delivery_point_new)}</h3>
                        <PointEditor form=new_point reload />
                    }
                    .into_any()
                }
                Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                    .into_any(),
            }
        })
    };
    view! {
        <Title text=move || t_string!(i18n, admin_delivery).to_string() />
        <h1>{t!(i18n, admin_delivery)}</h1>
        <Transition>{body}</Transition>
    }
}

/// The error under a field, from the last save.
fn problem_of(
    problems: RwSignal<Vec<FieldProblem>>,
    field: &'static str,
) -> impl Fn() -> Option<AnyView> + Send + Sync + Clone + 'static {
    let i18n = use_i18n();
    move || {
        problems.with(|ps| {
            ps.iter().find(|p| p.field == field).map(|p| {
                view! { <p class="field-error" role="alert">{p.problem.message(lang(i18n))}</p> }
                    .into_any()
            })
        })
    }
}

/// A labelled text input bound to one field of `form`, with its error.
fn text_input<F: Send + Sync + 'static>(
    form: RwSignal<F>,
    problems: RwSignal<Vec<FieldProblem>>,
    id: String,
    label: String,
    name: &'static str,
    get: fn(&F) -> String,
    set: fn(&mut F, String),
) -> impl IntoView {
    view! {
        <label for=id.clone()>{label}</label>
        <input id=id.clone() type="text" data-testid=id
            prop:value=move || form.with(get)
            on:input=move |ev| form.update(|f| set(f, event_target_value(&ev))) />
        {problem_of(problems, name)}
    }
}

#[component]
fn MethodEditor(form: DeliveryMethodForm) -> impl IntoView {
    let i18n = use_i18n();
    let code = form.code.clone();
    let form = RwSignal::new(form);
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let save = Action::new(|f: &DeliveryMethodForm| admin_save_delivery_method(f.clone()));
    Effect::new(move |_| {
        if let Some(Ok(ps)) = save.value().get() {
            problems.set(ps);
        }
    });
    let saved = move || matches!(save.value().get(), Some(Ok(ref ps)) if ps.is_empty());
    let field = {
        let code = code.clone();
        move |label: String,
              name: &'static str,
              get: fn(&DeliveryMethodForm) -> String,
              set: fn(&mut DeliveryMethodForm, String)| {
            text_input(
                form,
                problems,
                format!("method-{code}-{name}"),
                label,
                name,
                get,
                set,
            )
        }
    };
    let active_id = format!("method-{code}-active");
    view! {
        <details class="template" data-testid=format!("method-{code}")>
            <summary>{move || form.with(|f| f.name_ru.clone())}" · "<code>{code.clone()}</code></summary>
            <form class="form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                save.dispatch(form.get_untracked());
            }>
                {field(t_string!(i18n, promo_name_ru).to_string(), "name_ru", |f| f.name_ru.clone(), |f, s| f.name_ru = s)}
                {field(t_string!(i18n, promo_name_en).to_string(), "name_en", |f| f.name_en.clone(), |f, s| f.name_en = s)}
                {field(t_string!(i18n, delivery_price).to_string(), "price", |f| f.price.clone(), |f, s| f.price = s)}
                {field(t_string!(i18n, delivery_free_from).to_string(), "free_from", |f| f.free_from.clone(), |f, s| f.free_from = s)}
                {field(t_string!(i18n, delivery_lead_days).to_string(), "lead_days", |f| f.lead_days.clone(), |f, s| f.lead_days = s)}
                <label class="checkbox" for=active_id.clone()>
                    <input id=active_id.clone() type="checkbox" data-testid=active_id.clone()
                        prop:checked=move || form.with(|f| f.active)
                        on:change=move |ev| form.update(|f| f.active = event_target_checked(&ev)) />
                    {t!(i18n, delivery_offered)}
                </label>
                {move || save.value().get().and_then(Result::err).map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
                <button type="submit" class="button primary" data-testid="method-save" disabled=move || save.pending().get()>{t!(i18n, catalog_save)}</button>
                <p role="status" class="notice">{move || saved().then(|| t_string!(i18n, catalog_saved))}</p>
            </form>
        </details>
    }
}

#[component]
fn PointEditor(form: PickupPointForm, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let key = form
        .id
        .map(|id| id.to_string())
        .unwrap_or_else(|| "new".into());
    let is_new = form.id.is_none();
    let form = RwSignal::new(form);
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let save = Action::new(|f: &PickupPointForm| admin_save_pickup_point(f.clone()));
    Effect::new(move |_| {
        if let Some(Ok(ps)) = save.value().get() {
            let done = ps.is_empty();
            problems.set(ps);
            if done && is_new {
                reload.update(|n| *n += 1);
            }
        }
    });
    let saved = move || matches!(save.value().get(), Some(Ok(ref ps)) if ps.is_empty());
    let field = {
        let key = key.clone();
        move |label: String,
              name: &'static str,
              get: fn(&PickupPointForm) -> String,
              set: fn(&mut PickupPointForm, String)| {
            text_input(
                form,
                problems,
                format!("point-{key}-{name}"),
                label,
                name,
                get,
                set,
            )
        }
    };
    let active_id = format!("point-{key}-active");
    view! {
        <form class="form" data-testid=format!("point-form-{key}") on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            save.dispatch(form.get_untracked());
        }>
            {field(t_string!(i18n, delivery_point_name).to_string(), "name", |f| f.name.clone(), |f, s| f.name = s)}
            {field(t_string!(i18n, checkout_city).to_string(), "city", |f| f.city.clone(), |f, s| f.city = s)}
            {field(t_string!(i18n, checkout_address).to_string(), "address", |f| f.address.clone(), |f, s| f.address = s)}
            {field(t_string!(i18n, delivery_point_hours).to_string(), "hours", |f| f.hours.clone(), |f, s| f.hours = s)}
            {problem_of(problems, "method_code")}
            <label class="checkbox" for=active_id.clone()>
                <input id=active_id.clone() type="checkbox" data-testid=active_id.clone()
                    prop:checked=move || form.with(|f| f.active)
                    on:change=move |ev| form.update(|f| f.active = event_target_checked(&ev)) />
                {t!(i18n, delivery_offered)}
            </label>
            {move || save.value().get().and_then(Result::err).map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
            <button type="submit" class="button primary" data-testid="point-save" disabled=move || save.pending().get()>{t!(i18n, catalog_save)}</button>
            <p role="status" class="notice">{move || (saved() && !is_new).then(|| t_string!(i18n, catalog_saved))}</p>
        </form>
    }
}
