//! Return requests (ORD-7) on a real database: the customer asks with a
//! reason and a photo once the order is delivered, only for units not
//! already returned or asked for, within the return window; staff accept or
//! reject (with a reply); receiving goes through the order's Return action,
//! so only managers and admins take goods in, and the refund, the stock
//! back on the shelf and the request's link to the return follow.
use crate::common;

use app::domain::accounts::Role;
use app::domain::checkout::CheckoutForm;
use app::domain::money::Lang;
use app::domain::orders::{ActionInput, OrderAction, TransitionError};
use app::domain::return_requests::{
    DecisionProblem, RequestDecision, RequestForm, RequestProblem, RequestStatus,
};
use app::domain::returns::{ReturnProblem, ReturnedLine};
use app::server::accounts::AuthUser;
use app::server::entities::{order_lines, orders, outbox, return_requests, stock_movements};
use app::server::return_requests::{decide, for_order, open, DecisionRefused};
use app::server::{order_admin, AppState};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// A guest's cash order of two units of one variant, delivered.
async fn delivered_order(state: &AppState, manager: &AuthUser) -> (String, String, i64) {
    use app::api::checkout::PlaceOutcome;
    let snap = state.catalog.get(&state.db).await.unwrap();
    let variant = snap
        .products
        .iter()
        .flat_map(|p| p.variants.iter())
        .find(|v| v.stock.get() >= 5 && v.backorder_days.is_none())
        .unwrap();
    let mut cart = app::domain::cart::StoredCart::default();
    cart.add(variant.id, 2);
    let request = app::server::orders::Request {
        key: "return-request-key-0001".into(),
        cart,
        choices: Default::default(),
        form: CheckoutForm {
            name: "Анна Белова".into(),
            phone: "+7 916 555-44-33".into(),
            email: "anna@example.ru".into(),
            delivery: "courier".into(),
            city: "Москва".into(),
            address: "ул. Лесная, 3".into(),
            payment: "cash_on_delivery".into(),
            ..Default::default()
        },
        lang: Lang::En,
    };
    let (number, token) = match app::server::orders::place(state, &snap, None, &request)
        .await
        .unwrap()
    {
        PlaceOutcome::Placed { number, token } => (number, token),
        other => panic!("{other:?}"),
    };
    let line = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(app::domain::checkout::order_id(&number).unwrap()))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    // Not delivered yet: nothing to send back.
    assert_eq!(
        open(
            state,
            &token,
            form(line.id, 1, "wrong_size", ""),
            vec![],
            Utc::now()
        )
        .await
        .unwrap(),
        Err(RequestProblem::NotDelivered)
    );
    let steps = [
        (OrderAction::Confirm, ActionInput::default()),
        (OrderAction::StartPicking, ActionInput::default()),
        (
            OrderAction::Pack,
            ActionInput {
                parcels: vec![900],
                ..Default::default()
            },
        ),
        (
            OrderAction::Ship,
            ActionInput {
                tracking_number: "RA55".into(),
                ..Default::default()
            },
        ),
        (OrderAction::Deliver, ActionInput::default()),
    ];
    for (action, input) in steps {
        order_admin::act(state, manager, &number, action, &input)
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{action:?}: {e:?}"));
    }
    (number, token, line.id)
}

fn form(line_id: i64, quantity: u32, reason: &str, comment: &str) -> RequestForm {
    RequestForm {
        lines: vec![ReturnedLine { line_id, quantity }],
        reason: reason.into(),
        comment: comment.into(),
        photos: 0,
    }
}

fn photo() -> Vec<u8> {
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        700,
        500,
        image::Rgb([30, 90, 160]),
    ))
    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
    .unwrap();
    png
}

