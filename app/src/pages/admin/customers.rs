//! The CRM for staff (ORD-3): the customer list with search, filters by
//! what customers are worth, and each customer's card (contacts and
//! consent, lifetime figures, orders, addresses, notes, tags, and merging
//! a duplicate record).
use crate::api::customers::{
    admin_customer, admin_customer_merge, admin_customer_note, admin_customer_save,
    admin_customer_tag, admin_customers, CustomerCard, CustomerFilter, CustomerOutcome,
    CustomerSort,
};
use crate::components::catalog::use_currency;
use crate::components::errors::error_text;
use crate::components::frame::lang;
use crate::components::seo::PageTitle;
use crate::domain::accounts::Permission;
use crate::domain::customers::{ContactProblem, ContactsForm};
use crate::domain::money::{format_money, Lang};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CustomersPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::HandleCustomers>
            <CustomerListPage />
        </super::RequirePermission>
    }
}

#[component]
pub fn CustomerPage() -> impl IntoView {
    view! {
        <super::RequirePermission permission=Permission::HandleCustomers>
            <CustomerCardPage />
        </super::RequirePermission>
    }
}

#[component]
fn CustomerListPage() -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let draft = RwSignal::new(CustomerFilter::default());
    let filter = RwSignal::new(CustomerFilter::default());
    let list = Resource::new(
        move || (filter.get(), lang(i18n)),
        |(filter, lang)| admin_customers(filter, lang),
    );
    let body = move || {
        Suspend::new(async move {
            let list = match list.await {
                Ok(l) => l,
                Err(e) => {
                    return view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                        .into_any()
                }
            };
            let tag_options = list
                .tags
                .iter()
                .map(|(tag, n)| {
                    let n = *n;
                    let chosen = filter.with_untracked(|f| f.tag.as_deref() == Some(tag.as_str()));
                    view! { <option value=tag.clone() selected=chosen>{tag.clone()}" ("{n}")"</option> }
                })
                .collect_view();
            let rows = list
                .rows
                .into_iter()
                .map(|row| {
                    let href = format!("/admin/customers/{}", row.id);
                    let spent = format_money(row.spent, currency.get_untracked(), lang(i18n));
                    let tags = row.tags.join(", ");
                    let shown = display_name(&row.name, &row.email, &row.phone);
                    view! {
                        <tr data-testid="customer-row">
                            <td><A href=href attr:data-testid="customer-row-name">{shown}</A>
                                {row.has_account.then_some(" 👤")}</td>
                            <td>{row.phone}<br /><small>{row.email}</small></td>
                            <td>{row.city}</td>
                            <td class="num" data-testid="customer-row-orders">{row.orders}</td>
                            <td class="num" data-testid="customer-row-spent">{spent}</td>
                            <td>{row.last_order.unwrap_or_else(|| "—".into())}</td>
                            <td>{row.segment}</td>
                            <td data-testid="customer-row-tags">{tags}</td>
                        </tr>
                    }
                })
                .collect_view();
            let page = filter.with_untracked(|f| f.page);
            let pages = list.pages;
            let found = list.found;
            view! {
                <form class="form filters" data-testid="customer-filters" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    draft.update(|d| d.page = 0);
                    filter.set(draft.get_untracked());
                }>
                    <label for="customers-search">{t!(i18n, customers_search)}</label>
                    <input id="customers-search" type="search" data-testid="customers-search"
                        prop:value=move || draft.with(|d| d.search.clone())
                        on:input=move |ev| draft.update(|d| d.search = event_target_value(&ev)) />
                    <label for="customers-city">{t!(i18n, checkout_city)}</label>
                    <input id="customers-city" type="text" data-testid="customers-city"
                        prop:value=move || draft.with(|d| d.city.clone())
                        on:input=move |ev| draft.update(|d| d.city = event_target_value(&ev)) />
                    <label for="customers-tag">{t!(i18n, customers_tag)}</label>
                    <select id="customers-tag" data-testid="customers-tag"
                        on:change=move |ev| draft.update(|d| {
                            let tag = event_target_value(&ev);
                            d.tag = (!tag.is_empty()).then_some(tag);
                        })>
                        <option value="">{t!(i18n, orders_all)}</option>
                        {tag_options}
                    </select>
                    <label for="customers-min-orders">{t!(i18n, customers_min_orders)}</label>
                    <input id="customers-min-orders" type="number" min="0" class="short" data-testid="customers-min-orders"
                        on:input=move |ev| draft.update(|d| d.min_orders = event_target_value(&ev).parse().ok()) />
                    <label for="customers-min-spent">{t!(i18n, customers_min_spent)}</label>
                    <input id="customers-min-spent" type="number" min="0" class="short" data-testid="customers-min-spent"
                        on:input=move |ev| draft.update(|d| d.min_spent = event_target_value(&ev).parse().ok()) />
                    <label for="customers-from">{t!(i18n, customers_ordered_from)}</label>
                    <input id="customers-from" type="date" data-testid="customers-from"
                        on:change=move |ev| draft.update(|d| d.ordered_from = event_target_value(&ev).parse().ok()) />
                    <label for="customers-to">{t!(i18n, customers_ordered_to)}</label>
                    <input id="customers-to" type="date" data-testid="customers-to"
                        on:change=move |ev| draft.update(|d| d.ordered_to = event_target_value(&ev).parse().ok()) />
                    <label for="customers-sort">{t!(i18n, orders_sort)}</label>
                    <select id="customers-sort" data-testid="customers-sort"
                        on:change=move |ev| draft.update(|d| d.sort = match event_target_value(&ev).as_str() {
                            "spent" => CustomerSort::MostSpent,
                            "orders" => CustomerSort::MostOrders,
                            "newest" => CustomerSort::Newest,
                            _ => CustomerSort::LastOrder,
                        })>
                        <option value="last">{t!(i18n, customers_sort_last)}</option>
                        <option value="spent">{t!(i18n, customers_sort_spent)}</option>
                        <option value="orders">{t!(i18n, customers_sort_orders)}</option>
                        <option value="newest">{t!(i18n, customers_sort_newest)}</option>
                    </select>
                    <button type="submit" class="button primary" data-testid="customers-show">{t!(i18n, orders_filter)}</button>
                </form>
                <p data-testid="customers-found">{t!(i18n, orders_found)}": "{found}</p>
                {if found == 0 {
                    view! { <p data-testid="customers-empty">{t!(i18n, customers_no_match)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="admin-table">
                            <thead><tr>
                                <th>{t!(i18n, checkout_name)}</th><th>{t!(i18n, customers_contacts)}</th>
                                <th>{t!(i18n, checkout_city)}</th><th>{t!(i18n, customers_orders)}</th>
                                <th>{t!(i18n, customers_spent)}</th><th>{t!(i18n, customers_last_order)}</th>
                                <th>{t!(i18n, customers_segment)}</th><th>{t!(i18n, customers_tags)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table></div>
                    }
                    .into_any()
                }}
                <nav class="pager">
                    <button type="button" class="button" disabled=page == 0
                        on:click=move |_| filter.update(|f| f.page = f.page.saturating_sub(1))>
                        {t!(i18n, orders_prev)}
                    </button>
                    <span>{t!(i18n, orders_page)}" "{page + 1}" / "{pages.max(1)}</span>
                    <button type="button" class="button" disabled=page + 1 >= pages
                        on:click=move |_| filter.update(|f| f.page += 1)>
                        {t!(i18n, orders_next)}
                    </button>
                </nav>
            }
            .into_any()
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, admin_customers).to_string() />
        <h1>{t!(i18n, admin_customers)}</h1>
        <Transition>{body}</Transition>
    }
}

/// A record without a name (an account registered without one) is shown
/// by its e-mail or phone, so it can still be found and clicked.
fn display_name(name: &str, email: &str, phone: &str) -> String {
    [name, email, phone]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .unwrap_or("—")
        .to_string()
}

/// One change to a card: the contacts, a note, a tag, or a merge.
#[derive(Clone)]
enum Change {
    Contacts(ContactsForm),
    Note(String),
    Tag(String, bool),
    Merge(i64),
}

#[component]
fn CustomerCardPage() -> impl IntoView {
    let i18n = use_i18n();
    let currency = use_currency();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    // Loaded in the browser only, like the order page: the card is all controls.
    let loaded = LocalResource::new(move || admin_customer(id(), lang(i18n)));
    let current = RwSignal::new(None::<CustomerCard>);
    let contacts = RwSignal::new(None::<ContactsForm>);
    let problems = RwSignal::new(Vec::<ContactProblem>::new());
    let refused = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<crate::api::AppError>);
    let note_text = RwSignal::new(String::new());
    let new_tag = RwSignal::new(String::new());
    let change = Action::new(move |(id, change, lang): &(i64, Change, Lang)| {
        let (id, change, lang) = (*id, change.clone(), *lang);
        async move {
            match change {
                Change::Contacts(form) => admin_customer_save(id, form, lang).await,
                Change::Note(text) => admin_customer_note(id, text, lang).await,
                Change::Tag(tag, add) => admin_customer_tag(id, tag, add, lang).await,
                Change::Merge(source) => admin_customer_merge(id, source, lang).await,
            }
        }
    });
    Effect::new(move |_| {
        let Some(answer) = change.value().get() else {
            return;
        };
        refused.set(None);
        failure.set(None);
        problems.set(Vec::new());
        match answer {
            Ok(CustomerOutcome::Done(card)) => {
                contacts.set(Some(card.contacts.clone()));
                current.set(Some(*card));
                note_text.set(String::new());
                new_tag.set(String::new());
            }
            Ok(CustomerOutcome::BadContacts(found)) => problems.set(found),
            Ok(CustomerOutcome::BadNote(p)) => refused.set(Some(p.message(lang(i18n)).into())),
            Ok(CustomerOutcome::BadTag(p)) => refused.set(Some(p.message(lang(i18n)).into())),
            Ok(CustomerOutcome::NotMerged(p)) => refused.set(Some(p.message(lang(i18n)).into())),
            Err(e) => failure.set(Some(e)),
        }
    });
    let send = move |what: Change| {
        change.dispatch((id(), what, lang(i18n)));
    };
    let field_error = move |field: &'static str| {
        move || {
            problems.with(|found| {
                found
                    .iter()
                    .filter(|p| p.field() == field)
                    .map(|p| p.message(lang(i18n)))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        }
    };
    let text_field = move |field: &'static str,
                           label: String,
                           get: fn(&ContactsForm) -> String,
                           set: fn(&mut ContactsForm, String)| {
        let input_id = format!("customer-{field}");
        let error = field_error(field);
        view! {
            <label for=input_id.clone()>{label}</label>
            <input id=input_id.clone() type="text" data-testid=input_id
                prop:value=move || contacts.with(|c| c.as_ref().map(get).unwrap_or_default())
                on:input=move |ev| contacts.update(|c| {
                    if let Some(c) = c {
                        set(c, event_target_value(&ev));
                    }
                }) />
            <span class="field-error" role="alert">{error}</span>
        }
    };
    let body = move || {
        Suspend::new(async move {
            let first = match loaded.await {
                Ok(card) => card,
                Err(e) => {
                    return view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }
                        .into_any()
                }
            };
            if contacts.with_untracked(Option::is_none) {
                contacts.set(Some(first.contacts.clone()));
            }
            let card = current.get().filter(|c| c.id == first.id).unwrap_or(first);
            let money = move |d| format_money(d, currency.get_untracked(), lang(i18n));
            let orders = card
                .orders
                .clone()
                .into_iter()
                .map(|o| {
                    let href = format!("/admin/orders/{}", o.number);
                    let refunded =
                        (!o.refunded.is_zero()).then(|| format!(" (−{})", money(o.refunded)));
                    view! {
                        <tr data-testid="customer-order" class:muted=o.cancelled>
                            <td><A href=href>{o.number}</A></td>
                            <td>{o.created_at}</td>
                            <td>{o.status_label}</td>
                            <td>{o.channel}</td>
                            <td class="num">{money(o.total)}{refunded}</td>
                        </tr>
                    }
                })
                .collect_view();
            let tags = card
                .tags
                .iter()
                .cloned()
                .map(|tag| {
                    let label = format!("{} {tag}", t_string!(i18n, customers_tag_remove));
                    let removed = tag.clone();
                    view! {
                        <li class="chip" data-testid="customer-tag">{tag}" "
                            <button type="button" class="link" aria-label=label
                                on:click=move |_| send(Change::Tag(removed.clone(), false))>"×"</button>
                        </li>
                    }
                })
                .collect_view();
            let notes = card
                .notes
                .iter()
                .map(|n| view! { <li data-testid="customer-note"><small>{n.created_at.clone()}" · "{n.author.clone()}</small><p>{n.text.clone()}</p></li> })
                .collect_view();
            let addresses = card
                .addresses
                .iter()
                .map(|a| view! { <li>{a.clone()}</li> })
                .collect_view();
            let can_merge = card.can_merge;
            let duplicates = card
                .duplicates
                .clone()
                .into_iter()
                .map(|d| {
                    let source = d.id;
                    let href = format!("/admin/customers/{}", d.id);
                    let shown = display_name(&d.name, &d.email, &d.phone);
                    view! {
                        <li data-testid="customer-duplicate">
                            <A href=href>{shown}</A>" · "{d.phone}" "{d.email}
                            " · "{t!(i18n, customers_orders)}": "{d.orders}
                            {d.has_account.then_some(" 👤")}
                            {can_merge.then(|| view! {
                                " "<button type="button" class="button" data-testid="customer-merge"
                                    disabled=move || change.pending().get()
                                    on:click=move |_| send(Change::Merge(source))>
                                    {t!(i18n, customers_merge_here)}
                                </button>
                            })}
                        </li>
                    }
                })
                .collect_view();
            let has_duplicates = !card.duplicates.is_empty();
            let title = display_name(
                &card.contacts.name,
                &card.contacts.email,
                &card.contacts.phone,
            );
            let average = card.average.map(money).unwrap_or_else(|| "—".into());
            view! {
                <Title text=title.clone() />
                <h1>{title}</h1>
                <dl class="order-facts">
                    <div><dt>{t!(i18n, customers_orders)}</dt><dd data-testid="customer-orders-count">{card.orders_count}</dd></div>
                    <div><dt>{t!(i18n, customers_spent)}</dt><dd data-testid="customer-ltv">{money(card.spent)}</dd></div>
                    <div><dt>{t!(i18n, customers_average)}</dt><dd data-testid="customer-aov">{average}</dd></div>
                    <div><dt>{t!(i18n, customers_last_order)}</dt><dd>{card.last_order.clone().unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>{t!(i18n, customers_segment)}</dt><dd data-testid="customer-segment">{card.segment.clone()}</dd></div>
                    <div><dt>{t!(i18n, customers_since)}</dt><dd>{card.since.clone()}</dd></div>
                    <div><dt>{t!(i18n, customers_account)}</dt><dd data-testid="customer-account">{card.account.clone().unwrap_or_else(|| "—".into())}</dd></div>
                </dl>
                {has_duplicates.then(|| view! {
                    <section class="notice" data-testid="customer-duplicates">
                        <h2>{t!(i18n, customers_duplicates)}</h2>
                        <ul>{duplicates}</ul>
                    </section>
                })}
                <form class="form" data-testid="customer-contacts" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    if let Some(form) = contacts.get_untracked() {
                        send(Change::Contacts(form));
                    }
                }>
                    <h2>{t!(i18n, customers_contacts)}</h2>
                    {text_field("name", t_string!(i18n, checkout_name).to_string(), |c| c.name.clone(), |c, v| c.name = v)}
                    {text_field("phone", t_string!(i18n, field_phone).to_string(), |c| c.phone.clone(), |c, v| c.phone = v)}
                    {text_field("email", t_string!(i18n, checkout_email).to_string(), |c| c.email.clone(), |c, v| c.email = v)}
                    {text_field("city", t_string!(i18n, checkout_city).to_string(), |c| c.city.clone(), |c, v| c.city = v)}
                    <label>
                        <input type="checkbox" data-testid="customer-email-consent"
                            prop:checked=move || contacts.with(|c| c.as_ref().is_some_and(|c| c.email_consent))
                            on:change=move |ev| contacts.update(|c| if let Some(c) = c { c.email_consent = event_target_checked(&ev) }) />
                        " "{t!(i18n, customers_email_consent)}
                    </label>
                    <label>
                        <input type="checkbox" data-testid="customer-sms-consent"
                            prop:checked=move || contacts.with(|c| c.as_ref().is_some_and(|c| c.sms_consent))
                            on:change=move |ev| contacts.update(|c| if let Some(c) = c { c.sms_consent = event_target_checked(&ev) }) />
                        " "{t!(i18n, customers_sms_consent)}
                    </label>
                    <button type="submit" class="button primary" data-testid="customer-save"
                        disabled=move || change.pending().get()>{t!(i18n, customers_save)}</button>
                </form>
                <h2>{t!(i18n, customers_tags)}</h2>
                <ul class="chips" data-testid="customer-tags">{tags}</ul>
                <form class="form inline" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    send(Change::Tag(new_tag.get_untracked(), true));
                }>
                    <label for="customer-new-tag">{t!(i18n, customers_tag_add)}</label>
                    <input id="customer-new-tag" type="text" data-testid="customer-new-tag"
                        prop:value=new_tag on:input=move |ev| new_tag.set(event_target_value(&ev)) />
                    <button type="submit" class="button" data-testid="customer-tag-add">{t!(i18n, customers_tag_add)}</button>
                </form>
                <h2>{t!(i18n, customers_orders)}</h2>
                <div class="table-wrap"><table class="admin-table">
                    <tbody data-testid="customer-orders">{orders}</tbody>
                </table></div>
                <h2>{t!(i18n, customers_addresses)}</h2>
                <ul data-testid="customer-addresses">{addresses}</ul>
                <h2>{t!(i18n, orders_notes)}</h2>
                <ul class="notes" data-testid="customer-notes">{notes}</ul>
                <label for="customer-note">{t!(i18n, orders_note_new)}</label>
                <textarea id="customer-note" data-testid="customer-note-text" rows="3"
                    prop:value=note_text on:input=move |ev| note_text.set(event_target_value(&ev))></textarea>
                <button type="button" class="button" data-testid="customer-note-add"
                    disabled=move || change.pending().get()
                    on:click=move |_| send(Change::Note(note_text.get_untracked()))>
                    {t!(i18n, orders_note_add)}
                </button>
            }
            .into_any()
        })
    };
    view! {
        <p><A href="/admin/customers">"← "{t!(i18n, admin_customers)}</A></p>
        {move || refused.get().map(|why| view! { <p class="field-error" role="alert" data-testid="customer-error">{why}</p> })}
        {move || failure.get().map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
        <Transition>{body}</Transition>
    }
}
