//! CSV import and export of products and variants (CAT-5), one row per
//! variant. Rows of one product share its `slug`; the first row of a product
//! carries its texts. Import checks every row with the same rules as the
//! editor and reports each bad row by line number; it applies nothing when a
//! row is bad, unless asked to apply the valid products only. The `csv` crate
//! does the parsing (quotes, embedded newlines, BOM-less UTF-8).
use super::accounts::AuthUser;
use super::admin::{record_returning_id, Actor};
use super::catalog::bump_version;
use super::catalog_admin::write_product;
use super::entities::{categories, products, stock, variants, warehouses};
use super::AppState;
use crate::api::admin_catalog::{ImportProblem, ImportReport};
use crate::api::AppError;
use crate::domain::catalog::editing::{
    extra_options_text, validate, Problem, ProductForm, ValidProduct, VariantForm,
};
use crate::domain::catalog::{from_minor, OptionValue};
use crate::domain::money::Lang;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use serde_json::json;
use std::collections::HashMap;

/// Columns before the per-warehouse stock columns (`stock_<code>`).
pub const COLUMNS: [&str; 16] = [
    "slug",
    "name_ru",
    "name_en",
    "brand",
    "category",
    "published",
    "description_ru",
    "description_en",
    "sku",
    "barcode",
    "color_ru",
    "color_en",
    "swatch",
    "size",
    "price",
    "old_price",
];
/// Optional last column: days to ship when out of stock (empty: not sold then).
pub const BACKORDER_COLUMN: &str = "backorder_days";
/// Optional column after it: options besides colour and size, one a line
/// (`Рост | Height | 170 см | 170 cm`).
pub const OPTIONS_COLUMN: &str = "options";
/// Problems listed in a report; the count says how many there were in all.
const MAX_REPORTED: usize = 500;

/// Every product and variant, as CSV text.
pub async fn export(db: &impl ConnectionTrait) -> Result<String, AppError> {
    let warehouses = warehouses::Entity::find()
        .order_by_asc(warehouses::Column::Id)
        .all(db)
        .await?;
    let category_slug: HashMap<i64, String> = categories::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.slug))
        .collect();
    let mut stock_of: HashMap<(i64, i64), i32> = HashMap::new();
    for s in stock::Entity::find().all(db).await? {
        stock_of.insert((s.variant_id, s.warehouse_id), s.quantity);
    }
    let mut variants_of: HashMap<i64, Vec<variants::Model>> = HashMap::new();
    for v in variants::Entity::find()
        .order_by_asc(variants::Column::Position)
        .order_by_asc(variants::Column::Id)
        .all(db)
        .await?
    {
        variants_of.entry(v.product_id).or_default().push(v);
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let header: Vec<String> = COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(warehouses.iter().map(|w| format!("stock_{}", w.code)))
        .chain([BACKORDER_COLUMN.to_string(), OPTIONS_COLUMN.to_string()])
        .collect();
    out.write_record(&header).map_err(csv_error)?;
    for p in products::Entity::find()
        .order_by_asc(products::Column::Id)
        .all(db)
        .await?
    {
        for v in variants_of.remove(&p.id).unwrap_or_default() {
            let options: Vec<OptionValue> = serde_json::from_str(&v.options).unwrap_or_default();
            let value = |key: &str, f: fn(&OptionValue) -> String| {
                options
                    .iter()
                    .find(|o| o.key == key)
                    .map(f)
                    .unwrap_or_default()
            };
            let mut row = vec![
                p.slug.clone(),
                p.name_ru.clone(),
                p.name_en.clone(),
                p.brand.clone(),
                category_slug
                    .get(&p.category_id)
                    .cloned()
                    .unwrap_or_default(),
                if p.published { "1" } else { "0" }.to_string(),
                p.description_ru.clone(),
                p.description_en.clone(),
                v.sku.clone(),
                v.barcode.clone().unwrap_or_default(),
                value("color", |o| o.value_ru.clone()),
                value("color", |o| o.value_en.clone()),
                value("color", |o| o.swatch.clone().unwrap_or_default()),
                value("size", |o| o.value_en.clone()),
                from_minor(v.price_minor).to_string(),
                v.old_price_minor
                    .map(|m| from_minor(m).to_string())
                    .unwrap_or_default(),
            ];
            row.extend(warehouses.iter().map(|w| {
                stock_of
                    .get(&(v.id, w.id))
                    .copied()
                    .unwrap_or(0)
                    .to_string()
            }));
            row.push(v.backorder_days.map(|d| d.to_string()).unwrap_or_default());
            row.push(extra_options_text(&options));
            out.write_record(&row).map_err(csv_error)?;
        }
    }
    let bytes = out.into_inner().map_err(|e| {
        tracing::error!(error = %e, "csv export");
        AppError::Internal
    })?;
    String::from_utf8(bytes).map_err(|_| AppError::Internal)
}

