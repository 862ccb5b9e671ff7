//! The demo catalog (issue "Catalog", item 2): a believable shop of clothing,
//! shoes and home goods with Russian and English names, several variants per
//! product, stock in two warehouses and drawn photos; plus `--products N`
//! synthetic products for load tests. Deterministic (seeded), so tests and
//! benchmarks see the same shop every time.
use crate::drawing::{self, Shape};
use app::domain::catalog::{slugify, to_minor, OptionValue};
use app::domain::warehouse::MovementKind;
use app::server::catalog::bump_version;
use app::server::entities::{
    categories, info_pages, photos, products, related_products, stock, stock_movements, variants,
    warehouses,
};
use app::server::media::{self, Stored};
use chrono::{Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveValue::NotSet, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

/// Products in the believable demo shop.
pub const DEMO_PRODUCTS: usize = 300;
/// Rows per INSERT: well under SQLite's bound-parameter limit.
const CHUNK: usize = 400;

struct Colour {
    ru: &'static str,
    en: &'static str,
    hex: &'static str,
}

const COLOURS: [Colour; 10] = [
    Colour {
        ru: "Белый",
        en: "White",
        hex: "#e8e4dc",
    },
    Colour {
        ru: "Чёрный",
        en: "Black",
        hex: "#2b2b2b",
    },
    Colour {
        ru: "Красный",
        en: "Red",
        hex: "#c0392b",
    },
    Colour {
        ru: "Синий",
        en: "Blue",
        hex: "#2c5d9e",
    },
    Colour {
        ru: "Зелёный",
        en: "Green",
        hex: "#3f7f4f",
    },
    Colour {
        ru: "Бежевый",
        en: "Beige",
        hex: "#c8a97e",
    },
    Colour {
        ru: "Серый",
        en: "Grey",
        hex: "#8a8d91",
    },
    Colour {
        ru: "Жёлтый",
        en: "Yellow",
        hex: "#e0b324",
    },
    Colour {
        ru: "Розовый",
        en: "Pink",
        hex: "#d9849b",
    },
    Colour {
        ru: "Коричневый",
        en: "Brown",
        hex: "#7a5236",
    },
];

/// Leaf categories: slug, parent slug, names, shape, base price, sizes, materials.
struct Leaf {
    slug: &'static str,
    parent: &'static str,
    ru: &'static str,
    en: &'static str,
    noun_ru: &'static str,
    noun_en: &'static str,
    shape: Shape,
    base_price: i64,
    sizes: &'static [&'static str],
    materials: &'static [(&'static str, &'static str)],
    weight_g: i32,
}

const CLOTHING_SIZES: &[&str] = &["XS", "S", "M", "L", "XL"];
const SHOE_SIZES: &[&str] = &["37", "38", "39", "40", "41", "42", "43", "44"];
const NO_SIZES: &[&str] = &[];
const TEXTILES: &[(&str, &str)] = &[
    ("Хлопок", "Cotton"),
    ("Лён", "Linen"),
    ("Шерсть", "Wool"),
    ("Полиэстер", "Polyester"),
];
const SHOE_MATERIALS: &[(&str, &str)] = &[
    ("Кожа", "Leather"),
    ("Замша", "Suede"),
    ("Текстиль", "Textile"),
];
const TABLEWARE: &[(&str, &str)] = &[
    ("Керамика", "Ceramic"),
    ("Фарфор", "Porcelain"),
    ("Стекло", "Glass"),
];
const HOME_TEXTILES: &[(&str, &str)] =
    &[("Хлопок", "Cotton"), ("Лён", "Linen"), ("Бамбук", "Bamboo")];
const LAMP_MATERIALS: &[(&str, &str)] =
    &[("Металл", "Metal"), ("Дерево", "Wood"), ("Стекло", "Glass")];

