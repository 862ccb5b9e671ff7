use sea_orm::entity::prelude::*;

/// One change to a warehouse's stock of a variant (WMS-1): the ledger that
/// `stock.on_hand` and the reserved units add up from.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_movements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub variant_id: i64,
    pub warehouse_id: i64,
    /// `app::domain::warehouse::MovementKind`.
    pub kind: String,
    pub on_hand_delta: i32,
    pub reserved_delta: i32,
    pub order_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub actor_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
