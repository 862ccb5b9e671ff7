//! Delivery methods as configured (CART-3; edited with checkout, CHK-2),
//! pickup points (LOG-1) and the warehouses' days to dispatch.
use super::accounts::AuthUser;
use super::admin::{record, Actor};
use super::entities::{delivery_methods, pickup_points, warehouses};
use super::state::AppState;
use crate::api::AppError;
use crate::domain::catalog::editing::{FieldProblem, Problem};
use crate::domain::catalog::from_minor;
use crate::domain::delivery::{
    format_rates, parse_coordinates, validate_method, validate_pickup_point, DeliveryKind,
    DeliveryMethod, DeliveryMethodForm, PickupPointForm, Rate, ValidDeliveryMethod, WarehouseDays,
};
use crate::domain::money::Lang;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

/// The active methods in the shop's order, read now (in a transaction that
/// must see its own writes); [`offered`] is the cached way.
pub async fn methods(db: &impl ConnectionTrait, lang: Lang) -> Result<Vec<DeliveryMethod>, DbErr> {
    Ok(in_lang(&active_rows(db).await?, lang))
}

/// The active methods in both languages, made once per read of the table:
/// every cart price and checkout takes them.
#[derive(Debug)]
pub struct Offered {
    ru: Vec<DeliveryMethod>,
    en: Vec<DeliveryMethod>,
}

/// The active methods in `lang`, through the instance's cache (CART-3).
pub async fn offered(state: &AppState, lang: Lang) -> Result<Vec<DeliveryMethod>, DbErr> {
    let offered = state
        .delivery_methods
        .get(|| async {
            let rows = active_rows(&state.db).await?;
            Ok(Offered {
                ru: in_lang(&rows, Lang::Ru),
                en: in_lang(&rows, Lang::En),
            })
        })
        .await?;
    Ok(match lang {
        Lang::Ru => offered.ru.clone(),
        Lang::En => offered.en.clone(),
    })
}

async fn active_rows(db: &impl ConnectionTrait) -> Result<Vec<delivery_methods::Model>, DbErr> {
    delivery_methods::Entity::find()
        .filter(delivery_methods::Column::Active.eq(true))
        .order_by_asc(delivery_methods::Column::Position)
        .all(db)
        .await
}

fn in_lang(rows: &[delivery_methods::Model], lang: Lang) -> Vec<DeliveryMethod> {
    rows.iter()
        .filter_map(|m| {
            Some(DeliveryMethod {
                kind: DeliveryKind::parse(&m.kind)?,
                name: match lang {
                    Lang::Ru => m.name_ru.clone(),
                    Lang::En => m.name_en.clone(),
                },
                code: m.code.clone(),
                price: from_minor(m.price_minor),
                free_from: m.free_from_minor.map(from_minor),
                lead_days: m.lead_days.max(0) as u32,
                rates: stored_rates(&m.rates),
                try_on: m.try_on,
            })
        })
        .collect()
}

/// The rates column, written only by `save_method` from checked rates.
fn stored_rates(json: &str) -> Vec<Rate> {
    serde_json::from_str(json).unwrap_or_default()
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
            rates: format_rates(&stored_rates(&m.rates)),
            try_on: m.try_on,
            tracking_url: m.tracking_url,
            carrier: m.carrier,
        })
        .collect())
}