fn csv_error(e: csv::Error) -> AppError {
    tracing::error!(error = %e, "csv export");
    AppError::Internal
}

/// One product gathered from its rows, with the line number of each variant.
struct ProductRows {
    first_line: u64,
    form: ProductForm,
    category: String,
    lines: Vec<u64>,
}

/// Reads, checks and (when allowed) applies a CSV file. The report is also
/// written to the audit log, where the report page reads it.
pub async fn import(
    state: &AppState,
    actor: &AuthUser,
    bytes: &[u8],
    valid_only: bool,
    lang: Lang,
) -> Result<(i64, ImportReport), AppError> {
    let report = check_and_apply(state, actor, bytes, valid_only, lang).await?;
    let id = record_returning_id(
        &state.db,
        Actor::User(actor),
        "catalog.import",
        "catalog",
        "csv",
        None,
        Some(json!(report)),
    )
    .await?;
    if report.applied_products > 0 {
        state.catalog.invalidate();
    }
    Ok((id, report))
}

async fn check_and_apply(
    state: &AppState,
    actor: &AuthUser,
    bytes: &[u8],
    valid_only: bool,
    lang: Lang,
) -> Result<ImportReport, AppError> {
    let mut report = ImportReport {
        valid_only,
        ..Default::default()
    };
    let problem = |report: &mut ImportReport, line: u64, field: &str, message: String| {
        report.problem_count += 1;
        if report.problems.len() < MAX_REPORTED {
            report.problems.push(ImportProblem {
                line,
                field: field.to_string(),
                message,
            });
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64
            + 1;
        let message = match lang {
            Lang::Ru => {
                "Файл не в кодировке UTF-8. Сохраните его как «CSV UTF-8» и загрузите снова."
            }
            Lang::En => "The file is not UTF-8. Save it as \"CSV UTF-8\" and upload it again.",
        };
        problem(&mut report, line, "", message.into());
        return Ok(report);
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => {
            problem(&mut report, 1, "", e.to_string());
            return Ok(report);
        }
    };
    let db = &state.db;
    let warehouses = warehouses::Entity::find().all(db).await?;
    let column = |name: &str| header.iter().position(|h| h == name);
    for required in ["slug", "sku", "price"] {
        if column(required).is_none() {
            let message = match lang {
                Lang::Ru => format!("Нет столбца «{required}»."),
                Lang::En => format!("The column \"{required}\" is missing."),
            };
            problem(&mut report, 1, required, message);
        }
    }
    let stock_columns: Vec<(usize, i64)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let code = h.strip_prefix("stock_")?;
            warehouses
                .iter()
                .find(|w| w.code == code)
                .map(|w| (i, w.id))
        })
        .collect();
    for (i, h) in header.iter().enumerate() {
        if h.starts_with("stock_") && !stock_columns.iter().any(|(c, _)| *c == i) {
            let message = match lang {
                Lang::Ru => format!("Склада «{}» нет.", &h[6..]),
                Lang::En => format!("There is no warehouse \"{}\".", &h[6..]),
            };
            problem(&mut report, 1, h, message);
        }
    }
    if report.problem_count > 0 {
        return Ok(report);
    }

    // Gather the rows of each product, in file order.
    let mut order: Vec<String> = Vec::new();
    let mut gathered: HashMap<String, ProductRows> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problem(&mut report, line, "", e.to_string());
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        report.rows += 1;
        let get = |name: &str| {
            column(name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        let slug = get("slug");
        if slug.is_empty() {
            problem(&mut report, line, "slug", Problem::Required.message(lang));
            continue;
        }
        let entry = gathered.entry(slug.clone()).or_insert_with(|| {
            order.push(slug.clone());
            ProductRows {
                first_line: line,
                form: ProductForm {
                    slug: slug.clone(),
                    name_ru: get("name_ru"),
                    name_en: get("name_en"),
                    brand: get("brand"),
                    published: matches!(
                        get("published").to_lowercase().as_str(),
                        "1" | "true" | "yes" | "да"
                    ),
                    description_ru: get("description_ru"),
                    description_en: get("description_en"),
                    ..Default::default()
                },
                category: get("category"),
                lines: Vec::new(),
            }
        });
        entry.lines.push(line);
        entry.form.variants.push(VariantForm {
            sku: get("sku"),
            barcode: get("barcode"),
            color_ru: get("color_ru"),
            color_en: get("color_en"),
            swatch: get("swatch"),
            size: get("size"),
            price: get("price"),
            old_price: get("old_price"),
            backorder_days: get(BACKORDER_COLUMN),
            extra_options: get(OPTIONS_COLUMN),
            stock: stock_columns
                .iter()
                .map(|(i, w)| (*w, record.get(*i).unwrap_or_default().to_string()))
                .collect(),
            ..Default::default()
        });
    }

    let category_id: HashMap<String, i64> = categories::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.slug, c.id))
        .collect();
    let existing_products: HashMap<String, i64> = products::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.slug, p.id))
        .collect();
    let existing_skus: HashMap<String, variants::Model> = variants::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.sku.to_lowercase(), v))
        .collect();
    let has_backorder_column = column(BACKORDER_COLUMN).is_some();
    let has_options_column = column(OPTIONS_COLUMN).is_some();

    let mut good: Vec<(ProductForm, ValidProduct)> = Vec::new();
    for slug in order {
        let mut rows = gathered.remove(&slug).expect("gathered above");
        rows.form.id = existing_products.get(&slug).copied();
        let category = category_id.get(&rows.category).copied();
        rows.form.category_id = category.unwrap_or(0);
        let mut bad = false;
        for (i, v) in rows.form.variants.iter_mut().enumerate() {
            match existing_skus.get(&v.sku.trim().to_lowercase()) {
                Some(old) if Some(old.product_id) == rows.form.id => {
                    v.id = Some(old.id);
                    // A file without a column leaves that setting as it is.
                    if !has_backorder_column {
                        v.backorder_days = old
                            .backorder_days
                            .map(|d| d.to_string())
                            .unwrap_or_default();
                    }
                    if !has_options_column {
                        let options: Vec<OptionValue> =
                            serde_json::from_str(&old.options).unwrap_or_default();
                        v.extra_options = extra_options_text(&options);
                    }
                }
                Some(_) => {
                    bad = true;
                    problem(
                        &mut report,
                        rows.lines[i],
                        "sku",
                        Problem::Taken.message(lang),
                    );
                }
                None => {}
            }
        }
        match validate(&rows.form, category.is_some()) {
            Ok(valid) if !bad => good.push((rows.form, valid)),
            Ok(_) => {}
            Err(problems) => {
                for p in problems {
                    // `variants.3.price` belongs to the product's fourth row.
                    let mut parts = p.field.splitn(3, '.');
                    let (line, field) = match (parts.next(), parts.next(), parts.next()) {
                        (Some("variants"), Some(i), Some(rest)) => {
                            let i: usize = i.parse().unwrap_or(0);
                            // `stock.<warehouse id>` is the file's `stock_<code>` column.
                            let column = match rest.strip_prefix("stock.") {
                                Some(id) => warehouses
                                    .iter()
                                    .find(|w| w.id.to_string() == id)
                                    .map_or(rest.to_string(), |w| format!("stock_{}", w.code)),
                                None if rest == "extra_options" => OPTIONS_COLUMN.to_string(),
                                None => rest.to_string(),
                            };
                            (
                                rows.lines.get(i).copied().unwrap_or(rows.first_line),
                                column,
                            )
                        }
                        _ => (
                            rows.first_line,
                            if p.field == "category_id" {
                                "category".into()
                            } else {
                                p.field.clone()
                            },
                        ),
                    };
                    problem(&mut report, line, &field, p.problem.message(lang));
                }
            }
        }
    }
    report.valid_products = good.len();
    if report.problem_count > 0 && !valid_only {
        return Ok(report);
    }
    let txn = super::begin_write(db).await?;
    for (form, valid) in &good {
        write_product(&txn, form, valid, actor.id, "CSV import").await?;
    }
    if !good.is_empty() {
        bump_version(&txn).await?;
    }
    txn.commit().await?;
    report.applied_products = good.len();
    Ok(report)
}

/// An earlier import's report, from the audit log.
pub async fn report(db: &impl ConnectionTrait, id: i64) -> Result<ImportReport, AppError> {
    use super::entities::audit_log;
    let entry = audit_log::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|e| e.action == "catalog.import")
        .ok_or(AppError::NotFound)?;
    entry
        .after_json
        .and_then(|j| serde_json::from_str(&j).ok())
        .ok_or(AppError::NotFound)
}
