//! Catalog management on a real database: saving validates everything,
//! refuses taken slugs and SKUs without writing anything, and what is saved
//! shows on the storefront at once.
use crate::common;

use app::api::admin_catalog::SaveOutcome;
use app::domain::accounts::Role;
use app::domain::catalog::editing::{Problem, ProductForm, VariantForm};
use app::domain::money::Lang;
use app::server::entities::{products, variants};
use app::server::{catalog_admin, storefront, AppState};
use sea_orm::{EntityTrait, PaginatorTrait};

async fn setup() -> (AppState, app::server::accounts::AuthUser) {
    let state = common::demo_state().await;
    let manager = common::user(
        &state.db,
        "m@example.com",
        "manager-pass-123",
        Role::Manager,
    )
    .await;
    (state, manager)
}

fn form(state_category: i64, warehouse: i64) -> ProductForm {
    let variant = |sku: &str, colour: &str, price: &str| VariantForm {
        sku: sku.into(),
        color_ru: colour.into(),
        color_en: colour.into(),
        price: price.into(),
        stock: vec![(warehouse, "4".into())],
        ..Default::default()
    };
    ProductForm {
        name_ru: "Плед".into(),
        name_en: "Wool blanket".into(),
        category_id: state_category,
        published: true,
        variants: vec![
            variant("WB-1", "Red", "3990"),
            variant("WB-2", "Blue", "4190.90"),
        ],
        details: Some(app::domain::catalog::editing::ProductDetails {
            weight_g: "900".into(),
            attributes: "Материал | Material | Шерсть | Wool".into(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

async fn ids(state: &AppState) -> (i64, i64) {
    let editor = catalog_admin::editor(&state.db, None).await.unwrap();
    (editor.categories[0].id, editor.warehouses[0].id)
}

#[tokio::test]
async fn saved_products_show_on_the_storefront_at_once() {
    let (state, manager) = setup().await;
    let (category, warehouse) = ids(&state).await;
    let outcome = catalog_admin::save(&state, &manager, form(category, warehouse))
        .await
        .unwrap();
    let SaveOutcome::Saved { id, slug } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(slug, "wool-blanket");
    let snap = state.catalog.get(&state.db).await.unwrap();
    let page = storefront::product(&snap, &slug, Lang::En).expect("on the storefront");
    assert_eq!(page.variants.len(), 2);
    assert_eq!(page.variants[1].price.to_string(), "4190.90");
    assert!(page
        .attributes
        .contains(&("Material".to_string(), "Wool".to_string())));
    assert_eq!(page.weight_g, 900);

    // Staff find it by its Russian name in any case: SQLite's LIKE folds
    // only ASCII letters.
    for typed in ["ПЛЕД", "плед"] {
        let listed = catalog_admin::list(&state.db, typed, 1).await.unwrap();
        assert!(listed.rows.iter().any(|r| r.id == id), "listed as {typed}");
        let stock = app::server::warehouse::stock_page(&state.db, typed, None, 0, Lang::Ru)
            .await
            .unwrap();
        assert!(
            stock.rows.iter().any(|r| r.sku == "WB-1"),
            "its stock found as {typed}"
        );
    }

    // Related products by address: an unknown one is refused, known ones lead the shelf.
    let other = snap.products[7].slug.clone();
    let mut edit = catalog_admin::editor(&state.db, Some(id))
        .await
        .unwrap()
        .form;
    edit.related = Some(format!("{other}, no-such-product"));
    let SaveOutcome::Invalid(problems) = catalog_admin::save(&state, &manager, edit.clone())
        .await
        .unwrap()
    else {
        panic!("an unknown related product must be refused")
    };
    assert_eq!(problems[0].field, "related");
    edit.related = Some(format!("/p/{other}"));
    assert!(matches!(
        catalog_admin::save(&state, &manager, edit).await.unwrap(),
        SaveOutcome::Saved { .. }
    ));
    let snap = state.catalog.get(&state.db).await.unwrap();
    let page = storefront::product(&snap, &slug, Lang::En).unwrap();
    assert_eq!(page.related[0].slug, other);
    assert_eq!(
        catalog_admin::editor(&state.db, Some(id))
            .await
            .unwrap()
            .form
            .related
            .as_deref(),
        Some(other.as_str())
    );

    // Editing: drop the second variant, unpublish.
    let mut edit = catalog_admin::editor(&state.db, Some(id))
        .await
        .unwrap()
        .form;
    assert_eq!(edit.variants[1].price, "4190.9");
    edit.variants.truncate(1);
    edit.published = false;
    assert!(matches!(
        catalog_admin::save(&state, &manager, edit).await.unwrap(),
        SaveOutcome::Saved { .. }
    ));
    let snap = state.catalog.get(&state.db).await.unwrap();
    assert!(
        storefront::product(&snap, &slug, Lang::En).is_none(),
        "unpublished"
    );
    let editor = catalog_admin::editor(&state.db, Some(id)).await.unwrap();
    assert_eq!(editor.form.variants.len(), 1);
}

#[tokio::test]
async fn taken_slugs_and_skus_and_bad_values_change_nothing() {
    let (state, manager) = setup().await;
    let (category, warehouse) = ids(&state).await;
    let products_before = products::Entity::find().count(&state.db).await.unwrap();
    let variants_before = variants::Entity::find().count(&state.db).await.unwrap();
    let existing = variants::Entity::find()
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    let existing_product = products::Entity::find_by_id(existing.product_id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();

    let mut taken = form(category, warehouse);
    taken.slug = existing_product.slug.clone();
    taken.variants[1].sku = existing.sku.clone();
    let SaveOutcome::Invalid(problems) =
        catalog_admin::save(&state, &manager, taken).await.unwrap()
    else {
        panic!("taken slug and SKU must be refused")
    };
    let found: Vec<(String, Problem)> =
        problems.into_iter().map(|p| (p.field, p.problem)).collect();
    assert_eq!(
        found,
        vec![
            ("slug".into(), Problem::Taken),
            ("variants.1.sku".into(), Problem::Taken)
        ]
    );

    let mut bad = form(category, warehouse);
    bad.variants[0].price = "-1".into();
    bad.variants[0].stock[0].1 = "lots".into();
    assert!(matches!(
        catalog_admin::save(&state, &manager, bad).await.unwrap(),
        SaveOutcome::Invalid(_)
    ));
    let mut unknown = form(category, warehouse);
    unknown.category_id = 999_999;
    assert!(matches!(
        catalog_admin::save(&state, &manager, unknown)
            .await
            .unwrap(),
        SaveOutcome::Invalid(_)
    ));

    assert_eq!(
        products::Entity::find().count(&state.db).await.unwrap(),
        products_before
    );
    assert_eq!(
        variants::Entity::find().count(&state.db).await.unwrap(),
        variants_before
    );
}

#[tokio::test]
async fn the_category_tree_is_edited_without_cycles_or_lost_products() {
    use app::domain::catalog::editing::CategoryForm;
    let (state, manager) = setup().await;
    let rows = catalog_admin::category_rows(&state.db).await.unwrap();
    let by_slug = |slug: &str| {
        rows.iter()
            .find(|r| r.form.slug == slug)
            .unwrap()
            .form
            .clone()
    };
    let (home, mugs) = (by_slug("home"), by_slug("mugs"));

    // Home under its own child Mugs would be a cycle.
    let cycle = CategoryForm {
        parent_id: mugs.id,
        ..home.clone()
    };
    let problems = catalog_admin::save_category(&state, &manager, cycle)
        .await
        .unwrap();
    assert_eq!(problems[0].problem, Problem::ParentCycle);
    // A taken slug.
    let taken = CategoryForm {
        slug: "shoes".into(),
        ..mugs.clone()
    };
    assert_eq!(
        catalog_admin::save_category(&state, &manager, taken)
            .await
            .unwrap()[0]
            .problem,
        Problem::Taken
    );
    // A category with products cannot go.
    let refused = catalog_admin::delete_category(&state, &manager, mugs.id.unwrap())
        .await
        .unwrap();
    assert_eq!(refused[0].problem, Problem::NotEmpty);

    // Renaming shows on the storefront at once; an empty new category can be deleted.
    let renamed = CategoryForm {
        name_en: "Cups and mugs".into(),
        ..mugs.clone()
    };
    assert!(catalog_admin::save_category(&state, &manager, renamed)
        .await
        .unwrap()
        .is_empty());
    let snap = state.catalog.get(&state.db).await.unwrap();
    let page = storefront::category(&snap, "mugs", Default::default(), Lang::En).unwrap();
    assert_eq!(page.name, "Cups and mugs");
    let fresh = CategoryForm {
        parent_id: home.id,
        name_ru: "Свечи".into(),
        name_en: "Candles".into(),
        ..Default::default()
    };
    assert!(catalog_admin::save_category(&state, &manager, fresh)
        .await
        .unwrap()
        .is_empty());
    let rows = catalog_admin::category_rows(&state.db).await.unwrap();
    let candles = rows
        .iter()
        .find(|r| r.form.slug == "candles")
        .expect("created with a slug from the name");
    assert_eq!(candles.path, "Дом › Свечи");
    assert!(
        catalog_admin::delete_category(&state, &manager, candles.form.id.unwrap())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn photos_are_linked_to_a_variant_option_and_other_options_are_kept() {
    use app::api::AppError;
    use app::server::catalog_admin::PhotoChange;
    use app::server::entities::photos;
    let (state, manager) = setup().await;
    let (category, warehouse) = ids(&state).await;
    let mut product = form(category, warehouse);
    product.variants[0].extra_options = "Рост | Height | 170 см | 170 cm".into();
    let SaveOutcome::Saved { id, slug } = catalog_admin::save(&state, &manager, product)
        .await
        .unwrap()
    else {
        panic!("saved")
    };
    let editor = catalog_admin::editor(&state.db, Some(id)).await.unwrap();
    assert_eq!(
        editor.form.variants[0].extra_options,
        "Рост | Height | 170 см | 170 cm"
    );
    let choices: Vec<String> = editor.photo_options.iter().map(|o| o.code()).collect();
    assert_eq!(choices, ["red", "blue", "170-cm"], "colours first");

    // Any stored picture will do; the demo catalog has plenty.
    let media = photos::Entity::find()
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .media_key;
    catalog_admin::add_photo(&state, &manager, id, &media, "Синий", "Blue", "blue")
        .await
        .unwrap();
    let refused = catalog_admin::add_photo(&state, &manager, id, &media, "", "", "green").await;
    assert!(
        matches!(refused, Err(AppError::UnknownOption)),
        "{refused:?}"
    );
    let editor = catalog_admin::editor(&state.db, Some(id)).await.unwrap();
    assert_eq!(editor.photos.len(), 1, "the refused photo was not added");
    assert_eq!(editor.photos[0].shows, "blue");

    let snap = state.catalog.get(&state.db).await.unwrap();
    let page = storefront::product(&snap, &slug, Lang::En).unwrap();
    assert_eq!(page.photos[0].option_value.as_deref(), Some("blue"));

    // Unlinking keeps the texts that were sent.
    catalog_admin::edit_photo(
        &state,
        &manager,
        editor.photos[0].id,
        PhotoChange::Details {
            alt_ru: "Плед".into(),
            alt_en: "Blanket".into(),
            shows: String::new(),
        },
    )
    .await
    .unwrap();
    let editor = catalog_admin::editor(&state.db, Some(id)).await.unwrap();
    assert_eq!(
        (
            editor.photos[0].shows.as_str(),
            editor.photos[0].alt_en.as_str()
        ),
        ("", "Blanket")
    );
}

/// The CI failure behind `begin_write`: an admin save reads, then writes;
/// on SQLite a deferred transaction failed with "database is locked" when the
/// outbox worker committed in between. A write transaction now holds the
/// write lock from its start, so the other writer waits instead.
#[tokio::test]
async fn a_write_transaction_survives_a_concurrent_commit() {
    use app::server::entities::settings;
    use sea_orm::{ActiveModelTrait, Set};

    let (db, _) = common::fresh_db().await;
    let txn = app::server::begin_write(&db).await.unwrap();
    settings::Entity::find().all(&txn).await.unwrap();

    let other = db.clone();
    let concurrent = tokio::spawn(async move {
        settings::ActiveModel {
            key: Set("test.other".into()),
            value: Set("1".into()),
        }
        .insert(&other)
        .await
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    settings::ActiveModel {
        key: Set("test.mine".into()),
        value: Set("1".into()),
    }
    .insert(&txn)
    .await
    .expect("the write after a read is not refused");
    txn.commit().await.unwrap();
    concurrent
        .await
        .unwrap()
        .expect("the other writer waited its turn");
    let keys: Vec<String> = settings::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.key)
        .filter(|k| k.starts_with("test."))
        .collect();
    assert_eq!(keys.len(), 2);
}

/// Writers take turns (`begin_write`): a transaction dropped without a
/// commit passes the turn on at once with its writes undone, and writers
/// waiting together commit in the order they asked, none refused.
#[tokio::test]
async fn writers_take_turns_and_a_dropped_transaction_passes_its_turn_on() {
    use app::server::entities::settings;
    use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, Set};
    use std::time::{Duration, Instant};

    let (db, _) = common::fresh_db().await;
    let put = |key: &str| settings::ActiveModel {
        key: Set(key.into()),
        value: Set("1".into()),
    };
    let abandoned = app::server::begin_write(&db).await.unwrap();
    put("test.abandoned").insert(&abandoned).await.unwrap();
    drop(abandoned);
    let started = Instant::now();
    let next = app::server::begin_write(&db).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the next writer waited {:?} for a dropped transaction's turn",
        started.elapsed()
    );
    let mut writers = Vec::new();
    for i in 0..5 {
        let db = db.clone();
        writers.push(tokio::spawn(async move {
            let txn = app::server::begin_write(&db).await?;
            // How many writers committed before this one had its turn.
            let before = settings::Entity::find()
                .filter(settings::Column::Key.starts_with("test.writer"))
                .count(&txn)
                .await?;
            settings::ActiveModel {
                key: Set(format!("test.writer{i}")),
                value: Set(before.to_string()),
            }
            .insert(&txn)
            .await?;
            txn.commit().await
        }));
        // Each writer asks for its turn before the next one starts.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    put("test.next").insert(&next).await.unwrap();
    next.commit().await.unwrap();
    for writer in writers {
        writer
            .await
            .unwrap()
            .expect("a waiting writer is not refused");
    }
    let mut keys: Vec<(String, String)> = settings::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.key.starts_with("test."))
        .map(|s| (s.key, s.value))
        .collect();
    keys.sort();
    let names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "test.next",
            "test.writer0",
            "test.writer1",
            "test.writer2",
            "test.writer3",
            "test.writer4"
        ],
        "the dropped transaction's write is gone and every other one is kept"
    );
    // SQLite writers queue in the app; PostgreSQL's lock rows, not turns.
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        for (key, before) in &keys[1..] {
            assert_eq!(
                format!("test.writer{before}"),
                *key,
                "writers had their turns in the order they asked"
            );
        }
    }
}
