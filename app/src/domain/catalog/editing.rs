//! Catalog management rules (CAT-5): what a product form must hold before it
//! is saved. Every problem names the field it belongs to, so the editor shows
//! it next to that field; nothing is saved while any problem remains.
use super::{check_slug, slugify, to_minor, OptionValue, SlugProblem};
use crate::domain::money::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const MAX_NAME_CHARS: usize = 300;
pub const MAX_VARIANTS: usize = 200;
pub const MAX_STOCK: i64 = 1_000_000;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VariantForm {
    pub id: Option<i64>,
    pub sku: String,
    pub barcode: String,
    pub color_ru: String,
    pub color_en: String,
    /// `#rrggbb` or empty.
    pub swatch: String,
    pub size: String,
    pub price: String,
    pub old_price: String,
    /// Days to ship when out of stock; empty: not sold when out of stock.
    pub backorder_days: String,
    /// Quantity per warehouse id, as typed.
    pub stock: Vec<(i64, String)>,
    /// Options besides colour and size, one a line: `Рост | Height | 170 см | 170 cm`.
    #[serde(default)]
    pub extra_options: String,
}

/// Weight, dimensions and attributes, as typed; `None` in a form leaves them as they are.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProductDetails {
    pub weight_g: String,
    pub length_mm: String,
    pub width_mm: String,
    pub height_mm: String,
    /// One attribute a line: `Материал | Material | Хлопок | Cotton`.
    pub attributes: String,
}

/// Details ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidDetails {
    pub weight_g: i32,
    pub dimensions_mm: (i32, i32, i32),
    pub attributes: Vec<OptionValue>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProductForm {
    pub id: Option<i64>,
    pub slug: String,
    pub name_ru: String,
    pub name_en: String,
    pub description_ru: String,
    pub description_en: String,
    pub brand: String,
    pub category_id: i64,
    pub published: bool,
    pub seo_title: String,
    pub seo_description: String,
    /// Related products by address, comma separated; `None` leaves the links as they are.
    pub related: Option<String>,
    pub details: Option<ProductDetails>,
    pub variants: Vec<VariantForm>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooLong,
    Slug(SlugProblem),
    /// Not a number with at most two decimals.
    BadPrice,
    NegativePrice,
    /// The old price must be above the price to show a discount.
    OldPriceNotHigher,
    /// Not a whole number from 0 up.
    BadStock,
    DuplicateSku,
    NoVariants,
    TooManyVariants,
    /// A related product address that no product has.
    UnknownProduct,
    /// A category cannot sit inside itself or its own subcategory.
    ParentCycle,
    /// A category with products or subcategories cannot be deleted.
    NotEmpty,
    /// Not a whole number from 0 up.
    BadNumber,
    /// An attribute line is not `name ru | name en | value ru | value en`.
    BadAttribute,
    BadSwatch,
    UnknownCategory,
    /// The slug or SKU belongs to another product.
    Taken,
    /// A percentage outside 1–100.
    BadPercent,
    /// Not a date like 2026-12-31.
    BadDate,
    /// The end date is before the start date.
    EndBeforeStart,
    /// A promo code with characters other than letters, digits, `-` and `_`.
    BadCode,
    /// The promo code belongs to another promotion.
    CodeTaken,
    /// A promotion limited to both categories and products.
    CategoriesOrProducts,
    /// A delivery rate line (1-based) is not `zone; up to kg; price`.
    BadRate {
        line: u32,
    },
    /// Try-on at the door needs a courier.
    TryOnCourierOnly,
    /// Latitude −90…90 and longitude −180…180, both or neither.
    BadCoordinates,
    /// Another delivery method has this code.
    MethodCodeTaken,
    /// A tracking page address must be http(s) and contain `{number}`.
    BadTrackingUrl,
    /// Not one of `domain::tracking::CARRIERS`.
    UnknownCarrier,
}

