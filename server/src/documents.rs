//! Order documents (CHK-3): a print-ready invoice for orders paid by bank
//! transfer, and a receipt for every other order, at `/order/{token}/invoice`
//! and `/order/{token}/receipt`. Plain HTML with print styles: the browser's
//! "Print" or "Save as PDF" makes the paper or the PDF. The order's private
//! token is the key, as for the order page.
use app::domain::catalog::from_minor;
use app::domain::checkout::{order_number, PaymentMethod};
use app::domain::money::{format_money, Currency, Lang};
use app::server::entities::{order_lines, orders};
use app::server::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/order/{token}/invoice", get(invoice))
        .route("/order/{token}/receipt", get(receipt))
        .with_state(state)
}

/// HTML-escapes text for element content and attribute values.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Invoice,
    Receipt,
}

async fn invoice(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    document(&state, &token, Kind::Invoice).await
}

async fn receipt(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    document(&state, &token, Kind::Receipt).await
}

async fn document(state: &AppState, token: &str, kind: Kind) -> Response {
    match render(state, token, kind).await {
        Ok(Some(html)) => (
            [
                (header::CACHE_CONTROL, "private, no-store"),
                (header::HeaderName::from_static("x-robots-tag"), "noindex"),
            ],
            Html(html),
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "No such order.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "order document");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn render(
    state: &AppState,
    token: &str,
    kind: Kind,
) -> Result<Option<String>, sea_orm::DbErr> {
    let Some(order) = orders::Entity::find()
        .filter(orders::Column::Token.eq(token))
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    // Only orders to be paid by transfer have an invoice.
    if kind == Kind::Invoice && order.payment_method != PaymentMethod::BankInvoice.as_str() {
        return Ok(None);
    }
    let lines = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(order.id))
        .order_by_asc(order_lines::Column::Id)
        .all(&state.db)
        .await?;
    // The shop's name, address and currency come from the shared cache; the
    // seller's legal details are read here, the only place that needs them.
    let shop = state.shop_info.get(&state.db).await?;
    let rows: std::collections::HashMap<String, String> =
        app::server::entities::settings::Entity::find()
            .all(&state.db)
            .await?
            .into_iter()
            .map(|s| (s.key, s.value))
            .collect();
    let setting = |key: &str| rows.get(key).cloned().unwrap_or_default();
    let lang = if order.lang == "en" {
        Lang::En
    } else {
        Lang::Ru
    };
    let ru = lang == Lang::Ru;
    let currency: Currency = shop.currency;
    let money = |minor: i64| escape(&format_money(from_minor(minor), currency, lang));
    let number = order_number(order.id);
    let date = order.created_at.format("%d.%m.%Y").to_string();
    let seller_name = match setting("shop.legal_name") {
        name if name.is_empty() => shop.name.clone(),
        name => name,
    };
    let (inn, kpp) = (setting("shop.inn"), setting("shop.kpp"));

    let title = match (kind, ru) {
        (Kind::Invoice, true) => format!("Счёт на оплату № {number} от {date}"),
        (Kind::Invoice, false) => format!("Invoice No. {number} of {date}"),
        (Kind::Receipt, true) => format!("Товарный чек к заказу № {number} от {date}"),
        (Kind::Receipt, false) => format!("Receipt for order No. {number} of {date}"),
    };
    let mut seller = format!("<strong>{}</strong>", escape(&seller_name));
    if !inn.is_empty() {
        seller.push_str(&format!(
            ", {} {}",
            if ru { "ИНН" } else { "INN" },
            escape(&inn)
        ));
    }
    if !kpp.is_empty() {
        seller.push_str(&format!(
            ", {} {}",
            if ru { "КПП" } else { "KPP" },
            escape(&kpp)
        ));
    }
    if !shop.address.is_empty() {
        seller.push_str(&format!(", {}", escape(&shop.address)));
    }
    let bank = if kind == Kind::Invoice {
        let (bank, bik, account, corr) = (
            setting("shop.bank"),
            setting("shop.bik"),
            setting("shop.account"),
            setting("shop.corr_account"),
        );
        let labels = if ru {
            ["Банк получателя", "БИК", "Расчётный счёт", "Корр. счёт"]
        } else {
            [
                "Beneficiary's bank",
                "BIC",
                "Account",
                "Correspondent account",
            ]
        };
        let rows: String = labels
            .iter()
            .zip([&bank, &bik, &account, &corr])
            .map(|(label, value)| format!("<tr><th>{label}</th><td>{}</td></tr>", escape(value)))
            .collect();
        format!(r#"<table class="bank" data-testid="invoice-bank">{rows}</table>"#)
    } else {
        String::new()
    };
    let buyer = if order.company_inn.is_empty() {
        format!("{}, {}", escape(&order.name), escape(&order.phone))
    } else {
        let mut b = format!(
            "<strong>{}</strong>, {} {}",
            escape(&order.company_name),
            if ru { "ИНН" } else { "INN" },
            escape(&order.company_inn)
        );
        if !order.company_kpp.is_empty() {
            b.push_str(&format!(
                ", {} {}",
                if ru { "КПП" } else { "KPP" },
                escape(&order.company_kpp)
            ));
        }
        b
    };
    let heads = if ru {
        ["№", "Товар", "Артикул", "Кол-во", "Цена", "Сумма"]
    } else {
        ["No.", "Item", "SKU", "Qty", "Price", "Amount"]
    };
    let head: String = heads.iter().map(|h| format!("<th>{h}</th>")).collect();
    let rows: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let name = if l.options.is_empty() {
                escape(&l.name)
            } else {
                format!("{} ({})", escape(&l.name), escape(&l.options))
            };
            format!(
                r#"<tr data-testid="document-line"><td>{}</td><td>{name}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                i + 1,
                escape(&l.sku),
                l.quantity,
                money(l.unit_price_minor),
                money(l.unit_price_minor * i64::from(l.quantity)),
            )
        })
        .collect();
    let mut totals = format!(
        "<tr><th>{}</th><td>{}</td></tr>",
        if ru { "Товары" } else { "Goods" },
        money(order.goods_minor)
    );
    if order.discount_minor != 0 {
        totals.push_str(&format!(
            "<tr><th>{}</th><td>−{}</td></tr>",
            if ru { "Скидка" } else { "Discount" },
            money(order.discount_minor)
        ));
    }
    totals.push_str(&format!(
        "<tr><th>{}</th><td>{}</td></tr><tr class=\"grand\"><th>{}</th><td data-testid=\"document-total\">{}</td></tr>",
        if ru { "Доставка" } else { "Delivery" },
        money(order.delivery_minor),
        if ru { "Итого" } else { "Total" },
        money(order.total_minor),
    ));
    let vat = if ru {
        "Без НДС."
    } else {
        "VAT not applicable."
    };
    let footer = match kind {
        Kind::Invoice => format!(
            "<p>{} <strong>{}</strong></p><p>{}</p>",
            if ru {
                "Назначение платежа:"
            } else {
                "Payment reference:"
            },
            escape(&if ru {
                format!("Оплата по счёту № {number} от {date}. {vat}")
            } else {
                format!("Payment of invoice No. {number} of {date}. {vat}")
            }),
            {
                let last = app::domain::payments::invoice_last_day(order.created_at.date_naive())
                    .format("%d.%m.%Y");
                if ru {
                    format!("Счёт действителен 5 банковских дней, до {last} включительно. Товар резервируется до поступления оплаты; неоплаченный заказ после этого отменяется.")
                } else {
                    format!("This invoice is valid for 5 banking days, until {last} inclusive. The goods are held until the payment arrives; after that an unpaid order is cancelled.")
                }
            }
        ),
        Kind::Receipt => format!(
            "<p>{} {}. {}: {}.</p><p>{vat}</p>",
            if ru {
                "Способ оплаты:"
            } else {
                "Payment:"
            },
            escape(
                PaymentMethod::parse(&order.payment_method)
                    .map(|p| p.label(lang))
                    .unwrap_or(&order.payment_method)
            ),
            if ru {
                "Статус оплаты"
            } else {
                "Payment status"
            },
            match (order.payment_status == "paid", ru) {
                (true, true) => "оплачен",
                (true, false) => "paid",
                (false, true) => "не оплачен",
                (false, false) => "not paid",
            }
        ),
    };
    let print_hint = if ru {
        "Чтобы распечатать или сохранить в PDF, нажмите Ctrl+P (⌘P)."
    } else {
        "To print or save as PDF, press Ctrl+P (⌘P)."
    };
    let (seller_label, buyer_label) = if ru {
        ("Поставщик", "Покупатель")
    } else {
        ("Seller", "Buyer")
    };
    let lang_code = if ru { "ru" } else { "en" };
    Ok(Some(format!(
        r#"<!doctype html><html lang="{lang_code}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#111;font-size:14px}}
h1{{font-size:1.3rem}}table{{border-collapse:collapse;width:100%;margin:1rem 0}}
th,td{{border:1px solid #999;padding:.35rem .5rem;text-align:left;vertical-align:top}}
.num{{text-align:right;white-space:nowrap}}table.totals{{width:auto;margin-left:auto}}
table.totals td{{text-align:right;white-space:nowrap}}.grand{{font-weight:700}}
.hint{{color:#555}}@media print{{.hint{{display:none}}body{{margin:0}}}}
</style></head><body>
<p class="hint">{print_hint}</p>
{bank}
<h1 data-testid="document-title">{title}</h1>
<p>{seller_label}: {seller}</p>
<p data-testid="document-buyer">{buyer_label}: {buyer}</p>
<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>
<table class="totals">{totals}</table>
{footer}
</body></html>"#,
        title = escape(&title),
    )))
}
