//! Changing an order before picking (ORD-6): the operator changes
//! quantities, drops or adds goods (by name, SKU or barcode) and changes the
//! delivery; every change is priced and reserved by the server as a
//! preview that saves nothing, then "Save changes" does it for real.
use crate::api::checkout::load_pickup_points;
use crate::api::order_edits::{admin_order_edit, admin_order_edit_draft, EditOutcome, EditPreview};
use crate::api::phone_orders::VariantPick;
use crate::components::catalog::use_currency;
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::domain::delivery::DeliveryKind;
use crate::domain::money::{format_money, Lang};
use crate::domain::order_edits::{label, EditLine, OrderEdit};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn OrderEditPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::HandleOrders>
            <OrderEditForm />
        </super::RequirePermission>
    }
}

/// Where the parcel goes, as typed: (city, street, postcode).
type Address = (String, String, String);

#[component]
fn OrderEditForm() -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let navigate = use_navigate();
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let back = move || format!("/admin/orders/{}", number());

    // Loaded in the browser, like the order page: the page is all controls.
    let draft = LocalResource::new(move || admin_order_edit_draft(number(), lang(i18n)));
    let edit = RwSignal::new(None::<OrderEdit>);
    let labels = RwSignal::new(Vec::<(i64, String)>::new());
    // Typed address fields reach the preview when a field is left, not on
    // every key; saving takes them as they are.
    let typed = RwSignal::new(Address::default());
    let reason = RwSignal::new(String::new());
    let load_failure = RwSignal::new(None::<crate::api::AppError>);
    Effect::new(move |_| match draft.get() {
        Some(Ok(found)) => {
            typed.set((
                found.edit.city.clone(),
                found.edit.address.clone(),
                found.edit.postcode.clone(),
            ));
            labels.set(found.labels);
            edit.set(Some(found.edit));
        }
        Some(Err(e)) => load_failure.set(Some(e)),
        None => {}
    });

    let preview = LocalResource::new(move || {
        let (edit, number, lang) = (edit.get(), number(), lang(i18n));
        async move {
            match edit {
                Some(edit) => Some(admin_order_edit(number, edit, false, lang).await),
                None => None,
            }
        }
    });
    // The last good preview keeps prices and delivery choices on screen
    // while a refused change is shown.
    let last = RwSignal::new(None::<EditPreview>);
    let problem = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<crate::api::AppError>);
    let show = move |answer: Result<EditOutcome, crate::api::AppError>| match answer {
        Ok(EditOutcome::Preview(p) | EditOutcome::Saved(p)) => {
            problem.set(None);
            failure.set(None);
            last.set(Some(*p));
        }
        Ok(EditOutcome::Refused(why)) => {
            problem.set(Some(why.message(lang(i18n), currency.get_untracked())));
        }
        Err(e) => failure.set(Some(e)),
    };
    Effect::new(move |_| {
        if let Some(Some(answer)) = preview.get() {
            show(answer);
        }
    });

    let save = Action::new(|(number, edit, lang): &(String, OrderEdit, Lang)| {
        admin_order_edit(number.clone(), edit.clone(), true, *lang)
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(EditOutcome::Saved(_))) => navigate(&back(), Default::default()),
        Some(answer) => show(answer),
        None => {}
    });

    let change = move |f: &dyn Fn(&mut OrderEdit)| {
        edit.update(|e| {
            if let Some(e) = e.as_mut() {
                f(e);
            }
        });
    };
    let set_quantity = move |variant_id: i64, quantity: u32| {
        change(&|e: &mut OrderEdit| {
            if let Some(line) = e.lines.iter_mut().find(|l| l.variant_id == variant_id) {
                line.quantity = quantity;
            }
            e.lines.retain(|l| l.quantity > 0);
        })
    };
    let commit_address = move || {
        let (city, street, postcode) = typed.get_untracked();
        change(&|e: &mut OrderEdit| {
            e.city = city.clone();
            e.address = street.clone();
            e.postcode = postcode.clone();
        })
    };
    let chosen_kind = Memo::new(move |_| {
        let code = edit.with(|e| e.as_ref().map(|e| e.delivery.clone()))?;
        last.with(|p| {
            p.as_ref()
                .and_then(|p| p.quotes.iter().find(|q| q.code == code).map(|q| q.kind))
        })
    });
    let pickup_points = LocalResource::new(move || {
        let code = edit.with(|e| e.as_ref().map(|e| e.delivery.clone()).unwrap_or_default());
        let pickup = chosen_kind.get() == Some(DeliveryKind::PickupPoint);
        async move {
            if pickup {
                load_pickup_points(code).await.unwrap_or_default()
            } else {
                Vec::new()
            }
        }
    });

    let money = move |d| format_money(d, currency.get_untracked(), lang(i18n));
    let lines = move || {
        let Some(current) = edit.get() else {
            return ().into_any();
        };
        let priced = last.get();
        current
            .lines
            .iter()
            .map(|line| {
                let id = line.variant_id;
                let name = labels.with(|all| {
                    all.iter()
                        .find(|(v, _)| *v == id)
                        .map(|(_, l)| l.clone())
                        .unwrap_or_else(|| format!("#{id}"))
                });
                let found = priced
                    .as_ref()
                    .and_then(|p| p.lines.iter().find(|l| l.variant_id == id).cloned());
                let label = format!("{} {}", t_string!(i18n, cart_quantity), name);
                view! {
                    <tr data-testid="order-edit-line">
                        <td>{name.clone()}</td>
                        <td><input type="number" min="0" class="short" aria-label=label
                            data-testid="order-edit-quantity"
                            prop:value=line.quantity.to_string()
                            on:change=move |ev| {
                                let n = event_target_value(&ev).parse::<u32>().unwrap_or(0);
                                set_quantity(id, n);
                            } /></td>
                        <td class="num">{found.as_ref().map(|l| money(l.unit_price))}</td>
                        <td class="num" data-testid="order-edit-line-total">{found.as_ref().map(|l| money(l.line_total))}</td>
                        <td>{found.as_ref().filter(|l| l.backordered > 0).map(|l| view! {
                            <small>{t!(i18n, order_edit_backordered)}" "{l.backordered}</small>
                        })}</td>
                        <td><button type="button" class="link" data-testid="order-edit-remove"
                            on:click=move |_| set_quantity(id, 0)>{t!(i18n, order_edit_remove)}</button></td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    // A found product joins the order (one more unit if it is already there).
    let add = Callback::new(move |v: VariantPick| {
        let id = v.variant_id;
        labels.update(|all| {
            if !all.iter().any(|(known, _)| *known == id) {
                all.push((id, label(&v.name, &v.options, &v.sku)));
            }
        });
        change(
            &|e: &mut OrderEdit| match e.lines.iter_mut().find(|l| l.variant_id == id) {
                Some(line) => line.quantity += 1,
                None => e.lines.push(EditLine {
                    variant_id: id,
                    quantity: 1,
                }),
            },
        );
    });
    let delivery_choices = move || {
        let chosen = edit.with(|e| e.as_ref().map(|e| e.delivery.clone()).unwrap_or_default());
        last.get()
            .map(|p| p.quotes)
            .unwrap_or_default()
            .into_iter()
            .map(|q| {
                let code = q.code.clone();
                let testid = format!("order-edit-delivery-{}", q.code);
                let price = if q.unavailable.is_some() {
                    t_string!(i18n, phone_order_not_available).to_string()
                } else {
                    money(q.price)
                };
                view! {
                    <label data-testid=testid>
                        <input type="radio" name="order-edit-delivery" checked=q.code == chosen
                            disabled=q.unavailable.is_some()
                            on:change=move |_| change(&|e: &mut OrderEdit| {
                                e.delivery = code.clone();
                                e.pickup_point = None;
                            }) />
                        " "{q.name.clone()}" — "{price}
                    </label>
                }
            })
            .collect_view()
    };
    let address_fields = move || {
        if chosen_kind.get() == Some(DeliveryKind::PickupPoint) {
            let chosen = edit.with(|e| e.as_ref().and_then(|e| e.pickup_point));
            let options = move || {
                pickup_points
                    .get()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| view! {
                        <option value=p.id.to_string() selected=Some(p.id) == chosen>{p.name}", "{p.city}", "{p.address}</option>
                    })
                    .collect_view()
            };
            return view! {
                <label for="order-edit-pickup">{t!(i18n, delivery_kind_pickup_point)}</label>
                <select id="order-edit-pickup" data-testid="order-edit-pickup"
                    on:change=move |ev| {
                        let point = event_target_value(&ev).parse().ok();
                        change(&|e: &mut OrderEdit| e.pickup_point = point);
                    }>
                    <option value="">"—"</option>
                    {options}
                </select>
            }
            .into_any();
        }
        let field = move |id: &'static str,
                          label: String,
                          get: fn(&Address) -> String,
                          set: fn(&mut Address, String)| {
            view! {
                <label for=id>{label}</label>
                <input id=id type="text" data-testid=id
                    prop:value=move || typed.with(get)
                    on:input=move |ev| typed.update(|a| set(a, event_target_value(&ev)))
                    on:change=move |_| commit_address() />
            }
        };
        view! {
            {field("order-edit-city", t_string!(i18n, checkout_city).to_string(), |a| a.0.clone(), |a, v| a.0 = v)}
            {field("order-edit-address", t_string!(i18n, checkout_address).to_string(), |a| a.1.clone(), |a, v| a.1 = v)}
            {field("order-edit-postcode", t_string!(i18n, checkout_postcode).to_string(), |a| a.2.clone(), |a, v| a.2 = v)}
        }
        .into_any()
    };
    let totals = move || {
        last.get().map(|p| {
            let discounts = p
                .discounts
                .iter()
                .map(|(name, amount)| view! { <tr><th>{name.clone()}</th><td class="num">"−"{money(*amount)}</td></tr> })
                .collect_view();
            let due = p.total - p.paid;
            view! {
                <div class="table-wrap"><table class="admin-table" data-testid="order-edit-totals">
                    <tbody>
                        <tr><th>{t!(i18n, cart_subtotal)}</th><td class="num">{money(p.subtotal)}</td></tr>
                        {discounts}
                        <tr><th>{t!(i18n, cart_delivery)}</th><td class="num" data-testid="order-edit-delivery-price">{money(p.delivery_price)}</td></tr>
                        <tr><th>{t!(i18n, orders_total)}</th><td class="num" data-testid="order-edit-total">{money(p.total)}</td></tr>
                        <tr><th>{t!(i18n, order_edit_was)}</th><td class="num">{money(p.total_before)}</td></tr>
                        {(!p.paid.is_zero()).then(|| view! {
                            <tr><th>{t!(i18n, orders_paid_part)}</th><td class="num">{money(p.paid)}</td></tr>
                            <tr><th>{t!(i18n, orders_due)}</th><td class="num">{money(due)}</td></tr>
                        })}
                    </tbody>
                </table></div>
                {p.promo_note.map(|n| view! { <p class="notice" data-testid="order-edit-promo">{n}</p> })}
                <p data-testid="order-edit-changes">{t!(i18n, order_edit_changes)}": "
                    {if p.changes.is_empty() { "—".to_string() } else { p.changes }}</p>
            }
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(mut wanted) = edit.get_untracked() else {
            return;
        };
        let (city, street, postcode) = typed.get_untracked();
        (wanted.city, wanted.address, wanted.postcode) = (city, street, postcode);
        wanted.reason = reason.get_untracked();
        save.dispatch((number(), wanted, lang(i18n)));
    };

    view! {
        <PageTitle text=move || format!("{} №{}", t_string!(i18n, order_edit_title), number()) />
        <p><A href=back>"← №"{number}</A></p>
        <h1>{t!(i18n, order_edit_title)}" №"{number}</h1>
        {move || load_failure.get().map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
        <div class="table-wrap"><table class="admin-table"><tbody>{lines}</tbody></table></div>
        <super::goods_finder::GoodsFinder title=t_string!(i18n, order_edit_add_goods).to_string()
            testid="order-edit" on_add=add />
        <form class="form" data-testid="order-edit-form" on:submit=submit>
            <fieldset data-testid="order-edit-delivery">
                <legend>{t!(i18n, cart_delivery)}</legend>
                {delivery_choices}
            </fieldset>
            {address_fields}
            {totals}
            <label for="order-edit-reason">{t!(i18n, orders_reason)}</label>
            <input id="order-edit-reason" type="text" data-testid="order-edit-reason"
                prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev)) />
            {move || problem.get().map(|m| view! { <p class="field-error" role="alert" data-testid="order-edit-problem">{m}</p> })}
            {move || failure.get().map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
            <button type="submit" class="button primary" data-testid="order-edit-save"
                disabled=move || save.pending().get() || edit.with(Option::is_none)>{t!(i18n, order_edit_save)}</button>
        </form>
    }
}
