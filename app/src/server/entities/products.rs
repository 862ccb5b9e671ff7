use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub category_id: i64,
    pub brand: String,
    pub name_ru: String,
    pub name_en: String,
    #[sea_orm(column_type = "Text")]
    pub description_ru: String,
    #[sea_orm(column_type = "Text")]
    pub description_en: String,
    /// JSON array of `app::domain::catalog::OptionValue`.
    #[sea_orm(column_type = "Text")]
    pub attributes: String,
    pub weight_g: i32,
    pub length_mm: i32,
    pub width_mm: i32,
    pub height_mm: i32,
    pub published: bool,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub popularity: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
