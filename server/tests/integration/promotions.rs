//! Promotions on a real database (LOY-2, CART-4): codes and automatic
//! promotions through the admin service, each reason a code fails, usage
//! limits, the combining rule, and callback requests (CART-6, ORD-4).
use crate::common;

use app::api::cart::CartView;
use app::domain::accounts::Role;
use app::domain::callbacks::{CallbackProblem, CallbackStatus};
use app::domain::cart::{CartChoices, StoredCart};
use app::domain::money::Lang;
use app::domain::promotions::{Combination, PromoProblem, PromotionForm};
use app::server::{callbacks, cart, promotions, AppState};
use chrono::{Days, Utc};
use rust_decimal::Decimal;

fn form(name: &str, code: &str, kind: &str, value: &str) -> PromotionForm {
    PromotionForm {
        name_ru: format!("{name} ru"),
        name_en: name.into(),
        code: code.into(),
        kind: kind.into(),
        value: value.into(),
        active: true,
        ..Default::default()
    }
}

async fn id_of(state: &AppState, code: &str) -> i64 {
    promotions::list(&state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.form.code == code)
        .and_then(|r| r.form.id)
        .unwrap()
}

async fn priced(
    state: &AppState,
    stored: &StoredCart,
    code: &str,
    customer: Option<&str>,
) -> CartView {
    let snap = state.catalog.get(&state.db).await.unwrap();
    let choices = CartChoices {
        promo_code: Some(code.into()),
        delivery: Some("courier".into()),
        ..Default::default()
    };
    cart::view(
        state,
        &snap,
        stored,
        &choices,
        customer,
        Utc::now(),
        Lang::En,
    )
    .await
    .unwrap()
}

fn problem(view: &CartView) -> Option<PromoProblem> {
    view.promo.as_ref().unwrap().problem.clone()
}

#[tokio::test]
async fn promo_codes_apply_or_say_why_not() {
    let state = common::demo_state().await;
    let admin = common::user(&state.db, "boss@example.ru", "correct horse", Role::Admin).await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let (product, variant) = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter().map(move |v| (p, v)))
        .find(|(_, v)| {
            v.stock.get() >= 5 && v.backorder_days.is_none() && v.price >= Decimal::from(1000)
        })
        .unwrap();
    let mut stored = StoredCart::default();
    stored.add(variant.id, 2);
    let goods = variant.price * Decimal::from(2);
    let today = Utc::now().date_naive();

    let mut saves = vec![
        form("Ten off", "ten", "percent", "10"),
        PromotionForm {
            min_order: (goods + Decimal::from(1000)).to_string(),
            ..form("Big orders", "BIG", "fixed", "500")
        },
        PromotionForm {
            ends_on: (today - Days::new(1)).to_string(),
            ..form("Summer", "SUMMER", "percent", "20")
        },
        PromotionForm {
            starts_on: (today + Days::new(3)).to_string(),
            ..form("Winter", "WINTER", "percent", "20")
        },
        PromotionForm {
            usage_limit: "1".into(),
            ..form("Only once", "ONCE", "fixed", "100")
        },
        PromotionForm {
            per_customer_limit: "1".into(),
            ..form("Welcome", "WELCOME", "fixed", "100")
        },
        PromotionForm {
            active: false,
            ..form("Paused", "PAUSED", "percent", "5")
        },
        PromotionForm {
            products: snap
                .products
                .iter()
                .find(|p| p.id != product.id)
                .unwrap()
                .slug
                .clone(),
            ..form("Other product", "OTHER", "percent", "50")
        },
        form("Free courier", "SHIP", "free_delivery", ""),
    ];
    for f in saves.drain(..) {
        let problems = promotions::save(&state, &admin, f).await.unwrap();
        assert!(problems.is_empty(), "{problems:?}");
    }

    // Valid, typed in lower case with spaces.
    let view = priced(&state, &stored, " te n ", None).await;
    assert_eq!(problem(&view), None);
    assert_eq!(view.totals.discounts[0].name, "Ten off");
    assert_eq!(
        view.totals.discount_total,
        (goods / Decimal::from(10)).round_dp(2)
    );

    let expect = |code: &'static str, want: PromoProblem| (code, want);
    for (code, want) in [
        expect("NOPE", PromoProblem::Unknown),
        expect(
            "BIG",
            PromoProblem::MinimumNotReached {
                minimum: goods + Decimal::from(1000),
                missing: Decimal::from(1000),
            },
        ),
        expect("SUMMER", PromoProblem::Expired),
        expect(
            "WINTER",
            PromoProblem::NotStarted {
                starts: today + Days::new(3),
            },
        ),
        expect("PAUSED", PromoProblem::Paused),
        expect("OTHER", PromoProblem::NotApplicable),
    ] {
        let view = priced(&state, &stored, code, None).await;
        assert_eq!(problem(&view), Some(want), "{code}");
        assert_eq!(view.totals.discount_total, Decimal::ZERO, "{code}");
        assert_eq!(
            view.totals.total,
            goods + Decimal::from(390),
            "{code}: nothing off"
        );
    }

    // Free delivery takes the courier's price off.
    let view = priced(&state, &stored, "SHIP", None).await;
    assert_eq!(
        (problem(&view), view.totals.delivery),
        (None, Some(Decimal::ZERO))
    );

    // Usage limits: in all, and per customer.
    promotions::record_redemption(&state.db, id_of(&state, "ONCE").await, "user:1", None)
        .await
        .unwrap();
    let view = priced(&state, &stored, "ONCE", Some("user:2")).await;
    assert_eq!(problem(&view), Some(PromoProblem::UsedUp));
    let welcome = id_of(&state, "WELCOME").await;
    promotions::record_redemption(&state.db, welcome, "user:7", None)
        .await
        .unwrap();
    let view = priced(&state, &stored, "WELCOME", Some("user:7")).await;
    assert_eq!(problem(&view), Some(PromoProblem::AlreadyUsed));
    let view = priced(&state, &stored, "WELCOME", Some("user:8")).await;
    assert_eq!(problem(&view), None, "another customer may");

    // The admin list counts uses and reads back what was saved.
    let rows = promotions::list(&state.db).await.unwrap();
    let once = rows.iter().find(|r| r.form.code == "ONCE").unwrap();
    assert_eq!(once.uses, 1);
    assert_eq!(once.state, app::api::promotions::PromotionState::UsedUp);
    let summer = rows.iter().find(|r| r.form.code == "SUMMER").unwrap();
    assert_eq!(
        summer.form.ends_on,
        (today - Days::new(1)).to_string(),
        "the inclusive end date round-trips"
    );
}

