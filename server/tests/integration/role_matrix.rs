//! The role matrix over HTTP (ORD/WMS issue, item 7): every admin server
//! function and every admin page, for every role, answers as
//! `domain::accounts::role_allows` says; a new admin endpoint must be added
//! here (the test reads the API sources and fails otherwise).
use crate::common;

use app::domain::accounts::{role_allows, Permission, Role};
use app::domain::catalog::editing::{CategoryForm, InfoPageForm, ProductForm};
use app::domain::delivery::{DeliveryMethodForm, PickupPointForm, WarehouseDays};
use app::domain::money::Lang;
use app::domain::promotions::{Combination, PromotionForm};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::json;
use std::collections::BTreeSet;
use tower::ServiceExt;

enum Args {
    Form(&'static str),
    Json(serde_json::Value),
}

/// Every admin server function: its permission and arguments that pass
/// deserialisation (and touch nothing that exists).
fn endpoints() -> Vec<(&'static str, Permission, Args)> {
    use Args::*;
    use Permission::*;
    vec![
        ("admin_dashboard", AdminArea, Form("")),
        (
            "admin_list_users",
            ManageUsers,
            Form("staff_only=true&query="),
        ),
        (
            "admin_create_staff",
            ManageUsers,
            Form("email=&name=&role=operator&password="),
        ),
        (
            "admin_change_role",
            ManageUsers,
            Form("user_id=999999&role=operator"),
        ),
        ("admin_audit_log", ReadAuditLog, Form("page=0")),
        ("admin_import_report", ManageCatalog, Form("id=999999")),
        ("admin_catalog_list", ManageCatalog, Form("query=&page=0")),
        ("admin_product_editor", ManageCatalog, Form("")),
        (
            "admin_product_save",
            ManageCatalog,
            Json(json!({ "form": ProductForm::default() })),
        ),
        (
            "admin_product_publish",
            ManageCatalog,
            Form("id=999999&published=true"),
        ),
        ("admin_product_delete", ManageCatalog, Form("id=999999")),
        (
            "admin_photo_edit",
            ManageCatalog,
            Form("photo_id=999999&action=delete&alt_ru=&alt_en=&shows="),
        ),
        ("admin_info_pages", ManageCatalog, Form("")),
        (
            "admin_info_page_save",
            ManageCatalog,
            Json(json!({ "form": InfoPageForm::default() })),
        ),
        ("admin_categories", ManageCatalog, Form("")),
        (
            "admin_category_save",
            ManageCatalog,
            Json(json!({ "form": CategoryForm::default() })),
        ),
        ("admin_category_delete", ManageCatalog, Form("id=999999")),
        ("admin_callbacks", HandleCallbacks, Form("all=true")),
        (
            "admin_callback_update",
            HandleCallbacks,
            Form("id=999999&status=called&note="),
        ),
        ("admin_delivery", ManageDelivery, Form("")),
        (
            "admin_warehouse_days",
            ManageDelivery,
            Json(json!({ "form": WarehouseDays { id: 999_999, ..Default::default() } })),
        ),
        (
            "admin_delivery_method",
            ManageDelivery,
            Json(json!({ "form": DeliveryMethodForm::default() })),
        ),
        (
            "admin_pickup_point",
            ManageDelivery,
            Json(json!({ "form": PickupPointForm::default() })),
        ),
        ("admin_notifications", ManageNotifications, Form("")),
        (
            "admin_notification_template",
            ManageNotifications,
            Json(json!({ "id": 999_999, "subject": "", "body": "", "active": true })),
        ),
        (
            "admin_notification_resend",
            ManageNotifications,
            Form("id=999999"),
        ),
        ("admin_promotions", ManagePromotions, Form("")),
        (
            "admin_promotion_save",
            ManagePromotions,
            Json(json!({ "form": PromotionForm::default() })),
        ),
        (
            "admin_promotion_active",
            ManagePromotions,
            Form("id=999999&active=true"),
        ),
        (
            "admin_promotion_combination",
            ManagePromotions,
            Json(json!({ "rule": Combination::default() })),
        ),
        (
            "admin_orders",
            HandleOrders,
            Json(
                json!({ "filter": app::api::admin_orders::OrderFilter::default(), "lang": Lang::En }),
            ),
        ),
        (
            "admin_order",
            HandleOrders,
            Json(json!({ "number": "1", "lang": Lang::En })),
        ),
        (
            "admin_order_act",
            HandleOrders,
            Json(json!({
                "number": "1",
                "action": app::domain::orders::OrderAction::Confirm,
                "input": app::domain::orders::ActionInput::default(),
                "lang": Lang::En,
            })),
        ),
        (
            "admin_order_note",
            HandleOrders,
            Json(json!({ "number": "1", "text": "", "lang": Lang::En })),
        ),
        (
            "admin_order_tracking",
            HandleOrders,
            Json(json!({
                "number": "1", "tracking_number": "RA1", "status": "in_transit", "place": "",
                "lang": Lang::En,
            })),
        ),
        (
            "admin_order_payment",
            TakePayments,
            Json(json!({ "number": "1", "amount": "100", "lang": Lang::En })),
        ),
        (
            "admin_order_edit_draft",
            HandleOrders,
            Json(json!({ "number": "1", "lang": Lang::En })),
        ),
        (
            "admin_order_edit",
            HandleOrders,
            Json(json!({
                "number": "1", "edit": app::domain::order_edits::OrderEdit::default(),
                "save": false, "lang": Lang::En,
            })),
        ),
        (
            "admin_orders_confirm",
            HandleOrders,
            Json(json!({ "numbers": ["1"] })),
        ),
        (
            "admin_customers",
            HandleCustomers,
            Json(json!({
                "filter": app::api::customers::CustomerFilter::default(),
                "lang": Lang::En,
            })),
        ),
        (
            "admin_customer",
            HandleCustomers,
            Json(json!({ "id": 999999, "lang": Lang::En })),
        ),
        (
            "admin_customer_save",
            HandleCustomers,
            Json(json!({
                "id": 999999,
                "form": app::domain::customers::ContactsForm::default(),
                "lang": Lang::En,
            })),
        ),
        (
            "admin_customer_note",
            HandleCustomers,
            Json(json!({ "id": 999999, "text": "", "lang": Lang::En })),
        ),
        (
            "admin_customer_tag",
            HandleCustomers,
            Json(json!({ "id": 999999, "tag": "vip", "add": true, "lang": Lang::En })),
        ),
        (
            "admin_customer_merge",
            MergeCustomers,
            Json(json!({ "target": 999999, "source": 999998, "lang": Lang::En })),
        ),
        (
            "admin_phone_customers",
            HandleOrders,
            Json(json!({ "search": "+7916", "lang": Lang::En })),
        ),
        (
            "admin_phone_products",
            HandleOrders,
            Json(json!({ "query": "shirt", "lang": Lang::En })),
        ),
        (
            "admin_phone_callback",
            HandleOrders,
            Json(json!({ "id": 999999 })),
        ),
        (
            "admin_returns",
            HandleOrders,
            Json(json!({ "open_only": true, "lang": Lang::En })),
        ),
        (
            "admin_return_decide",
            HandleOrders,
            Json(json!({
                "id": 1, "decision": app::domain::return_requests::RequestDecision::Accept,
                "reply": "", "lang": Lang::En,
            })),
        ),
        (
            "admin_phone_order",
            HandleOrders,
            Json(json!({
                "order": {
                    "key": "matrix-phone-order-0001",
                    "cart": app::domain::cart::StoredCart::default(),
                    "choices": app::domain::cart::CartChoices::default(),
                    "form": app::domain::checkout::CheckoutForm::default(),
                    "customer_id": null,
                    "callback_id": null,
                },
                "lang": Lang::En,
            })),
        ),
        (
            "warehouse_queue",
            RunWarehouse,
            Json(json!({ "lang": Lang::En })),
        ),
        (
            "warehouse_stock",
            RunWarehouse,
            Json(json!({ "search": "", "warehouse_id": null, "page": 0, "lang": Lang::En })),
        ),
        (
            "warehouse_movements",
            RunWarehouse,
            Json(json!({ "search": "", "page": 0 })),
        ),
        (
            "warehouse_move",
            RunWarehouse,
            Json(json!({
                "form": app::api::warehouse::StockMoveForm::default(),
                "lang": Lang::En,
            })),
        ),
        (
            "warehouse_shelf",
            RunWarehouse,
            Json(json!({ "variant_id": 0, "warehouse_id": 0, "shelf": "A-1" })),
        ),
        (
            "warehouse_start_picking",
            RunWarehouse,
            Json(json!({ "numbers": ["1"] })),
        ),
        (
            "warehouse_packing",
            RunWarehouse,
            Json(json!({ "number": "1", "lang": Lang::En })),
        ),
        (
            "warehouse_pack",
            RunWarehouse,
            Json(json!({ "number": "1", "scans": [], "weights_kg": [] })),
        ),
        (
            "warehouse_handover",
            RunWarehouse,
            Json(json!({ "shipments": [["1", ""]] })),
        ),
    ]
}

/// Every admin page and the permission it needs.
const PAGES: [(&str, Permission); 21] = [
    ("/admin", Permission::AdminArea),
    ("/admin/users", Permission::ManageUsers),
    ("/admin/audit", Permission::ReadAuditLog),
    ("/admin/catalog", Permission::ManageCatalog),
    ("/admin/catalog/new", Permission::ManageCatalog),
    ("/admin/pages", Permission::ManageCatalog),
    ("/admin/categories", Permission::ManageCatalog),
    ("/admin/promotions", Permission::ManagePromotions),
    ("/admin/callbacks", Permission::HandleCallbacks),
    ("/admin/notifications", Permission::ManageNotifications),
    ("/admin/delivery", Permission::ManageDelivery),
    ("/admin/orders", Permission::HandleOrders),
    ("/admin/phone-order", Permission::HandleOrders),
    ("/admin/orders/100001/edit", Permission::HandleOrders),
    ("/admin/returns", Permission::HandleOrders),
    ("/admin/customers", Permission::HandleCustomers),
    ("/admin/customers/1", Permission::HandleCustomers),
    ("/admin/pick-list?orders=100001", Permission::RunWarehouse),
    ("/admin/warehouse", Permission::RunWarehouse),
    ("/admin/warehouse/pack/100001", Permission::RunWarehouse),
    ("/admin/manifest?orders=100001", Permission::RunWarehouse),
];

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn call(endpoint: &str, args: &Args, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::post(format!("/api/{endpoint}"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    match args {
        Args::Form(body) => req
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(*body))
            .unwrap(),
        Args::Json(value) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(value.to_string()))
            .unwrap(),
    }
}

#[tokio::test]
async fn every_admin_endpoint_and_page_answers_each_role_as_the_matrix_says() {
    // The table covers every admin server function in the sources.
    let mut declared = BTreeSet::new();
    for entry in std::fs::read_dir("../app/src/api").unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for prefix in ["admin_", "warehouse_"] {
            for part in text.split(&format!("endpoint = \"{prefix}")).skip(1) {
                declared.insert(format!("{prefix}{}", part.split('"').next().unwrap()));
            }
        }
    }
    let listed: BTreeSet<String> = endpoints().iter().map(|(e, _, _)| e.to_string()).collect();
    assert_eq!(declared, listed, "every admin endpoint is in the matrix");

