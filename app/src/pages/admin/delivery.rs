//! Delivery settings (CHK-2, LOG-1): each method's names, price, rates by
//! zone and weight, free-over threshold, lead time, try-on and whether it is
//! offered; new methods; the pickup points and parcel lockers shoppers choose
//! from; the warehouses' days to the dispatch point.
use crate::api::delivery::{
    admin_delivery, admin_save_delivery_method, admin_save_pickup_point, admin_save_warehouse_days,
};
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::domain::catalog::editing::FieldProblem;
use crate::domain::delivery::{DeliveryMethodForm, PickupPointForm, WarehouseDays};
use crate::domain::tracking::CARRIERS;
use crate::i18n::*;
use leptos::prelude::*;

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
                        .map(|form| view! { <MethodEditor form reload /> })
                        .collect_view();
                    let new_method = DeliveryMethodForm {
                        kind: "courier".into(),
                        price: "0".into(),
                        lead_days: "1".into(),
                        active: true,
                        ..Default::default()
                    };
                    let warehouses = s
                        .warehouses
                        .into_iter()
                        .map(|form| view! { <WarehouseEditor form /> })
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
                        <details class="template" data-testid="method-new">
                            <summary>{t!(i18n, delivery_method_new)}</summary>
                            <MethodEditor form=new_method reload />
                        </details>
                        <h2>{t!(i18n, delivery_warehouses)}</h2>
                        <div class="template-list">{warehouses}</div>
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
        <PageTitle text=move || t_string!(i18n, admin_delivery).to_string() />
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
fn MethodEditor(form: DeliveryMethodForm, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let is_new = form.id == 0;
    let code = if is_new {
        "new".to_string()
    } else {
        form.code.clone()
    };
    let form = RwSignal::new(form);
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let save = Action::new(|f: &DeliveryMethodForm| admin_save_delivery_method(f.clone()));
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
    let try_on_id = format!("method-{code}-try_on");
    let carrier_id = format!("method-{code}-carrier");
    let rates_id = format!("method-{code}-rates");
    let kind_id = format!("method-{code}-kind");
    let identity = is_new.then(|| {
        let kind_id = kind_id.clone();
        view! {
            {field(t_string!(i18n, delivery_code).to_string(), "code", |f| f.code.clone(), |f, s| f.code = s)}
            <label for=kind_id.clone()>{t!(i18n, delivery_kind)}</label>
            <select id=kind_id.clone() data-testid=kind_id
                on:change=move |ev| form.update(|f| f.kind = event_target_value(&ev))>
                <option value="courier" selected=true>{t!(i18n, delivery_kind_courier)}</option>
                <option value="pickup_point">{t!(i18n, delivery_kind_pickup_point)}</option>
                <option value="post">{t!(i18n, delivery_kind_post)}</option>
            </select>
            {problem_of(problems, "kind")}
        }
    });
    let editor = view! {
            <form class="form" data-testid=format!("method-form-{code}") on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                save.dispatch(form.get_untracked());
            }>
                {identity}
                {field(t_string!(i18n, promo_name_ru).to_string(), "name_ru", |f| f.name_ru.clone(), |f, s| f.name_ru = s)}
                {field(t_string!(i18n, promo_name_en).to_string(), "name_en", |f| f.name_en.clone(), |f, s| f.name_en = s)}
                {field(t_string!(i18n, delivery_price).to_string(), "price", |f| f.price.clone(), |f, s| f.price = s)}
                {field(t_string!(i18n, delivery_free_from).to_string(), "free_from", |f| f.free_from.clone(), |f, s| f.free_from = s)}
                {field(t_string!(i18n, delivery_lead_days).to_string(), "lead_days", |f| f.lead_days.clone(), |f, s| f.lead_days = s)}
                <label for=rates_id.clone()>{t!(i18n, delivery_rates)}</label>
                <textarea id=rates_id.clone() data-testid=rates_id.clone() rows="4"
                    placeholder="Москва; 5; 390"
                    prop:value=move || form.with(|f| f.rates.clone())
                    on:input=move |ev| form.update(|f| f.rates = event_target_value(&ev))></textarea>
                {problem_of(problems, "rates")}
                <label class="checkbox" for=try_on_id.clone()>
                    <input id=try_on_id.clone() type="checkbox" data-testid=try_on_id.clone()
                        prop:checked=move || form.with(|f| f.try_on)
                        on:change=move |ev| form.update(|f| f.try_on = event_target_checked(&ev)) />
                    {t!(i18n, delivery_try_on)}
                </label>
                {problem_of(problems, "try_on")}
                {field(t_string!(i18n, delivery_tracking_url).to_string(), "tracking_url", |f| f.tracking_url.clone(), |f, s| f.tracking_url = s)}
                <label for=carrier_id.clone()>{t!(i18n, delivery_carrier)}</label>
                <select id=carrier_id.clone() data-testid=carrier_id.clone()
                    on:change=move |ev| form.update(|f| f.carrier = event_target_value(&ev))>
                    <option value="" selected=move || form.with(|f| f.carrier.is_empty())>{t!(i18n, delivery_carrier_none)}</option>
                    {CARRIERS.iter().map(|(code, name)| view! {
                        <option value=*code selected=move || form.with(|f| f.carrier == *code)>{*name}</option>
                    }).collect_view()}
                </select>
                {problem_of(problems, "carrier")}
                <label class="checkbox" for=active_id.clone()>
                    <input id=active_id.clone() type="checkbox" data-testid=active_id.clone()
                        prop:checked=move || form.with(|f| f.active)
                        on:change=move |ev| form.update(|f| f.active = event_target_checked(&ev)) />
                    {t!(i18n, delivery_offered)}
                </label>
                {move || save.value().get().and_then(Result::err).map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
                <button type="submit" class="button primary" data-testid="method-save" disabled=move || save.pending().get()>{t!(i18n, catalog_save)}</button>
                <p role="status" class="notice">{move || (saved() && !is_new).then(|| t_string!(i18n, catalog_saved))}</p>
            </form>
    };
    if is_new {
        editor.into_any()
    } else {
        view! {
            <details class="template" data-testid=format!("method-{code}")>
                <summary>{move || form.with(|f| f.name_ru.clone())}" · "<code>{code.clone()}</code></summary>
                {editor}
            </details>
        }
        .into_any()
    }
}

