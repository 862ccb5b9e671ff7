//! Parcel tracking (LOG-2): which carrier's API tracks each delivery
//! method's parcels, and every tracking status a parcel went through,
//! reported by the carrier or entered by staff.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DeliveryMethods {
    Table,
    /// The carrier adapter's code (`sandbox`); empty: tracked by hand only.
    Carrier,
}

#[derive(DeriveIden)]
enum TrackingEvents {
    Table,
    Id,
    OrderId,
    TrackingNumber,
    /// `domain::tracking::ParcelStatus::as_str`.
    Status,
    /// Where it happened, as the carrier or the operator put it.
    Place,
    /// `carrier` or `staff`.
    Source,
    ActorUserId,
    HappenedAt,
    /// Unique: a carrier's event is recorded once however often it is polled.
    EventKey,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DeliveryMethods::Table)
                    .add_column(string_len(DeliveryMethods::Carrier, 20).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrackingEvents::Table)
                    .if_not_exists()
                    .col(big_pk_auto(TrackingEvents::Id))
                    .col(big_integer(TrackingEvents::OrderId))
                    .col(string_len(TrackingEvents::TrackingNumber, 40))
                    .col(string_len(TrackingEvents::Status, 24))
                    .col(string_len(TrackingEvents::Place, 120).default(""))
                    .col(string_len(TrackingEvents::Source, 10))
                    .col(big_integer_null(TrackingEvents::ActorUserId))
                    .col(timestamp_with_time_zone(TrackingEvents::HappenedAt))
                    .col(string_len(TrackingEvents::EventKey, 120).unique_key())
                    .foreign_key(
                        ForeignKey::create()
                            .from(TrackingEvents::Table, TrackingEvents::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tracking_events_order")
                    .table(TrackingEvents::Table)
                    .col(TrackingEvents::OrderId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TrackingEvents::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(DeliveryMethods::Table)
                    .drop_column(DeliveryMethods::Carrier)
                    .to_owned(),
            )
            .await
    }
}
