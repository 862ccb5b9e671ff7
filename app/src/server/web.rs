//! Request helpers for server functions: application state, the session
//! cookie, the signed-in user and role checks.
use super::accounts::{self, AuthUser};
use super::AppState;
use crate::api::AppError;
use crate::domain::accounts::{role_allows, Permission};
use http::{header, request::Parts, HeaderValue};
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use std::sync::OnceLock;

pub const SESSION_COOKIE: &str = "lavka_session";

/// The client's IP address, put into request extensions by the server's middleware.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// The storefront catalog snapshot, rebuilt first if the catalog changed.
pub async fn catalog() -> Result<std::sync::Arc<super::catalog::Snapshot>, AppError> {
    let state = state()?;
    Ok(state.catalog.get(&state.db).await?)
}

pub fn client_ip() -> String {
    use_context::<Parts>()
        .and_then(|p| p.extensions.get::<ClientIp>().map(|ip| ip.0.clone()))
        .unwrap_or_else(|| "unknown".into())
}

/// Finds a cookie's value in a `Cookie` header.
pub fn cookie_value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name && !v.is_empty()).then_some(v)
    })
}

pub fn session_token_from_request() -> Option<String> {
    let parts = use_context::<Parts>()?;
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookie_value(h, SESSION_COOKIE).map(str::to_string))
}

pub async fn current_user() -> Result<Option<AuthUser>, AppError> {
    let Some(token) = session_token_from_request() else {
        return Ok(None);
    };
    let state = state()?;
    Ok(accounts::resolve_session(&state.db, &state.config.sessions, &token).await?)
}

pub async fn require_user() -> Result<AuthUser, AppError> {
    current_user().await?.ok_or(AppError::NotLoggedIn)
}

pub async fn require(permission: Permission) -> Result<AuthUser, AppError> {
    let user = require_user().await?;
    if role_allows(user.role(), permission) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

fn set_cookie(value: String) -> Result<(), AppError> {
    let response = use_context::<ResponseOptions>().ok_or(AppError::Internal)?;
    let value = HeaderValue::from_str(&value).map_err(|_| AppError::Internal)?;
    response.append_header(header::SET_COOKIE, value);
    Ok(())
}

/// Signs the user in with a fresh session; the session the browser had before
/// (if any) is deleted, so a planted session id never becomes an authenticated one.
pub async fn start_session(
    state: &AppState,
    user_id: i64,
    previous_token: Option<&str>,
) -> Result<(), AppError> {
    if let Some(old) = previous_token {
        accounts::delete_session(&state.db, old).await?;
    }
    let policy = &state.config.sessions;
    let token = accounts::create_session(&state.db, policy, user_id).await?;
    set_cookie(session_cookie(
        &token,
        policy.absolute_secs,
        state.config.secure_cookies(),
    ))
}

pub async fn end_session(state: &AppState) -> Result<(), AppError> {
    if let Some(token) = session_token_from_request() {
        accounts::delete_session(&state.db, &token).await?;
    }
    set_cookie(session_cookie("", 0, state.config.secure_cookies()))
}

/// The file hashes cargo-leptos writes beside the server binary (`hash.txt`),
/// read once; empty when file hashing is off.
fn asset_hash(options: &LeptosOptions, kind: &str) -> Option<String> {
    static HASHES: OnceLock<String> = OnceLock::new();
    let text = HASHES.get_or_init(|| {
        std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
            .filter(|_| options.hash_files)
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default()
    });
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        (k.trim() == kind).then(|| v.trim().to_string())
    })
}

pub fn stylesheet_href(options: &LeptosOptions) -> String {
    match asset_hash(options, "css") {
        Some(hash) => format!(
            "/{}/{}.{hash}.css",
            options.site_pkg_dir, options.output_name
        ),
        None => format!("/{}/{}.css", options.site_pkg_dir, options.output_name),
    }
}

