use sea_orm::entity::prelude::*;

/// Money going back to the shopper's card through the provider (ORD-6).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refunds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub return_id: Option<i64>,
    pub payment_id: i64,
    #[sea_orm(unique)]
    pub external_id: String,
    pub amount_minor: i64,
    /// `pending`, `sent`, `succeeded`, `failed`.
    pub status: String,
    pub attempts: i32,
    #[sea_orm(column_type = "Text")]
    pub last_error: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
