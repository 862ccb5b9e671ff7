//! Catalog (CAT-1): category tree, products with per-locale texts, variants
//! with option values, stock per warehouse, photos, related products, stored
//! images and information pages (CAT-4).
//!
//! Money is stored as integer minor units (kopecks) in BIGINT columns: exact on
//! SQLite (which has no decimal type and would round through REAL) and on
//! PostgreSQL alike; the entities convert to `rust_decimal::Decimal`.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    ParentId,
    Slug,
    NameRu,
    NameEn,
    Position,
    Featured,
}

#[derive(DeriveIden)]
enum Warehouses {
    Table,
    Id,
    Code,
    Name,
}

#[derive(DeriveIden)]
enum Media {
    Table,
    Key,
    Width,
    Height,
    Widths,
    HasWebp,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Slug,
    CategoryId,
    Brand,
    NameRu,
    NameEn,
    DescriptionRu,
    DescriptionEn,
    Attributes,
    WeightG,
    LengthMm,
    WidthMm,
    HeightMm,
    Published,
    SeoTitle,
    SeoDescription,
    Popularity,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Variants {
    Table,
    Id,
    ProductId,
    Sku,
    Barcode,
    Options,
    PriceMinor,
    OldPriceMinor,
    BackorderDays,
    Position,
}

#[derive(DeriveIden)]
enum Stock {
    Table,
    VariantId,
    WarehouseId,
    Quantity,
}

#[derive(DeriveIden)]
enum Photos {
    Table,
    Id,
    ProductId,
    MediaKey,
    Position,
    AltRu,
    AltEn,
    OptionValue,
}

#[derive(DeriveIden)]
enum RelatedProducts {
    Table,
    ProductId,
    RelatedId,
    Position,
}

#[derive(DeriveIden)]
enum InfoPages {
    Table,
    Slug,
    TitleRu,
    TitleEn,
    BodyRu,
    BodyEn,
    Position,
    UpdatedAt,
}

fn index(name: &str, table: impl IntoIden, cols: &[&str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(Alias::new(*col));
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Categories::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Categories::Id))
                    .col(big_integer_null(Categories::ParentId))
                    .col(string_len_uniq(Categories::Slug, 120))
                    .col(string_len(Categories::NameRu, 200))
                    .col(string_len(Categories::NameEn, 200))
                    .col(integer(Categories::Position).default(0))
                    .col(boolean(Categories::Featured).default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Categories::Table, Categories::ParentId)
                            .to(Categories::Table, Categories::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Warehouses::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Warehouses::Id))
                    .col(string_len_uniq(Warehouses::Code, 32))
                    .col(string_len(Warehouses::Name, 200))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Media::Table)
                    .if_not_exists()
                    // Content hash: the same picture uploaded twice is stored once.
                    .col(string_len(Media::Key, 32).primary_key())
                    .col(integer(Media::Width))
                    .col(integer(Media::Height))
                    // JSON array of the stored widths, e.g. [320,640,1200].
                    .col(string_len(Media::Widths, 64))
                    .col(boolean(Media::HasWebp))
                    .col(timestamp_with_time_zone(Media::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Products::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Products::Id))
                    .col(string_len_uniq(Products::Slug, 160))
                    .col(big_integer(Products::CategoryId))
                    .col(string_len(Products::Brand, 120).default(""))
                    .col(string_len(Products::NameRu, 300))
                    .col(string_len(Products::NameEn, 300))
                    .col(text(Products::DescriptionRu))
                    .col(text(Products::DescriptionEn))
                    // JSON array of option values (see app::domain::catalog::OptionValue).
                    .col(text(Products::Attributes))
                    .col(integer(Products::WeightG).default(0))
                    .col(integer(Products::LengthMm).default(0))
                    .col(integer(Products::WidthMm).default(0))
                    .col(integer(Products::HeightMm).default(0))
                    .col(boolean(Products::Published).default(false))
                    .col(string_len_null(Products::SeoTitle, 300))
                    .col(string_len_null(Products::SeoDescription, 500))
                    .col(integer(Products::Popularity).default(0))
                    .col(timestamp_with_time_zone(Products::CreatedAt))
                    .col(timestamp_with_time_zone(Products::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Products::Table, Products::CategoryId)
                            .to(Categories::Table, Categories::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_products_category",
                Products::Table,
                &["category_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Variants::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Variants::Id))
                    .col(big_integer(Variants::ProductId))
                    .col(string_len_uniq(Variants::Sku, 64))
                    .col(string_len_null(Variants::Barcode, 32))
                    .col(text(Variants::Options))
                    .col(
                        big_integer(Variants::PriceMinor)
                            .check(Expr::col(Variants::PriceMinor).gte(0)),
                    )
                    .col(big_integer_null(Variants::OldPriceMinor))
                    // NULL: not sold when out of stock; N: can be ordered, ships in N days.
                    .col(integer_null(Variants::BackorderDays))
                    .col(integer(Variants::Position).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Variants::Table, Variants::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_variants_product",
                Variants::Table,
                &["product_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Stock::Table)
                    .if_not_exists()
                    .col(big_integer(Stock::VariantId))
                    .col(big_integer(Stock::WarehouseId))
                    .col(integer(Stock::Quantity).check(Expr::col(Stock::Quantity).gte(0)))
                    .primary_key(
                        Index::create()
                            .col(Stock::VariantId)
                            .col(Stock::WarehouseId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Stock::Table, Stock::VariantId)
                            .to(Variants::Table, Variants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Stock::Table, Stock::WarehouseId)
                            .to(Warehouses::Table, Warehouses::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Photos::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Photos::Id))
                    .col(big_integer(Photos::ProductId))
                    .col(string_len(Photos::MediaKey, 32))
                    .col(integer(Photos::Position).default(0))
                    .col(string_len(Photos::AltRu, 300).default(""))
                    .col(string_len(Photos::AltEn, 300).default(""))
                    // Code of the option value (e.g. a colour) this photo shows, if any.
                    .col(string_len_null(Photos::OptionValue, 120))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Photos::Table, Photos::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Photos::Table, Photos::MediaKey)
                            .to(Media::Table, Media::Key)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_photos_product", Photos::Table, &["product_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RelatedProducts::Table)
                    .if_not_exists()
                    .col(big_integer(RelatedProducts::ProductId))
                    .col(big_integer(RelatedProducts::RelatedId))
                    .col(integer(RelatedProducts::Position).default(0))
                    .primary_key(
                        Index::create()
                            .col(RelatedProducts::ProductId)
                            .col(RelatedProducts::RelatedId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RelatedProducts::Table, RelatedProducts::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RelatedProducts::Table, RelatedProducts::RelatedId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InfoPages::Table)
                    .if_not_exists()
                    .col(string_len(InfoPages::Slug, 64).primary_key())
                    .col(string_len(InfoPages::TitleRu, 200))
                    .col(string_len(InfoPages::TitleEn, 200))
                    .col(text(InfoPages::BodyRu))
                    .col(text(InfoPages::BodyEn))
                    .col(integer(InfoPages::Position).default(0))
                    .col(timestamp_with_time_zone(InfoPages::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
