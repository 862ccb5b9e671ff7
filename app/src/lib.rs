//! Lavka: the Leptos application shared by the server (feature `ssr`) and the
//! browser (feature `hydrate`). See ARCHITECTURE.md for the map.
#![recursion_limit = "512"]

// The build-script generator needs ICU data crates at build time; the macro
// reads the same locales/ files without them.
#[allow(deprecated)]
mod i18n_locales {
    leptos_i18n::load_locales!();
}
pub use i18n_locales::i18n;

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "ssr")]
pub use app::shell;
pub use app::App;

/// Browser entry point, called by the generated JS glue.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    // Asynchronous: an admin screen's WASM chunk (a lazy route) is fetched
    // before its server-rendered HTML is hydrated. Spawned on the browser's
    // own queue: `hydrate_from_async` starts Leptos's executor itself.
    wasm_bindgen_futures::spawn_local(async move {
        leptos::mount::hydrate_from_async(body.clone(), App)
            .await
            .forget();
        // A marker for end-to-end tests (and curious humans): the page is interactive now.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
