//! The warehouse on a real database (WMS-1 … WMS-4): receipts and
//! adjustments through the ledger, shelves, an order picked, packed by
//! scanning (a wrong item refused), weighed into two parcels and handed
//! over with a tracking number per parcel; a cancelled order's stock given
//! back. After it all, on hand is the sum of the ledger for every row.
use crate::common;

use app::api::checkout::PlaceOutcome;
use app::api::warehouse::{MoveOutcome, PackOutcome, StockMoveForm};
use app::domain::accounts::Role;
use app::domain::cart::StoredCart;
use app::domain::checkout::{CheckoutForm, OrderStatus};
use app::domain::money::Lang;
use app::domain::orders::{ActionInput, OrderAction, TransitionError};
use app::domain::warehouse::{ParcelProblem, ScanProblem, ShelfProblem, StockProblem};
use app::server::entities::{orders, parcels, stock, stock_movements, variants};
use app::server::{order_admin, warehouse, AppState};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

async fn balance(state: &AppState, variant_id: i64, warehouse_id: i64) -> (i32, i32) {
    let row = stock::Entity::find_by_id((variant_id, warehouse_id))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    (row.on_hand, row.quantity)
}

async fn order_of(state: &AppState, variant_id: i64, units: u32, key: &str) -> String {
    let snap = state.catalog.get(&state.db).await.unwrap();
    let mut cart = StoredCart::default();
    cart.add(variant_id, units);
    let request = app::server::orders::Request {
        key: key.into(),
        cart,
        choices: Default::default(),
        form: CheckoutForm {
            name: "Пётр Складов".into(),
            phone: "+7 916 555-44-33".into(),
            email: "petr@example.ru".into(),
            delivery: "courier".into(),
            city: "Москва".into(),
            address: "ул. Складская, 1".into(),
            payment: "cash_on_delivery".into(),
            ..Default::default()
        },
        lang: Lang::En,
    };
    match app::server::orders::place(state, &snap, None, &request)
        .await
        .unwrap()
    {
        PlaceOutcome::Placed { number, .. } => number,
        other => panic!("{other:?}"),
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn stock_moves_only_through_the_ledger_from_receipt_to_handover() {
    let state = common::demo_state().await;
    common::assert_ledger_balances(&state.db).await;
    let keeper = common::user(
        &state.db,
        "keeper@example.com",
        "warehouse-pass-1",
        Role::Warehouse,
    )
    .await;
    let manager = common::user(&state.db, "m@example.com", "manager-pass-1", Role::Manager).await;

    // A variant with a barcode, left with exactly 3 units in one warehouse.
    let variant = variants::Entity::find()
        .filter(variants::Column::Barcode.is_not_null())
        .filter(variants::Column::BackorderDays.is_null())
        .order_by_asc(variants::Column::Id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    let barcode = variant.barcode.clone().unwrap();
    let home = stock::Entity::find()
        .filter(stock::Column::VariantId.eq(variant.id))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .warehouse_id;
    common::set_stock(&state, variant.id, home, 3).await;
    let (on_hand, _) = balance(&state, variant.id, home).await;

    // Receipt of 5 by barcode (WMS-1).
    let receipt = StockMoveForm {
        code: barcode.clone(),
        warehouse_id: home,
        quantity: "5".into(),
        reason: "supplier delivery 17".into(),
        adjustment: false,
    };
    match warehouse::move_stock(&state, &keeper, &receipt, Lang::En)
        .await
        .unwrap()
    {
        MoveOutcome::Done(row) => {
            assert_eq!(
                (row.on_hand, row.reserved, row.available),
                (on_hand + 5, 0, 8)
            )
        }
        other => panic!("{other:?}"),
    }
    // The storefront sees the new stock at once.
    let snap = state.catalog.get(&state.db).await.unwrap();
    let seen = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .find(|v| v.id == variant.id)
        .unwrap()
        .stock
        .get();
    assert_eq!(seen, 8);

    // Refusals: no reason, more than is free, unknown SKU, zero.
    let adjust = |quantity: &str, reason: &str| StockMoveForm {
        code: variant.sku.to_lowercase(),
        warehouse_id: home,
        quantity: quantity.into(),
        reason: reason.into(),
        adjustment: true,
    };
    for (form, problem) in [
        (adjust("-1", " "), StockProblem::ReasonRequired),
        (
            adjust("-9", "count"),
            StockProblem::NotEnough { available: 8 },
        ),
        (adjust("0", "count"), StockProblem::Zero),
        (
            StockMoveForm {
                code: "NO-SUCH-SKU".into(),
                ..adjust("1", "count")
            },
            StockProblem::UnknownSku,
        ),
    ] {
        assert_eq!(
            warehouse::move_stock(&state, &keeper, &form, Lang::En)
                .await
                .unwrap(),
            MoveOutcome::Refused(problem)
        );
    }
    assert!(matches!(
        warehouse::move_stock(&state, &keeper, &adjust("-1", "damaged box"), Lang::En)
            .await
            .unwrap(),
        MoveOutcome::Done(_)
    ));
    assert_eq!(
        balance(&state, variant.id, home).await,
        (on_hand + 4, 7),
        "refusals changed nothing"
    );

    // Shelves.
    assert_eq!(
        warehouse::set_shelf(&state.db, &keeper, variant.id, home, "A 1")
            .await
            .unwrap(),
        Err(ShelfProblem)
    );
    assert_eq!(
        warehouse::set_shelf(&state.db, &keeper, variant.id, home, "b-02-1")
            .await
            .unwrap(),
        Ok(Some("B-02-1".into()))
    );

    // An order of 2 reserves them: on hand stays, for sale goes down.
    let number = order_of(&state, variant.id, 2, "wh-key-000000000001").await;
    assert_eq!(balance(&state, variant.id, home).await, (on_hand + 4, 5));
    order_admin::act(
        &state,
        &manager,
        &number,
        OrderAction::Confirm,
        &ActionInput::default(),
    )
    .await
    .unwrap()
    .unwrap();
    let board = warehouse::queue(&state.db, Lang::En).await.unwrap();
    let waiting = board
        .to_pick
        .iter()
        .find(|o| o.number == number)
        .expect("a confirmed cash order is ready to pick");
    assert_eq!(waiting.units, 2);
    let started = order_admin::act_each(
        &state,
        &keeper,
        OrderAction::StartPicking,
        &[(number.clone(), ActionInput::default())],
    )
    .await
    .unwrap();
    assert_eq!(started.done, vec![number.clone()]);

    // Packing: a wrong item, a missing unit and a bad weight are refused.
    let pack = |scans: Vec<String>, weights: Vec<String>| {
        let state = state.clone();
        let keeper = keeper.clone();
        let number = number.clone();
        async move {
            warehouse::pack(&state, &keeper, &number, &scans, &weights)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        pack(strings(&[&barcode, "WRONG-ITEM"]), strings(&["1"])).await,
        PackOutcome::BadScan(ScanProblem::NotInOrder("WRONG-ITEM".into()))
    );
    assert_eq!(
        pack(strings(&[&barcode]), strings(&["1"])).await,
        PackOutcome::BadScan(ScanProblem::Incomplete(vec![(variant.sku.clone(), 1)]))
    );
    assert_eq!(
        pack(strings(&[&barcode, &variant.sku]), strings(&["1,2", "-3"])).await,
        PackOutcome::BadParcels(ParcelProblem::BadWeight(2))
    );
    let unpacked = orders::Entity::find()
        .filter(orders::Column::Status.eq("picking"))
        .count(&state.db)
        .await
        .unwrap();
    assert_eq!(unpacked, 1, "still picking after the refusals");
    assert_eq!(
        pack(
            strings(&[&barcode, &variant.sku]),
            strings(&["1,2", "0.35"])
        )
        .await,
        PackOutcome::Packed
    );
    let boxes: Vec<i32> = parcels::Entity::find()
        .order_by_asc(parcels::Column::Seq)
        .all(&state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.weight_grams)
        .collect();
    assert_eq!(boxes, [1200, 350]);

    // Handover: one number per parcel.
    let ship = |tracking: &str| {
        let state = state.clone();
        let keeper = keeper.clone();
        let each = vec![(
            number.clone(),
            ActionInput {
                tracking_number: tracking.into(),
                ..Default::default()
            },
        )];
        async move {
            order_admin::act_each(&state, &keeper, OrderAction::Ship, &each)
                .await
                .unwrap()
        }
    };
    let short = ship("CD-1").await;
    assert_eq!(
        short.refused,
        [(number.clone(), TransitionError::TrackingPerParcel(2))]
    );
    assert_eq!(balance(&state, variant.id, home).await, (on_hand + 4, 5));
    assert_eq!(ship("cd-1 CD-2").await.done, vec![number.clone()]);
    let numbers: Vec<Option<String>> = parcels::Entity::find()
        .order_by_asc(parcels::Column::Seq)
        .all(&state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.tracking_number)
        .collect();
    assert_eq!(numbers, [Some("CD-1".into()), Some("CD-2".into())]);
    // Shipped: the two units left the shelf; for sale is unchanged.
    assert_eq!(balance(&state, variant.id, home).await, (on_hand + 2, 5));

    // A second order, cancelled while being picked: its units come back.
    let second = order_of(&state, variant.id, 3, "wh-key-000000000002").await;
    assert_eq!(balance(&state, variant.id, home).await, (on_hand + 2, 2));
    for action in [OrderAction::Confirm, OrderAction::StartPicking] {
        order_admin::act(&state, &manager, &second, action, &ActionInput::default())
            .await
            .unwrap()
            .unwrap();
    }
    let cancel = ActionInput {
        reason: "customer changed their mind".into(),
        ..Default::default()
    };
    assert_eq!(
        order_admin::act(&state, &manager, &second, OrderAction::Cancel, &cancel)
            .await
            .unwrap(),
        Ok(OrderStatus::Cancelled)
    );
    assert_eq!(balance(&state, variant.id, home).await, (on_hand + 2, 5));

    // The ledger tells the whole story of this stock row.
    let kinds: Vec<(String, i32, i32)> = stock_movements::Entity::find()
        .filter(stock_movements::Column::VariantId.eq(variant.id))
        .filter(stock_movements::Column::WarehouseId.eq(home))
        .filter(stock_movements::Column::Reason.is_not_in(["test set-up", "demo stock"]))
        .order_by_asc(stock_movements::Column::Id)
        .all(&state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.kind, m.on_hand_delta, m.reserved_delta))
        .collect();
    let k = |kind: &str, on_hand, reserved| (kind.to_string(), on_hand, reserved);
    assert_eq!(
        kinds,
        [
            k("receipt", 5, 0),
            k("adjustment", -1, 0),
            k("reservation", 0, 2),
            k("shipment", -2, -2),
            k("reservation", 0, 3),
            k("release", 0, -3),
        ]
    );
    common::assert_ledger_balances(&state.db).await;
}