#[component]
fn WarehouseEditor(form: WarehouseDays) -> impl IntoView {
    let i18n = use_i18n();
    let id = form.id;
    let name = form.name.clone();
    let form = RwSignal::new(form);
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let save = Action::new(|f: &WarehouseDays| admin_save_warehouse_days(f.clone()));
    Effect::new(move |_| {
        if let Some(Ok(ps)) = save.value().get() {
            problems.set(ps);
        }
    });
    let saved = move || matches!(save.value().get(), Some(Ok(ref ps)) if ps.is_empty());
    view! {
        <form class="form" data-testid=format!("warehouse-{id}") on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            save.dispatch(form.get_untracked());
        }>
            <h3>{name}</h3>
            {text_input(
                form,
                problems,
                format!("warehouse-{id}-days"),
                t_string!(i18n, delivery_dispatch_days).to_string(),
                "dispatch_days",
                |f| f.dispatch_days.clone(),
                |f, s| f.dispatch_days = s,
            )}
            {move || save.value().get().and_then(Result::err).map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
            <button type="submit" class="button primary" data-testid="warehouse-save" disabled=move || save.pending().get()>{t!(i18n, catalog_save)}</button>
            <p role="status" class="notice">{move || saved().then(|| t_string!(i18n, catalog_saved))}</p>
        </form>
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
            {field(t_string!(i18n, delivery_latitude).to_string(), "latitude", |f| f.latitude.clone(), |f, s| f.latitude = s)}
            {field(t_string!(i18n, delivery_longitude).to_string(), "longitude", |f| f.longitude.clone(), |f, s| f.longitude = s)}
            {problem_of(problems, "coordinates")}
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
