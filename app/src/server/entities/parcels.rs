use sea_orm::entity::prelude::*;

/// A box an order leaves in (WMS-3), with its weight and, once handed to
/// the carrier, its tracking number (WMS-4).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "parcels")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub seq: i32,
    pub weight_grams: i32,
    pub tracking_number: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
