use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "promotions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name_ru: String,
    pub name_en: String,
    pub code: Option<String>,
    pub kind: String,
    pub percent: Option<i32>,
    pub amount_minor: Option<i64>,
    pub min_order_minor: Option<i64>,
    pub starts_at: Option<DateTimeUtc>,
    pub ends_at: Option<DateTimeUtc>,
    pub usage_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub category_ids: String,
    #[sea_orm(column_type = "Text")]
    pub product_ids: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
