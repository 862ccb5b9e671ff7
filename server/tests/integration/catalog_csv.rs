//! CSV import and export on a real database: round trip, every bad row
//! reported by line with nothing applied, "valid only" mode, a file in the
//! wrong encoding, and a 10,000-row file.
use crate::common;

use app::domain::accounts::Role;
use app::domain::money::Lang;
use app::server::entities::{products, variants};
use app::server::{catalog_csv, AppState};
use sea_orm::{EntityTrait, PaginatorTrait};

async fn setup() -> (AppState, app::server::accounts::AuthUser) {
    let state = common::demo_state().await;
    let manager = common::user(
        &state.db,
        "csv@example.com",
        "manager-pass-123",
        Role::Manager,
    )
    .await;
    (state, manager)
}

const HEADER: &str = "slug,name_ru,name_en,brand,category,published,description_ru,description_en,sku,barcode,color_ru,color_en,swatch,size,price,old_price,stock_msk,stock_spb";

async fn counts(state: &AppState) -> (u64, u64) {
    (
        products::Entity::find().count(&state.db).await.unwrap(),
        variants::Entity::find().count(&state.db).await.unwrap(),
    )
}

#[tokio::test]
async fn export_then_import_changes_nothing_and_succeeds() {
    let (state, manager) = setup().await;
    let csv = catalog_csv::export(&state.db).await.unwrap();
    assert!(csv.starts_with(HEADER), "{}", &csv[..200]);
    let before = counts(&state).await;
    let (_, report) = catalog_csv::import(&state, &manager, csv.as_bytes(), false, Lang::En)
        .await
        .unwrap();
    assert_eq!(report.problem_count, 0, "{:?}", report.problems.first());
    assert_eq!(report.applied_products, 300);
    assert_eq!(counts(&state).await, before);
    assert_eq!(
        catalog_csv::export(&state.db).await.unwrap(),
        csv,
        "a round trip is lossless"
    );
}

#[tokio::test]
async fn bad_rows_are_reported_by_line_and_nothing_is_applied() {
    let (state, manager) = setup().await;
    let before = counts(&state).await;
    let file = format!(
        "{HEADER}\n\
         new-plaid,Плед,Plaid,Lavka,home,1,,,NP-1,,Красный,Red,#c0392b,,2990,,3,0\n\
         new-plaid,,,,,,,,NP-2,,Синий,Blue,,,-5,,1,0\n\
         odd-mug,Кружка,Mug,Lavka,no-such-category,1,,,OM-1,,,,,,490,,1,0\n\
         \"quoted, name\",\"Кружка, большая\",\"Mug, large\",Lavka,home,1,\"line one\nline two\",,QM-1,,,,,,abc,,1,x\n"
    );
    let (id, report) = catalog_csv::import(&state, &manager, file.as_bytes(), false, Lang::En)
        .await
        .unwrap();
    let found: Vec<(u64, &str)> = report
        .problems
        .iter()
        .map(|p| (p.line, p.field.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (3, "price"),
            (4, "category"),
            (5, "slug"),
            (5, "price"),
            (5, "stock_spb")
        ],
        "{:#?}",
        report.problems
    );
    assert_eq!(report.rows, 4);
    assert_eq!(report.applied_products, 0);
    assert_eq!(counts(&state).await, before, "nothing applied");
    // The report is kept for the report page.
    assert_eq!(catalog_csv::report(&state.db, id).await.unwrap(), report);

    // Asked to apply the valid products only: the plaid's bad row keeps it out, nothing else is valid.
    let fixed = file.replace("-5", "3190");
    let (_, report) = catalog_csv::import(&state, &manager, fixed.as_bytes(), true, Lang::En)
        .await
        .unwrap();
    assert_eq!(report.applied_products, 1);
    assert_eq!(counts(&state).await, (before.0 + 1, before.1 + 2));
}

#[tokio::test]
async fn a_file_in_the_wrong_encoding_is_refused_with_its_line() {
    let (state, manager) = setup().await;
    let mut file = format!("{HEADER}\nplaid,").into_bytes();
    file.extend_from_slice(&[0xCF, 0xEB, 0xE5, 0xE4]); // "Плед" in Windows-1251
    file.extend_from_slice(b",Plaid,,home,1,,,P-1,,,,,,100,,1,1\n");
    let (_, report) = catalog_csv::import(&state, &manager, &file, true, Lang::En)
        .await
        .unwrap();
    assert_eq!(report.problem_count, 1);
    assert_eq!(report.problems[0].line, 2);
    assert!(report.problems[0].message.contains("not UTF-8"));
    assert_eq!(report.applied_products, 0);
}

#[tokio::test]
async fn ten_thousand_rows_import_in_one_go() {
    let (state, manager) = setup().await;
    let before = counts(&state).await;
    let mut file = String::from(HEADER);
    for n in 0..5_000 {
        for (colour, price) in [("Red", "1990"), ("Blue", "2090.50")] {
            file.push_str(&format!(
                "\nbulk-{n},Товар {n},Product {n},Bulk,home,1,,,BULK-{n}-{colour},,{colour},{colour},,,{price},,5,0"
            ));
        }
    }
    let started = std::time::Instant::now();
    let (_, report) = catalog_csv::import(&state, &manager, file.as_bytes(), false, Lang::Ru)
        .await
        .unwrap();
    println!(
        "10,000-row import: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(report.problem_count, 0, "{:?}", report.problems.first());
    assert_eq!(report.rows, 10_000);
    assert_eq!(report.applied_products, 5_000);
    assert_eq!(counts(&state).await, (before.0 + 5_000, before.1 + 10_000));
}

#[tokio::test]
async fn extra_options_come_from_their_column_and_stay_when_it_is_missing() {
    let (state, manager) = setup().await;
    let options_of = |sku: &'static str| {
        let db = state.db.clone();
        async move {
            use sea_orm::{ColumnTrait, QueryFilter};
            let v = variants::Entity::find()
                .filter(variants::Column::Sku.eq(sku))
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            v.options
        }
    };
    let with_column = format!(
        "{HEADER},backorder_days,options\n\
         tall-coat,Пальто,Coat,Lavka,home,1,,,TC-1,,Серый,Grey,,M,9990,,1,0,,\"Рост | Height | 170 см | 170 cm\"\n"
    );
    let (_, report) =
        catalog_csv::import(&state, &manager, with_column.as_bytes(), false, Lang::En)
            .await
            .unwrap();
    assert_eq!(report.problem_count, 0, "{:?}", report.problems.first());
    assert!(options_of("TC-1").await.contains("\"height\""));

    // A file without the column (prices changed) leaves the option as it was.
    let without =
        format!("{HEADER}\ntall-coat,Пальто,Coat,Lavka,home,1,,,TC-1,,Серый,Grey,,M,8990,,1,0\n");
    catalog_csv::import(&state, &manager, without.as_bytes(), false, Lang::En)
        .await
        .unwrap();
    assert!(options_of("TC-1").await.contains("\"height\""));

    // A malformed option line is reported at its line and column.
    let bad = format!("{HEADER},options\ntall-coat,Пальто,Coat,Lavka,home,1,,,TC-1,,Серый,Grey,,M,8990,,1,0,Рост only\n");
    let (_, report) = catalog_csv::import(&state, &manager, bad.as_bytes(), false, Lang::En)
        .await
        .unwrap();
    assert_eq!(report.problem_count, 1);
    assert_eq!(
        (report.problems[0].line, report.problems[0].field.as_str()),
        (2, "options")
    );
}
