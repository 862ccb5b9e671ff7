use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "delivery_methods")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub kind: String,
    pub name_ru: String,
    pub name_en: String,
    pub price_minor: i64,
    pub free_from_minor: Option<i64>,
    pub lead_days: i32,
    pub active: bool,
    pub position: i32,
    /// JSON list of `domain::delivery::Rate`; empty: the flat price.
    #[sea_orm(column_type = "Text")]
    pub rates: String,
    pub try_on: bool,
    /// The carrier's tracking page; `{number}` stands for the tracking number.
    pub tracking_url: String,
    /// The carrier adapter tracking its parcels (LOG-2); empty: by hand only.
    pub carrier: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
