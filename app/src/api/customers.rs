//! The CRM in the back office (ORD-3): `/admin/customers` and each
//! customer's card.
use super::AppError;
use crate::domain::customers::{ContactProblem, ContactsForm, MergeProblem, TagProblem};
use crate::domain::money::Lang;
use crate::domain::orders::NoteProblem;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Customers shown per page of the list.
pub const CUSTOMERS_PER_PAGE: u64 = 50;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerSort {
    /// Who ordered last comes first; customers without orders last.
    #[default]
    LastOrder,
    MostSpent,
    MostOrders,
    Newest,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerFilter {
    /// Part of a name or e-mail, or phone digits.
    pub search: String,
    pub min_orders: Option<u32>,
    /// Lifetime value at least this much, in roubles.
    pub min_spent: Option<Decimal>,
    /// Last order on or after this day.
    pub ordered_from: Option<NaiveDate>,
    /// Last order on or before this day.
    pub ordered_to: Option<NaiveDate>,
    pub tag: Option<String>,
    /// Exact city, any case of the first letter.
    pub city: String,
    pub sort: CustomerSort,
    /// 0-based.
    pub page: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub city: String,
    pub orders: u32,
    pub spent: Decimal,
    pub last_order: Option<String>,
    pub segment: String,
    pub tags: Vec<String>,
    pub has_account: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerList {
    pub rows: Vec<CustomerRow>,
    /// Customers matching the filters, over all pages.
    pub found: u64,
    pub pages: u64,
    /// Every tag in use, for the filter, with how many customers carry it.
    pub tags: Vec<(String, u64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerOrder {
    pub number: String,
    pub created_at: String,
    pub status_label: String,
    pub cancelled: bool,
    pub channel: String,
    pub total: Decimal,
    pub refunded: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerNote {
    pub author: String,
    pub created_at: String,
    pub text: String,
}

/// Another record that looks like the same person (same phone or e-mail).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PossibleDuplicate {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub orders: u32,
    pub has_account: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerCard {
    pub id: i64,
    pub contacts: ContactsForm,
    /// The e-mail the customer logs in with, if they have an account.
    pub account: Option<String>,
    pub since: String,
    pub orders_count: u32,
    pub spent: Decimal,
    pub average: Option<Decimal>,
    pub last_order: Option<String>,
    pub segment: String,
    pub tags: Vec<String>,
    pub notes: Vec<CustomerNote>,
    pub orders: Vec<CustomerOrder>,
    /// Delivery addresses used, latest first.
    pub addresses: Vec<String>,
    pub duplicates: Vec<PossibleDuplicate>,
    /// The signed-in staff member may merge records.
    pub can_merge: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CustomerOutcome {
    Done(Box<CustomerCard>),
    BadContacts(Vec<ContactProblem>),
    BadNote(NoteProblem),
    BadTag(TagProblem),
    NotMerged(MergeProblem),
}

#[server(endpoint = "admin_customers", input = Json)]
pub async fn admin_customers(filter: CustomerFilter, lang: Lang) -> Result<CustomerList, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{customers, web};
    let state = web::state()?;
    web::require(Permission::HandleCustomers).await?;
    Ok(customers::list(&state.db, &filter, lang).await?)
}

#[server(endpoint = "admin_customer", input = Json)]
pub async fn admin_customer(id: i64, lang: Lang) -> Result<CustomerCard, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{customers, web};
    let state = web::state()?;
    let staff = web::require(Permission::HandleCustomers).await?;
    customers::card(&state.db, id, staff.role(), lang)
        .await?
        .ok_or(AppError::NotFound)
}

#[server(endpoint = "admin_customer_save", input = Json)]
pub async fn admin_customer_save(
    id: i64,
    form: ContactsForm,
    lang: Lang,
) -> Result<CustomerOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{customers, web};
    let state = web::state()?;
    let staff = web::require(Permission::HandleCustomers).await?;
    if let Err(problems) = customers::save_contacts(&state.db, &staff, id, &form).await? {
        return Ok(CustomerOutcome::BadContacts(problems));
    }
    customers::outcome(&state.db, id, staff.role(), lang).await
}

#[server(endpoint = "admin_customer_note", input = Json)]
pub async fn admin_customer_note(
    id: i64,
    text: String,
    lang: Lang,
) -> Result<CustomerOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{customers, web};
    let state = web::state()?;
    let staff = web::require(Permission::HandleCustomers).await?;
    if let Err(problem) = customers::add_note(&state.db, &staff, id, &text).await? {
        return Ok(CustomerOutcome::BadNote(problem));
    }
    customers::outcome(&state.db, id, staff.role(), lang).await
}

/// Adds (`add`) or removes a tag.
#[server(endpoint = "admin_customer_tag", input = Json)]
pub async fn admin_customer_tag(
    id: i64,
    tag: String,
    add: bool,
    lang: Lang,
) -> Result<CustomerOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{customers, web};
    let state = web::state()?;
    let staff = web::require(Permission::HandleCustomers).await?;
    if let Err(problem) = customers::tag(&state.db, &staff, id, &tag, add).await? {
        return Ok(CustomerOutcome::BadTag(problem));
    }
    customers::outcome(&state.db, id, staff.role(), lang).await
}

/// Merges customer `source` into `target` (ORD-3): orders, notes and tags
/// move over, `source` is gone.
#[server(endpoint = "admin_customer_merge", input = Json)]
pub async fn admin_customer_merge(
    target: i64,
    source: i64,
    lang: Lang,
) -> Result<CustomerOutcome, AppError> {
    use crate::domain::accounts::Permission;
    use crate::server::{customers, web};
    let state = web::state()?;
    let staff = web::require(Permission::MergeCustomers).await?;
    if let Err(problem) = customers::merge(&state.db, &staff, target, source).await? {
        return Ok(CustomerOutcome::NotMerged(problem));
    }
    customers::outcome(&state.db, target, staff.role(), lang).await
}