const LEAVES: [Leaf; 13] = [
    Leaf {
        slug: "t-shirts",
        parent: "clothing",
        ru: "Футболки",
        en: "T-shirts",
        noun_ru: "Футболка",
        noun_en: "T-shirt",
        shape: Shape::TShirt,
        base_price: 1490,
        sizes: CLOTHING_SIZES,
        materials: TEXTILES,
        weight_g: 200,
    },
    Leaf {
        slug: "shirts",
        parent: "clothing",
        ru: "Рубашки",
        en: "Shirts",
        noun_ru: "Рубашка",
        noun_en: "Shirt",
        shape: Shape::Shirt,
        base_price: 2990,
        sizes: CLOTHING_SIZES,
        materials: TEXTILES,
        weight_g: 300,
    },
    Leaf {
        slug: "trousers",
        parent: "clothing",
        ru: "Брюки",
        en: "Trousers",
        noun_ru: "Брюки",
        noun_en: "Trousers",
        shape: Shape::Trousers,
        base_price: 3490,
        sizes: CLOTHING_SIZES,
        materials: TEXTILES,
        weight_g: 500,
    },
    Leaf {
        slug: "dresses",
        parent: "clothing",
        ru: "Платья",
        en: "Dresses",
        noun_ru: "Платье",
        noun_en: "Dress",
        shape: Shape::Dress,
        base_price: 4490,
        sizes: CLOTHING_SIZES,
        materials: TEXTILES,
        weight_g: 400,
    },
    Leaf {
        slug: "jackets",
        parent: "clothing",
        ru: "Куртки",
        en: "Jackets",
        noun_ru: "Куртка",
        noun_en: "Jacket",
        shape: Shape::Jacket,
        base_price: 7990,
        sizes: CLOTHING_SIZES,
        materials: TEXTILES,
        weight_g: 1100,
    },
    Leaf {
        slug: "sneakers",
        parent: "shoes",
        ru: "Кроссовки",
        en: "Sneakers",
        noun_ru: "Кроссовки",
        noun_en: "Sneakers",
        shape: Shape::Sneaker,
        base_price: 5490,
        sizes: SHOE_SIZES,
        materials: SHOE_MATERIALS,
        weight_g: 800,
    },
    Leaf {
        slug: "boots",
        parent: "shoes",
        ru: "Ботинки",
        en: "Boots",
        noun_ru: "Ботинки",
        noun_en: "Boots",
        shape: Shape::Boot,
        base_price: 8990,
        sizes: SHOE_SIZES,
        materials: SHOE_MATERIALS,
        weight_g: 1400,
    },
    Leaf {
        slug: "sandals",
        parent: "shoes",
        ru: "Сандалии",
        en: "Sandals",
        noun_ru: "Сандалии",
        noun_en: "Sandals",
        shape: Shape::Sandal,
        base_price: 2990,
        sizes: SHOE_SIZES,
        materials: SHOE_MATERIALS,
        weight_g: 500,
    },
    Leaf {
        slug: "pillows",
        parent: "home",
        ru: "Подушки",
        en: "Pillows",
        noun_ru: "Подушка",
        noun_en: "Pillow",
        shape: Shape::Pillow,
        base_price: 1290,
        sizes: &["40×40", "50×70", "70×70"],
        materials: HOME_TEXTILES,
        weight_g: 700,
    },
    Leaf {
        slug: "towels",
        parent: "home",
        ru: "Полотенца",
        en: "Towels",
        noun_ru: "Полотенце",
        noun_en: "Towel",
        shape: Shape::Towel,
        base_price: 890,
        sizes: &["30×50", "50×90", "70×140"],
        materials: HOME_TEXTILES,
        weight_g: 450,
    },
    Leaf {
        slug: "mugs",
        parent: "home",
        ru: "Кружки",
        en: "Mugs",
        noun_ru: "Кружка",
        noun_en: "Mug",
        shape: Shape::Mug,
        base_price: 590,
        sizes: NO_SIZES,
        materials: TABLEWARE,
        weight_g: 350,
    },
    Leaf {
        slug: "plates",
        parent: "home",
        ru: "Тарелки",
        en: "Plates",
        noun_ru: "Тарелка",
        noun_en: "Plate",
        shape: Shape::Plate,
        base_price: 490,
        sizes: NO_SIZES,
        materials: TABLEWARE,
        weight_g: 400,
    },
    Leaf {
        slug: "lamps",
        parent: "home",
        ru: "Лампы",
        en: "Lamps",
        noun_ru: "Лампа",
        noun_en: "Lamp",
        shape: Shape::Lamp,
        base_price: 3990,
        sizes: NO_SIZES,
        materials: LAMP_MATERIALS,
        weight_g: 1800,
    },
];

