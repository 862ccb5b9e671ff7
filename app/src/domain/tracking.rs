//! Parcel tracking (LOG-2): the statuses a parcel goes through after the
//! handover, the carriers whose APIs report them, the checks on a status
//! entered by staff, and the built-in sandbox carrier's story of a parcel.
use super::money::Lang;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ParcelStatus {
    /// The carrier has taken the parcel from the shop.
    Accepted,
    InTransit,
    /// Waiting for the shopper at the pickup point.
    AtPickupPoint,
    OutForDelivery,
    /// The courier could not hand it over; another attempt follows.
    DeliveryFailed,
    Delivered,
    /// Not collected or refused: on its way back to the shop.
    ReturningToSender,
}

impl ParcelStatus {
    pub const ALL: [ParcelStatus; 7] = [
        ParcelStatus::Accepted,
        ParcelStatus::InTransit,
        ParcelStatus::AtPickupPoint,
        ParcelStatus::OutForDelivery,
        ParcelStatus::DeliveryFailed,
        ParcelStatus::Delivered,
        ParcelStatus::ReturningToSender,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ParcelStatus::Accepted => "accepted",
            ParcelStatus::InTransit => "in_transit",
            ParcelStatus::AtPickupPoint => "at_pickup_point",
            ParcelStatus::OutForDelivery => "out_for_delivery",
            ParcelStatus::DeliveryFailed => "delivery_failed",
            ParcelStatus::Delivered => "delivered",
            ParcelStatus::ReturningToSender => "returning",
        }
    }

    pub fn parse(s: &str) -> Option<ParcelStatus> {
        ParcelStatus::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (ru, en) = match self {
            ParcelStatus::Accepted => ("Принята перевозчиком", "Accepted by the carrier"),
            ParcelStatus::InTransit => ("В пути", "In transit"),
            ParcelStatus::AtPickupPoint => ("Ждёт в пункте выдачи", "Waiting at the pickup point"),
            ParcelStatus::OutForDelivery => ("Передана курьеру", "Out for delivery"),
            ParcelStatus::DeliveryFailed => ("Не удалось вручить", "Delivery attempt failed"),
            ParcelStatus::Delivered => ("Вручена", "Delivered"),
            ParcelStatus::ReturningToSender => {
                ("Возвращается отправителю", "Returning to the shop")
            }
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
}

/// Carrier adapters the shop can track parcels through: code and name.
pub const CARRIERS: &[(&str, &str)] = &[("sandbox", "Sandbox carrier (test)")];

pub fn known_carrier(code: &str) -> bool {
    code.is_empty() || CARRIERS.iter().any(|(c, _)| *c == code)
}

/// Longest place name on a tracking status.
pub const PLACE_MAX_CHARS: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrackingProblem {
    /// The order has not been handed to a carrier, or is already delivered.
    NotOnTheWay,
    /// Not one of the order's tracking numbers.
    UnknownParcel,
    UnknownStatus,
    PlaceTooLong,
}

impl TrackingProblem {
    pub fn message(self, lang: Lang) -> String {
        let (ru, en) = match self {
            TrackingProblem::NotOnTheWay => (
                "Статус отслеживания добавляют, пока заказ в доставке.".to_string(),
                "Tracking statuses are added while the order is shipped.".to_string(),
            ),
            TrackingProblem::UnknownParcel => (
                "У заказа нет посылки с таким трек-номером.".into(),
                "The order has no parcel with this tracking number.".into(),
            ),
            TrackingProblem::UnknownStatus => (
                "Выберите статус из списка.".into(),
                "Choose a status from the list.".into(),
            ),
            TrackingProblem::PlaceTooLong => (
                format!("Место — не длиннее {PLACE_MAX_CHARS} символов."),
                format!("The place is at most {PLACE_MAX_CHARS} characters."),
            ),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
}

/// The place as it will be stored: trimmed, one line, bounded.
pub fn check_place(place: &str) -> Result<String, TrackingProblem> {
    let place: String = place
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if place.chars().count() > PLACE_MAX_CHARS {
        return Err(TrackingProblem::PlaceTooLong);
    }
    Ok(place)
}

/// Every parcel has a delivered status: the order has reached the shopper.
/// `events` are (tracking number, status) pairs in any order.
pub fn all_delivered<'a>(
    numbers: &[String],
    events: impl Iterator<Item = (&'a str, ParcelStatus)> + Clone,
) -> bool {
    !numbers.is_empty()
        && numbers.iter().all(|n| {
            events
                .clone()
                .any(|(number, status)| number == n && status == ParcelStatus::Delivered)
        })
}

/// The sandbox carrier's story of a parcel: each status and how many steps
/// after the handover it happens. Like a real carrier, most parcels arrive
/// in three steps; a number ending in 9 has one failed attempt first, and
/// one ending in 00 is never collected and goes back to the shop.
pub fn sandbox_story(number: &str, to_pickup_point: bool) -> Vec<(u32, ParcelStatus)> {
    use ParcelStatus::*;
    let waiting = if to_pickup_point {
        AtPickupPoint
    } else {
        OutForDelivery
    };
    let mut story = vec![(0, Accepted), (1, InTransit), (2, waiting)];
    if number.ends_with("00") {
        story.push((4, ReturningToSender));
    } else if number.ends_with('9') && !to_pickup_point {
        story.extend([(3, DeliveryFailed), (4, OutForDelivery), (5, Delivered)]);
    } else {
        story.push((3, Delivered));
    }
    story
}

/// The statuses the sandbox carrier reports `elapsed_secs` after the
/// handover, each with its offset in seconds from the handover.
pub fn sandbox_events(
    number: &str,
    to_pickup_point: bool,
    step_secs: i64,
    elapsed_secs: i64,
) -> Vec<(i64, ParcelStatus)> {
    sandbox_story(number, to_pickup_point)
        .into_iter()
        .map(|(step, status)| (i64::from(step) * step_secs.max(1), status))
        .filter(|(offset, _)| *offset <= elapsed_secs)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParcelStatus::*;

    #[test]
    fn statuses_round_trip_and_have_labels() {
        for status in ParcelStatus::ALL {
            assert_eq!(ParcelStatus::parse(status.as_str()), Some(status));
            assert!(!status.label(Lang::Ru).is_empty());
            assert!(!status.label(Lang::En).is_empty());
        }
        assert_eq!(ParcelStatus::parse("lost"), None);
        assert!(known_carrier("") && known_carrier("sandbox") && !known_carrier("dhl"));
    }

    #[test]
    fn the_sandbox_moves_a_parcel_step_by_step() {
        let statuses = |elapsed| -> Vec<ParcelStatus> {
            sandbox_events("LV-1-1", false, 60, elapsed)
                .into_iter()
                .map(|(_, s)| s)
                .collect()
        };
        assert_eq!(statuses(-1), vec![]);
        assert_eq!(statuses(0), vec![Accepted]);
        assert_eq!(statuses(119), vec![Accepted, InTransit]);
        assert_eq!(
            statuses(180),
            vec![Accepted, InTransit, OutForDelivery, Delivered]
        );
        assert_eq!(statuses(10_000).len(), 4);
        assert_eq!(
            sandbox_events("LV-1-1", true, 60, 10_000),
            vec![
                (0, Accepted),
                (60, InTransit),
                (120, AtPickupPoint),
                (180, Delivered)
            ]
        );
    }

    #[test]
    fn the_sandbox_fails_an_attempt_and_returns_an_uncollected_parcel() {
        let story = |number, pickup| -> Vec<ParcelStatus> {
            sandbox_story(number, pickup)
                .into_iter()
                .map(|(_, s)| s)
                .collect()
        };
        assert_eq!(
            story("RA129", false),
            vec![
                Accepted,
                InTransit,
                OutForDelivery,
                DeliveryFailed,
                OutForDelivery,
                Delivered
            ]
        );
        assert_eq!(
            story("RA100", true),
            vec![Accepted, InTransit, AtPickupPoint, ReturningToSender]
        );
        // A zero step would put every status at once; it counts as one second.
        assert_eq!(sandbox_events("RA1", false, 0, 2).len(), 3);
    }

    #[test]
    fn an_order_is_delivered_when_every_parcel_is() {
        let numbers = vec!["A1".to_string(), "A2".to_string()];
        let events = [("A1", Delivered), ("A2", InTransit)];
        assert!(!all_delivered(&numbers, events.iter().copied()));
        let events = [("A1", Delivered), ("A2", InTransit), ("A2", Delivered)];
        assert!(all_delivered(&numbers, events.iter().copied()));
        assert!(!all_delivered(&[], events.iter().copied()));
    }

    #[test]
    fn a_place_is_trimmed_one_line_and_bounded() {
        assert_eq!(
            check_place("  Москва,\nсклад 2 "),
            Ok("Москва, склад 2".into())
        );
        assert_eq!(
            check_place(&"я".repeat(120)).map(|p| p.chars().count()),
            Ok(120)
        );
        assert_eq!(
            check_place(&"я".repeat(121)),
            Err(TrackingProblem::PlaceTooLong)
        );
    }
}
