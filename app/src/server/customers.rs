//! The CRM (ORD-3): customer records, linked to every order at checkout,
//! listed with their lifetime figures, and kept tidy by staff (contacts,
//! notes, tags, merging duplicates).
use super::accounts::AuthUser;
use super::admin::{record, Actor};
use super::entities::{
    customer_addresses, customer_notes, customer_tags, customers, orders, users,
};
use super::text_match::{contains_ignoring_case, equals_ignoring_case};
use crate::api::customers::{
    CustomerCard, CustomerFilter, CustomerList, CustomerNote, CustomerOrder, CustomerOutcome,
    CustomerRow, CustomerSort, PossibleDuplicate, CUSTOMERS_PER_PAGE,
};
use crate::api::AppError;
use crate::domain::accounts::{role_allows, Permission, Role};
use crate::domain::catalog::from_minor;
use crate::domain::checkout::{order_number, OrderStatus};
use crate::domain::customers::{
    check_contacts, merge as merge_records, normalize_tag, ContactProblem, ContactsForm, Lifetime,
    MergeProblem, MergeSide, OrderValue, TagProblem, TAGS_MAX,
};
use crate::domain::money::Lang;
use crate::domain::orders::{check_note, NoteProblem};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, NullOrdering, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend,
    DbErr, EntityTrait, FromQueryResult, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Set,
};
use std::collections::HashMap;

/// Who placed an order, as checkout knows them.
pub struct Buyer<'a> {
    pub user_id: Option<i64>,
    pub name: &'a str,
    /// `+<digits>`.
    pub phone: &'a str,
    /// Lower case; may be empty.
    pub email: &'a str,
    pub city: &'a str,
}

/// The customer record an order belongs to, made if there is none yet: the
/// account's record for a signed-in buyer, otherwise the guest record with
/// the same phone. Staff merge what this cannot tell apart.
pub async fn link(
    db: &impl ConnectionTrait,
    buyer: &Buyer<'_>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let existing = match buyer.user_id {
        Some(user_id) => {
            customers::Entity::find()
                .filter(customers::Column::UserId.eq(user_id))
                .one(db)
                .await?
        }
        // By phone alone, then the first record without an account: with
        // `user_id IS NULL` in the query SQLite walks the unique index on
        // user_id through every guest's record (4 ms at 20,000 customers,
        // inside checkout's write transaction) instead of the phone index.
        None => customers::Entity::find()
            .filter(customers::Column::Phone.eq(buyer.phone))
            .order_by_asc(customers::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .find(|c| c.user_id.is_none()),
    };
    match existing {
        Some(found) => {
            refresh(db, found.clone(), buyer, now).await?;
            Ok(found.id)
        }
        None => {
            let saved = customers::ActiveModel {
                user_id: Set(buyer.user_id),
                name: Set(buyer.name.to_string()),
                phone: Set(buyer.phone.to_string()),
                email: Set(buyer.email.to_string()),
                city: Set(buyer.city.to_string()),
                email_consent: Set(false),
                sms_consent: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            Ok(saved.id)
        }
    }
}

/// A record the operator chose for a phone order (ORD-4); it must exist.
pub async fn touch(
    db: &impl ConnectionTrait,
    id: i64,
    buyer: &Buyer<'_>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let found = customers::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("customer {id}")))?;
    refresh(db, found, buyer, now).await?;
    Ok(id)
}

/// What the record lacks, the latest order fills; what staff typed stays.
async fn refresh(
    db: &impl ConnectionTrait,
    found: customers::Model,
    buyer: &Buyer<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let phone = if found.phone.is_empty() {
        buyer.phone
    } else {
        &found.phone
    };
    let email = if found.email.is_empty() {
        buyer.email
    } else {
        &found.email
    };
    let city = if buyer.city.is_empty() {
        &found.city
    } else {
        buyer.city
    };
    // A repeat customer's record usually stays as it is: no write, so their
    // checkouts do not queue on one row.
    if (phone, email, city)
        == (
            found.phone.as_str(),
            found.email.as_str(),
            found.city.as_str(),
        )
    {
        return Ok(());
    }
    let (phone, email, city) = (phone.to_string(), email.to_string(), city.to_string());
    let mut update: customers::ActiveModel = found.into();
    update.phone = Set(phone);
    update.email = Set(email);
    update.city = Set(city);
    update.updated_at = Set(now);
    update.update(db).await?;
    Ok(())
}

/// A new account is a customer before the first order (a "prospect").
pub async fn link_account(db: &impl ConnectionTrait, user: &users::Model) -> Result<i64, DbErr> {
    link(
        db,
        &Buyer {
            user_id: Some(user.id),
            name: &user.name,
            phone: user.phone.as_deref().unwrap_or_default(),
            email: &user.email,
            city: "",
        },
        user.created_at,
    )
    .await
}

const COUNT_ORDERS: &str = "COUNT(orders.id)";
const SPENT_MINOR: &str =
    "CAST(COALESCE(SUM(orders.total_minor - orders.refunded_minor), 0) AS BIGINT)";
const LAST_ORDER: &str = "MAX(orders.created_at)";

#[derive(Debug, FromQueryResult)]
struct ListedCustomer {
    id: i64,
    user_id: Option<i64>,
    name: String,
    phone: String,
    email: String,
    city: String,
    orders_count: i64,
    spent_minor: i64,
    last_order: Option<DateTime<Utc>>,
}

fn search_condition(backend: DbBackend, text: &str) -> Option<Condition> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let contains = |column: customers::Column| {
        contains_ignoring_case(backend, Expr::col((customers::Entity, column)), text)
    };
    let mut any = Condition::any()
        .add(contains(customers::Column::Email))
        .add(contains(customers::Column::Name));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.len() >= 4 {
        any = any.add(customers::Column::Phone.contains(&digits));
    }
    Some(any)
}

