//! The warehouse (WMS-1 … WMS-4): orders to pick, pack and hand over;
//! stock with shelves, receipts and adjustments; the movement ledger; and
//! the packing screen, where every unit is scanned or typed before the
//! order counts as packed. Loaded in the browser (LocalResource): these
//! are screens of controls, like the staff order page.
use crate::api::warehouse::{
    warehouse_handover, warehouse_move, warehouse_movements, warehouse_pack, warehouse_packing,
    warehouse_queue, warehouse_shelf, warehouse_start_picking, warehouse_stock, MoveOutcome,
    PackOutcome, StockMoveForm, StockRow, WarehouseOrder,
};
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::domain::warehouse::{kilograms, shop_tracking_number, Packing};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn WarehousePage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::RunWarehouse>
            <WarehouseTabs />
        </super::RequirePermission>
    }
}

#[component]
pub fn PackPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::RunWarehouse>
            <PackScreen />
        </super::RequirePermission>
    }
}

#[component]
fn WarehouseTabs() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let tab = move || query.read().get("tab").unwrap_or_default();
    view! {
        <PageTitle text=move || t_string!(i18n, wh_title).to_string() />
        <h1>{t!(i18n, wh_title)}</h1>
        <nav class="chips" aria-label=move || t_string!(i18n, wh_title)>
            <A href="/admin/warehouse" attr:class="chip" attr:data-testid="wh-tab-orders">{t!(i18n, wh_tab_orders)}</A>
            <A href="/admin/warehouse?tab=stock" attr:class="chip" attr:data-testid="wh-tab-stock">{t!(i18n, wh_tab_stock)}</A>
            <A href="/admin/warehouse?tab=ledger" attr:class="chip" attr:data-testid="wh-tab-ledger">{t!(i18n, wh_tab_ledger)}</A>
        </nav>
        {move || match tab().as_str() {
            "stock" => view! { <StockTab /> }.into_any(),
            "ledger" => view! { <LedgerTab /> }.into_any(),
            _ => view! { <OrdersTab /> }.into_any(),
        }}
    }
}

