//! Catalog management (CAT-5): list, load, save, publish and delete products
//! with variants, stock per warehouse and photos. Every write runs in one
//! transaction with its audit row and bumps the catalog version, so all app
//! instances show the change within a second (this one at once).
use super::accounts::AuthUser;
use super::admin::{record, Actor};
use super::catalog::bump_version;
use super::entities::{
    categories, info_pages, photos, products, related_products, stock, variants, warehouses,
};
use super::stock_ledger;
use super::text_match::contains_ignoring_case;
use super::AppState;
use crate::api::admin_catalog::{
    AdminProductList, AdminProductRow, CategoryOption, CategoryRow, PhotoAdminView, ProductEditor,
    SaveOutcome, WarehouseView,
};
use crate::api::catalog::media_url;
use crate::api::AppError;
use crate::domain::catalog::editing::{
    extra_options_text, option_lines, related_slugs, validate, validate_category,
    validate_info_page, CategoryForm, FieldProblem, InfoPageForm, Problem, ProductDetails,
    ProductForm, ValidProduct, VariantForm,
};
use crate::domain::catalog::{from_minor, OptionValue};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

pub const LIST_PAGE_SIZE: u64 = 50;

async fn category_options(db: &impl ConnectionTrait) -> Result<Vec<CategoryOption>, AppError> {
    let rows = categories::Entity::find()
        .order_by_asc(categories::Column::Position)
        .all(db)
        .await?;
    let by_id: HashMap<i64, &categories::Model> = rows.iter().map(|c| (c.id, c)).collect();
    let mut options: Vec<CategoryOption> = rows
        .iter()
        .map(|c| {
            let mut names = vec![c.name_ru.clone()];
            let mut parent = c.parent_id;
            while let Some(p) = parent.and_then(|id| by_id.get(&id)) {
                names.push(p.name_ru.clone());
                parent = p.parent_id.filter(|id| *id != p.id);
                if names.len() > 10 {
                    break;
                }
            }
            names.reverse();
            CategoryOption {
                id: c.id,
                name: names.join(" › "),
            }
        })
        .collect();
    options.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(options)
}

async fn warehouse_views(db: &impl ConnectionTrait) -> Result<Vec<WarehouseView>, AppError> {
    Ok(warehouses::Entity::find()
        .order_by_asc(warehouses::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|w| WarehouseView {
            id: w.id,
            code: w.code,
            name: w.name,
        })
        .collect())
}

