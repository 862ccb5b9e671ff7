//! Cart issue, second part: promotions and promo codes (LOY-2, CART-4), their
//! redemptions (usage limits), callback requests (CART-6, ORD-4), delivery
//! methods shown in the cart (CART-3) and the price a cart line was added at
//! (CART-8, "the price changed since you added it").
//!
//! Money in BIGINT minor units, as in the catalog migration.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CartLines {
    Table,
    SeenPriceMinor,
}

#[derive(DeriveIden)]
enum Promotions {
    Table,
    Id,
    NameRu,
    NameEn,
    /// Upper-case; `NULL` for an automatic promotion.
    Code,
    /// `percent`, `fixed` or `free_delivery`.
    Kind,
    Percent,
    AmountMinor,
    MinOrderMinor,
    StartsAt,
    EndsAt,
    UsageLimit,
    PerCustomerLimit,
    /// Comma-separated ids; both empty: the whole cart.
    CategoryIds,
    ProductIds,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PromotionRedemptions {
    Table,
    Id,
    PromotionId,
    /// `user:<id>`, `email:<address>` or `phone:<digits>`.
    Customer,
    OrderId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CallbackRequests {
    Table,
    Id,
    Name,
    Phone,
    UserId,
    /// The priced cart at the time of the request, JSON.
    Cart,
    CartTotalMinor,
    /// `new`, `called` or `no_answer`.
    Status,
    Note,
    HandledBy,
    HandledAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DeliveryMethods {
    Table,
    Id,
    Code,
    /// `courier`, `pickup_point` or `post`.
    Kind,
    NameRu,
    NameEn,
    PriceMinor,
    FreeFromMinor,
    LeadDays,
    Active,
    Position,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CartLines::Table)
                    .add_column(big_integer_null(CartLines::SeenPriceMinor))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Promotions::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Promotions::Id))
                    .col(string_len(Promotions::NameRu, 200))
                    .col(string_len(Promotions::NameEn, 200))
                    .col(string_len_null(Promotions::Code, 64).unique_key())
                    .col(string_len(Promotions::Kind, 16))
                    .col(integer_null(Promotions::Percent))
                    .col(big_integer_null(Promotions::AmountMinor))
                    .col(big_integer_null(Promotions::MinOrderMinor))
                    .col(timestamp_with_time_zone_null(Promotions::StartsAt))
                    .col(timestamp_with_time_zone_null(Promotions::EndsAt))
                    .col(integer_null(Promotions::UsageLimit))
                    .col(integer_null(Promotions::PerCustomerLimit))
                    .col(text(Promotions::CategoryIds).default(""))
                    .col(text(Promotions::ProductIds).default(""))
                    .col(boolean(Promotions::Active).default(true))
                    .col(timestamp_with_time_zone(Promotions::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PromotionRedemptions::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PromotionRedemptions::Id))
                    .col(big_integer(PromotionRedemptions::PromotionId))
                    .col(string_len(PromotionRedemptions::Customer, 320))
                    .col(big_integer_null(PromotionRedemptions::OrderId))
                    .col(timestamp_with_time_zone(PromotionRedemptions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                PromotionRedemptions::Table,
                                PromotionRedemptions::PromotionId,
                            )
                            .to(Promotions::Table, Promotions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_promotion_redemptions_customer")
                    .table(PromotionRedemptions::Table)
                    .col(PromotionRedemptions::PromotionId)
                    .col(PromotionRedemptions::Customer)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CallbackRequests::Table)
                    .if_not_exists()
                    .col(big_pk_auto(CallbackRequests::Id))
                    .col(string_len(CallbackRequests::Name, 120))
                    .col(string_len(CallbackRequests::Phone, 32))
                    .col(big_integer_null(CallbackRequests::UserId))
                    .col(text(CallbackRequests::Cart))
                    .col(big_integer(CallbackRequests::CartTotalMinor))
                    .col(string_len(CallbackRequests::Status, 16).default("new"))
                    .col(text(CallbackRequests::Note).default(""))
                    .col(big_integer_null(CallbackRequests::HandledBy))
                    .col(timestamp_with_time_zone_null(CallbackRequests::HandledAt))
                    .col(timestamp_with_time_zone(CallbackRequests::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CallbackRequests::Table, CallbackRequests::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CallbackRequests::Table, CallbackRequests::HandledBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_callback_requests_status")
                    .table(CallbackRequests::Table)
                    .col(CallbackRequests::Status)
                    .col(CallbackRequests::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DeliveryMethods::Table)
                    .if_not_exists()
                    .col(big_pk_auto(DeliveryMethods::Id))
                    .col(string_len_uniq(DeliveryMethods::Code, 32))
                    .col(string_len(DeliveryMethods::Kind, 16))
                    .col(string_len(DeliveryMethods::NameRu, 200))
                    .col(string_len(DeliveryMethods::NameEn, 200))
                    .col(big_integer(DeliveryMethods::PriceMinor))
                    .col(big_integer_null(DeliveryMethods::FreeFromMinor))
                    .col(integer(DeliveryMethods::LeadDays))
                    .col(boolean(DeliveryMethods::Active).default(true))
                    .col(integer(DeliveryMethods::Position).default(0))
                    .to_owned(),
            )
            .await?;
        // Every shop delivers somehow: start with the three usual methods,
        // which the delivery settings later edit.
        let mut seed = Query::insert()
            .into_table(DeliveryMethods::Table)
            .columns([
                DeliveryMethods::Code,
                DeliveryMethods::Kind,
                DeliveryMethods::NameRu,
                DeliveryMethods::NameEn,
                DeliveryMethods::PriceMinor,
                DeliveryMethods::FreeFromMinor,
                DeliveryMethods::LeadDays,
                DeliveryMethods::Position,
            ])
            .to_owned();
        for (position, (code, kind, ru, en, price, free_from, lead)) in [
            (
                "courier",
                "courier",
                "Курьером до двери",
                "Courier to the door",
                39_000_i64,
                Some(500_000_i64),
                1,
            ),
            (
                "pickup",
                "pickup_point",
                "Пункт выдачи",
                "Pickup point",
                19_900,
                Some(300_000),
                2,
            ),
            (
                "post",
                "post",
                "Почта России",
                "Russian Post",
                29_000,
                None,
                5,
            ),
        ]
        .into_iter()
        .enumerate()
        {
            seed.values_panic([
                code.into(),
                kind.into(),
                ru.into(),
                en.into(),
                price.into(),
                free_from.into(),
                lead.into(),
                (position as i32).into(),
            ]);
        }
        manager.exec_stmt(seed).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DeliveryMethods::Table.into_iden(),
            CallbackRequests::Table.into_iden(),
            PromotionRedemptions::Table.into_iden(),
            Promotions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(CartLines::Table)
                    .drop_column(CartLines::SeenPriceMinor)
                    .to_owned(),
            )
            .await
    }
}