fn parcels_text(order: &WarehouseOrder) -> String {
    order
        .parcels
        .iter()
        .map(|g| format!("{} kg", kilograms(*g)))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A table of orders with tick boxes feeding `selected`.
fn order_table(
    orders: Vec<WarehouseOrder>,
    selected: RwSignal<Vec<String>>,
    testid: &'static str,
    pack_link: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = orders
        .into_iter()
        .map(|o| {
            let number = o.number.clone();
            let label = format!("{} {}", t_string!(i18n, orders_select), o.number);
            let pack = pack_link.then(|| {
                view! {
                    <A href=format!("/admin/warehouse/pack/{}", o.number) attr:class="button primary"
                        attr:data-testid="wh-pack-link">{t!(i18n, wh_pack)}</A>
                }
            });
            view! {
                <tr data-testid=testid>
                    <td>
                        <input type="checkbox" data-testid="wh-select" aria-label=label
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
                        " "<span data-testid="wh-order-number">{o.number.clone()}</span>
                    </td>
                    <td>{o.created_at.clone()}</td>
                    <td>{o.delivery.clone()}</td>
                    <td class="num">{o.units}</td>
                    <td class="num">{kilograms(o.weight_grams)}" kg"</td>
                    <td>{pack}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap"><table class="table">
            <thead><tr>
                <th>{t!(i18n, wh_order)}</th><th>{t!(i18n, wh_placed)}</th><th>{t!(i18n, wh_delivery)}</th>
                <th>{t!(i18n, wh_units)}</th><th>{t!(i18n, wh_weight)}</th><th></th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}

fn bulk_message(
    i18n: leptos_i18n::I18nContext<Locale>,
    result: Option<Result<crate::api::admin_orders::BulkOutcome, crate::api::AppError>>,
    testid: &'static str,
) -> Option<AnyView> {
    result.map(|result| match result {
        Ok(done) => {
            let refused = done
                .refused
                .iter()
                .map(|(number, why)| format!("{number}: {}", why.message(lang(i18n))))
                .collect::<Vec<_>>()
                .join("; ");
            view! {
                <p role="status" class="notice" data-testid=testid>
                    {t!(i18n, wh_bulk_done)}": "{done.done.join(", ")}
                    {(!refused.is_empty()).then(|| view! { ". " {t!(i18n, wh_bulk_refused)}": "{refused.clone()} })}
                </p>
            }
            .into_any()
        }
        Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
    })
}

#[component]
fn OrdersTab() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let queue = LocalResource::new(move || {
        reload.track();
        warehouse_queue(lang(i18n))
    });
    let to_pick = RwSignal::new(Vec::<String>::new());
    let picking = RwSignal::new(Vec::<String>::new());
    let start = Action::new(|numbers: &Vec<String>| warehouse_start_picking(numbers.clone()));
    // Tracking numbers typed per packed order, and the orders ticked to hand over.
    let tracking = RwSignal::new(std::collections::HashMap::<String, String>::new());
    let handing = RwSignal::new(Vec::<String>::new());
    let handover =
        Action::new(|shipments: &Vec<(String, String)>| warehouse_handover(shipments.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = start.value().get() {
            to_pick.set(Vec::new());
            reload.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = handover.value().get() {
            // The refused ones stay ticked, to be fixed and sent again.
            handing.update(|h| h.retain(|n| !outcome.done.contains(n)));
            reload.update(|n| *n += 1);
        }
    });
    let pick_list =
        move |numbers: Vec<String>| format!("/admin/pick-list?orders={}", numbers.join(","));
    let manifest = move || {
        handover
            .value()
            .get()
            .and_then(|r| r.ok())
            .filter(|d| !d.done.is_empty())
            .map(|d| {
                view! {
                    <a class="button" target="_blank" data-testid="wh-manifest-link"
                        href=format!("/admin/manifest?orders={}", d.done.join(","))>
                        {t!(i18n, wh_print_manifest)}
                    </a>
                }
            })
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
            // Packed orders by carrier: one manifest per carrier (WMS-4).
            let mut carriers: Vec<(String, Vec<WarehouseOrder>)> = Vec::new();
            for order in queue.packed {
                match carriers
                    .iter_mut()
                    .find(|(name, _)| *name == order.delivery)
                {
                    Some((_, orders)) => orders.push(order),
                    None => carriers.push((order.delivery.clone(), vec![order])),
                }
            }
            let packed = carriers
                .into_iter()
                .map(|(carrier, orders)| {
                    let rows = orders
                        .into_iter()
                        .map(|o| {
                            let number = o.number.clone();
                            let n = o.parcels.len().max(1);
                            let generated = (1..=n)
                                .map(|seq| shop_tracking_number(&o.number, seq))
                                .collect::<Vec<_>>()
                                .join(" ");
                            let key = number.clone();
                            let value = move || tracking.with(|t| t.get(&key).cloned().unwrap_or_default());
                            let set = {
                                let number = number.clone();
                                move |text: String| {
                                    let number = number.clone();
                                    tracking.update(|t| {
                                        t.insert(number, text);
                                    })
                                }
                            };
                            let set_typed = set.clone();
                            let tick_number = number.clone();
                            let ticked = {
                                let number = number.clone();
                                move || handing.with(|h| h.contains(&number))
                            };
                            let label = format!("{} {}", t_string!(i18n, orders_select), o.number);
                            view! {
                                <tr data-testid="wh-packed-row">
                                    <td>
                                        <input type="checkbox" data-testid="wh-handover-select" aria-label=label
                                            prop:checked=ticked
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                let number = tick_number.clone();
                                                handing.update(|s| {
                                                    s.retain(|n| *n != number);
                                                    if on {
                                                        s.push(number);
                                                    }
                                                });
                                            } />
                                        " "<span data-testid="wh-order-number">{o.number.clone()}</span>
                                    </td>
                                    <td>{o.parcels.len()}": "{parcels_text(&o)}</td>
                                    <td>
                                        <input type="text" data-testid="wh-tracking" class="wide"
                                            aria-label=t_string!(i18n, wh_tracking_per_parcel)
                                            placeholder=t_string!(i18n, wh_tracking_per_parcel)
                                            prop:value=value
                                            on:input=move |ev| set_typed(event_target_value(&ev)) />
                                        " "
                                        <button type="button" class="button" data-testid="wh-generate"
                                            on:click=move |_| set(generated.clone())>
                                            {t!(i18n, wh_generate)}
                                        </button>
                                        {o.needs_tracking.then(|| view! { " "<small>{t!(i18n, wh_tracking_required)}</small> })}
                                    </td>
                                    <td>
                                        <a target="_blank" data-testid="wh-slip-link"
                                            href=format!("/admin/packing-slip/{}", o.number)>
                                            {t!(i18n, wh_print_label)}
                                        </a>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <h3>{carrier}</h3>
                        <div class="table-wrap"><table class="table">
                            <thead><tr>
                                <th>{t!(i18n, wh_order)}</th><th>{t!(i18n, wh_parcels)}</th>
                                <th>{t!(i18n, wh_tracking)}</th><th></th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table></div>
                    }
                })
                .collect_view();
            view! {
                <section data-testid="wh-to-pick">
                    <h2>{t!(i18n, wh_to_pick)}" ("{queue.to_pick.len()}")"</h2>
                    {order_table(queue.to_pick, to_pick, "wh-to-pick-row", false)}
                    <p class="actions">
                        <a class="button" target="_blank" data-testid="wh-pick-list"
                            class:disabled=move || to_pick.with(|s| s.is_empty())
                            href=move || pick_list(to_pick.get())>{t!(i18n, orders_pick_list)}</a>
                        " "
                        <button type="button" class="button primary" data-testid="wh-start-picking"
                            disabled=move || to_pick.with(|s| s.is_empty()) || start.pending().get()
                            on:click=move |_| { start.dispatch(to_pick.get_untracked()); }>
                            {t!(i18n, wh_start_picking)}
                        </button>
                    </p>
                </section>
                <section data-testid="wh-picking">
                    <h2>{t!(i18n, wh_picking)}" ("{queue.picking.len()}")"</h2>
                    {order_table(queue.picking, picking, "wh-picking-row", true)}
                    <p class="actions">
                        <a class="button" target="_blank"
                            href=move || pick_list(picking.get())>{t!(i18n, orders_pick_list)}</a>
                    </p>
                </section>
                <section data-testid="wh-packed">
                    <h2>{t!(i18n, wh_packed)}</h2>
                    {packed}
                    <p class="actions">
                        <button type="button" class="button primary" data-testid="wh-handover"
                            disabled=move || handing.with(|s| s.is_empty()) || handover.pending().get()
                            on:click=move |_| {
                                let shipments = handing
                                    .get_untracked()
                                    .into_iter()
                                    .map(|n| {
                                        let text = tracking.with_untracked(|t| t.get(&n).cloned().unwrap_or_default());
                                        (n, text)
                                    })
                                    .collect::<Vec<_>>();
                                handover.dispatch(shipments);
                            }>
                            {t!(i18n, wh_hand_over)}
                        </button>
                    </p>
                </section>
            }
            .into_any()
        })
    };
    view! {
        {move || bulk_message(i18n, start.value().get(), "wh-start-result")}
        {move || bulk_message(i18n, handover.value().get(), "wh-handover-result")}
        {manifest}
        <Suspense>{body}</Suspense>
    }
}

#[component]
fn StockTab() -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let asked = RwSignal::new(String::new());
    let warehouse = RwSignal::new(None::<i64>);
    let page = RwSignal::new(0u64);
    let reload = RwSignal::new(0u32);
    let stock = LocalResource::new(move || {
        reload.track();
        warehouse_stock(asked.get(), warehouse.get(), page.get(), lang(i18n))
    });
    let form = RwSignal::new(StockMoveForm::default());
    let save = Action::new(
        |(form, lang): &(StockMoveForm, crate::domain::money::Lang)| {
            warehouse_move(form.clone(), *lang)
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(MoveOutcome::Done(_))) = save.value().get() {
            form.update(|f| {
                f.quantity.clear();
                f.reason.clear();
            });
            reload.update(|n| *n += 1);
        }
    });
    let save_result = move || {
        save.value().get().map(|r| match r {
            Ok(MoveOutcome::Done(row)) => view! {
                <p role="status" class="notice" data-testid="wh-move-result">
                    {row.sku}" · "{row.warehouse}": "{t!(i18n, wh_on_hand)}" "{row.on_hand}", "
                    {t!(i18n, wh_available)}" "{row.available}
                </p>
            }
            .into_any(),
            Ok(MoveOutcome::Refused(problem)) => view! {
                <p class="field-error" role="alert" data-testid="wh-move-error">{problem.message(lang(i18n))}</p>
            }
            .into_any(),
            Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
        })
    };
    let body = move || {
        Suspend::new(async move {
            let found = match stock.await {
                Ok(s) => s,
                Err(e) => {
                    return view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                        .into_any()
                }
            };
            if form.with_untracked(|f| f.warehouse_id == 0) {
                if let Some((id, _)) = found.warehouses.first() {
                    let id = *id;
                    form.update(|f| f.warehouse_id = id);
                }
            }
            let warehouses = found.warehouses.clone();
            let filter_options = warehouses
                .iter()
                .cloned()
                .map(|(id, name)| view! { <option value=id.to_string() selected=warehouse.get_untracked() == Some(id)>{name}</option> })
                .collect_view();
            let form_options = warehouses
                .iter()
                .cloned()
                .map(|(id, name)| view! { <option value=id.to_string() selected=form.with_untracked(|f| f.warehouse_id == id)>{name}</option> })
                .collect_view();
            let rows = found
                .rows
                .into_iter()
                .map(|row| view! { <StockLine row /> })
                .collect_view();
            let pages = found.pages;
            view! {
                <form class="form filters" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    page.set(0);
                    asked.set(search.get_untracked());
                }>
                    <label for="wh-search">{t!(i18n, wh_search)}</label>
                    <input id="wh-search" type="search" data-testid="wh-stock-search"
                        prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev)) />
                    <label for="wh-filter">{t!(i18n, wh_warehouse)}</label>
                    <select id="wh-filter" on:change=move |ev| warehouse.set(event_target_value(&ev).parse().ok())>
                        <option value="">{t!(i18n, orders_all)}</option>
                        {filter_options}
                    </select>
                    <button type="submit" class="button">{t!(i18n, orders_apply)}</button>
                </form>
                <form class="form" data-testid="wh-move-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    save.dispatch((form.get_untracked(), lang(i18n)));
                }>
                    <h2>{t!(i18n, wh_move_title)}</h2>
                    <label for="wh-move-code">{t!(i18n, wh_code)}</label>
                    <input id="wh-move-code" data-testid="wh-move-code" required
                        prop:value=move || form.with(|f| f.code.clone())
                        on:input=move |ev| form.update(|f| f.code = event_target_value(&ev)) />
                    <label for="wh-move-warehouse">{t!(i18n, wh_warehouse)}</label>
                    <select id="wh-move-warehouse" data-testid="wh-move-warehouse"
                        on:change=move |ev| form.update(|f| f.warehouse_id = event_target_value(&ev).parse().unwrap_or(0))>
                        {form_options}
                    </select>
                    <label for="wh-move-kind">{t!(i18n, wh_kind)}</label>
                    <select id="wh-move-kind" data-testid="wh-move-kind"
                        on:change=move |ev| form.update(|f| f.adjustment = event_target_value(&ev) == "adjustment")>
                        <option value="receipt">{t!(i18n, wh_receipt)}</option>
                        <option value="adjustment">{t!(i18n, wh_adjustment)}</option>
                    </select>
                    <label for="wh-move-quantity">{t!(i18n, wh_quantity)}</label>
                    <input id="wh-move-quantity" data-testid="wh-move-quantity" inputmode="numeric"
                        prop:value=move || form.with(|f| f.quantity.clone())
                        on:input=move |ev| form.update(|f| f.quantity = event_target_value(&ev)) />
                    <label for="wh-move-reason">{t!(i18n, wh_reason)}</label>
                    <input id="wh-move-reason" data-testid="wh-move-reason"
                        prop:value=move || form.with(|f| f.reason.clone())
                        on:input=move |ev| form.update(|f| f.reason = event_target_value(&ev)) />
                    <button type="submit" class="button primary" data-testid="wh-move-save"
                        disabled=move || save.pending().get()>{t!(i18n, wh_record)}</button>
                </form>
                {save_result}
                <div class="table-wrap"><table class="table" data-testid="wh-stock">
                    <thead><tr>
                        <th>"SKU"</th><th>{t!(i18n, wh_item)}</th><th>{t!(i18n, wh_warehouse)}</th>
                        <th>{t!(i18n, wh_shelf)}</th><th>{t!(i18n, wh_on_hand)}</th>
                        <th>{t!(i18n, wh_reserved)}</th><th>{t!(i18n, wh_available)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
                <p class="actions">
                    <button type="button" class="button" disabled=move || page.get() == 0
                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"←"</button>
                    " "{move || page.get() + 1}" / "{pages.max(1)}" "
                    <button type="button" class="button" disabled=move || page.get() + 1 >= pages
                        on:click=move |_| page.update(|p| *p += 1)>"→"</button>
                </p>
            }
            .into_any()
        })
    };
    view! { <Suspense>{body}</Suspense> }
}

