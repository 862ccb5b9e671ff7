//! The back office's order queue and actions (ORD-1, ORD-2, ORD-6, LOG-2) on
//! a real database: each action through the state machine, per role; stock
//! back on cancel; messages queued; two clicks at once move an order once.
use crate::common;

use app::api::admin_orders::{OrderFilter, OrderSort};
use app::domain::accounts::Role;
use app::domain::checkout::{CheckoutForm, OrderStatus};
use app::domain::delivery::DeliveryMethodForm;
use app::domain::money::Lang;
use app::domain::orders::{ActionInput, OrderAction, TransitionError};
use app::server::entities::{orders, outbox, stock_reservations};
use app::server::{delivery, order_admin, AppState};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn form(payment: &str, phone: &str) -> CheckoutForm {
    CheckoutForm {
        name: "Ирина Смирнова".into(),
        phone: phone.into(),
        email: "irina@example.ru".into(),
        delivery: "courier".into(),
        city: "Москва".into(),
        address: "ул. Примерная, 5".into(),
        payment: payment.into(),
        ..Default::default()
    }
}

fn note(reason: &str, tracking: &str) -> ActionInput {
    ActionInput {
        reason: reason.into(),
        tracking_number: tracking.into(),
        ..Default::default()
    }
}

async fn status_of(state: &AppState, number: &str) -> (String, String, String) {
    let id = app::domain::checkout::order_id(number).unwrap();
    let o = orders::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    (o.status, o.payment_status, o.tracking_number)
}

