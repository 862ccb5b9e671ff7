//! Phone orders (ORD-4): finding the caller in the CRM, finding goods by
//! name, SKU or barcode, and the callback request a call answers. Placing
//! the order is `orders::place_by_phone`.
use super::catalog::Snapshot;
use super::customers;
use super::entities::callback_requests;
use crate::api::callbacks::CallbackItem;
use crate::api::customers::{CustomerFilter, CustomerRow};
use crate::api::phone_orders::{CallbackPrefill, VariantPick};
use crate::domain::cart::StoredCart;
use crate::domain::money::Lang;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};

/// Most matches a search shows.
const MATCHES: usize = 10;

pub async fn find_customers(
    db: &DatabaseConnection,
    search: &str,
    lang: Lang,
) -> Result<Vec<CustomerRow>, DbErr> {
    if search.trim().chars().count() < 3 {
        return Ok(Vec::new());
    }
    let filter = CustomerFilter {
        search: search.to_string(),
        ..Default::default()
    };
    let mut rows = customers::list(db, &filter, lang).await?.rows;
    rows.truncate(MATCHES);
    Ok(rows)
}

/// Variants whose product name, SKU or barcode contains every word typed.
pub fn find_variants(snapshot: &Snapshot, query: &str, lang: Lang) -> Vec<VariantPick> {
    let words: Vec<String> = query.split_whitespace().map(|w| w.to_lowercase()).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for product in &snapshot.products {
        let name = match lang {
            Lang::Ru => &product.name_ru,
            Lang::En => &product.name_en,
        };
        for variant in &product.variants {
            let haystack = format!(
                "{} {} {} {}",
                product.name_ru,
                product.name_en,
                variant.sku,
                variant.barcode.as_deref().unwrap_or_default()
            )
            .to_lowercase();
            if !words.iter().all(|w| haystack.contains(w.as_str())) {
                continue;
            }
            found.push(VariantPick {
                variant_id: variant.id,
                sku: variant.sku.clone(),
                name: name.clone(),
                options: variant
                    .options
                    .iter()
                    .map(|o| match lang {
                        Lang::Ru => o.value_ru.clone(),
                        Lang::En => o.value_en.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                price: variant.price,
                in_stock: variant.stock.get(),
                backorder: variant.backorder_days.is_some(),
            });
            if found.len() == MATCHES {
                return found;
            }
        }
    }
    found
}

pub async fn callback_prefill(
    db: &DatabaseConnection,
    id: i64,
) -> Result<Option<CallbackPrefill>, DbErr> {
    let Some(request) = callback_requests::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let items: Vec<CallbackItem> = serde_json::from_str(&request.cart).unwrap_or_default();
    let mut cart = StoredCart::default();
    for item in items {
        // Requests from before variant ids were kept bring only their names.
        if let Some(variant_id) = item.variant_id {
            cart.add(variant_id, item.quantity);
        }
    }
    Ok(Some(CallbackPrefill {
        name: request.name,
        phone: request.phone,
        cart,
    }))
}