/// One stock row with its shelf editor.
#[component]
fn StockLine(row: StockRow) -> impl IntoView {
    let i18n = use_i18n();
    let shelf = RwSignal::new(row.shelf.clone().unwrap_or_default());
    let (variant_id, warehouse_id) = (row.variant_id, row.warehouse_id);
    let save =
        Action::new(move |text: &String| warehouse_shelf(variant_id, warehouse_id, text.clone()));
    let answer = move || {
        save.value().get().map(|r| match r {
            Ok(Ok(_)) => view! { <span role="status" data-testid="wh-shelf-saved">" ✓"</span> }.into_any(),
            Ok(Err(problem)) => view! {
                <span class="field-error" role="alert" data-testid="wh-shelf-error">{problem.message(lang(i18n))}</span>
            }
            .into_any(),
            Err(e) => view! { <span class="field-error" role="alert">{error_text(i18n, &e)}</span> }.into_any(),
        })
    };
    let label = format!(
        "{} {} {}",
        t_string!(i18n, wh_shelf),
        row.sku,
        row.warehouse
    );
    view! {
        <tr data-testid="wh-stock-row">
            <td data-testid="wh-stock-sku">{row.sku.clone()}<br /><small>{row.barcode.clone()}</small></td>
            <td>{row.name.clone()}" "<small>{row.options.clone()}</small></td>
            <td data-testid="wh-stock-warehouse">{row.warehouse.clone()}</td>
            <td>
                <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    save.dispatch(shelf.get_untracked());
                }>
                    <input class="short" data-testid="wh-shelf" aria-label=label
                        prop:value=move || shelf.get()
                        on:input=move |ev| shelf.set(event_target_value(&ev)) />
                    <button type="submit" class="button" data-testid="wh-shelf-save">{t!(i18n, wh_save)}</button>
                    {answer}
                </form>
            </td>
            <td class="num" data-testid="wh-on-hand">{row.on_hand}</td>
            <td class="num" data-testid="wh-reserved">{row.reserved}</td>
            <td class="num" data-testid="wh-available">{row.available}</td>
        </tr>
    }
}

