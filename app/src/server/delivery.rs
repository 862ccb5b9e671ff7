//! Delivery methods as configured (CART-3; edited with checkout, CHK-2).
use super::entities::delivery_methods;
use crate::domain::catalog::from_minor;
use crate::domain::delivery::{DeliveryKind, DeliveryMethod};
use crate::domain::money::Lang;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

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
