//! The order queue and one order's page for staff (ORD-1, ORD-2, ORD-6):
//! counts per status, filters, search, sorting and paging; on the order,
//! the customer, goods, payment, timeline and the actions the state machine
//! allows this role now.
use crate::api::admin_orders::{
    admin_order, admin_order_act, admin_order_note, admin_order_payment, admin_order_tracking,
    admin_orders, admin_orders_confirm, ActionOutcome, OrderFilter, OrderSort, StaffOrder,
};
use crate::components::catalog::use_currency;
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::components::tracking::ParcelTimelines;
use crate::domain::accounts::Permission;
use crate::domain::money::{format_money, Lang};
use crate::domain::orders::{ActionInput, OrderAction};
use crate::domain::returns::ReturnedLine;
use crate::domain::tracking::ParcelStatus;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn OrdersPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::HandleOrders>
            <OrderQueuePage />
        </super::RequirePermission>
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::HandleOrders>
            <StaffOrderPage />
        </super::RequirePermission>
    }
}

fn option_value(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

#[component]
fn OrderQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    // `draft` follows the form; `filter` is what was last asked for.
    let draft = RwSignal::new(OrderFilter::default());
    let filter = RwSignal::new(OrderFilter::default());
    let reload = RwSignal::new(0u32);
    let queue = Resource::new(
        move || (filter.get(), lang(i18n), reload.get()),
        |(filter, lang, _)| admin_orders(filter, lang),
    );
    let can_pick =
        crate::domain::accounts::role_allows(super::use_staff().role, Permission::RunWarehouse);
    // Orders ticked for "confirm selected" or the pick list.
    let selected = RwSignal::new(Vec::<String>::new());
    let confirm = Action::new(|numbers: &Vec<String>| admin_orders_confirm(numbers.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = confirm.value().get() {
            selected.set(Vec::new());
            reload.update(|n| *n += 1);
        }
    });
    let bulk_result = move || {
        confirm.value().get().map(|result| match result {
            Ok(done) => {
                let refused = done
                    .refused
                    .iter()
                    .map(|(number, why)| format!("{number}: {}", why.message(lang(i18n))))
                    .collect::<Vec<_>>()
                    .join("; ");
                view! {
                    <p role="status" class="notice" data-testid="orders-bulk-result">
                        {t!(i18n, orders_bulk_done)}": "{done.done.len()}
                        {(!refused.is_empty()).then(|| view! { ". " {t!(i18n, orders_bulk_refused)}": "{refused.clone()} })}
                    </p>
                }
                .into_any()
            }
            Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
        })
    };
    let show = move |change: &dyn Fn(&mut OrderFilter)| {
        draft.update(|d| {
            change(d);
            d.page = 0;
        });
        filter.set(draft.get_untracked());
    };
    let body = move || {
        Suspend::new(async move {
            let queue = match queue.await {
                Ok(q) => q,
                Err(e) => {
                    return view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                        .into_any()
                }
            };
            let chosen = filter.with_untracked(|f| f.status.clone());
            let counts = queue
                .counts
                .iter()
                .cloned()
                .map(|(code, label, n)| {
                    let active = chosen.as_deref() == Some(code.as_str());
                    let testid = format!("status-count-{code}");
                    view! {
                        <button type="button" class="chip" class:active=active data-testid=testid
                            on:click=move |_| {
                                let code = code.clone();
                                show(&move |f: &mut OrderFilter| f.status = Some(code.clone()));
                            }>
                            {label}" "<span class="count">{n}</span>
                        </button>
                    }
                })
                .collect_view();
            let delivery_options = queue
                .delivery_methods
                .iter()
                .cloned()
                .map(|(code, name)| view! { <option value=code>{name}</option> })
                .collect_view();
            let status_options = queue
                .counts
                .iter()
                .cloned()
                .map(|(code, label, _)| view! { <option value=code>{label}</option> })
                .collect_view();
            let rows = queue
                .rows
                .into_iter()
                .map(|row| {
                    let href = format!("/admin/orders/{}", row.number);
                    let total = format_money(row.total, currency.get_untracked(), lang(i18n));
                    let tick = {
                        let number = row.number.clone();
                        let label = format!("{} {}", t_string!(i18n, orders_select), row.number);
                        view! {
                            <input type="checkbox" data-testid="order-select" aria-label=label
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let number = number.clone();
                                    selected.update(|s| {
                                        s.retain(|n| *n != number);
                                        if on {
                                            s.push(number);
                                        }
                                    });
                                } />
                        }
                    };
                    view! {
                        <tr data-testid="order-row">
                            <td>{tick}" "<A href=href attr:data-testid="order-row-number">{row.number}</A></td>
                            <td>{row.created_at}</td>
                            <td>{row.name}<br /><small>{row.phone}" "{row.email}</small></td>
                            <td data-testid="order-row-status">{row.status_label}</td>
                            <td>{row.payment}{row.paid.then_some(" ✓")}</td>
                            <td>{row.delivery}</td>
                            <td class="num">{total}</td>
                        </tr>
                    }
                })
                .collect_view();
            let page = filter.with_untracked(|f| f.page);
            let pages = queue.pages;
            let found = queue.found;
            view! {
                <div class="chips" data-testid="status-counts">
                    <button type="button" class="chip" class:active=chosen.is_none()
                        on:click=move |_| show(&|f: &mut OrderFilter| f.status = None)>
                        {t!(i18n, orders_all)}
                    </button>
                    {counts}
                </div>
                <form class="form filters" data-testid="order-filters" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    show(&|_| {});
                }>
                    <label for="orders-search">{t!(i18n, orders_search)}</label>
                    <input id="orders-search" type="search" data-testid="orders-search"
                        prop:value=move || draft.with(|d| d.search.clone())
                        on:input=move |ev| draft.update(|d| d.search = event_target_value(&ev)) />
                    <label for="orders-status">{t!(i18n, orders_status)}</label>
                    <select id="orders-status" data-testid="orders-status"
                        on:change=move |ev| draft.update(|d| d.status = option_value(event_target_value(&ev)))>
                        <option value="">{t!(i18n, orders_all)}</option>
                        {status_options}
                    </select>
                    <label for="orders-paid">{t!(i18n, orders_payment_state)}</label>
                    <select id="orders-paid" data-testid="orders-paid"
                        on:change=move |ev| draft.update(|d| d.paid = match event_target_value(&ev).as_str() {
                            "paid" => Some(true),
                            "unpaid" => Some(false),
                            _ => None,
                        })>
                        <option value="">{t!(i18n, orders_all)}</option>
                        <option value="paid">{t!(i18n, orders_paid)}</option>
                        <option value="unpaid">{t!(i18n, orders_unpaid)}</option>
                    </select>
                    <label for="orders-delivery">{t!(i18n, cart_delivery)}</label>
                    <select id="orders-delivery" data-testid="orders-delivery"
                        on:change=move |ev| draft.update(|d| d.delivery = option_value(event_target_value(&ev)))>
                        <option value="">{t!(i18n, orders_all)}</option>
                        {delivery_options}
                    </select>
                    <label for="orders-from">{t!(i18n, orders_from)}</label>
                    <input id="orders-from" type="date" data-testid="orders-from"
                        on:change=move |ev| draft.update(|d| d.from = event_target_value(&ev).parse().ok()) />
                    <label for="orders-to">{t!(i18n, orders_to)}</label>
                    <input id="orders-to" type="date" data-testid="orders-to"
                        on:change=move |ev| draft.update(|d| d.to = event_target_value(&ev).parse().ok()) />
                    <label for="orders-sort">{t!(i18n, orders_sort)}</label>
                    <select id="orders-sort" data-testid="orders-sort"
                        on:change=move |ev| draft.update(|d| d.sort = match event_target_value(&ev).as_str() {
                            "oldest" => OrderSort::Oldest,
                            "total" => OrderSort::LargestTotal,
                            _ => OrderSort::Newest,
                        })>
                        <option value="newest">{t!(i18n, orders_sort_newest)}</option>
                        <option value="oldest">{t!(i18n, orders_sort_oldest)}</option>
                        <option value="total">{t!(i18n, orders_sort_total)}</option>
                    </select>
                    <button type="submit" class="button primary" data-testid="orders-show">{t!(i18n, orders_filter)}</button>
                </form>
                <p data-testid="orders-found">{t!(i18n, orders_found)}": "{found}</p>
                {can_pick.then(|| view! {
                    <a class="button" target="_blank" rel="noopener" data-testid="orders-pick-list"
                        href=move || format!("/admin/pick-list?orders={}", selected.with(|s| s.join(",")))>
                        {t!(i18n, orders_pick_list)}
                    </a>
                })}
                <button type="button" class="button" data-testid="orders-confirm-selected"
                    disabled=move || selected.with(Vec::is_empty) || confirm.pending().get()
                    on:click=move |_| {
                        confirm.dispatch(selected.get_untracked());
                    }>
                    {t!(i18n, orders_confirm_selected)}
                </button>
                {if found == 0 {
                    view! { <p data-testid="orders-empty">{t!(i18n, orders_no_match)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="admin-table">
                            <thead><tr>
                                <th>"№"</th><th>{t!(i18n, orders_from)}</th><th>{t!(i18n, orders_customer)}</th>
                                <th>{t!(i18n, orders_status)}</th><th>{t!(i18n, orders_payment_state)}</th>
                                <th>{t!(i18n, cart_delivery)}</th><th>{t!(i18n, orders_total)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table></div>
                    }
                    .into_any()
                }}
                <nav class="pager">
                    <button type="button" class="button" disabled=page == 0 data-testid="orders-prev"
                        on:click=move |_| filter.update(|f| f.page = f.page.saturating_sub(1))>
                        {t!(i18n, orders_prev)}
                    </button>
                    <span>{t!(i18n, orders_page)}" "{page + 1}" / "{pages.max(1)}</span>
                    <button type="button" class="button" disabled=page + 1 >= pages data-testid="orders-next"
                        on:click=move |_| filter.update(|f| f.page += 1)>
                        {t!(i18n, orders_next)}
                    </button>
                </nav>
            }
            .into_any()
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, admin_orders).to_string() />
        <h1>{t!(i18n, admin_orders)}</h1>
        <p><A href="/admin/phone-order" attr:class="button" attr:data-testid="orders-new-phone-order">{t!(i18n, phone_order_new)}</A></p>
        {bulk_result}
        <Transition>{body}</Transition>
    }
}

#[component]
fn StaffOrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    // Loaded in the browser only: the page is all controls, and rendering it
    // there avoids hydrating server-rendered buttons that then stayed inert
    // after a reload (seen in the Playwright run).
    let loaded = LocalResource::new(move || admin_order(number(), lang(i18n)));
    // Each action's answer replaces the loaded order.
    let current = RwSignal::new(None::<StaffOrder>);
    let refused = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<crate::api::AppError>);
    let reason = RwSignal::new(String::new());
    let tracking = RwSignal::new(String::new());
    // Units coming back per order line (try-on at the door, a return).
    let coming_back = RwSignal::new(std::collections::HashMap::<i64, u32>::new());
    let write_off = RwSignal::new(false);
    let act = Action::new(
        |(number, action, input, lang): &(String, OrderAction, ActionInput, Lang)| {
            admin_order_act(number.clone(), *action, input.clone(), *lang)
        },
    );
    let parcel_status = RwSignal::new(ParcelStatus::InTransit.as_str().to_string());
    let parcel_number = RwSignal::new(String::new());
    let parcel_place = RwSignal::new(String::new());
    let add_status = Action::new(
        |(number, parcel, status, place, lang): &(String, String, String, String, Lang)| {
            admin_order_tracking(
                number.clone(),
                parcel.clone(),
                status.clone(),
                place.clone(),
                *lang,
            )
        },
    );
    let payment_amount = RwSignal::new(String::new());
    let take_payment = Action::new(|(number, amount, lang): &(String, String, Lang)| {
        admin_order_payment(number.clone(), amount.clone(), *lang)
    });
    let note_text = RwSignal::new(String::new());
    let add_note = Action::new(|(number, text, lang): &(String, String, Lang)| {
        admin_order_note(number.clone(), text.clone(), *lang)
    });
    // Both an action and a note answer with the order as it is now.
    let apply = move |answer: Option<Result<ActionOutcome, crate::api::AppError>>| match answer {
        Some(Ok(ActionOutcome::Done(order))) => {
            failure.set(None);
            refused.set(None);
            current.set(Some(*order));
            true
        }
        Some(Ok(ActionOutcome::Refused(why))) => {
            refused.set(Some(why.message(lang(i18n))));
            false
        }
        Some(Ok(ActionOutcome::BadNote(problem))) => {
            refused.set(Some(problem.message(lang(i18n)).to_string()));
            false
        }
        Some(Ok(ActionOutcome::BadTracking(problem))) => {
            refused.set(Some(problem.message(lang(i18n))));
            false
        }
        Some(Ok(ActionOutcome::BadPayment(problem))) => {
            refused.set(Some(problem.message(lang(i18n))));
            false
        }
        Some(Err(e)) => {
            failure.set(Some(e));
            false
        }
        None => false,
    };
    Effect::new(move |_| {
        if apply(act.value().get()) {
            reason.set(String::new());
            coming_back.set(Default::default());
            write_off.set(false);
        }
    });
    Effect::new(move |_| {
        if apply(take_payment.value().get()) {
            payment_amount.set(String::new());
        }
    });
    Effect::new(move |_| {
        if apply(add_status.value().get()) {
            parcel_place.set(String::new());
        }
    });
    Effect::new(move |_| {
        if apply(add_note.value().get()) {
            note_text.set(String::new());
        }
    });
    let body = move || {
        Suspend::new(async move {
            let first = match loaded.await {
                Ok(order) => order,
                Err(e) => {
                    return view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                        .into_any()
                }
            };
            let staff = current
                .get()
                .filter(|c| c.order.number == first.order.number)
                .unwrap_or(first);
            let money = move |d| format_money(d, currency.get_untracked(), lang(i18n));
            let o = staff.order;
            let customer_card = staff.customer_id.map(|id| format!("/admin/customers/{id}"));
            let can_ship = staff.actions.contains(&OrderAction::Ship);
            // A try-on delivery or a return asks which units come back.
            let asks_return = staff.actions.contains(&OrderAction::Return)
                || (o.try_on && staff.actions.contains(&OrderAction::Deliver));
            let return_inputs = o
                .lines
                .iter()
                .filter(|l| l.quantity > l.returned)
                .map(|l| {
                    let line_id = l.line_id;
                    let left = l.quantity - l.returned;
                    let label = format!("{} {}", t_string!(i18n, orders_return_units), l.sku);
                    view! {
                        <label>
                            {l.sku.clone()}" "{l.name.clone()}" (≤ "{left}")"
                            <input type="number" min="0" max=left.to_string() class="short"
                                data-testid="order-return-qty" aria-label=label
                                prop:value=move || coming_back.with(|m| m.get(&line_id).copied().unwrap_or(0).to_string())
                                on:input=move |ev| {
                                    let n = event_target_value(&ev).parse::<u32>().unwrap_or(0);
                                    coming_back.update(|m| {
                                        m.insert(line_id, n);
                                    });
                                } />
                        </label>
                    }
                })
                .collect_view();
            let buttons = staff
                .actions
                .iter()
                .copied()
                .map(|action| {
                    let testid = format!("order-action-{}", action.as_str());
                    let danger = matches!(action, OrderAction::Cancel | OrderAction::Return);
                    if action == OrderAction::Pack {
                        // Packing scans each item and weighs the parcels (WMS-3).
                        return view! {
                            <a class="button primary" data-testid=testid
                                href=format!("/admin/warehouse/pack/{}", number())>
                                {action.label(lang(i18n))}
                            </a>
                        }
                        .into_any();
                    }
                    view! {
                        <button type="button" class="button" class:primary=!danger data-testid=testid
                            disabled=move || act.pending().get()
                            on:click=move |_| {
                                act.dispatch((
                                    number(),
                                    action,
                                    ActionInput {
                                        reason: reason.get_untracked(),
                                        tracking_number: tracking.get_untracked(),
                                        parcels: Vec::new(),
                                        returned: coming_back
                                            .get_untracked()
                                            .into_iter()
                                            .map(|(line_id, quantity)| ReturnedLine { line_id, quantity })
                                            .collect(),
                                        write_off: write_off.get_untracked(),
                                    },
                                    lang(i18n),
                                ));
                            }>
                            {action.label(lang(i18n))}
                        </button>
                    }
                    .into_any()
                })
                .collect_view();
            let lines = o
                .lines
                .iter()
                .map(|l| {
                    view! {
                        <tr>
                            <td>{l.sku.clone()}</td>
                            <td>{l.name.clone()}" "<small>{l.options.clone()}</small></td>
                            <td class="num">{l.quantity}</td>
                            <td class="num">{money(l.unit_price)}</td>
                            <td class="num">{money(l.line_total)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let timeline = o
                .timeline
                .iter()
                .map(|e| view! { <li>{e.at.clone()}" · "{e.label.clone()}{(!e.note.is_empty()).then(|| format!(" — {}", e.note))}</li> })
                .collect_view();
            let has_actions = !staff.actions.is_empty();
            // Part payments (ORD-6): what came in so far and the rest.
            let (paid_amount, due) = (o.paid_amount, o.total - o.paid_amount);
            let paid_part = (!o.paid && !o.paid_amount.is_zero()).then(|| view! {
                " · "<span data-testid="staff-order-paid-part">{t!(i18n, orders_paid_part)}" "{money(paid_amount)}
                    ", "{t!(i18n, orders_due)}" "{money(due)}</span>
            });
            let payment_form = staff.can_take_payment.then(|| view! {
                <form class="form inline" data-testid="payment-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    take_payment.dispatch((number(), payment_amount.get_untracked(), lang(i18n)));
                }>
                    <label for="payment-amount">{t!(i18n, orders_take_payment)}</label>
                    <input id="payment-amount" type="text" inputmode="decimal" class="short" data-testid="payment-amount"
                        prop:value=payment_amount on:input=move |ev| payment_amount.set(event_target_value(&ev)) />
                    <button type="submit" class="button" data-testid="payment-take"
                        disabled=move || take_payment.pending().get()>{t!(i18n, orders_take_payment_button)}</button>
                </form>
            });
            // Statuses by hand while the parcels are on their way (LOG-2).
            let on_the_way = o.status == "shipped" && !o.parcels.is_empty();
            let numbers: Vec<String> = o.parcels.iter().map(|p| p.number.clone()).collect();
            if !numbers.contains(&parcel_number.get_untracked()) {
                parcel_number.set(numbers.first().cloned().unwrap_or_default());
            }
            let parcels = o.parcels.clone();
            let tracking_form = on_the_way.then(|| {
                let parcel_options = numbers
                    .into_iter()
                    .map(|n| view! { <option value=n.clone() selected=parcel_number.get_untracked() == n>{n.clone()}</option> })
                    .collect_view();
                let status_options = ParcelStatus::ALL
                    .into_iter()
                    .map(|s| view! { <option value=s.as_str() selected=parcel_status.get_untracked() == s.as_str()>{s.label(lang(i18n))}</option> })
                    .collect_view();
                view! {
                    <form class="form" data-testid="tracking-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        add_status.dispatch((
                            number(),
                            parcel_number.get_untracked(),
                            parcel_status.get_untracked(),
                            parcel_place.get_untracked(),
                            lang(i18n),
                        ));
                    }>
                        <label for="tracking-parcel">{t!(i18n, tracking_parcel)}</label>
                        <select id="tracking-parcel" data-testid="tracking-parcel"
                            on:change=move |ev| parcel_number.set(event_target_value(&ev))>{parcel_options}</select>
                        <label for="tracking-status">{t!(i18n, tracking_status)}</label>
                        <select id="tracking-status" data-testid="tracking-status"
                            on:change=move |ev| parcel_status.set(event_target_value(&ev))>{status_options}</select>
                        <label for="tracking-place">{t!(i18n, tracking_place)}</label>
                        <input id="tracking-place" type="text" data-testid="tracking-place"
                            prop:value=parcel_place on:input=move |ev| parcel_place.set(event_target_value(&ev)) />
                        <button type="submit" class="button" data-testid="tracking-add"
                            disabled=move || add_status.pending().get()>{t!(i18n, tracking_add)}</button>
                    </form>
                }
            });
            let notes = staff
                .notes
                .iter()
                .map(|n| view! { <li data-testid="staff-note"><small>{n.at.clone()}" · "{n.author.clone()}</small><p>{n.text.clone()}</p></li> })
                .collect_view();
            view! {
                <Title text=format!("№{}", o.number) />
                <h1>"№"<span data-testid="staff-order-number">{o.number.clone()}</span>" · "
                    <span data-testid="staff-order-status">{o.status_label.clone()}</span></h1>
                <dl class="order-facts">
                    <div><dt>{t!(i18n, orders_customer)}</dt><dd data-testid="staff-order-customer">{o.name.clone()}", "{o.phone.clone()}" "{o.email.clone()}
                        {customer_card.map(|href| view! { " · "<A href=href attr:data-testid="staff-order-customer-card">{t!(i18n, orders_customer_card)}</A> })}</dd></div>
                    <div><dt>{t!(i18n, cart_delivery)}</dt><dd>{o.delivery.clone()}": "{o.address.clone()}</dd></div>
                    <div><dt>{t!(i18n, orders_payment_state)}</dt><dd data-testid="staff-order-payment">{o.payment.clone()}" · "
                        {if o.paid { t_string!(i18n, orders_paid) } else { t_string!(i18n, orders_unpaid) }}{paid_part}</dd></div>
                    {o.tracking.clone().map(|t| view! { <div><dt>{t!(i18n, order_tracking)}</dt><dd data-testid="staff-order-tracking">{t.number}</dd></div> })}
                    {o.try_on.then(|| view! { <div><dt>{t!(i18n, order_try_on)}</dt><dd>"✓"</dd></div> })}
                    {(!o.comment.is_empty()).then(|| view! { <div><dt>{t!(i18n, checkout_comment)}</dt><dd>{o.comment.clone()}</dd></div> })}
                </dl>
                <div class="table-wrap"><table class="admin-table">
                    <tbody>{lines}</tbody>
                    <tfoot>
                        <tr><th colspan="4">{t!(i18n, cart_delivery)}</th><td class="num">{money(o.delivery_price)}</td></tr>
                        <tr><th colspan="4">{t!(i18n, orders_total)}</th><td class="num" data-testid="staff-order-total">{money(o.total)}</td></tr>
                        {(!o.refunded.is_zero()).then(|| view! {
                            <tr><th colspan="4">{t!(i18n, order_refunded)}</th><td class="num" data-testid="staff-order-refunded">"−"{money(o.refunded)}</td></tr>
                        })}
                    </tfoot>
                </table></div>
                <section class="order-actions" aria-labelledby="order-actions-title">
                    <h2 id="order-actions-title">{t!(i18n, orders_actions)}</h2>
                    {has_actions.then(|| view! {
                        <label for="order-reason">{t!(i18n, orders_reason)}</label>
                        <input id="order-reason" type="text" data-testid="order-reason"
                            prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev)) />
                    })}
                    {asks_return.then(|| view! {
                        <fieldset class="form" data-testid="order-return">
                            <legend>{t!(i18n, orders_coming_back)}</legend>
                            {return_inputs}
                            <label>
                                <input type="checkbox" data-testid="order-write-off"
                                    prop:checked=write_off on:change=move |ev| write_off.set(event_target_checked(&ev)) />
                                " "{t!(i18n, orders_write_off)}
                            </label>
                        </fieldset>
                    })}
                    {can_ship.then(|| view! {
                        <label for="order-tracking">{t!(i18n, orders_tracking)}</label>
                        <input id="order-tracking" type="text" data-testid="order-tracking-input"
                            prop:value=tracking on:input=move |ev| tracking.set(event_target_value(&ev)) />
                    })}
                    <div class="button-row">{buttons}
                        {staff.can_edit.then(|| view! {
                            <a class="button" data-testid="order-edit-open"
                                href=format!("/admin/orders/{}/edit", number())>{t!(i18n, order_edit_open)}</a>
                        })}
                    </div>
                    {payment_form}
                </section>
                {(!parcels.is_empty()).then(|| view! {
                    <h2>{t!(i18n, tracking_title)}</h2>
                    <ParcelTimelines parcels=parcels />
                    {tracking_form}
                })}
                <h2>{t!(i18n, orders_timeline)}</h2>
                <ol class="timeline" data-testid="staff-order-timeline">{timeline}</ol>
                <h2>{t!(i18n, orders_notes)}</h2>
                <ul class="notes" data-testid="staff-notes">{notes}</ul>
                <label for="order-note">{t!(i18n, orders_note_new)}</label>
                <textarea id="order-note" data-testid="order-note" rows="3"
                    prop:value=note_text on:input=move |ev| note_text.set(event_target_value(&ev))></textarea>
                <button type="button" class="button" data-testid="order-note-add"
                    disabled=move || add_note.pending().get()
                    on:click=move |_| {
                        add_note.dispatch((number(), note_text.get_untracked(), lang(i18n)));
                    }>
                    {t!(i18n, orders_note_add)}
                </button>
            }
            .into_any()
        })
    };
    view! {
        <p><A href="/admin/orders">"← "{t!(i18n, admin_orders)}</A></p>
        {move || refused.get().map(|why| view! { <p class="field-error" role="alert" data-testid="order-action-error">{why}</p> })}
        {move || failure.get().map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
        <Transition>{body}</Transition>
    }
}