#[component]
fn LedgerTab() -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let asked = RwSignal::new(String::new());
    let page = RwSignal::new(0u64);
    let ledger = LocalResource::new(move || warehouse_movements(asked.get(), page.get()));
    let signed = |n: i32| {
        if n > 0 {
            format!("+{n}")
        } else {
            n.to_string()
        }
    };
    let body = move || {
        Suspend::new(async move {
            let found = match ledger.await {
                Ok(l) => l,
                Err(e) => {
                    return view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                        .into_any()
                }
            };
            let rows = found
                .rows
                .into_iter()
                .map(|m| {
                    view! {
                        <tr data-testid="wh-ledger-row">
                            <td>{m.at}</td>
                            <td data-testid="wh-ledger-kind">{m.kind.label(lang(i18n))}</td>
                            <td>{m.sku}</td>
                            <td>{m.warehouse}</td>
                            <td class="num" data-testid="wh-ledger-on-hand">{signed(m.on_hand_delta)}</td>
                            <td class="num">{signed(m.reserved_delta)}</td>
                            <td>{m.order}</td>
                            <td>{m.reason}</td>
                            <td>{m.actor}</td>
                        </tr>
                    }
                })
                .collect_view();
            let pages = found.pages;
            view! {
                <div class="table-wrap"><table class="table" data-testid="wh-ledger">
                    <thead><tr>
                        <th>{t!(i18n, wh_when)}</th><th>{t!(i18n, wh_kind)}</th><th>"SKU"</th>
                        <th>{t!(i18n, wh_warehouse)}</th><th>{t!(i18n, wh_on_hand)}</th>
                        <th>{t!(i18n, wh_reserved)}</th><th>{t!(i18n, wh_order)}</th>
                        <th>{t!(i18n, wh_reason)}</th><th>{t!(i18n, wh_who)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
                <p class="actions">
                    <button type="button" class="button" disabled=move || page.get() == 0
                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"←"</button>
                    " "{move || page.get() + 1}" / "{pages.max(1)}" "
                    <button type="button" class="button" disabled=move || page.get() + 1 >= pages
                        on:click=move |_| page.update(|p| *p += 1)>"→"</button>
                </p>
            }
            .into_any()
        })
    };
    view! {
        <form class="form filters" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            page.set(0);
            asked.set(search.get_untracked());
        }>
            <label for="wh-ledger-search">{t!(i18n, wh_ledger_search)}</label>
            <input id="wh-ledger-search" type="search" data-testid="wh-ledger-search"
                prop:value=move || search.get()
                on:input=move |ev| search.set(event_target_value(&ev)) />
            <button type="submit" class="button">{t!(i18n, orders_apply)}</button>
        </form>
        <Suspense>{body}</Suspense>
    }
}

