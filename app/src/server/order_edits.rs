//! Editing an order before picking (ORD-6). In one transaction, under the
//! order's row lock: the goods and the delivery are checked and priced by
//! checkout's code (`cart::order_view`, `checkout::validate`), the stock
//! held for the order follows the new quantities through the ledger, and
//! the order, its lines, the promotions it used, the timeline, the audit
//! log and the customer's message are written. A preview runs the very
//! same steps and rolls them back.
use super::accounts::AuthUser;
use super::admin::{record, Actor as AuditActor};
use super::catalog::Snapshot;
use super::entities::{order_events, order_lines, orders, payments, promotion_redemptions};
use super::order_admin::{mark_paid, paid_so_far};
use super::{cart, delivery, notifications, promotions, settings, stock_ledger, AppState};
use crate::api::order_edits::{EditDraft, EditOutcome, EditPreview, PricedLine};
use crate::api::AppError;
use crate::domain::cart::CartChoices;
use crate::domain::catalog::{from_minor, to_minor};
use crate::domain::checkout::{
    order_id, order_number, validate, CheckoutForm, CheckoutProblem, OrderStatus, PaymentMethod,
};
use crate::domain::delivery::{Destination, Unavailable};
use crate::domain::money::{Currency, Lang};
use crate::domain::notifications::NotificationEvent;
use crate::domain::order_edits::{
    check_editable, check_lines, check_reason, check_total, describe_changes, label, EditLine,
    EditProblem, NamedLine, OrderEdit,
};
use crate::domain::orders::Actor;
use crate::domain::pricing::instalment_plans;
use chrono::{Duration, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::BTreeMap;

/// The order as the editor opens it; `None`: no such order.
pub async fn draft(
    db: &DatabaseConnection,
    snapshot: &Snapshot,
    number: &str,
    lang: Lang,
) -> Result<Option<EditDraft>, sea_orm::DbErr> {
    let Some(id) = order_id(number) else {
        return Ok(None);
    };
    let Some(order) = orders::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let lines = lines_of(db, id).await?;
    let labels = lines
        .iter()
        .map(|l| {
            // Today's name where the product still exists, else the order's.
            let name = snapshot
                .variant(l.variant_id)
                .map(|(p, _)| super::storefront::product_name(p, lang).to_string())
                .unwrap_or_else(|| l.name.clone());
            (l.variant_id, label(&name, &l.options, &l.sku))
        })
        .collect();
    Ok(Some(EditDraft {
        number: order_number(id),
        edit: OrderEdit {
            lines: lines
                .iter()
                .map(|l| EditLine {
                    variant_id: l.variant_id,
                    quantity: l.quantity.max(0) as u32,
                })
                .collect(),
            delivery: order.delivery_code,
            city: order.delivery_city,
            address: order.delivery_street,
            postcode: order.delivery_postcode,
            pickup_point: order.pickup_point_id,
            reason: String::new(),
        },
        labels,
    }))
}

async fn lines_of(
    db: &impl ConnectionTrait,
    order_id: i64,
) -> Result<Vec<order_lines::Model>, sea_orm::DbErr> {
    order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(order_id))
        .order_by_asc(order_lines::Column::Id)
        .all(db)
        .await
}

/// Previews (`save: false`) or saves an edit of the order.
pub async fn edit(
    state: &AppState,
    snapshot: &Snapshot,
    staff: &AuthUser,
    number: &str,
    edit: &OrderEdit,
    save: bool,
    lang: Lang,
) -> Result<EditOutcome, AppError> {
    let id = order_id(number).ok_or(AppError::NotFound)?;
    let checked =
        check_reason(&edit.reason).and_then(|reason| Ok((reason, check_lines(&edit.lines)?)));
    let (reason, lines) = match checked {
        Ok(checked) => checked,
        Err(problem) => return Ok(EditOutcome::Refused(problem)),
    };
    let txn = super::begin_write(&state.db).await?;
    let order = orders::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let edited = apply(
        &txn,
        state,
        snapshot,
        staff,
        &order,
        Edit {
            lines: &lines,
            delivery: edit,
            reason: &reason,
        },
        lang,
    )
    .await?;
    let (preview, touched) = match edited {
        Ok(done) => done,
        Err(problem) => {
            txn.rollback().await?;
            return Ok(EditOutcome::Refused(problem));
        }
    };
    if !save {
        txn.rollback().await?;
        return Ok(EditOutcome::Preview(Box::new(preview)));
    }
    txn.commit().await?;
    state
        .catalog
        .stock_changed(&state.db, Some(&touched))
        .await?;
    Ok(EditOutcome::Saved(Box::new(preview)))
}

