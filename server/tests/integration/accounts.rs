//! Accounts, sessions, throttling and the admin services against a real database.
use crate::common;

use app::api::AppError;
use app::domain::accounts::Role;
use app::server::accounts::{
    authenticate, change_password, create_session, resolve_session, token_hash, NewAccount,
};
use app::server::admin::{audit_page, change_role, create_staff, list_users};
use app::server::entities::sessions;
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

#[tokio::test]
async fn register_and_authenticate() {
    let state = common::state().await;
    let form = NewAccount::validate(
        " Ivan@Example.RU ",
        "correct horse",
        "Иван",
        "8 900 123 45 67",
        Role::Customer,
    )
    .unwrap();
    let user = app::server::accounts::create_user(&state.db, form)
        .await
        .unwrap();
    assert_eq!(user.email, "ivan@example.ru");
    assert_eq!(user.phone.as_deref(), Some("+79001234567"));
    assert!(
        user.password_hash.starts_with("$argon2id$"),
        "argon2id hash, got {}",
        user.password_hash
    );

    let again =
        NewAccount::validate("ivan@example.ru", "another pass", "", "", Role::Customer).unwrap();
    assert_eq!(
        app::server::accounts::create_user(&state.db, again)
            .await
            .unwrap_err(),
        AppError::EmailTaken
    );

    let ok = authenticate(&state, "10.0.0.1", "IVAN@example.ru", "correct horse")
        .await
        .unwrap();
    assert_eq!(ok.id, user.id);
    assert_eq!(
        authenticate(&state, "10.0.0.1", "ivan@example.ru", "wrong horse")
            .await
            .unwrap_err(),
        AppError::BadCredentials
    );
    assert_eq!(
        authenticate(&state, "10.0.0.1", "nobody@example.ru", "whatever1")
            .await
            .unwrap_err(),
        AppError::BadCredentials
    );
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_and_per_ip() {
    let state = common::state().await;
    common::user(
        &state.db,
        "anna@example.ru",
        "correct horse",
        Role::Customer,
    )
    .await;
    common::user(
        &state.db,
        "boris@example.ru",
        "battery staple",
        Role::Customer,
    )
    .await;

    // A success clears the account's earlier failures.
    for _ in 0..4 {
        authenticate(&state, "10.0.0.2", "anna@example.ru", "nope-nope")
            .await
            .unwrap_err();
    }
    authenticate(&state, "10.0.0.2", "anna@example.ru", "correct horse")
        .await
        .unwrap();
    for _ in 0..5 {
        assert_eq!(
            authenticate(&state, "10.0.0.3", "anna@example.ru", "nope-nope")
                .await
                .unwrap_err(),
            AppError::BadCredentials
        );
    }
    // Sixth try: refused before the password is even checked, right one included.
    let blocked = authenticate(&state, "10.0.0.4", "anna@example.ru", "correct horse")
        .await
        .unwrap_err();
    assert!(
        matches!(blocked, AppError::TooManyAttempts { minutes } if (1..=15).contains(&minutes)),
        "{blocked:?}"
    );
    // Other accounts are not affected by Anna's lock...
    authenticate(&state, "10.0.0.4", "boris@example.ru", "battery staple")
        .await
        .unwrap();

    // ...but an IP that fails 20 times is blocked for every account.
    for i in 0..20 {
        let _ = authenticate(
            &state,
            "10.0.0.9",
            &format!("guess{i}@example.ru"),
            "nope-nope",
        )
        .await;
    }
    assert!(matches!(
        authenticate(&state, "10.0.0.9", "boris@example.ru", "battery staple").await,
        Err(AppError::TooManyAttempts { .. })
    ));
}

#[tokio::test]
async fn sessions_resolve_expire_and_die_with_password_change() {
    let state = common::state().await;
    let policy = state.config.sessions;
    let user = common::user(
        &state.db,
        "vera@example.ru",
        "correct horse",
        Role::Customer,
    )
    .await;

    let token = create_session(&state.db, &policy, user.id).await.unwrap();
    let found = resolve_session(&state.db, &policy, &token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, user.id);
    assert!(resolve_session(&state.db, &policy, "forged-token")
        .await
        .unwrap()
        .is_none());

    // Idle for longer than the policy allows: the session is gone.
    let idle = create_session(&state.db, &policy, user.id).await.unwrap();
    let past = Utc::now() - Duration::seconds(policy.idle_secs + 1);
    sessions::ActiveModel {
        id: Set(token_hash(&idle)),
        last_seen_at: Set(past),
        ..Default::default()
    }
    .update(&state.db)
    .await
    .unwrap();
    assert!(resolve_session(&state.db, &policy, &idle)
        .await
        .unwrap()
        .is_none());
    assert!(sessions::Entity::find_by_id(token_hash(&idle))
        .one(&state.db)
        .await
        .unwrap()
        .is_none());

    // Changing the password keeps this session and ends the others.
    let other = create_session(&state.db, &policy, user.id).await.unwrap();
    assert_eq!(
        change_password(
            &state.db,
            &user,
            "wrong horse",
            "new password!",
            Some(&token)
        )
        .await
        .unwrap_err(),
        AppError::WrongCurrentPassword
    );
    assert!(matches!(
        change_password(&state.db, &user, "correct horse", "short", Some(&token)).await,
        Err(AppError::Password(_))
    ));
    change_password(
        &state.db,
        &user,
        "correct horse",
        "new password!",
        Some(&token),
    )
    .await
    .unwrap();
    assert!(resolve_session(&state.db, &policy, &token)
        .await
        .unwrap()
        .is_some());
    assert!(resolve_session(&state.db, &policy, &other)
        .await
        .unwrap()
        .is_none());
    authenticate(&state, "10.0.0.5", "vera@example.ru", "new password!")
        .await
        .unwrap();
}

#[tokio::test]
async fn staff_management_is_audited_and_guarded() {
    let state = common::state().await;
    let admin = common::user(&state.db, "admin@example.ru", "correct horse", Role::Admin).await;
    common::user(
        &state.db,
        "client@example.ru",
        "correct horse",
        Role::Customer,
    )
    .await;

    let form =
        NewAccount::validate("op@example.ru", "operator pass", "Olga", "", Role::Operator).unwrap();
    let op = create_staff(&state.db, &admin, form).await.unwrap();
    assert_eq!(op.role, Role::Operator);

    let staff = list_users(&state.db, true, "").await.unwrap();
    assert_eq!(
        staff.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(),
        ["admin@example.ru", "op@example.ru"]
    );
    let everyone = list_users(&state.db, false, "").await.unwrap();
    assert_eq!(everyone.len(), 3);
    let by_name = list_users(&state.db, false, "olg").await.unwrap();
    assert_eq!(by_name.len(), 1);

    assert_eq!(
        change_role(&state.db, &admin, admin.id, Role::Manager)
            .await
            .unwrap_err(),
        AppError::OwnRole
    );
    assert_eq!(
        change_role(&state.db, &admin, 999_999, Role::Manager)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    let promoted = change_role(&state.db, &admin, op.id, Role::Manager)
        .await
        .unwrap();
    assert_eq!(promoted.role, Role::Manager);

    // Two admins; demoting one leaves one, and the last admin cannot be demoted.
    let promoted = change_role(&state.db, &admin, op.id, Role::Admin)
        .await
        .unwrap();
    assert_eq!(promoted.role, Role::Admin);
    let second_admin = app::server::accounts::find_by_email(&state.db, "op@example.ru")
        .await
        .unwrap()
        .unwrap();
    change_role(&state.db, &second_admin, admin.id, Role::Operator)
        .await
        .unwrap();
    let demoted_first = app::server::accounts::find_by_email(&state.db, "admin@example.ru")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(demoted_first.role(), Role::Operator);

    let log = audit_page(&state.db, 1).await.unwrap();
    let actions: Vec<_> = log.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "user.role_change",
            "user.role_change",
            "user.role_change",
            "user.create"
        ]
    );
    let last = &log.entries[0];
    assert_eq!(last.actor_email, "op@example.ru");
    assert!(last.before.as_deref().unwrap().contains("\"admin\""));
    assert!(last.after.as_deref().unwrap().contains("\"operator\""));
}

#[tokio::test]
async fn demo_data_loads_and_is_idempotent() {
    let state = common::state().await;
    server::demo::load(&state.db).await.unwrap();
    server::demo::load(&state.db).await.unwrap();
    for (email, role, password) in server::demo::DEMO_STAFF {
        let user = authenticate(&state, "127.0.0.1", email, password)
            .await
            .unwrap();
        assert_eq!(user.role(), role);
    }
    let shop = app::server::settings::load(&state.db).await.unwrap();
    assert_eq!(
        shop.free_delivery_from,
        Some(rust_decimal::Decimal::from(5000))
    );
    assert_eq!(list_users(&state.db, true, "").await.unwrap().len(), 4);
}
