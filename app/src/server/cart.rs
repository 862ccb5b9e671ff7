//! Prices a cart from the catalog snapshot (CART-2, CART-8): the server's
//! numbers, through the same pricing module the browser uses.
use super::catalog::{Snapshot, VariantRec};
use super::entities::cart_lines;
use super::storefront::{photo_view, product_name};
use crate::api::cart::{CartLineView, CartNoticeView, CartView};
use crate::domain::cart::{check, combine, CartNotice, StoredCart, VariantStock};
use crate::domain::catalog::Availability;
use crate::domain::money::Lang;
use crate::domain::pricing::{self, Line};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};

/// What can be sold of a variant now (`None`: it can be ordered beyond stock).
pub fn variant_stock(variant: &VariantRec) -> VariantStock {
    VariantStock {
        sellable: match variant.backorder_days {
            Some(_) => None,
            None => Some(variant.stock.clamp(0, i64::from(u32::MAX)) as u32),
        },
    }
}

pub fn view(snapshot: &Snapshot, cart: &StoredCart, lang: Lang) -> CartView {
    let (checked, notices) = check(cart, |id| {
        snapshot.variant(id).map(|(_, v)| variant_stock(v))
    });
    let mut lines = Vec::new();
    let mut priced = Vec::new();
    let mut savings = Decimal::ZERO;
    for line in &checked.lines {
        let Some((product, variant)) = snapshot.variant(line.variant_id) else {
            continue;
        };
        let quantity = Decimal::from(line.quantity);
        if let Some(old) = variant.old_price {
            savings += (old - variant.price).max(Decimal::ZERO) * quantity;
        }
        priced.push(Line {
            variant_id: variant.id,
            product_id: product.id,
            category_id: snapshot.categories[product.category].id,
            unit_price: variant.price,
            quantity: line.quantity,
        });
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
        lines.push(CartLineView {
            variant_id: variant.id,
            product_slug: product.slug.clone(),
            name: product_name(product, lang).to_string(),
            options: variant
                .options
                .iter()
                .map(|o| o.value(lang).to_string())
                .collect::<Vec<_>>()
                .join(", "),
            photo,
            unit_price: variant.price,
            old_price: variant.old_price,
            quantity: line.quantity,
            line_total: variant.price * quantity,
            availability: Availability::of(variant.stock, variant.backorder_days),
            max_quantity: variant_stock(variant).sellable,
        });
    }
    let totals = pricing::price(&priced, &[], None);
    let notices = notices
        .into_iter()
        .map(|notice| {
            let id = match &notice {
                CartNotice::Dropped { variant_id }
                | CartNotice::Reduced { variant_id, .. }
                | CartNotice::SoldOut { variant_id } => *variant_id,
            };
            CartNoticeView {
                name: snapshot
                    .variant(id)
                    .map(|(p, _)| product_name(p, lang).to_string()),
                notice,
            }
        })
        .collect();
    CartView {
        lines,
        notices,
        subtotal: totals.subtotal,
        savings,
        total: totals.total,
        cart: checked,
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
        cart.add(row.variant_id, row.quantity.max(0) as u32);
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
    let txn = db.begin().await?;
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
