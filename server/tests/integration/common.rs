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

/// Sets what is for sale of a variant in one warehouse (zero elsewhere)
/// through the stock ledger, as the product form would, and refreshes the
/// catalog.
pub async fn set_stock(state: &AppState, variant_id: i64, warehouse_id: i64, units: i32) {
    use app::server::entities::stock;
    use app::server::stock_ledger::{set_available, Why};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let txn = app::server::begin_write(&state.db).await.unwrap();
    let why = Why {
        order_id: None,
        reason: "test set-up",
        actor: None,
        at: chrono::Utc::now(),
    };
    let rows = stock::Entity::find()
        .filter(stock::Column::VariantId.eq(variant_id))
        .all(&txn)
        .await
        .unwrap();
    for row in rows.iter().filter(|r| r.warehouse_id != warehouse_id) {
        set_available(&txn, variant_id, row.warehouse_id, 0, why)
            .await
            .unwrap()
            .unwrap();
    }
    set_available(&txn, variant_id, warehouse_id, units, why)
        .await
        .unwrap()
        .unwrap();
    txn.commit().await.unwrap();
    app::server::catalog::bump_version(&state.db).await.unwrap();
    state.catalog.invalidate();
}

/// The ledger invariant (WMS-1), checked in SQL over every stock row: on
/// hand is the sum of the movements' on-hand changes, reserved (on hand −
/// for sale) the sum of their reserved changes and of the open reservations,
/// and nothing is negative.
pub async fn assert_ledger_balances(db: &DatabaseConnection) {
    use sea_orm::{FromQueryResult, Statement};
    #[derive(Debug, FromQueryResult)]
    struct Broken {
        variant_id: i64,
        warehouse_id: i64,
        on_hand: i32,
        quantity: i32,
        ledger_on_hand: i64,
        ledger_reserved: i64,
        open_reserved: i64,
    }
    let sql = "SELECT s.variant_id, s.warehouse_id, s.on_hand, s.quantity, \
         COALESCE((SELECT SUM(m.on_hand_delta) FROM stock_movements m \
                   WHERE m.variant_id = s.variant_id AND m.warehouse_id = s.warehouse_id), 0) AS ledger_on_hand, \
         COALESCE((SELECT SUM(m.reserved_delta) FROM stock_movements m \
                   WHERE m.variant_id = s.variant_id AND m.warehouse_id = s.warehouse_id), 0) AS ledger_reserved, \
         COALESCE((SELECT SUM(r.quantity) FROM stock_reservations r \
                   WHERE r.variant_id = s.variant_id AND r.warehouse_id = s.warehouse_id), 0) AS open_reserved \
         FROM stock s";
    let rows = Broken::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await
        .unwrap();
    assert!(!rows.is_empty(), "no stock rows to check");
    let broken: Vec<&Broken> = rows
        .iter()
        .filter(|r| {
            let reserved = (r.on_hand - r.quantity) as i64;
            r.on_hand as i64 != r.ledger_on_hand
                || reserved != r.ledger_reserved
                || reserved != r.open_reserved
                || r.quantity < 0
        })
        .collect();
    assert!(broken.is_empty(), "stock and ledger disagree: {broken:?}");
}