impl Problem {
    pub fn message(self, lang: Lang) -> String {
        let (ru, en): (&str, &str) = match self {
            Problem::Required => ("Заполните это поле.", "This field is required."),
            Problem::TooLong => ("Слишком длинно.", "Too long."),
            Problem::Slug(p) => {
                return match (p, lang) {
                    (SlugProblem::Empty, Lang::Ru) => "Адрес пустой.".into(),
                    (SlugProblem::TooLong, Lang::Ru) => "Адрес длиннее 160 символов.".into(),
                    (SlugProblem::BadCharacters, Lang::Ru) => {
                        "В адресе допустимы только a-z, 0-9 и одиночные дефисы внутри.".into()
                    }
                    (p, Lang::En) => format!("{}.", p),
                }
            }
            Problem::BadPrice => (
                "Цена — число, не больше двух знаков после запятой.",
                "A price is a number with at most two decimals.",
            ),
            Problem::NegativePrice => (
                "Цена не может быть отрицательной.",
                "A price cannot be negative.",
            ),
            Problem::OldPriceNotHigher => (
                "Старая цена должна быть выше текущей.",
                "The old price must be higher than the price.",
            ),
            Problem::BadStock => (
                "Остаток — целое число от 0.",
                "Stock is a whole number from 0.",
            ),
            Problem::DuplicateSku => ("Этот артикул уже есть в форме.", "This SKU appears twice."),
            Problem::NoVariants => (
                "Добавьте хотя бы один вариант.",
                "Add at least one variant.",
            ),
            Problem::TooManyVariants => ("Слишком много вариантов.", "Too many variants."),
            Problem::BadNumber => (
                "Нужно целое число от 0.",
                "A whole number from 0 is needed.",
            ),
            Problem::BadAttribute => (
                "Каждая строка: «Имя | Name | значение | value».",
                "Each line: \"Имя | Name | значение | value\".",
            ),
            Problem::ParentCycle => (
                "Категория не может лежать внутри себя или своей подкатегории.",
                "A category cannot sit inside itself or its own subcategory.",
            ),
            Problem::NotEmpty => (
                "В категории есть товары или подкатегории: сначала перенесите их.",
                "The category has products or subcategories: move them first.",
            ),
            Problem::UnknownProduct => (
                "Нет товара с таким адресом.",
                "There is no product at this address.",
            ),
            Problem::BadSwatch => (
                "Цвет образца — в виде #rrggbb.",
                "A swatch colour looks like #rrggbb.",
            ),
            Problem::UnknownCategory => ("Выберите категорию.", "Choose a category."),
            Problem::Taken => (
                "Уже занято другим товаром.",
                "Already used by another product.",
            ),
            Problem::BadPercent => (
                "Процент — целое число от 1 до 100.",
                "A percentage is a whole number from 1 to 100.",
            ),
            Problem::BadDate => ("Дата в виде 2026-12-31.", "A date like 2026-12-31."),
            Problem::EndBeforeStart => ("Конец раньше начала.", "The end is before the start."),
            Problem::BadCode => (
                "Код — латинские буквы, цифры, «-» и «_», до 64 символов.",
                "A code is Latin letters, digits, \"-\" and \"_\", up to 64 characters.",
            ),
            Problem::CategoriesOrProducts => (
                "Укажите категории или товары, но не то и другое сразу.",
                "Give categories or products, not both.",
            ),
            Problem::CodeTaken => (
                "Этот код уже есть у другой акции.",
                "Another promotion already has this code.",
            ),
            Problem::BadRate { line } => {
                return match lang {
                    Lang::Ru => format!(
                        "Строка {line}: нужно «зона; до кг; цена», например «Москва; 5; 390» \
                         (зона — город, начало индекса или *)."
                    ),
                    Lang::En => format!(
                        "Line {line}: write \"zone; up to kg; price\", e.g. \"Moscow; 5; 390\" \
                         (the zone is a city, a postcode prefix or *)."
                    ),
                }
            }
            Problem::TryOnCourierOnly => (
                "Примерка при получении возможна только с курьером.",
                "Try-on at the door needs a courier method.",
            ),
            Problem::BadCoordinates => (
                "Широта от −90 до 90 и долгота от −180 до 180, обе или ни одной.",
                "Latitude −90 to 90 and longitude −180 to 180, both or neither.",
            ),
            Problem::BadTrackingUrl => (
                "Адрес начинается с https:// и содержит {number}, например https://www.pochta.ru/tracking#{number}.",
                "The address starts with https:// and contains {number}, e.g. https://www.pochta.ru/tracking#{number}.",
            ),
            Problem::UnknownCarrier => (
                "Выберите перевозчика из списка.",
                "Choose a carrier from the list.",
            ),
            Problem::MethodCodeTaken => (
                "Этот код уже есть у другого способа доставки.",
                "Another delivery method already has this code.",
            ),
        };
        match lang {
            Lang::Ru => ru.into(),
            Lang::En => en.into(),
        }
    }
}

