//! Demo data: shop settings and one staff login per role, so a fresh shop can
//! be tried at once. Idempotent: running it again changes nothing that exists.
use app::domain::accounts::Role;
use app::server::accounts::{create_user, find_by_email, NewAccount};
use app::server::admin::{record, Actor};
use app::server::settings;
use sea_orm::DatabaseConnection;

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
