use app::domain::accounts::Role;
use app::server::accounts::{create_user, NewAccount};
use app::server::admin::{record, Actor};
use app::server::AppState;
use axum::serve::ListenerExt;
use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
use server::{config::Settings, db, demo, demo_catalog, demo_orders, http};
use std::net::SocketAddr;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "server", about = "Lavka online shop server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the shop (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create a user; prints a generated password unless LAVKA_PASSWORD is set.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "customer")]
        role: Role,
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Only send the notification outbox (a worker beside `serve` instances
    /// started with LAVKA_OUTBOX_WORKER=off).
    Notify,
    /// Load demo settings, staff logins and the demo catalog (idempotent).
    DemoData {
        /// Also add this many synthetic products (load tests).
        #[arg(long, default_value_t = 0)]
        products: usize,
        /// Also add this many CRM customers (load tests).
        #[arg(long, default_value_t = 0)]
        customers: usize,
        /// Also add a two-year history of this many closed orders of those
        /// customers (load tests; needs --customers).
        #[arg(long, default_value_t = 0)]
        orders: usize,
    },
}

// Many small short-lived allocations per rendered page; mimalloc serves them
// faster than glibc's malloc. The `system-allocator` feature leaves it out,
// for heap profilers that see only malloc (`make bench-heap`).
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's defaults keep what the program frees: on Linux its arenas are
/// committed up front, and freed pages are purged only after a delay, on a
/// later allocation. Building the catalog snapshot frees a few hundred MB of
/// scratch at once, which an idle server then kept (issue 7, server RSS).
/// Committing on demand and purging at once cost no throughput measurable
/// above this machine's noise on the catalog pages; a page rendered every
/// time was about 13 % slower in two A/B pairs (BENCHMARKS.md). mimalloc
/// reads its options from the environment when the process starts, before
/// `main` (its first arena is made then), so the server starts itself again
/// with them once; values already set win.
///
/// SQLite allocates with glibc's malloc, on a thread per pooled connection,
/// and glibc gives each thread an arena of its own (up to 8 per core) that
/// keeps what it freed. Under the staff order queue over 100,000 orders that
/// was 14–16 MB more at the peak than with two arenas, at the same requests/s
/// (20 MB in `make bench`; BENCHMARKS.md, 2026-11-28 afternoon).
#[cfg(all(unix, not(feature = "system-allocator")))]
fn tune_allocator() {
    use std::os::unix::process::CommandExt;
    const SETTINGS: [(&str, &str); 3] = [
        ("MIMALLOC_ARENA_EAGER_COMMIT", "0"),
        ("MIMALLOC_PURGE_DELAY", "0"),
        ("MALLOC_ARENA_MAX", "2"),
    ];
    let missing: Vec<(&str, &str)> = SETTINGS
        .into_iter()
        .filter(|(name, _)| std::env::var_os(name).is_none())
        .collect();
    if missing.is_empty() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let mut args = std::env::args_os();
    let mut again = std::process::Command::new(exe);
    if let Some(name) = args.next() {
        again.arg0(name);
    }
    // `exec` returns only if it failed; then the server runs as it is.
    let error = again.args(args).envs(missing).exec();
    eprintln!(
        "running with the allocators' default settings: cannot restart with others ({error})"
    );
}

#[cfg(any(not(unix), feature = "system-allocator"))]
fn tune_allocator() {}

fn main() -> anyhow::Result<()> {
    tune_allocator();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let settings = Settings::from_env()?;
    let db = db::connect(&settings.database_url).await?;
    db::migrate(&db, &settings.database_url).await?;

    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => println!("database is up to date"),
        Command::DemoData {
            products,
            customers,
            orders,
        } => {
            demo::load(&db).await?;
            demo_catalog::load_demo(&db, &settings.app.media_dir).await?;
            if products > 0 {
                demo_catalog::load_synthetic(&db, &settings.app.media_dir, products).await?;
            }
            if customers > 0 || orders > 0 {
                let loaded = demo_orders::load(&db, customers, orders).await?;
                println!(
                    "order history: {} customers, {} orders",
                    loaded.customers, loaded.orders
                );
            }
            print_demo_logins();
        }
        Command::CreateUser { email, role, name } => {
            let (password, generated) = match std::env::var("LAVKA_PASSWORD") {
                Ok(p) if !p.is_empty() => (p, false),
                _ => (generate_password(), true),
            };
            let form = NewAccount::validate(&email, &password, &name, "", role)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let user = create_user(&db, form)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            record(
                &db,
                Actor::Cli,
                "user.create",
                "user",
                &user.id.to_string(),
                None,
                Some(serde_json::json!({ "email": user.email, "role": user.role })),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("created {} ({})", user.email, user.role);
            if generated {
                println!("password: {password}");
            }
        }
        Command::Notify => {
            let (notifier, poll) = notifier(&settings)?;
            println!("sending notifications: {:?}", notifier.channels());
            tokio::select! {
                _ = server::notifier::run(db, notifier, poll) => {}
                _ = shutdown_signal() => {}
            }
        }
        Command::Serve => serve(settings, db).await?,
    }
    Ok(())
}

fn generate_password() -> String {
    use rand::{distributions::Alphanumeric, Rng};
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(16)
        .map(char::from)
        .collect()
}