#[tokio::test]
async fn automatic_promotions_combine_by_the_shops_rule() {
    let state = common::demo_state().await;
    let admin = common::user(&state.db, "boss@example.ru", "correct horse", Role::Admin).await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let (product, variant) = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter().map(move |v| (p, v)))
        .find(|(_, v)| {
            v.stock.get() >= 5 && v.backorder_days.is_none() && v.price >= Decimal::from(1000)
        })
        .unwrap();
    let category = &snap.categories[product.category];
    let mut stored = StoredCart::default();
    stored.add(variant.id, 1);
    let price = variant.price;

    // Automatic, for the product's category; and a code for 10 %.
    let auto = PromotionForm {
        categories: category.slug.clone(),
        ..form("Category week", "", "fixed", "300")
    };
    assert!(promotions::save(&state, &admin, auto)
        .await
        .unwrap()
        .is_empty());
    assert!(
        promotions::save(&state, &admin, form("Ten off", "TEN", "percent", "10"))
            .await
            .unwrap()
            .is_empty()
    );
    // The same code twice is refused, next to the field.
    let again = promotions::save(&state, &admin, form("Copy", "ten", "percent", "15"))
        .await
        .unwrap();
    assert_eq!(again[0].field, "code");

    let ten = (price / Decimal::from(10)).round_dp(2);
    let view = priced(&state, &stored, "", None).await;
    assert_eq!(
        view.totals.discounts.len(),
        1,
        "the automatic one, without a code"
    );
    assert_eq!(view.totals.discount_total, Decimal::from(300));

    // Best single (the default): the bigger saving wins; the code says why.
    let view = priced(&state, &stored, "TEN", None).await;
    let best = Decimal::from(300).max(ten);
    assert_eq!(view.totals.discount_total, best);
    if best > ten {
        assert_eq!(problem(&view), Some(PromoProblem::NotCombinable));
    }

    promotions::set_combination(&state, &admin, Combination::Stack)
        .await
        .unwrap();
    let view = priced(&state, &stored, "TEN", None).await;
    assert_eq!(problem(&view), None);
    assert_eq!(view.totals.discount_total, Decimal::from(300) + ten);
    assert_eq!(view.totals.discounts.len(), 2);

    // Paused: gone from the cart.
    let auto_id = promotions::list(&state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.form.code.is_empty())
        .and_then(|r| r.form.id)
        .unwrap();
    promotions::set_active(&state, &admin, auto_id, false)
        .await
        .unwrap();
    let view = priced(&state, &stored, "TEN", None).await;
    assert_eq!(view.totals.discount_total, ten);
}

#[tokio::test]
async fn callback_requests_are_validated_queued_once_and_handled() {
    let state = common::demo_state().await;
    let operator = common::user(&state.db, "op@example.ru", "correct horse", Role::Operator).await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let variant = snap.products[0].variants[0].clone();
    let mut stored = StoredCart::default();
    stored.add(variant.id, 2);

    let problems = callbacks::request(&state, &snap, None, "", "12", &stored)
        .await
        .unwrap();
    assert_eq!(problems.len(), 2);
    assert!(matches!(problems[1], CallbackProblem::Phone(_)));
    assert!(
        callbacks::queue(&state, true).await.unwrap().is_empty(),
        "nothing stored"
    );

    for name in ["Анна", "Анна Петровна"] {
        let problems = callbacks::request(&state, &snap, None, name, "8 916 123-45-67", &stored)
            .await
            .unwrap();
        assert!(problems.is_empty());
    }
    let queue = callbacks::queue(&state, false).await.unwrap();
    assert_eq!(queue.len(), 1, "asking twice does not queue twice");
    let request = &queue[0];
    assert_eq!(
        (request.name.as_str(), request.phone.as_str()),
        ("Анна Петровна", "+79161234567")
    );
    assert_eq!(request.items[0].quantity, 2);
    assert_eq!(request.total, variant.price * Decimal::from(2));

    callbacks::update(
        &state,
        &operator,
        request.id,
        CallbackStatus::NoAnswer,
        " try after 18:00 ",
    )
    .await
    .unwrap();
    assert!(
        callbacks::queue(&state, false).await.unwrap().is_empty(),
        "handled leaves the queue"
    );
    let all = callbacks::queue(&state, true).await.unwrap();
    assert_eq!(all[0].status, CallbackStatus::NoAnswer);
    assert_eq!(all[0].note, "try after 18:00");
    assert!(all[0].handled_by.is_some());
}
