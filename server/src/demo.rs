//! Demo data: shop settings and one staff login per role, so a fresh shop can
//! be tried at once. Idempotent: running it again changes nothing that exists.
use app::domain::accounts::Role;
use app::domain::delivery::parse_rates;
use app::server::accounts::{create_user, find_by_email, NewAccount};
use app::server::admin::{record, Actor};
use app::server::entities::{delivery_methods, pickup_points, promotions};
use app::server::settings;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};

/// The demo staff logins printed at start-up (never use these in production).
pub const DEMO_STAFF: [(&str, Role, &str); 4] = [
    ("admin@lavka.local", Role::Admin, "lavka-demo-pass"),
    ("manager@lavka.local", Role::Manager, "lavka-demo-pass"),
    ("operator@lavka.local", Role::Operator, "lavka-demo-pass"),
    ("warehouse@lavka.local", Role::Warehouse, "lavka-demo-pass"),
];

pub async fn load(db: &DatabaseConnection) -> anyhow::Result<()> {
    let shop = settings::load(db).await?;
    if shop.phone.is_empty() {
        settings::save(
            db,
            &[
                ("shop.name", "Лавка".into()),
                (
                    "shop.tagline_ru",
                    "Одежда, обувь и товары для дома с доставкой по всей России".into(),
                ),
                (
                    "shop.tagline_en",
                    "Clothing, shoes and home goods delivered across Russia".into(),
                ),
                ("shop.phone", "+7 495 123-45-67".into()),
                ("shop.email", "hello@lavka.local".into()),
                ("shop.address", "Москва, ул. Примерная, 1".into()),
                ("shop.telegram", "@lavka_shop".into()),
                ("shop.whatsapp", "+7 900 123-45-67".into()),
                ("shop.currency", "RUB".into()),
                ("shop.free_delivery_from", "5000".into()),
            ],
        )
        .await?;
    }
    if settings::value(db, "shop.legal_name").await?.is_none() {
        // A made-up seller with numbers of the right shape, for demo invoices.
        settings::save(
            db,
            &[
                ("shop.legal_name", "ООО «Лавка»".into()),
                ("shop.inn", "7707083893".into()),
                ("shop.kpp", "773601001".into()),
                ("shop.bank", "ПАО «Демо Банк», г. Москва".into()),
                ("shop.bik", "044525000".into()),
                ("shop.account", "40702810900000000001".into()),
                ("shop.corr_account", "30101810400000000225".into()),
            ],
        )
        .await?;
    }
    if promotions::Entity::find().count(db).await? == 0 {
        load_promotions(db).await?;
    }
    if pickup_points::Entity::find().count(db).await? == 0 {
        load_pickup_points(db).await?;
    }
    load_courier_rates(db).await?;
    for (email, role, password) in DEMO_STAFF {
        if find_by_email(db, email).await?.is_some() {
            continue;
        }
        let name = format!("Demo {}", role.as_str());
        let form = NewAccount::validate(email, password, &name, "", role)
            .map_err(|e| anyhow::anyhow!("demo user {email}: {e}"))?;
        let user = create_user(db, form)
            .await
            .map_err(|e| anyhow::anyhow!("demo user {email}: {e}"))?;
        record(
            db,
            Actor::Cli,
            "user.create",
            "user",
            &user.id.to_string(),
            None,
            Some(
                serde_json::json!({ "email": email, "role": role.as_str(), "source": "demo-data" }),
            ),
        )
        .await
        .map_err(|e| anyhow::anyhow!("audit: {e}"))?;
    }
    Ok(())
}

/// Courier prices by city and weight, and try-on at the door (CHK-2), unless
/// the shop has set its own rates.
async fn load_courier_rates(db: &DatabaseConnection) -> anyhow::Result<()> {
    let Some(courier) = delivery_methods::Entity::find()
        .filter(delivery_methods::Column::Code.eq("courier"))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    if courier.rates != "[]" {
        return Ok(());
    }
    let rates = parse_rates(
        "Москва; 10; 390\nМосква; 30; 690\nСанкт-Петербург; 10; 490\n*; 10; 790\n*; 30; 1190",
    )
    .map_err(|line| anyhow::anyhow!("demo courier rates, line {line}"))?;
    let mut model: delivery_methods::ActiveModel = courier.into();
    model.rates = Set(serde_json::to_string(&rates)?);
    model.try_on = Set(true);
    model.update(db).await?;
    // Parcels of the demo's carrier methods move through the sandbox carrier (LOG-2).
    delivery_methods::Entity::update_many()
        .col_expr(delivery_methods::Column::Carrier, Expr::value("sandbox"))
        .filter(delivery_methods::Column::Code.is_in(["courier", "pickup", "post"]))
        .filter(delivery_methods::Column::Carrier.eq(""))
        .exec(db)
        .await?;
    Ok(())
}

/// Two promo codes to try in the cart (LOY-2): 10 % off a first order from
/// 2,000 ₽ (once per customer) and free delivery from 3,000 ₽.
async fn load_promotions(db: &DatabaseConnection) -> anyhow::Result<()> {
    let codes = [
        (
            "WELCOME10",
            "Скидка 10% на первый заказ",
            "10% off your first order",
            "percent",
            Some(10),
            None,
            200_000,
            Some(1),
        ),
        (
            "FREESHIP",
            "Бесплатная доставка",
            "Free delivery",
            "free_delivery",
            None,
            None,
            300_000,
            None,
        ),
    ];
    for (code, ru, en, kind, percent, amount, min_order, per_customer) in codes {
        promotions::ActiveModel {
            name_ru: Set(ru.into()),
            name_en: Set(en.into()),
            code: Set(Some(code.into())),
            kind: Set(kind.into()),
            percent: Set(percent),
            amount_minor: Set(amount),
            min_order_minor: Set(Some(min_order)),
            per_customer_limit: Set(per_customer),
            category_ids: Set(String::new()),
            product_ids: Set(String::new()),
            active: Set(true),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Pickup points of the demo shop's "Pickup point" delivery (LOG-1).
async fn load_pickup_points(db: &DatabaseConnection) -> anyhow::Result<()> {
    let points = [
        (
            "msk-tverskaya",
            "Лавка на Тверской",
            "Москва",
            "ул. Тверская, 12",
            "10:00–22:00",
            55.7652,
            37.6050,
        ),
        (
            "msk-arbat",
            "Пункт выдачи «Арбат»",
            "Москва",
            "ул. Арбат, 24",
            "09:00–21:00",
            55.7500,
            37.5930,
        ),
        (
            "msk-sokol",
            "Постамат у метро Сокол",
            "Москва",
            "Ленинградский пр., 75",
            "круглосуточно",
            55.8050,
            37.5150,
        ),
        (
            "spb-nevsky",
            "Пункт выдачи «Невский»",
            "Санкт-Петербург",
            "Невский пр., 48",
            "10:00–21:00",
            59.9343,
            30.3351,
        ),
        (
            "ekb-lenina",
            "Пункт выдачи «Ленина»",
            "Екатеринбург",
            "пр. Ленина, 50",
            "10:00–20:00",
            56.8380,
            60.6057,
        ),
    ];
    for (code, name, city, address, hours, lat, lon) in points {
        pickup_points::ActiveModel {
            code: Set(code.into()),
            method_code: Set("pickup".into()),
            name: Set(name.into()),
            city: Set(city.into()),
            address: Set(address.into()),
            hours: Set(hours.into()),
            latitude: Set(Some(lat)),
            longitude: Set(Some(lon)),
            active: Set(true),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