    let (app, state) = common::router().await;
    let mut sessions: Vec<(Option<Role>, Option<String>)> = vec![(None, None)];
    for role in Role::ALL {
        let email = format!("{}@matrix.example", role.as_str());
        common::user(&state.db, &email, "matrix-pass-123", role).await;
        let (status, headers) = {
            let res = app
                .clone()
                .oneshot(
                    Request::post("/api/login")
                        .header(header::HOST, "127.0.0.1:3000")
                        .header(header::ORIGIN, "http://127.0.0.1:3000")
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .header(header::ACCEPT, "application/json")
                        .body(Body::from(format!(
                            "email={email}&password=matrix-pass-123&next="
                        )))
                        .unwrap(),
                )
                .await
                .unwrap();
            (res.status(), res.headers().clone())
        };
        assert_eq!(status, StatusCode::OK, "{role:?} logs in");
        let cookie = headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        sessions.push((Some(role), Some(cookie)));
    }

    let mut checked = 0;
    for (role, cookie) in &sessions {
        for (endpoint, permission, args) in endpoints() {
            let (status, body) = send(&app, call(endpoint, &args, cookie.as_deref())).await;
            let refused = body.contains("Forbidden") || body.contains("NotLoggedIn");
            let allowed = role.is_some_and(|r| role_allows(r, permission));
            assert_eq!(
                !refused, allowed,
                "{role:?} → {endpoint}: {status} {body:.200}"
            );
            if allowed {
                assert_ne!(status, StatusCode::BAD_REQUEST, "{endpoint}: {body:.200}");
            }
            checked += 1;
        }
        for (path, permission) in PAGES {
            let mut req = Request::get(path).header(header::ACCEPT, "text/html");
            if let Some(c) = cookie {
                req = req.header(header::COOKIE, c.as_str());
            }
            let (status, _) = send(&app, req.body(Body::empty()).unwrap()).await;
            let expected = match role {
                None => StatusCode::FOUND,
                Some(r) if role_allows(*r, permission) => StatusCode::OK,
                Some(_) => StatusCode::FORBIDDEN,
            };
            assert_eq!(status, expected, "{role:?} → {path}");
            checked += 1;
        }
    }
    assert_eq!(checked, 6 * (60 + 21));

    // A line break in the query cannot reach the login redirect's header.
    let (status, _) = send(
        &app,
        Request::get("/admin/pick-list?orders=1%0d%0aSet-Cookie:%20x=1")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::FOUND);
}
