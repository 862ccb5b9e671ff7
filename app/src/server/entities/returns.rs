use sea_orm::entity::prelude::*;

/// Goods that came back from an order (ORD-7), at the door (LOG-3) or later.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "returns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    /// `door` or `later`.
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub refund_minor: i64,
    pub restocked: bool,
    pub actor_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
