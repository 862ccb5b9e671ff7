use sea_orm::entity::prelude::*;

/// One tracking status of a parcel (LOG-2), from the carrier or from staff.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tracking_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub tracking_number: String,
    pub status: String,
    pub place: String,
    /// `carrier` or `staff`.
    pub source: String,
    pub actor_user_id: Option<i64>,
    pub happened_at: DateTimeUtc,
    #[sea_orm(unique)]
    pub event_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
