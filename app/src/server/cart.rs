//! Prices a cart from the catalog snapshot (CART-2, CART-8): the server's
//! numbers, through the same pricing module the browser uses.
use super::catalog::{ProductRec, Snapshot, VariantRec};
use super::entities::cart_lines;
use super::state::AppState;
use super::storefront::{photo_view, product_name};
use super::{delivery, promotions};
use crate::api::cart::{CartLineView, CartNoticeView, CartView, VariantChoice};
use crate::domain::cart::{
    check, combine, CartChoices, CartNotice, StoredCart, StoredCartLine, VariantStock,
};
use crate::domain::catalog::{from_minor, to_minor, Availability};
use crate::domain::delivery::DeliveryMethod;
use crate::domain::money::Lang;
use crate::domain::order_edits::EditLine;
use crate::domain::pricing::{self, Line};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

/// What can be sold of a variant now (`None`: it can be ordered beyond stock).
pub fn variant_stock(variant: &VariantRec) -> VariantStock {
    VariantStock {
        sellable: match variant.backorder_days {
            Some(_) => None,
            None => Some(variant.stock.get().clamp(0, i64::from(u32::MAX)) as u32),
        },
    }
}

/// Prices `cart` for the shopper (CART-2 … CART-8): stock corrections,
/// price changes since a line was added, promotions, delivery quotes and the
/// totals. `customer` (`user:<id>`) lets per-customer promotion limits apply.
pub async fn view(
    state: &AppState,
    snapshot: &Snapshot,
    cart: &StoredCart,
    choices: &CartChoices,
    customer: Option<&str>,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<CartView, DbErr> {
    let methods = delivery::offered(state, lang).await?;
    view_with_methods(
        &state.db, snapshot, cart, choices, customer, now, lang, methods,
    )
    .await
}

/// [`view`] with the delivery methods on offer already known (in `lang`):
/// checkout takes them before its transaction.
#[allow(clippy::too_many_arguments)]
pub async fn view_with_methods(
    db: &impl ConnectionTrait,
    snapshot: &Snapshot,
    cart: &StoredCart,
    choices: &CartChoices,
    customer: Option<&str>,
    now: DateTime<Utc>,
    lang: Lang,
    delivery_methods: Vec<DeliveryMethod>,
) -> Result<CartView, DbErr> {
    // Through `combine`, so a hand-made cart's duplicates merge and huge
    // quantities are capped before anything else looks at them.
    let (mut checked, mut notices) = check(&combine(&StoredCart::default(), cart), |id| {
        snapshot.variant(id).map(|(_, v)| variant_stock(v))
    });
    let mut lines = Vec::new();
    let mut priced = Vec::new();
    let mut savings = Decimal::ZERO;
    for line in &mut checked.lines {
        let Some((product, variant)) = snapshot.variant(line.variant_id) else {
            continue;
        };
        // The shopper is told once; the stored line then carries the new price.
        if let Some(seen) = line.seen_price.filter(|p| *p != variant.price) {
            notices.push(CartNotice::PriceChanged {
                variant_id: variant.id,
                from: seen,
                to: variant.price,
            });
        }
        line.seen_price = Some(variant.price);
        let quantity = Decimal::from(line.quantity);
        if let Some(old) = variant.old_price {
            savings += (old - variant.price).max(Decimal::ZERO) * quantity;
        }
        let category_id = snapshot.categories[product.category].id;
        priced.push(Line {
            variant_id: variant.id,
            product_id: product.id,
            category_id,
            unit_price: variant.price,
            quantity: line.quantity,
        });
        lines.push(line_view(
            product,
            variant,
            category_id,
            line.quantity,
            lang,
        ));
    }
    let notices = notices
        .into_iter()
        .map(|notice| CartNoticeView {
            name: snapshot
                .variant(notice.variant_id())
                .map(|(p, _)| product_name(p, lang).to_string()),
            notice,
        })
        .collect();
    let priced = Priced {
        lines,
        priced,
        notices,
        savings,
        cart: checked,
    };
    priced_view(
        db,
        snapshot,
        priced,
        choices,
        customer,
        now,
        now,
        lang,
        delivery_methods,
    )
    .await
}

/// Lines ready for the promotions and the totals.
struct Priced {
    lines: Vec<CartLineView>,
    priced: Vec<Line>,
    notices: Vec<CartNoticeView>,
    savings: Decimal,
    cart: StoredCart,
}

/// The part a cart and an edited order share: promotions (valid at
/// `promotions_at`), the delivery methods, quotes and totals.
#[allow(clippy::too_many_arguments)]
async fn priced_view(
    db: &impl ConnectionTrait,
    snapshot: &Snapshot,
    priced: Priced,
    choices: &CartChoices,
    customer: Option<&str>,
    promotions_at: DateTime<Utc>,
    now: DateTime<Utc>,
    lang: Lang,
    delivery_methods: Vec<DeliveryMethod>,
) -> Result<CartView, DbErr> {
    let applied = promotions::applicable(
        db,
        snapshot,
        &priced.priced,
        choices.promo_code.as_deref(),
        customer,
        None,
        promotions_at,
        lang,
    )
    .await?;
    let chosen_delivery = choices
        .delivery
        .clone()
        .filter(|c| delivery_methods.iter().any(|m| &m.code == c));
    let mut view = CartView {
        lines: priced.lines,
        notices: priced.notices,
        savings: priced.savings,
        discount_rules: applied.discounts,
        promo: applied.promo,
        delivery_methods,
        today: now.date_naive(),
        chosen_delivery,
        destination: choices.destination.clone(),
        totals: pricing::price(&[], &[], None),
        delivery: Vec::new(),
        cart: priced.cart,
    };
    (view.totals, view.delivery) = view.totals_for(
        &view.cart,
        view.chosen_delivery.as_deref(),
        view.destination.as_ref(),
    );
    Ok(view)
}

/// Prices an order being edited (ORD-6) the way checkout priced it: lines
/// already in the order keep the price agreed then (`agreed`), added ones
/// take today's; the promotions are those valid when it was placed. Stock
/// is not checked here: the re-reservation does that under lock. `Err`
/// names a variant no longer in the catalog.
#[allow(clippy::too_many_arguments)]
pub async fn order_view(
    db: &impl ConnectionTrait,
    snapshot: &Snapshot,
    lines: &[(EditLine, Option<Decimal>)],
    choices: &CartChoices,
    customer: &str,
    placed_at: DateTime<Utc>,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Result<CartView, i64>, DbErr> {
    let mut priced = Priced {
        lines: Vec::new(),
        priced: Vec::new(),
        notices: Vec::new(),
        savings: Decimal::ZERO,
        cart: StoredCart::default(),
    };
    for (line, agreed) in lines {
        let Some((product, variant)) = snapshot.variant(line.variant_id) else {
            return Ok(Err(line.variant_id));
        };
        let category_id = snapshot.categories[product.category].id;
        let mut view = line_view(product, variant, category_id, line.quantity, lang);
        view.unit_price = agreed.unwrap_or(variant.price);
        priced.priced.push(Line {
            variant_id: variant.id,
            product_id: product.id,
            category_id,
            unit_price: view.unit_price,
            quantity: line.quantity,
        });
        priced.lines.push(view);
        priced.cart.lines.push(StoredCartLine {
            variant_id: variant.id,
            quantity: line.quantity,
            seen_price: None,
        });
    }
    let delivery_methods = delivery::methods(db, lang).await?;
    priced_view(
        db,
        snapshot,
        priced,
        choices,
        Some(customer),
        placed_at,
        now,
        lang,
        delivery_methods,
    )
    .await
    .map(Ok)
}

fn line_view(
    product: &ProductRec,
    variant: &VariantRec,
    category_id: i64,
    quantity: u32,
    lang: Lang,
) -> CartLineView {
    let label = |v: &VariantRec| {
        v.options
            .iter()
            .map(|o| o.value(lang).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let photo = product
        .photos
        .iter()
        .find(|p| {
            p.option_value
                .as_ref()
                .is_some_and(|o| variant.options.iter().any(|v| &v.code() == o))
        })
        .or_else(|| product.photos.first())
        .map(|p| photo_view(p, lang));
    let variants = if product.variants.len() > 1 {
        product
            .variants
            .iter()
            .map(|v| VariantChoice {
                variant_id: v.id,
                label: label(v),
                available: variant_stock(v).sellable != Some(0),
            })
            .collect()
    } else {
        Vec::new()
    };
    CartLineView {
        variant_id: variant.id,
        product_id: product.id,
        category_id,
        product_slug: product.slug.clone(),
        name: product_name(product, lang).to_string(),
        options: label(variant),
        variants,
        photo,
        unit_price: variant.price,
        old_price: variant.old_price,
        quantity,
        availability: Availability::of(variant.stock.get(), variant.backorder_days),
        max_quantity: variant_stock(variant).sellable,
        in_stock: variant.stock.get(),
        stock: variant.stock.by_warehouse(),
        backorder_days: variant.backorder_days.map(|d| d.max(0) as u32),
        weight_g: product.weight_g.max(0) as u32,
    }
}

/// The signed-in customer's cart as stored (CART-1).
pub async fn account_cart(db: &impl ConnectionTrait, user_id: i64) -> Result<StoredCart, DbErr> {
    let rows = cart_lines::Entity::find()
        .filter(cart_lines::Column::UserId.eq(user_id))
        .order_by_asc(cart_lines::Column::Position)
        .all(db)
        .await?;
    let mut cart = StoredCart::default();
    for row in rows {
        cart.add_line(StoredCartLine {
            variant_id: row.variant_id,
            quantity: row.quantity.max(0) as u32,
            seen_price: row.seen_price_minor.map(from_minor),
        });
    }
    Ok(cart)
}

/// Replaces the customer's stored cart with `cart`, in one transaction.
pub async fn save_account_cart(
    db: &DatabaseConnection,
    user_id: i64,
    cart: &StoredCart,
) -> Result<(), DbErr> {
    // Through `add`, so duplicates merge and quantities stay within limits.
    let cart = combine(&StoredCart::default(), cart);
    let txn = super::begin_write(db).await?;
    cart_lines::Entity::delete_many()
        .filter(cart_lines::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    let rows: Vec<cart_lines::ActiveModel> = cart
        .lines
        .iter()
        .enumerate()
        .map(|(position, line)| cart_lines::ActiveModel {
            user_id: Set(user_id),
            variant_id: Set(line.variant_id),
            quantity: Set(line.quantity as i32),
            position: Set(position as i32),
            seen_price_minor: Set(line.seen_price.and_then(to_minor)),
        })
        .collect();
    if !rows.is_empty() {
        cart_lines::Entity::insert_many(rows).exec(&txn).await?;
    }
    txn.commit().await
}

/// At login or registration: the browser's cart joins the account's.
pub async fn merge_at_login(
    db: &DatabaseConnection,
    user_id: i64,
    local: &StoredCart,
) -> Result<StoredCart, DbErr> {
    let combined = combine(&account_cart(db, user_id).await?, local);
    if !local.lines.is_empty() {
        save_account_cart(db, user_id, &combined).await?;
    }
    Ok(combined)
}
