//! Accounts service: users, password hashes, sessions and login throttling.
use super::entities::{login_attempts, sessions, users};
use super::AppState;
use crate::api::auth::UserView;
use crate::api::AppError;
use crate::domain::accounts::{
    check_password, normalize_email, normalize_phone, Role, SessionPolicy, SessionStatus,
};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, SqlErr,
};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// The signed-in user of a request.
pub type AuthUser = users::Model;

impl users::Model {
    pub fn role(&self) -> Role {
        // The column only ever receives `Role::as_str` values; an edited row
        // falls back to the least privileged role rather than failing requests.
        self.role.parse().unwrap_or(Role::Customer)
    }

    pub fn view(&self) -> UserView {
        UserView {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            phone: self.phone.clone(),
            role: self.role(),
        }
    }
}

/// A validated account form, ready to be stored.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub password: String,
    pub name: String,
    pub phone: Option<String>,
    pub role: Role,
}

impl NewAccount {
    pub fn validate(
        email: &str,
        password: &str,
        name: &str,
        phone: &str,
        role: Role,
    ) -> Result<NewAccount, AppError> {
        let email = normalize_email(email).map_err(AppError::Email)?;
        check_password(password, &email).map_err(AppError::Password)?;
        let name = name.trim().to_string();
        if name.chars().count() > 120 {
            return Err(AppError::NameTooLong);
        }
        let phone = match phone.trim() {
            "" => None,
            p => Some(normalize_phone(p).map_err(AppError::Phone)?),
        };
        Ok(NewAccount {
            email,
            password: password.to_string(),
            name,
            phone,
            role,
        })
    }
}

/// Each argon2 run takes 19 MiB and a core for tens of milliseconds; at most
/// this many run at once, so a burst of logins cannot exhaust memory or CPU.
const MAX_CONCURRENT_HASHES: usize = 2;

async fn hashing_permit() -> tokio::sync::SemaphorePermit<'static> {
    static PERMITS: tokio::sync::Semaphore =
        tokio::sync::Semaphore::const_new(MAX_CONCURRENT_HASHES);
    PERMITS
        .acquire()
        .await
        .expect("the semaphore is never closed")
}

/// argon2id with the crate's defaults (OWASP: m=19 MiB, t=2, p=1), off the async threads.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    let _permit = hashing_permit().await;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

async fn verify_password(password: String, hash: String) -> bool {
    let _permit = hashing_permit().await;
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the e-mail is unknown, so that unknown and
/// known accounts take the same time to refuse.
async fn dummy_hash() -> String {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return h.clone();
    }
    let h = hash_password("lavka-timing-equaliser".into())
        .await
        .unwrap_or_default();
    DUMMY.get_or_init(|| h).clone()
}

pub async fn create_user(
    db: &impl ConnectionTrait,
    form: NewAccount,
) -> Result<AuthUser, AppError> {
    let password_hash = hash_password(form.password).await?;
    let now = Utc::now();
    let row = users::ActiveModel {
        email: Set(form.email),
        phone: Set(form.phone),
        name: Set(form.name),
        password_hash: Set(password_hash),
        role: Set(form.role.as_str().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let user = row.insert(db).await.map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::EmailTaken,
        _ => AppError::from(e),
    })?;
    if user.role == Role::Customer.as_str() {
        // In the CRM from the start, before the first order (ORD-3).
        super::customers::link_account(db, &user).await?;
    }
    Ok(user)
}

pub async fn find_by_email(
    db: &DatabaseConnection,
    email: &str,
) -> Result<Option<AuthUser>, DbErr> {
    users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await
}