fn day_start(day: chrono::NaiveDate) -> Option<DateTime<Utc>> {
    day.and_hms_opt(0, 0, 0).map(|t| t.and_utc())
}

pub async fn list(
    db: &DatabaseConnection,
    filter: &CustomerFilter,
    lang: Lang,
) -> Result<CustomerList, DbErr> {
    // Cancelled orders are not part of what a customer is worth.
    let counted_orders = customers::Relation::Orders
        .def()
        .on_condition(|_, _| Expr::cust("orders.status <> 'cancelled'").into());
    let mut query = customers::Entity::find()
        .select_only()
        .columns([
            customers::Column::Id,
            customers::Column::UserId,
            customers::Column::Name,
            customers::Column::Phone,
            customers::Column::Email,
            customers::Column::City,
        ])
        .column_as(Expr::cust(COUNT_ORDERS), "orders_count")
        .column_as(Expr::cust(SPENT_MINOR), "spent_minor")
        .column_as(Expr::cust(LAST_ORDER), "last_order")
        .join(JoinType::LeftJoin, counted_orders)
        .group_by(customers::Column::Id);
    if let Some(found) = search_condition(db.get_database_backend(), &filter.search) {
        query = query.filter(found);
    }
    let city = filter.city.trim();
    if !city.is_empty() {
        query = query.filter(equals_ignoring_case(
            db.get_database_backend(),
            Expr::col((customers::Entity, customers::Column::City)),
            city,
        ));
    }
    if let Some(tag) = filter.tag.as_deref().filter(|t| !t.is_empty()) {
        query = query.filter(
            customers::Column::Id.in_subquery(
                Query::select()
                    .column(customer_tags::Column::CustomerId)
                    .from(customer_tags::Entity)
                    .and_where(customer_tags::Column::Tag.eq(tag))
                    .to_owned(),
            ),
        );
    }
    if let Some(n) = filter.min_orders.filter(|n| *n > 0) {
        query = query.having(Expr::cust(COUNT_ORDERS).gte(i64::from(n)));
    }
    if let Some(minor) = filter
        .min_spent
        .and_then(crate::domain::catalog::to_minor)
        .filter(|m| *m > 0)
    {
        query = query.having(Expr::cust(SPENT_MINOR).gte(minor));
    }
    if let Some(from) = filter.ordered_from.and_then(day_start) {
        query = query.having(Expr::cust(LAST_ORDER).gte(from));
    }
    if let Some(to) = filter
        .ordered_to
        .and_then(|d| d.succ_opt())
        .and_then(day_start)
    {
        query = query.having(Expr::cust(LAST_ORDER).lt(to));
    }
    query = match filter.sort {
        CustomerSort::LastOrder => {
            query.order_by_with_nulls(Expr::cust(LAST_ORDER), Order::Desc, NullOrdering::Last)
        }
        CustomerSort::MostSpent => query.order_by_desc(Expr::cust(SPENT_MINOR)),
        CustomerSort::MostOrders => query.order_by_desc(Expr::cust(COUNT_ORDERS)),
        CustomerSort::Newest => query.order_by_desc(customers::Column::CreatedAt),
    }
    .order_by_desc(customers::Column::Id);
    let pages = query
        .into_model::<ListedCustomer>()
        .paginate(db, CUSTOMERS_PER_PAGE);
    let totals = pages.num_items_and_pages().await?;
    let listed = pages.fetch_page(filter.page).await?;
    let ids: Vec<i64> = listed.iter().map(|c| c.id).collect();
    let mut tags = tags_of(db, &ids).await?;
    let now = Utc::now();
    let rows = listed
        .into_iter()
        .map(|c| {
            let lifetime = Lifetime {
                orders: u32::try_from(c.orders_count).unwrap_or(0),
                spent: from_minor(c.spent_minor),
                last_order: c.last_order,
            };
            CustomerRow {
                id: c.id,
                name: c.name,
                phone: c.phone,
                email: c.email,
                city: c.city,
                orders: lifetime.orders,
                spent: lifetime.spent,
                last_order: c.last_order.map(|t| t.format("%Y-%m-%d").to_string()),
                segment: lifetime.segment(now).label(lang).to_string(),
                tags: tags.remove(&c.id).unwrap_or_default(),
                has_account: c.user_id.is_some(),
            }
        })
        .collect();
    let tag_counts: Vec<(String, i64)> = customer_tags::Entity::find()
        .select_only()
        .column(customer_tags::Column::Tag)
        .column_as(customer_tags::Column::Id.count(), "customers")
        .group_by(customer_tags::Column::Tag)
        .order_by_asc(customer_tags::Column::Tag)
        .into_tuple()
        .all(db)
        .await?;
    Ok(CustomerList {
        rows,
        found: totals.number_of_items,
        pages: totals.number_of_pages,
        tags: tag_counts
            .into_iter()
            .map(|(tag, n)| (tag, u64::try_from(n).unwrap_or(0)))
            .collect(),
    })
}

