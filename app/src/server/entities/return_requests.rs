use sea_orm::entity::prelude::*;

/// A customer's request to send goods back (ORD-7).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "return_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub status: String,
    pub reason: String,
    #[sea_orm(column_type = "Text")]
    pub comment: String,
    /// JSON list of media keys.
    #[sea_orm(column_type = "Text")]
    pub photos: String,
    #[sea_orm(column_type = "Text")]
    pub reply: String,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<i64>,
    pub return_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
