use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "callback_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub user_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub cart: String,
    pub cart_total_minor: i64,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub handled_by: Option<i64>,
    pub handled_at: Option<DateTimeUtc>,
    /// The phone order the call ended in (ORD-4).
    pub order_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
