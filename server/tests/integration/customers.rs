//! The CRM (ORD-3) on a real database: every order lands on a customer
//! record (guests by phone, accounts by account), lifetime figures leave out
//! cancelled orders and refunds, the list filters and sorts by them, and two
//! records of one person merge into one with nothing lost.
use crate::common;

use app::api::customers::{CustomerFilter, CustomerSort};
use app::domain::accounts::Role;
use app::domain::checkout::CheckoutForm;
use app::domain::customers::{ContactProblem, ContactsForm, MergeProblem, TagProblem};
use app::domain::money::Lang;
use app::domain::orders::{ActionInput, OrderAction};
use app::server::accounts::{create_user, NewAccount};
use app::server::customers;
use app::server::entities::{customer_notes, customer_tags, customers as customer_rows, orders};
use app::server::order_admin;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn form(name: &str, phone: &str, email: &str, city: &str) -> CheckoutForm {
    CheckoutForm {
        name: name.into(),
        phone: phone.into(),
        email: email.into(),
        delivery: "courier".into(),
        city: city.into(),
        address: "ул. Клиентская, 1".into(),
        payment: "cash_on_delivery".into(),
        ..Default::default()
    }
}

async fn customer_of(db: &sea_orm::DatabaseConnection, number: &str) -> i64 {
    let id = app::domain::checkout::order_id(number).unwrap();
    orders::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .customer_id
        .expect("every order has a customer")
}