struct Edit<'a> {
    lines: &'a [EditLine],
    delivery: &'a OrderEdit,
    reason: &'a str,
}

/// The edit's steps inside the caller's transaction; `Err` is why it was
/// refused (the caller rolls back). Also returns the variants whose stock
/// moved.
async fn apply(
    txn: &super::WriteTxn,
    state: &AppState,
    snapshot: &Snapshot,
    staff: &AuthUser,
    order: &orders::Model,
    edit: Edit<'_>,
    lang: Lang,
) -> Result<Result<(EditPreview, Vec<i64>), EditProblem>, AppError> {
    let now = Utc::now();
    let status = OrderStatus::parse(&order.status).unwrap_or(OrderStatus::New);
    if let Err(problem) = check_editable(status, order.payment_status == "paid") {
        return Ok(Err(problem));
    }
    let paying = payments::Entity::find()
        .filter(payments::Column::OrderId.eq(order.id))
        .filter(payments::Column::Status.eq("pending"))
        .filter(payments::Column::CreatedAt.gt(now - Duration::minutes(15)))
        .one(txn)
        .await?
        .is_some();
    if paying {
        return Ok(Err(EditProblem::PaymentInProgress));
    }

    // Where the goods go, checked as at checkout; contacts and payment stay.
    let wanted = edit.delivery;
    let methods = delivery::methods(txn, lang).await?;
    let method = methods.iter().find(|m| m.code == wanted.delivery);
    let form = CheckoutForm {
        name: order.name.clone(),
        phone: order.phone.clone(),
        email: order.email.clone(),
        delivery: wanted.delivery.clone(),
        city: wanted.city.clone(),
        address: wanted.address.clone(),
        postcode: wanted.postcode.clone(),
        pickup_point: wanted.pickup_point,
        payment: order.payment_method.clone(),
        comment: String::new(),
        company: order.company_name.clone(),
        inn: order.company_inn.clone(),
        kpp: order.company_kpp.clone(),
        try_on: order.try_on,
    };
    let valid = match validate(&form, method.map(|m| m.kind)) {
        Ok(valid) => valid,
        Err(problems) => return Ok(Err(EditProblem::Delivery(problems))),
    };
    let method = method.expect("validated above");
    let pickup = match valid.pickup_point {
        Some(point) => match super::orders::pickup_point(txn, point, &method.code).await? {
            Some(found) => Some(found),
            None => {
                let problem = vec![CheckoutProblem::PickupPointRequired];
                return Ok(Err(EditProblem::Delivery(problem)));
            }
        },
        None => None,
    };
    let (destination, street, address) = match &pickup {
        Some(point) => (
            Destination {
                city: point.city.clone(),
                postcode: String::new(),
            },
            String::new(),
            super::orders::pickup_address(point),
        ),
        None => (
            Destination {
                city: wanted.city.trim().to_string(),
                postcode: wanted.postcode.trim().to_string(),
            },
            wanted.address.trim().to_string(),
            valid.address.clone(),
        ),
    };

    // Priced as at checkout; the lines it had keep their agreed price.
    let before = lines_of(txn, order.id).await?;
    let agreed = |variant_id: i64| {
        before
            .iter()
            .find(|l| l.variant_id == variant_id)
            .map(|l| from_minor(l.unit_price_minor))
    };
    let input: Vec<(EditLine, Option<Decimal>)> = edit
        .lines
        .iter()
        .map(|l| (*l, agreed(l.variant_id)))
        .collect();
    let customer = match order.user_id {
        Some(user) => format!("user:{user}"),
        None => format!("phone:{}", order.phone),
    };
    // The order's own use of its promotions does not count against it.
    promotion_redemptions::Entity::delete_many()
        .filter(promotion_redemptions::Column::OrderId.eq(order.id))
        .exec(txn)
        .await?;
    let choices = CartChoices {
        promo_code: order.promo_code.clone(),
        delivery: Some(method.code.clone()),
        destination: Some(destination.clone()),
        instalment_months: order.instalment_months.map(|m| m.max(0) as u32),
    };
    let priced = cart::order_view(
        txn,
        snapshot,
        &input,
        &choices,
        &customer,
        order.created_at,
        now,
        lang,
    )
    .await?;
    let view = match priced {
        Ok(view) => view,
        Err(variant_id) => return Ok(Err(EditProblem::UnknownProduct { variant_id })),
    };
    let Some(quote) = view.delivery.iter().find(|q| q.code == method.code) else {
        let problem = vec![CheckoutProblem::DeliveryRequired];
        return Ok(Err(EditProblem::Delivery(problem)));
    };
    if let Some(why) = quote.unavailable {
        return Ok(Err(EditProblem::Delivery(vec![match why {
            Unavailable::NotToThisAddress => CheckoutProblem::NotDeliveredHere,
            Unavailable::TooHeavy => CheckoutProblem::TooHeavyForDelivery,
        }])));
    }
    let totals = &view.totals;
    if order.payment_method == PaymentMethod::Credit.as_str() {
        let months = choices.instalment_months;
        let fits = instalment_plans()
            .iter()
            .any(|p| Some(p.months) == months && totals.total >= p.min_total);
        if !fits {
            return Ok(Err(EditProblem::PlanNoLongerFits));
        }
    }
    let paid_minor = paid_so_far(txn, order.id).await?;
    let paid = from_minor(paid_minor);
    if let Err(problem) = check_total(totals.total, paid) {
        return Ok(Err(problem));
    }

    // The stock held follows the new quantities, in variant order as at
    // checkout so two transactions lock rows alike.
    let why = stock_ledger::Why {
        order_id: Some(order.id),
        reason: "order edited",
        actor: Some(staff.id),
        at: now,
    };
    let mut held: BTreeMap<i64, u32> = BTreeMap::new();
    for r in stock_ledger::reservations_of(txn, order.id).await? {
        *held.entry(r.variant_id).or_default() += r.quantity.max(0) as u32;
    }
    let quantity_of: BTreeMap<i64, u32> = edit
        .lines
        .iter()
        .map(|l| (l.variant_id, l.quantity))
        .collect();
    let mut variants: Vec<i64> = held.keys().chain(quantity_of.keys()).copied().collect();
    variants.sort_unstable();
    variants.dedup();
    let mut touched = Vec::new();
    let mut backordered: BTreeMap<i64, u32> = BTreeMap::new();
    let mut short = Vec::new();
    for variant_id in variants {
        let have = held.get(&variant_id).copied().unwrap_or(0);
        let want = quantity_of.get(&variant_id).copied().unwrap_or(0);
        if want > have {
            touched.push(variant_id);
            let missing = super::orders::reserve(
                txn,
                order.id,
                variant_id,
                want - have,
                &snapshot.dispatch_days,
                why,
            )
            .await?
            .short;
            let can_wait = snapshot
                .variant(variant_id)
                .is_some_and(|(_, v)| v.backorder_days.is_some());
            if missing > 0 && can_wait {
                backordered.insert(variant_id, missing);
            } else if missing > 0 {
                let name = view.lines.iter().find(|l| l.variant_id == variant_id);
                short.push(name.map(|l| l.name.clone()).unwrap_or_default());
            }
        } else if want < have {
            touched.push(variant_id);
            stock_ledger::release_part(txn, order.id, variant_id, (have - want) as i32, why)
                .await?;
        }
    }
    if !short.is_empty() {
        return Ok(Err(EditProblem::OutOfStock(short)));
    }

    // The lines: kept ones change quantity, new ones come, dropped ones go.
    for old in before
        .iter()
        .filter(|l| !quantity_of.contains_key(&l.variant_id))
    {
        order_lines::Entity::delete_by_id(old.id).exec(txn).await?;
    }
    let minor = |amount: Decimal| to_minor(amount).unwrap_or(0);
    for line in &view.lines {
        let waiting = backordered.get(&line.variant_id).copied().unwrap_or(0) as i32;
        match before.iter().find(|l| l.variant_id == line.variant_id) {
            Some(old) => {
                let mut kept: order_lines::ActiveModel = old.clone().into();
                kept.quantity = Set(line.quantity as i32);
                kept.backordered_quantity = Set(waiting);
                kept.update(txn).await?;
            }
            None => {
                let sku = snapshot
                    .variant(line.variant_id)
                    .map(|(_, v)| v.sku.clone())
                    .unwrap_or_default();
                order_lines::ActiveModel {
                    order_id: Set(order.id),
                    variant_id: Set(line.variant_id),
                    product_id: Set(line.product_id),
                    sku: Set(sku),
                    name: Set(line.name.clone()),
                    options: Set(line.options.clone()),
                    unit_price_minor: Set(minor(line.unit_price)),
                    quantity: Set(line.quantity as i32),
                    backordered_quantity: Set(waiting),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
            }
        }
    }

    // The order itself, and the promotions it now uses.
    let discounts: Vec<(String, Decimal)> = totals
        .discounts
        .iter()
        .map(|d| (d.name.clone(), d.amount))
        .collect();
    let grams = view
        .lines
        .iter()
        .map(|l| l.weight_g.saturating_mul(l.quantity))
        .fold(0, u32::saturating_add);
    let mut changed: orders::ActiveModel = order.clone().into();
    changed.goods_minor = Set(minor(totals.subtotal));
    changed.discount_minor = Set(minor(totals.discount_total));
    changed.delivery_minor = Set(minor(totals.delivery.unwrap_or_default()));
    changed.total_minor = Set(minor(totals.total));
    changed.discounts = Set(serde_json::to_string(&discounts).unwrap_or_else(|_| "[]".into()));
    changed.delivery_code = Set(method.code.clone());
    changed.delivery_name = Set(method.name.clone());
    changed.delivery_address = Set(address.clone());
    changed.pickup_point_id = Set(valid.pickup_point);
    changed.delivery_city = Set(destination.city.clone());
    changed.delivery_street = Set(street);
    changed.delivery_postcode = Set(destination.postcode.clone());
    changed.delivery_date = Set(quote.earliest);
    changed.try_on = Set(order.try_on && method.try_on);
    changed.weight_grams = Set(i32::try_from(grams).unwrap_or(i32::MAX));
    changed.updated_at = Set(now);
    let updated = changed.update(txn).await?;
    for discount in &view.discount_rules {
        if let Some(promotion) = discount.promotion {
            promotions::record_redemption(txn, promotion, &customer, Some(order.id)).await?;
        }
    }

    // The timeline, the audit log and the customer's message.
    let currency: Currency = settings::value(txn, "shop.currency")
        .await?
        .and_then(|c| c.parse().ok())
        .unwrap_or_default();
    let named = |id: i64, name: &str, quantity: u32| NamedLine {
        variant_id: id,
        name: name.to_string(),
        quantity,
    };
    let was: Vec<NamedLine> = before
        .iter()
        .map(|l| named(l.variant_id, &l.name, l.quantity.max(0) as u32))
        .collect();
    let now_is: Vec<NamedLine> = view
        .lines
        .iter()
        .map(|l| named(l.variant_id, &l.name, l.quantity))
        .collect();
    let changes = describe_changes(
        &was,
        &now_is,
        (&order.delivery_name, &method.name),
        (&order.delivery_address, &address),
        lang,
    );
    let money = |minor: i64| crate::domain::money::format_money(from_minor(minor), currency, lang);
    let note = [
        changes.clone(),
        format!(
            "{} → {}",
            money(order.total_minor),
            money(updated.total_minor)
        ),
        edit.reason.to_string(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(". ");
    order_events::ActiveModel {
        order_id: Set(order.id),
        status: Set("edited".into()),
        actor_user_id: Set(Some(staff.id)),
        note: Set(note.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let summary = |o: &orders::Model, lines: &[NamedLine]| {
        serde_json::json!({
            "lines": lines.iter().map(|l| (l.variant_id, l.quantity)).collect::<Vec<_>>(),
            "delivery": o.delivery_code, "address": o.delivery_address, "total_minor": o.total_minor,
        })
    };
    record(
        txn,
        AuditActor::User(staff),
        "order.edit",
        "order",
        &order_number(order.id),
        Some(summary(order, &was)),
        Some(summary(&updated, &now_is)),
    )
    .await?;
    notifications::enqueue(txn, state, NotificationEvent::OrderChanged, &updated, now).await?;
    // Taking goods off can leave exactly what was already paid.
    if paid_minor > 0 && paid_minor == updated.total_minor {
        mark_paid(txn, &updated, Actor::Staff(staff.role()), now).await?;
        order_events::ActiveModel {
            order_id: Set(order.id),
            status: Set("paid".into()),
            actor_user_id: Set(Some(staff.id)),
            note: Set(money(paid_minor)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        notifications::enqueue(txn, state, NotificationEvent::OrderPaid, &updated, now).await?;
    }

    let preview = EditPreview {
        lines: view
            .lines
            .iter()
            .map(|l| PricedLine {
                variant_id: l.variant_id,
                unit_price: l.unit_price,
                quantity: l.quantity,
                line_total: totals
                    .line_totals
                    .iter()
                    .find(|(id, _)| *id == l.variant_id)
                    .map(|(_, total)| *total)
                    .unwrap_or_default(),
                backordered: backordered.get(&l.variant_id).copied().unwrap_or(0),
            })
            .collect(),
        subtotal: totals.subtotal,
        discounts,
        delivery_price: totals.delivery.unwrap_or_default(),
        total: totals.total,
        total_before: from_minor(order.total_minor),
        paid,
        quotes: view.delivery.clone(),
        promo_note: view
            .promo
            .as_ref()
            .and_then(|p| p.problem.as_ref())
            .map(|p| p.message(lang, currency)),
        changes,
    };
    Ok(Ok((preview, touched)))
}
