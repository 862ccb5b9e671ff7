//! Staff management and the audit log behind the /admin shell.
use super::accounts::{create_user, AuthUser, NewAccount};
use super::entities::{audit_log, sessions, users};
use super::text_match::contains_ignoring_case;
use crate::api::admin::{AuditEntryView, AuditPage, Dashboard};
use crate::api::auth::UserView;
use crate::api::AppError;
use crate::domain::accounts::Role;
use chrono::Utc;
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

pub const AUDIT_PAGE_SIZE: u64 = 50;

/// Who did something: a signed-in staff member, the command line, or a
/// carrier's tracking report (by the adapter's code).
pub enum Actor<'a> {
    User(&'a AuthUser),
    Cli,
    Carrier(&'a str),
}

/// Writes one audit row; call it inside the transaction of the change it records.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: Actor<'_>,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    record_returning_id(db, actor, action, entity, entity_id, before, after).await?;
    Ok(())
}

/// [`record`], returning the new row's id (for pages that show one entry).
pub async fn record_returning_id(
    db: &impl ConnectionTrait,
    actor: Actor<'_>,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<i64, AppError> {
    let (actor_user_id, actor_email) = match actor {
        Actor::User(u) => (Some(u.id), u.email.clone()),
        Actor::Cli => (None, "command line".to_string()),
        Actor::Carrier(code) => (None, format!("carrier {code}")),
    };
    let row = audit_log::ActiveModel {
        actor_user_id: Set(actor_user_id),
        actor_email: Set(actor_email),
        action: Set(action.into()),
        entity: Set(entity.into()),
        entity_id: Set(entity_id.into()),
        before_json: Set(before.map(|v| v.to_string())),
        after_json: Set(after.map(|v| v.to_string())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

fn user_json(u: &AuthUser) -> serde_json::Value {
    json!({ "email": u.email, "name": u.name, "role": u.role, "phone": u.phone })
}

fn entry_view(e: audit_log::Model) -> AuditEntryView {
    AuditEntryView {
        id: e.id,
        actor_email: e.actor_email,
        action: e.action,
        entity: e.entity,
        entity_id: e.entity_id,
        before: e.before_json,
        after: e.after_json,
        at: e
            .created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

pub async fn dashboard(db: &DatabaseConnection) -> Result<Dashboard, AppError> {
    let customers = users::Entity::find()
        .filter(users::Column::Role.eq(Role::Customer.as_str()))
        .count(db)
        .await?;
    let staff = users::Entity::find()
        .filter(users::Column::Role.ne(Role::Customer.as_str()))
        .count(db)
        .await?;
    let active_sessions = sessions::Entity::find()
        .filter(sessions::Column::ExpiresAt.gt(Utc::now()))
        .count(db)
        .await?;
    let recent_audit = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(10)
        .all(db)
        .await?
        .into_iter()
        .map(entry_view)
        .collect();
    Ok(Dashboard {
        customers,
        staff,
        active_sessions,
        recent_audit,
    })
}

pub async fn list_users(
    db: &DatabaseConnection,
    staff_only: bool,
    query: &str,
) -> Result<Vec<UserView>, AppError> {
    let mut select = users::Entity::find();
    if staff_only {
        select = select.filter(users::Column::Role.ne(Role::Customer.as_str()));
    }
    if !query.is_empty() {
        let backend = db.get_database_backend();
        let contains =
            |column: users::Column| contains_ignoring_case(backend, Expr::col(column), query);
        select = select.filter(
            Condition::any()
                .add(contains(users::Column::Email))
                .add(contains(users::Column::Name))
                .add(contains(users::Column::Phone)),
        );
    }
    Ok(select
        .order_by_asc(users::Column::Email)
        .limit(500)
        .all(db)
        .await?
        .iter()
        .map(|u| u.view())
        .collect())
}

pub async fn create_staff(
    db: &DatabaseConnection,
    actor: &AuthUser,
    form: NewAccount,
) -> Result<UserView, AppError> {
    let txn = super::begin_write(db).await?;
    let user = create_user(&txn, form).await?;
    record(
        &txn,
        Actor::User(actor),
        "user.create",
        "user",
        &user.id.to_string(),
        None,
        Some(user_json(&user)),
    )
    .await?;
    txn.commit().await?;
    Ok(user.view())
}

pub async fn change_role(
    db: &DatabaseConnection,
    actor: &AuthUser,
    user_id: i64,
    role: Role,
) -> Result<UserView, AppError> {
    if user_id == actor.id {
        return Err(AppError::OwnRole);
    }
    let txn = super::begin_write(db).await?;
    let target = users::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if target.role() == role {
        return Ok(target.view());
    }
    if target.role() == Role::Admin {
        let admins = users::Entity::find()
            .filter(users::Column::Role.eq(Role::Admin.as_str()))
            .count(&txn)
            .await?;
        if admins <= 1 {
            return Err(AppError::LastAdmin);
        }
    }
    let before = user_json(&target);
    let mut row: users::ActiveModel = target.into();
    row.role = Set(role.as_str().to_string());
    row.updated_at = Set(Utc::now());
    let updated = row.update(&txn).await?;
    record(
        &txn,
        Actor::User(actor),
        "user.role_change",
        "user",
        &user_id.to_string(),
        Some(before),
        Some(user_json(&updated)),
    )
    .await?;
    txn.commit().await?;
    Ok(updated.view())
}

pub async fn audit_page(db: &DatabaseConnection, page: u64) -> Result<AuditPage, AppError> {
    let paginator = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .paginate(db, AUDIT_PAGE_SIZE);
    let pages = Ord::max(paginator.num_pages().await?, 1);
    let page = page.clamp(1, pages);
    let entries = paginator
        .fetch_page(page - 1)
        .await?
        .into_iter()
        .map(entry_view)
        .collect();
    Ok(AuditPage {
        entries,
        page,
        pages,
    })
}
