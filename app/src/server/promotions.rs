//! Promotions (LOY-2, CART-4): which ones apply to a cart, usage counting,
//! and the admin side (`/admin/promotions`).
use super::admin::{record, Actor};
use super::catalog::Snapshot;
use super::entities::{categories, products, promotion_redemptions, promotions};
use super::settings;
use super::{accounts::AuthUser, AppState};
use crate::api::cart::PromoStatus;
use crate::api::promotions::{PromotionRow, PromotionState};
use crate::api::AppError;
use crate::domain::catalog::editing::{FieldProblem, Problem};
use crate::domain::catalog::from_minor;
use crate::domain::money::Lang;
use crate::domain::pricing::{Delivery, Discount, Line, Scope};
use crate::domain::promotions::{
    check, discount_kind, normalize_code, select, validate_promotion, Combination, PromotionForm,
    PromotionRule, Usage,
};
use chrono::{DateTime, Days, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

const COMBINATION_KEY: &str = "promotions.combination";

fn ids(text: &str) -> Vec<i64> {
    text.split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

fn join_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// The rule of a stored promotion; a category covers its subcategories.
fn rule(model: &promotions::Model, snapshot: &Snapshot, lang: Lang) -> PromotionRule {
    let listed = ids(&model.category_ids);
    let products = ids(&model.product_ids);
    let scope = if !listed.is_empty() {
        Scope::Categories(
            (0..snapshot.categories.len())
                .filter(|&c| {
                    snapshot
                        .chain(c)
                        .iter()
                        .any(|&a| listed.contains(&snapshot.categories[a].id))
                })
                .map(|c| snapshot.categories[c].id)
                .collect(),
        )
    } else if !products.is_empty() {
        Scope::Products(products)
    } else {
        Scope::All
    };
    PromotionRule {
        id: model.id,
        name: match lang {
            Lang::Ru => model.name_ru.clone(),
            Lang::En => model.name_en.clone(),
        },
        code: model.code.clone(),
        kind: discount_kind(&model.kind, model.percent, model.amount_minor),
        scope,
        min_order: model.min_order_minor.map(from_minor),
        starts_at: model.starts_at,
        ends_at: model.ends_at,
        usage_limit: model.usage_limit.map(|n| n.max(0) as u32),
        per_customer_limit: model.per_customer_limit.map(|n| n.max(0) as u32),
        active: model.active,
    }
}

async fn usage(
    db: &impl ConnectionTrait,
    promotion_id: i64,
    customer: Option<&str>,
) -> Result<Usage, DbErr> {
    let of_promotion = promotion_redemptions::Entity::find()
        .filter(promotion_redemptions::Column::PromotionId.eq(promotion_id));
    let total = of_promotion.clone().count(db).await?;
    let by_customer = match customer {
        Some(c) => {
            of_promotion
                .filter(promotion_redemptions::Column::Customer.eq(c))
                .count(db)
                .await?
        }
        None => 0,
    };
    Ok(Usage {
        total: total.min(u64::from(u32::MAX)) as u32,
        by_customer: by_customer.min(u64::from(u32::MAX)) as u32,
    })
}

/// What the shop's promotions give this cart: the automatic ones that apply
/// and the typed code, combined by the shop's rule. `customer` is `user:<id>`
/// for a signed-in shopper; a guest's per-customer limit is checked at
/// checkout, where their contacts are known.
pub struct Applied {
    pub discounts: Vec<Discount>,
    pub promo: Option<PromoStatus>,
}

#[allow(clippy::too_many_arguments)]
pub async fn applicable(
    db: &impl ConnectionTrait,
    snapshot: &Snapshot,
    lines: &[Line],
    code: Option<&str>,
    customer: Option<&str>,
    delivery: Option<&Delivery>,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Applied, DbErr> {
    let code = code.map(normalize_code).filter(|c| !c.is_empty());
    let mut query = promotions::Entity::find().filter(promotions::Column::Active.eq(true));
    query = match &code {
        Some(c) => query.filter(
            Condition::any()
                .add(promotions::Column::Code.is_null())
                .add(promotions::Column::Code.eq(c.clone())),
        ),
        None => query.filter(promotions::Column::Code.is_null()),
    };
    let mut models = query.order_by_asc(promotions::Column::Id).all(db).await?;
    // A paused code still gets its own message rather than "unknown".
    if let Some(c) = &code {
        if !models.iter().any(|m| m.code.as_ref() == Some(c)) {
            if let Some(paused) = promotions::Entity::find()
                .filter(promotions::Column::Code.eq(c.clone()))
                .one(db)
                .await?
            {
                models.push(paused);
            }
        }
    }
    let mut found = Vec::new();
    let mut promo = code.clone().map(|code| PromoStatus {
        code,
        problem: Some(crate::domain::promotions::PromoProblem::Unknown),
        name: None,
    });
    for model in &models {
        let rule = rule(model, snapshot, lang);
        let usage = usage(db, model.id, customer).await?;
        let result = check(&rule, lines, now, usage);
        match (&rule.code, result) {
            (None, Ok(discount)) => found.push(discount),
            (None, Err(_)) => {}
            (Some(_), result) => {
                if let Some(status) = promo.as_mut() {
                    status.name = Some(rule.name.clone());
                    status.problem = result.as_ref().err().cloned();
                }
                if let Ok(discount) = result {
                    found.push(discount);
                }
            }
        }
    }
    // The combination rule only chooses among two or more: one read saved
    // on most carts and in checkout's transaction.
    let rule = if found.len() > 1 {
        combination(db).await?
    } else {
        Combination::default()
    };
    let discounts = select(found, lines, delivery, rule);
    // A valid code that loses to a better automatic promotion says so.
    if let Some(status) = promo.as_mut() {
        if status.problem.is_none()
            && !discounts
                .iter()
                .any(|d| Some(&d.name) == status.name.as_ref())
        {
            status.problem = Some(crate::domain::promotions::PromoProblem::NotCombinable);
        }
    }
    Ok(Applied { discounts, promo })
}

/// Counts a use of a promotion (at checkout, in the order's transaction).
pub async fn record_redemption(
    db: &impl ConnectionTrait,
    promotion_id: i64,
    customer: &str,
    order_id: Option<i64>,
) -> Result<(), DbErr> {
    promotion_redemptions::ActiveModel {
        promotion_id: Set(promotion_id),
        customer: Set(customer.to_string()),
        order_id: Set(order_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn combination(db: &impl ConnectionTrait) -> Result<Combination, DbErr> {
    Ok(settings::value(db, COMBINATION_KEY)
        .await?
        .map(|v| Combination::parse(&v))
        .unwrap_or_default())
}

pub async fn set_combination(
    state: &AppState,
    actor: &AuthUser,
    rule: Combination,
) -> Result<(), AppError> {
    let txn = super::begin_write(&state.db).await?;
    let before = combination(&txn).await?;
    settings::put(&txn, COMBINATION_KEY, rule.as_str()).await?;
    record(
        &txn,
        Actor::User(actor),
        "promotions.combination",
        "setting",
        COMBINATION_KEY,
        Some(serde_json::json!(before.as_str())),
        Some(serde_json::json!(rule.as_str())),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn state_of(model: &promotions::Model, now: DateTime<Utc>, uses: u64) -> PromotionState {
    if !model.active {
        PromotionState::Paused
    } else if model.starts_at.is_some_and(|s| now < s) {
        PromotionState::Scheduled
    } else if model.ends_at.is_some_and(|e| now >= e) {
        PromotionState::Ended
    } else if model
        .usage_limit
        .is_some_and(|limit| uses >= limit.max(0) as u64)
    {
        PromotionState::UsedUp
    } else {
        PromotionState::Running
    }
}

/// Every promotion with its usage, newest first, as forms for editing.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<PromotionRow>, DbErr> {
    let models = promotions::Entity::find()
        .order_by_desc(promotions::Column::Id)
        .all(db)
        .await?;
    let category_slugs: HashMap<i64, String> = categories::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.slug))
        .collect();
    let product_ids: Vec<i64> = models.iter().flat_map(|m| ids(&m.product_ids)).collect();
    let product_slugs: HashMap<i64, String> = products::Entity::find()
        .filter(products::Column::Id.is_in(product_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.slug))
        .collect();
    let slugs = |text: &str, names: &HashMap<i64, String>| {
        ids(text)
            .iter()
            .filter_map(|id| names.get(id).cloned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let now = Utc::now();
    let mut rows = Vec::with_capacity(models.len());
    for m in models {
        let uses = promotion_redemptions::Entity::find()
            .filter(promotion_redemptions::Column::PromotionId.eq(m.id))
            .count(db)
            .await?;
        let money = |minor: Option<i64>| minor.map(|m| from_minor(m).to_string());
        let day = |at: Option<DateTime<Utc>>| at.map(|t| t.date_naive().to_string());
        rows.push(PromotionRow {
            state: state_of(&m, now, uses),
            uses,
            form: PromotionForm {
                id: Some(m.id),
                name_ru: m.name_ru.clone(),
                name_en: m.name_en.clone(),
                code: m.code.clone().unwrap_or_default(),
                kind: m.kind.clone(),
                value: match m.kind.as_str() {
                    "percent" => m.percent.map(|p| p.to_string()).unwrap_or_default(),
                    "fixed" => money(m.amount_minor).unwrap_or_default(),
                    _ => String::new(),
                },
                min_order: money(m.min_order_minor).unwrap_or_default(),
                starts_on: day(m.starts_at).unwrap_or_default(),
                // Stored as the exclusive end instant; shown as the last day.
                ends_on: day(m.ends_at.and_then(|e| e.checked_sub_days(Days::new(1))))
                    .unwrap_or_default(),
                usage_limit: m.usage_limit.map(|n| n.to_string()).unwrap_or_default(),
                per_customer_limit: m
                    .per_customer_limit
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                categories: slugs(&m.category_ids, &category_slugs),
                products: slugs(&m.product_ids, &product_slugs),
                active: m.active,
            },
        });
    }
    Ok(rows)
}

/// Creates or updates a promotion; problems come back for the form.
pub async fn save(
    state: &AppState,
    actor: &AuthUser,
    form: PromotionForm,
) -> Result<Vec<FieldProblem>, AppError> {
    let valid = match validate_promotion(&form) {
        Ok(v) => v,
        Err(problems) => return Ok(problems),
    };
    let txn = super::begin_write(&state.db).await?;
    let mut problems = Vec::new();
    let category_ids: Vec<i64> = categories::Entity::find()
        .filter(categories::Column::Slug.is_in(valid.category_slugs.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if category_ids.len() != valid.category_slugs.len() {
        problems.push(FieldProblem {
            field: "categories".into(),
            problem: Problem::UnknownCategory,
        });
    }
    let product_ids: Vec<i64> = products::Entity::find()
        .filter(products::Column::Slug.is_in(valid.product_slugs.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    if product_ids.len() != valid.product_slugs.len() {
        problems.push(FieldProblem {
            field: "products".into(),
            problem: Problem::UnknownProduct,
        });
    }
    if let Some(code) = &valid.code {
        let holder = promotions::Entity::find()
            .filter(promotions::Column::Code.eq(code.clone()))
            .one(&txn)
            .await?;
        if holder.is_some_and(|h| Some(h.id) != form.id) {
            problems.push(FieldProblem {
                field: "code".into(),
                problem: Problem::CodeTaken,
            });
        }
    }
    if !problems.is_empty() {
        return Ok(problems);
    }
    let existing = match form.id {
        Some(id) => Some(
            promotions::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let mut model = promotions::ActiveModel {
        name_ru: Set(valid.name_ru),
        name_en: Set(valid.name_en),
        code: Set(valid.code),
        kind: Set(valid.kind.to_string()),
        percent: Set(valid.percent),
        amount_minor: Set(valid.amount_minor),
        min_order_minor: Set(valid.min_order_minor),
        starts_at: Set(valid.starts_at),
        ends_at: Set(valid.ends_at),
        usage_limit: Set(valid.usage_limit),
        per_customer_limit: Set(valid.per_customer_limit),
        category_ids: Set(join_ids(&category_ids)),
        product_ids: Set(join_ids(&product_ids)),
        active: Set(valid.active),
        ..Default::default()
    };
    let before = existing.as_ref().map(audit_json);
    let saved = match existing {
        Some(e) => {
            model.id = Set(e.id);
            model.update(&txn).await?
        }
        None => {
            model.created_at = Set(Utc::now());
            model.insert(&txn).await?
        }
    };
    let action = if before.is_some() {
        "promotion.update"
    } else {
        "promotion.create"
    };
    record(
        &txn,
        Actor::User(actor),
        action,
        "promotion",
        &saved.id.to_string(),
        before,
        Some(audit_json(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(Vec::new())
}

/// Pauses or resumes a promotion.
pub async fn set_active(
    state: &AppState,
    actor: &AuthUser,
    id: i64,
    active: bool,
) -> Result<(), AppError> {
    let txn = super::begin_write(&state.db).await?;
    let found = promotions::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut model: promotions::ActiveModel = found.into();
    model.active = Set(active);
    model.update(&txn).await?;
    let action = if active {
        "promotion.resume"
    } else {
        "promotion.pause"
    };
    record(
        &txn,
        Actor::User(actor),
        action,
        "promotion",
        &id.to_string(),
        None,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn audit_json(m: &promotions::Model) -> serde_json::Value {
    serde_json::json!({
        "name_ru": m.name_ru, "name_en": m.name_en, "code": m.code, "kind": m.kind,
        "percent": m.percent, "amount_minor": m.amount_minor, "min_order_minor": m.min_order_minor,
        "starts_at": m.starts_at, "ends_at": m.ends_at, "usage_limit": m.usage_limit,
        "per_customer_limit": m.per_customer_limit, "category_ids": m.category_ids,
        "product_ids": m.product_ids, "active": m.active,
    })
}
