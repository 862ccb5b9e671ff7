//! Orders (CHK-4): the order with its contacts, delivery and totals, its
//! lines as sold, the status timeline (ORD-2), the stock it reserved, and the
//! pickup-point directory the checkout offers (LOG-1).
//!
//! `idempotency_key` is unique: a double click or a retry finds the order the
//! first request made. Money in BIGINT minor units.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Warehouses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    /// Unguessable: the guest's private link to the order page.
    Token,
    IdempotencyKey,
    /// What the key was used for: the same key with another cart is refused.
    RequestHash,
    UserId,
    Status,
    PaymentMethod,
    PaymentStatus,
    Name,
    Phone,
    Email,
    DeliveryCode,
    DeliveryName,
    /// Address for courier and post; the pickup point's address otherwise.
    DeliveryAddress,
    PickupPointId,
    DeliveryDate,
    DeliveryMinor,
    GoodsMinor,
    DiscountMinor,
    TotalMinor,
    /// Applied promotions, JSON `[{"name":…, "amount":…}]`.
    Discounts,
    PromoCode,
    InstalmentMonths,
    Comment,
    Lang,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    OrderId,
    VariantId,
    ProductId,
    Sku,
    Name,
    Options,
    UnitPriceMinor,
    Quantity,
    /// Units beyond stock, ordered from the supplier (backorder).
    BackorderedQuantity,
}

#[derive(DeriveIden)]
enum OrderEvents {
    Table,
    Id,
    OrderId,
    Status,
    ActorUserId,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StockReservations {
    Table,
    OrderId,
    VariantId,
    WarehouseId,
    Quantity,
}

#[derive(DeriveIden)]
enum PickupPoints {
    Table,
    Id,
    Code,
    /// The delivery method (by code) whose points these are.
    MethodCode,
    Name,
    City,
    Address,
    Hours,
    Latitude,
    Longitude,
    Active,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PickupPoints::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PickupPoints::Id))
                    .col(string_len_uniq(PickupPoints::Code, 64))
                    .col(string_len(PickupPoints::MethodCode, 32))
                    .col(string_len(PickupPoints::Name, 200))
                    .col(string_len(PickupPoints::City, 120))
                    .col(string_len(PickupPoints::Address, 300))
                    .col(string_len(PickupPoints::Hours, 120))
                    .col(double_null(PickupPoints::Latitude))
                    .col(double_null(PickupPoints::Longitude))
                    .col(boolean(PickupPoints::Active).default(true))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Orders::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Orders::Id))
                    .col(string_len_uniq(Orders::Token, 64))
                    .col(string_len_uniq(Orders::IdempotencyKey, 100))
                    .col(string_len(Orders::RequestHash, 64))
                    .col(big_integer_null(Orders::UserId))
                    .col(string_len(Orders::Status, 24))
                    .col(string_len(Orders::PaymentMethod, 24))
                    .col(string_len(Orders::PaymentStatus, 24))
                    .col(string_len(Orders::Name, 120))
                    .col(string_len(Orders::Phone, 32))
                    .col(string_len(Orders::Email, 254))
                    .col(string_len(Orders::DeliveryCode, 32))
                    .col(string_len(Orders::DeliveryName, 200))
                    .col(string_len(Orders::DeliveryAddress, 400))
                    .col(big_integer_null(Orders::PickupPointId))
                    .col(date(Orders::DeliveryDate))
                    .col(big_integer(Orders::DeliveryMinor))
                    .col(big_integer(Orders::GoodsMinor))
                    .col(big_integer(Orders::DiscountMinor))
                    .col(big_integer(Orders::TotalMinor))
                    .col(text(Orders::Discounts))
                    .col(string_len_null(Orders::PromoCode, 64))
                    .col(integer_null(Orders::InstalmentMonths))
                    .col(text(Orders::Comment))
                    .col(string_len(Orders::Lang, 8))
                    .col(timestamp_with_time_zone(Orders::CreatedAt))
                    .col(timestamp_with_time_zone(Orders::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Orders::Table, Orders::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_orders_user")
                    .table(Orders::Table)
                    .col(Orders::UserId)
                    .col(Orders::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderLines::Table)
                    .if_not_exists()
                    .col(big_pk_auto(OrderLines::Id))
                    .col(big_integer(OrderLines::OrderId))
                    .col(big_integer(OrderLines::VariantId))
                    .col(big_integer(OrderLines::ProductId))
                    .col(string_len(OrderLines::Sku, 64))
                    .col(string_len(OrderLines::Name, 300))
                    .col(string_len(OrderLines::Options, 300))
                    .col(big_integer(OrderLines::UnitPriceMinor))
                    .col(integer(OrderLines::Quantity).check(Expr::col(OrderLines::Quantity).gt(0)))
                    .col(integer(OrderLines::BackorderedQuantity).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OrderLines::Table, OrderLines::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_lines_order")
                    .table(OrderLines::Table)
                    .col(OrderLines::OrderId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderEvents::Table)
                    .if_not_exists()
                    .col(big_pk_auto(OrderEvents::Id))
                    .col(big_integer(OrderEvents::OrderId))
                    .col(string_len(OrderEvents::Status, 24))
                    .col(big_integer_null(OrderEvents::ActorUserId))
                    .col(text(OrderEvents::Note))
                    .col(timestamp_with_time_zone(OrderEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OrderEvents::Table, OrderEvents::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_events_order")
                    .table(OrderEvents::Table)
                    .col(OrderEvents::OrderId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StockReservations::Table)
                    .if_not_exists()
                    .col(big_integer(StockReservations::OrderId))
                    .col(big_integer(StockReservations::VariantId))
                    .col(big_integer(StockReservations::WarehouseId))
                    .col(integer(StockReservations::Quantity))
                    .primary_key(
                        Index::create()
                            .col(StockReservations::OrderId)
                            .col(StockReservations::VariantId)
                            .col(StockReservations::WarehouseId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(StockReservations::Table, StockReservations::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(StockReservations::Table, StockReservations::WarehouseId)
                            .to(Warehouses::Table, Warehouses::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            StockReservations::Table.into_iden(),
            OrderEvents::Table.into_iden(),
            OrderLines::Table.into_iden(),
            Orders::Table.into_iden(),
            PickupPoints::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