const ROOTS: [(&str, &str, &str); 3] = [
    ("clothing", "Одежда", "Clothing"),
    ("shoes", "Обувь", "Shoes"),
    ("home", "Дом", "Home"),
];

const BRANDS: [&str; 8] = [
    "Nord",
    "Ладья",
    "Sever",
    "Terra",
    "Урал",
    "Balt",
    "Altai",
    "Volna",
];
/// Model names: Russian, English.
const MODELS: [(&str, &str); 24] = [
    ("Стриж", "Strizh"),
    ("Байкал", "Baikal"),
    ("Волга", "Volga"),
    ("Ока", "Oka"),
    ("Сосна", "Sosna"),
    ("Кедр", "Kedr"),
    ("Рябина", "Ryabina"),
    ("Полярис", "Polaris"),
    ("Ветер", "Veter"),
    ("Иней", "Iney"),
    ("Заря", "Zarya"),
    ("Туман", "Tuman"),
    ("Мята", "Myata"),
    ("Лето", "Leto"),
    ("Север", "Sever"),
    ("Прибой", "Priboy"),
    ("Вереск", "Veresk"),
    ("Олонец", "Olonets"),
    ("Сапсан", "Sapsan"),
    ("Кама", "Kama"),
    ("Онега", "Onega"),
    ("Ладога", "Ladoga"),
    ("Сокол", "Sokol"),
    ("Янтарь", "Yantar"),
];
const ADJECTIVES: [(&str, &str, &str); 8] = [
    // Russian masculine/feminine/plural forms are avoided by putting the adjective after the noun.
    ("классика", "Classic", "classic"),
    ("базовая модель", "Basic", "basic"),
    ("премиум", "Premium", "premium"),
    ("лёгкая серия", "Light", "light"),
    ("городская серия", "City", "city"),
    ("дорожная серия", "Travel", "travel"),
    ("домашняя серия", "Home", "home"),
    ("спорт", "Sport", "sport"),
];
const COUNTRIES: [(&str, &str); 4] = [
    ("Россия", "Russia"),
    ("Беларусь", "Belarus"),
    ("Турция", "Turkey"),
    ("Узбекистан", "Uzbekistan"),
];

/// Loads the demo catalog into an empty catalog (idempotent: does nothing when
/// categories exist). Returns how many products were created.
pub async fn load_demo(db: &DatabaseConnection, media_dir: &Path) -> anyhow::Result<usize> {
    if categories::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let started = Instant::now();
    let created = generate(db, media_dir, DEMO_PRODUCTS, 0, true).await?;
    seed_info_pages(db).await?;
    bump_version(db).await?;
    println!(
        "demo catalog: {created} products in {:.1} s",
        started.elapsed().as_secs_f32()
    );
    Ok(created)
}

/// Adds `count` synthetic products (for load tests) to the demo categories.
pub async fn load_synthetic(
    db: &DatabaseConnection,
    media_dir: &Path,
    count: usize,
) -> anyhow::Result<usize> {
    load_demo(db, media_dir).await?;
    let started = Instant::now();
    let offset = products::Entity::find().count(db).await? as usize;
    let created = generate(db, media_dir, count, offset, false).await?;
    bump_version(db).await?;
    println!(
        "synthetic catalog: {created} products in {:.1} s",
        started.elapsed().as_secs_f32()
    );
    Ok(created)
}

