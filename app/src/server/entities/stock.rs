use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub variant_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub warehouse_id: i64,
    /// Still for sale: on hand minus what orders reserved.
    pub quantity: i32,
    /// Physically in the warehouse, reserved units included (WMS-1).
    pub on_hand: i32,
    /// Shelf location, e.g. `A-03-2`.
    pub shelf: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