async fn messages(state: &AppState, event: &str) -> usize {
    outbox::Entity::find()
        .filter(outbox::Column::Event.eq(event))
        .all(&state.db)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_cash_order_goes_from_new_to_completed_and_a_paid_one_is_cancelled() {
    let state = common::demo_state().await;
    let operator = common::user(
        &state.db,
        "op@example.com",
        "operator-pass-1",
        Role::Operator,
    )
    .await;
    let manager = common::user(&state.db, "m@example.com", "manager-pass-1", Role::Manager).await;
    let warehouse = common::user(
        &state.db,
        "w@example.com",
        "warehouse-pass-1",
        Role::Warehouse,
    )
    .await;
    // Russian Post's page is set by the migration; the courier gets one here.
    let courier = delivery::admin_methods(&state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.code == "courier")
        .unwrap();
    let problems = delivery::save_method(
        &state,
        &manager,
        &DeliveryMethodForm {
            tracking_url: "https://courier.example/track/{number}".into(),
            ..courier
        },
    )
    .await
    .unwrap();
    assert!(problems.is_empty(), "{problems:?}");

    let (number, token) = common::guest_order(
        &state,
        "admin-key-0000000001",
        form("cash_on_delivery", "+7 916 000-11-22"),
    )
    .await;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let seen = order_admin::staff_order(&state.db, &snap, &number, Role::Operator, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        seen.actions,
        [
            OrderAction::Confirm,
            OrderAction::NoAnswer,
            OrderAction::Cancel
        ]
    );
    let act = |who: &'static str, action, input: ActionInput| {
        let state = state.clone();
        let number = number.clone();
        let staff = match who {
            "operator" => operator.clone(),
            "warehouse" => warehouse.clone(),
            _ => manager.clone(),
        };
        async move {
            order_admin::act(&state, &staff, &number, action, &input)
                .await
                .unwrap()
        }
    };
    // The first confirmation call goes unanswered (ORD-4): on record, still new.
    assert_eq!(
        act("operator", OrderAction::NoAnswer, ActionInput::default()).await,
        Ok(OrderStatus::New)
    );
    assert_eq!(status_of(&state, &number).await.0, "new");
    assert_eq!(messages(&state, "order_confirmed").await, 0);
    assert_eq!(
        act("operator", OrderAction::Confirm, ActionInput::default()).await,
        Ok(OrderStatus::Confirmed)
    );
    assert_eq!(
        messages(&state, "order_confirmed").await,
        2,
        "e-mail and SMS"
    );
    assert_eq!(
        act(
            "operator",
            OrderAction::StartPicking,
            ActionInput::default()
        )
        .await,
        Err(TransitionError::Forbidden)
    );
    assert_eq!(
        act("operator", OrderAction::Confirm, ActionInput::default()).await,
        Err(TransitionError::NotFrom(OrderStatus::Confirmed)),
        "confirmed twice"
    );
    assert!(act(
        "warehouse",
        OrderAction::StartPicking,
        ActionInput::default()
    )
    .await
    .is_ok());
    assert_eq!(
        act("warehouse", OrderAction::Pack, ActionInput::default()).await,
        Err(TransitionError::ParcelsRequired),
        "packing weighs the parcels"
    );
    let one_parcel = ActionInput {
        parcels: vec![900],
        ..Default::default()
    };
    assert!(act("warehouse", OrderAction::Pack, one_parcel)
        .await
        .is_ok());
    assert_eq!(
        act("warehouse", OrderAction::Ship, ActionInput::default()).await,
        Err(TransitionError::TrackingRequired)
    );
    assert_eq!(
        act("warehouse", OrderAction::Ship, note("", "RA123456789RU")).await,
        Ok(OrderStatus::Shipped)
    );
    assert_eq!(messages(&state, "order_shipped").await, 2);
    let shipped_sms = outbox::Entity::find()
        .filter(outbox::Column::Event.eq("order_shipped"))
        .filter(outbox::Column::Channel.eq("sms"))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        shipped_sms.body.contains("RA123456789RU"),
        "{}",
        shipped_sms.body
    );
    // The customer's page shows the number and the carrier's link.
    let snap = state.catalog.get(&state.db).await.unwrap();
    let page = app::server::orders::by_token(&state.db, &snap, &token, Lang::En)
        .await
        .unwrap()
        .unwrap();
    let tracking = page.tracking.unwrap();
    assert_eq!(
        (tracking.number.as_str(), tracking.url.as_deref()),
        (
            "RA123456789RU",
            Some("https://courier.example/track/RA123456789RU")
        )
    );
    assert_eq!(status_of(&state, &number).await.1, "unpaid");
    // Cash at the door: delivered means paid.
    assert!(
        act("operator", OrderAction::Deliver, ActionInput::default())
            .await
            .is_ok()
    );
    assert_eq!(
        status_of(&state, &number).await,
        ("delivered".into(), "paid".into(), "RA123456789RU".into())
    );
    assert_eq!(
        act("operator", OrderAction::Complete, ActionInput::default()).await,
        Err(TransitionError::Forbidden)
    );
    assert_eq!(
        act("manager", OrderAction::Complete, ActionInput::default()).await,
        Ok(OrderStatus::Completed)
    );
    // Every step is on the timeline, with who did it.
    let page = app::server::orders::by_token(&state.db, &snap, &token, Lang::En)
        .await
        .unwrap()
        .unwrap();
    let steps: Vec<&str> = page.timeline.iter().map(|e| e.status.as_str()).collect();
    assert_eq!(
        steps,
        [
            "new",
            "no_answer",
            "confirmed",
            "picking",
            "packed",
            "shipped",
            "delivered",
            "completed"
        ]
    );

    // A bank-transfer order: payment recorded by the manager, then cancelled
    // with a reason; its goods go back to stock.
    let (paid_number, _) = common::guest_order(
        &state,
        "admin-key-0000000002",
        CheckoutForm {
            company: "ООО «Покупатель»".into(),
            inn: "7707083893".into(),
            kpp: "773601001".into(),
            ..form("bank_invoice", "+7 916 000-33-44")
        },
    )
    .await;
    let act_on = |number: String, action, input: ActionInput| {
        let state = state.clone();
        let manager = manager.clone();
        async move {
            order_admin::act(&state, &manager, &number, action, &input)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        act_on(
            paid_number.clone(),
            OrderAction::Confirm,
            ActionInput::default()
        )
        .await,
        Ok(OrderStatus::Confirmed)
    );
    assert_eq!(
        act_on(
            paid_number.clone(),
            OrderAction::RecordPayment,
            ActionInput::default()
        )
        .await,
        Ok(OrderStatus::Paid)
    );
    let id = app::domain::checkout::order_id(&paid_number).unwrap();
    let reserved = || {
        let state = state.clone();
        async move {
            stock_reservations::Entity::find()
                .filter(stock_reservations::Column::OrderId.eq(id))
                .all(&state.db)
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(reserved().await, 1);
    assert_eq!(
        act_on(
            paid_number.clone(),
            OrderAction::Cancel,
            ActionInput::default()
        )
        .await,
        Err(TransitionError::ReasonRequired)
    );
    assert_eq!(
        act_on(
            paid_number.clone(),
            OrderAction::Cancel,
            note("customer changed their mind", "")
        )
        .await,
        Ok(OrderStatus::Cancelled)
    );
    assert_eq!(reserved().await, 0, "the goods went back");
    assert_eq!(status_of(&state, &paid_number).await.0, "cancelled");

    // Two operators confirm the same order at the same moment: one wins.
    let (third, _) = common::guest_order(
        &state,
        "admin-key-0000000003",
        form("cash_on_delivery", "+7 916 000-55-66"),
    )
    .await;
    let (a, b) = tokio::join!(
        act_on(third.clone(), OrderAction::Confirm, ActionInput::default()),
        act_on(third.clone(), OrderAction::Confirm, ActionInput::default())
    );
    let mut results = [a, b];
    results.sort_by_key(|r| r.is_err());
    assert_eq!(
        results,
        [
            Ok(OrderStatus::Confirmed),
            Err(TransitionError::NotFrom(OrderStatus::Confirmed))
        ]
    );

    // The queue: counts per status, filters and search.
    let queue = |filter: OrderFilter| {
        let state = state.clone();
        async move {
            order_admin::queue(&state.db, &filter, Lang::En)
                .await
                .unwrap()
        }
    };
    let all = queue(OrderFilter::default()).await;
    assert_eq!(all.found, 3);
    let count = |status: &str| {
        all.counts
            .iter()
            .find(|(code, _, _)| code == status)
            .unwrap()
            .2
    };
    assert_eq!(
        (
            count("completed"),
            count("cancelled"),
            count("confirmed"),
            count("new")
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(all.rows[0].number, third, "newest first");
    let by = |search: &str| OrderFilter {
        search: search.into(),
        ..Default::default()
    };
    assert_eq!(queue(by(&number)).await.rows[0].number, number);
    assert_eq!(
        queue(by("0003344")).await.rows[0].number,
        paid_number,
        "phone digits"
    );
    assert_eq!(
        queue(by("IRINA@EXAMPLE")).await.found,
        3,
        "e-mail, any case"
    );
    assert_eq!(queue(by("nobody")).await.found, 0);
    // A Cyrillic name in any case: SQLite's LIKE and lower() fold only ASCII.
    assert_eq!(queue(by("ирина")).await.found, 3, "a name, lower case");
    assert_eq!(queue(by("СМИРНОВА")).await.found, 3, "a name, upper case");
    // What staff type is matched as typed, not as a wildcard.
    assert_eq!(
        queue(by("Ирина_Смирнова")).await.found,
        0,
        "_ is no wildcard"
    );
    assert_eq!(queue(by("Ир%нова")).await.found, 0, "% is no wildcard");
    assert_eq!(queue(by("Ир*нова")).await.found, 0, "* is no wildcard");
    let cancelled = queue(OrderFilter {
        status: Some("cancelled".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(cancelled.rows.len(), 1);
    let paid = queue(OrderFilter {
        paid: Some(true),
        sort: OrderSort::Oldest,
        ..Default::default()
    })
    .await;
    let numbers: Vec<&str> = paid.rows.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(numbers, [number.as_str(), paid_number.as_str()]);
}

/// ORD-1: staff notes stay with the order and never reach the customer's
/// view; "confirm selected" confirms each new order on its own and reports
/// the ones it could not.
#[tokio::test]
async fn notes_and_bulk_confirmation() {
    use app::domain::orders::NoteProblem;
    let state = common::demo_state().await;
    let operator = common::user(
        &state.db,
        "op@example.com",
        "operator-pass-1",
        Role::Operator,
    )
    .await;
    let (first, token) = common::guest_order(
        &state,
        "bulk-key-00000000001",
        form("cash_on_delivery", "+7 916 000-77-88"),
    )
    .await;
    let (second, _) = common::guest_order(
        &state,
        "bulk-key-00000000002",
        form("cash_on_delivery", "+7 916 000-77-89"),
    )
    .await;
    assert_eq!(
        order_admin::add_note(&state.db, &operator, &first, "  ")
            .await
            .unwrap(),
        Err(NoteProblem::Empty)
    );
    assert_eq!(
        order_admin::add_note(&state.db, &operator, &first, " Call after 6 pm ")
            .await
            .unwrap(),
        Ok(())
    );
    let snap = state.catalog.get(&state.db).await.unwrap();
    let staff = order_admin::staff_order(&state.db, &snap, &first, Role::Operator, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(staff.notes.len(), 1);
    assert_eq!(
        (staff.notes[0].author.as_str(), staff.notes[0].text.as_str()),
        ("op@example.com", "Call after 6 pm")
    );
    let customer = app::server::orders::by_token(&state.db, &snap, &token, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !format!("{customer:?}").contains("Call after 6 pm"),
        "private"
    );

    // The first is confirmed on its page; then both are ticked in the queue.
    order_admin::act(
        &state,
        &operator,
        &first,
        OrderAction::Confirm,
        &ActionInput::default(),
    )
    .await
    .unwrap()
    .unwrap();
    let bulk = order_admin::confirm_many(&state, &operator, &[first.clone(), second.clone()])
        .await
        .unwrap();
    let (confirmed, refused) = (bulk.done, bulk.refused);
    assert_eq!(confirmed, [second]);
    assert_eq!(
        refused,
        [(
            first.clone(),
            TransitionError::NotFrom(OrderStatus::Confirmed)
        )]
    );
}

/// The load-test history (`demo-data --customers --orders`, issue 7): the
/// orders belong to the customers, are closed, priced from their lines,
/// oldest first; the queue and its search work over them; a second run
/// adds nothing; stock is untouched.
#[tokio::test]
async fn the_bench_order_history_is_closed_consistent_and_loaded_once() {
    use app::server::entities::{customers, order_lines};
    use sea_orm::{PaginatorTrait, QueryOrder};
    let state = common::demo_state().await;
    let loaded = server::demo_orders::load(&state.db, 40, 300).await.unwrap();
    assert_eq!((loaded.customers, loaded.orders), (40, 300));
    let again = server::demo_orders::load(&state.db, 40, 300).await.unwrap();
    assert_eq!((again.customers, again.orders), (40, 300), "nothing added");
    assert_eq!(
        customers::Entity::find().count(&state.db).await.unwrap(),
        40
    );

    let all = orders::Entity::find()
        .order_by_asc(orders::Column::Id)
        .all(&state.db)
        .await
        .unwrap();
    assert_eq!(all.len(), 300);
    assert!(
        all.windows(2).all(|w| w[0].created_at <= w[1].created_at),
        "numbers grow with time"
    );
    let lines = order_lines::Entity::find().all(&state.db).await.unwrap();
    for o in &all {
        assert!(["completed", "delivered", "cancelled"].contains(&o.status.as_str()));
        assert!(o.customer_id.is_some());
        let goods: i64 = lines
            .iter()
            .filter(|l| l.order_id == o.id)
            .map(|l| l.unit_price_minor * i64::from(l.quantity))
            .sum();
        assert!(goods > 0);
        assert_eq!(o.goods_minor, goods);
        assert_eq!(o.total_minor, goods + o.delivery_minor);
    }
    assert_eq!(
        stock_reservations::Entity::find()
            .count(&state.db)
            .await
            .unwrap(),
        0
    );
    common::assert_ledger_balances(&state.db).await;

    let queue = order_admin::queue(&state.db, &OrderFilter::default(), Lang::Ru)
        .await
        .unwrap();
    assert_eq!(queue.found, 300);
    assert_eq!(
        queue.rows[0].number,
        app::domain::checkout::order_number(all[299].id)
    );
    let phone_digits: String = all[0].phone.chars().filter(char::is_ascii_digit).collect();
    let found = order_admin::queue(
        &state.db,
        &OrderFilter {
            search: phone_digits[1..].into(),
            ..Default::default()
        },
        Lang::Ru,
    )
    .await
    .unwrap();
    assert!(found.found >= 1);
    assert!(found.rows.iter().all(|r| r.phone == all[0].phone));
}

/// ORD-1 and CRM on PostgreSQL: the staff's "contains" searches of orders
/// and customers can be answered by the trigram indexes of migration 19, not
/// only by reading every row. (SQLite keeps its scans; nothing to check.)
#[tokio::test]
async fn staff_searches_have_trigram_indexes_on_postgres() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
    let (db, _) = common::fresh_db().await;
    if db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    let searches = [
        ("orders", "name", "ILIKE '%анна%'"),
        ("orders", "email", "ILIKE '%PETROV@%'"),
        ("orders", "phone", "LIKE '%9161234%'"),
        ("customers", "name", "ILIKE '%козлова%'"),
        ("customers", "email", "ILIKE '%ivan.p%'"),
        ("customers", "phone", "LIKE '%1234%'"),
    ];
    for (table, column, condition) in searches {
        // An empty table is cheapest to scan: forbid the scan to see whether
        // an index can answer at all.
        let txn = db.begin().await.unwrap();
        txn.execute_unprepared("SET LOCAL enable_seqscan = off")
            .await
            .unwrap();
        let plan: Vec<String> = txn
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                format!("EXPLAIN SELECT id FROM {table} WHERE {column} {condition}"),
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get_by_index::<String>(0).unwrap())
            .collect();
        txn.rollback().await.unwrap();
        let index = format!("idx_{table}_{column}_trigrams");
        assert!(
            plan.iter().any(|line| line.contains(&index)),
            "{table}.{column} {condition} is not answered by {index}: {plan:#?}"
        );
    }
}