async fn tags_of(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    let mut by_customer: HashMap<i64, Vec<String>> = HashMap::new();
    for row in customer_tags::Entity::find()
        .filter(customer_tags::Column::CustomerId.is_in(ids.iter().copied()))
        .order_by_asc(customer_tags::Column::Tag)
        .all(db)
        .await?
    {
        by_customer
            .entry(row.customer_id)
            .or_default()
            .push(row.tag);
    }
    Ok(by_customer)
}

fn status_label(status: &str, lang: Lang) -> String {
    OrderStatus::parse(status)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| status.to_string())
}

fn contacts_of(c: &customers::Model) -> ContactsForm {
    ContactsForm {
        name: c.name.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
        city: c.city.clone(),
        email_consent: c.email_consent,
        sms_consent: c.sms_consent,
    }
}

pub async fn card(
    db: &DatabaseConnection,
    id: i64,
    role: Role,
    lang: Lang,
) -> Result<Option<CustomerCard>, DbErr> {
    let Some(customer) = customers::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let placed = orders::Entity::find()
        .filter(orders::Column::CustomerId.eq(id))
        .order_by_desc(orders::Column::Id)
        .all(db)
        .await?;
    let lifetime = Lifetime::of(placed.iter().map(|o| OrderValue {
        cancelled: o.status == OrderStatus::Cancelled.as_str(),
        total: from_minor(o.total_minor),
        refunded: from_minor(o.refunded_minor),
        placed_at: o.created_at,
    }));
    let mut addresses: Vec<String> = Vec::new();
    for address in placed.iter().map(|o| o.delivery_address.clone()) {
        if !address.is_empty() && !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    let account = match customer.user_id {
        Some(user_id) => {
            for saved in customer_addresses::Entity::find()
                .filter(customer_addresses::Column::UserId.eq(user_id))
                .order_by_desc(customer_addresses::Column::LastUsedAt)
                .all(db)
                .await?
            {
                let address = [saved.postcode, saved.city, saved.address]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                if !addresses.contains(&address) {
                    addresses.push(address);
                }
            }
            users::Entity::find_by_id(user_id)
                .one(db)
                .await?
                .map(|u| u.email)
        }
        None => None,
    };
    let notes = customer_notes::Entity::find()
        .filter(customer_notes::Column::CustomerId.eq(id))
        .order_by_desc(customer_notes::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|n| CustomerNote {
            author: n.author_email,
            created_at: n.created_at.format("%Y-%m-%d %H:%M").to_string(),
            text: n.body,
        })
        .collect();
    let duplicates = duplicates_of(db, &customer).await?;
    let tags = tags_of(db, &[id]).await?.remove(&id).unwrap_or_default();
    Ok(Some(CustomerCard {
        id,
        contacts: contacts_of(&customer),
        account,
        since: customer.created_at.format("%Y-%m-%d").to_string(),
        orders_count: lifetime.orders,
        spent: lifetime.spent,
        average: lifetime.average(),
        last_order: lifetime
            .last_order
            .map(|t| t.format("%Y-%m-%d").to_string()),
        segment: lifetime.segment(Utc::now()).label(lang).to_string(),
        tags,
        notes,
        orders: placed
            .into_iter()
            .map(|o| CustomerOrder {
                number: order_number(o.id),
                created_at: o.created_at.format("%Y-%m-%d %H:%M").to_string(),
                status_label: status_label(&o.status, lang),
                cancelled: o.status == OrderStatus::Cancelled.as_str(),
                channel: o.channel,
                total: from_minor(o.total_minor),
                refunded: from_minor(o.refunded_minor),
            })
            .collect(),
        addresses,
        duplicates,
        can_merge: role_allows(role, Permission::MergeCustomers),
    }))
}

/// Other records with the same phone or e-mail: most likely the same person.
async fn duplicates_of(
    db: &DatabaseConnection,
    customer: &customers::Model,
) -> Result<Vec<PossibleDuplicate>, DbErr> {
    let mut same = Condition::any();
    if !customer.phone.is_empty() {
        same = same.add(customers::Column::Phone.eq(customer.phone.clone()));
    }
    if !customer.email.is_empty() {
        same = same.add(customers::Column::Email.eq(customer.email.clone()));
    }
    if same.is_empty() {
        return Ok(Vec::new());
    }
    let others = customers::Entity::find()
        .filter(same)
        .filter(customers::Column::Id.ne(customer.id))
        .order_by_asc(customers::Column::Id)
        .limit(20)
        .all(db)
        .await?;
    let ids: Vec<i64> = others.iter().map(|c| c.id).collect();
    let counts: Vec<(Option<i64>, i64)> = orders::Entity::find()
        .select_only()
        .column(orders::Column::CustomerId)
        .column_as(orders::Column::Id.count(), "orders")
        .filter(orders::Column::CustomerId.is_in(ids))
        .group_by(orders::Column::CustomerId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(others
        .into_iter()
        .map(|c| PossibleDuplicate {
            orders: counts
                .iter()
                .find(|(id, _)| *id == Some(c.id))
                .map_or(0, |(_, n)| u32::try_from(*n).unwrap_or(0)),
            id: c.id,
            name: c.name,
            phone: c.phone,
            email: c.email,
            has_account: c.user_id.is_some(),
        })
        .collect())
}

/// The card after a change, or `NotFound` if the customer is gone.
pub async fn outcome(
    db: &DatabaseConnection,
    id: i64,
    role: Role,
    lang: Lang,
) -> Result<CustomerOutcome, AppError> {
    card(db, id, role, lang)
        .await?
        .map(|c| CustomerOutcome::Done(Box::new(c)))
        .ok_or(AppError::NotFound)
}

async fn find(db: &impl ConnectionTrait, id: i64) -> Result<customers::Model, AppError> {
    customers::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn save_contacts(
    db: &DatabaseConnection,
    staff: &AuthUser,
    id: i64,
    form: &ContactsForm,
) -> Result<Result<(), Vec<ContactProblem>>, AppError> {
    let contacts = match check_contacts(form) {
        Ok(c) => c,
        Err(problems) => return Ok(Err(problems)),
    };
    let txn = super::begin_write(db).await?;
    let before = find(&txn, id).await?;
    let mut update: customers::ActiveModel = before.clone().into();
    update.name = Set(contacts.name.clone());
    update.phone = Set(contacts.phone.clone());
    update.email = Set(contacts.email.clone());
    update.city = Set(contacts.city.clone());
    update.email_consent = Set(contacts.email_consent);
    update.sms_consent = Set(contacts.sms_consent);
    update.updated_at = Set(Utc::now());
    update.update(&txn).await?;
    record(
        &txn,
        Actor::User(staff),
        "customer.contacts",
        "customer",
        &id.to_string(),
        serde_json::to_value(contacts_of(&before)).ok(),
        serde_json::to_value(&contacts).ok(),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

pub async fn add_note(
    db: &DatabaseConnection,
    staff: &AuthUser,
    id: i64,
    text: &str,
) -> Result<Result<(), NoteProblem>, AppError> {
    let text = match check_note(text) {
        Ok(t) => t,
        Err(problem) => return Ok(Err(problem)),
    };
    find(db, id).await?;
    customer_notes::ActiveModel {
        customer_id: Set(id),
        author_user_id: Set(Some(staff.id)),
        author_email: Set(staff.email.clone()),
        body: Set(text),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Ok(()))
}

pub async fn tag(
    db: &DatabaseConnection,
    staff: &AuthUser,
    id: i64,
    raw: &str,
    add: bool,
) -> Result<Result<(), TagProblem>, AppError> {
    let tag = match normalize_tag(raw) {
        Ok(t) => t,
        Err(problem) => return Ok(Err(problem)),
    };
    let txn = super::begin_write(db).await?;
    find(&txn, id).await?;
    let existing = customer_tags::Entity::find()
        .filter(customer_tags::Column::CustomerId.eq(id))
        .all(&txn)
        .await?;
    let has = existing.iter().any(|t| t.tag == tag);
    if add && !has {
        if existing.len() >= TAGS_MAX {
            return Ok(Err(TagProblem::TooMany));
        }
        customer_tags::ActiveModel {
            customer_id: Set(id),
            tag: Set(tag.clone()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    } else if !add && has {
        customer_tags::Entity::delete_many()
            .filter(customer_tags::Column::CustomerId.eq(id))
            .filter(customer_tags::Column::Tag.eq(tag.clone()))
            .exec(&txn)
            .await?;
    }
    record(
        &txn,
        Actor::User(staff),
        if add {
            "customer.tag"
        } else {
            "customer.untag"
        },
        "customer",
        &id.to_string(),
        None,
        Some(serde_json::json!({ "tag": tag })),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// Merges `source_id` into `target_id` in one transaction: the kept record
/// takes the merged contacts, every order, note and tag moves over, and a
/// note on the kept record says what was merged.
pub async fn merge(
    db: &DatabaseConnection,
    staff: &AuthUser,
    target_id: i64,
    source_id: i64,
) -> Result<Result<(), MergeProblem>, AppError> {
    let txn = super::begin_write(db).await?;
    let target = find(&txn, target_id).await?;
    let source = find(&txn, source_id).await?;
    let side = |c: &customers::Model| MergeSide {
        id: c.id,
        user_id: c.user_id,
        contacts: contacts_of(c),
    };
    let merged = match merge_records(&side(&target), &side(&source)) {
        Ok(m) => m,
        Err(problem) => return Ok(Err(problem)),
    };
    orders::Entity::update_many()
        .col_expr(orders::Column::CustomerId, Expr::value(target_id))
        .filter(orders::Column::CustomerId.eq(source_id))
        .exec(&txn)
        .await?;
    customer_notes::Entity::update_many()
        .col_expr(customer_notes::Column::CustomerId, Expr::value(target_id))
        .filter(customer_notes::Column::CustomerId.eq(source_id))
        .exec(&txn)
        .await?;
    let kept_tags: Vec<String> = tags_of(&txn, &[target_id])
        .await?
        .remove(&target_id)
        .unwrap_or_default();
    for moved in tags_of(&txn, &[source_id])
        .await?
        .remove(&source_id)
        .unwrap_or_default()
    {
        if !kept_tags.contains(&moved) && kept_tags.len() < TAGS_MAX {
            customer_tags::ActiveModel {
                customer_id: Set(target_id),
                tag: Set(moved),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    // The account (unique per record) leaves the source before the target takes it.
    customers::Entity::delete_by_id(source_id)
        .exec(&txn)
        .await?;
    let now = Utc::now();
    let mut update: customers::ActiveModel = target.clone().into();
    update.user_id = Set(merged.user_id);
    update.name = Set(merged.contacts.name.clone());
    update.phone = Set(merged.contacts.phone.clone());
    update.email = Set(merged.contacts.email.clone());
    update.city = Set(merged.contacts.city.clone());
    update.email_consent = Set(merged.contacts.email_consent);
    update.sms_consent = Set(merged.contacts.sms_consent);
    update.created_at = Set(std::cmp::min(target.created_at, source.created_at));
    update.updated_at = Set(now);
    update.update(&txn).await?;
    customer_notes::ActiveModel {
        customer_id: Set(target_id),
        author_user_id: Set(Some(staff.id)),
        author_email: Set(staff.email.clone()),
        body: Set(format!(
            "Merged customer #{source_id}: {}, {}, {}",
            source.name, source.phone, source.email
        )),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Actor::User(staff),
        "customer.merge",
        "customer",
        &target_id.to_string(),
        serde_json::to_value([contacts_of(&target), contacts_of(&source)]).ok(),
        serde_json::to_value(&merged.contacts).ok(),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(()))
}
