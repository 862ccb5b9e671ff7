use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub token: String,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub request_hash: String,
    pub user_id: Option<i64>,
    pub status: String,
    pub payment_method: String,
    pub payment_status: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub delivery_code: String,
    pub delivery_name: String,
    pub delivery_address: String,
    pub pickup_point_id: Option<i64>,
    pub delivery_date: Date,
    pub delivery_minor: i64,
    pub goods_minor: i64,
    pub discount_minor: i64,
    pub total_minor: i64,
    #[sea_orm(column_type = "Text")]
    pub discounts: String,
    pub promo_code: Option<String>,
    pub instalment_months: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub comment: String,
    pub lang: String,
    pub company_name: String,
    pub company_inn: String,
    pub company_kpp: String,
    /// The courier waits while the shopper tries the goods on (CHK-2).
    pub try_on: bool,
    /// The parcel's weight from the products' weights.
    pub weight_grams: i32,
    /// Set when the parcel is handed to the carrier (LOG-2).
    pub tracking_number: String,
    /// Refunded for returned goods (or, at a try-on, not collected).
    pub refunded_minor: i64,
    /// The CRM record (ORD-3); set at checkout.
    pub customer_id: Option<i64>,
    /// `site` or `phone` (ORD-4).
    pub channel: String,
    /// Where the parcel goes, as typed at checkout (a pickup point's city
    /// for a pickup); empty for orders placed before this was kept.
    pub delivery_city: String,
    pub delivery_street: String,
    pub delivery_postcode: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::customers::Entity",
        from = "Column::CustomerId",
        to = "super::customers::Column::Id"
    )]
    Customer,
}

impl Related<super::customers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customer.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
