//! Delivery methods as configured (CART-3; edited with checkout, CHK-2).
use super::accounts::AuthUser;
use super::admin::{record, Actor};
use super::entities::{delivery_methods, pickup_points};
use crate::api::AppError;
use crate::domain::catalog::editing::{FieldProblem, Problem};
use crate::domain::catalog::from_minor;
use crate::domain::delivery::{
    validate_method, validate_pickup_point, DeliveryKind, DeliveryMethod, DeliveryMethodForm,
    PickupPointForm,
};
use crate::domain::money::Lang;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

/// The active methods in the shop's order.
pub async fn methods(db: &impl ConnectionTrait, lang: Lang) -> Result<Vec<DeliveryMethod>, DbErr> {
    Ok(delivery_methods::Entity::find()
        .filter(delivery_methods::Column::Active.eq(true))
        .order_by_asc(delivery_methods::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| {
            Some(DeliveryMethod {
                kind: DeliveryKind::parse(&m.kind)?,
                name: match lang {
                    Lang::Ru => m.name_ru,
                    Lang::En => m.name_en,
                },
                code: m.code,
                price: from_minor(m.price_minor),
                free_from: m.free_from_minor.map(from_minor),
                lead_days: m.lead_days.max(0) as u32,
            })
        })
        .collect())
}

/// Every method, active or not, for `/admin/delivery`.
pub async fn admin_methods(db: &impl ConnectionTrait) -> Result<Vec<DeliveryMethodForm>, DbErr> {
    Ok(delivery_methods::Entity::find()
        .order_by_asc(delivery_methods::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|m| DeliveryMethodForm {
            id: m.id,
            code: m.code,
            kind: m.kind,
            name_ru: m.name_ru,
            name_en: m.name_en,
            price: from_minor(m.price_minor).to_string(),
            free_from: m
                .free_from_minor
                .map(|f| from_minor(f).to_string())
                .unwrap_or_default(),
            lead_days: m.lead_days.to_string(),
            active: m.active,
        })
        .collect())
}

/// Saves a method's names, price rule and lead time; problems come back for the form.
pub async fn save_method(
    db: &DatabaseConnection,
    actor: &AuthUser,
    form: &DeliveryMethodForm,
) -> Result<Vec<FieldProblem>, AppError> {
    let valid = match validate_method(form) {
        Ok(v) => v,
        Err(problems) => return Ok(problems),
    };
    let found = delivery_methods::Entity::find_by_id(form.id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = serde_json::json!({
        "name_ru": found.name_ru, "name_en": found.name_en, "price_minor": found.price_minor,
        "free_from_minor": found.free_from_minor, "lead_days": found.lead_days, "active": found.active,
    });
    let mut model: delivery_methods::ActiveModel = found.into();
    model.name_ru = Set(valid.name_ru.clone());
    model.name_en = Set(valid.name_en.clone());
    model.price_minor = Set(valid.price_minor);
    model.free_from_minor = Set(valid.free_from_minor);
    model.lead_days = Set(valid.lead_days);
    model.active = Set(valid.active);
    model.update(db).await?;
    record(
        db,
        Actor::User(actor),
        "delivery_method.update",
        "delivery_method",
        &form.id.to_string(),
        Some(before),
        Some(serde_json::json!({
            "name_ru": valid.name_ru, "name_en": valid.name_en, "price_minor": valid.price_minor,
            "free_from_minor": valid.free_from_minor, "lead_days": valid.lead_days, "active": valid.active,
        })),
    )
    .await?;
    Ok(Vec::new())
}

pub async fn admin_pickup_points(db: &impl ConnectionTrait) -> Result<Vec<PickupPointForm>, DbErr> {
    Ok(pickup_points::Entity::find()
        .order_by_asc(pickup_points::Column::City)
        .order_by_asc(pickup_points::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PickupPointForm {
            id: Some(p.id),
            method_code: p.method_code,
            name: p.name,
            city: p.city,
            address: p.address,
            hours: p.hours,
            active: p.active,
        })
        .collect())
}

/// Adds a pickup point or changes one; problems come back for the form.
pub async fn save_pickup_point(
    db: &DatabaseConnection,
    actor: &AuthUser,
    form: &PickupPointForm,
) -> Result<Vec<FieldProblem>, AppError> {
    let valid = match validate_pickup_point(form) {
        Ok(v) => v,
        Err(problems) => return Ok(problems),
    };
    let method = delivery_methods::Entity::find()
        .filter(delivery_methods::Column::Code.eq(valid.method_code.clone()))
        .filter(delivery_methods::Column::Kind.eq("pickup_point"))
        .one(db)
        .await?;
    if method.is_none() {
        return Ok(vec![FieldProblem {
            field: "method_code".into(),
            problem: Problem::Required,
        }]);
    }
    let (id, action) = match valid.id {
        Some(id) => {
            let found = pickup_points::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut model: pickup_points::ActiveModel = found.into();
            model.method_code = Set(valid.method_code.clone());
            model.name = Set(valid.name.clone());
            model.city = Set(valid.city.clone());
            model.address = Set(valid.address.clone());
            model.hours = Set(valid.hours.clone());
            model.active = Set(valid.active);
            model.update(db).await?;
            (id, "pickup_point.update")
        }
        None => {
            let (token, _) = super::accounts::new_session_token();
            let saved = pickup_points::ActiveModel {
                code: Set(format!("pp-{}", &token[..12])),
                method_code: Set(valid.method_code.clone()),
                name: Set(valid.name.clone()),
                city: Set(valid.city.clone()),
                address: Set(valid.address.clone()),
                hours: Set(valid.hours.clone()),
                latitude: Set(None),
                longitude: Set(None),
                active: Set(valid.active),
                ..Default::default()
            }
            .insert(db)
            .await?;
            (saved.id, "pickup_point.create")
        }
    };
    record(
        db,
        Actor::User(actor),
        action,
        "pickup_point",
        &id.to_string(),
        None,
        Some(serde_json::json!({
            "method": valid.method_code, "name": valid.name, "city": valid.city,
            "address": valid.address, "hours": valid.hours, "active": valid.active,
        })),
    )
    .await?;
    Ok(Vec::new())
}