/// A problem and the field it belongs to, e.g. `variants.1.price`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub problem: Problem,
}

/// A variant ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidVariant {
    pub id: Option<i64>,
    pub sku: String,
    pub barcode: Option<String>,
    pub options: Vec<OptionValue>,
    pub price_minor: i64,
    pub old_price_minor: Option<i64>,
    pub backorder_days: Option<i32>,
    pub stock: Vec<(i64, i32)>,
}

/// A product ready to store (the slug made from the name when left empty).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidProduct {
    pub slug: String,
    pub details: Option<ValidDetails>,
    pub variants: Vec<ValidVariant>,
}

/// A whole number from 0 to a million, as typed (empty is 0).
fn parse_count(text: &str) -> Result<i32, Problem> {
    parse_stock(text).map_err(|_| Problem::BadNumber)
}

/// Attribute lines `name ru | name en | value ru | value en`; the key is the English name as a slug.
pub fn parse_attributes(text: &str) -> Result<Vec<OptionValue>, usize> {
    let mut out = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        match parts.as_slice() {
            [name_ru, name_en, value_ru, value_en]
                if parts.iter().all(|p| !p.is_empty()) && !slugify(name_en).is_empty() =>
            {
                out.push(OptionValue::new(
                    &slugify(name_en).replace('-', "_"),
                    name_ru,
                    name_en,
                    value_ru,
                    value_en,
                    None,
                ));
            }
            _ => return Err(n + 1),
        }
    }
    Ok(out)
}

/// Variant options with their own fields in the editor and the CSV file.
pub const BUILT_IN_OPTIONS: [&str; 2] = ["color", "size"];