#[component]
fn PackScreen() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let loaded = LocalResource::new(move || warehouse_packing(number(), lang(i18n)));
    // The packing as scanned so far, every code typed, the last answer.
    let packing = RwSignal::new(None::<Packing>);
    let scans = RwSignal::new(Vec::<String>::new());
    let code = RwSignal::new(String::new());
    let scan_error = RwSignal::new(None::<String>);
    let last_ok = RwSignal::new(None::<String>);
    let weights = RwSignal::new(vec![String::new()]);
    let pack = Action::new(
        |(number, scans, weights): &(String, Vec<String>, Vec<String>)| {
            warehouse_pack(number.clone(), scans.clone(), weights.clone())
        },
    );
    let scan = move || {
        let typed = code.get_untracked();
        packing.update(|p| {
            if let Some(p) = p {
                match p.scan(&typed) {
                    Ok(i) => {
                        scans.update(|s| s.push(typed.trim().to_string()));
                        scan_error.set(None);
                        last_ok.set(Some(format!(
                            "✓ {} ({}/{})",
                            p.items[i].sku, p.packed[i], p.items[i].quantity
                        )));
                    }
                    Err(problem) => {
                        last_ok.set(None);
                        scan_error.set(Some(problem.message(lang(i18n))));
                    }
                }
            }
        });
        code.set(String::new());
    };
    let answer = move || {
        pack.value().get().map(|r| match r {
            Ok(PackOutcome::Packed) => view! {
                <div role="status" class="notice" data-testid="pack-done">
                    <p>{t!(i18n, wh_packed_done)}</p>
                    <p>
                        <a class="button primary" target="_blank" data-testid="pack-print"
                            href=format!("/admin/packing-slip/{}", number())>{t!(i18n, wh_print_label)}</a>
                        " "
                        <A href="/admin/warehouse" attr:class="button">{t!(i18n, wh_back)}</A>
                    </p>
                </div>
            }
            .into_any(),
            Ok(PackOutcome::BadScan(problem)) => view! {
                <p class="field-error" role="alert" data-testid="pack-error">{problem.message(lang(i18n))}</p>
            }
            .into_any(),
            Ok(PackOutcome::BadParcels(problem)) => view! {
                <p class="field-error" role="alert" data-testid="pack-error">{problem.message(lang(i18n))}</p>
            }
            .into_any(),
            Ok(PackOutcome::Refused(why)) => view! {
                <p class="field-error" role="alert" data-testid="pack-error">{why.message(lang(i18n))}</p>
            }
            .into_any(),
            Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
        })
    };
    let body = move || {
        Suspend::new(async move {
            let view = match loaded.await {
                Ok(v) => v,
                Err(e) => {
                    return view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                        .into_any()
                }
            };
            if packing.with_untracked(|p| p.is_none()) {
                packing.set(Some(Packing::new(view.items.clone())));
                // The catalog weight is the packer's starting guess for one parcel.
                weights.set(vec![kilograms(view.order.weight_grams.max(1))]);
            }
            let order = view.order.clone();
            let items = view
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let packed = move || packing.with(|p| p.as_ref().map_or(0, |p| p.packed[i]));
                    let quantity = item.quantity;
                    let done = move || packed() >= quantity;
                    view! {
                        <tr data-testid="pack-item" class:done=done>
                            <td>{item.sku.clone()}</td>
                            <td>{item.barcode.clone()}</td>
                            <td>{item.name.clone()}</td>
                            <td class="num" data-testid="pack-count">{packed}" / "{quantity}</td>
                        </tr>
                    }
                })
                .collect_view();
            let parcel_inputs = move || {
                (0..weights.with(|w| w.len()))
                    .map(|i| {
                        let label = format!("{} {}", t_string!(i18n, wh_parcel_weight), i + 1);
                        view! {
                            <label>
                                {label.clone()}
                                <input data-testid="pack-weight" inputmode="decimal" class="short"
                                    prop:value=move || weights.with(|w| w.get(i).cloned().unwrap_or_default())
                                    on:input=move |ev| weights.update(|w| w[i] = event_target_value(&ev)) />
                                " kg"
                            </label>
                        }
                    })
                    .collect_view()
            };
            view! {
                <p>
                    {t!(i18n, wh_status)}": "<strong data-testid="pack-status">{order.status_label.clone()}</strong>
                    " · "{order.delivery.clone()}" · "{t!(i18n, wh_weight)}": "{kilograms(order.weight_grams)}" kg"
                </p>
                <form class="form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    scan();
                }>
                    <label for="pack-scan">{t!(i18n, wh_scan)}</label>
                    <input id="pack-scan" data-testid="pack-scan" autofocus autocomplete="off"
                        prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev)) />
                    <button type="submit" class="button">{t!(i18n, wh_scan_button)}</button>
                </form>
                {move || scan_error.get().map(|e| view! {
                    <p class="field-error scan-error" role="alert" data-testid="pack-scan-error">{e}</p>
                })}
                {move || last_ok.get().map(|m| view! { <p role="status" data-testid="pack-scan-ok">{m}</p> })}
                <div class="table-wrap"><table class="table">
                    <thead><tr>
                        <th>"SKU"</th><th>{t!(i18n, wh_barcode)}</th><th>{t!(i18n, wh_item)}</th>
                        <th>{t!(i18n, wh_packed_count)}</th>
                    </tr></thead>
                    <tbody>{items}</tbody>
                </table></div>
                <fieldset class="form">
                    <legend>{t!(i18n, wh_parcels)}</legend>
                    {parcel_inputs}
                    <button type="button" class="button" data-testid="pack-add-parcel"
                        on:click=move |_| weights.update(|w| w.push(String::new()))>
                        {t!(i18n, wh_add_parcel)}
                    </button>
                </fieldset>
                <p class="actions">
                    <button type="button" class="button primary" data-testid="pack-submit"
                        disabled=move || pack.pending().get()
                        on:click=move |_| {
                            pack.dispatch((number(), scans.get_untracked(), weights.get_untracked()));
                        }>
                        {t!(i18n, wh_mark_packed)}
                    </button>
                </p>
                {answer}
            }
            .into_any()
        })
    };
    view! {
        <PageTitle text=move || format!("{} {}", t_string!(i18n, wh_pack), number()) />
        <h1>{t!(i18n, wh_pack)}" "<span data-testid="pack-number">{number}</span></h1>
        <p><A href="/admin/warehouse">{t!(i18n, wh_back)}</A></p>
        <Suspense>{body}</Suspense>
    }
}
