//! Micro-benchmarks of the pure rules (issue 7, item 5), so that a slower
//! pricing, facet count or state machine shows up before it reaches a page:
//! - pricing (CART-8): a three-line cart with a promo code and delivery, and
//!   a 40-line cart with three category discounts;
//! - facet counting (CAT-2): the listing over 10,000 products, unfiltered and
//!   with two filters and a price cap, as the category page runs it;
//! - the order state machine (ORD-2): every action by every role from every
//!   status, and the buttons each role sees.
//!
//! Run with `make bench-micro` (`scripts/bench-micro.sh`).
use app::domain::accounts::Role;
use app::domain::catalog::listing::{run, FacetValues, ListingIndex, ListingQuery, Sort};
use app::domain::checkout::{OrderStatus, PaymentMethod};
use app::domain::orders::{
    available_actions, transition, ActionInput, Actor, OrderAction, OrderFacts,
};
use app::domain::pricing::{price, Delivery, Discount, DiscountKind, Line, Scope};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;

fn line(i: i64) -> Line {
    Line {
        variant_id: i,
        product_id: i / 2,
        category_id: i % 5,
        unit_price: Decimal::new(99_900 + i * 1_250, 2),
        quantity: 1 + (i % 3) as u32,
    }
}

fn pricing(c: &mut Criterion) {
    let delivery = Delivery {
        price: Decimal::new(39_000, 2),
        free_from: Some(Decimal::new(500_000, 2)),
    };
    let promo = Discount {
        promotion: Some(1),
        name: "WELCOME10".into(),
        kind: DiscountKind::Percent(Decimal::new(10, 0)),
        scope: Scope::All,
    };
    let small: Vec<Line> = (1..=3).map(line).collect();
    c.bench_function("pricing/3 lines, promo code, delivery", |b| {
        b.iter(|| {
            price(
                black_box(&small),
                black_box(std::slice::from_ref(&promo)),
                Some(&delivery),
            )
        })
    });
    let large: Vec<Line> = (1..=40).map(line).collect();
    let discounts = vec![
        promo.clone(),
        Discount {
            promotion: Some(2),
            name: "Shoes −500".into(),
            kind: DiscountKind::Fixed(Decimal::new(50_000, 2)),
            scope: Scope::Categories(vec![1, 3]),
        },
        Discount {
            promotion: Some(3),
            name: "Free delivery".into(),
            kind: DiscountKind::FreeDelivery,
            scope: Scope::Products(vec![2, 4, 6]),
        },
    ];
    c.bench_function("pricing/40 lines, three discounts, delivery", |b| {
        b.iter(|| price(black_box(&large), black_box(&discounts), Some(&delivery)))
    });
}

/// A catalog shaped like the bench shop's: 10,000 products of three
/// variants, eight colours, six sizes, twenty brands, a quarter out of stock.
fn catalog() -> (ListingIndex, FacetValues) {
    const COLOURS: [&str; 8] = [
        "black", "white", "red", "blue", "green", "grey", "beige", "brown",
    ];
    const SIZES: [&str; 6] = ["xs", "s", "m", "l", "xl", "xxl"];
    let mut values = FacetValues::default();
    let mut index = ListingIndex::default();
    for p in 0..10_000u32 {
        let brand = values.intern("brand", &format!("brand-{}", p % 20));
        let colour = values.intern("color", COLOURS[(p % 8) as usize]);
        index.push_product(i64::from(p * 7919 % 10_007), i64::from(p), &[brand, colour]);
        for v in 0..3u32 {
            let size = values.intern("size", SIZES[((p + v) % 6) as usize]);
            index.push_variant(
                i64::from(50_000 + (p * 37 + v * 1_000) % 900_000),
                (p + v) % 4 != 0,
                &[size],
            );
        }
    }
    (index, values)
}

fn facets(c: &mut Criterion) {
    let (index, values) = catalog();
    let slots: Vec<u32> = (0..index.len() as u32).collect();
    let mut group = c.benchmark_group("facets");
    group.throughput(Throughput::Elements(slots.len() as u64));
    let all = ListingQuery {
        page: 1,
        ..Default::default()
    };
    group.bench_function("10,000 products, no filter", |b| {
        b.iter(|| run(&index, black_box(&slots), &values, black_box(&all)))
    });
    let filtered = ListingQuery {
        price_min: None,
        price_max: Some(Decimal::new(5_000, 0)),
        facets: BTreeMap::from([
            ("color".to_string(), BTreeSet::from(["black".to_string()])),
            (
                "size".to_string(),
                BTreeSet::from(["m".to_string(), "l".to_string()]),
            ),
        ]),
        in_stock: true,
        sort: Sort::PriceAsc,
        page: 2,
    };
    group.bench_function("10,000 products, colour + sizes + price + in stock", |b| {
        b.iter(|| run(&index, black_box(&slots), &values, black_box(&filtered)))
    });
    group.finish();
}

fn state_machine(c: &mut Criterion) {
    let orders: Vec<OrderFacts> = OrderStatus::ALL
        .into_iter()
        .flat_map(|status| {
            PaymentMethod::ALL
                .into_iter()
                .map(move |payment| OrderFacts {
                    status,
                    payment,
                    paid: matches!(payment, PaymentMethod::CardOnline),
                    carrier: true,
                    parcels: 1,
                    try_on: false,
                    units_left: 2,
                })
        })
        .collect();
    let input = ActionInput {
        reason: "The customer asked".into(),
        tracking_number: "RA123456789RU".into(),
        parcels: vec![1200],
        ..Default::default()
    };
    let mut group = c.benchmark_group("order state machine");
    let decisions = orders.len() * OrderAction::ALL.len() * Role::ALL.len();
    group.throughput(Throughput::Elements(decisions as u64));
    group.bench_function("every action × role × status × payment", |b| {
        b.iter(|| {
            let mut allowed = 0u32;
            for order in &orders {
                for action in OrderAction::ALL {
                    for role in Role::ALL {
                        let decided =
                            transition(black_box(order), action, Actor::Staff(role), &input);
                        allowed += u32::from(decided.is_ok());
                    }
                }
            }
            allowed
        })
    });
    group.throughput(Throughput::Elements(
        (orders.len() * Role::ALL.len()) as u64,
    ));
    group.bench_function("buttons per role and order", |b| {
        b.iter(|| {
            orders
                .iter()
                .flat_map(|o| {
                    Role::ALL
                        .into_iter()
                        .map(move |r| available_actions(o, r).len())
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, pricing, facets, state_machine);
criterion_main!(benches);