/// Options as the editor shows them, one a line: the format [`parse_attributes`] reads.
pub fn option_lines<'a>(options: impl Iterator<Item = &'a OptionValue>) -> String {
    options
        .map(|o| {
            format!(
                "{} | {} | {} | {}",
                o.name_ru, o.name_en, o.value_ru, o.value_en
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A variant's options besides colour and size, one a line.
pub fn extra_options_text(options: &[OptionValue]) -> String {
    option_lines(
        options
            .iter()
            .filter(|o| !BUILT_IN_OPTIONS.contains(&o.key.as_str())),
    )
}

/// Parses a price as typed by staff: `1990`, `1990.50`, `1 990,50`.
pub fn parse_price(text: &str) -> Result<i64, Problem> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let amount: Decimal = cleaned.parse().map_err(|_| Problem::BadPrice)?;
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(Problem::NegativePrice);
    }
    to_minor(amount).ok_or(Problem::BadPrice)
}

pub fn parse_stock(text: &str) -> Result<i32, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<i64>()
        .ok()
        .filter(|n| (0..=MAX_STOCK).contains(n))
        .map(|n| n as i32)
        .ok_or(Problem::BadStock)
}

/// Checks the whole form; all problems at once, so staff fix them in one go.
pub fn validate(
    form: &ProductForm,
    category_exists: bool,
) -> Result<ValidProduct, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut add = |field: String, problem: Problem| problems.push(FieldProblem { field, problem });
    for (field, value) in [("name_ru", &form.name_ru), ("name_en", &form.name_en)] {
        if value.trim().is_empty() {
            add(field.into(), Problem::Required);
        } else if value.chars().count() > MAX_NAME_CHARS {
            add(field.into(), Problem::TooLong);
        }
    }
    let slug = if form.slug.trim().is_empty() {
        slugify(if form.name_en.trim().is_empty() {
            &form.name_ru
        } else {
            &form.name_en
        })
    } else {
        form.slug.trim().to_string()
    };
    if let Err(p) = check_slug(&slug) {
        add("slug".into(), Problem::Slug(p));
    }
    if !category_exists {
        add("category_id".into(), Problem::UnknownCategory);
    }
    if form.variants.is_empty() {
        add("variants".into(), Problem::NoVariants);
    }
    if form.variants.len() > MAX_VARIANTS {
        add("variants".into(), Problem::TooManyVariants);
    }
    let mut skus = HashSet::new();
    let mut variants = Vec::new();
    for (i, v) in form.variants.iter().enumerate() {
        let field = |name: &str| format!("variants.{i}.{name}");
        let sku = v.sku.trim().to_string();
        if sku.is_empty() {
            add(field("sku"), Problem::Required);
        } else if sku.len() > 64 {
            add(field("sku"), Problem::TooLong);
        } else if !skus.insert(sku.to_lowercase()) {
            add(field("sku"), Problem::DuplicateSku);
        }
        let price = match parse_price(&v.price) {
            Ok(p) => Some(p),
            Err(p) => {
                add(
                    field("price"),
                    if v.price.trim().is_empty() {
                        Problem::Required
                    } else {
                        p
                    },
                );
                None
            }
        };
        let old_price = if v.old_price.trim().is_empty() {
            None
        } else {
            match parse_price(&v.old_price) {
                Ok(old) if price.is_some_and(|p| old <= p) => {
                    add(field("old_price"), Problem::OldPriceNotHigher);
                    None
                }
                Ok(old) => Some(old),
                Err(p) => {
                    add(field("old_price"), p);
                    None
                }
            }
        };
        let swatch = v.swatch.trim();
        let swatch_ok = swatch.is_empty()
            || (swatch.len() == 7
                && swatch.starts_with('#')
                && swatch[1..].chars().all(|c| c.is_ascii_hexdigit()));
        if !swatch_ok {
            add(field("swatch"), Problem::BadSwatch);
        }
        let mut stock = Vec::new();
        for (warehouse, qty) in &v.stock {
            match parse_stock(qty) {
                Ok(n) => stock.push((*warehouse, n)),
                Err(p) => add(field(&format!("stock.{warehouse}")), p),
            }
        }
        let mut options = Vec::new();
        let (color_ru, color_en) = (v.color_ru.trim(), v.color_en.trim());
        if !color_ru.is_empty() || !color_en.is_empty() {
            let ru = if color_ru.is_empty() {
                color_en
            } else {
                color_ru
            };
            let en = if color_en.is_empty() {
                color_ru
            } else {
                color_en
            };
            let swatch = (!swatch.is_empty()).then(|| swatch.to_lowercase());
            options.push(OptionValue::new(
                "color",
                "Цвет",
                "Colour",
                ru,
                en,
                swatch.as_deref(),
            ));
        }
        if !v.size.trim().is_empty() {
            let size = v.size.trim();
            options.push(OptionValue::new("size", "Размер", "Size", size, size, None));
        }
        match parse_attributes(&v.extra_options) {
            Ok(extra)
                if extra
                    .iter()
                    .all(|o| !BUILT_IN_OPTIONS.contains(&o.key.as_str())) =>
            {
                options.extend(extra)
            }
            _ => add(field("extra_options"), Problem::BadAttribute),
        }
        let backorder_days = match v.backorder_days.trim() {
            "" => None,
            days => match parse_count(days) {
                Ok(d) => Some(d),
                Err(p) => {
                    add(field("backorder_days"), p);
                    None
                }
            },
        };
        if let Some(price_minor) = price {
            variants.push(ValidVariant {
                id: v.id,
                sku,
                barcode: Some(v.barcode.trim().to_string()).filter(|b| !b.is_empty()),
                options,
                price_minor,
                old_price_minor: old_price,
                backorder_days,
                stock,
            });
        }
    }
    let details = form.details.as_ref().map(|d| {
        let mut number = |name: &str, text: &str| {
            parse_count(text).unwrap_or_else(|p| {
                add(name.to_string(), p);
                0
            })
        };
        let weight_g = number("weight_g", &d.weight_g);
        let dimensions_mm = (
            number("length_mm", &d.length_mm),
            number("width_mm", &d.width_mm),
            number("height_mm", &d.height_mm),
        );
        let attributes = parse_attributes(&d.attributes).unwrap_or_else(|_| {
            add("attributes".into(), Problem::BadAttribute);
            Vec::new()
        });
        ValidDetails {
            weight_g,
            dimensions_mm,
            attributes,
        }
    });
    if problems.is_empty() {
        Ok(ValidProduct {
            slug,
            details,
            variants,
        })
    } else {
        Err(problems)
    }
}