/// Draws (once per shape and colour) and stores the demo pictures.
fn pictures(media_dir: &Path) -> anyhow::Result<HashMap<(Shape, &'static str), Stored>> {
    let jobs: Vec<(Shape, &'static str)> = LEAVES
        .iter()
        .flat_map(|leaf| COLOURS.iter().map(move |c| (leaf.shape, c.hex)))
        .collect();
    let mut out = HashMap::new();
    // Two threads: the machine this is measured on has two cores.
    let results: Vec<anyhow::Result<((Shape, &'static str), Stored)>> =
        std::thread::scope(|scope| {
            let halves: Vec<_> = jobs
                .chunks(jobs.len().div_ceil(2))
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|&(shape, hex)| {
                                let key = format!(
                                    "{:x}",
                                    Sha256::digest(format!("demo-v1-{}-{hex}", shape.name()))
                                );
                                let key = key[..24].to_string();
                                if let Some(stored) = already_drawn(media_dir, &key) {
                                    return Ok(((shape, hex), stored));
                                }
                                let image =
                                    image::DynamicImage::ImageRgb8(drawing::draw(shape, hex));
                                let stored = media::store_image(&image, &key, media_dir)?;
                                Ok(((shape, hex), stored))
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            halves
                .into_iter()
                .flat_map(|h| h.join().expect("drawing thread"))
                .collect()
        });
    for r in results {
        let (k, v) = r?;
        out.insert(k, v);
    }
    Ok(out)
}

/// Demo pictures are deterministic: files left by an earlier run are reused.
fn already_drawn(media_dir: &Path, key: &str) -> Option<Stored> {
    let largest = media::WIDTHS[media::WIDTHS.len() - 1];
    media_dir
        .join(format!("{key}-{largest}.jpg"))
        .exists()
        .then(|| Stored {
            key: key.to_string(),
            width: drawing::WIDTH,
            height: drawing::HEIGHT,
            widths: media::WIDTHS.to_vec(),
            has_webp: media_dir.join(format!("{key}-{largest}.webp")).exists(),
        })
}

async fn ensure_categories(
    db: &impl ConnectionTrait,
) -> anyhow::Result<HashMap<&'static str, i64>> {
    let mut ids = HashMap::new();
    for c in categories::Entity::find().all(db).await? {
        if let Some(slug) = ROOTS
            .iter()
            .map(|r| r.0)
            .chain(LEAVES.iter().map(|l| l.slug))
            .find(|s| *s == c.slug)
        {
            ids.insert(slug, c.id);
        }
    }
    for (position, (slug, ru, en)) in ROOTS.iter().enumerate() {
        if ids.contains_key(slug) {
            continue;
        }
        let row = categories::Entity::insert(categories::ActiveModel {
            id: NotSet,
            parent_id: Set(None),
            slug: Set(slug.to_string()),
            name_ru: Set(ru.to_string()),
            name_en: Set(en.to_string()),
            position: Set(position as i32),
            featured: Set(false),
        })
        .exec(db)
        .await?;
        ids.insert(*slug, row.last_insert_id);
    }
    for (position, leaf) in LEAVES.iter().enumerate() {
        if ids.contains_key(leaf.slug) {
            continue;
        }
        let row = categories::Entity::insert(categories::ActiveModel {
            id: NotSet,
            parent_id: Set(Some(ids[leaf.parent])),
            slug: Set(leaf.slug.to_string()),
            name_ru: Set(leaf.ru.to_string()),
            name_en: Set(leaf.en.to_string()),
            position: Set(position as i32),
            // Every other leaf is featured on the home page.
            featured: Set(position % 2 == 0),
        })
        .exec(db)
        .await?;
        ids.insert(leaf.slug, row.last_insert_id);
    }
    Ok(ids)
}

async fn ensure_warehouses(db: &impl ConnectionTrait) -> anyhow::Result<Vec<i64>> {
    // The shop dispatches from Moscow; goods in St Petersburg take two days
    // to get there, which the delivery dates count.
    let wanted = [
        ("msk", "Москва, основной склад", 0),
        ("spb", "Санкт-Петербург", 2),
    ];
    let existing = warehouses::Entity::find().all(db).await?;
    let mut ids = Vec::new();
    for (code, name, dispatch_days) in wanted {
        if let Some(w) = existing.iter().find(|w| w.code == code) {
            ids.push(w.id);
            continue;
        }
        let row = warehouses::Entity::insert(warehouses::ActiveModel {
            id: NotSet,
            code: Set(code.into()),
            name: Set(name.into()),
            dispatch_days: Set(dispatch_days),
        })
        .exec(db)
        .await?;
        ids.push(row.last_insert_id);
    }
    Ok(ids)
}

fn minor(rubles: i64) -> i64 {
    to_minor(Decimal::from(rubles)).expect("positive whole rubles")
}

/// Creates `count` products numbered from `offset`. `believable` products get
/// hand-made names and related links; synthetic ones a number in the name.
async fn generate(
    db: &DatabaseConnection,
    media_dir: &Path,
    count: usize,
    offset: usize,
    believable: bool,
) -> anyhow::Result<usize> {
    let media_dir_owned = media_dir.to_path_buf();
    let pictures = tokio::task::spawn_blocking(move || pictures(&media_dir_owned)).await??;
    let txn = app::server::begin_write(db).await?;
    for stored in pictures.values() {
        media::record(&txn, stored).await?;
    }
    let category_ids = ensure_categories(&txn).await?;
    let warehouse_ids = ensure_warehouses(&txn).await?;
    let mut rng = StdRng::seed_from_u64(0x1a7ca + offset as u64);
    let now = Utc::now();

    // Ids are assigned here so one bulk insert per table suffices (the demo
    // loader runs alone, from the command line).
    let mut next_product_id = max_id(&txn, "products").await?;
    let mut next_variant_id = max_id(&txn, "variants").await?;
    let mut product_rows = Vec::new();
    let mut variant_rows = Vec::new();
    let mut stock_rows = Vec::new();
    let mut movement_rows = Vec::new();
    let mut photo_rows = Vec::new();
    let mut product_ids = Vec::new();

    for n in 0..count {
        let number = offset + n;
        let leaf = &LEAVES[number % LEAVES.len()];
        let brand = BRANDS[rng.gen_range(0..BRANDS.len())];
        let model = MODELS[(number / LEAVES.len()) % MODELS.len()];
        let adjective = ADJECTIVES[rng.gen_range(0..ADJECTIVES.len())];
        let material = leaf.materials[rng.gen_range(0..leaf.materials.len())];
        let country = COUNTRIES[rng.gen_range(0..COUNTRIES.len())];
        let (name_ru, name_en) = if believable {
            (
                format!("{} {} «{}», {}", leaf.noun_ru, brand, model.0, adjective.0),
                format!("{} {} {} “{}”", brand, adjective.1, leaf.noun_en, model.1),
            )
        } else {
            (
                format!("{} {} «{}» №{number}", leaf.noun_ru, brand, model.0),
                format!("{} {} “{}” No. {number}", brand, leaf.noun_en, model.1),
            )
        };
        let slug = slugify(&format!(
            "{} {} {} {} {number}",
            brand, leaf.noun_en, model.1, adjective.2
        ));
        next_product_id += 1;
        let product_id = next_product_id;
        product_ids.push((product_id, leaf.slug));
        let description_ru = format!(
            "{} {} из коллекции «{}». Материал: {}. Произведено: {}. \
             Аккуратные швы, продуманная посадка и цвета, которые легко сочетать между собой.\n\n\
             Уход: бережная стирка или влажная уборка, без отбеливателей.",
            leaf.noun_ru,
            brand,
            model.0,
            material.0.to_lowercase(),
            country.0
        );
        let description_en = format!(
            "{} {} from the “{}” collection. Material: {}. Made in {}. \
             Neat seams, a considered fit and colours that go well together.\n\n\
             Care: gentle wash or wipe clean, no bleach.",
            brand,
            leaf.noun_en.to_lowercase(),
            model.1,
            material.1.to_lowercase(),
            country.1
        );
        let attributes = vec![
            OptionValue::new(
                "material",
                "Материал",
                "Material",
                material.0,
                material.1,
                None,
            ),
            OptionValue::new("country", "Страна", "Country", country.0, country.1, None),
        ];
        let created_at = now - Duration::minutes((count - n) as i64 * 7);
        product_rows.push(products::ActiveModel {
            id: Set(product_id),
            slug: Set(slug),
            category_id: Set(category_ids[leaf.slug]),
            brand: Set(brand.into()),
            name_ru: Set(name_ru.clone()),
            name_en: Set(name_en.clone()),
            description_ru: Set(description_ru),
            description_en: Set(description_en),
            attributes: Set(serde_json::to_string(&attributes)?),
            weight_g: Set(leaf.weight_g),
            length_mm: Set(300),
            width_mm: Set(250),
            height_mm: Set(80),
            published: Set(true),
            seo_title: Set(None),
            seo_description: Set(None),
            popularity: Set(rng.gen_range(0..1000)),
            created_at: Set(created_at),
            updated_at: Set(created_at),
        });

        // Two or three colours; sizes as the category has them.
        let colour_count = rng.gen_range(2..=3);
        let first_colour = rng.gen_range(0..COLOURS.len());
        let colours: Vec<&Colour> = (0..colour_count)
            .map(|i| &COLOURS[(first_colour + i * 3) % COLOURS.len()])
            .collect();
        let sizes: Vec<&str> = if leaf.sizes.is_empty() {
            Vec::new()
        } else {
            let from = rng.gen_range(0..leaf.sizes.len().saturating_sub(2).max(1));
            let span = rng.gen_range(2..=3).min(leaf.sizes.len() - from);
            leaf.sizes[from..from + span].to_vec()
        };
        let price = leaf.base_price + rng.gen_range(0..8) * 100;
        let discounted = rng.gen_bool(0.25);
        let prefix: String = leaf
            .slug
            .chars()
            .filter(char::is_ascii_alphabetic)
            .take(2)
            .collect();
        let sku_base = format!("{}-{:05}", prefix.to_uppercase(), number + 1);
        let mut position = 0;
        for (ci, colour) in colours.iter().enumerate() {
            let size_list: Vec<Option<&str>> = if sizes.is_empty() {
                vec![None]
            } else {
                sizes.iter().map(|s| Some(*s)).collect()
            };
            for size in size_list {
                next_variant_id += 1;
                let mut options = vec![OptionValue::new(
                    "color",
                    "Цвет",
                    "Colour",
                    colour.ru,
                    colour.en,
                    Some(colour.hex),
                )];
                if let Some(size) = size {
                    options.push(OptionValue::new("size", "Размер", "Size", size, size, None));
                }
                // The second colour costs a little more, so the picker visibly changes the price.
                let variant_price = price + ci as i64 * 200;
                let sku = match size {
                    Some(size) => format!(
                        "{sku_base}-{}-{}",
                        slugify(colour.en).to_uppercase(),
                        slugify(size).to_uppercase()
                    ),
                    None => format!("{sku_base}-{}", slugify(colour.en).to_uppercase()),
                };
                variant_rows.push(variants::ActiveModel {
                    id: Set(next_variant_id),
                    product_id: Set(product_id),
                    sku: Set(sku),
                    barcode: Set(Some(format!("46{:011}", next_variant_id))),
                    options: Set(serde_json::to_string(&options)?),
                    price_minor: Set(minor(variant_price)),
                    old_price_minor: Set(
                        discounted.then(|| minor(variant_price * 13 / 10 / 10 * 10))
                    ),
                    backorder_days: Set(rng.gen_bool(0.3).then_some(14)),
                    position: Set(position),
                });
                position += 1;
                let roll: f64 = rng.gen();
                let (msk, spb) = if roll < 0.12 {
                    (0, 0)
                } else if roll < 0.25 {
                    (rng.gen_range(1..=3), 0)
                } else {
                    (rng.gen_range(0..40), rng.gen_range(0..20))
                };
                // A believable walk: aisle A–F, rack 1–40, shelf by variant.
                let shelf = format!(
                    "{}-{:02}-{}",
                    (b'A' + (product_id % 6) as u8) as char,
                    product_id % 40 + 1,
                    position
                );
                for (warehouse, quantity) in warehouse_ids.iter().zip([msk, spb]) {
                    stock_rows.push(stock::ActiveModel {
                        variant_id: Set(next_variant_id),
                        warehouse_id: Set(*warehouse),
                        quantity: Set(quantity),
                        on_hand: Set(quantity),
                        shelf: Set(Some(shelf.clone())),
                    });
                    if quantity > 0 {
                        let receipt = MovementKind::Receipt.effect(quantity);
                        movement_rows.push(stock_movements::ActiveModel {
                            id: NotSet,
                            variant_id: Set(next_variant_id),
                            warehouse_id: Set(*warehouse),
                            kind: Set(MovementKind::Receipt.as_str().into()),
                            on_hand_delta: Set(receipt.on_hand),
                            reserved_delta: Set(receipt.reserved),
                            order_id: Set(None),
                            reason: Set("demo stock".into()),
                            actor_user_id: Set(None),
                            created_at: Set(now),
                        });
                    }
                }
            }
            let picture = &pictures[&(leaf.shape, colour.hex)];
            photo_rows.push(photos::ActiveModel {
                id: NotSet,
                product_id: Set(product_id),
                media_key: Set(picture.key.clone()),
                position: Set(ci as i32),
                alt_ru: Set(format!("{}, цвет: {}", name_ru, colour.ru.to_lowercase())),
                alt_en: Set(format!("{}, colour: {}", name_en, colour.en.to_lowercase())),
                option_value: Set(Some(slugify(colour.en))),
            });
        }
    }

    for chunk in product_rows.chunks(CHUNK) {
        products::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for chunk in variant_rows.chunks(CHUNK) {
        variants::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for chunk in stock_rows.chunks(CHUNK) {
        stock::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for chunk in movement_rows.chunks(CHUNK) {
        stock_movements::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for chunk in photo_rows.chunks(CHUNK) {
        photos::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    if believable {
        // Hand-picked looking links: the next two products of a sibling category.
        let mut links = Vec::new();
        for (i, (id, _)) in product_ids.iter().enumerate() {
            for step in [1usize, 14] {
                if let Some((other, _)) = product_ids.get((i + step) % product_ids.len()) {
                    if other != id {
                        links.push(related_products::ActiveModel {
                            product_id: Set(*id),
                            related_id: Set(*other),
                            position: Set(step as i32),
                        });
                    }
                }
            }
        }
        for chunk in links.chunks(CHUNK) {
            related_products::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
    }
    sync_sequences(&txn).await?;
    txn.commit().await?;
    Ok(count)
}

async fn max_id(db: &impl ConnectionTrait, table: &str) -> anyhow::Result<i64> {
    use sea_orm::{FromQueryResult, Statement};
    #[derive(FromQueryResult)]
    struct Max {
        max: Option<i64>,
    }
    let row = Max::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT MAX(id) AS max FROM {table}"),
    ))
    .one(db)
    .await?;
    Ok(row.and_then(|r| r.max).unwrap_or(0))
}

/// PostgreSQL sequences do not see explicitly given ids; move them past the maximum.
async fn sync_sequences(db: &impl ConnectionTrait) -> anyhow::Result<()> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    for table in ["products", "variants"] {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
        ))
        .await?;
    }
    Ok(())
}

async fn seed_info_pages(db: &impl ConnectionTrait) -> anyhow::Result<()> {
    let pages = [
        ("delivery", "Доставка", "Delivery",
         "Доставляем курьером по Москве и Санкт-Петербургу на следующий день, в пункты выдачи и Почтой России — по всей стране.\n\nПри заказе от 5 000 ₽ доставка бесплатная. Срок и стоимость для вашего адреса видны в корзине до оплаты.",
         "Courier delivery in Moscow and Saint Petersburg the next day; pickup points and Russian Post across the country.\n\nDelivery is free for orders from RUB 5,000. The date and price for your address are shown in the cart before you pay."),
        ("payment", "Оплата", "Payment",
         "Оплачивайте картой на сайте, при получении — наличными или картой, а компании — по счёту.\n\nДоступна покупка в рассрочку: ежемесячный платёж виден в корзине.",
         "Pay by card online, in cash or by card on delivery; companies can pay by bank invoice.\n\nInstalments are available: the monthly payment is shown in the cart."),
        ("returns", "Возврат", "Returns",
         "Вернуть товар надлежащего качества можно в течение 14 дней, если сохранены вид и ярлыки.\n\nОформите возврат в личном кабинете или позвоните нам — деньги вернём тем же способом, которым вы платили.",
         "Goods in their original condition with labels can be returned within 14 days.\n\nStart a return in your account or call us; the money goes back the way you paid."),
        ("contacts", "Контакты", "Contacts",
         "Телефон: +7 495 123-45-67, ежедневно с 9:00 до 21:00.\n\nШоурум: Москва, ул. Примерная, 1. Telegram: @lavka_shop.",
         "Phone: +7 495 123-45-67, daily 9:00–21:00.\n\nShowroom: Moscow, Primernaya St. 1. Telegram: @lavka_shop."),
    ];
    for (position, (slug, title_ru, title_en, body_ru, body_en)) in pages.into_iter().enumerate() {
        if info_pages::Entity::find_by_id(slug)
            .one(db)
            .await?
            .is_some()
        {
            continue;
        }
        info_pages::Entity::insert(info_pages::ActiveModel {
            slug: Set(slug.into()),
            title_ru: Set(title_ru.into()),
            title_en: Set(title_en.into()),
            body_ru: Set(body_ru.into()),
            body_en: Set(body_en.into()),
            position: Set(position as i32),
            updated_at: Set(Utc::now()),
        })
        .exec(db)
        .await?;
    }
    Ok(())
}