/// Checks e-mail and password, with failed attempts throttled per IP and per account.
pub async fn authenticate(
    state: &AppState,
    ip: &str,
    email: &str,
    password: &str,
) -> Result<AuthUser, AppError> {
    let db = &state.db;
    let throttle = state.config.login_throttle;
    let email = normalize_email(email).map_err(AppError::Email)?;
    let now = Utc::now();
    let since = now - Duration::seconds(throttle.window_secs);
    let failures = || {
        login_attempts::Entity::find()
            .filter(login_attempts::Column::Succeeded.eq(false))
            .filter(login_attempts::Column::CreatedAt.gte(since))
    };
    let from_ip = failures()
        .filter(login_attempts::Column::Ip.eq(ip))
        .count(db)
        .await?;
    let for_account = failures()
        .filter(login_attempts::Column::Email.eq(&email))
        .count(db)
        .await?;
    if throttle.is_blocked(from_ip, for_account) {
        let oldest = failures()
            .filter(
                login_attempts::Column::Ip
                    .eq(ip)
                    .or(login_attempts::Column::Email.eq(&email)),
            )
            .order_by_asc(login_attempts::Column::CreatedAt)
            .one(db)
            .await?
            .map(|a| a.created_at)
            .unwrap_or(now);
        let minutes = throttle.minutes_until_retry(oldest.timestamp(), now.timestamp());
        return Err(AppError::TooManyAttempts {
            minutes: Ord::max(minutes, 1),
        });
    }

    let user = find_by_email(db, &email).await?;
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => dummy_hash().await,
    };
    let ok = verify_password(password.to_string(), hash).await && user.is_some();
    login_attempts::ActiveModel {
        ip: Set(ip.to_string()),
        email: Set(email.clone()),
        succeeded: Set(ok),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    match user {
        Some(user) if ok => {
            // A success wipes the account's failure count; per-IP failures stay.
            login_attempts::Entity::delete_many()
                .filter(login_attempts::Column::Email.eq(&email))
                .filter(login_attempts::Column::Succeeded.eq(false))
                .exec(db)
                .await?;
            Ok(user)
        }
        _ => Err(AppError::BadCredentials),
    }
}

/// A new random session token (what the cookie holds) and its stored hash.
pub fn new_session_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let id = token_hash(&token);
    (token, id)
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn create_session(
    db: &DatabaseConnection,
    policy: &SessionPolicy,
    user_id: i64,
) -> Result<String, DbErr> {
    let (token, id) = new_session_token();
    let now = Utc::now();
    sessions::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::seconds(policy.absolute_secs)),
    }
    .insert(db)
    .await?;
    Ok(token)
}

pub async fn delete_session(db: &DatabaseConnection, token: &str) -> Result<(), DbErr> {
    sessions::Entity::delete_by_id(token_hash(token))
        .exec(db)
        .await?;
    Ok(())
}

/// The user behind a session cookie, if the session exists and has not expired.
pub async fn resolve_session(
    db: &DatabaseConnection,
    policy: &SessionPolicy,
    token: &str,
) -> Result<Option<AuthUser>, DbErr> {
    let id = token_hash(token);
    let Some((session, Some(user))) = sessions::Entity::find_by_id(id.clone())
        .find_also_related(users::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    match policy.status(
        session.created_at.timestamp(),
        session.last_seen_at.timestamp(),
        now.timestamp(),
    ) {
        SessionStatus::Expired => {
            sessions::Entity::delete_by_id(id).exec(db).await?;
            Ok(None)
        }
        SessionStatus::Valid { needs_touch } => {
            if needs_touch {
                sessions::Entity::update_many()
                    .col_expr(sessions::Column::LastSeenAt, Expr::value(now))
                    .filter(sessions::Column::Id.eq(id))
                    .exec(db)
                    .await?;
            }
            Ok(Some(user))
        }
    }
}

/// Changes the password and signs out every other session of the user.
pub async fn change_password(
    db: &DatabaseConnection,
    user: &AuthUser,
    current: &str,
    new: &str,
    keep_session_token: Option<&str>,
) -> Result<(), AppError> {
    if !verify_password(current.to_string(), user.password_hash.clone()).await {
        return Err(AppError::WrongCurrentPassword);
    }
    check_password(new, &user.email).map_err(AppError::Password)?;
    let hash = hash_password(new.to_string()).await?;
    let mut row: users::ActiveModel = user.clone().into();
    row.password_hash = Set(hash);
    row.updated_at = Set(Utc::now());
    row.update(db).await?;
    let mut others = sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(user.id));
    if let Some(token) = keep_session_token {
        others = others.filter(sessions::Column::Id.ne(token_hash(token)));
    }
    others.exec(db).await?;
    Ok(())
}

/// Housekeeping: expired sessions and login attempts older than the throttle window.
pub async fn purge_expired(state: &AppState, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let idle_cutoff = now - Duration::seconds(state.config.sessions.idle_secs);
    let sessions = sessions::Entity::delete_many()
        .filter(
            sessions::Column::ExpiresAt
                .lte(now)
                .or(sessions::Column::LastSeenAt.lte(idle_cutoff)),
        )
        .exec(&state.db)
        .await?
        .rows_affected;
    let attempts = login_attempts::Entity::delete_many()
        .filter(
            login_attempts::Column::CreatedAt
                .lt(now - Duration::seconds(state.config.login_throttle.window_secs)),
        )
        .exec(&state.db)
        .await?
        .rows_affected;
    Ok(sessions + attempts)
}