/// The addresses listed in a "related products" field, in order, without repeats.
pub fn related_slugs(text: &str) -> Vec<String> {
    let mut slugs: Vec<String> = Vec::new();
    for slug in text
        .split([',', ' ', '\n', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let slug = slug.trim_start_matches("/p/").to_lowercase();
        if !slugs.contains(&slug) {
            slugs.push(slug);
        }
    }
    slugs
}

/// A category as edited in the admin; `id` is `None` for a new one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CategoryForm {
    pub id: Option<i64>,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name_ru: String,
    pub name_en: String,
    pub position: i32,
    pub featured: bool,
}

/// Checks a category form against the current tree (`(id, parent)` pairs):
/// names, slug, and no cycle through the new parent.
pub fn validate_category(
    form: &CategoryForm,
    tree: &[(i64, Option<i64>)],
) -> Result<String, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    for (field, value) in [("name_ru", &form.name_ru), ("name_en", &form.name_en)] {
        if value.trim().is_empty() {
            problems.push(FieldProblem {
                field: field.into(),
                problem: Problem::Required,
            });
        } else if value.chars().count() > 200 {
            problems.push(FieldProblem {
                field: field.into(),
                problem: Problem::TooLong,
            });
        }
    }
    let slug = if form.slug.trim().is_empty() {
        slugify(&form.name_en)
    } else {
        form.slug.trim().to_string()
    };
    if let Err(p) = check_slug(&slug) {
        problems.push(FieldProblem {
            field: "slug".into(),
            problem: Problem::Slug(p),
        });
    }
    if let Some(parent) = form.parent_id {
        if !tree.iter().any(|(id, _)| *id == parent) {
            problems.push(FieldProblem {
                field: "parent_id".into(),
                problem: Problem::UnknownCategory,
            });
        } else if let Some(me) = form.id {
            // Walk up from the new parent: meeting this category means a cycle.
            let mut at = Some(parent);
            let mut steps = 0;
            while let Some(current) = at {
                if current == me || steps > tree.len() {
                    problems.push(FieldProblem {
                        field: "parent_id".into(),
                        problem: Problem::ParentCycle,
                    });
                    break;
                }
                at = tree
                    .iter()
                    .find(|(id, _)| *id == current)
                    .and_then(|(_, p)| *p);
                steps += 1;
            }
        }
    }
    if problems.is_empty() {
        Ok(slug)
    } else {
        Err(problems)
    }
}

/// An information page (delivery, payment, returns, contacts, ...) as edited in the admin.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InfoPageForm {
    pub slug: String,
    pub title_ru: String,
    pub title_en: String,
    /// Paragraphs separated by blank lines.
    pub body_ru: String,
    pub body_en: String,
}

pub const MAX_BODY_CHARS: usize = 20_000;

