//! A parcel's way to the shopper (LOG-2), on the customer's order page and
//! on the staff order page.
use crate::api::checkout::ParcelTracking;
use crate::i18n::*;
use leptos::prelude::*;

/// Each parcel's tracking statuses, oldest first, with a link to the
/// carrier's own page when the delivery method has one.
#[component]
pub fn ParcelTimelines(parcels: Vec<ParcelTracking>) -> impl IntoView {
    let i18n = use_i18n();
    let several = parcels.len() > 1;
    parcels
        .into_iter()
        .enumerate()
        .map(|(i, parcel)| {
            let events = parcel
                .events
                .into_iter()
                .map(|e| {
                    let place = (!e.place.is_empty()).then(|| format!(" · {}", e.place));
                    view! {
                        <li data-testid="tracking-event" data-status=e.status>
                            <time>{e.at}</time>" — "{e.label}{place}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="parcel" data-testid="parcel-tracking">
                    <h3>
                        {several.then(|| format!("{} {} · ", t_string!(i18n, tracking_parcel), i + 1))}
                        <span data-testid="parcel-number">{parcel.number.clone()}</span>
                        {parcel.url.map(|url| view! {
                            " · "<a href=url rel="noopener noreferrer" target="_blank">{t!(i18n, order_track_link)}</a>
                        })}
                    </h3>
                    <ol class="timeline" data-testid="tracking-events">{events}</ol>
                </section>
            }
        })
        .collect_view()
}