/// The script that starts the WASM app, in place of Leptos's
/// `HydrationScripts` (issue 7). It fetches the JS glue and the WASM only once
/// the page has loaded (its pictures too), the frame after that is painted and
/// the browser is idle, so the download never competes with what the shopper
/// sees first: on a slow phone network the 650 KB of WASM took the pictures'
/// bandwidth, and Lighthouse charged it to the largest paint (4.7–5 s instead
/// of about 1 s).
///
/// Nothing is preloaded from `<head>`, the lazy pages' modules included:
/// they are fetched by the WASM when it needs them. Until it runs, links and
/// plain forms work as HTML. A tap on a control that needs the app (a
/// `type="button"` button: add to cart, a gallery arrow) is not lost: it
/// starts the app at once, the button shows it is busy, and the tap is
/// replayed once the page is hydrated (each button once, however often it
/// was tapped while waiting).
pub fn hydration_script(options: &LeptosOptions) -> String {
    let dir = format!("/{}", options.site_pkg_dir);
    let name = &options.output_name;
    let (js, wasm) = match (asset_hash(options, "js"), asset_hash(options, "wasm")) {
        (Some(js), Some(wasm)) => (format!("{name}.{js}"), format!("{name}.{wasm}")),
        // Without hashing, wasm-bindgen's default name unless cargo-leptos set one.
        _ if option_env!("LEPTOS_OUTPUT_NAME").is_none() => {
            (name.to_string(), format!("{name}_bg"))
        }
        _ => (name.to_string(), name.to_string()),
    };
    format!(
        r#"(() => {{
  let started = false;
  const start = () => {{
    if (started) return;
    started = true;
    import("{dir}/{js}.js").then((app) => app.default({{ module_or_path: "{dir}/{wasm}.wasm" }}).then(() => app.hydrate()));
  }};
  const held = new Set();
  const hold = (event) => {{
    const button = event.target instanceof Element && event.target.closest('button[type="button"]');
    if (!button) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    button.setAttribute("aria-busy", "true");
    held.add(button);
    start();
  }};
  addEventListener("click", hold, true);
  new MutationObserver((_, observer) => {{
    if (!document.body.hasAttribute("data-hydrated")) return;
    observer.disconnect();
    removeEventListener("click", hold, true);
    for (const button of held) {{
      button.removeAttribute("aria-busy");
      if (button.isConnected && !button.disabled) button.click();
    }}
  }}).observe(document.body, {{ attributes: true, attributeFilter: ["data-hydrated"] }});
  const whenIdle = () => ("requestIdleCallback" in window ? requestIdleCallback(start, {{ timeout: 2000 }}) : setTimeout(start));
  const afterNextPaint = () => requestAnimationFrame(() => setTimeout(whenIdle));
  if (document.readyState === "complete") afterNextPaint();
  else addEventListener("load", afterNextPaint, {{ once: true }});
}})();"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_starts_after_the_page_has_loaded() {
        let options = LeptosOptions::builder()
            .output_name("lavka")
            .site_pkg_dir("pkg")
            .build();
        let script = hydration_script(&options);
        assert!(script.contains(r#"import("/pkg/lavka.js")"#), "{script}");
        assert!(
            script.contains(r#"module_or_path: "/pkg/lavka"#) && script.contains(r#".wasm" }"#),
            "{script}"
        );
        assert!(
            script.contains(r#"addEventListener("load", afterNextPaint"#),
            "{script}"
        );
        assert!(!script.contains("preload"), "{script}");
        assert!(
            script.contains(r#"addEventListener("click", hold, true)"#)
                && script.contains(r#"closest('button[type="button"]')"#)
                && script.contains(r#"attributeFilter: ["data-hydrated"]"#),
            "early taps are held and replayed: {script}"
        );
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let h = "theme=dark; lavka_session=abc; lavka_session_old=zzz";
        assert_eq!(cookie_value(h, "lavka_session"), Some("abc"));
        assert_eq!(cookie_value("lavka_session=", "lavka_session"), None);
        assert_eq!(cookie_value("x=1", "lavka_session"), None);
    }

    #[test]
    fn session_cookie_is_http_only_lax_and_secure_on_https() {
        let c = session_cookie("t", 60, false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        assert!(session_cookie("t", 60, true).ends_with("; Secure"));
    }
}