async fn status_of(state: &AppState, id: i64) -> return_requests::Model {
    return_requests::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_customer_asks_and_staff_accept_receive_or_reject() {
    let state = common::demo_state().await;
    let manager = common::user(&state.db, "m@example.com", "manager-pass-1", Role::Manager).await;
    let operator = common::user(
        &state.db,
        "op@example.com",
        "operator-pass-1",
        Role::Operator,
    )
    .await;
    let (number, token, line_id) = delivered_order(&state, &manager).await;
    let now = Utc::now();
    let ask = |form: RequestForm, photos: Vec<Vec<u8>>, at| {
        let (state, token) = (state.clone(), token.clone());
        async move { open(&state, &token, form, photos, at).await.unwrap() }
    };

    // Each problem with its own answer; nothing is stored for any of them.
    assert_eq!(
        ask(form(line_id, 3, "wrong_size", ""), vec![], now).await,
        Err(RequestProblem::Lines(ReturnProblem::TooMany {
            line_id,
            left: 2
        }))
    );
    assert_eq!(
        ask(form(line_id, 1, "", ""), vec![], now).await,
        Err(RequestProblem::NoReason)
    );
    assert_eq!(
        ask(form(line_id, 1, "defective", " "), vec![], now).await,
        Err(RequestProblem::CommentRequired)
    );
    assert_eq!(
        ask(
            form(line_id, 1, "wrong_size", ""),
            vec![b"not a picture".to_vec()],
            now
        )
        .await,
        Err(RequestProblem::BadPhoto)
    );
    assert_eq!(
        ask(
            form(line_id, 1, "wrong_size", ""),
            vec![],
            now + Duration::days(15)
        )
        .await,
        Err(RequestProblem::TooLate)
    );
    assert!(open(
        &state,
        "no-such-order-token-000",
        form(line_id, 1, "wrong_size", ""),
        vec![],
        now
    )
    .await
    .is_err());
    let order_id = app::domain::checkout::order_id(&number).unwrap();
    assert!(for_order(&state.db, order_id, Lang::En)
        .await
        .unwrap()
        .is_empty());

    // One unit, defective, with a photo.
    let first = ask(
        form(line_id, 1, "defective", " The seam came apart "),
        vec![photo()],
        now,
    )
    .await
    .unwrap();
    let views = for_order(&state.db, order_id, Lang::En).await.unwrap();
    assert_eq!(views.len(), 1);
    let view = &views[0];
    assert_eq!(
        (
            view.status,
            view.reason.as_str(),
            view.comment.as_str(),
            view.items[0].1
        ),
        (
            RequestStatus::Requested,
            "Defective or damaged",
            "The seam came apart",
            1
        )
    );
    assert_eq!(view.photos.len(), 1);
    let file = view.photos[0].thumb.trim_start_matches("/media/");
    assert!(state.config.media_dir.join(file).exists(), "{file}");
    // The unit is held: only one more can be asked for.
    assert_eq!(
        ask(form(line_id, 2, "wrong_size", ""), vec![], now).await,
        Err(RequestProblem::Lines(ReturnProblem::TooMany {
            line_id,
            left: 1
        }))
    );

    let staff_decides = |who: AuthUser, id: i64, decision: RequestDecision, reply: &'static str| {
        let state = state.clone();
        async move {
            decide(&state, &who, id, decision, reply, Lang::En)
                .await
                .unwrap()
        }
    };
    let receive = RequestDecision::Receive { restock: true };
    assert_eq!(
        staff_decides(operator.clone(), first, receive, "").await,
        Err(DecisionRefused::Request(DecisionProblem::NotFrom(
            RequestStatus::Requested
        )))
    );
    assert_eq!(
        staff_decides(operator.clone(), first, RequestDecision::Reject, "").await,
        Err(DecisionRefused::Request(DecisionProblem::ReplyRequired))
    );
    assert_eq!(
        staff_decides(operator.clone(), first, RequestDecision::Accept, "").await,
        Ok(())
    );
    // An operator cannot take goods in (the order's Return action): the
    // request stays accepted.
    assert_eq!(
        staff_decides(operator.clone(), first, receive, "").await,
        Err(DecisionRefused::Order(TransitionError::Forbidden))
    );
    assert_eq!(status_of(&state, first).await.status, "accepted");
    let stock_back = || async {
        stock_movements::Entity::find()
            .filter(stock_movements::Column::OrderId.eq(order_id))
            .filter(stock_movements::Column::Kind.eq("return"))
            .all(&state.db)
            .await
            .unwrap()
            .len()
    };
    assert_eq!(stock_back().await, 0);
    assert_eq!(
        staff_decides(manager.clone(), first, receive, "Refund sent").await,
        Ok(())
    );
    let received = status_of(&state, first).await;
    assert_eq!(received.status, "received");
    assert!(received.return_id.is_some());
    assert_eq!(received.decided_by, Some(manager.id));
    let order = orders::Entity::find_by_id(order_id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    // Half the goods came back: half of what was paid for them.
    assert_eq!(
        order.refunded_minor * 2,
        order.goods_minor - order.discount_minor
    );
    assert_eq!(
        order.status, "delivered",
        "a partial return keeps the status"
    );
    assert_eq!(stock_back().await, 1);
    // The customer heard of each step, by e-mail and SMS.
    for event in ["return_accepted", "return_received"] {
        let queued = outbox::Entity::find()
            .filter(outbox::Column::Event.eq(event))
            .all(&state.db)
            .await
            .unwrap();
        assert_eq!(queued.len(), 2, "{event}");
    }
    assert_eq!(
        staff_decides(manager.clone(), first, receive, "").await,
        Err(DecisionRefused::Request(DecisionProblem::NotFrom(
            RequestStatus::Received
        )))
    );

    // The second unit: asked for, rejected with a reply, so free again.
    let second = ask(form(line_id, 1, "changed_mind", ""), vec![], now)
        .await
        .unwrap();
    assert_eq!(
        staff_decides(
            operator.clone(),
            second,
            RequestDecision::Reject,
            "Worn: tags removed"
        )
        .await,
        Ok(())
    );
    let views = for_order(&state.db, order_id, Lang::Ru).await.unwrap();
    assert_eq!(
        (views[0].status_label.as_str(), views[0].reply.as_str()),
        ("Отклонено", "Worn: tags removed")
    );
    let rejected = outbox::Entity::find()
        .filter(outbox::Column::Event.eq("return_rejected"))
        .all(&state.db)
        .await
        .unwrap();
    assert_eq!(rejected.len(), 2);
    let third = ask(form(line_id, 1, "changed_mind", ""), vec![], now).await;
    assert!(third.is_ok(), "{third:?}");
}