#[tokio::test]
async fn orders_land_on_customers_whose_value_and_merging_add_up() {
    let state = common::demo_state().await;
    let db = &state.db;
    let manager = common::user(db, "m@example.com", "manager-pass-1", Role::Manager).await;

    // Two guest orders from one phone typed two ways: one customer.
    let (first, _) = common::guest_order(
        &state,
        "crm-key-000000000001",
        form("Пётр Гостев", "8 916 555-11-22", "", "Тула"),
    )
    .await;
    let (second, _) = common::guest_order(
        &state,
        "crm-key-000000000002",
        form(
            "Петр Гостев",
            "+7 (916) 555-11-22",
            "petr@example.ru",
            "Тула",
        ),
    )
    .await;
    let guest = customer_of(db, &first).await;
    assert_eq!(customer_of(db, &second).await, guest);
    let card = customers::card(db, guest, Role::Manager, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(card.orders_count, 2);
    assert_eq!(card.contacts.phone, "+79165551122");
    assert_eq!(
        card.contacts.email, "petr@example.ru",
        "filled by the later order"
    );
    assert_eq!(card.contacts.city, "Тула");
    assert_eq!(card.segment, "repeat");
    assert!(card.account.is_none());
    let totals: Vec<Decimal> = card.orders.iter().map(|o| o.total).collect();
    assert_eq!(card.spent, totals.iter().copied().sum::<Decimal>());
    assert_eq!(
        card.average,
        Some((card.spent / Decimal::from(2)).round_dp(2))
    );

    // A cancelled order stops counting.
    let cancelled = order_admin::act(
        &state,
        &manager,
        &second,
        OrderAction::Cancel,
        &ActionInput {
            reason: "changed their mind".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(cancelled.is_ok());
    let card = customers::card(db, guest, Role::Manager, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(card.orders_count, 1);
    assert_eq!(card.spent, totals[1], "the first order, listed last");
    assert_eq!(card.orders.len(), 2, "the cancelled order is still listed");

    // A new account is a customer with no orders yet.
    let account = create_user(
        db,
        NewAccount {
            email: "petr.account@example.ru".into(),
            phone: Some("+79165551122".into()),
            name: "Пётр".into(),
            password: "correct horse battery".into(),
            role: Role::Customer,
        },
    )
    .await
    .unwrap();
    let accounts: Vec<customer_rows::Model> = customer_rows::Entity::find()
        .filter(customer_rows::Column::UserId.eq(account.id))
        .all(db)
        .await
        .unwrap();
    assert_eq!(accounts.len(), 1);
    let registered = accounts[0].id;
    let card = customers::card(db, registered, Role::Operator, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(card.segment, "no orders yet");
    assert!(
        !card.can_merge,
        "operators see customers but do not merge them"
    );
    assert_eq!(card.duplicates.len(), 1, "the guest with the same phone");
    assert_eq!(card.duplicates[0].id, guest);
    assert_eq!(card.duplicates[0].orders, 2);

    // Staff keep notes and tags on the guest record.
    let staff = manager.clone();
    assert_eq!(
        customers::tag(db, &staff, guest, "  VIP ", true)
            .await
            .unwrap(),
        Ok(())
    );
    assert_eq!(
        customers::tag(db, &staff, guest, "<b>", true)
            .await
            .unwrap(),
        Err(TagProblem::BadCharacters)
    );
    assert_eq!(
        customers::add_note(db, &staff, guest, "Prefers evening calls")
            .await
            .unwrap(),
        Ok(())
    );
    assert_eq!(
        customers::tag(db, &staff, registered, "vip", true)
            .await
            .unwrap(),
        Ok(())
    );

    // The list filters and sorts by the lifetime figures.
    let listed = |filter: CustomerFilter| {
        let db = db.clone();
        async move { customers::list(&db, &filter, Lang::En).await.unwrap() }
    };
    let by_phone = listed(CustomerFilter {
        search: "916 555".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(by_phone.found, 2);
    assert_eq!(
        by_phone.rows[0].id, guest,
        "the one who ordered comes first"
    );
    assert_eq!(by_phone.rows[0].orders, 1);
    assert_eq!(by_phone.rows[0].tags, vec!["vip".to_string()]);
    assert_eq!(by_phone.rows[1].last_order, None);
    // A Cyrillic name in any case (SQLite's LIKE folds only ASCII).
    for typed in ["гостев", "ГОСТЕВ"] {
        let by_name = listed(CustomerFilter {
            search: typed.into(),
            ..Default::default()
        })
        .await;
        let ids: Vec<i64> = by_name.rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![guest], "searched as {typed}");
    }
    let tagged = listed(CustomerFilter {
        tag: Some("vip".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(tagged.found, 2);
    assert!(tagged.tags.contains(&("vip".to_string(), 2)));
    // The city as staff type it, in any letter case (stored as "Тула").
    for typed in ["тула", "ТУЛА", " Тула ", "тУЛА"] {
        let buyers = listed(CustomerFilter {
            min_orders: Some(1),
            city: typed.into(),
            sort: CustomerSort::MostSpent,
            ..Default::default()
        })
        .await;
        assert_eq!(buyers.found, 1, "city typed as {typed:?}");
        assert_eq!(buyers.rows[0].spent, totals[1]);
    }
    let part_of_a_name = listed(CustomerFilter {
        city: "Тул".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(part_of_a_name.found, 0, "the city filter is the whole name");
    let big_spenders = listed(CustomerFilter {
        min_spent: Some(totals[1] + Decimal::ONE),
        ..Default::default()
    })
    .await;
    assert_eq!(big_spenders.found, 0);
    let today = chrono::Utc::now().date_naive();
    let recent = listed(CustomerFilter {
        ordered_from: Some(today),
        ordered_to: Some(today),
        ..Default::default()
    })
    .await;
    assert_eq!(recent.found, 1);
    let none_yet = listed(CustomerFilter {
        ordered_to: today.pred_opt(),
        ..Default::default()
    })
    .await;
    assert_eq!(none_yet.found, 0);

    // Contacts are checked before they are saved.
    let problems = customers::save_contacts(
        db,
        &staff,
        guest,
        &ContactsForm {
            name: "Пётр".into(),
            sms_consent: true,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .unwrap_err();
    assert_eq!(
        problems,
        vec![
            ContactProblem::NoWayToReach,
            ContactProblem::ConsentWithoutPhone
        ]
    );
    customers::save_contacts(
        db,
        &staff,
        guest,
        &ContactsForm {
            name: "Пётр Гостев".into(),
            phone: "+79165551122".into(),
            email: "petr@example.ru".into(),
            city: "Тула".into(),
            sms_consent: true,
            email_consent: false,
        },
    )
    .await
    .unwrap()
    .unwrap();

    // Merging the guest into the account's record moves everything over.
    assert_eq!(
        customers::merge(db, &staff, registered, registered)
            .await
            .unwrap(),
        Err(MergeProblem::SameCustomer)
    );
    customers::merge(db, &staff, registered, guest)
        .await
        .unwrap()
        .unwrap();
    assert!(customer_rows::Entity::find_by_id(guest)
        .one(db)
        .await
        .unwrap()
        .is_none());
    assert_eq!(customer_of(db, &first).await, registered);
    assert_eq!(customer_of(db, &second).await, registered);
    let card = customers::card(db, registered, Role::Manager, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(card.orders.len(), 2);
    assert_eq!(card.orders_count, 1);
    assert_eq!(card.tags, vec!["vip".to_string()], "one tag, not two");
    assert_eq!(card.account.as_deref(), Some("petr.account@example.ru"));
    assert_eq!(card.contacts.name, "Пётр", "the kept record's name");
    assert!(card.contacts.sms_consent, "given for the same phone");
    assert!(card.duplicates.is_empty());
    assert!(card.notes.iter().any(|n| n.text == "Prefers evening calls"));
    assert!(card
        .notes
        .iter()
        .any(|n| n.text.starts_with(&format!("Merged customer #{guest}"))));
    assert_eq!(
        customer_tags::Entity::find()
            .filter(customer_tags::Column::CustomerId.eq(guest))
            .count(db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        customer_notes::Entity::find()
            .filter(customer_notes::Column::CustomerId.eq(guest))
            .count(db)
            .await
            .unwrap(),
        0
    );

    // The account's next order, signed in, lands on the same record.
    let snap = state.catalog.get(db).await.unwrap();
    let variant = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .find(|v| v.stock.get() >= 3 && v.backorder_days.is_none())
        .unwrap();
    let mut cart = app::domain::cart::StoredCart::default();
    cart.add(variant.id, 1);
    let request = app::server::orders::Request {
        key: "crm-key-000000000003".into(),
        cart,
        choices: Default::default(),
        form: form("Пётр", "+79160000000", "", "Москва"),
        lang: Lang::En,
    };
    let app::api::checkout::PlaceOutcome::Placed { number, .. } =
        app::server::orders::place(&state, &snap, Some(&account), &request)
            .await
            .unwrap()
    else {
        panic!("placed");
    };
    assert_eq!(customer_of(db, &number).await, registered);
    let card = customers::card(db, registered, Role::Manager, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(card.orders_count, 2);
    assert_eq!(card.contacts.city, "Москва", "the latest delivery's city");
    assert_eq!(card.contacts.phone, "+79165551122", "typed contacts stay");

    // Another account with the same e-mail cannot be merged into this one.
    let other = create_user(
        db,
        NewAccount {
            email: "petr.second@example.ru".into(),
            phone: Some("+79165551122".into()),
            name: "Пётр второй".into(),
            password: "correct horse battery".into(),
            role: Role::Customer,
        },
    )
    .await
    .unwrap();
    let other = customer_rows::Entity::find()
        .filter(customer_rows::Column::UserId.eq(other.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        customers::merge(db, &staff, registered, other.id)
            .await
            .unwrap(),
        Err(MergeProblem::BothHaveAccounts)
    );
}

/// The migration that brought in the CRM gives the orders already placed
/// their customers: accounts keep theirs, guests are grouped by phone.
#[tokio::test]
async fn existing_orders_get_their_customers_when_the_crm_arrives() {
    use migrations::MigratorTrait;
    let state = common::demo_state().await;
    let db = &state.db;
    let (a1, _) = common::guest_order(
        &state,
        "crm-mig-000000000001",
        form("Анна", "+79160000001", "", "Тула"),
    )
    .await;
    let (a2, _) = common::guest_order(
        &state,
        "crm-mig-000000000002",
        form("Анна К.", "8 916 000-00-01", "a@example.ru", "Тула"),
    )
    .await;
    let (b, _) = common::guest_order(
        &state,
        "crm-mig-000000000003",
        form("Борис", "+79160000002", "", "Тула"),
    )
    .await;
    let staff = common::user(db, "op@example.com", "operator-pass-1", Role::Operator).await;

    migrations::Migrator::down(db, Some(1)).await.unwrap();
    migrations::Migrator::up(db, None).await.unwrap();

    let anna = customer_of(db, &a1).await;
    assert_eq!(customer_of(db, &a2).await, anna);
    assert_ne!(customer_of(db, &b).await, anna);
    let card = customers::card(db, anna, Role::Manager, Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(card.orders_count, 2);
    assert_eq!(card.contacts.email, "a@example.ru");
    // Staff accounts without orders are not customers.
    assert_eq!(
        customer_rows::Entity::find()
            .filter(customer_rows::Column::UserId.eq(staff.id))
            .count(db)
            .await
            .unwrap(),
        0
    );
}
