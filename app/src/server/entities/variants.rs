use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "variants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    #[sea_orm(unique)]
    pub sku: String,
    pub barcode: Option<String>,
    /// JSON array of `app::domain::catalog::OptionValue`.
    #[sea_orm(column_type = "Text")]
    pub options: String,
    /// Kopecks (see the catalog migration for why not DECIMAL).
    pub price_minor: i64,
    pub old_price_minor: Option<i64>,
    pub backorder_days: Option<i32>,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
