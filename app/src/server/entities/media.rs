use sea_orm::entity::prelude::*;

/// A stored picture: resized copies live in the media directory as
/// `{key}-{width}.jpg` (and `.webp` when `has_webp`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "media")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub width: i32,
    pub height: i32,
    /// JSON array of stored widths, ascending.
    pub widths: String,
    pub has_webp: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