/// Products whose name, slug or brand contains `query` (any case), or with a SKU equal to it.
pub async fn list(
    db: &DatabaseConnection,
    query: &str,
    page: u64,
) -> Result<AdminProductList, AppError> {
    let mut find = products::Entity::find().order_by_desc(products::Column::Id);
    let query = query.trim();
    if !query.is_empty() {
        let backend = db.get_database_backend();
        let contains =
            |column: products::Column| contains_ignoring_case(backend, Expr::col(column), query);
        let by_sku: Vec<i64> = variants::Entity::find()
            .filter(
                Expr::expr(Func::lower(Expr::col(variants::Column::Sku))).eq(query.to_lowercase()),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|v| v.product_id)
            .collect();
        find = find.filter(
            Condition::any()
                .add(contains(products::Column::NameRu))
                .add(contains(products::Column::NameEn))
                .add(contains(products::Column::Slug))
                .add(contains(products::Column::Brand))
                .add(products::Column::Id.is_in(by_sku)),
        );
    }
    let paginator = find.paginate(db, LIST_PAGE_SIZE);
    let total = paginator.num_items().await?;
    let pages = Ord::max(total.div_ceil(LIST_PAGE_SIZE), 1);
    let page = page.clamp(1, pages);
    let rows = paginator.fetch_page(page - 1).await?;
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let variant_rows = variants::Entity::find()
        .filter(variants::Column::ProductId.is_in(ids.clone()))
        .all(db)
        .await?;
    let variant_ids: Vec<i64> = variant_rows.iter().map(|v| v.id).collect();
    let mut stock_of: HashMap<i64, i64> = HashMap::new();
    for s in stock::Entity::find()
        .filter(stock::Column::VariantId.is_in(variant_ids))
        .all(db)
        .await?
    {
        *stock_of.entry(s.variant_id).or_default() += i64::from(s.quantity);
    }
    let categories: HashMap<i64, String> = category_options(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let mut thumbs: HashMap<i64, String> = HashMap::new();
    for p in photos::Entity::find()
        .filter(photos::Column::ProductId.is_in(ids))
        .order_by_asc(photos::Column::Position)
        .all(db)
        .await?
    {
        thumbs
            .entry(p.product_id)
            .or_insert_with(|| media_url(&p.media_key, 320, "jpg"));
    }
    let rows = rows
        .into_iter()
        .map(|p| {
            let own: Vec<&variants::Model> = variant_rows
                .iter()
                .filter(|v| v.product_id == p.id)
                .collect();
            let prices = own.iter().map(|v| v.price_minor);
            AdminProductRow {
                id: p.id,
                slug: p.slug,
                name: p.name_ru,
                category: categories.get(&p.category_id).cloned().unwrap_or_default(),
                price_min: prices.clone().min().map(from_minor),
                price_max: prices.max().map(from_minor),
                stock: own
                    .iter()
                    .map(|v| stock_of.get(&v.id).copied().unwrap_or(0))
                    .sum(),
                variants: own.len(),
                published: p.published,
                thumb: thumbs.get(&p.id).cloned(),
            }
        })
        .collect();
    Ok(AdminProductList {
        rows,
        total,
        page,
        pages,
    })
}

/// The editor's data: the product as a form (or a blank one), its photos and the choices.
pub async fn editor(db: &DatabaseConnection, id: Option<i64>) -> Result<ProductEditor, AppError> {
    let categories = category_options(db).await?;
    let warehouses = warehouse_views(db).await?;
    let blank_stock = || warehouses.iter().map(|w| (w.id, String::new())).collect();
    let Some(id) = id else {
        return Ok(ProductEditor {
            form: ProductForm {
                category_id: categories.first().map_or(0, |c| c.id),
                variants: vec![VariantForm {
                    stock: blank_stock(),
                    ..Default::default()
                }],
                related: Some(String::new()),
                details: Some(ProductDetails::default()),
                ..Default::default()
            },
            photos: Vec::new(),
            photo_options: Vec::new(),
            categories,
            warehouses,
        });
    };
    let p = products::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let variant_rows = variants::Entity::find()
        .filter(variants::Column::ProductId.eq(id))
        .order_by_asc(variants::Column::Position)
        .order_by_asc(variants::Column::Id)
        .all(db)
        .await?;
    let mut stock_rows: HashMap<(i64, i64), i32> = HashMap::new();
    for s in stock::Entity::find()
        .filter(
            stock::Column::VariantId.is_in(variant_rows.iter().map(|v| v.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
    {
        stock_rows.insert((s.variant_id, s.warehouse_id), s.quantity);
    }
    let photo_options = option_choices(variant_rows.iter().map(|v| v.options.as_str()));
    let variants = variant_rows
        .into_iter()
        .map(|v| {
            let options: Vec<OptionValue> = serde_json::from_str(&v.options).unwrap_or_default();
            let color = options.iter().find(|o| o.key == "color");
            let size = options.iter().find(|o| o.key == "size");
            VariantForm {
                id: Some(v.id),
                sku: v.sku,
                barcode: v.barcode.unwrap_or_default(),
                color_ru: color.map(|c| c.value_ru.clone()).unwrap_or_default(),
                color_en: color.map(|c| c.value_en.clone()).unwrap_or_default(),
                swatch: color.and_then(|c| c.swatch.clone()).unwrap_or_default(),
                size: size.map(|s| s.value_en.clone()).unwrap_or_default(),
                extra_options: extra_options_text(&options),
                backorder_days: v.backorder_days.map(|d| d.to_string()).unwrap_or_default(),
                price: from_minor(v.price_minor).normalize().to_string(),
                old_price: v
                    .old_price_minor
                    .map(|m| from_minor(m).normalize().to_string())
                    .unwrap_or_default(),
                stock: warehouses
                    .iter()
                    .map(|w| {
                        let n = stock_rows.get(&(v.id, w.id)).copied().unwrap_or(0);
                        (w.id, n.to_string())
                    })
                    .collect(),
            }
        })
        .collect();
    let related_ids: Vec<i64> = related_products::Entity::find()
        .filter(related_products::Column::ProductId.eq(id))
        .order_by_asc(related_products::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.related_id)
        .collect();
    let slug_of: HashMap<i64, String> = products::Entity::find()
        .filter(products::Column::Id.is_in(related_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.slug))
        .collect();
    let related = related_ids
        .iter()
        .filter_map(|id| slug_of.get(id).cloned())
        .collect::<Vec<_>>()
        .join(", ");
    let photos = photos::Entity::find()
        .filter(photos::Column::ProductId.eq(id))
        .order_by_asc(photos::Column::Position)
        .order_by_asc(photos::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|ph| PhotoAdminView {
            id: ph.id,
            thumb: media_url(&ph.media_key, 320, "jpg"),
            alt_ru: ph.alt_ru,
            alt_en: ph.alt_en,
            shows: ph.option_value.unwrap_or_default(),
        })
        .collect();
    Ok(ProductEditor {
        form: ProductForm {
            id: Some(p.id),
            slug: p.slug,
            name_ru: p.name_ru,
            name_en: p.name_en,
            description_ru: p.description_ru,
            description_en: p.description_en,
            brand: p.brand,
            category_id: p.category_id,
            published: p.published,
            seo_title: p.seo_title.unwrap_or_default(),
            seo_description: p.seo_description.unwrap_or_default(),
            related: Some(related),
            details: Some(ProductDetails {
                weight_g: p.weight_g.to_string(),
                length_mm: p.length_mm.to_string(),
                width_mm: p.width_mm.to_string(),
                height_mm: p.height_mm.to_string(),
                attributes: option_lines(
                    serde_json::from_str::<Vec<OptionValue>>(&p.attributes)
                        .unwrap_or_default()
                        .iter(),
                ),
            }),
            variants,
        },
        photos,
        photo_options,
        categories,
        warehouses,
    })
}

/// Every distinct option value of a product's variants, colours first.
fn option_choices<'a>(variant_options: impl Iterator<Item = &'a str>) -> Vec<OptionValue> {
    let mut seen = HashSet::new();
    let mut choices: Vec<OptionValue> = variant_options
        .flat_map(|json| serde_json::from_str::<Vec<OptionValue>>(json).unwrap_or_default())
        .filter(|o| seen.insert((o.key.clone(), o.code())))
        .collect();
    choices.sort_by_key(|o| o.key != "color");
    choices
}

/// The option value a photo may show: empty for "any", else one of the product's own.
async fn photo_shows(
    db: &impl ConnectionTrait,
    product_id: i64,
    shows: &str,
) -> Result<Option<String>, AppError> {
    let shows = shows.trim();
    if shows.is_empty() {
        return Ok(None);
    }
    let rows = variants::Entity::find()
        .filter(variants::Column::ProductId.eq(product_id))
        .all(db)
        .await?;
    option_choices(rows.iter().map(|v| v.options.as_str()))
        .iter()
        .any(|o| o.code() == shows)
        .then(|| Some(shows.to_string()))
        .ok_or(AppError::UnknownOption)
}

/// Validates and stores a product form; problems come back for the editor.
pub async fn save(
    state: &AppState,
    actor: &AuthUser,
    form: ProductForm,
) -> Result<SaveOutcome, AppError> {
    let db = &state.db;
    let category_exists = categories::Entity::find_by_id(form.category_id)
        .one(db)
        .await?
        .is_some();
    let valid = match validate(&form, category_exists) {
        Ok(v) => v,
        Err(problems) => return Ok(SaveOutcome::Invalid(problems)),
    };
    let txn = super::begin_write(db).await?;
    let mut problems = Vec::new();
    if let Some(other) = products::Entity::find()
        .filter(products::Column::Slug.eq(valid.slug.clone()))
        .one(&txn)
        .await?
    {
        if Some(other.id) != form.id {
            problems.push(FieldProblem {
                field: "slug".into(),
                problem: Problem::Taken,
            });
        }
    }
    for (i, v) in valid.variants.iter().enumerate() {
        if let Some(other) = variants::Entity::find()
            .filter(variants::Column::Sku.eq(v.sku.clone()))
            .one(&txn)
            .await?
        {
            if Some(other.id) != v.id || form.id != Some(other.product_id) {
                problems.push(FieldProblem {
                    field: format!("variants.{i}.sku"),
                    problem: Problem::Taken,
                });
            }
        }
    }
    let mut related_ids = Vec::new();
    for slug in form
        .related
        .as_deref()
        .map(related_slugs)
        .unwrap_or_default()
    {
        match products::Entity::find()
            .filter(products::Column::Slug.eq(slug))
            .one(&txn)
            .await?
        {
            Some(p) if Some(p.id) != form.id => related_ids.push(p.id),
            Some(_) => {}
            None => {
                problems.push(FieldProblem {
                    field: "related".into(),
                    problem: Problem::UnknownProduct,
                });
                break;
            }
        }
    }
    if !problems.is_empty() {
        return Ok(SaveOutcome::Invalid(problems));
    }
    let id = write_product(&txn, &form, &valid, actor.id, "product form").await?;
    if form.related.is_some() {
        link_related(&txn, id, &related_ids).await?;
    }
    let action = if form.id.is_some() {
        "product.update"
    } else {
        "product.create"
    };
    let after = json!({
        "slug": valid.slug,
        "name_ru": form.name_ru,
        "published": form.published,
        "variants": valid.variants.len(),
    });
    finish(
        state,
        txn,
        actor,
        action,
        ("product", id.to_string()),
        None,
        Some(after),
    )
    .await?;
    Ok(SaveOutcome::Saved {
        id,
        slug: valid.slug,
    })
}

/// Writes a product and its variants; stock typed into the form becomes
/// ledger adjustments by `actor`, with `reason` saying where it came from.
pub(crate) async fn write_product(
    txn: &impl ConnectionTrait,
    form: &ProductForm,
    valid: &ValidProduct,
    actor: i64,
    reason: &str,
) -> Result<i64, AppError> {
    let now = Utc::now();
    let why = stock_ledger::Why {
        order_id: None,
        reason,
        actor: Some(actor),
        at: now,
    };
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let mut model = products::ActiveModel {
        slug: Set(valid.slug.clone()),
        category_id: Set(form.category_id),
        brand: Set(form.brand.trim().to_string()),
        name_ru: Set(form.name_ru.trim().to_string()),
        name_en: Set(form.name_en.trim().to_string()),
        description_ru: Set(form.description_ru.trim().to_string()),
        description_en: Set(form.description_en.trim().to_string()),
        published: Set(form.published),
        seo_title: Set(text(&form.seo_title)),
        seo_description: Set(text(&form.seo_description)),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(d) = &valid.details {
        model.weight_g = Set(d.weight_g);
        model.length_mm = Set(d.dimensions_mm.0);
        model.width_mm = Set(d.dimensions_mm.1);
        model.height_mm = Set(d.dimensions_mm.2);
        model.attributes =
            Set(serde_json::to_string(&d.attributes).unwrap_or_else(|_| "[]".into()));
    }
    let id = match form.id {
        Some(id) => {
            products::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or(AppError::NotFound)?;
            model.id = Set(id);
            model.update(txn).await?;
            id
        }
        None => {
            if valid.details.is_none() {
                model.attributes = Set("[]".into());
                model.weight_g = Set(0);
                model.length_mm = Set(0);
                model.width_mm = Set(0);
                model.height_mm = Set(0);
            }
            model.popularity = Set(0);
            model.created_at = Set(now);
            model.insert(txn).await?.id
        }
    };
    // Variants left out of the form are deleted (their stock goes with them).
    let kept: Vec<i64> = valid.variants.iter().filter_map(|v| v.id).collect();
    variants::Entity::delete_many()
        .filter(variants::Column::ProductId.eq(id))
        .filter(variants::Column::Id.is_not_in(kept))
        .exec(txn)
        .await?;
    for (position, v) in valid.variants.iter().enumerate() {
        let mut row = variants::ActiveModel {
            product_id: Set(id),
            sku: Set(v.sku.clone()),
            barcode: Set(v.barcode.clone()),
            options: Set(serde_json::to_string(&v.options).unwrap_or_else(|_| "[]".into())),
            price_minor: Set(v.price_minor),
            old_price_minor: Set(v.old_price_minor),
            backorder_days: Set(v.backorder_days),
            position: Set(position as i32),
            ..Default::default()
        };
        let variant_id = match v.id {
            Some(vid) => {
                let existing = variants::Entity::find_by_id(vid).one(txn).await?;
                if existing.is_none_or(|e| e.product_id != id) {
                    return Err(AppError::NotFound);
                }
                row.id = Set(vid);
                row.update(txn).await?;
                vid
            }
            None => row.insert(txn).await?.id,
        };
        for (warehouse_id, quantity) in &v.stock {
            stock_ledger::set_available(txn, variant_id, *warehouse_id, *quantity, why)
                .await?
                .map_err(AppError::Stock)?;
        }
    }
    Ok(id)
}

/// Replaces a product's related-product links, in the given order.
async fn link_related(
    txn: &impl ConnectionTrait,
    id: i64,
    related: &[i64],
) -> Result<(), AppError> {
    related_products::Entity::delete_many()
        .filter(related_products::Column::ProductId.eq(id))
        .exec(txn)
        .await?;
    for (position, other) in related.iter().enumerate() {
        related_products::ActiveModel {
            product_id: Set(id),
            related_id: Set(*other),
            position: Set(position as i32),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Ends a catalog change: the audit row for `target` (entity kind and id), the
/// new catalog version, the commit, and this instance's snapshot forgotten so
/// it shows the change at once.
async fn finish(
    state: &AppState,
    txn: super::WriteTxn,
    actor: &AuthUser,
    action: &str,
    target: (&str, String),
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    let (entity, id) = target;
    record(&txn, Actor::User(actor), action, entity, &id, before, after).await?;
    bump_version(&txn).await?;
    txn.commit().await?;
    state.catalog.invalidate();
    Ok(())
}

pub async fn set_published(
    state: &AppState,
    actor: &AuthUser,
    id: i64,
    published: bool,
) -> Result<(), AppError> {
    let txn = super::begin_write(&state.db).await?;
    let product = products::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut model: products::ActiveModel = product.into();
    model.published = Set(published);
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    let action = if published {
        "product.publish"
    } else {
        "product.unpublish"
    };
    finish(
        state,
        txn,
        actor,
        action,
        ("product", id.to_string()),
        None,
        None,
    )
    .await
}

pub async fn delete(state: &AppState, actor: &AuthUser, id: i64) -> Result<(), AppError> {
    let txn = super::begin_write(&state.db).await?;
    let product = products::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    products::Entity::delete_by_id(id).exec(&txn).await?;
    finish(
        state,
        txn,
        actor,
        "product.delete",
        ("product", id.to_string()),
        Some(json!({ "slug": product.slug, "name_ru": product.name_ru })),
        None,
    )
    .await
}

/// Adds an uploaded picture (already stored by `media`) as the product's last photo.
pub async fn add_photo(
    state: &AppState,
    actor: &AuthUser,
    product_id: i64,
    media_key: &str,
    alt_ru: &str,
    alt_en: &str,
    shows: &str,
) -> Result<(), AppError> {
    let txn = super::begin_write(&state.db).await?;
    products::Entity::find_by_id(product_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let shows = photo_shows(&txn, product_id, shows).await?;
    let position = photos::Entity::find()
        .filter(photos::Column::ProductId.eq(product_id))
        .count(&txn)
        .await? as i32;
    photos::ActiveModel {
        product_id: Set(product_id),
        media_key: Set(media_key.to_string()),
        position: Set(position),
        alt_ru: Set(alt_ru.trim().chars().take(300).collect()),
        alt_en: Set(alt_en.trim().chars().take(300).collect()),
        option_value: Set(shows),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    finish(
        state,
        txn,
        actor,
        "photo.add",
        ("product", product_id.to_string()),
        None,
        Some(json!({ "media": media_key })),
    )
    .await
}

/// Changes a photo: its alt texts and the option value it shows, a move up or
/// down (`shift` −1/+1), or removal.
pub async fn edit_photo(
    state: &AppState,
    actor: &AuthUser,
    photo_id: i64,
    change: PhotoChange,
) -> Result<(), AppError> {
    let txn = super::begin_write(&state.db).await?;
    let photo = photos::Entity::find_by_id(photo_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let product_id = photo.product_id;
    match change {
        PhotoChange::Details {
            alt_ru,
            alt_en,
            shows,
        } => {
            let shows = photo_shows(&txn, product_id, &shows).await?;
            let mut model: photos::ActiveModel = photo.into();
            model.alt_ru = Set(alt_ru.trim().chars().take(300).collect());
            model.alt_en = Set(alt_en.trim().chars().take(300).collect());
            model.option_value = Set(shows);
            model.update(&txn).await?;
        }
        PhotoChange::Delete => {
            photos::Entity::delete_by_id(photo_id).exec(&txn).await?;
        }
        PhotoChange::Shift(delta) => {
            let mut all = photos::Entity::find()
                .filter(photos::Column::ProductId.eq(product_id))
                .order_by_asc(photos::Column::Position)
                .order_by_asc(photos::Column::Id)
                .all(&txn)
                .await?;
            if let Some(at) = all.iter().position(|p| p.id == photo_id) {
                let to = (at as i64 + delta).clamp(0, all.len() as i64 - 1) as usize;
                let moved = all.remove(at);
                all.insert(to, moved);
                for (position, p) in all.into_iter().enumerate() {
                    let mut model: photos::ActiveModel = p.into();
                    model.position = Set(position as i32);
                    model.update(&txn).await?;
                }
            }
        }
    }
    finish(
        state,
        txn,
        actor,
        "photo.change",
        ("product", product_id.to_string()),
        None,
        None,
    )
    .await
}

pub enum PhotoChange {
    Details {
        alt_ru: String,
        alt_en: String,
        shows: String,
    },
    Shift(i64),
    Delete,
}

pub async fn info_pages(db: &DatabaseConnection) -> Result<Vec<InfoPageForm>, AppError> {
    Ok(info_pages::Entity::find()
        .order_by_asc(info_pages::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|p| InfoPageForm {
            slug: p.slug,
            title_ru: p.title_ru,
            title_en: p.title_en,
            body_ru: p.body_ru,
            body_en: p.body_en,
        })
        .collect())
}

/// Creates or replaces an information page (CAT-4); returns the problems, if any.
pub async fn save_info_page(
    state: &AppState,
    actor: &AuthUser,
    form: InfoPageForm,
) -> Result<Vec<FieldProblem>, AppError> {
    if let Err(problems) = validate_info_page(&form) {
        return Ok(problems);
    }
    let slug = form.slug.trim().to_string();
    let txn = super::begin_write(&state.db).await?;
    let existing = info_pages::Entity::find_by_id(slug.clone())
        .one(&txn)
        .await?;
    let model = info_pages::ActiveModel {
        slug: Set(slug.clone()),
        title_ru: Set(form.title_ru.trim().to_string()),
        title_en: Set(form.title_en.trim().to_string()),
        body_ru: Set(form.body_ru.trim().to_string()),
        body_en: Set(form.body_en.trim().to_string()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    match existing {
        Some(_) => {
            model.update(&txn).await?;
        }
        None => {
            let position = info_pages::Entity::find().count(&txn).await? as i32;
            info_pages::ActiveModel {
                position: Set(position),
                ..model
            }
            .insert(&txn)
            .await?;
        }
    }
    let target = ("info_page", slug.clone());
    finish(
        state,
        txn,
        actor,
        "info_page.save",
        target,
        None,
        Some(json!({ "title_ru": form.title_ru })),
    )
    .await?;
    Ok(Vec::new())
}

/// The category tree for the editor, parents before children.
pub async fn category_rows(db: &DatabaseConnection) -> Result<Vec<CategoryRow>, AppError> {
    let names: HashMap<i64, String> = category_options(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let mut counts: HashMap<i64, u64> = HashMap::new();
    for p in products::Entity::find().all(db).await? {
        *counts.entry(p.category_id).or_default() += 1;
    }
    let mut rows: Vec<CategoryRow> = categories::Entity::find()
        .order_by_asc(categories::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CategoryRow {
            path: names.get(&c.id).cloned().unwrap_or_default(),
            products: counts.get(&c.id).copied().unwrap_or(0),
            form: CategoryForm {
                id: Some(c.id),
                parent_id: c.parent_id,
                slug: c.slug,
                name_ru: c.name_ru,
                name_en: c.name_en,
                position: c.position,
                featured: c.featured,
            },
        })
        .collect();
    rows.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(rows)
}

/// Creates or changes a category; returns the problems, if any.
pub async fn save_category(
    state: &AppState,
    actor: &AuthUser,
    form: CategoryForm,
) -> Result<Vec<FieldProblem>, AppError> {
    let txn = super::begin_write(&state.db).await?;
    let all = categories::Entity::find().all(&txn).await?;
    let tree: Vec<(i64, Option<i64>)> = all.iter().map(|c| (c.id, c.parent_id)).collect();
    let slug = match validate_category(&form, &tree) {
        Ok(slug) => slug,
        Err(problems) => return Ok(problems),
    };
    if all.iter().any(|c| c.slug == slug && Some(c.id) != form.id) {
        return Ok(vec![FieldProblem {
            field: "slug".into(),
            problem: Problem::Taken,
        }]);
    }
    let model = categories::ActiveModel {
        parent_id: Set(form.parent_id),
        slug: Set(slug.clone()),
        name_ru: Set(form.name_ru.trim().to_string()),
        name_en: Set(form.name_en.trim().to_string()),
        position: Set(form.position),
        featured: Set(form.featured),
        ..Default::default()
    };
    let id = match form.id {
        Some(id) if all.iter().any(|c| c.id == id) => {
            categories::ActiveModel {
                id: Set(id),
                ..model
            }
            .update(&txn)
            .await?;
            id
        }
        Some(_) => return Err(AppError::NotFound),
        None => model.insert(&txn).await?.id,
    };
    let after = json!({ "slug": slug, "name_ru": form.name_ru, "parent_id": form.parent_id });
    let target = ("category", id.to_string());
    finish(
        state,
        txn,
        actor,
        "category.save",
        target,
        None,
        Some(after),
    )
    .await?;
    Ok(Vec::new())
}

/// Deletes an empty category; one with products or subcategories is refused.
pub async fn delete_category(
    state: &AppState,
    actor: &AuthUser,
    id: i64,
) -> Result<Vec<FieldProblem>, AppError> {
    let txn = super::begin_write(&state.db).await?;
    let category = categories::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let children = categories::Entity::find()
        .filter(categories::Column::ParentId.eq(id))
        .count(&txn)
        .await?;
    let products = products::Entity::find()
        .filter(products::Column::CategoryId.eq(id))
        .count(&txn)
        .await?;
    if children + products > 0 {
        return Ok(vec![FieldProblem {
            field: "delete".into(),
            problem: Problem::NotEmpty,
        }]);
    }
    categories::Entity::delete_by_id(id).exec(&txn).await?;
    let before = json!({ "slug": category.slug, "name_ru": category.name_ru });
    let target = ("category", id.to_string());
    finish(
        state,
        txn,
        actor,
        "category.delete",
        target,
        Some(before),
        None,
    )
    .await?;
    Ok(Vec::new())
}