pub fn validate_info_page(form: &InfoPageForm) -> Result<(), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    if let Err(p) = check_slug(form.slug.trim()) {
        problems.push(FieldProblem {
            field: "slug".into(),
            problem: Problem::Slug(p),
        });
    }
    for (field, value, max) in [
        ("title_ru", &form.title_ru, 200),
        ("title_en", &form.title_en, 200),
        ("body_ru", &form.body_ru, MAX_BODY_CHARS),
        ("body_en", &form.body_en, MAX_BODY_CHARS),
    ] {
        if value.trim().is_empty() {
            problems.push(FieldProblem {
                field: field.into(),
                problem: Problem::Required,
            });
        } else if value.chars().count() > max {
            problems.push(FieldProblem {
                field: field.into(),
                problem: Problem::TooLong,
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(sku: &str, price: &str) -> VariantForm {
        VariantForm {
            sku: sku.into(),
            price: price.into(),
            color_ru: "Красный".into(),
            color_en: "Red".into(),
            swatch: "#C0392B".into(),
            size: "M".into(),
            stock: vec![(1, "5".into()), (2, "".into())],
            ..Default::default()
        }
    }

    fn form() -> ProductForm {
        ProductForm {
            name_ru: "Футболка".into(),
            name_en: "Basic T-shirt".into(),
            category_id: 1,
            variants: vec![variant("TS-1", "1990"), variant("TS-2", "1 990,50")],
            ..Default::default()
        }
    }

    fn fields<T: std::fmt::Debug>(result: Result<T, Vec<FieldProblem>>) -> Vec<(String, Problem)> {
        result
            .unwrap_err()
            .into_iter()
            .map(|p| (p.field, p.problem))
            .collect()
    }

    #[test]
    fn variants_take_options_beyond_colour_and_size() {
        let mut f = form();
        f.variants[0].extra_options = "Рост | Height | 170 см | 170 cm\n".into();
        let valid = validate(&f, true).unwrap();
        let keys: Vec<&str> = valid.variants[0]
            .options
            .iter()
            .map(|o| o.key.as_str())
            .collect();
        assert_eq!(keys, ["color", "size", "height"]);
        assert_eq!(valid.variants[0].options[2].code(), "170-cm");
        assert_eq!(
            extra_options_text(&valid.variants[0].options),
            "Рост | Height | 170 см | 170 cm"
        );

        // A line that is not four parts, or a second colour, is refused at the field.
        f.variants[0].extra_options = "Рост | Height".into();
        f.variants[1].extra_options = "Цвет | Color | Синий | Blue".into();
        assert_eq!(
            fields(validate(&f, true)),
            [
                (
                    "variants.0.extra_options".to_string(),
                    Problem::BadAttribute
                ),
                (
                    "variants.1.extra_options".to_string(),
                    Problem::BadAttribute
                ),
            ]
        );
    }

    #[test]
    fn details_and_backorder_days_are_checked() {
        let mut f = form();
        f.details = Some(ProductDetails {
            weight_g: "350".into(),
            length_mm: "-1".into(),
            attributes: "Материал | Material | Хлопок | Cotton\n\nbroken line".into(),
            ..Default::default()
        });
        f.variants[0].backorder_days = "two weeks".into();
        let fields = fields(validate(&f, true));
        assert_eq!(
            fields,
            vec![
                ("variants.0.backorder_days".into(), Problem::BadNumber),
                ("length_mm".into(), Problem::BadNumber),
                ("attributes".into(), Problem::BadAttribute),
            ]
        );
        f.details.as_mut().unwrap().length_mm = "300".into();
        f.details.as_mut().unwrap().attributes = "Материал | Material | Хлопок | Cotton".into();
        f.variants[0].backorder_days = "14".into();
        let valid = validate(&f, true).unwrap();
        let details = valid.details.unwrap();
        assert_eq!(
            (details.weight_g, details.dimensions_mm),
            (350, (300, 0, 0))
        );
        assert_eq!(details.attributes[0].key, "material");
        assert_eq!(details.attributes[0].code(), "cotton");
        assert_eq!(valid.variants[0].backorder_days, Some(14));
    }

    #[test]
    fn categories_need_names_a_slug_and_no_cycle() {
        // 1 → 2 → 3
        let tree = [(1, None), (2, Some(1)), (3, Some(2))];
        let form = CategoryForm {
            id: Some(1),
            parent_id: Some(3),
            name_ru: "Дом".into(),
            name_en: "Home".into(),
            ..Default::default()
        };
        let fields = fields(validate_category(&form, &tree));
        assert_eq!(
            fields,
            vec![("parent_id".to_string(), Problem::ParentCycle)]
        );
        let itself = CategoryForm {
            parent_id: Some(1),
            ..form.clone()
        };
        assert!(validate_category(&itself, &tree).is_err());
        let fine = CategoryForm {
            id: Some(3),
            parent_id: Some(1),
            ..form.clone()
        };
        assert_eq!(validate_category(&fine, &tree), Ok("home".to_string()));
        let new = CategoryForm {
            id: None,
            parent_id: Some(9),
            name_en: " ".into(),
            ..form
        };
        let fields: Vec<_> = validate_category(&new, &tree)
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, vec!["name_en", "slug", "parent_id"]);
    }

    #[test]
    fn related_addresses_are_split_and_deduplicated() {
        assert_eq!(
            related_slugs(" a-1, /p/b-2 ;a-1\nC-3 "),
            vec!["a-1", "b-2", "c-3"]
        );
        assert!(related_slugs(" , ").is_empty());
    }

    #[test]
    fn information_pages_need_a_slug_titles_and_texts() {
        let page = InfoPageForm {
            slug: "delivery".into(),
            title_ru: "Доставка".into(),
            title_en: "Delivery".into(),
            body_ru: "Курьером.".into(),
            body_en: "By courier.".into(),
        };
        assert!(validate_info_page(&page).is_ok());
        let bad = InfoPageForm {
            slug: "Delivery Info".into(),
            body_en: " ".into(),
            ..page
        };
        let fields: Vec<_> = validate_info_page(&bad)
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, vec!["slug", "body_en"]);
    }

    #[test]
    fn a_good_form_passes_with_a_generated_slug() {
        let valid = validate(&form(), true).unwrap();
        assert_eq!(valid.slug, "basic-t-shirt");
        assert_eq!(valid.variants[1].price_minor, 199_050);
        assert_eq!(valid.variants[0].stock, vec![(1, 5), (2, 0)]);
        assert_eq!(
            valid.variants[0].options[0].swatch.as_deref(),
            Some("#c0392b")
        );
        assert_eq!(valid.variants[0].options[1].code(), "m");
    }

    #[test]
    fn prices_and_stock_are_checked() {
        assert_eq!(parse_price("-1"), Err(Problem::NegativePrice));
        assert_eq!(parse_price("12.345"), Err(Problem::BadPrice));
        assert_eq!(parse_price("abc"), Err(Problem::BadPrice));
        assert_eq!(parse_price("0"), Ok(0));
        assert_eq!(parse_stock("-2"), Err(Problem::BadStock));
        assert_eq!(parse_stock("2.5"), Err(Problem::BadStock));
        assert_eq!(parse_stock(""), Ok(0));

        let mut f = form();
        f.variants[0].price = "-5".into();
        f.variants[1].old_price = "100".into();
        f.variants[1].stock[0].1 = "-1".into();
        assert_eq!(
            fields(validate(&f, true)),
            vec![
                ("variants.0.price".into(), Problem::NegativePrice),
                ("variants.1.old_price".into(), Problem::OldPriceNotHigher),
                ("variants.1.stock.1".into(), Problem::BadStock),
            ]
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let mut f = form();
        f.name_ru = " ".into();
        f.slug = "Bad Slug".into();
        f.variants[1].sku = "ts-1".into();
        f.variants[0].swatch = "red".into();
        f.variants[1].price = "".into();
        assert_eq!(
            fields(validate(&f, false)),
            vec![
                ("name_ru".into(), Problem::Required),
                ("slug".into(), Problem::Slug(SlugProblem::BadCharacters)),
                ("category_id".into(), Problem::UnknownCategory),
                ("variants.0.swatch".into(), Problem::BadSwatch),
                ("variants.1.sku".into(), Problem::DuplicateSku),
                ("variants.1.price".into(), Problem::Required),
            ]
        );
        f.variants.clear();
        assert!(fields(validate(&f, true)).contains(&("variants".into(), Problem::NoVariants)));
    }
}