/// Adds a method (id 0) or changes one's names, prices, rates and lead
/// time; problems come back for the form.
pub async fn save_method(
    state: &AppState,
    actor: &AuthUser,
    form: &DeliveryMethodForm,
) -> Result<Vec<FieldProblem>, AppError> {
    let valid = match validate_method(form) {
        Ok(v) => v,
        Err(problems) => return Ok(problems),
    };
    let audit = |v: &ValidDeliveryMethod| {
        serde_json::json!({
            "code": v.code, "name_ru": v.name_ru, "name_en": v.name_en, "price_minor": v.price_minor,
            "free_from_minor": v.free_from_minor, "lead_days": v.lead_days, "active": v.active,
            "rates": v.rates, "try_on": v.try_on, "tracking_url": v.tracking_url,
            "carrier": v.carrier,
        })
    };
    let rates = serde_json::to_string(&valid.rates).map_err(|_| AppError::Internal)?;
    let txn = super::begin_write(&state.db).await?;
    let (id, action, before, after) = if form.id == 0 {
        let taken = delivery_methods::Entity::find()
            .filter(delivery_methods::Column::Code.eq(valid.code.clone()))
            .one(&txn)
            .await?
            .is_some();
        if taken {
            return Ok(vec![FieldProblem {
                field: "code".into(),
                problem: Problem::MethodCodeTaken,
            }]);
        }
        let last = delivery_methods::Entity::find()
            .order_by_desc(delivery_methods::Column::Position)
            .one(&txn)
            .await?
            .map_or(0, |m| m.position);
        let saved = delivery_methods::ActiveModel {
            code: Set(valid.code.clone()),
            kind: Set(kind_code(valid.kind).into()),
            name_ru: Set(valid.name_ru.clone()),
            name_en: Set(valid.name_en.clone()),
            price_minor: Set(valid.price_minor),
            free_from_minor: Set(valid.free_from_minor),
            lead_days: Set(valid.lead_days),
            active: Set(valid.active),
            position: Set(last + 1),
            rates: Set(rates),
            try_on: Set(valid.try_on),
            tracking_url: Set(valid.tracking_url.clone()),
            carrier: Set(valid.carrier.clone()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        (saved.id, "delivery_method.create", None, audit(&valid))
    } else {
        let found = delivery_methods::Entity::find_by_id(form.id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        // The code and kind stay as they were: orders and carts refer to them.
        let kept = ValidDeliveryMethod {
            code: found.code.clone(),
            kind: DeliveryKind::parse(&found.kind).unwrap_or(valid.kind),
            ..valid.clone()
        };
        if kept.try_on && kept.kind != DeliveryKind::Courier {
            return Ok(vec![FieldProblem {
                field: "try_on".into(),
                problem: Problem::TryOnCourierOnly,
            }]);
        }
        let before = serde_json::json!({
            "name_ru": found.name_ru, "name_en": found.name_en, "price_minor": found.price_minor,
            "free_from_minor": found.free_from_minor, "lead_days": found.lead_days,
            "active": found.active, "rates": stored_rates(&found.rates), "try_on": found.try_on,
            "tracking_url": found.tracking_url, "carrier": found.carrier,
        });
        let mut model: delivery_methods::ActiveModel = found.into();
        model.name_ru = Set(kept.name_ru.clone());
        model.name_en = Set(kept.name_en.clone());
        model.price_minor = Set(kept.price_minor);
        model.free_from_minor = Set(kept.free_from_minor);
        model.lead_days = Set(kept.lead_days);
        model.active = Set(kept.active);
        model.rates = Set(rates);
        model.try_on = Set(kept.try_on);
        model.tracking_url = Set(kept.tracking_url.clone());
        model.carrier = Set(kept.carrier.clone());
        model.update(&txn).await?;
        (
            form.id,
            "delivery_method.update",
            Some(before),
            audit(&kept),
        )
    };
    record(
        &txn,
        Actor::User(actor),
        action,
        "delivery_method",
        &id.to_string(),
        before,
        Some(after),
    )
    .await?;
    txn.commit().await?;
    state.delivery_methods.invalidate();
    Ok(Vec::new())
}

fn kind_code(kind: DeliveryKind) -> &'static str {
    match kind {
        DeliveryKind::Courier => "courier",
        DeliveryKind::PickupPoint => "pickup_point",
        DeliveryKind::Post => "post",
    }
}

pub async fn admin_warehouses(db: &impl ConnectionTrait) -> Result<Vec<WarehouseDays>, DbErr> {
    Ok(warehouses::Entity::find()
        .order_by_asc(warehouses::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|w| WarehouseDays {
            id: w.id,
            name: w.name,
            dispatch_days: w.dispatch_days.to_string(),
        })
        .collect())
}

/// Sets the days goods take from a warehouse to the dispatch point. The
/// catalog snapshot carries them with the stock, so its version moves on and
/// every instance rebuilds it; the caller forgets its own at once.
pub async fn save_warehouse_days(
    db: &DatabaseConnection,
    actor: &AuthUser,
    id: i64,
    days: &str,
) -> Result<Vec<FieldProblem>, AppError> {
    let days = match days.trim().parse::<i32>() {
        Ok(d) if (0..=crate::domain::delivery::MAX_LEAD_DAYS as i32).contains(&d) => d,
        _ => {
            return Ok(vec![FieldProblem {
                field: "dispatch_days".into(),
                problem: Problem::BadNumber,
            }])
        }
    };
    let txn = super::begin_write(db).await?;
    let found = warehouses::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = found.dispatch_days;
    let mut model: warehouses::ActiveModel = found.into();
    model.dispatch_days = Set(days);
    model.update(&txn).await?;
    super::catalog::bump_version(&txn).await?;
    record(
        &txn,
        Actor::User(actor),
        "warehouse.dispatch_days",
        "warehouse",
        &id.to_string(),
        Some(serde_json::json!({ "dispatch_days": before })),
        Some(serde_json::json!({ "dispatch_days": days })),
    )
    .await?;
    txn.commit().await?;
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
            latitude: p.latitude.map(|v| v.to_string()).unwrap_or_default(),
            longitude: p.longitude.map(|v| v.to_string()).unwrap_or_default(),
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
    let place = parse_coordinates(&valid.latitude, &valid.longitude)
        .ok()
        .flatten();
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
            model.latitude = Set(place.map(|p| p.0));
            model.longitude = Set(place.map(|p| p.1));
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
                latitude: Set(place.map(|p| p.0)),
                longitude: Set(place.map(|p| p.1)),
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
            "latitude": place.map(|p| p.0), "longitude": place.map(|p| p.1),
        })),
    )
    .await?;
    Ok(Vec::new())
}
