//! Checkout throughput (CHK-4): orders placed per second through the real
//! order service (re-pricing, promo and stock checks, reservation, order
//! rows, outbox messages, one transaction each) on SQLite and PostgreSQL, the
//! latency of placing one, and a race for the last units that must end with
//! zero oversell. Run with `make bench-checkout` (starts a throwaway
//! PostgreSQL); prints a table and writes bench-checkout.json.
//!
//! Environment: BENCH_SECONDS (10), BENCH_CONCURRENCY (16),
//! LAVKA_BENCH_POSTGRES_URL (an admin URL; without it only SQLite runs).
use app::api::checkout::PlaceOutcome;
use app::domain::cart::StoredCart;
use app::domain::checkout::CheckoutForm;
use app::domain::money::Lang;
use app::server::entities::stock;
use app::server::orders::{self, Request};
use app::server::{AppState, Config, NotifyConfig};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, QueryFilter};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Variants the throughput phase spreads its orders over.
const HOT_VARIANTS: usize = 20;
/// Units in the race, and the shoppers racing for them.
const RACE_UNITS: i32 = 100;
const RACE_SHOPPERS: usize = 400;

fn env_number(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn shop(url: &str) -> AppState {
    let db = server::db::connect(url).await.expect("connect");
    server::db::migrate(&db, url).await.expect("migrate");
    let media = std::env::var("LAVKA_MEDIA_DIR")
        .map(Into::into)
        .unwrap_or_else(|_| std::env::temp_dir().join("lavka-bench-media"));
    server::demo::load(&db).await.expect("demo settings");
    server::demo_catalog::load_demo(&db, &media)
        .await
        .expect("demo catalog");
    let config = Config {
        base_url: "http://127.0.0.1:3000".into(),
        trust_proxy: false,
        sessions: Default::default(),
        login_throttle: Default::default(),
        media_dir: media,
        payment_secret: "bench".into(),
        notify: NotifyConfig::default(),
    };
    AppState::new(db, config)
}

/// Ordinary (not made-to-order) variants, with `units` each in one warehouse.
async fn stock_up(state: &AppState, count: usize, skip: usize, units: i32) -> Vec<i64> {
    let snap = state.catalog.get(&state.db).await.unwrap();
    let variants: Vec<i64> = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .filter(|v| v.backorder_days.is_none() && v.stock.get() > 0)
        .map(|v| v.id)
        .skip(skip)
        .take(count)
        .collect();
    // Through the ledger, as staff would, so the bench's stock adds up too.
    let txn = app::server::begin_write(&state.db).await.unwrap();
    let why = app::server::stock_ledger::Why {
        order_id: None,
        reason: "bench set-up",
        actor: None,
        at: chrono::Utc::now(),
    };
    for &id in &variants {
        let rows = stock::Entity::find()
            .filter(stock::Column::VariantId.eq(id))
            .all(&txn)
            .await
            .unwrap();
        for (i, row) in rows.iter().enumerate() {
            let wanted = if i == 0 { units } else { 0 };
            app::server::stock_ledger::set_available(&txn, id, row.warehouse_id, wanted, why)
                .await
                .unwrap()
                .unwrap();
        }
    }
    txn.commit().await.unwrap();
    app::server::catalog::bump_version(&state.db).await.unwrap();
    state.catalog.invalidate();
    variants
}

async fn units_left(state: &AppState, variant: i64) -> i64 {
    stock::Entity::find()
        .filter(stock::Column::VariantId.eq(variant))
        .all(&state.db)
        .await
        .unwrap()
        .iter()
        .map(|s| s.quantity as i64)
        .sum()
}

async fn place(state: &AppState, key: String, variant: i64, n: u64) -> PlaceOutcome {
    let snap = state.catalog.get(&state.db).await.unwrap();
    let mut cart = StoredCart::default();
    cart.add(variant, 1);
    let form = CheckoutForm {
        name: "Bench Buyer".into(),
        phone: format!(
            "+7 916 {:03}-{:02}-{:02}",
            n % 1000,
            (n / 1000) % 100,
            n % 97
        ),
        email: format!("buyer{n}@example.com"),
        delivery: "courier".into(),
        city: "Москва".into(),
        address: "ул. Примерная, 1".into(),
        payment: "cash_on_delivery".into(),
        ..Default::default()
    };
    let request = Request {
        key,
        cart,
        choices: Default::default(),
        form,
        lang: Lang::Ru,
    };
    orders::place(state, &snap, None, &request)
        .await
        .expect("no server error")
}

struct Figures {
    engine: &'static str,
    orders: u64,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    race_placed: u64,
    race_sold_out: u64,
    race_left: i64,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

async fn run(engine: &'static str, url: &str, seconds: u64, concurrency: usize) -> Figures {
    let state = shop(url).await;
    let hot = Arc::new(stock_up(&state, HOT_VARIANTS, 0, 1_000_000).await);
    let counter = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..concurrency)
        .map(|w| {
            let (state, hot, counter) = (state.clone(), hot.clone(), counter.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let n = counter.fetch_add(1, Ordering::Relaxed);
                    let variant = hot[(n as usize + w) % hot.len()];
                    let started = Instant::now();
                    let outcome =
                        place(&state, format!("bench-{engine}-{n:012}"), variant, n).await;
                    assert!(
                        matches!(outcome, PlaceOutcome::Placed { .. }),
                        "{outcome:?}"
                    );
                    latencies.push(started.elapsed());
                }
                latencies
            })
        })
        .collect();
    let started = Instant::now();
    let mut latencies = Vec::new();
    for w in workers {
        latencies.extend(w.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();

    // The race: many more shoppers than units, all at once.
    let last = stock_up(&state, 1, HOT_VARIANTS, RACE_UNITS).await[0];
    let racers: Vec<_> = (0..RACE_SHOPPERS)
        .map(|i| {
            let state = state.clone();
            tokio::spawn(async move {
                place(
                    &state,
                    format!("race-{engine}-{i:08}"),
                    last,
                    900_000 + i as u64,
                )
                .await
            })
        })
        .collect();
    let (mut placed, mut sold_out) = (0, 0);
    for r in racers {
        match r.await.unwrap() {
            PlaceOutcome::Placed { .. } => placed += 1,
            PlaceOutcome::OutOfStock(_) | PlaceOutcome::CartChanged(_) => sold_out += 1,
            other => panic!("{other:?}"),
        }
    }
    let left = units_left(&state, last).await;
    assert_eq!(placed, RACE_UNITS as u64, "exactly the units there were");
    assert_eq!(left, 0, "stock never below zero");
    Figures {
        engine,
        orders: latencies.len() as u64,
        per_second: latencies.len() as f64 / elapsed,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: percentile(&latencies, 1.0),
        race_placed: placed,
        race_sold_out: sold_out,
        race_left: left,
    }
}

async fn postgres_database(admin_url: &str) -> String {
    let admin = Database::connect(admin_url)
        .await
        .expect("postgres reachable");
    let name = format!("lavka_bench_{}", std::process::id());
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    format!("{base}/{name}")
}

#[tokio::main]
async fn main() {
    let seconds = env_number("BENCH_SECONDS", 10);
    let concurrency = env_number("BENCH_CONCURRENCY", 16) as usize;
    let dir = std::env::temp_dir().join(format!("lavka-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut figures = vec![
        run(
            "sqlite",
            &format!("sqlite://{}", dir.join("checkout.db").display()),
            seconds,
            concurrency,
        )
        .await,
    ];
    if let Ok(admin) = std::env::var("LAVKA_BENCH_POSTGRES_URL") {
        let url = postgres_database(&admin).await;
        figures.push(run("postgres", &url, seconds, concurrency).await);
    }
    let _ = std::fs::remove_dir_all(&dir);

    println!(
        "| engine | orders | orders/s | p50 ms | p99 ms | max ms | race: placed / sold out / left |"
    );
    println!("|---|---:|---:|---:|---:|---:|---|");
    let mut json = Vec::new();
    for f in &figures {
        println!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {} / {} / {} |",
            f.engine,
            f.orders,
            f.per_second,
            f.p50_ms,
            f.p99_ms,
            f.max_ms,
            f.race_placed,
            f.race_sold_out,
            f.race_left
        );
        json.push(serde_json::json!({
            "engine": f.engine, "orders": f.orders, "orders_per_second": f.per_second,
            "p50_ms": f.p50_ms, "p99_ms": f.p99_ms, "max_ms": f.max_ms,
            "race": { "units": RACE_UNITS, "shoppers": RACE_SHOPPERS,
                      "placed": f.race_placed, "sold_out": f.race_sold_out, "left": f.race_left },
        }));
    }
    println!(
        "\n{concurrency} concurrent checkouts for {seconds} s per engine, one line each; race: {RACE_SHOPPERS} shoppers for {RACE_UNITS} units."
    );
    std::fs::write(
        "bench-checkout.json",
        serde_json::to_string_pretty(&serde_json::json!({
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            "seconds": seconds, "concurrency": concurrency, "engines": json,
        }))
        .unwrap(),
    )
    .unwrap();
}