fn print_demo_logins() {
    println!("demo staff logins (password after the colon):");
    for (email, role, password) in demo::DEMO_STAFF {
        println!("  {role:<9} {email} : {password}");
    }
}

async fn serve(settings: Settings, db: sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    let mut options = get_configuration(None)?.leptos_options;
    options.site_addr = settings.site_addr;
    // cargo-leptos hashes asset names at build time; follow it unless told otherwise.
    if std::env::var("LEPTOS_HASH_FILES").is_err() {
        options.hash_files = option_env!("LEPTOS_HASH_FILES") == Some("true");
    }
    let state = AppState::new(db, settings.app.clone());
    spawn_housekeeping(state.clone());
    spawn_stock_reread(state.clone());
    spawn_reservation_release(state.clone());
    spawn_tracking(state.clone());
    // Refunds of online payments go to the provider every LAVKA_REFUND_POLL_SECS (default 10).
    let refund_poll = std::env::var("LAVKA_REFUND_POLL_SECS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(10)
        .max(1);
    tokio::spawn(server::refunds::run(
        state.clone(),
        Duration::from_secs(refund_poll),
    ));
    if std::env::var("LAVKA_OUTBOX_WORKER").as_deref() != Ok("off") {
        let (notifier, poll) = notifier(&settings)?;
        tokio::spawn(server::notifier::run(state.db.clone(), notifier, poll));
    }
    let app = http::router(state, options);
    // Nagle's algorithm plus delayed ACKs would hold multi-segment responses for 40 ms.
    let listener = tokio::net::TcpListener::bind(settings.site_addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.site_addr))?
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    println!("Lavka is running at {}", settings.app.base_url);
    tracing::info!(addr = %settings.site_addr, "listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

/// The outbox sender, with its lease (LAVKA_OUTBOX_LEASE_SECS, default 120)
/// and polling interval (LAVKA_OUTBOX_POLL_MS, default 2000).
fn notifier(settings: &Settings) -> anyhow::Result<(server::notifier::Notifier, Duration)> {
    let number = |key: &str, default: u64| {
        std::env::var(key)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(default)
    };
    let lease = chrono::Duration::seconds(number("LAVKA_OUTBOX_LEASE_SECS", 120) as i64);
    let poll = Duration::from_millis(number("LAVKA_OUTBOX_POLL_MS", 2000));
    Ok((
        server::notifier::Notifier::new(&settings.app.notify, lease)?,
        poll,
    ))
}

/// Re-reads every stock level once a [`app::server::catalog::FULL_STOCK_READ`],
/// outside any request (CAT-1: what the storefront shows as in stock).
fn spawn_stock_reread(state: AppState) {
    tokio::spawn(async move {
        let period = app::server::catalog::FULL_STOCK_READ;
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        loop {
            tick.tick().await;
            if let Err(e) = state.catalog.read_all_stock(&state.db).await {
                tracing::warn!(error = %e, "re-reading the stock levels failed");
            }
        }
    });
}

/// Deletes expired sessions and old login attempts every ten minutes.
fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            match app::server::accounts::purge_expired(&state, chrono::Utc::now()).await {
                Ok(n) if n > 0 => {
                    tracing::info!(rows = n, "purged expired sessions and login attempts")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
            }
        }
    });
}

/// Every minute, cancels unpaid card orders older than
/// `LAVKA_UNPAID_ORDER_MINUTES` (default 30) and returns their stock.
fn spawn_reservation_release(state: AppState) {
    let minutes = std::env::var("LAVKA_UNPAID_ORDER_MINUTES")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|m| *m > 0)
        .unwrap_or(30);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            let timeout = chrono::Duration::minutes(minutes);
            match app::server::reservations::release_unpaid(&state, timeout, chrono::Utc::now())
                .await
            {
                Ok(n) if n > 0 => {
                    tracing::info!(orders = n, "unpaid orders cancelled, stock returned")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "releasing unpaid orders failed"),
            }
        }
    });
}

/// Asks the carriers about shipped parcels every `LAVKA_TRACKING_POLL_SECS`
/// (default 300). The sandbox carrier moves a parcel one status every
/// `LAVKA_SANDBOX_CARRIER_STEP_SECS` (default 3600) and, like a real API,
/// fails one request in `LAVKA_SANDBOX_CARRIER_FAIL_EVERY` (default 10; 0: never).
fn spawn_tracking(state: AppState) {
    let number = |key: &str, default: u64| {
        std::env::var(key)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(default)
    };
    let poll = Duration::from_secs(number("LAVKA_TRACKING_POLL_SECS", 300).max(1));
    let sandbox = app::server::tracking::SandboxCarrier::new(
        number("LAVKA_SANDBOX_CARRIER_STEP_SECS", 3600).max(1) as i64,
        number("LAVKA_SANDBOX_CARRIER_FAIL_EVERY", 10),
    );
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(poll);
        loop {
            tick.tick().await;
            match app::server::tracking::poll(&state, &[&sandbox], chrono::Utc::now()).await {
                Ok(report) if report.recorded > 0 => tracing::info!(
                    statuses = report.recorded,
                    delivered = report.delivered.len(),
                    "parcel tracking updated"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "parcel tracking failed"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
