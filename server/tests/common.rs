//! Test databases: a fresh SQLite file per test, or — when
//! `LAVKA_TEST_POSTGRES_URL` points at a PostgreSQL server — a fresh database
//! on it. Both are real engines; nothing is mocked.
#![allow(dead_code)]
use app::domain::accounts::{LoginThrottle, Role, SessionPolicy};
use app::server::accounts::{create_user, AuthUser, NewAccount};
use app::server::{AppState, Config};
use rand::Rng;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

pub async fn fresh_db() -> (DatabaseConnection, String) {
    let tag: u64 = rand::thread_rng().gen();
    let url = match std::env::var("LAVKA_TEST_POSTGRES_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let admin = Database::connect(admin_url.clone())
                .await
                .expect("postgres reachable");
            let name = format!("lavka_test_{tag:x}");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            format!("{base}/{name}")
        }
        _ => {
            let path = std::env::temp_dir().join(format!("lavka-test-{tag:x}.db"));
            format!("sqlite://{}", path.display())
        }
    };
    let db = server::db::connect(&url).await.expect("connect");
    server::db::migrate(&db, &url).await.expect("migrate");
    (db, url)
}

pub fn config() -> Config {
    Config {
        base_url: "http://127.0.0.1:3000".into(),
        trust_proxy: false,
        sessions: SessionPolicy::default(),
        login_throttle: LoginThrottle::default(),
        media_dir: std::env::temp_dir().join(format!(
            "lavka-test-media-{:x}",
            rand::thread_rng().gen::<u64>()
        )),
        payment_secret: "test payment secret".into(),
        notify: Default::default(),
    }
}

pub async fn state() -> AppState {
    let (db, _) = fresh_db().await;
    AppState::new(db, config())
}

/// The whole HTTP stack in-process, on a fresh database.
pub async fn router() -> (axum::Router, AppState) {
    let state = state().await;
    let options = leptos::config::LeptosOptions::builder()
        .output_name("lavka")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    (server::http::router(state.clone(), options), state)
}

pub async fn user(db: &DatabaseConnection, email: &str, password: &str, role: Role) -> AuthUser {
    let form = NewAccount::validate(email, password, "", "", role).expect("valid form");
    create_user(db, form).await.expect("user created")
}

/// Demo pictures, drawn by the first test that needs them and reused by the rest.
pub fn shared_media_dir() -> std::path::PathBuf {
    std::env::temp_dir().join("lavka-test-media")
}

/// A fresh database with the demo settings and the demo catalog.
pub async fn demo_state() -> AppState {
    let mut config = config();
    config.media_dir = shared_media_dir();
    let (db, _) = fresh_db().await;
    server::demo::load(&db).await.expect("demo settings");
    server::demo_catalog::load_demo(&db, &config.media_dir)
        .await
        .expect("demo catalog");
    AppState::new(db, config)
}

/// A guest's order of one unit of an ordinary in-stock variant, in English;
/// returns its number and private token.
pub async fn guest_order(
    state: &AppState,
    key: &str,
    form: app::domain::checkout::CheckoutForm,
) -> (String, String) {
    use app::api::checkout::PlaceOutcome;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let variant = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .find(|v| v.stock.get() >= 3 && v.backorder_days.is_none())
        .unwrap();
    let mut cart = app::domain::cart::StoredCart::default();
    cart.add(variant.id, 1);
    let request = app::server::orders::Request {
        key: key.into(),
        cart,
        choices: Default::default(),
        form,
        lang: app::domain::money::Lang::En,
    };
    match app::server::orders::place(state, &snap, None, &request)
        .await
        .unwrap()
    {
        PlaceOutcome::Placed { number, token } => (number, token),
        other => panic!("{other:?}"),
    }
}
